from datetime import date

import duckdb
import pytest

from ingest.admin_units import UnitResolver, build_admin_units, build_successions
from ingest.errors import UnitResolutionError

D2023 = date(2023, 6, 30)
D2025 = date(2025, 8, 1)


@pytest.fixture(scope="module")
def resolver() -> UnitResolver:
    return UnitResolver.default()


def test_admin_units_shape() -> None:
    units = build_admin_units()
    assert list(units.columns) == [
        "unit_code",
        "gso_code",
        "admin_era",
        "unit_name",
        "short_name",
        "unit_type",
        "unit_kind",
        "province_code",
        "parent_code",
        "valid_from",
        "valid_to",
    ]
    assert units["unit_code"].is_unique
    counts = units.groupby(["admin_era", "unit_kind"]).size().to_dict()
    assert counts[("legacy", "province")] == 63
    assert counts[("legacy", "commune")] == 10035
    assert counts[("current", "province")] == 34
    assert counts[("current", "commune")] == 3321
    assert ("current", "district") not in counts
    sa_dec = units.set_index("unit_code").loc["L867"]
    assert sa_dec["unit_name"] == "Thành phố Sa Đéc"
    assert sa_dec["parent_code"] == "L87" and sa_dec["province_code"] == "L87"
    assert str(sa_dec["valid_to"]) == "2025-06-30" and sa_dec["valid_from"] is None
    ltt = units.set_index("unit_code").loc["L25645"]
    assert ltt["parent_code"] == "L709" and ltt["province_code"] == "L72"
    current = units.set_index("unit_code").loc["82"]
    assert current["unit_name"] == "Tỉnh Đồng Tháp" and str(current["valid_from"]) == "2025-07-01"


def test_successions() -> None:
    s = build_successions()
    assert list(s.columns) == ["legacy_unit_code", "current_unit_code", "is_split", "is_default"]
    pairs = set(zip(s["legacy_unit_code"], s["current_unit_code"], strict=True))
    assert ("L87", "82") in pairs  # Đồng Tháp
    assert ("L82", "82") in pairs  # Tiền Giang merged into the new Đồng Tháp
    assert ("L52", "52") in pairs and ("L64", "52") in pairs  # Bình Định + Gia Lai → Gia Lai
    assert set(s["legacy_unit_code"]) == set(build_admin_units().query("admin_era == 'legacy'")["unit_code"])
    assert s.groupby("legacy_unit_code")["is_default"].sum().eq(1).all()


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"name": "TP. Cao Lãnh", "province": "Đồng Tháp"}, "L866"),
        ({"name": "Thành phố Cao Lãnh", "province": "Đồng Tháp"}, "L866"),
        ({"name": "Huyện An Lão", "province": "Bình Định"}, "L542"),
        ({"name": "H. An Lão", "province": "Tỉnh Bình Định"}, "L542"),
        ({"name": "Huyện An Lão", "province": "Hải Phòng"}, "L313"),
        ({"name": "Phường Long Thành Trung, Thị xã Hòa Thành", "province": "Tây Ninh"}, "L25645"),
        ({"name": "P. Long Thành Trung", "province": "Tây Ninh"}, "L25645"),
        ({"name": "Tx. Hòa Thành", "province": "Tây Ninh"}, "L709"),
        ({"name": "Nha Trang", "province": "Khánh Hòa"}, "L568"),
        ({"name": "Sa Đéc", "province": "Đồng Tháp"}, "L867"),
        ({"name": "Thành phố Sa Đéc, tỉnh Đồng Tháp"}, "L867"),
        ({"name": "THÀNH PHỐ SA ĐÉC", "province": "ĐỒNG THÁP"}, "L867"),
        ({"code": "867"}, "L867"),
        ({"code": 867}, "L867"),
        ({"code": "L867"}, "L867"),
        ({"code": "87"}, "L87"),
        ({"code": "25645"}, "L25645"),
    ],
)
def test_resolve_legacy(resolver: UnitResolver, kwargs: dict, expected: str) -> None:
    assert resolver.resolve(**kwargs, on_date=D2023) == expected


def test_resolve_current_era(resolver: UnitResolver) -> None:
    assert resolver.resolve(code="82", on_date=D2025) == "82"
    assert resolver.resolve(name="Phường Nha Trang", province="Khánh Hòa", on_date=D2025) == "22366"
    # a legacy province name after the merger resolves to its successor
    assert resolver.resolve_province("Bình Định", D2025) == "52"
    with pytest.raises(UnitResolutionError, match="867"):
        resolver.resolve(code="867", on_date=D2025)


def test_misspelt_name_lists_candidates(resolver: UnitResolver) -> None:
    with pytest.raises(UnitResolutionError) as info:
        resolver.resolve(name="Nha Trangg", province="Khánh Hòa", on_date=D2023)
    assert "L568" in str(info.value)
    assert "L568" in info.value.candidates
    assert len(info.value.candidates) <= 5


def test_ambiguous_names(resolver: UnitResolver) -> None:
    with pytest.raises(UnitResolutionError, match="ambiguous") as info:
        resolver.resolve(name="Cao Lãnh", province="Đồng Tháp", on_date=D2023)
    assert {"L866", "L873"} <= set(info.value.candidates)
    with pytest.raises(UnitResolutionError, match="province"):
        resolver.resolve(name="Huyện An Lão", on_date=D2023)


def test_many_names_resolve_to_the_same_units(resolver: UnitResolver) -> None:
    names = ["TP. Cao Lãnh", "Sa Đéc", "Huyện Lai Vung", "Huyện Tháp Mười"] * 2500
    codes = [resolver.resolve(name=n, province="Đồng Tháp", on_date=D2023) for n in names]
    assert codes[:4] == ["L866", "L867", "L876", "L872"]
    assert len(set(codes)) == 4


def test_load_admin_units_and_resolver_from_connection(con: duckdb.DuckDBPyConnection) -> None:
    n = con.execute("select count(*) from raw.admin_units").fetchall()[0][0]
    # provinces, districts, communes (legacy), provinces, communes (current), then the
    # departments of ingest/config/departments.yaml: 20 of each legacy province, 15 of each
    # current one
    assert n == 63 + 696 + 10035 + 34 + 3321 + 63 * 20 + 34 * 15
    kinds = con.execute(
        "select admin_era, count(*) from raw.admin_units where unit_kind = 'department' group by 1 order by 1"
    ).fetchall()
    assert kinds == [("current", 34 * 15), ("legacy", 63 * 20)]
    r = UnitResolver.from_connection(con)
    assert r.resolve(name="Huyện An Lão", province="Bình Định", on_date=D2023) == "L542"


def test_departments_are_found_only_where_a_department_is_expected(resolver: UnitResolver) -> None:
    """ "Sở Tư pháp" names a department of every province: found within a province by
    resolve_department (in the era of the date; abbreviations, a trailing province), never
    by the general resolver (an aggregated form's department row stays what it was)."""
    d2025 = date(2025, 9, 1)
    assert resolver.resolve_department("Sở Tư pháp", "82", d2025) == "82.STP"
    assert resolver.resolve_department("SỞ TƯ PHÁP TỈNH ĐỒNG THÁP", "82", d2025) == "82.STP"
    assert resolver.resolve_department("Sở TN&MT", "L87", D2023) == "L87.STNMT"
    # merged away in 2025: written after it, the department it became
    assert resolver.resolve_department("Sở Tài nguyên và Môi trường", "82", d2025) == "82.SNNMT"
    assert resolver.resolve_department("Bộ phận Một cửa Sở Tư pháp", "82", d2025) == "82.STP"
    assert resolver.resolve_department("Sở Du lịch", "82", d2025) is None  # not a department here
    assert resolver.resolve_department("Sở Nông nghiệp và Môi trường", "82", d2025) == "82.SNNMT"
    assert resolver.resolve_department("Văn phòng UBND tỉnh", "82", d2025) == "82.VP"
    assert resolver.resolve_department("Xã Tân Phú", "82", d2025) is None
    assert resolver.units["82.STP"].unit_name == "Sở Tư pháp tỉnh Đồng Tháp"
    assert resolver.units["82.STP"].parent_code == "82"
    with pytest.raises(UnitResolutionError):
        resolver.resolve(name="Sở Tư pháp", province="Đồng Tháp", on_date=d2025)


def test_a_legacy_department_becomes_the_department_it_was_merged_into() -> None:
    successions = build_successions()
    pairs = set(zip(successions["legacy_unit_code"], successions["current_unit_code"], strict=True))
    assert ("L87.STP", "82.STP") in pairs  # Đồng Tháp's, in the new Đồng Tháp
    assert ("L82.STP", "82.STP") in pairs  # Tiền Giang's too
    assert ("L87.STNMT", "82.SNNMT") in pairs  # merged into agriculture and environment
    assert ("L87.SKHDT", "82.STC") in pairs  # planning and investment into finance

from __future__ import annotations

import gzip
import hashlib
import sqlite3
import unicodedata
import zipfile
from collections import defaultdict
from importlib import resources
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from demo_readers import (
    II06A_COLUMNS,
    NUMBERS,
    read_csv,
    read_dossier_csv,
    read_dossier_xlsx,
    read_ii06a_xlsx,
    read_simple_xls,
    read_simple_xlsx,
    vn_number,
)

from demo import DemoSummary, generate_demo_inbox, write_blocking_defect

PROVINCES = ("52", "56", "72", "87")
YEARS = (2021, 2022, 2023)
SLUGS = {"52": "binh_dinh", "56": "khanh_hoa", "72": "tay_ninh", "87": "dong_thap"}
NHA_TRANG_FORM = "bieu_II06a_nha_trang_nam_2018.xlsx"
XLS_STAFF = "bien_che_binh_dinh_31_12_2021.xls"


def _official_units() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Districts and communes per province, straight from the package's sqlite."""
    db = resources.files("vietnamadminunits") / "data" / "dataset.db"
    con = sqlite3.connect(str(db))
    districts: dict[str, set[str]] = defaultdict(set)
    communes: dict[str, set[str]] = defaultdict(set)
    for p, d, w in con.execute(
        "SELECT provinceCode, districtCode, wardCode FROM admin_units_legacy"
        " WHERE provinceCode IN ('52','56','72','87')"
    ):
        districts[p].add(d)
        communes[p].add(w)
    con.close()
    return districts, communes


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _dossier_rows(path: Path) -> tuple[list[dict], dict]:
    if path.name.startswith("bieu_II06a_"):
        _, sections, totals = read_ii06a_xlsx(path)
        return [r for s in sections for r in s["rows"]], totals
    if path.suffix == ".xlsx":
        _, rows, totals = read_dossier_xlsx(path)
        return rows, totals
    return read_dossier_csv(path)


def _balanced(r: dict) -> bool:
    return (
        r["resolved"] == r["resolved_early"] + r["resolved_on_time"] + r["resolved_late"]
        and r["carried_in"] + r["received"]
        == r["resolved"]
        + r["pending_not_due"]
        + r["pending_overdue"]
        + r.get("withdrawn", 0)
        + r.get("stopped", 0)
        and r["received_online"] + r.get("received_postal", 0) <= r["received"]
        and min(r[k] for k in NUMBERS if k in r) >= 0
    )


def _ii06a_identities(r: dict) -> bool:
    """(3) = (4)+(5)+(6), (7) = (8)+(9)+(10), (11) = (12)+(13), (3) = (7)+(11)."""
    return (
        r["received_total"] == r["received_online"] + r["received_in_person_or_postal"] + r["carried_in"]
        and r["resolved"] == r["resolved_early"] + r["resolved_on_time"] + r["resolved_late"]
        and r["pending"] == r["pending_not_due"] + r["pending_overdue"]
        and r["received_total"] == r["resolved"] + r["pending"]
    )


# ------------------------------------------------------------------ determinism


def test_same_seed_gives_identical_bytes(demo_inbox: DemoSummary, tmp_path: Path) -> None:
    again = generate_demo_inbox(tmp_path / "again")
    assert [f.name for f in again.files] == [f.name for f in demo_inbox.files]
    for f in demo_inbox.files:
        assert _sha(demo_inbox.inbox / f.name) == _sha(again.inbox / f.name), f.name
        assert f.sha256 == _sha(demo_inbox.inbox / f.name)
        assert f.size_bytes == (demo_inbox.inbox / f.name).stat().st_size


def test_other_seed_changes_the_data(demo_inbox: DemoSummary, tmp_path: Path) -> None:
    other = generate_demo_inbox(tmp_path / "other", seed=7)
    changed = [f.name for f in other.files if f.sha256 != demo_inbox.file(f.name).sha256]
    assert "tthc_dong_thap_nam_2023.xlsx" in changed
    # the seed figures do not depend on the seed
    assert other.expected["nha_trang_2018_huyen"] == demo_inbox.expected["nha_trang_2018_huyen"]
    assert other.expected["cao_lanh_survey_2021"] == demo_inbox.expected["cao_lanh_survey_2021"]


def test_xlsx_carry_fixed_timestamps(demo_inbox: DemoSummary) -> None:
    for name in demo_inbox.names():
        if not name.endswith(".xlsx"):
            continue
        with zipfile.ZipFile(demo_inbox.inbox / name) as z:
            assert {i.date_time for i in z.infolist()} == {(2024, 1, 15, 8, 0, 0)}, name
            core = z.read("docProps/core.xml").decode()
        assert core.count("2024-01-15T08:00:00Z") == 2, name


def test_one_csv_arrives_in_nfd(demo_inbox: DemoSummary) -> None:
    text = (demo_inbox.inbox / "tthc_binh_dinh_nam_2022.csv").read_bytes().decode("utf-8-sig")
    assert unicodedata.is_normalized("NFD", text) and not unicodedata.is_normalized("NFC", text)
    other = (demo_inbox.inbox / "tthc_tay_ninh_nam_2021.csv").read_bytes().decode("utf-8-sig")
    assert unicodedata.is_normalized("NFC", other)


def test_files_listed_match_the_inbox(demo_inbox: DemoSummary) -> None:
    on_disk = sorted(p.name for p in demo_inbox.inbox.iterdir())
    assert on_disk == [f.name for f in demo_inbox.files]
    assert len(on_disk) == 72  # README: "writes 72 deterministic submissions"
    # the official form II.06a and an Excel 97-2003 file are among them
    assert NHA_TRANG_FORM in on_disk and XLS_STAFF in on_disk
    assert [n for n in on_disk if n.endswith(".xls")] == [XLS_STAFF]
    families = {f.family for f in demo_inbox.files}
    assert families == {
        "dossiers", "dossier_records", "staff", "budget", "surveys", "self_assessment", "procedure_catalogue",
        "portal_766_scores", "narrative_reports", "dossier_status_history",
    }  # fmt: skip


# ------------------------------------------------------------------ coverage


def test_every_legacy_district_and_commune_in_every_dossier_file(
    demo_inbox: DemoSummary,
) -> None:
    districts, communes = _official_units()
    assert sum(map(len, districts.values())) == 41
    assert sum(map(len, communes.values())) == 522
    for p in PROVINCES:
        for year in YEARS:
            [name] = [n for n in demo_inbox.names("dossiers") if n.startswith(f"tthc_{SLUGS[p]}_nam_{year}")]
            rows, _ = _dossier_rows(demo_inbox.inbox / name)
            huyen = {str(r["unit_code"]) for r in rows if r["level"] in ("Cấp huyện", "huyện")}
            xa = {str(r["unit_code"]) for r in rows if r["level"] in ("Cấp xã", "xã")}
            assert huyen == districts[p], name
            assert xa == communes[p], name
            assert len(rows) == len(huyen) + len(xa)


# ------------------------------------------------------------------ balance


def test_clean_dossier_rows_balance_and_totals_add_up(demo_inbox: DemoSummary) -> None:
    checked = 0
    for f in demo_inbox.files:
        if f.family != "dossiers" or f.outcome != "load":
            continue
        rows, totals = _dossier_rows(demo_inbox.inbox / f.name)
        for r in rows:
            assert _balanced(r), (f.name, r)
            checked += 1
        for k in (*NUMBERS, "withdrawn", "stopped"):
            if k in totals:
                assert totals[k] == sum(r[k] for r in rows), (f.name, k)
    assert checked > 1500


def test_one_csv_counts_withdrawn_and_stopped_dossiers(demo_inbox: DemoSummary) -> None:
    """Khánh Hòa 2023 comes from a one-stop system that counts withdrawn (công dân rút hồ sơ)
    and stopped (dừng xử lý) dossiers apart: neither resolved nor pending."""
    header, _ = read_csv(demo_inbox.inbox / "tthc_khanh_hoa_nam_2023.csv")
    assert header[-2:] == ["Công dân rút hồ sơ", "Dừng xử lý"]
    rows, totals = read_dossier_csv(demo_inbox.inbox / "tthc_khanh_hoa_nam_2023.csv")
    assert all(_balanced(r) for r in rows)
    assert totals["withdrawn"] > 100 and totals["stopped"] > 10
    assert sum(r["withdrawn"] > 0 for r in rows) > len(rows) // 2
    kh = demo_inbox.expected["dossier_totals"]["khanh_hoa/2023"]["huyen"]
    assert kh["withdrawn"] == sum(r["withdrawn"] for r in rows if r["level"] == "huyện")
    # the other files state no such columns
    header, _ = read_csv(demo_inbox.inbox / "tthc_tay_ninh_nam_2021.csv")
    assert "Dừng xử lý" not in header


def test_online_share_grows_and_on_time_is_realistic(demo_inbox: DemoSummary) -> None:
    for p in PROVINCES:
        shares = []
        for year in YEARS:
            t = demo_inbox.expected["dossier_totals"][f"{SLUGS[p]}/{year}"]["huyen"]
            shares.append(t["received_online"] / t["received"])
            assert 95 <= t["in_time_rate_pct"] <= 100
        assert shares == sorted(shares)


def test_xlsx_header_labels_are_exact(demo_inbox: DemoSummary) -> None:
    ws = openpyxl.load_workbook(demo_inbox.inbox / "tthc_dong_thap_nam_2023.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "UBND TỈNH ĐỒNG THÁP"
    assert rows[2][0] == "Năm 2023"
    assert rows[3] == (None,) * len(rows[3])
    assert rows[4] == (
        "STT", "Mã đơn vị", "Đơn vị", "Cấp", "Kỳ trước chuyển qua", "Tiếp nhận mới",
        "Trực tuyến", "Bưu chính công ích", "Đã giải quyết", None, None, None,
        "Đang giải quyết", None,
    )  # fmt: skip
    assert rows[5][8:] == ("Tổng số", "Trước hạn", "Đúng hạn", "Trễ hạn", "Chưa đến hạn", "Quá hạn")
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A5:A6", "B5:B6", "H5:H6", "I5:L5", "M5:N5"} <= merged
    assert rows[-1][0] == "Tổng cộng"


# ------------------------------------------------------------------ seed figures


def test_nha_trang_2018_seed_figures(demo_inbox: DemoSummary) -> None:
    """Seed 002 on Biểu II.06a: the city's desk by field under "Huyện, thị xã, thành phố",
    the communes under "Xã, phường, thị trấn"; once, in one file (no older layout of it)."""
    # (the narrative report of Nha Trang 2018, family narrative_reports, is not a dossier file)
    assert [n for n in demo_inbox.names("dossiers") if "nha_trang" in n] == [NHA_TRANG_FORM]
    titles, sections, totals = read_ii06a_xlsx(demo_inbox.inbox / NHA_TRANG_FORM)
    assert "Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa" in titles
    assert "Kỳ báo cáo: Năm 2018 (Từ ngày 01/01/2018 đến ngày 31/12/2018)" in titles
    assert [(s["label"], s["level"]) for s in sections] == [
        ("Huyện, thị xã, thành phố", "huyen"),
        ("Xã, phường, thị trấn", "xa"),
    ]
    city, communes = sections
    fields = city["rows"]
    assert len(fields) == 8 and "Đất đai" in {r["label"] for r in fields}
    assert not any(r["label"].startswith(("Thành phố", "Phường", "Xã")) for r in fields)
    assert sum(r["received"] for r in fields) == 58053
    assert sum(r["resolved"] for r in fields) == 56863
    assert sum(r["resolved_late"] for r in fields) == 611
    assert sum(r["resolved_early"] + r["resolved_on_time"] for r in fields) == 56252
    xa = communes["rows"]
    assert len(xa) == 22 and "Phường Vĩnh Hải" in {r["label"] for r in xa}
    assert sum(r["received"] for r in xa) == 75416
    assert sum(r["resolved"] for r in xa) == 75384
    assert sum(r["resolved_early"] + r["resolved_on_time"] for r in xa) == 75226
    assert sum(r["resolved_late"] for r in xa) == 158
    # every row keeps the form's identities; section rows and Tổng số carry the sums
    for s in sections:
        assert all(_ii06a_identities(r) for r in [s["subtotal"], *s["rows"]])
        assert [r["tt"] for r in s["rows"]] == list(range(1, len(s["rows"]) + 1))
        for k in II06A_COLUMNS:
            assert s["subtotal"][k] == sum(r[k] for r in s["rows"]), (s["label"], k)
    for k in II06A_COLUMNS:
        assert totals[k] == city["subtotal"][k] + communes["subtotal"][k], k
    e = demo_inbox.expected
    assert (
        e["nha_trang_2018_huyen"]["resolved_rate_pct"],
        e["nha_trang_2018_huyen"]["in_time_rate_pct"],
        e["nha_trang_2018_huyen"]["late_rate_pct"],
    ) == (97.95, 98.93, 1.07)
    assert (
        e["nha_trang_2018_xa"]["resolved_rate_pct"],
        e["nha_trang_2018_xa"]["in_time_rate_pct"],
        e["nha_trang_2018_xa"]["late_rate_pct"],
    ) == (99.96, 99.79, 0.21)


def test_ii06a_layout(demo_inbox: DemoSummary) -> None:
    ws = openpyxl.load_workbook(demo_inbox.inbox / NHA_TRANG_FORM).active
    rows = list(ws.iter_rows(values_only=True))
    # the title block side by side: form number | title and period | units and unit of count
    assert rows[0][0] == "Biểu số II.06a/VPCP/KSTT"
    assert rows[0][9] == "Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa"
    assert rows[1][9] == "Đơn vị nhận báo cáo: UBND tỉnh Khánh Hòa"
    assert rows[2][9] == "Đơn vị tính: Số hồ sơ TTHC"
    assert rows[4] == (
        "TT", "Lĩnh vực, công việc giải quyết theo cấp", "Số hồ sơ nhận giải quyết", None, None, None,
        "Số lượng hồ sơ đã giải quyết", None, None, None, "Số lượng hồ sơ đang giải quyết", None, None,
    )  # fmt: skip
    assert rows[5] == (
        None, None, "Tổng số", "Trong đó", None, "Từ kỳ trước",
        "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn",
    )  # fmt: skip
    assert rows[6][3:5] == ("Trực tuyến", "Trực tiếp, dịch vụ bưu chính")
    assert rows[7][:4] == ("(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)") and rows[7][12] == "(13)"
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {
        "A5:A7", "B5:B7", "C5:F5", "C6:C7", "D6:E6", "F6:F7", "G5:J5", "G6:G7", "H6:H7",
        "I6:I7", "J6:J7", "K5:M5", "K6:K7", "L6:L7", "M6:M7",
    } <= merged  # fmt: skip
    assert rows[8][:2] == ("I", "Huyện, thị xã, thành phố")
    assert rows[-1][1] == "Tổng số"


def test_one_staff_table_arrives_as_xls(demo_inbox: DemoSummary, tmp_path: Path) -> None:
    """An older office's Excel 97-2003 file: a real BIFF8 compound document (not an .xlsx
    renamed), byte-stable, read back with python-calamine like the other staff tables."""
    path = demo_inbox.inbox / XLS_STAFF
    assert path.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert demo_inbox.file(XLS_STAFF).family == "staff"
    header, rows, totals = read_simple_xls(path)
    assert header == ["STT", "Mã đơn vị", "Đơn vị", "Ngày số liệu", "Loại", "Biên chế được giao", "Có mặt"]
    assert len(rows) == 11 * 6  # Bình Định's 11 districts × 6 categories
    assert totals[0] == "Cộng" and totals[5] == sum(r[5] for r in rows)
    e = demo_inbox.expected["staff/binh_dinh/2021"]
    assert (totals[5], totals[6]) == (e["quota"], e["actual"])


def test_sa_dec_budget_seed_and_monotonic_disbursement(demo_inbox: DemoSummary) -> None:
    header, rows = read_csv(demo_inbox.inbox / "giai_ngan_dong_thap_2023.csv")
    assert header == [
        "Mã đơn vị", "Đơn vị", "Năm ngân sách", "Tính đến ngày",
        "Kế hoạch vốn giao (triệu đồng)", "Đã giải ngân (triệu đồng)",
    ]  # fmt: skip
    assert ["867", "Thành phố Sa Đéc", "2023", "15/08/2023", "590.161,540", "212.901,285"] in rows
    assert demo_inbox.expected["sa_dec_budget_2023_08_15"]["disbursed_pct"] == 36.08
    for name in demo_inbox.names("budget"):
        _, rows = read_csv(demo_inbox.inbox / name)
        by_unit: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
        for code, _, _, as_of, plan, disb in rows:
            d, m, y = as_of.split("/")
            to_f = lambda s: float(s.replace(".", "").replace(",", "."))  # noqa: E731
            by_unit[code].append((y + m + d, to_f(plan), to_f(disb)))
        for code, series in by_unit.items():
            series.sort()
            disbursed = [s[2] for s in series]
            assert disbursed == sorted(disbursed), (name, code)
            assert all(s[2] <= s[1] for s in series), (name, code)


def test_cao_lanh_survey_forms(demo_inbox: DemoSummary) -> None:
    header, rows = read_csv(demo_inbox.inbox / "khao_sat_tp_cao_lanh_2021.csv", ",")
    assert header[:8] == [
        "Mã phiếu", "Mã đơn vị", "Cấp", "Ngày khảo sát", "Họ tên", "Số điện thoại", "CCCD",
        "Địa chỉ",
    ]  # fmt: skip
    assert header[-1] == "Câu 5 - Hài lòng chung"
    assert len(rows) == 600
    assert len({r[0] for r in rows}) == 600
    assert sum(int(r[-1]) >= 4 for r in rows) == 548
    assert all(1 <= int(a) <= 5 for r in rows for a in r[8:])
    assert all(r[4] and r[5].startswith("0") and len(r[6]) == 12 for r in rows)
    # Cao Lãnh 2021 is not also in the aggregated survey table
    _, agg, _ = read_simple_xlsx(demo_inbox.inbox / "khao_sat_dong_thap_nam_2021.xlsx")
    assert 866 not in {r[1] for r in agg}


def test_an_lao_staff_sum_of_parts_defect(demo_inbox: DemoSummary) -> None:
    header, rows, totals = read_simple_xlsx(demo_inbox.inbox / "bien_che_an_lao_30_06_2023.xlsx")
    assert header == [
        "STT", "Mã đơn vị", "Đơn vị", "Ngày số liệu", "Loại", "Biên chế được giao", "Có mặt",
    ]  # fmt: skip
    assert totals[0] == "Cộng" and totals[5] == 733
    assert sum(r[5] for r in rows) == 732
    assert demo_inbox.file("bien_che_an_lao_30_06_2023.xlsx").outcome == "warn"


def test_clean_staff_files_add_up(demo_inbox: DemoSummary) -> None:
    cats = {"Cán bộ", "Công chức", "Viên chức giáo dục", "Viên chức y tế", "Viên chức khác",
            "Hợp đồng"}  # fmt: skip
    districts, _ = _official_units()
    for p in PROVINCES:
        for year in YEARS:
            name = f"bien_che_{SLUGS[p]}_31_12_{year}"
            if f"{name}.xls" == XLS_STAFF:
                _, rows, totals = read_simple_xls(demo_inbox.inbox / XLS_STAFF)
            else:
                _, rows, totals = read_simple_xlsx(demo_inbox.inbox / f"{name}.xlsx")
            assert {str(r[1]) for r in rows} == districts[p]
            assert {r[4] for r in rows} == cats
            assert {r[3] for r in rows} == {f"31/12/{year}"}
            assert totals[5] == sum(r[5] for r in rows)
            assert totals[6] == sum(r[6] for r in rows)


def test_planted_defects(demo_inbox: DemoSummary) -> None:
    d = demo_inbox.expected["defects"]
    _, rows, _ = read_dossier_xlsx(demo_inbox.inbox / d["misspelt_unit"]["file"])
    assert rows[0]["unit_name"] == "Thành phố Sa Đét"
    _, rows, _ = read_dossier_xlsx(demo_inbox.inbox / d["text_in_number"]["file"])
    assert [r["received"] for r in rows if isinstance(r["received"], str)] == ["khoảng 300"]
    _, rows, _ = read_dossier_xlsx(demo_inbox.inbox / d["dossier_sum_of_parts"]["file"])
    bad = [r for r in rows if not _balanced(r)]
    assert len(bad) == 1
    b = bad[0]
    assert b["resolved"] == b["carried_in"] + b["received"] - b["pending_not_due"] - b["pending_overdue"]
    assert b["resolved"] - (b["resolved_early"] + b["resolved_on_time"] + b["resolved_late"]) == 10
    outcomes = {f.name: f.outcome for f in demo_inbox.files}
    assert sorted(n for n, o in outcomes.items() if o == "reject") == sorted(
        [d["misspelt_unit"]["file"], d["text_in_number"]["file"]]
    )


def test_blocking_defect(tmp_path: Path) -> None:
    f = write_blocking_defect(tmp_path)
    assert f.outcome == "block"
    _, rows = read_csv(tmp_path / f.name)
    [[_, _, _, _, plan, disb]] = rows
    assert vn_number(disb.split(",")[0]) == 2 * vn_number(plan.split(",")[0])


# ------------------------------------------------------------------ record-level exports


def _aggregate_records(rows: list[dict]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        a = out[str(r["unit_code"])]
        a["received"] += 1
        a["received_online"] += r["channel"] == "trực tuyến"
        a["received_postal"] += r["channel"] == "bưu chính"
        due = str(r["due_at"])[:10]
        fin = r["finished_at"]
        if fin in (None, ""):
            a["pending_not_due" if due > "2023-12-31" else "pending_overdue"] += 1
        else:
            fin = str(fin)[:10]
            key = "resolved_early" if fin < due else "resolved_on_time" if fin == due else ("resolved_late")
            a[key] += 1
            a["resolved"] += 1
    return out


@pytest.mark.parametrize(
    ("records_file", "dossier_file", "district"),
    [
        ("ho_so_sa_dec_2023.csv.gz", "tthc_dong_thap_nam_2023.xlsx", "867"),
        ("ho_so_hoa_thanh_2023.parquet", "tthc_tay_ninh_nam_2023.xlsx", "709"),
    ],
)
def test_records_match_aggregated_file(
    demo_inbox: DemoSummary, records_file: str, dossier_file: str, district: str
) -> None:
    path = demo_inbox.inbox / records_file
    if path.suffix == ".parquet":
        rows = pq.read_table(path).to_pylist()
    else:
        import csv
        import io

        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
    assert 5_000 < len(rows) < 30_000
    assert len({r["dossier_id"] for r in rows}) == len(rows)
    assert {r["authority_level"] for r in rows} == {"huyen", "xa"}
    # a few in-person channel cells are blank (blank is in person: no count moves)
    assert {r["channel"] for r in rows} - {"", None} == {"trực tiếp", "trực tuyến", "bưu chính"}
    for r in rows:
        assert str(r["received_at"])[:4] == "2023"
        if r["finished_at"] not in (None, ""):
            assert str(r["finished_at"]) > str(r["received_at"])
    agg = _aggregate_records(rows)
    _, file_rows, _ = read_dossier_xlsx(demo_inbox.inbox / dossier_file)
    by_code = {str(r["unit_code"]): r for r in file_rows}
    _, communes = _official_units()
    assert district in agg and len(agg) > 5
    for code, a in agg.items():
        r = by_code[code]
        assert r["carried_in"] == 0
        for k in NUMBERS[1:]:
            assert r[k] == a[k], (code, k)

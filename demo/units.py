"""Legacy (pre-2025) administrative units of the demo provinces, from `vietnamadminunits`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources

# GSO code -> file-name slug.  Order = code order.
DEMO_PROVINCES: dict[str, str] = {
    "52": "binh_dinh",
    "56": "khanh_hoa",
    "72": "tay_ninh",
    "87": "dong_thap",
}


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    kind: str  # Phường / Xã / Thị trấn
    district_code: str


@dataclass(frozen=True)
class District:
    code: str
    name: str
    kind: str  # Thành phố / Thị xã / Huyện / Quận
    province_code: str
    communes: tuple[Commune, ...]


@dataclass(frozen=True)
class Province:
    code: str
    name: str  # "Tỉnh Đồng Tháp"
    short: str  # "Đồng Tháp"
    slug: str
    districts: tuple[District, ...]

    def district(self, code: str) -> District:
        for d in self.districts:
            if d.code == code:
                return d
        raise KeyError(code)


def _dataset_path() -> str:
    return str(resources.files("vietnamadminunits") / "data" / "dataset.db")


@cache
def load_provinces() -> tuple[Province, ...]:
    """The four demo provinces with every legacy district and commune, sorted by GSO code."""
    con = sqlite3.connect(f"file:{_dataset_path()}?mode=ro", uri=True)
    try:
        placeholders = ",".join("?" * len(DEMO_PROVINCES))
        rows = con.execute(
            "SELECT provinceCode, province, provinceShort, districtCode, district, districtType,"
            " wardCode, ward, wardType FROM admin_units_legacy"
            f" WHERE provinceCode IN ({placeholders})",
            tuple(DEMO_PROVINCES),
        ).fetchall()
    finally:
        con.close()
    provinces: list[Province] = []
    for pcode in sorted(DEMO_PROVINCES, key=int):
        prow = [r for r in rows if r[0] == pcode]
        districts: list[District] = []
        for dcode in sorted({r[3] for r in prow}, key=int):
            drow = [r for r in prow if r[3] == dcode]
            communes = tuple(
                Commune(code=r[6], name=r[7], kind=r[8], district_code=dcode)
                for r in sorted(drow, key=lambda r: int(r[6]))
            )
            districts.append(District(dcode, drow[0][4], drow[0][5], pcode, communes))
        provinces.append(Province(pcode, prow[0][1], prow[0][2], DEMO_PROVINCES[pcode], tuple(districts)))
    return tuple(provinces)


def province(code: str) -> Province:
    for p in load_provinces():
        if p.code == code:
            return p
    raise KeyError(code)


def all_districts() -> list[District]:
    return [d for p in load_provinces() for d in p.districts]


def all_communes() -> list[Commune]:
    return [c for d in all_districts() for c in d.communes]

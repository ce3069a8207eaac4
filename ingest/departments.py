"""A province's departments (sở, ban, ngành) as warehouse units of kind ``department``
(declared once in ``ingest/config/departments.yaml``): their rows for ``raw.admin_units``
(under each province of each era), their successions across the 2025 reorganisation, and
the folded names a department is found by within its province."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yamlfiles
from ingest.text import clean, fold

CONFIG = Path(__file__).parent / "config" / "departments.yaml"
KIND = "department"
UNIT_TYPE = "Cơ quan chuyên môn"


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    aliases: tuple[str, ...]
    eras: tuple[str, ...]
    became: str | None


@cache
def departments() -> tuple[Department, ...]:
    with open(CONFIG, encoding="utf-8") as fh:
        spec = yamlfiles.load(fh) or {}
    return tuple(
        Department(
            code=str(d["code"]),
            name=clean(d["name"]),
            aliases=tuple(clean(a) for a in d.get("aliases") or ()),
            eras=tuple(d["eras"]),
            became=d.get("became"),
        )
        for d in spec.get("departments") or ()
    )


def unit_code(province_code: str, code: str) -> str:
    """``82.STP``: the department ``code`` of the province ``province_code`` (era-qualified)."""
    return f"{province_code}.{code}"


def full_name(department: Department, province_name: str) -> str:
    """ "Sở Tư pháp tỉnh Đồng Tháp", "Văn phòng Ủy ban nhân dân thành phố Hà Nội"."""
    province = province_name[:1].lower() + province_name[1:]  # "Tỉnh Đồng Tháp" → "tỉnh …"
    return f"{department.name.removesuffix(' tỉnh')} {province}"


def unit_rows(province: dict) -> list[dict]:
    """The ``raw.admin_units`` rows of a province's departments (``province``: the
    province's own row), in the province's era."""
    era = province["admin_era"]
    rows = []
    for d in departments():
        if era not in d.eras:
            continue
        rows.append(
            {
                **province,
                "unit_code": unit_code(province["unit_code"], d.code),
                "gso_code": unit_code(province["gso_code"], d.code),
                "unit_name": full_name(d, province["unit_name"]),
                "short_name": d.name,
                "unit_type": UNIT_TYPE,
                "unit_kind": KIND,
                "province_code": province["unit_code"],
                "parent_code": province["unit_code"],
            }
        )
    return rows


def successions(
    province_successor: dict[str, str], current_codes: set[str]
) -> list[tuple[str, str, bool, bool]]:
    """Legacy department → the current department it became (its own code, or ``became``),
    in the province its province became; ``current_codes``: the current units there are."""
    out = []
    for d in departments():
        if "legacy" not in d.eras:
            continue
        for legacy_province, current_province in province_successor.items():
            target = unit_code(current_province, d.became or d.code)
            if target in current_codes:
                out.append((unit_code(legacy_province, d.code), target, False, True))
    return out


def folded_names(department_name: str, full: str) -> set[str]:
    """The folded names a department is found by: its name, its full name, its aliases."""
    d = next((x for x in departments() if x.name == department_name), None)
    names = {department_name, department_name.removesuffix(" tỉnh"), full, *(d.aliases if d else ())}
    return {fold(n) for n in names}


#: words before a department's name: "UBND tỉnh …", "Bộ phận một cửa Sở Tư pháp", "Bộ phận
#: tiếp nhận và trả kết quả của Sở Y tế"
_LEADING = re.compile(
    r"^(?:ubnd tinh|uy ban nhan dan tinh|bo phan (?:mot cua|tiep nhan va tra ket qua)(?: cua)?)\s+"
)


@cache
def merged_into() -> dict[str, str]:
    """The folded names of the departments merged away in 2025 → the code of the department
    they became (Sở TN&MT → SNNMT): an old name written after July 2025 names the new one."""
    out: dict[str, str] = {}
    for d in departments():
        if d.became and "current" not in d.eras:
            for name in (d.name, *d.aliases):
                out[fold(name)] = d.became
    return out


def name_key(text: object, province_names: tuple[str, ...] = ()) -> str:
    """A written department name, folded, without a trailing province ("Sở Tư pháp tỉnh
    Đồng Tháp", "Sở Tư pháp - Đồng Tháp") among ``province_names`` (folded)."""
    key = _LEADING.sub("", fold(text))
    for province in sorted(province_names, key=len, reverse=True):
        for tail in (f" tinh {province}", f" thanh pho {province}", f" {province}"):
            if key.endswith(tail) and len(key) > len(tail):
                return key[: -len(tail)].strip()
    return key

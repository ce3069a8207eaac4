"""Administrative units (legacy and current) from the ``vietnamadminunits`` package.

Unit codes are era-qualified (docs/architecture.md): current units keep their GSO code
(``82``, ``25645``), legacy units (valid until 2025-06-30) get an ``L`` prefix
(``L87``, ``L867``, ``L25645``). ``province_code`` and ``parent_code`` are unit codes of the
same era.

Successions (legacy → current): provinces and communes follow the package's 2025
converter (a commune divided among several current communes has one row per part,
``is_split`` true, and ``is_default`` on the part that takes it when not apportioned).
Districts were abolished: a district maps to the current province that holds it, except
the five island districts without communes, which the converter maps to a current commune
(special zone).
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

import sqlfiles
from ingest import departments, vocabulary
from ingest.errors import UnitResolutionError
from ingest.text import clean, fold
from ingest.warehouse import ensure_schema

#: the 2025 reorganisation (the var reorganisation_date of dbt_project/dbt_project.yml)
PACKAGE = __package__ or "ingest"  # its SQL files: ingest/sql/*.sql
REORGANISATION_DATE = vocabulary.reorganisation_date()
LEGACY_VALID_TO = REORGANISATION_DATE - timedelta(days=1)

ADMIN_UNIT_COLUMNS = [
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
SUCCESSION_COLUMNS = ["legacy_unit_code", "current_unit_code", "is_split", "is_default"]


def _data_dir() -> Path:
    return Path(str(resources.files("vietnamadminunits"))) / "data"


def _read_sqlite(table: str) -> pd.DataFrame:
    path = _data_dir() / "dataset.db"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        return pd.read_sql_query(sqlfiles.text(PACKAGE, f"dataset_{table}"), con)


def era_for(on_date: date | None) -> str:
    """``legacy`` before 2025-07-01, else ``current`` (``None`` → current)."""
    if on_date is not None and on_date < REORGANISATION_DATE:
        return "legacy"
    return "current"


def unit_code_for(gso_code: str, era: str) -> str:
    return ("L" + gso_code) if era == "legacy" else gso_code


def _province_type(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


@lru_cache(maxsize=1)
def _build_admin_units_cached() -> pd.DataFrame:
    legacy = _read_sqlite("admin_units_legacy")
    current = _read_sqlite("admin_units")
    rows: list[dict] = []

    def add(
        gso: str, era: str, name: str, short: str, utype: str, kind: str, prov: str, parent: str | None
    ) -> None:
        rows.append(
            {
                "unit_code": unit_code_for(gso, era),
                "gso_code": gso,
                "admin_era": era,
                "unit_name": clean(name),
                "short_name": clean(short),
                "unit_type": utype,
                "unit_kind": kind,
                "province_code": unit_code_for(prov, era),
                "parent_code": unit_code_for(parent, era) if parent else None,
                "valid_from": None if era == "legacy" else REORGANISATION_DATE,
                "valid_to": LEGACY_VALID_TO if era == "legacy" else None,
            }
        )

    provs = legacy.drop_duplicates("provinceCode").sort_values("provinceCode")
    for r in provs.itertuples():
        add(
            r.provinceCode,
            "legacy",
            r.province,
            r.provinceShort,
            _province_type(r.province),
            "province",
            r.provinceCode,
            None,
        )
    dists = legacy.drop_duplicates("districtCode").sort_values("districtCode")
    for r in dists.itertuples():
        add(
            r.districtCode,
            "legacy",
            r.district,
            r.districtShort,
            r.districtType,
            "district",
            r.provinceCode,
            r.provinceCode,
        )
    wards = legacy[legacy["wardCode"].notna()].sort_values("wardCode")
    for r in wards.itertuples():
        add(r.wardCode, "legacy", r.ward, r.wardShort, r.wardType, "commune", r.provinceCode, r.districtCode)
    provs = current.drop_duplicates("provinceCode").sort_values("provinceCode")
    for r in provs.itertuples():
        add(
            r.provinceCode,
            "current",
            r.province,
            r.provinceShort,
            _province_type(r.province),
            "province",
            r.provinceCode,
            None,
        )
    for r in current.sort_values("wardCode").itertuples():
        add(r.wardCode, "current", r.ward, r.wardShort, r.wardType, "commune", r.provinceCode, r.provinceCode)
    # each province's departments (sở, ban, ngành): ingest/config/departments.yaml
    rows += [
        dept for row in list(rows) if row["unit_kind"] == "province" for dept in departments.unit_rows(row)
    ]
    df = pd.DataFrame(rows, columns=ADMIN_UNIT_COLUMNS)
    for col in ("valid_from", "valid_to"):  # python dates and None (no NaT)
        df[col] = pd.Series([r[col] for r in rows], dtype=object)
    return df


def build_admin_units() -> pd.DataFrame:
    """All provinces, districts (legacy only) and communes, legacy and current, with the
    columns of ``raw.admin_units``."""
    return _build_admin_units_cached().copy()


def build_successions() -> pd.DataFrame:
    """Legacy → current successions with the columns of ``raw.admin_unit_successions``."""
    legacy = _read_sqlite("admin_units_legacy")
    current = _read_sqlite("admin_units")
    with open(_data_dir() / "converter_2025.json", encoding="utf-8") as fh:
        conv = json.load(fh)

    legacy_prov = dict(zip(legacy["provinceKey"], legacy["provinceCode"], strict=False))
    current_prov = dict(zip(current["provinceKey"], current["provinceCode"], strict=False))
    legacy_key = {}
    for r in legacy.itertuples():
        has_ward = isinstance(r.wardCode, str)
        legacy_key[f"{r.provinceKey}_{r.districtKey}_{r.wardKey if has_ward else ''}"] = (
            ("L" + r.wardCode) if has_ward else ("L" + r.districtCode)
        )
    current_key = {f"{r.provinceKey}_{r.wardKey}": r.wardCode for r in current.itertuples()}
    rows: list[tuple[str, str, bool, bool]] = []
    legacy_to_current_prov: dict[str, str] = {}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old in old_keys:
            rows.append(("L" + legacy_prov[old], current_prov[new_key], False, True))
            legacy_to_current_prov[legacy_prov[old]] = current_prov[new_key]
    island_districts: set[str] = set()
    for new_prov, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward, old_keys in wards.items():
            for old in old_keys:
                code = legacy_key[old]
                if old.endswith("_"):
                    island_districts.add(code)
                rows.append((code, current_key[f"{new_prov}_{new_ward}"], False, True))
    for new_prov, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            code = legacy_key[old]
            for part in parts:
                rows.append(
                    (
                        code,
                        current_key[f"{new_prov}_{part['newWardKey']}"],
                        True,
                        bool(part["isDefaultNewWard"]),
                    )
                )
    for r in legacy.drop_duplicates("districtCode").itertuples():
        code = "L" + r.districtCode
        if code not in island_districts:
            rows.append((code, legacy_to_current_prov[r.provinceCode], False, True))
    current_departments = {
        code for code in build_admin_units()["unit_code"] if "." in code and not code.startswith("L")
    }
    province_successor = {"L" + old: new for old, new in legacy_to_current_prov.items()}
    rows += departments.successions(province_successor, current_departments)
    df = pd.DataFrame(rows, columns=SUCCESSION_COLUMNS).drop_duplicates()
    return df.sort_values(["legacy_unit_code", "current_unit_code"]).reset_index(drop=True)


def load_admin_units(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(Re)write ``raw.admin_units`` and ``raw.admin_unit_successions`` in one transaction.
    Returns the row counts."""
    ensure_schema(con)
    units = build_admin_units()
    successions = build_successions()
    con.begin()
    try:
        con.register("_ingest_units", units)
        con.register("_ingest_successions", successions)
        for statement in (
            "admin_units_delete",
            "admin_units_insert",
            "admin_unit_successions_delete",
            "admin_unit_successions_insert",
        ):
            sqlfiles.execute(con, PACKAGE, statement)
        con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        con.unregister("_ingest_units")
        con.unregister("_ingest_successions")
    return len(units), len(successions)


# --- resolution --------------------------------------------------------------------------

_TYPE_PREFIXES: list[tuple[str, str]] = [
    ("thanh pho", "Thành phố"),
    ("tp", "Thành phố"),
    ("thi xa", "Thị xã"),
    ("tx", "Thị xã"),
    ("thi tran", "Thị trấn"),
    ("tt", "Thị trấn"),
    ("huyen", "Huyện"),
    ("h", "Huyện"),
    ("quan", "Quận"),
    ("q", "Quận"),
    ("phuong", "Phường"),
    ("p", "Phường"),
    ("xa", "Xã"),
    ("x", "Xã"),
    ("dac khu", "Đặc khu"),
    ("dk", "Đặc khu"),
    ("tinh", "Tỉnh"),
    ("t", "Tỉnh"),
]
_PREFIX_RX = re.compile(
    r"^(?:ubnd |uy ban nhan dan )?(" + "|".join(p for p, _ in _TYPE_PREFIXES) + r")\s+(.+)$"
)
_PREFIX_TYPE = dict(_TYPE_PREFIXES)


def _accented(text: object) -> str:
    """Lowercase NFC text with single spaces, accents kept ("Xã Tân Thạnh" ≠ "Xã Tân Thành");
    the "UBND" prefix dropped."""
    words = clean(text).lower().split()
    if words[:1] == ["ubnd"]:
        words = words[1:]
    return " ".join(words)


def names_a_unit_type(text: object) -> bool:
    """Whether a name starts with a unit type ("Phường Lộc Thọ", "UBND huyện X", "TP. Y"):
    a row label that does is a unit, not a field (lĩnh vực)."""
    return bool(_PREFIX_RX.match(fold(text)))


_PAREN_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_KIND_RANK = {"province": 0, "district": 1, "commune": 2, departments.KIND: 3}
_PROVINCE_ALIASES = {"hcm": "79", "tp hcm": "79", "tphcm": "79", "sai gon": "79", "hn": "01"}


@dataclass(frozen=True)
class Unit:
    unit_code: str
    gso_code: str
    admin_era: str
    unit_name: str
    short_name: str
    unit_type: str
    unit_kind: str
    province_code: str
    parent_code: str | None

    def describe(self) -> str:
        return f"{self.unit_name} ({self.unit_code})"


class UnitResolver:
    """Resolve GSO codes and unit names to era-qualified unit codes.

    Indexes are built once; results are cached, so resolving thousands of rows is cheap.
    """

    def __init__(self, units: pd.DataFrame, successions: pd.DataFrame | None = None) -> None:
        self.units: dict[str, Unit] = {}
        self._by_gso: dict[tuple[str, str], str] = {}
        self._by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._by_compact: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._provinces: dict[tuple[str, str], str] = {}
        self._successor: dict[str, str] = {}
        #: (era, province unit code) → folded department name → the department's unit code
        self._departments: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for rec in units[ADMIN_UNIT_COLUMNS[:9]].itertuples(index=False):
            u = Unit(*rec)
            self.units[u.unit_code] = u
            self._by_gso[(u.admin_era, u.gso_code)] = u.unit_code
            if u.unit_kind == departments.KIND:  # found only where a department is expected
                for key in departments.folded_names(u.short_name, u.unit_name):
                    self._departments[(u.admin_era, u.province_code)][key] = u.unit_code
                continue
            # short names of homonyms carry a suffix: "Cao Lãnh (Thành phố)"
            short = fold(_PAREN_SUFFIX.sub("", u.short_name))
            for key in {fold(u.unit_name), fold(u.short_name), short}:
                self._by_name[(u.admin_era, key)].append(u.unit_code)
                self._by_compact[(u.admin_era, key.replace(" ", ""))].append(u.unit_code)
            if u.unit_kind == "province":
                for key in {fold(u.unit_name), short}:
                    self._provinces[(u.admin_era, key)] = u.unit_code
        for era in ("legacy", "current"):
            for alias, gso in _PROVINCE_ALIASES.items():
                code = unit_code_for(gso, era)
                if code in self.units:
                    self._provinces.setdefault((era, alias), code)
        if successions is not None:
            for rec in successions.itertuples(index=False):
                if rec.is_default:
                    self._successor[rec.legacy_unit_code] = rec.current_unit_code
        self._cache: dict[tuple, str] = {}
        self._province_names = sorted({k for (_, k) in self._provinces if len(k) > 3}, key=len, reverse=True)

    # -- constructors
    @classmethod
    def from_connection(cls, con: duckdb.DuckDBPyConnection) -> UnitResolver:
        units = sqlfiles.execute(con, PACKAGE, "admin_units_all").df()
        successions = sqlfiles.execute(con, PACKAGE, "admin_unit_successions_all").df()
        return cls(units, successions)

    @classmethod
    def default(cls) -> UnitResolver:
        return _default_resolver()

    # -- lookups
    def get(self, unit_code: str) -> Unit | None:
        return self.units.get(unit_code)

    def resolve_province(self, province: object, on_date: date | None = None) -> str:
        """Province name or code → era-qualified province unit code."""
        era = era_for(on_date)
        text = clean(province)
        code = self._province_by_code(text, era)
        if code:
            return code
        key = fold(text)
        m = re.match(r"^(?:ubnd |uy ban nhan dan )?(?:tinh|thanh pho|tp|t)\s+(.+)$", key)
        for candidate in (key, m.group(1) if m else None):
            if candidate and (era, candidate) in self._provinces:
                return self._provinces[(era, candidate)]
        if era == "current":  # a legacy province name after the 2025 merger
            for candidate in (key, m.group(1) if m else None):
                legacy = self._provinces.get(("legacy", candidate or ""))
                if legacy and legacy in self._successor:
                    return self._successor[legacy]
        names = {k: c for (e, k), c in self._provinces.items() if e == era}
        raise self._not_found(text, "province", "tỉnh", names, key)

    def _province_by_code(self, text: str, era: str) -> str | None:
        if text.upper().startswith("L") and text[1:].isdigit():
            u = self.units.get("L" + text[1:])
            return u.unit_code if u and u.unit_kind == "province" else None
        if text.isdigit():
            code = self._by_gso.get((era, text.zfill(2)))
            if code and self.units[code].unit_kind == "province":
                return code
        return None

    def find_province_in_text(self, text: object) -> str | None:
        """The province named in a title row ("UBND TỈNH ĐỒNG THÁP", "Tỉnh: Đồng Tháp"),
        as written (a name to resolve later with the right era); ``None`` if none."""
        words = fold(text)
        if not words:
            return None
        for name in self._province_names:
            if re.search(rf"\b(?:tinh|thanh pho|tinh thanh pho)\s+{re.escape(name)}\b", words):
                return name
        return None

    def find_province_in_file_name(self, file_name: str) -> str | None:
        """The province a file name states: after "tinh"/"thanh pho" as in a title, else one
        province name standing on its own (``chi_so_766_dong_thap_thang_11_2025.xlsx``), not
        after a unit's type (``ho_so_xa_hoa_binh``: a commune). None when none or several."""
        text = re.sub(r"[_\-.]+", " ", file_name)
        found = self.find_province_in_text(text)
        if found is not None:
            return found
        words = fold(text)
        named = {
            name
            for name in self._province_names
            if re.search(
                rf"(?<!\bxa )(?<!\bphuong )(?<!\bhuyen )(?<!\bquan )(?<!\btran )(?<!\btx )"
                rf"(?<!\btp )(?<!\bkhu )\b{re.escape(name)}\b",
                words,
            )
        }
        # a longer name holds a shorter one ("ba ria vung tau" and "vung tau"): the longest
        named = {n for n in named if not any(n != m and n in m for m in named)}
        return named.pop() if len(named) == 1 else None

    def resolve(
        self,
        code: object = None,
        name: object = None,
        province: object = None,
        on_date: date | None = None,
    ) -> str:
        """Resolve a unit to its era-qualified ``unit_code``.

        ``code``: a plain GSO code (era chosen by ``on_date``: before 2025-07-01 legacy) or
        an ``L``-prefixed one. ``name``: a unit name with or without prefix or abbreviation
        ("TP. Cao Lãnh", "Huyện An Lão", "P. Long Thành Trung, Thị xã Hòa Thành");
        ``province`` narrows names (names are only unique within a province).
        Raises :class:`UnitResolutionError` listing up to 5 close candidates.
        """
        era = era_for(on_date)
        key = (
            None if code is None else str(code).strip(),
            None if name is None else clean(name),
            None if province is None else clean(province),
            era,
        )
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        if key[0]:
            result = self._resolve_code(key[0], era)
        elif key[1]:
            result = self._resolve_name(key[1], key[2] or None, era, on_date)
        else:
            raise UnitResolutionError(
                "no unit given (neither a unit code nor a unit name)",
                "không có đơn vị (thiếu cả mã đơn vị và tên đơn vị)",
            )
        self._cache[key] = result
        return result

    def resolve_department(self, name: object, province_code: str, on_date: date | None = None) -> str | None:
        """The department (sở, ban, ngành) of the province ``province_code`` (a warehouse
        unit code, of either era) that ``name`` names ("Sở Tư pháp", "Sở TN&MT", "Sở Tư pháp
        tỉnh Đồng Tháp"), in the era of ``on_date``; None when it names none."""
        era = era_for(on_date)
        province = self.units.get(province_code)
        if province is None:
            return None
        if province.admin_era != era:  # the province's unit of the other era
            province_code = self._province_of_era(province, era) or province_code
        own = self._departments.get((era, province_code), {})
        names = (
            tuple(
                fold(n) for n in {self.units[province_code].unit_name, self.units[province_code].short_name}
            )
            if province_code in self.units
            else ()
        )
        short = tuple(
            fold(_PAREN_SUFFIX.sub("", n)).removeprefix("tinh ").removeprefix("thanh pho ") for n in names
        )
        key = departments.name_key(name, short)
        found = own.get(key)
        if found is None and era == "current" and key in departments.merged_into():
            # a department merged away in 2025 written after it: the one it became
            merged = departments.unit_code(province_code, departments.merged_into()[key])
            found = merged if merged in self.units else None
        return found

    def _province_of_era(self, province: Unit, era: str) -> str | None:
        if era == "current":
            return self._successor.get(province.unit_code)
        legacy = [code for code, current in self._successor.items() if current == province.unit_code]
        return legacy[0] if len(legacy) == 1 else None

    def _resolve_code(self, text: str, era: str) -> str:
        raw = text[:-2] if text.endswith(".0") else text
        if raw.upper() == "VN":
            return "VN"
        if raw[:1] in ("L", "l") and raw[1:].isdigit():
            if ("L" + raw[1:]) in self.units:
                return "L" + raw[1:]
            digits, era = raw[1:], "legacy"
        elif raw.isdigit():
            digits = raw
            if (era, digits) in self._by_gso:
                return self._by_gso[(era, digits)]
            padded = {
                self._by_gso[(era, digits.zfill(n))]
                for n in (2, 3, 5)
                if len(digits) < n and (era, digits.zfill(n)) in self._by_gso
            }
            if len(padded) == 1:
                return padded.pop()
        else:
            digits = raw
        era_vi = "trước 01/07/2025" if era == "legacy" else "từ 01/07/2025"
        era_en = "before 2025-07-01" if era == "legacy" else "from 2025-07-01"
        near = sorted(c for (e, g), c in self._by_gso.items() if e == era and g.startswith(digits[:3]))[:5]
        hint = self._format_candidates(near)
        raise UnitResolutionError(
            f"unknown unit code {text!r} (no {era} unit with that GSO code, {era_en}){hint}",
            f"mã đơn vị {text!r} không tồn tại (không có đơn vị hành chính {era_vi} với mã này){hint}",
            near,
        )

    def _split_prefix(self, key: str) -> tuple[str | None, str]:
        m = _PREFIX_RX.match(key)
        if not m:
            return None, key
        return _PREFIX_TYPE[m.group(1)], m.group(2)

    def _lookup(self, part: str, era: str) -> tuple[list[str], bool]:
        """Units whose name matches one part of a name; second value: a type was given."""
        key = fold(part)
        key = re.sub(r"^(?:ubnd|uy ban nhan dan)\s+", "", key)
        hits = list(dict.fromkeys(self._by_name.get((era, key), [])))
        if hits:
            utype, _ = self._split_prefix(key)
            full_match = [c for c in hits if fold(self.units[c].unit_name) == key]
            return (full_match or hits), bool(utype and full_match)
        utype, rest = self._split_prefix(key)
        if utype:
            hits = [
                c
                for c in dict.fromkeys(
                    self._by_name.get((era, rest), []) + self._by_compact.get((era, rest), [])
                )
                if self.units[c].unit_type == utype
                or (utype == "Tỉnh" and self.units[c].unit_kind == "province")
            ]
            if hits:
                return hits, True
        compact = key.replace(" ", "")
        return list(dict.fromkeys(self._by_compact.get((era, compact), []))), False

    def _resolve_name(self, name: str, province: str | None, era: str, on_date: date | None) -> str:
        parts = [p.strip() for p in name.split(",") if p.strip()]
        province_code = self.resolve_province(province, on_date) if province else None
        # a trailing part that is a province: "Thành phố Sa Đéc, tỉnh Đồng Tháp"
        if len(parts) > 1:
            try:
                tail_province = self.resolve_province(parts[-1], on_date)
            except UnitResolutionError:
                tail_province = None
            if tail_province:
                province_code = province_code or tail_province
                parts = parts[:-1]
        parent_code: str | None = None
        if len(parts) > 1:  # "Phường Long Thành Trung, Thị xã Hòa Thành"
            parent_code = self._pick(parts[-1], era, province_code, None, name)
            parts = parts[:1]
        return self._pick(parts[0], era, province_code, parent_code, name)

    def _pick(
        self,
        part: str,
        era: str,
        province_code: str | None,
        parent_code: str | None,
        whole: str,
    ) -> str:
        hits, typed = self._lookup(part, era)
        if province_code:
            hits = [c for c in hits if self.units[c].province_code == province_code]
        if parent_code:
            hits = [c for c in hits if self.units[c].parent_code == parent_code]
        if len(hits) > 1:
            # names equal without accents ("Xã Tân Thành", "Xã Tân Thạnh"): the accents decide
            exact = [c for c in hits if _accented(part) in self._accented_names(c)]
            if len(exact) == 1:
                hits = exact
        if len(hits) > 1 and not typed:
            # an unprefixed name that is both a district and a commune: the higher level
            best = min(_KIND_RANK[self.units[c].unit_kind] for c in hits)
            top = [c for c in hits if _KIND_RANK[self.units[c].unit_kind] == best]
            if len(top) == 1:
                hits = top
        if len(hits) == 1:
            return hits[0]
        where_en = f" in {self.units[province_code].unit_name}" if province_code else ""
        where_vi = f" thuộc {self.units[province_code].unit_name}" if province_code else ""
        if len(hits) > 1:
            hint = self._format_candidates(hits[:5])
            need = "" if province_code else " (give the province)"
            need_vi = "" if province_code else " (cần ghi rõ tỉnh)"
            raise UnitResolutionError(
                f"ambiguous unit name {whole!r}{where_en}{need}: {len(hits)} units match{hint}",
                f"tên đơn vị {whole!r}{where_vi} không rõ ràng{need_vi}: {len(hits)} đơn vị trùng tên{hint}",
                hits[:5],
            )
        pool = {
            fold(u.unit_name): u.unit_code
            for u in self.units.values()
            if u.admin_era == era
            and (province_code is None or u.province_code == province_code)
            and (parent_code is None or u.parent_code == parent_code)
        }
        pool.update(
            {
                fold(u.short_name): u.unit_code
                for u in self.units.values()
                if u.admin_era == era
                and (province_code is None or u.province_code == province_code)
                and (parent_code is None or u.parent_code == parent_code)
            }
        )
        raise self._not_found(whole, "unit", "đơn vị", pool, fold(part), where_en, where_vi)

    def _accented_names(self, code: str) -> set[str]:
        u = self.units[code]
        names = {_accented(u.unit_name), _accented(_PAREN_SUFFIX.sub("", u.short_name))}
        return names | {f"{_accented(u.unit_type)} {n}" for n in names}

    def _not_found(
        self,
        text: str,
        what: str,
        what_vi: str,
        pool: dict[str, str],
        key: str,
        where_en: str = "",
        where_vi: str = "",
    ) -> UnitResolutionError:
        _, rest = self._split_prefix(key)
        close = difflib.get_close_matches(rest, list(pool), n=10, cutoff=0.6)
        close += difflib.get_close_matches(key, list(pool), n=10, cutoff=0.6)
        codes = list(dict.fromkeys(pool[k] for k in close))[:5]
        hint = self._format_candidates(codes)
        return UnitResolutionError(
            f"unknown {what} {text!r}{where_en}{hint or ' (no close match)'}",
            f"không tìm thấy {what_vi} {text!r}{where_vi}"
            f"{hint.replace('closest', 'gần đúng nhất') or ' (không có tên gần đúng)'}",
            codes,
        )

    def _format_candidates(self, codes: list[str]) -> str:
        if not codes:
            return ""
        described = []
        for c in codes:
            u = self.units[c]
            prov = self.units.get(u.province_code)
            suffix = f", {prov.unit_name}" if prov and u.unit_kind != "province" else ""
            described.append(f"{u.unit_name} ({c}{suffix})")
        return "; closest: " + "; ".join(described)


@lru_cache(maxsize=1)
def _default_resolver() -> UnitResolver:
    return UnitResolver(build_admin_units(), build_successions())


def ensure_admin_units(con: duckdb.DuckDBPyConnection) -> None:
    """Load the administrative units if ``raw.admin_units`` is still empty."""
    ensure_schema(con)
    row = sqlfiles.execute(con, PACKAGE, "admin_units_count").fetchall()
    if not row or row[0][0] == 0:
        load_admin_units(con)

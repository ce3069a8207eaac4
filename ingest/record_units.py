"""Units of a record export named by name ("UBND xã Mỹ An", "Phường 1, TP. Cao Lãnh") rather
than by GSO code (INPUTS.md: a unit is its GSO code, or its name plus its province).

The few distinct names of a file (with their province cell, and whether the row is dated
before the 2025 reorganisation) are resolved once with :class:`ingest.admin_units.UnitResolver`
— in the era of the row's dates, a name of the legacy map in the legacy era — into a
temporary table the loader's unit expression looks up. A name that names no unit, or several
(a commune name found in several provinces, without a province in the row or in the file
name), refuses the file, naming the row and the column; a cell holding a GSO code is read as
that code.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import duckdb

from ingest import vocabulary
from ingest.admin_units import UnitResolver
from ingest.errors import IngestError, UnitResolutionError
from ingest.headers import HeaderMatch
from ingest.published_results import AGENCY_NAME
from ingest.text import fold

#: a unit cell that is a GSO code (``568``, ``L568``), not a name
_CODE = re.compile(r"L?\d{1,5}", re.IGNORECASE)
#: more distinct unit names than this in one export: a column of something else
MAX_UNIT_NAMES = 5000
TABLE = "temp._records_unit_names"
#: a province's code beside the name of one of its departments → the department
DEPARTMENTS_TABLE = "temp._records_code_departments"


def _refusal(file_name: str, en: str, vi: str, row: int | None, column: str | None) -> IngestError:
    return IngestError(en, vi, file_name=file_name, row=row, column=column)


def _department(resolver: UnitResolver, name: str, province: str | None, on_date: date) -> str:
    """The department a name names in the row's (or the file name's) province; refused
    when no province is given or the province has no department of that name."""
    if not province:
        raise UnitResolutionError(
            f"{name!r} names a department: give its province (a Tỉnh column, or the province"
            " in the file name)",
            f"{name!r} là cơ quan cấp tỉnh: cần ghi rõ tỉnh (cột Tỉnh, hoặc tên tỉnh trong tên tệp)",
        )
    province_code = resolver.resolve_province(province, on_date)
    code = resolver.resolve_department(name, province_code, on_date)
    if code is None:
        where = resolver.units[province_code].unit_name
        raise UnitResolutionError(
            f"no department of {where} is called {name!r} (ingest/config/departments.yaml lists them)",
            f"{where} không có cơ quan chuyên môn tên {name!r} (danh sách tại"
            " ingest/config/departments.yaml)",
        )
    return code


def unit_names_expr(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    stage: str,
    name_col: str,
    province_col: str | None,
    era_at: str,
) -> str:
    """The SQL of a staged row's warehouse unit code (``s.`` the stage), from its unit name
    and province cells: the names are resolved here, once each, into :data:`TABLE`.
    ``era_at``: the SQL of the timestamp that dates the row (its reception)."""
    reorganisation = vocabulary.reorganisation_date()
    legacy = f"coalesce(({era_at}) < timestamp '{reorganisation.isoformat()}', false)"
    province = f"s.{province_col}" if province_col else "cast(null as varchar)"
    found = con.execute(
        f"select s.{name_col}, {province}, {legacy}, min(s.source_row) from {stage} s"
        f" where s.{name_col} is not null group by all order by 4 limit {MAX_UNIT_NAMES + 1}"
    ).fetchall()
    column = match.column_name("unit_name")
    if len(found) > MAX_UNIT_NAMES:
        raise _refusal(
            file_name,
            f"more than {MAX_UNIT_NAMES} different unit names: the column is not a column of units",
            f"có hơn {MAX_UNIT_NAMES} tên đơn vị khác nhau: cột này không phải cột đơn vị",
            found[-1][3],
            column,
        )
    resolver = UnitResolver.from_connection(con)
    file_province = resolver.find_province_in_file_name(file_name)
    resolved: list[tuple[str, str | None, bool, str]] = []
    for name, province_cell, is_legacy, row in found:
        on_date = reorganisation - timedelta(days=1) if is_legacy else reorganisation
        try:
            if _CODE.fullmatch(name):
                code = resolver.resolve(code=name, on_date=on_date)
            elif AGENCY_NAME.match(fold(name)):  # a department (sở, ban, ngành) of the province
                code = _department(resolver, name, province_cell or file_province, on_date)
            else:
                code = resolver.resolve(name=name, province=province_cell or file_province, on_date=on_date)
        except UnitResolutionError as exc:
            era_en = "before the 2025 reorganisation" if is_legacy else "after the 2025 reorganisation"
            era_vi = "trước sắp xếp năm 2025" if is_legacy else "sau sắp xếp năm 2025"
            raise _refusal(
                file_name,
                f"unit {name!r} (rows dated {era_en}): {exc.message_en}",
                f"đơn vị {name!r} (hồ sơ tiếp nhận {era_vi}): {exc.message_vi}",
                row,
                column,
            ) from exc
        resolved.append((name, province_cell, is_legacy, code))
    con.execute(
        f"create or replace temp table {TABLE.split('.')[-1]}"
        " (unit_name varchar, province varchar, is_legacy boolean, unit_code varchar)"
    )
    if resolved:
        con.executemany(f"insert into {TABLE} values (?, ?, ?, ?)", resolved)
    return (
        f"(select m.unit_code from {TABLE} m where m.unit_name = s.{name_col}"
        f" and m.province is not distinct from {province} and m.is_legacy = {legacy})"
    )


def check_codes_against_names(
    con: duckdb.DuckDBPyConnection,
    match: HeaderMatch,
    file_name: str,
    stage: str,
    code_col: str,
    name_col: str | None,
    province_col: str | None,
    unit_expr: str,
) -> str | None:
    """A unit code beside a unit name or a province that name another unit refuses the file,
    naming both: the code is read, so a code that lost its leading zero (80 for Lào Cai's
    080, written beside "Thành phố Lào Cai" or "Lào Cai") would move the dossiers to another
    unit (Long An). A name that names no unit or several is not compared. A province's code
    beside the name of one of its departments ("82 | Sở Tư pháp") is that department: the
    SQL of the department's unit code (null for other rows) is returned, to be read before
    the code (None when no row names one)."""
    name = f"s.{name_col}" if name_col else "cast(null as varchar)"
    province = f"s.{province_col}" if province_col else "cast(null as varchar)"
    found = con.execute(
        f"select s.{code_col}, {unit_expr}, {name}, {province}, min(s.source_row) from {stage} s"
        f" where s.{code_col} is not null and ({name} is not null or {province} is not null)"
        f" group by all order by 5 limit {MAX_UNIT_NAMES}"
    ).fetchall()
    if not found:
        return None
    resolver = UnitResolver.from_connection(con)
    reorganisation = vocabulary.reorganisation_date()
    by_department: list[tuple[str, str, str]] = []
    for cell, code, name_cell, province_cell, row in found:
        unit = resolver.units.get(code)
        if unit is None:
            continue  # unknown codes are refused by their own check
        on_date = reorganisation - timedelta(days=1) if unit.admin_era == "legacy" else reorganisation
        if name_cell and unit.unit_kind == "province" and AGENCY_NAME.match(fold(name_cell)):
            department = resolver.resolve_department(name_cell, code, on_date)
            if department is not None:
                by_department.append((code, name_cell, department))
            continue
        other, column = None, None
        if province_cell:
            try:
                named_province = resolver.resolve_province(province_cell, on_date)
            except UnitResolutionError:
                named_province = None
            if named_province is not None and named_province != unit.province_code:
                other, column = resolver.units[named_province], match.column_name("province")
        if other is None and name_cell and not AGENCY_NAME.match(fold(name_cell)):
            try:
                named = resolver.resolve(name=name_cell, province=province_cell or None, on_date=on_date)
            except UnitResolutionError:
                named = None
            if named is not None and named != code:
                other, column = resolver.units[named], match.column_name("unit_name")
        if other is None:
            continue
        written = name_cell if column == match.column_name("unit_name") else province_cell
        raise _refusal(
            file_name,
            f"unit code {cell!r} names {unit.describe()}, but the row names {written!r}"
            f" ({other.describe()}, column {column}): correct the code or the name (a code that"
            " lost its leading zero: Excel reads 080 as 80; format the column as text)",
            f"mã đơn vị {cell!r} là mã của {unit.describe()}, nhưng dòng này ghi {written!r}"
            f" ({other.describe()}, cột {column}): sửa lại mã hoặc tên (mã bị mất số 0 ở đầu:"
            " Excel đọc 080 thành 80; hãy định dạng cột là văn bản)",
            row,
            match.column_name("unit_code"),
        )
    if not by_department or name_col is None:
        return None
    con.execute(
        f"create or replace temp table {DEPARTMENTS_TABLE.split('.')[-1]}"
        " (unit_code varchar, unit_name varchar, department_code varchar)"
    )
    con.executemany(f"insert into {DEPARTMENTS_TABLE} values (?, ?, ?)", by_department)
    return (
        f"(select m.department_code from {DEPARTMENTS_TABLE} m"
        f" where m.unit_code = {unit_expr} and m.unit_name = s.{name_col})"
    )

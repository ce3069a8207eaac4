"""The self-assessment table a unit fills in (Biểu tự đánh giá, chấm điểm Chỉ số CCHC).

``parwh template self_assessment --province … --year … [--unit …]`` writes, from the rubric
in force for that province, unit kind and year (the shipped rubrics and those loaded with
`parwh rubric load`, read from their files: no night needs to have run), the table a unit
scores itself on and sends back to the inbox, in the layout ``ingest/self_assessment.py``
reads: letterhead, "Đơn vị báo cáo: UBND …", the title "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ
CẢI CÁCH HÀNH CHÍNH NĂM …", a two-row header ("Điểm" merged over "Tối đa | Tự đánh giá"), a
numbering row, one row per rubric node with its number and the rubric's words, and a total
row.

The maxima are filled in; the self-score cells are left to the unit, parents and total row
included (the warehouse adds up the parts itself and checks any sum the unit states: a
formula there would store Excel's binary-float sum, 0.1 + 0.2 as 0.30000000000000004, a
stated sum that differs from its parts). Survey criteria are pre-filled "Chưa xác
định" (the Province measures them); computed criteria say that the warehouse computes them
from data (the unit still scores them, with evidence). Self-score cells of leaves carry a
decimal validation between 0 and the maximum (a warning, so that "Chưa xác định" can still
be written).

Which rubric applies: per rubric id and first year, the latest loaded file over a shipped
one; per rubric id, the version with the latest first year not after the year (and whose
own last year, if any, is not before it) — the choice ``int_rubric_versions`` makes for the
nights. Among the rubrics in force for the year, those of the province win over national
ones; ``--unit`` narrows them to the unit's kind (district, commune, province).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ingest import vocabulary as vocab
from ingest.admin_units import Unit, UnitResolver
from ingest.errors import ParseError
from ingest.text import fold_keep_punct
from reports import styles as st
from rubrics.loading import CheckedRubric, RubricFile, check_rubric_file, rubric_files
from rubrics.reader import RubricFileError
from rubrics.tree import Rubric, RubricNode, points_text
from settings import Settings

SOURCE = "self_assessment"
SHEET = "Tự đánh giá"
TITLE = "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"
PENDING = "Chưa xác định"  # ingest/self_assessment.py PENDING_WORDS: pending, never zero
UNIT_PLACEHOLDER = "……………………"
HEADER = 7  # the first of the two header rows
NUMBERING = HEADER + 2
FIRST = NUMBERING + 1
# (group label or None, label, width); "Điểm" spans the two points columns
COLUMNS: tuple[tuple[str | None, str, float], ...] = (
    (None, "STT", 7),
    (None, "Lĩnh vực, tiêu chí, tiêu chí thành phần", 62),
    ("Điểm", "Tối đa", 9),
    ("Điểm", "Tự đánh giá", 11),
    (None, "Tài liệu kiểm chứng", 32),
    (None, "Giải trình / Ghi chú", 40),
    (None, "Phương thức đánh giá", 20),
)
MAX_COL, SELF_COL, METHOD_COL = 3, 4, 7
AREA_FILL = PatternFill("solid", fgColor="FFF2CC")
SURVEY_FILL = PatternFill("solid", fgColor="E7E6E6")
COMPUTED_FILL = PatternFill("solid", fgColor="E2EFDA")
KIND_TARGET = {"province": "province", "district": "district", "commune": "commune"}
METHOD_NOTE = {
    "self_assessed": "Tự đánh giá",
    "survey": "Điều tra xã hội học (Tỉnh đo)",
    "computed": "Tính từ dữ liệu (kho dữ liệu tính)",
}
SURVEY_COMMENT = (
    "Điều tra xã hội học: Tỉnh đo và công bố điểm cuối năm; đơn vị không tự chấm (để 'Chưa xác định')."
)
COMPUTED_COMMENT = (
    "Kho dữ liệu tính điểm này từ số liệu báo cáo (chỉ tiêu {indicator}) và so sánh với điểm"
    " tự đánh giá; đơn vị vẫn tự chấm và ghi tài liệu kiểm chứng."
)


class NoRubricError(ValueError):
    """No rubric applies to the province (unit kind) and year; the message lists those there are."""


@dataclass(frozen=True)
class RubricVersion:
    found: RubricFile
    rubric: Rubric


@dataclass(frozen=True)
class Chosen:
    rubric: Rubric
    found: RubricFile
    province: Unit
    unit: Unit | None
    year: int


# --- which rubric ---------------------------------------------------------------------------


def _rubric_versions(settings: Settings) -> list[RubricVersion]:
    """Per rubric id and first year, the file that wins (loaded over shipped, the latest
    loaded first); a file that no longer reads stops the template, named."""
    best: dict[tuple[str, int], tuple[tuple, RubricVersion]] = {}
    for found in rubric_files(settings):
        try:
            checked: CheckedRubric = check_rubric_file(found.path)
        except RubricFileError as exc:
            raise ValueError(
                f"bộ tiêu chí {found.shown_name} không đọc được: {exc.message_vi()} / rubric file"
                f" {found.shown_name} does not read: {exc}"
            ) from exc
        meta = checked.rubric.meta
        rank = (found.origin == "loaded", found.loaded_at or datetime.min, found.path.name)
        key = (meta.rubric_id, meta.year_from)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, RubricVersion(found, checked.rubric))
    return [version for _, version in best.values()]


def rubrics_in_force(settings: Settings, year: int) -> list[RubricVersion]:
    """Per rubric id, the version that scores ``year`` (as ``int_rubric_versions`` does)."""
    by_id: dict[str, RubricVersion] = {}
    for version in _rubric_versions(settings):
        meta = version.rubric.meta
        if meta.year_from > year:
            continue
        kept = by_id.get(meta.rubric_id)
        if kept is None or meta.year_from > kept.rubric.meta.year_from:
            by_id[meta.rubric_id] = version
    return [
        v
        for v in sorted(by_id.values(), key=lambda v: v.rubric.meta.rubric_id)
        if v.rubric.meta.year_to is None or v.rubric.meta.year_to >= year
    ]


def _dates(year: int) -> list[date]:
    """The dates a unit is looked up on: the year's end, then its start (2025: the current
    units, then the legacy ones before 1 July)."""
    return [date(year, 12, 31), date(year, 1, 1)]


def _resolve(resolver: UnitResolver, province: str, unit: str | None, year: int) -> tuple[Unit, Unit | None]:
    """The province and the unit (a code such as L867 or 867, or a name), on the year's dates."""
    errors: list[ParseError] = []
    for on in _dates(year):
        try:
            prov = resolver.units[resolver.resolve_province(province, on)]
            if unit is None:
                return prov, None
            text = unit.strip()
            is_code = text.isdigit() or (text[:1] in "Ll" and text[1:].isdigit())
            code = (
                resolver.resolve(code=text, on_date=on)
                if is_code
                else resolver.resolve(name=text, province=prov.unit_code, on_date=on)
            )
        except ParseError as exc:
            errors.append(exc)
            continue
        found = resolver.units.get(code)
        if found is None or found.province_code != prov.unit_code:
            shown = found.describe() if found else code
            raise ValueError(
                f"đơn vị {shown} không thuộc {prov.describe()} / unit {shown} is not in {prov.describe()}"
            )
        return prov, found
    first = errors[0]
    raise ValueError(f"{first.message_vi} / {first.message_en}")


def _province_of(resolver: UnitResolver, rubric: Rubric, on: date) -> str | None:
    if rubric.meta.province is None:
        return None
    try:
        return resolver.resolve_province(rubric.meta.province, on)
    except ParseError:
        return ""  # a province that does not exist on that date matches none


def _describe(version: RubricVersion) -> str:
    meta = version.rubric.meta
    target = vocab.terms("rubric_targets")[meta.target].vi.lower()
    years = f"{meta.year_from}–{meta.year_to}" if meta.year_to else f"từ {meta.year_from}"
    where = meta.province or "toàn quốc"
    return f"{meta.rubric_id} ({meta.name_vi}; {target}, {where}, {years}; {version.found.shown_name})"


def choose_rubric(
    settings: Settings,
    *,
    province: str,
    year: int,
    unit: str | None = None,
    resolver: UnitResolver | None = None,
) -> Chosen:
    """The rubric a unit of ``province`` (or ``unit``) scores itself on in ``year``.

    Raises :class:`NoRubricError` (Vietnamese and English, listing the rubrics there are)
    when none applies, or when several apply and ``unit`` would tell them apart;
    ``ValueError`` for a province or unit that does not resolve."""
    resolver = resolver or UnitResolver.default()
    prov, found_unit = _resolve(resolver, province, unit, year)
    target = KIND_TARGET.get(found_unit.unit_kind) if found_unit else None
    on = date(year, 12, 31) if prov.admin_era == "current" else date(year, 1, 1)
    matching = [
        v
        for v in rubrics_in_force(settings, year)
        if _province_of(resolver, v.rubric, on) in (None, prov.unit_code)
        and (target is None or v.rubric.meta.target == target)
    ]
    own = [v for v in matching if v.rubric.meta.province is not None]
    candidates = own or matching
    where = f"{_lower_first(prov.unit_name)} ({prov.unit_code})"
    kind_vi = f", {vocab.terms('rubric_targets')[target].vi.lower()}" if target else ""
    if len(candidates) == 1:
        (chosen,) = candidates
        if found_unit is None and chosen.rubric.meta.target == "province":
            found_unit = prov  # a provincial rubric: the province scores itself
        return Chosen(chosen.rubric, chosen.found, prov, found_unit, year)
    if candidates:
        listed = "; ".join(_describe(v) for v in candidates)
        raise NoRubricError(
            f"{where} có {len(candidates)} bộ tiêu chí áp dụng năm {year}:"
            f" {listed}. Ghi --unit (tên hoặc mã đơn vị) để chọn / {len(candidates)} rubrics apply to"
            f" {prov.unit_name} in {year}: give --unit (a unit name or code) to choose"
        )
    every = [v for y in _years_known(settings) for v in rubrics_in_force(settings, y)]
    listed = "; ".join(sorted({_describe(v) for v in every})) or "(không có)"
    raise NoRubricError(
        f"Không có bộ tiêu chí Chỉ số CCHC cho {where}{kind_vi}, năm {year}."
        f" Các bộ tiêu chí hiện có: {listed}. Nạp bộ tiêu chí của năm bằng `parwh rubric load TỆP`"
        f" / No PAR INDEX rubric for {prov.unit_name} ({prov.unit_code}){kind_vi and ' (' + target + ')'}"
        f" in {year}; load one with `parwh rubric load FILE`"
    )


def _years_known(settings: Settings) -> list[int]:
    return sorted({v.rubric.meta.year_from for v in _rubric_versions(settings)})


# --- the workbook ---------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return f"{text[:1].lower()}{text[1:]}"


def _ubnd(unit: Unit) -> str:
    """ "Thành phố Sa Đéc" → "UBND thành phố Sa Đéc"."""
    return f"UBND {_lower_first(unit.unit_name)}"


def _reporting_line(chosen: Chosen) -> str:
    prov_words = _lower_first(chosen.province.unit_name)
    if chosen.unit is None:
        return f"Đơn vị báo cáo: UBND {UNIT_PLACEHOLDER}, {prov_words}"
    if chosen.unit.unit_kind == "province":
        return f"Đơn vị báo cáo: {_ubnd(chosen.unit)}"
    return f"Đơn vị báo cáo: {_ubnd(chosen.unit)}, {prov_words}"


def _points(value: Decimal) -> float | int:
    """A maximum as Excel stores numbers (16.5 reads back as Decimal('16.5'))."""
    return int(value) if value == value.to_integral_value() else float(value)


def _leaf_validation(node: RubricNode) -> DataValidation:
    top = points_text(node.max_points)
    return DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(node.max_points),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Điểm tự đánh giá",
        error=f"Điểm từ 0 đến {top} (ghi 'Chưa xác định' nếu chưa có kết quả).",
        showInputMessage=True,
        promptTitle="Điểm tự đánh giá",
        prompt=f"Từ 0 đến {top} điểm",
    )


def build_workbook(chosen: Chosen) -> Workbook:
    """The self-assessment table of ``chosen`` as a workbook (one sheet)."""
    rubric, year = chosen.rubric, chosen.year
    ncols = len(COLUMNS)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET

    def line(row: int, text: str, *, font: Font | None = None, first: int = 1, last: int = ncols) -> None:
        cell = ws.cell(row=row, column=first, value=text)
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if font is not None:
            cell.font = font

    letterhead = _ubnd(chosen.unit).upper() if chosen.unit else f"UBND {UNIT_PLACEHOLDER}"
    line(1, letterhead, font=st.BOLD, first=1, last=2)
    line(1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=st.BOLD, first=3, last=ncols)
    line(2, "Độc lập - Tự do - Hạnh phúc", font=st.BOLD, first=3, last=ncols)
    reporting = ws.cell(row=3, column=1, value=_reporting_line(chosen))
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncols)
    reporting.alignment = Alignment(horizontal="left")
    line(4, TITLE.format(year=year), font=st.TITLE)
    ws.row_dimensions[4].height = 24
    line(5, f"(Theo {rubric.meta.name_vi})", font=Font(italic=True))
    ws.row_dimensions[5].height = 30

    # header: "Điểm" over "Tối đa | Tự đánh giá"; the other labels span both rows
    for j, (group, label, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
        if group is None:
            ws.cell(row=HEADER, column=j, value=label)
            ws.merge_cells(start_row=HEADER, start_column=j, end_row=HEADER + 1, end_column=j)
        else:
            ws.cell(row=HEADER + 1, column=j, value=label)
    ws.cell(row=HEADER, column=MAX_COL, value="Điểm")
    ws.merge_cells(start_row=HEADER, start_column=MAX_COL, end_row=HEADER, end_column=SELF_COL)
    for j in range(1, ncols + 1):
        ws.cell(row=NUMBERING, column=j, value=f"({j})")
        for r in range(HEADER, NUMBERING + 1):
            cell = ws.cell(row=r, column=j)
            cell.font = st.BOLD
            cell.alignment = st.HEADER_ALIGN
            cell.border = st.BORDER
            cell.fill = st.HEADER_FILL
    ws.row_dimensions[HEADER].height = 22
    ws.row_dimensions[HEADER + 1].height = 22

    r = FIRST
    leaf_cells: list[tuple[int, RubricNode]] = []
    for node in rubric.nodes:
        children = rubric.children(node.code)
        number = ws.cell(row=r, column=1, value=node.ordinal)
        number.alignment = Alignment(horizontal="center", vertical="top")
        name = ws.cell(row=r, column=2, value=node.name_vi)
        name.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=r, column=MAX_COL, value=_points(node.max_points))
        score = ws.cell(row=r, column=SELF_COL)
        if node.parent_code is None:
            for j in range(1, ncols + 1):
                ws.cell(row=r, column=j).font = st.BOLD
                ws.cell(row=r, column=j).fill = AREA_FILL
        elif children:
            for j in range(1, ncols + 1):
                ws.cell(row=r, column=j).font = st.BOLD
        if not children:
            ws.cell(row=r, column=METHOD_COL, value=METHOD_NOTE.get(node.method, node.method))
            if node.method == "survey":
                score.value = PENDING
                score.fill = SURVEY_FILL
                score.comment = Comment(SURVEY_COMMENT, "PAR Warehouse")
            else:
                if node.method == "computed":
                    score.fill = COMPUTED_FILL
                    score.comment = Comment(
                        COMPUTED_COMMENT.format(indicator=node.indicator_code or "—"), "PAR Warehouse"
                    )
                leaf_cells.append((r, node))
        for j in (5, 6, METHOD_COL):
            ws.cell(row=r, column=j).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    total_row = r
    ws.cell(row=total_row, column=1, value="Tổng cộng")
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=2)
    ws.cell(row=total_row, column=MAX_COL, value=_points(rubric.total))
    for j in range(1, ncols + 1):
        ws.cell(row=total_row, column=j).font = st.BOLD
        ws.cell(row=total_row, column=j).fill = st.TOTAL_FILL
    st.grid(ws, FIRST, total_row, ncols)
    for row, node in leaf_cells:
        dv = _leaf_validation(node)
        dv.add(f"{get_column_letter(SELF_COL)}{row}")
        ws.add_data_validation(dv)

    by_method = rubric.points_by_method()
    methods = "; ".join(
        f"{vocab.terms('rubric_methods')[m].vi} {points_text(by_method[m])}"
        for m in ("self_assessed", "computed", "survey")
        if m in by_method
    )
    notes = [
        f"Ghi chú: bộ tiêu chí {rubric.meta.rubric_id}, {points_text(rubric.total)} điểm ({methods}).",
        "Đơn vị ghi điểm tự đánh giá của từng tiêu chí, tiêu chí thành phần (không có nội dung thành"
        " phần) cùng tài liệu kiểm chứng (số, ký hiệu, ngày văn bản) và giải trình khi không đạt"
        " điểm tối đa. Dòng lĩnh vực, tiêu chí có nội dung thành phần và dòng Tổng cộng: có thể để"
        " trống (kho dữ liệu tự cộng) hoặc ghi tổng điểm các nội dung thành phần.",
        "Tiêu chí điều tra xã hội học (ô màu xám) do Tỉnh đo: để 'Chưa xác định'. Tiêu chí tính từ"
        " dữ liệu (ô màu xanh) do kho dữ liệu tính từ số liệu báo cáo và so sánh với điểm đơn vị"
        " tự chấm. Điểm chưa có kết quả: ghi 'Chưa xác định' (không ghi 0).",
        "Không sửa số thứ tự, tên tiêu chí và điểm tối đa; không thêm, bớt dòng.",
    ]
    for i, text in enumerate(notes):
        row = total_row + 2 + i
        cell = ws.cell(row=row, column=1, value=text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(italic=True)
        ws.row_dimensions[row].height = 32
    ws.freeze_panes = ws.cell(row=FIRST, column=3)
    st.print_setup(ws, NUMBERING)
    ws.print_title_rows = f"{HEADER}:{NUMBERING}"
    return wb


def _slug(text: str) -> str:
    return "_".join(fold_keep_punct(text).replace("/", " ").split())


def template_path(out: Path, chosen: Chosen) -> Path:
    """``out`` itself when it names an .xlsx file, else ``bieu_self_assessment_<unit or
    province>_<year>.xlsx`` inside the folder ``out``."""
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        out.parent.mkdir(parents=True, exist_ok=True)
        return out
    out.mkdir(parents=True, exist_ok=True)
    who = chosen.unit or chosen.province
    return out / f"bieu_{SOURCE}_{_slug(who.short_name or who.unit_name)}_{chosen.year}.xlsx"


def write_self_assessment_template(
    out: Path,
    *,
    settings: Settings,
    province: str,
    year: int,
    unit: str | None = None,
) -> tuple[Path, Chosen]:
    """Write the self-assessment table of ``unit`` (or of any unit of the rubric's kind in
    ``province``) for ``year`` into ``out`` (a folder or an .xlsx file); the path and the
    rubric chosen. Raises :class:`NoRubricError` or ``ValueError`` (Vietnamese and English)."""
    chosen = choose_rubric(settings, province=province, year=year, unit=unit)
    path = template_path(out, chosen)
    build_workbook(chosen).save(path)
    return path, chosen

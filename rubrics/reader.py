"""Read a rubric file (docs/rubrics.md) into a :class:`~rubrics.tree.Rubric`.

The file is read with the ingest readers (the same formats and limits as submissions:
``.xlsx``, ``.xls``, ``.ods``, ``.csv``). Its title block gives the rubric's identity, its
header row the columns (found by their names, in any order), its STT column the tree.
Anything the reader cannot understand is an :class:`~ingest.errors.IngestError` naming the
file, sheet, row and column; :func:`read_rubric` raises :class:`RubricFileError` with every
problem of the file, the checks of :func:`rubrics.tree.check` included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ingest import vocabulary
from ingest.errors import IngestError, ParseError
from ingest.hierarchy import Level, Ordinal, Outline, read_ordinal
from ingest.numbers import parse_number
from ingest.readers import Sheet, read_sheets
from ingest.text import clean, fold
from rubrics.tree import Band, Rubric, RubricMeta, RubricNode, ThresholdStep, check

#: the columns of a rubric table: field → accepted headers (folded before comparing)
COLUMNS: dict[str, tuple[str, ...]] = {
    "ordinal": ("stt", "tt", "so tt", "so thu tu"),
    "name": (
        "linh vuc tieu chi tieu chi thanh phan",
        "linh vuc tieu chi",
        "noi dung",
        "noi dung danh gia",
        "noi dung tieu chi",
        "tieu chi",
        "ten tieu chi",
        "linh vuc tieu chi tieu chi thanh phan noi dung",
    ),
    "max_points": ("diem toi da", "diem chuan", "thang diem", "diem toi da diem"),
    "method": ("phuong thuc danh gia", "cach danh gia", "hinh thuc danh gia", "phuong phap danh gia"),
    "indicator": ("chi tieu du lieu", "ma chi tieu", "ma chi tieu du lieu"),
    "level": ("cap giai quyet",),
    "rule": ("cach tinh diem", "quy tac cham", "quy tac cham diem", "cach cham diem"),
    "full_points_at": ("dat diem toi da khi", "dat diem toi da khi %", "muc dat diem toi da"),
    "steps": ("bac diem", "cac bac diem", "muc diem"),
    "rounding": ("lam tron",),
    "not_applicable": ("khong ap dung khi", "truong hop khong ap dung"),
    "notes": ("ghi chu", "giai thich", "huong dan cham", "huong dan cham diem"),
}
REQUIRED = ("ordinal", "name", "max_points")
#: the title block's labels: field → accepted labels (folded)
TITLE_LABELS: dict[str, tuple[str, ...]] = {
    "rubric_id": ("ma bo tieu chi",),
    "name": ("ten bo tieu chi",),
    "province": ("tinh", "tinh thanh pho", "tinh thanh pho truc thuoc trung uong"),
    "target": ("doi tuong", "ap dung cho", "cap danh gia", "doi tuong ap dung"),
    "year_from": ("ap dung tu nam", "nam ap dung", "tu nam"),
    "year_to": ("ap dung den nam", "den nam"),
    "score_decimals": ("lam tron chi so",),
    "bands": ("xep loai",),
    "basis": ("can cu",),
    "notes": ("ghi chu",),
}
NATIONAL_WORDS = ("toan quoc", "ca nuoc", "trung uong", "")
ALL_LEVELS_WORDS = ("tat ca", "chung", "all", "moi cap")
HEADER_SCAN_ROWS = 40
_RUBRIC_ID = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_STEP = re.compile(r"^\s*(?:≥|>=|từ|tu)?\s*(?P<value>-?[\d.,]+)\s*%?\s*[:=→]\s*(?P<share>[\d.,]+)\s*$")
_BAND = re.compile(r"^\s*(?P<name>[^:]+?)\s*[:=]\s*(?:≥|>=|từ)?\s*(?P<score>[\d.,]+)\s*%?\s*$")


class RubricFileError(Exception):
    """A rubric file that cannot be loaded, with every problem found (row and column each)."""

    def __init__(self, file_name: str, problems: list[IngestError]) -> None:
        self.file_name = file_name
        self.problems = problems
        shown = problems[:20]
        more = len(problems) - len(shown)
        lines = [f"  {p.location()}: {p.message_en}" for p in shown]
        if more:
            lines.append(f"  … and {more} more")
        super().__init__(f"{file_name}: {len(problems)} problem(s)\n" + "\n".join(lines))

    def message_vi(self) -> str:
        shown = self.problems[:20]
        lines = [f"  {p.location_vi()}: {p.message_vi}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  … và {len(self.problems) - len(shown)} lỗi khác")
        return f"{self.file_name}: {len(self.problems)} lỗi\n" + "\n".join(lines)


@dataclass
class _Open:
    """A node being read: its fields so far (the name may continue on the next rows)."""

    code: str
    parent: _Open | None
    level: int
    ordinal: Ordinal
    row: int
    cells: dict[str, object]
    name: str


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for j, cell in enumerate(row):
            label = fold(cell)
            for field_name, aliases in COLUMNS.items():
                if field_name not in found and label in aliases:
                    found[field_name] = j
        if all(name in found for name in REQUIRED):
            return i, found
    return None


def _title_block(rows: list[tuple]) -> tuple[dict[str, tuple[str, int]], list[str]]:
    """The labelled values above the header (field → (value, row)) and the other lines."""
    values: dict[str, tuple[str, int]] = {}
    lines: list[str] = []
    for i, row in enumerate(rows):
        cells = [clean(c) for c in row if clean(c)]
        if not cells:
            continue
        label, value = None, None
        if ":" in cells[0]:
            label, _, value = cells[0].partition(":")
            value = " ".join([value.strip(), *cells[1:]]).strip()
        elif len(cells) >= 2:
            label, value = cells[0], " ".join(cells[1:])
        field_name = None
        if label is not None:
            folded = fold(label)
            field_name = next((f for f, labels in TITLE_LABELS.items() if folded in labels), None)
        if field_name and field_name not in values:
            values[field_name] = (str(value).strip(), i + 1)
        else:
            lines.append(" ".join(cells))
    return values, lines


def _lookup(section: str, cell: object) -> str | None:
    return vocabulary.lookup(section, cell)


def _decimal(cell: object) -> Decimal:
    return parse_number(cell)


def _steps(text: str) -> tuple[ThresholdStep, ...]:
    steps = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        match = _STEP.match(part)
        if not match:
            raise ParseError(
                f"cannot read the step {part.strip()!r} (write ≥95: 1; ≥80: 0,75)",
                f"không đọc được bậc {part.strip()!r} (ghi ≥95: 1; ≥80: 0,75)",
            )
        steps.append(ThresholdStep(parse_number(match["value"]), parse_number(match["share"])))
    return tuple(sorted(steps, key=lambda s: s.min_value, reverse=True))


def _bands(text: str) -> tuple[Band, ...]:
    bands = []
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        match = _BAND.match(part)
        if not match:
            raise ParseError(
                f"cannot read the band {part.strip()!r} (write Tốt: 90; Khá: 80)",
                f"không đọc được mức xếp loại {part.strip()!r} (ghi Tốt: 90; Khá: 80)",
            )
        bands.append(Band(clean(match["name"]), parse_number(match["score"])))
    return tuple(sorted(bands, key=lambda b: b.min_score, reverse=True))


class _Reader:
    def __init__(self, path: Path, sheet: Sheet, header_at: int, columns: dict[str, int]) -> None:
        self.path = path
        self.sheet = sheet
        self.header_at = header_at
        self.columns = columns
        self.problems: list[IngestError] = []
        self.outline = Outline(
            read_ordinal(self._cell(row, "ordinal")) for row in sheet.rows[header_at + 1 :]
        )

    def _cell(self, row: tuple, field_name: str) -> object:
        j = self.columns.get(field_name)
        return row[j] if j is not None and j < len(row) else None

    def _header_of(self, field_name: str) -> str:
        j = self.columns[field_name]
        return clean(self.sheet.rows[self.header_at][j]) or _column_name(j)

    def problem(self, row: int | None, field_name: str | None, error: ParseError | tuple[str, str]) -> None:
        en, vi = (error.message_en, error.message_vi) if isinstance(error, ParseError) else error
        column = self._header_of(field_name) if field_name and field_name in self.columns else field_name
        self.problems.append(
            IngestError(en, vi, file_name=self.path.name, sheet=self.sheet.name, row=row, column=column)
        )

    # the tree -------------------------------------------------------------------------
    def read(self) -> tuple[list[_Open], Decimal | None, int | None]:
        opened: list[_Open] = []
        by_code: dict[str, _Open] = {}
        stated_total: Decimal | None = None
        total_row: int | None = None
        for offset, row in enumerate(self.sheet.rows[self.header_at + 1 :]):
            row_no = self.header_at + 2 + offset
            ordinal = read_ordinal(self._cell(row, "ordinal"))
            name = clean(self._cell(row, "name"))
            max_cell = self._cell(row, "max_points")
            has_max = clean(max_cell) != ""
            if ordinal.is_total:
                if has_max:
                    try:
                        stated_total, total_row = _decimal(max_cell), row_no
                    except ParseError as exc:
                        self.problem(row_no, "max_points", exc)
                continue
            if not ordinal.is_node:
                if not any(clean(c) for c in row):
                    continue
                if has_max:
                    self.problem(
                        row_no,
                        "ordinal",
                        (
                            f"a row with {clean(max_cell)} points has no number (STT): number it"
                            " (I, 1, 1.1, a, -) so that its place in the rubric is known",
                            f"dòng có {clean(max_cell)} điểm nhưng không có số thứ tự (STT): ghi số"
                            " (I, 1, 1.1, a, -) để biết vị trí của nó trong bộ tiêu chí",
                        ),
                    )
                elif opened and name:  # the name of the row above, wrapped
                    opened[-1].name = f"{opened[-1].name} {name}".strip()
                continue
            if ordinal.level == Level.COMPONENT and not has_max:
                # a bullet without points describes the row above: kept in its notes
                if self.outline.deepest in by_code and name:
                    parent = by_code[self.outline.deepest]
                    note = clean(parent.cells.get("notes"))
                    parent.cells["notes"] = f"{note}\n- {name}".strip()
                continue
            placed = self.outline.place(ordinal)
            if placed is None:
                self.problem(
                    row_no,
                    "ordinal",
                    (
                        f"number {ordinal.label!r} has no row above it to belong to (an area I, II …"
                        " before its criteria 1, 2 …, a criterion before its sub-criteria)",
                        f"số thứ tự {ordinal.label!r} không thuộc dòng nào ở trên (lĩnh vực I, II … phải"
                        " đứng trước tiêu chí 1, 2 …, tiêu chí trước tiêu chí thành phần)",
                    ),
                )
                continue
            parent = by_code.get(placed.parent_code) if placed.parent_code else None
            node = _Open(
                placed.code,
                parent,
                placed.level,
                ordinal,
                row_no,
                {f: self._cell(row, f) for f in self.columns},
                name,
            )
            by_code.setdefault(placed.code, node)
            opened.append(node)
        return opened, stated_total, total_row

    # one node ---------------------------------------------------------------------------
    def node(self, item: _Open, inherited_method: str | None) -> RubricNode | None:
        cells = item.cells
        row = item.row
        try:
            max_points = _decimal(cells.get("max_points"))
        except ParseError as exc:
            self.problem(row, "max_points", exc)
            return None
        method_cell = clean(cells.get("method"))
        method = _lookup("rubric_methods", method_cell) if method_cell else None
        if method_cell and method is None:
            self.problem(
                row,
                "method",
                (
                    f"unknown method {method_cell!r} (Tự đánh giá, Điều tra xã hội học, Dữ liệu)",
                    f"phương thức đánh giá {method_cell!r} không rõ (Tự đánh giá, Điều tra xã hội học,"
                    " Dữ liệu)",
                ),
            )
        if method is None:
            folded = fold(item.name)
            surveyed = "dieu tra xa hoi hoc" in folded or "dtxhh" in folded.split() or "sipas" in folded
            method = inherited_method or ("survey" if surveyed else "self_assessed")
        indicator = clean(cells.get("indicator")) or None
        level_cell = clean(cells.get("level"))
        level = None
        if level_cell:
            level = "all" if fold(level_cell) in ALL_LEVELS_WORDS else _lookup("authority_levels", level_cell)
            if level is None:
                self.problem(
                    row,
                    "level",
                    (
                        f"unknown level {level_cell!r} (tỉnh, huyện, xã, tất cả)",
                        f"cấp giải quyết {level_cell!r} không rõ (tỉnh, huyện, xã, tất cả)",
                    ),
                )
        rule_cell = clean(cells.get("rule"))
        rule = _lookup("rubric_rules", rule_cell) if rule_cell else None
        if rule_cell and rule is None:
            self.problem(
                row,
                "rule",
                (
                    f"unknown rule {rule_cell!r} (Tỷ lệ, Theo bậc, Đạt/không đạt)",
                    f"cách tính điểm {rule_cell!r} không rõ (Tỷ lệ, Theo bậc, Đạt/không đạt)",
                ),
            )
        rounding_cell = clean(cells.get("rounding"))
        rounding = _lookup("rubric_roundings", rounding_cell) if rounding_cell else "round_half_up_2"
        if rounding is None:
            self.problem(
                row,
                "rounding",
                (
                    f"unknown rounding {rounding_cell!r}"
                    " (2 chữ số, làm tròn; 2 chữ số, cắt bỏ; không làm tròn)",
                    f"cách làm tròn {rounding_cell!r} không rõ (2 chữ số, làm tròn; 2 chữ số, cắt bỏ;"
                    " không làm tròn)",
                ),
            )
            rounding = "round_half_up_2"
        full_points_at = None
        if clean(cells.get("full_points_at")):
            try:
                full_points_at = _decimal(cells.get("full_points_at"))
            except ParseError as exc:
                self.problem(row, "full_points_at", exc)
        steps: tuple[ThresholdStep, ...] = ()
        if clean(cells.get("steps")):
            try:
                steps = _steps(clean(cells.get("steps")))
            except ParseError as exc:
                self.problem(row, "steps", exc)
        return RubricNode(
            code=item.code,
            parent_code=item.parent.code if item.parent else None,
            level=item.level,
            ordinal=item.ordinal.label,
            name_vi=item.name,
            max_points=max_points,
            method=method,
            source_row=row,
            indicator_code=indicator,
            authority_level=level,
            rule=rule,
            full_points_at=full_points_at,
            threshold_steps=steps,
            rounding=rounding,
            not_applicable_when=clean(cells.get("not_applicable")) or None,
            notes=clean(cells.get("notes")) or None,
        )

    # the title block ----------------------------------------------------------------------
    def meta(self) -> RubricMeta | None:
        values, lines = _title_block(list(self.sheet.rows[: self.header_at]))

        def value(field_name: str) -> tuple[str, int | None]:
            found = values.get(field_name)
            return (found[0], found[1]) if found else ("", None)

        ok = True

        def missing(label: str, en: str, vi: str) -> None:
            nonlocal ok
            ok = False
            self.problem(None, label, (en, vi))

        rubric_id, id_row = value("rubric_id")
        if not rubric_id:
            missing(
                "Mã bộ tiêu chí",
                "the title block has no 'Mã bộ tiêu chí: …' line (the rubric's identifier)",
                "phần đầu thiếu dòng 'Mã bộ tiêu chí: …' (mã của bộ tiêu chí)",
            )
        elif not _RUBRIC_ID.match(rubric_id):
            ok = False
            self.problem(
                id_row,
                "Mã bộ tiêu chí",
                (
                    f"identifier {rubric_id!r}: use lowercase letters without accents, digits and _",
                    f"mã {rubric_id!r}: chỉ dùng chữ thường không dấu, chữ số và dấu _",
                ),
            )
        target_text, target_row = value("target")
        target = _lookup("rubric_targets", target_text) if target_text else None
        if target is None:
            ok = False
            said = repr(target_text) if target_text else None
            self.problem(
                target_row,
                "Đối tượng",
                (
                    f"whom the rubric scores is {said or 'missing'}: write 'Đối tượng: cấp tỉnh',"
                    " 'cấp huyện', 'cấp xã' or 'sở, ban, ngành'",
                    f"{'đối tượng ' + said + ' không rõ' if said else 'thiếu đối tượng'}: ghi"
                    " 'Đối tượng: cấp tỉnh', 'cấp huyện', 'cấp xã' hoặc 'sở, ban, ngành'",
                ),
            )
        years: dict[str, int | None] = {"year_from": None, "year_to": None}
        for field_name in years:
            text, row = value(field_name)
            if not text:
                continue
            match = re.search(r"\b(19|20)\d{2}\b", text)
            if match:
                years[field_name] = int(match.group(0))
            else:
                ok = False
                self.problem(
                    row,
                    "Năm",
                    (f"cannot read a year in {text!r}", f"không đọc được năm trong {text!r}"),
                )
        if years["year_from"] is None and ok:
            missing(
                "Áp dụng từ năm",
                "the title block has no 'Áp dụng từ năm: …' line",
                "phần đầu thiếu dòng 'Áp dụng từ năm: …'",
            )
        decimals_text, decimals_row = value("score_decimals")
        score_decimals = 2
        if decimals_text:
            digits = re.search(r"\d+", decimals_text)
            if digits and int(digits.group(0)) <= 4:
                score_decimals = int(digits.group(0))
            else:
                ok = False
                self.problem(
                    decimals_row,
                    "Làm tròn chỉ số",
                    (
                        f"score decimals {decimals_text!r}: write a number from 0 to 4",
                        f"số chữ số thập phân {decimals_text!r}: ghi một số từ 0 đến 4",
                    ),
                )
        bands: tuple[Band, ...] = ()
        bands_text, bands_row = value("bands")
        if bands_text:
            try:
                bands = _bands(bands_text)
            except ParseError as exc:
                ok = False
                self.problem(bands_row, "Xếp loại", exc)
        province_text, _ = value("province")
        province = None if fold(province_text) in NATIONAL_WORDS else province_text
        name_text, _ = value("name")
        if not ok or target is None or years["year_from"] is None:
            return None
        return RubricMeta(
            rubric_id=rubric_id,
            name_vi=name_text or (lines[0] if lines else rubric_id),
            target=target,
            year_from=years["year_from"],
            year_to=years["year_to"],
            province=province,
            score_decimals=score_decimals,
            bands=bands,
            basis=value("basis")[0] or None,
            notes=value("notes")[0] or None,
        )


def read_rubric(path: Path, known_indicators: frozenset[str] | None = None) -> Rubric:
    """The rubric of a file; raises :class:`RubricFileError` listing every problem."""
    path = Path(path)
    try:
        sheets = read_sheets(path)
    except ParseError as exc:
        raise RubricFileError(path.name, [IngestError.from_parse_error(exc, file_name=path.name)]) from exc
    for sheet in sheets:
        header = _find_header(sheet)
        if header is None:
            continue
        reader = _Reader(path, sheet, *header)
        meta = reader.meta()
        opened, stated_total, total_row = reader.read()
        methods: dict[str, str] = {}
        nodes: list[RubricNode] = []
        for item in opened:
            inherited = methods.get(item.parent.code) if item.parent else None
            node = reader.node(item, inherited)
            if node is not None:
                nodes.append(node)
                if node.method != "self_assessed" or clean(item.cells.get("method")):
                    methods[node.code] = node.method  # its parts are scored the same way
        rubric = Rubric(
            # the tree is checked even when the title block is wrong: every problem at once
            meta=meta or RubricMeta(rubric_id="", name_vi="", target="", year_from=0),
            nodes=tuple(nodes),
            file_name=path.name,
            sheet=sheet.name,
            stated_total=stated_total,
            stated_total_row=total_row,
        )
        problems = reader.problems + check(rubric, known_indicators)
        if meta is None or problems:
            raise RubricFileError(path.name, sorted(problems, key=lambda p: p.row or 0))
        return rubric
    raise RubricFileError(
        path.name,
        [
            IngestError(
                "no sheet has a header row with STT, the criteria's names and 'Điểm tối đa'",
                "không trang tính nào có dòng tiêu đề gồm STT, tên tiêu chí và 'Điểm tối đa'",
                file_name=path.name,
            )
        ],
    )

"""Keep rejected files aside: ``<quarantine>/<id>_<safe name>`` plus ``.error.txt``.

File and sheet names are never used as path components as they are: only a sanitised
base name, prefixed with the start of the file's sha256, is. Personal columns are removed
from the copy (a scrubbed copy is written, never the original, for survey files and for
any file where a personal column is found). The scrubbed copy of a spreadsheet or Word
file (``.xlsx``, ``.xls``, ``.ods``, ``.docx``) is an ``.xlsx`` workbook with the same
sheets (a Word file's tables, ``Bảng 1``…) and merged ranges; of a CSV file, a CSV file.
When no scrubbed copy can be written, none is kept.
"""

from __future__ import annotations

import csv
import logging
import re
import shutil
from pathlib import Path, PurePosixPath, PureWindowsPath

from ingest.errors import IngestError, ReadError
from ingest.headers import HEADER_SCAN_ROWS, is_personal_label
from ingest.readers import Sheet, file_kind, read_sheets
from ingest.text import fold, is_blank, strip_accents

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SHEET_TITLE_UNSAFE = re.compile(r"[\\*?:/\[\]]")
MAX_NAME = 120
# kinds read (and scrubbed into an .xlsx copy) when they may hold personal columns
WORKBOOK_KINDS = ("xlsx", "xls", "ods", "docx")
log = logging.getLogger(__name__)


def safe_name(file_name: str, file_id: str) -> str:
    """A harmless file name: base name only, ASCII letters, digits, ``._-``, no leading
    dots, prefixed with 12 hex digits of the file's sha256."""
    base = PureWindowsPath(PurePosixPath(str(file_name)).name).name
    ascii_name = _UNSAFE.sub("_", strip_accents(base)).strip("._") or "file"
    if len(ascii_name) > MAX_NAME:
        ascii_name = ascii_name[-MAX_NAME:].lstrip("._") or "file"
    prefix = re.sub(r"[^0-9a-f]", "", str(file_id).lower())[:12] or "nohash"
    return f"{prefix}_{ascii_name}"


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for i in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not candidate.exists():
            return candidate
    return path


def personal_columns(sheet: Sheet) -> set[int]:
    """Columns whose header (within the first rows) is a personal-data label."""
    found: set[int] = set()
    for row in sheet.rows[:HEADER_SCAN_ROWS]:
        for i, value in enumerate(row):
            if isinstance(value, str) and len(fold(value).split()) <= 6 and is_personal_label(value):
                found.add(i)
    return found


def _scrub(sheet: Sheet, drop: set[int]) -> list[list]:
    return [[v for i, v in enumerate(row) if i not in drop] for row in sheet.rows]


def _scrub_merges(merges: list[tuple[int, int, int, int]], drop: set[int]) -> list[str]:
    """Merged ranges (as ``A1:C2`` references) once the ``drop`` columns are removed."""
    from openpyxl.utils import get_column_letter

    refs = []
    for r0, c0, r1, c1 in merges:
        kept = [c - sum(1 for d in drop if d < c) for c in range(c0, c1 + 1) if c not in drop]
        if kept and (r1 > r0 or kept[-1] > kept[0]):
            first, last = get_column_letter(kept[0] + 1), get_column_letter(kept[-1] + 1)
            refs.append(f"{first}{r0 + 1}:{last}{r1 + 1}")
    return refs


def _cell(value: object) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if is_blank(value):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses
    return value


def _write_xlsx(sheets: list[Sheet], dest: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for n, sheet in enumerate(sheets):
        title = _SHEET_TITLE_UNSAFE.sub("_", sheet.name or "").strip("'")[:31] or f"Sheet{n + 1}"
        ws = wb.create_sheet(title=title)
        drop = personal_columns(sheet)
        for row in _scrub(sheet, drop):
            ws.append([_cell(v) for v in row])
        for ref in _scrub_merges(sheet.merges, drop):
            ws.merged_cells.add(ref)
    wb.save(dest)


def _write_csv(sheet: Sheet, dest: Path) -> None:
    with open(dest, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        for row in _scrub(sheet, personal_columns(sheet)):
            writer.writerow(["" if v is None else v for v in row])


def quarantine_file(
    path: Path | None,
    file_id: str,
    file_name: str,
    quarantine: Path,
    error: IngestError,
    family: str | None = None,
) -> Path:
    """Copy (or scrub) a rejected file into ``quarantine`` and write ``.error.txt`` beside
    it. Returns the path of the error file."""
    quarantine.mkdir(parents=True, exist_ok=True)
    name = safe_name(file_name, file_id)
    kind = file_kind(name)
    note_en = note_vi = ""
    dest: Path | None = _unique(quarantine / name)
    try:
        sheets = read_sheets(path) if path is not None and kind in (*WORKBOOK_KINDS, "csv") else None
    except ReadError:
        sheets = None
    except Exception:  # a reader bug must not stop the rejection: keep it as unreadable
        log.exception("cannot read %s for its quarantine copy", file_name)
        sheets = None
    if path is None or not path.exists():
        dest = None
    elif sheets is not None and (family == "surveys" or any(personal_columns(s) for s in sheets)):
        if kind in WORKBOOK_KINDS and not name.lower().endswith(".xlsx"):
            dest = _unique(quarantine / f"{Path(name).stem}.xlsx")
        try:
            if kind in WORKBOOK_KINDS:
                _write_xlsx(sheets, dest)
            else:
                _write_csv(sheets[0], dest)
            note_en = "Personal columns were removed from this copy."
            note_vi = "Các cột thông tin cá nhân đã được xóa khỏi bản sao này."
        except Exception:  # never the original instead, and never fail the rejection
            log.exception("cannot write the scrubbed copy of %s", file_name)
            dest.unlink(missing_ok=True)
            dest = None
            note_en = "No copy kept: the copy without personal columns could not be written."
            note_vi = "Không lưu bản sao: không ghi được bản sao đã xóa các cột thông tin cá nhân."
    elif family == "surveys":
        dest = None
        note_en = "No copy kept: personal columns could not be removed from this file."
        note_vi = "Không lưu bản sao: không thể xóa các cột thông tin cá nhân khỏi tệp này."
    else:
        shutil.copyfile(path, dest)
    error_path = _unique(quarantine / f"{dest.name if dest else name}.error.txt")
    lines = [
        f"Tệp / File: {file_name}",
        f"Trang tính / Sheet: {error.sheet or '-'}",
        f"Dòng / Row: {error.row if error.row is not None else '-'}",
        f"Cột / Column: {error.column or '-'}",
        f"Lỗi: {error.message_vi}",
        f"Error: {error.message_en}",
    ]
    if note_en:
        lines += [note_vi, note_en]
    error_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return error_path

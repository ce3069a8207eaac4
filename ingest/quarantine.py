"""Keep rejected files aside: ``<quarantine>/<id>_<safe name>`` plus ``.error.txt``.

File and sheet names are never used as path components as they are: only a sanitised
base name, prefixed with the start of the file's sha256, is. Personal columns are removed
from the copy (a scrubbed copy is written, never the original, for survey files and for
any file where a personal column is found).
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path, PurePosixPath, PureWindowsPath

from ingest.errors import IngestError, ReadError
from ingest.headers import HEADER_SCAN_ROWS, is_personal_label
from ingest.readers import Sheet, file_kind, read_sheets
from ingest.text import fold, is_blank, strip_accents

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 120


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


def _write_xlsx(sheets: list[Sheet], dest: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for n, sheet in enumerate(sheets):
        ws = wb.create_sheet(title=(sheet.name or f"Sheet{n + 1}")[:31])
        for row in _scrub(sheet, personal_columns(sheet)):
            ws.append([None if is_blank(v) else v for v in row])
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
        sheets = read_sheets(path) if path is not None and kind in ("xlsx", "csv") else None
    except ReadError:
        sheets = None
    if path is None or not path.exists():
        dest = None
    elif sheets is not None and (family == "surveys" or any(personal_columns(s) for s in sheets)):
        if kind == "xlsx":
            _write_xlsx(sheets, dest)
        else:
            _write_csv(sheets[0], dest)
        note_en = "Personal columns were removed from this copy."
        note_vi = "Các cột thông tin cá nhân đã được xóa khỏi bản sao này."
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

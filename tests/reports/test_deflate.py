"""The workbook's sheets compressed while they are written (reports.deflate): the archive
holds the same parts as ``ZipFile`` would, readable and checked by their CRC, and the sheet's
XML is never written to its file."""

from __future__ import annotations

import os
import zipfile
import zlib
from pathlib import Path

import pytest

from reports.deflate import COMPRESS_LEVEL, Archive, Deflater, DeflatingFile


class _Sheet:
    """What Archive reads of a sheet: its writer, with its (empty) file and its deflater."""

    def __init__(self, out: Path, deflater: Deflater) -> None:
        self._writer = self
        self.out = str(out)
        self.deflater = deflater


def _written(path: Path, parts: list[bytes]) -> Deflater:
    path.write_bytes(b"")  # openpyxl's temporary file of the sheet
    deflater = Deflater()
    sheet_file = DeflatingFile(deflater)
    for part in parts:
        assert sheet_file.write(part) == len(part)
    deflater.close()
    assert path.stat().st_size == 0
    return deflater


def test_a_sheet_deflated_while_written_is_stored_as_zipfile_stores_it(tmp_path: Path) -> None:
    # more than one batch for the thread, of text that compresses, and random bytes that do not
    parts = [f"<row r='{i}'><c>{i * 7}</c></row>".encode() for i in range(60_000)] + [os.urandom(300_000)]
    sheet = tmp_path / "sheet.xml"
    deflater = _written(sheet, parts)
    other = tmp_path / "other.xml"
    other.write_bytes(b"<other/>")
    with Archive(tmp_path / "new.zip", [_Sheet(sheet, deflater)], compresslevel=COMPRESS_LEVEL) as archive:
        archive.write(sheet, "xl/worksheets/sheet1.xml")
        archive.write(other, "xl/other.xml")
        archive.writestr("docProps/app.xml", b"<app/>")
    level = COMPRESS_LEVEL
    with zipfile.ZipFile(tmp_path / "old.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=level) as old:
        old.writestr("xl/worksheets/sheet1.xml", b"".join(parts))
    with zipfile.ZipFile(tmp_path / "new.zip") as new, zipfile.ZipFile(tmp_path / "old.zip") as old:
        assert new.testzip() is None  # every part's CRC checked
        assert new.namelist() == ["xl/worksheets/sheet1.xml", "xl/other.xml", "docProps/app.xml"]
        assert new.read("xl/worksheets/sheet1.xml") == b"".join(parts)
        assert new.read("xl/other.xml") == b"<other/>"
        kept, made = new.getinfo("xl/worksheets/sheet1.xml"), old.getinfo("xl/worksheets/sheet1.xml")
        assert (kept.compress_type, kept.CRC) == (made.compress_type, made.CRC)
        assert kept.file_size == made.file_size
        assert kept.compress_size == made.compress_size  # the same stream, made on another thread


def test_a_stream_not_closed_is_refused() -> None:
    deflater = Deflater()
    deflater.write(b"<row/>")
    with pytest.raises(RuntimeError, match="not closed"):
        deflater.result()
    deflater.close()
    assert zlib.decompress(deflater.result(), -15) == b"<row/>"

"""Bounded reading (issue 15, item 1): small files that would inflate to gigabytes are
rejected from their metadata or after reading at most the limit, with the limit named, and
the reader's peak memory stays low; each limit can be raised from the environment. Also the
xlsx formula cells without a cached value (item 7), refused instead of read as empty.

Every bomb is generated here, as small as possible while over the default limits of
``ingest/limits.py``. Peak memory is measured on a real child process: the reader runs in a
fresh interpreter started by a fresh wrapper, which reports ``RUSAGE_CHILDREN.ru_maxrss``
after the reader exits, so only that reader counts."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import struct
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from ingest.errors import ReadError
from ingest.inbox import load_family, register_inbox
from ingest.limits import FileLimits
from ingest.readers import read_csv, read_sheets

#: peak resident memory allowed to a reader meeting a bomb (an interpreter with openpyxl,
#: pyarrow and calamine imported takes about 110 MB of it)
READER_PEAK_MB = 400
ROOT = Path(__file__).resolve().parents[2]
MB = 1 << 20

_WRAPPER = textwrap.dedent(
    """
    import resource, subprocess, sys
    done = subprocess.run([sys.executable, "-c", sys.argv[1]], capture_output=True, text=True)
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print("PEAK_KIB", peak)
    sys.exit(done.returncode)
    """
)

_READ = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from ingest.errors import ReadError
    from ingest.readers import read_sheets
    try:
        sheets = read_sheets(Path({path!r}){max_rows})
        print("RESULT", json.dumps({{"rows": sum(len(s.rows) for s in sheets)}}))
    except ReadError as exc:
        print("RESULT", json.dumps({{"en": exc.message_en, "vi": exc.message_vi}}))
    """
)


def read_in_child(
    path: Path, max_rows: int | None = None, env: dict[str, str] | None = None
) -> tuple[dict, float]:
    """``read_sheets(path)`` in a child process: what it gave (``rows``, or the error's ``en``
    and ``vi``) and the child's peak resident memory in MB."""
    code = _READ.format(path=str(path), max_rows="" if max_rows is None else f", max_rows={max_rows}")
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    result = json.loads(next(ln for ln in lines if ln.startswith("RESULT "))[7:])
    peak_kib = int(next(ln for ln in lines if ln.startswith("PEAK_KIB "))[9:])
    print(f"peak RSS reading {path.name} (max_rows={max_rows}): {peak_kib / 1024:.0f} MB")
    return result, peak_kib / 1024


def assert_limit_error(result: dict, name: str) -> None:
    """The reader refused the file naming the limit and its variable, in both languages."""
    assert "en" in result, result
    env = f"PARWH_LIMIT_{name.upper()}"
    for text in (result["en"], result["vi"]):
        assert name in text and env in text, text
    assert "too large" in result["en"] and "quá lớn" in result["vi"]


# --- the bombs -----------------------------------------------------------------------------

SURVEY_HEADER = ["Mã đơn vị", "Đơn vị", "Kỳ báo cáo", "Cấp", "Số phiếu", "Số phiếu hài lòng"]
SURVEY_ROW = ["866", "Thành phố Cao Lãnh", "Năm 2023", "huyện", "600", "548"]


def write_parquet_bomb(path: Path, rows: int = 2_500_000) -> Path:
    """A survey Parquet file of ``rows`` identical rows (dictionary and run-length encoded:
    a few kilobytes on disk), over ``max_parquet_rows`` (2,000,000)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {
        name: pa.repeat(pa.scalar(value), rows) for name, value in zip(SURVEY_HEADER, SURVEY_ROW, strict=True)
    }
    pq.write_table(pa.table(columns), path, row_group_size=1 << 20)
    return path


def write_csv_gz_bomb(path: Path, text_mb: int = 70) -> Path:
    """A survey ``.csv.gz`` of one line (a kilobyte long, so that the rows stay under
    ``max_sheet_rows``) repeated until ``text_mb`` MB of text, over ``max_table_text_bytes``
    (64 MB); a few hundred kilobytes compressed."""
    line = (";".join([*SURVEY_ROW, "ghi chú " * 128]) + "\n").encode()
    block = line * (MB // len(line))
    with gzip.open(path, "wb", compresslevel=6) as out:
        out.write((";".join(SURVEY_HEADER) + "\n").encode())
        for _ in range(text_mb):
            out.write(block)
    return path


def _xlsx_parts() -> dict[str, bytes]:
    """The parts of a one-row workbook written by openpyxl (in memory)."""
    wb = Workbook()
    wb.active.append(SURVEY_HEADER)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


SHEET_PART = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_SHEET_TAIL = b"</sheetData></worksheet>"


def write_xlsx_bomb(path: Path, sheet_mb: int = 300) -> Path:
    """An ``.xlsx`` whose sheet XML (no ``<dimension>``) is ``sheet_mb`` MB of repeated
    ``<row>`` elements, over ``max_xml_part_bytes`` (256 MB), streamed into the zip."""
    parts = _xlsx_parts()
    row = b'<row><c t="inlineStr"><is><t>866</t></is></c><c><v>600</v></c><c><v>548</v></c></row>'
    block = row * (MB // len(row))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in parts.items():
            if name != SHEET_PART:
                zf.writestr(name, data)
        with zf.open(SHEET_PART, "w", force_zip64=True) as out:
            out.write(_SHEET_HEAD)
            for _ in range(sheet_mb):
                out.write(block)
            out.write(_SHEET_TAIL)
    return path


def lie_about_size(path: Path, part: str, declared: int) -> Path:
    """Rewrite ``part``'s uncompressed size in the zip's central directory and local header
    to ``declared`` (a zip whose directory lies)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
        start_dir = zf.start_dir
    data = bytearray(path.read_bytes())
    assert data[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    pos = start_dir
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, pos + 28)
        if data[pos + 46 : pos + 46 + name_len].decode() == part:
            struct.pack_into("<I", data, pos + 24, declared)
            break
        pos += 46 + name_len + extra_len + comment_len
    else:
        raise AssertionError(f"{part} not in the central directory")
    path.write_bytes(bytes(data))
    return path


def write_lying_xlsx(path: Path, real_mb: int = 40) -> Path:
    """An ``.xlsx`` whose sheet inflates to ``real_mb`` MB while its zip directory declares
    a few kilobytes (within every limit, so only the inflated bytes can reveal it)."""
    parts = _xlsx_parts()
    row = b"<row><c><v>1</v></c></row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if name != SHEET_PART:
                zf.writestr(name, data)
        zf.writestr(SHEET_PART, _SHEET_HEAD + row * (real_mb * MB // len(row)) + _SHEET_TAIL)
    return lie_about_size(path, SHEET_PART, 4096)


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def write_ods(path: Path, table_xml: str) -> Path:
    """A minimal ``.ods`` with one table ``Biểu`` holding ``table_xml``."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Biểu">{table_xml}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def write_ods_repeat_bomb(path: Path) -> Path:
    """Under a kilobyte of ``.ods``: one row of 100 numbers repeated a million times (100
    million cells once calamine expands it)."""
    cells = (
        '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="100"/>'
    )
    header = "".join(
        f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
        for h in SURVEY_HEADER
    )
    return write_ods(
        path,
        f"<table:table-row>{header}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="1000000">{cells}</table:table-row>',
    )


# --- one test per bomb ---------------------------------------------------------------------


def test_parquet_of_millions_of_identical_rows_is_refused_from_its_footer(tmp_path: Path) -> None:
    path = write_parquet_bomb(tmp_path / "khao_sat_bom.parquet")
    assert path.stat().st_size < 200_000
    result, peak = read_in_child(path)
    assert_limit_error(result, "max_parquet_rows")
    assert "2,500,000" in result["en"] and "2.500.000" in result["vi"]  # the value found
    assert peak < READER_PEAK_MB, peak
    # the header scan of registration reads its header only (it may be a record export)
    result, peak = read_in_child(path, max_rows=35)
    assert result == {"rows": 35}
    assert peak < READER_PEAK_MB, peak


def test_parquet_over_the_record_rows_is_refused_at_registration(tmp_path: Path) -> None:
    path = write_parquet_bomb(tmp_path / "bom.parquet", rows=1_001)
    result, _ = read_in_child(path, max_rows=35, env={"PARWH_LIMIT_MAX_RECORD_ROWS": "1000"})
    assert_limit_error(result, "max_record_rows")
    assert "1,001" in result["en"]


def test_csv_gz_inflating_past_the_text_limit_is_refused_after_the_limit(tmp_path: Path) -> None:
    path = write_csv_gz_bomb(tmp_path / "khao_sat_bom.csv.gz")
    assert path.stat().st_size < 2 * MB
    result, peak = read_in_child(path)
    assert_limit_error(result, "max_table_text_bytes")
    assert "more than 64 MB" in result["en"] and "hơn 64 MB" in result["vi"]
    assert peak < READER_PEAK_MB, peak
    # the header sniffing of record exports still reads the first line only
    assert read_csv(path, "csv.gz", max_rows=1)[0].rows == [tuple(SURVEY_HEADER)]


def test_csv_without_line_breaks_is_refused_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "mot_dong.csv.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        for _ in range(65):
            out.write(b"x;" * (MB // 2))
    result, peak = read_in_child(path, max_rows=35)  # even the header scan stops at the limit
    assert_limit_error(result, "max_table_text_bytes")
    assert peak < READER_PEAK_MB, peak


def _write_part(
    path: Path, parts: dict[str, bytes], name: str, head: bytes, unit: bytes, count: int, tail: bytes
) -> Path:
    """A zip holding ``parts`` and ``name`` = ``head`` + ``unit`` × ``count`` + ``tail``,
    streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for part, data in parts.items():
            if part != name:
                zf.writestr(part, data)
        with zf.open(name, "w", force_zip64=True) as out:
            out.write(head)
            block = unit * 65_536
            for _ in range(count // 65_536):
                out.write(block)
            out.write(unit * (count % 65_536))
            out.write(tail)
    return path


def write_docx_paragraph_bomb(path: Path, paragraphs: int = 2_000_001) -> Path:
    """A valid one-table Word document whose body also holds ``paragraphs`` empty ``<w:p/>``
    (a few kilobytes each 100,000 of them): python-docx would build every one of them."""
    import docx

    document = docx.Document()
    document.add_paragraph("Kỳ báo cáo: Năm 2023")
    table = document.add_table(rows=2, cols=len(SURVEY_HEADER))
    for c, (h, v) in enumerate(zip(SURVEY_HEADER, SURVEY_ROW, strict=True)):
        table.cell(0, c).text = h
        table.cell(1, c).text = v
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    body = parts["word/document.xml"]
    cut = body.index(b"<w:body>") + len(b"<w:body>")
    return _write_part(path, parts, "word/document.xml", body[:cut], b"<w:p/>", paragraphs, body[cut:])


def write_xlsx_styles_bomb(path: Path, formats: int = 200_001) -> Path:
    """An ``.xlsx`` whose stylesheet declares ``formats`` cell formats (each one a Python
    object of about 2 KB once openpyxl reads it)."""
    head = (
        b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        b'<borders count="1"><border/></borders>'
        b'<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="%d">' % formats
    )
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    return _write_part(path, _xlsx_parts(), "xl/styles.xml", head, xf, formats, b"</cellXfs></styleSheet>")


_SST_HEAD = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def write_shared_strings_bomb(path: Path, strings: int = 2_000_001, part: str = "xl/strs.xml") -> Path:
    """An ``.xlsx`` with ``strings`` shared strings in ``part``, declared as openpyxl finds
    it (by its content type; and in the workbook's relationships)."""
    parts = _xlsx_parts()
    for name in [n for n in parts if n.lower().endswith("sharedstrings.xml")]:
        del parts[name]
    override = (
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument'
        '.spreadsheetml.sharedStrings+xml"/></Types>'
    ).encode()
    types = re.sub(rb"<Override[^>]*sharedStrings\+xml\"/>", b"", parts["[Content_Types].xml"])
    parts["[Content_Types].xml"] = types.replace(b"</Types>", override)
    rel = (
        '<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'sharedStrings" Target="{part.removeprefix("xl/")}"/></Relationships>'
    ).encode()
    rels = re.sub(
        rb"<Relationship [^>]*relationships/sharedStrings\"[^>]*/>", b"", parts["xl/_rels/workbook.xml.rels"]
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", rel)
    return _write_part(path, parts, part, _SST_HEAD, b"<si><t>ab</t></si>", strings, b"</sst>")


def write_parquet_dictionary_bomb(path: Path, rows: int = 40, value_mb: int = 16) -> Path:
    """A survey Parquet file whose ``rows`` rows share one ``value_mb`` MB text through its
    dictionary (a few kilobytes on disk; 640 MB of values once decoded)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {name: pa.array([value] * rows) for name, value in zip(SURVEY_HEADER, SURVEY_ROW, strict=True)}
    columns["Ghi chú"] = pa.DictionaryArray.from_arrays(
        pa.array([0] * rows, pa.int32()), pa.array(["B" * (value_mb * MB)])
    )
    pq.write_table(pa.table(columns), path, compression="zstd")
    return path


@pytest.fixture(scope="module")
def xlsx_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_xlsx_bomb(tmp_path_factory.mktemp("bomb") / "bien_che_bom.xlsx")


def test_xlsx_whose_sheet_xml_is_larger_than_the_part_limit_is_refused_unparsed(xlsx_bomb: Path) -> None:
    assert xlsx_bomb.stat().st_size < 5 * MB
    for max_rows in (35, None):  # the registration's header scan already refuses it
        result, peak = read_in_child(xlsx_bomb, max_rows=max_rows)
        assert_limit_error(result, "max_xml_part_bytes")
        assert "'xl/worksheets/sheet1.xml'" in result["en"] and "is 300.0 MB" in result["en"]
        assert peak < READER_PEAK_MB, peak


def test_xlsx_whose_zip_directory_lies_about_the_size_is_refused(tmp_path: Path) -> None:
    path = write_lying_xlsx(tmp_path / "noi_doi.xlsx")
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(SHEET_PART).file_size == 4096
    result, peak = read_in_child(path, max_rows=35)
    assert "forged or damaged" in result["en"] and "xl/worksheets/sheet1.xml" in result["en"]
    assert "4 KB" in result["en"] and "bị làm giả" in result["vi"]
    assert peak < READER_PEAK_MB, peak


def test_ods_whose_repeated_rows_expand_to_millions_of_cells_is_refused_before_calamine(
    tmp_path: Path,
) -> None:
    path = write_ods_repeat_bomb(tmp_path / "bom.ods")
    assert path.stat().st_size < 2000
    result, peak = read_in_child(path, max_rows=35)
    assert_limit_error(result, "max_sheet_rows")
    assert "1,000,001" in result["en"] and "'Biểu'" in result["en"]
    assert peak < READER_PEAK_MB, peak


def test_docx_of_millions_of_empty_paragraphs_is_refused_before_python_docx(tmp_path: Path) -> None:
    path = write_docx_paragraph_bomb(tmp_path / "bom.docx")
    assert path.stat().st_size < 200_000
    for max_rows in (35, None):
        result, peak = read_in_child(path, max_rows=max_rows)
        assert_limit_error(result, "max_xml_elements")
        assert "'word/document.xml'" in result["en"] and "2,000,0" in result["en"]
        assert "phần tử XML" in result["vi"]
        assert peak < READER_PEAK_MB, peak


def test_xlsx_whose_stylesheet_holds_millions_of_formats_is_refused_before_openpyxl(tmp_path: Path) -> None:
    path = write_xlsx_styles_bomb(tmp_path / "bom_dinh_dang.xlsx")
    assert path.stat().st_size < 200_000
    result, peak = read_in_child(path, max_rows=35)
    assert_limit_error(result, "max_style_elements")
    assert "'xl/styles.xml'" in result["en"] and "cell formats" in result["en"]
    assert "định dạng ô" in result["vi"]
    assert peak < READER_PEAK_MB, peak


@pytest.mark.parametrize("part", ["xl/strs.xml", "xl/sharedStrings.xml"])
def test_xlsx_shared_strings_are_counted_wherever_the_content_type_puts_them(
    tmp_path: Path, part: str
) -> None:
    path = write_shared_strings_bomb(tmp_path / "bom_chuoi.xlsx", part=part)
    assert path.stat().st_size < 200_000
    result, peak = read_in_child(path, max_rows=35)
    assert_limit_error(result, "max_sheet_cells")
    assert "shared strings" in result["en"] and "more than 2,000,000" in result["en"]
    assert peak < READER_PEAK_MB, peak


def test_parquet_value_shared_through_its_dictionary_is_counted_once_per_row(tmp_path: Path) -> None:
    path = write_parquet_dictionary_bomb(tmp_path / "khao_sat_tu_dien.parquet")
    assert path.stat().st_size < 100_000
    for max_rows in (35, None):  # 34 rows of 16 MB are already over 512 MB
        result, peak = read_in_child(path, max_rows=max_rows)
        assert_limit_error(result, "max_unzipped_bytes")
        assert "once decoded" in result["en"] and "sau khi giải mã" in result["vi"]
        assert peak < READER_PEAK_MB, peak
    # a dictionary-encoded text column of a real file reads as before
    small = write_parquet_dictionary_bomb(tmp_path / "nho.parquet", rows=3, value_mb=0)
    assert read_sheets(small)[0].rows == [(*SURVEY_HEADER, "Ghi chú"), *[(*SURVEY_ROW, "")] * 3]


def test_csv_cell_over_the_field_limit_is_named_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "o_qua_dai.csv"
    path.write_text(";".join(SURVEY_HEADER) + "\n" + ";".join(SURVEY_ROW) + ';"' + "x" * 200_000 + '"\n')
    with pytest.raises(ReadError) as caught:
        read_sheets(path)
    error = caught.value
    assert "a cell of row 2" in error.message_en and "ô ở dòng 2" in error.message_vi
    assert "PARWH_LIMIT_MAX_CSV_CELL_CHARS" in error.message_en and "131,072" in error.message_en
    assert "damaged" not in error.message_en


def test_bombs_are_rejected_at_registration_and_quarantined(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, xlsx_bomb: Path, tmp_path: Path
) -> None:
    """``classify`` reads the header scan first: the zip and text bombs are refused there,
    the Parquet bomb (which could be a record export) when its figures are loaded."""
    (inbox / "bien_che_bom.xlsx").write_bytes(xlsx_bomb.read_bytes())
    write_csv_gz_bomb(inbox / "khao_sat_bom.csv.gz")
    write_ods_repeat_bomb(inbox / "bom.ods")
    write_parquet_bomb(inbox / "khao_sat_bom.parquet")
    registered = {o.file_name: o for o in register_inbox(con, inbox, quarantine, "run-1")}
    assert len(registered) == 4
    assert registered["bien_che_bom.xlsx"].status == "rejected"
    assert "max_xml_part_bytes" in registered["bien_che_bom.xlsx"].message
    assert registered["bom.ods"].status == "rejected"
    assert "max_sheet_rows" in registered["bom.ods"].message
    assert registered["khao_sat_bom.parquet"].status == "pending"
    assert registered["khao_sat_bom.csv.gz"].status == "pending"  # its first lines are fine
    report = load_family(con, "surveys", quarantine, "run-1")
    outcomes = {o.file_name: o for o in report.outcomes}
    assert outcomes["khao_sat_bom.parquet"].status == "rejected"
    assert "max_parquet_rows" in outcomes["khao_sat_bom.parquet"].message
    assert outcomes["khao_sat_bom.csv.gz"].status == "rejected"
    assert "max_table_text_bytes" in outcomes["khao_sat_bom.csv.gz"].message
    manifest = dict(con.execute("select file_name, status from raw.file_manifest").fetchall())
    assert (
        manifest["bien_che_bom.xlsx"] == manifest["bom.ods"] == manifest["khao_sat_bom.parquet"] == "rejected"
    )
    errors = {p.name.split("_", 1)[1]: p for p in quarantine.glob("*.error.txt")}  # hash_name
    bombs = ("bien_che_bom.xlsx", "bom.ods", "khao_sat_bom.parquet", "khao_sat_bom.csv.gz")
    assert {f"{name}.error.txt" for name in bombs} <= set(errors)
    text = errors["bien_che_bom.xlsx.error.txt"].read_text(encoding="utf-8")
    assert "PARWH_LIMIT_MAX_XML_PART_BYTES" in text and "max_xml_part_bytes" in text


# --- each limit read from the environment --------------------------------------------------


def _small_xlsx(path: Path, rows: int, columns: int = 3) -> Path:
    wb = Workbook()
    for r in range(rows):
        wb.active.append([f"r{r}c{c}" for c in range(columns)])
    wb.save(path)
    return path


def _small_csv(path: Path, rows: int, columns: int = 3) -> Path:
    path.write_text("\n".join(";".join(f"r{r}c{c}" for c in range(columns)) for r in range(rows)) + "\n")
    return path


@pytest.mark.parametrize(
    ("name", "value", "make", "found"),
    [
        ("max_file_bytes", 100, lambda p: _small_csv(p / "a.csv", 20), "bytes"),
        ("max_table_text_bytes", 100, lambda p: _small_csv(p / "a.csv", 20), "more than 100 bytes"),
        ("max_xml_part_bytes", 1000, lambda p: _small_xlsx(p / "a.xlsx", 20), "its part '"),
        ("max_unzipped_bytes", 5120, lambda p: _small_xlsx(p / "a.xlsx", 20), "5 KB"),
        ("max_sheet_rows", 10, lambda p: _small_xlsx(p / "a.xlsx", 11), "more than 10"),
        ("max_sheet_rows", 10, lambda p: _small_csv(p / "a.csv", 11), "more than 10"),
        ("max_columns", 4, lambda p: _small_xlsx(p / "a.xlsx", 2, columns=5), "is 5"),
        ("max_columns", 4, lambda p: write_parquet_bomb(p / "a.parquet", rows=3), "is 6"),
        ("max_sheet_cells", 50, lambda p: _small_csv(p / "a.csv", 20), "more than 50"),
        ("max_parquet_rows", 5, lambda p: write_parquet_bomb(p / "a.parquet", rows=6), "is 6"),
        ("max_xml_elements", 8, lambda p: _small_xlsx(p / "a.xlsx", 20), "XML elements of its part '"),
        (
            "max_xml_elements",
            50,
            lambda p: write_docx_paragraph_bomb(p / "a.docx", 60),
            "'word/document.xml'",
        ),
        ("max_style_elements", 20, lambda p: _small_xlsx(p / "a.xlsx", 20), "'xl/styles.xml'"),
        ("max_unzipped_bytes", 1000, lambda p: write_parquet_bomb(p / "a.parquet", rows=100), "once decoded"),
        ("max_csv_cell_chars", 3, lambda p: _small_csv(p / "a.csv", 20), "row 1"),
    ],
)
def test_each_limit_is_taken_from_the_environment(
    name: str, value: int, make, found: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path)
    assert read_sheets(path)  # within the default limits
    monkeypatch.setenv(f"PARWH_LIMIT_{name.upper()}", str(value))
    with pytest.raises(ReadError) as caught:
        read_sheets(path)
    assert name in caught.value.message_en and f"PARWH_LIMIT_{name.upper()}" in caught.value.message_vi
    assert found in caught.value.message_en, caught.value.message_en
    monkeypatch.setenv(f"PARWH_LIMIT_{name.upper()}", str(10 * value + 1_000_000))
    assert read_sheets(path)  # a raised limit lets it through


def test_limit_defaults_are_those_the_tests_assume() -> None:
    lim = FileLimits.from_env({})
    assert (lim.max_parquet_rows, lim.max_table_text_bytes, lim.max_xml_part_bytes) == (
        2_000_000,
        64 * MB,
        256 * MB,
    )
    assert lim.max_sheet_rows == 100_000


# --- xlsx formulas without a cached value --------------------------------------------------


def test_openpyxl_formula_without_cached_value_is_refused_naming_the_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 1"
    ws.append(SURVEY_HEADER)
    for _ in range(2, 13):
        ws.append(["866", "Cao Lãnh", "Năm 2023", "huyện", 600, 548])
    ws["F12"] = "=E12-52"  # a figure computed by a formula the writer did not compute
    path = tmp_path / "cong_thuc.xlsx"
    wb.save(path)
    with pytest.raises(ReadError) as caught:
        read_sheets(path)
    error = caught.value
    assert "sheet 'Biểu 1', cell F12" in error.message_en and "=E12-52" in error.message_en
    assert "ô F12 chứa công thức" in error.message_vi and "trang tính 'Biểu 1'" in error.message_vi
    assert "LibreOffice" in error.message_vi
    assert (error.sheet, error.cell, error.row, error.column) == ("Biểu 1", "F12", 12, "F")  # type: ignore[attr-defined]
    # the smallest reproducer
    wb = Workbook()
    wb.active["A1"] = "=1+1"
    wb.save(tmp_path / "a1.xlsx")
    with pytest.raises(ReadError, match="cell A1 holds a formula"):
        read_sheets(tmp_path / "a1.xlsx")
    # a formula below the rows read does not stop the header scan; the full read refuses it
    assert len(read_sheets(path, max_rows=5)[0].rows) == 5


def test_formula_with_cached_value_and_column_totals_are_read(tmp_path: Path) -> None:
    """A computed formula gives its value; a total of its own column without a value (the
    warehouse's templates filled by software that does not compute) loses no figure: the
    ingest recomputes totals."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Đơn vị", "Số phiếu"])
    ws.append(["Tổng", "=SUM(B3:B4)"])
    ws.append(["A", 1])
    ws.append(["B", 2])
    ws.append(["Tổng 2", "=B3+$B$4"])
    wb.save(tmp_path / "tong.xlsx")
    assert read_sheets(tmp_path / "tong.xlsx")[0].rows == [
        ("Đơn vị", "Số phiếu"),
        ("Tổng",),
        ("A", 1),
        ("B", 2),
        ("Tổng 2",),
    ]
    # a total of another column is not one
    ws["C5"] = "=SUM(B3:B4)"
    wb.save(tmp_path / "khac.xlsx")
    with pytest.raises(ReadError, match="cell C5"):
        read_sheets(tmp_path / "khac.xlsx")
    # as Excel saves it: the cached value is read
    with zipfile.ZipFile(tmp_path / "khac.xlsx") as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    parts[SHEET_PART] = parts[SHEET_PART].replace(b"<f>SUM(B3:B4)</f><v></v>", b"<f>SUM(B3:B4)</f><v>3</v>")
    with zipfile.ZipFile(tmp_path / "excel.xlsx", "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    assert read_sheets(tmp_path / "excel.xlsx")[0].rows[1] == ("Tổng", 3)


def test_formula_rejection_names_sheet_row_and_column_in_the_manifest(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """The refusal's location reaches ``raw.file_manifest`` as columns, not only as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Biên chế"
    ws.append(["Mã đơn vị", "Đơn vị", "Ngày", "Loại", "Biên chế giao", "Hiện có"])
    ws.append(["H807", "TP Sa Đéc", "2023-12-31", "Công chức", 100, "=E3*2"])
    ws.append(["H807", "TP Sa Đéc", "2023-12-31", "Viên chức", 80, 75])
    wb.save(inbox / "bien_che.xlsx")
    outcome = register_inbox(con, inbox, quarantine, "run-1")[0]
    assert outcome.status == "rejected"
    row = con.execute(
        "select error_sheet, error_row, error_column from raw.file_manifest where file_name = 'bien_che.xlsx'"
    ).fetchone()
    assert row == ("Biên chế", 2, "F")

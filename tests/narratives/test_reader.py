"""Reading narrative reports (narratives.reader): .txt, .docx (body paragraphs, table cells,
footnotes), .pdf with a text layer (converted from a .docx by LibreOffice), header parsing
and personal data masked."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from narratives.extract import extract_claims
from narratives.reader import ReportReadError, parse_header, read_paragraphs, read_report

HEADING = [
    "UBND THÀNH PHỐ NHA TRANG",
    "Số: 2286 /BC-UBND",
    "Nha Trang, ngày 28 tháng 3 năm 2019",
    "BÁO CÁO",
    "Kết quả thực hiện công tác cải cách hành chính năm 2018",
]
DOSSIERS = (
    "Kết quả giải quyết thủ tục hành chính tại UBND cấp xã trong năm 2018: Tổng số hồ sơ đã tiếp"
    " nhận: 75.416 hồ sơ. Tổng số hồ sơ đã giải quyết là 75.384 hồ sơ, chiếm tỷ lệ 99,96%."
)
PERSONAL = "Liên hệ ông Nguyễn Văn A, điện thoại 0905123456, CCCD 056089012345."


def _docx(path: Path, with_table: bool = True) -> Path:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in HEADING:
        document.add_paragraph(line)
    document.add_paragraph(DOSSIERS)
    if with_table:
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Chỉ tiêu"
        table.cell(0, 1).text = "Số liệu"
        table.cell(1, 0).text = "Tổng số hồ sơ đã tiếp nhận"
        table.cell(1, 1).text = "58.053 hồ sơ"
    document.add_paragraph(PERSONAL)
    document.add_paragraph("")
    document.add_paragraph("CHỦ TỊCH")
    document.save(str(path))
    return path


def test_txt_lines_nfc_and_empty_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bao_cao.txt"
    text = "\n".join(HEADING) + "\n\n  \n" + DOSSIERS + "\n"
    path.write_bytes(text.encode("utf-8"))
    assert read_paragraphs(path) == HEADING + [DOSSIERS]
    import unicodedata

    nfd = tmp_path / "nfd.txt"
    nfd.write_text(unicodedata.normalize("NFD", DOSSIERS), encoding="utf-8")
    assert read_paragraphs(nfd) == [DOSSIERS]


def test_tab_separated_rows_keep_their_cells(tmp_path: Path) -> None:
    """A table pasted as tab-separated lines keeps its cells apart (" | "), so that its rows are
    read with the header row as a flattened table; an indenting tab is only whitespace."""
    path = tmp_path / "bang.txt"
    lines = [
        "Năm 2024, kết quả giải quyết hồ sơ như sau:",
        "Cấp\tTiếp nhận\tĐã giải quyết\tTrễ hạn",
        "Cấp huyện\t3.846 \t\t3.702\t34",
        "\tTổng  cộng:\t9.065",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    paragraphs = read_paragraphs(path)
    assert paragraphs == [
        lines[0],
        "Cấp | Tiếp nhận | Đã giải quyết | Trễ hạn",
        "Cấp huyện | 3.846 | 3.702 | 34",
        "Tổng cộng: | 9.065",
    ]
    row = {(c.measure, str(c.value), c.level) for c in extract_claims(paragraphs) if c.paragraph == 2}
    assert row == {
        ("dossiers_received", "3846", "district"),
        ("dossiers_resolved", "3702", "district"),
        ("dossiers_resolved_late", "34", "district"),
    }


def test_header_laid_out_with_tabs(tmp_path: Path) -> None:
    """The heading's two columns on one line (unit | "CỘNG HÒA …"; number | place and date)."""
    path = tmp_path / "dau.txt"
    lines = [
        "UBND HUYỆN KRÔNG PẮC\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 123/BC-UBND\tKrông Pắc, ngày 20 tháng 6 năm 2024",
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    header = parse_header(read_paragraphs(path))
    assert (header.unit_name, header.level, header.report_date) == (
        "UBND HUYỆN KRÔNG PẮC",
        "district",
        date(2024, 6, 20),
    )
    assert (header.period_kind, header.period_end) == ("half", date(2024, 6, 30))


def test_header_unit_level_date_period(tmp_path: Path) -> None:
    header = parse_header(HEADING + [DOSSIERS])
    assert header.unit_name == "UBND THÀNH PHỐ NHA TRANG"
    assert header.level == "district"
    assert header.report_date == date(2019, 3, 28)
    assert (header.period_kind, header.period_year, header.period_end) == ("year", 2018, date(2018, 12, 31))


@pytest.mark.parametrize(
    "title,kind,end",
    [
        ("Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2023", "half", date(2023, 6, 30)),
        ("Công tác cải cách hành chính quý III năm 2023", "quarter", date(2023, 9, 30)),
        ("Kết quả cải cách hành chính 9 tháng đầu năm 2020", "nine_months", date(2020, 9, 30)),
        ("Kết quả cải thiện Chỉ số CCHC đến ngày 25 tháng 8 năm 2023", "to_date", date(2023, 8, 25)),
        (
            "Kết quả CCHC 6 tháng đầu năm 2023 và phương hướng, nhiệm vụ 6 tháng cuối năm 2023",
            "half",
            date(2023, 6, 30),
        ),
        ("Công tác CCHC quý II năm 2023, nhiệm vụ trọng tâm quý III năm 2023", "quarter", date(2023, 6, 30)),
    ],
)
def test_header_period_kinds(title: str, kind: str, end: date) -> None:
    header = parse_header(["UBND HUYỆN AN LÃO", "An Lão, ngày 12 tháng 6 năm 2023", "BÁO CÁO", title])
    assert (header.period_kind, header.period_end) == (kind, end)
    assert header.level == "district" and header.report_date == date(2023, 6, 12)


def test_header_commune() -> None:
    header = parse_header(["UBND XÃ TÂN PHÚ ĐÔNG", "BÁO CÁO", "Công tác cải cách hành chính năm 2022"])
    assert header.level == "commune" and header.unit_name == "UBND XÃ TÂN PHÚ ĐÔNG"


def test_docx_body_tables_and_masking(tmp_path: Path) -> None:
    report = read_report(_docx(tmp_path / "bao_cao.docx"))
    paragraphs = report.paragraphs
    assert paragraphs[: len(HEADING)] == HEADING
    assert DOSSIERS in paragraphs
    assert "58.053 hồ sơ" in paragraphs  # a table cell's text, in body order
    assert paragraphs.index("58.053 hồ sơ") < next(i for i, p in enumerate(paragraphs) if "Liên hệ" in p)
    joined = "\n".join(paragraphs)
    assert "0905123456" not in joined and "056089012345" not in joined
    assert report.header.level == "district" and report.header.period_year == 2018
    claims = extract_claims(report.paragraphs, report.header)
    assert {(c.measure, str(c.value), c.level) for c in claims} >= {
        ("dossiers_received", "75416", "commune"),
        ("dossiers_resolved", "75384", "commune"),
        ("rate_resolved", "99.96", "commune"),
    }


def _libreoffice() -> str:
    for name in ("libreoffice", "soffice"):
        if found := shutil.which(name):
            return found
    pytest.skip("LibreOffice is not installed")


def _rows(paragraphs: list[str], width: int = 90) -> list[str]:
    """Paragraphs broken into lines of at most ``width`` characters, as a page shows them."""
    rows: list[str] = []
    for paragraph in paragraphs:
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > width:
                rows.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        rows.append(line)
    return rows


def test_pdf_text_layer(tmp_path: Path) -> None:
    """A PDF printed by LibreOffice (the Writer is not always installed: the lines are laid out
    on a sheet and printed by Calc), read back through its text layer, lines joined into
    paragraphs."""
    openpyxl = pytest.importorskip("openpyxl")
    soffice = _libreoffice()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.column_dimensions["A"].width = 110
    for i, line in enumerate(_rows([*HEADING, DOSSIERS, PERSONAL, "CHỦ TỊCH"]), 1):
        sheet.cell(i, 1, line)
    source = tmp_path / "bao_cao.xlsx"
    book.save(source)
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    out = tmp_path / "pdf"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf"]
        + ["--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    report = read_report(out / "bao_cao.pdf")
    assert DOSSIERS in report.paragraphs  # the paragraph's lines joined back
    assert "0905123456" not in "\n".join(report.paragraphs)
    assert report.header.unit_name == "UBND THÀNH PHỐ NHA TRANG"
    assert report.header.period_year == 2018 and report.header.report_date == date(2019, 3, 28)
    claims = extract_claims(report.paragraphs, report.header)
    values = {(c.measure, str(c.value), c.level) for c in claims}
    assert ("dossiers_received", "75416", "commune") in values
    assert ("rate_resolved", "99.96", "commune") in values


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ReportReadError) as info:
        read_paragraphs(path)
    assert "không có lớp văn bản" in info.value.message_vi and "scan.pdf" in info.value.message_vi


def test_unreadable_files(tmp_path: Path) -> None:
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ReportReadError, match="hong.docx"):
        read_paragraphs(broken)
    other = tmp_path / "bang.xlsx"
    other.write_bytes(b"x")
    with pytest.raises(ReportReadError, match="không phải định dạng báo cáo"):
        read_paragraphs(other)
    empty = tmp_path / "rong.txt"
    empty.write_text("\n \n", encoding="utf-8")
    with pytest.raises(ReportReadError, match="không có nội dung"):
        read_paragraphs(empty)


def test_docx_footnotes_follow_the_body_numbered(tmp_path: Path) -> None:
    import zipfile

    plain = _docx(tmp_path / "plain.docx", with_table=False)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    notes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {w}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Tổng số cán bộ, công chức, viên chức hiện có là 713 người,'
        " trong đó:</w:t></w:r></w:p><w:p><w:r><w:t>- Cán bộ: 7 người</w:t></w:r></w:p></w:footnote>"
        "</w:footnotes>"
    )
    path = tmp_path / "footnotes.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/footnotes.xml", notes)
    paragraphs = read_paragraphs(path)
    assert paragraphs[-2:] == [
        "¹ Tổng số cán bộ, công chức, viên chức hiện có là 713 người, trong đó:",
        "- Cán bộ: 7 người",
    ]
    staff = [c for c in extract_claims(paragraphs) if c.measure == "staff_actual"]
    assert [(str(c.value), c.category) for c in staff] == [("713", None), ("7", "can_bo")]


def test_persons_names_in_the_text_are_masked(tmp_path: Path) -> None:
    path = tmp_path / "ten.txt"
    path.write_text(
        "UBND THÀNH PHỐ SA ĐÉC\n"
        "Có 03 hộ kinh doanh (Hộ kinh doanh Phan Thị Hoàng Oanh; Hộ kinh doanh Quang Khởi) chuyển đổi.\n"
        "Liên hệ ông Nguyễn Văn An, số 0905123456, trụ sở đường Trần Hưng Đạo, thành phố Cao Lãnh.\n",
        encoding="utf-8",
    )
    paragraphs = read_paragraphs(path)
    assert paragraphs[1] == "Có 03 hộ kinh doanh (Hộ kinh doanh ***; Hộ kinh doanh Quang Khởi) chuyển đổi."
    assert "Nguyễn Văn An" not in paragraphs[2] and "0905123456" not in paragraphs[2]
    assert "đường Trần Hưng Đạo" in paragraphs[2] and "thành phố Cao Lãnh" in paragraphs[2]


@pytest.mark.parametrize(
    "block,unit,level",
    [
        (["UBND TỈNH PHÚ YÊN", "UBND THỊ XÃ SÔNG CẦU"], "UBND THỊ XÃ SÔNG CẦU", "district"),
        (["UBND TỈNH BẮC KẠN", "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"], "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "department"),
        (["UBND HUYỆN CHỢ MỚI", "UBND XÃ THANH MAI"], "UBND XÃ THANH MAI", "commune"),
        (["ỦY BAN NHÂN DÂN", "HUYỆN ĐỨC TRỌNG"], "ỦY BAN NHÂN DÂN HUYỆN ĐỨC TRỌNG", "district"),
        (["UBND TỈNH PHÚ YÊN UBND THỊ XÃ SÔNG CẦU"], "UBND THỊ XÃ SÔNG CẦU", "district"),
        (["UBND TỈNH BẮC KẠN - SỞ NỘI VỤ"], "SỞ NỘI VỤ", "department"),
        (["UBND XÃ PHONG PHÚ"], "UBND XÃ PHONG PHÚ", "commune"),
    ],
)
def test_header_the_lowest_unit_of_the_heading_block_reports(block: list[str], unit: str, level: str) -> None:
    """The parent unit stands above the reporting unit in the heading block; a unit the body
    names later (below the title) does not replace it."""
    header = parse_header(
        [
            *block,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Số: 112/BC-UBND",
            "BÁO CÁO",
            "Kết quả cải cách hành chính quý II năm 2024",
            "UBND TỈNH PHÚ YÊN",
            "Thực hiện Kế hoạch số 20/KH-UBND của UBND tỉnh, đơn vị báo cáo kết quả như sau.",
        ]
    )
    assert (header.unit_name, header.level) == (unit, level)
    assert (header.period_kind, header.period_end) == ("quarter", date(2024, 6, 30))

"""The complete PAR INDEX in the reports (issue 18): the workbook's sheet "Chỉ số CCHC" and the
HTML report's section of the same name, from a warehouse whose index marts have rows.

One night with the small inbox (tests/e2e/inbox_files.py) and three Đồng Tháp districts'
self-assessments (tests/e2e/test_index_stages.py's figures): Cao Lãnh sends the Province's
appraisal (1.1: 2 claimed, 1,5 appraised), so its index is at the appraised stage; Sa Đéc
claims 3 for 3.3.1, which the data contradicts (7,976 of 8,000 dossiers on time: 2,99), and
stays self-assessed (57,97 of 70); Tân Hồng claims 10 for 1.9 (56,96 of 70).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from cli.main import app
from reports import queries as q
from reports import write_reports
from reports.excel_index import (
    INDEX_AREA_HEADERS,
    INDEX_CLAIM_HEADERS,
    INDEX_LOST_HEADERS,
    INDEX_SHEET,
    INDEX_STATUS_HEADERS,
)
from reports.styles import DEC2, PCT2
from settings import Settings
from tests.conftest import CLEARED_ENV, EXPORTED_ENV
from tests.e2e.inbox_files import write_small_inbox
from tests.ingest.self_assessment_files import SA_DEC_2023, write_self_assessment
from tests.reports.test_excel_and_html import CHROME_FLAGS

UNITS = {  # unit code: (name as the title block writes it, self-scores changed from Sa Đéc's)
    "L866": ("UBND thành phố Cao Lãnh", {"1.1": "2"}),
    "L867": ("UBND thành phố Sa Đéc", {"3.3.1": "3"}),
    "L869": ("UBND huyện Tân Hồng", {"1.9": "10"}),
}
APPRAISED = {"L866": {"1.1": ("1,5", "Chưa đủ tài liệu kiểm chứng")}}


def build_index_warehouse(root: Path) -> Settings:
    """One night: the small inbox and the three districts' self-assessments (Cao Lãnh's
    with the Province's appraisal). Sets the environment as tests/conftest.py's
    warehouse_settings does (the caller restores it)."""
    for name in CLEARED_ENV:
        os.environ.pop(name, None)
    os.environ["PARWH_WAREHOUSE"] = str(root / "warehouse")
    os.environ["PARWH_DUCKDB_MEMORY_LIMIT"] = "2GB"
    settings = Settings.from_env()
    for name in EXPORTED_ENV:
        os.environ[name] = ""
    settings.export()
    inbox = settings.inbox_dir
    write_small_inbox(inbox)
    for code, (name, changed) in UNITS.items():
        appraised = APPRAISED.get(code)
        suffix = "tham_dinh" if appraised else "tu_danh_gia"
        write_self_assessment(
            inbox / f"cchc_{code}_2023_{suffix}.xlsx", name, {**SA_DEC_2023, **changed}, appraised=appraised
        )
    result = CliRunner().invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    return settings


@pytest.fixture(scope="module")
def index_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    saved = dict(os.environ)
    try:
        settings = build_index_warehouse(tmp_path_factory.mktemp("index_reports"))
        yield settings.latest_path
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture(scope="module")
def reports_dir(index_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("index_reports_out")
    written = write_reports(index_db, out)
    assert {p.name for p in written} >= {"xep_hang_par_basic_2023.xlsx", "bao_cao_par_basic_2023.html"}
    return out


def _block(ws: Worksheet, headers: list[str]) -> list[dict[str, Cell]]:
    """The rows of the sheet's block under this header row, as header → cell."""
    for row in ws.iter_rows(min_row=4):
        if [c.value for c in row[: len(headers)]] == headers:
            lines = []
            for line in ws.iter_rows(min_row=row[0].row + 1):
                if not isinstance(line[0].value, int):
                    break
                lines.append(dict(zip(headers, line[: len(headers)], strict=True)))
            return lines
    raise AssertionError(f"no block with headers {headers}")


def _by(lines: list[dict[str, Cell]], **where: str) -> list[dict[str, Cell]]:
    return [r for r in lines if all(r[k].value == v for k, v in where.items())]


def test_the_workbook_has_the_index_sheet(reports_dir: Path) -> None:
    wb = load_workbook(reports_dir / "xep_hang_par_basic_2023.xlsx")
    assert INDEX_SHEET in wb.sheetnames
    # once, in the first workbook: the data-only rankings' workbooks stay as they were
    assert (
        INDEX_SHEET not in load_workbook(reports_dir / "xep_hang_par_district_dongthap_2023.xlsx").sheetnames
    )
    ws = wb[INDEX_SHEET]
    assert ws["A1"].value == "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (CHỈ SỐ CCHC) NĂM 2023"
    assert "par_index_dongthap_huyen" in ws["A3"].value and "không trộn các giai đoạn" in ws["A3"].value

    lines = _block(ws, INDEX_STATUS_HEADERS)
    assert [line["Mã đơn vị"].value for line in lines] == ["L866", "L867", "L869"]  # appraised first
    (sa_dec,) = _by(lines, **{"Mã đơn vị": "L867"})
    assert sa_dec["Giai đoạn"].value == "Tự đánh giá"
    assert sa_dec["Điểm tự đánh giá"].value == pytest.approx(57.97)
    assert sa_dec["Điểm tự đánh giá"].number_format == DEC2
    assert sa_dec["Điểm tối đa phần tự đánh giá"].value == 70
    assert sa_dec["Chỉ số tự đánh giá (%)"].value == pytest.approx(82.81)
    assert sa_dec["Tiêu chí chưa xác định"].value == 3
    assert sa_dec["Điểm thẩm định"].value is None and sa_dec["Điểm chính thức"].value is None
    assert sa_dec["Xếp hạng theo"].value == "Xếp hạng theo kết quả tự đánh giá"
    assert sa_dec["Hạng / số đơn vị xếp hạng"].value == "2/3"
    (cao_lanh,) = _by(lines, **{"Mã đơn vị": "L866"})
    assert cao_lanh["Giai đoạn"].value == "Thẩm định"
    assert cao_lanh["Điểm thẩm định"].value == pytest.approx(57.86)
    assert cao_lanh["Chỉ số thẩm định (%)"].value == pytest.approx(82.66)
    # ranked with the appraised units only, never with the self-assessed ones
    assert cao_lanh["Xếp hạng theo"].value == "Xếp hạng theo kết quả thẩm định"
    assert cao_lanh["Hạng / số đơn vị xếp hạng"].value == "1/1"

    areas = _block(ws, INDEX_AREA_HEADERS)
    assert len(areas) == 3 * 8
    (area,) = _by(areas, **{"Mã đơn vị": "L867", "Lĩnh vực": "3. Cải cách thủ tục hành chính"})
    assert area["Điểm tự đánh giá"].value == pytest.approx(18.99)
    assert area["Điểm tối đa phần tự đánh giá"].value == 19
    assert area["Điểm điều tra XHH đã có"].value == pytest.approx(9.5)  # SIPAS from the surveys
    assert area["Điểm tối đa phần điều tra XHH"].value == 10
    assert area["Điểm chính thức"].value is None  # the index is not final
    assert area["Điểm tối đa"].value == 29

    lost = _block(ws, INDEX_LOST_HEADERS)
    (training,) = _by(lost, **{"Mã đơn vị": "L867", "Mã tiêu chí": "5.5"})
    assert training["Tiêu chí"].value == "Thực hiện kế hoạch đào tạo, bồi dưỡng CBCCVC"
    assert training["Điểm đạt"].value == pytest.approx(0.77) and training["Điểm tối đa"].value == 1
    assert training["Điểm bị trừ"].value == pytest.approx(0.23)
    assert training["Giải trình của đơn vị"].value.startswith("Đạt 77,7 % kế hoạch. Còn 02 lớp")
    (pending,) = _by(lost, **{"Mã đơn vị": "L867", "Mã tiêu chí": "8.5"})
    assert pending["Điểm đạt"].value == "Chưa xác định" and pending["Điểm tối đa"].value == 4
    # at the self-assessed stage 3.3.1 is not lost (Sa Đéc claims the maximum)
    assert not _by(lost, **{"Mã đơn vị": "L867", "Mã tiêu chí": "3.3.1"})
    (plan,) = _by(lost, **{"Mã đơn vị": "L866", "Mã tiêu chí": "1.1"})
    assert plan["Điểm đạt"].value == pytest.approx(1.5)  # the appraised points, its stage
    assert plan["Lý do điều chỉnh khi thẩm định"].value == "Chưa đủ tài liệu kiểm chứng"

    claims = _block(ws, INDEX_CLAIM_HEADERS)
    (on_time,) = _by(claims, **{"Mã đơn vị": "L867", "Mã tiêu chí": "3.3.1"})
    assert on_time["Điểm đơn vị tự chấm"].value == 3
    assert on_time["Điểm tính từ dữ liệu"].value == pytest.approx(2.99)
    assert on_time["Chênh lệch (tự chấm − dữ liệu)"].value == pytest.approx(0.01)
    assert on_time["Giá trị đo được"].value == pytest.approx(99.7)
    assert on_time["Giá trị đo được"].number_format == PCT2
    assert on_time["STT"].fill.fgColor.rgb.endswith("F8CBAD")  # highlighted
    (commune,) = _by(claims, **{"Mã đơn vị": "L867", "Mã tiêu chí": "3.3.2"})
    assert commune["Chênh lệch (tự chấm − dữ liệu)"].value is None
    assert commune["STT"].fill.fgColor.rgb != on_time["STT"].fill.fgColor.rgb


def _vi_text(fragment: str) -> str:
    """A fragment's Vietnamese text (the English spans dropped, tags stripped)."""
    return unescape(re.sub(r"<[^>]+>", "", re.sub(r"<span class='en'>.*?</span>", "", fragment)))


def _table(html: str, table_id: str) -> list[tuple[dict[str, str], list[str]]]:
    """The data rows of a table of the report: the row's attributes and its cells' texts."""
    body = re.search(rf"<table id='{table_id}'>(.*?)</table>", html, re.S)
    assert body, table_id
    rows = []
    for attrs, cells in re.findall(r"<tr([^>]*)>(.*?)</tr>", body.group(1), re.S):
        if "<th>" in cells:
            continue
        rows.append(
            (
                dict(re.findall(r"([\w-]+)='([^']*)'", attrs)),
                [_vi_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)],
            )
        )
    return rows


def _row(rows: list[tuple[dict[str, str], list[str]]], **attrs: str) -> tuple[dict[str, str], list[str]]:
    (found,) = [r for r in rows if all(r[0].get(k) == v for k, v in attrs.items())]
    return found


def test_the_html_report_has_the_index_section(reports_dir: Path) -> None:
    html = (reports_dir / "bao_cao_par_basic_2023.html").read_text(encoding="utf-8")
    assert "<a href='#index'>" in html
    section = html[html.index("<h2 id='index'>") : html.index("<h2 id='comparable'>")]
    assert _vi_text(section).startswith("Chỉ số CCHC")
    status = _table(section, "index-status")
    assert [a["data-unit"] for a, _ in status] == ["L866", "L867", "L869"]
    attrs, cells = _row(status, **{"data-unit": "L867"})
    assert attrs["data-status"] == "self_assessed"
    assert cells == [
        "Thành phố Sa Đéc (L867)",
        "Tự đánh giá",
        "57,97/70 (82,81 %); 3 tiêu chí chưa xác định",
        "–",
        "–",
        "Xếp hạng theo kết quả tự đánh giá: 2/3",
    ]
    _, cells = _row(status, **{"data-unit": "L866"})
    assert cells[1:4] == ["Thẩm định", "58,36/70 (83,37 %); 3 tiêu chí chưa xác định", "57,86/70 (82,66 %)"]
    assert cells[5] == "Xếp hạng theo kết quả thẩm định: 1/1"

    _, cells = _row(_table(section, "index-areas"), **{"data-unit": "L867", "data-area": "3"})
    assert cells == ["Thành phố Sa Đéc", "3. Cải cách thủ tục hành chính", "18,99/19", "–", "9,50/10", "–"]

    lost = _table(section, "index-points-lost")
    _, cells = _row(lost, **{"data-unit": "L867", "data-criterion": "5.5"})
    assert cells[1:5] == [
        "Tự đánh giá",
        "5.5 Thực hiện kế hoạch đào tạo, bồi dưỡng CBCCVC",
        "0,77/1",
        "0,23",
    ]
    assert cells[5].startswith("Đạt 77,7 % kế hoạch. Còn 02 lớp")
    _, cells = _row(lost, **{"data-unit": "L867", "data-criterion": "8.5"})
    assert cells[3:5] == ["Chưa xác định/4", "–"]

    claims = _table(section, "index-claims")
    attrs, cells = _row(claims, **{"data-unit": "L867", "data-criterion": "3.3.1"})
    assert attrs["data-differs"] == "true" and attrs["class"] == "diff"
    assert cells[2:] == [
        "3",
        "3",
        "2,99",
        "+0,01",
        "Tỷ lệ hồ sơ giải quyết đúng hạn (kể cả trước hạn): 99,70 %",
    ]
    attrs, _ = _row(claims, **{"data-unit": "L867", "data-criterion": "3.3.2"})
    assert attrs["data-differs"] == "false" and "class" not in attrs


def test_the_index_section_renders_in_chromium(reports_dir: Path, chromium: str, tmp_path: Path) -> None:
    html = reports_dir / "bao_cao_par_basic_2023.html"
    dom = subprocess.run(
        [
            chromium,
            *CHROME_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            "--enable-logging=stderr",
            "--v=0",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not [ln for ln in dom.stderr.splitlines() if "CONSOLE" in ln], dom.stderr[-2000:]
    # the browser's tree: the contradicted claim is a highlighted row of the claims table
    claims = re.search(r'<table id="index-claims">(.*?)</table>', dom.stdout, re.S)
    assert claims
    highlighted = r'<tr data-unit="L867" data-criterion="3.3.1" data-differs="true" class="diff">(.*?)</tr>'
    row = re.search(highlighted, claims.group(1), re.S)
    assert row and "2,99" in row.group(1) and "+0,01" in row.group(1)


def test_a_province_without_index_says_so(index_db: Path, tmp_path: Path) -> None:
    written = write_reports(index_db, tmp_path, province="L52")
    assert {p.name for p in written} >= {
        "xep_hang_par_basic_2023_L52.xlsx",
        "bao_cao_par_basic_2023_L52.html",
    }
    assert INDEX_SHEET not in load_workbook(tmp_path / "xep_hang_par_basic_2023_L52.xlsx").sheetnames
    html = (tmp_path / "bao_cao_par_basic_2023_L52.html").read_text(encoding="utf-8")
    none = re.search(r"<p id='index-none'>(.*?)</p>", html, re.S)
    assert none and _vi_text(none.group(1)) == (
        "Chưa có đơn vị nào của tỉnh đã chọn gửi kết quả tự đánh giá Chỉ số CCHC năm 2023."
    )
    assert "<table id='index-status'>" not in html


def test_the_index_is_read_exact(index_db: Path) -> None:
    with q.connect(index_db) as con:
        report = q.index_report(con, "2023", "L87")
        other_year = q.index_report(con, "2022", None)
    assert report is not None and other_year is not None and not other_year.status
    (sa_dec,) = [r for r in report.status if r["unit_code"] == "L867"]
    assert (sa_dec["self_assessed_points"], sa_dec["self_assessed_score"]) == (
        Decimal("57.97"),
        Decimal("82.81"),
    )
    assert isinstance(sa_dec["self_assessed_points"], Decimal)

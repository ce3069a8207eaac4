"""The ranking workbooks and the HTML report, written from a real demo publication."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from reports import write_reports
from reports.styles import DEC2

CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def reports_dir(published_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published_reports")
    written = write_reports(published_db, out)
    assert {p.name for p in written} >= {"xep_hang_par_basic_2023.xlsx", "bao_cao_par_basic_2023.html"}
    return out


def _last_district(published_db: Path) -> tuple[str, int]:
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        name, rank = con.execute(
            "select unit_name, rank from marts.rankings where rubric_id = 'par_basic'"
            " and ranking_scope = 'province' and scope_code = 'L87' and unit_kind = 'district'"
            " and period_label = '2023' order by rank desc, unit_name desc limit 1"
        ).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return name, rank


def test_ranking_workbook(reports_dir: Path, published_db: Path) -> None:
    wb = load_workbook(reports_dir / "xep_hang_par_basic_2023.xlsx")
    assert "Đồng Tháp - cấp huyện" in wb.sheetnames
    assert {"Điểm bị trừ", "Chất lượng dữ liệu", "Ghi chú"} <= set(wb.sheetnames)
    assert any(name.startswith("Toàn quốc") for name in wb.sheetnames)
    ws = wb["Đồng Tháp - cấp huyện"]
    headers = [c.value for c in ws[4]]
    assert headers[:3] == ["STT", "Mã đơn vị", "Đơn vị"]
    assert "3. Cải cách thủ tục hành chính" in headers
    for h in ("Tổng điểm", "Xếp hạng", "Xếp loại", "Thay đổi thứ hạng"):
        assert h in headers
    rank_col = headers.index("Xếp hạng") + 1
    assert ws.cell(row=5, column=rank_col).value == 1
    assert ws.cell(row=5, column=3).value == "Huyện Tháp Mười"
    last_row = max(r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=rank_col).value is not None)
    name, rank = _last_district(published_db)
    assert ws.cell(row=last_row, column=rank_col).value == rank
    assert ws.cell(row=last_row, column=3).value == name
    total = ws.cell(row=5, column=headers.index("Tổng điểm") + 1)
    assert isinstance(total.value, float) and total.number_format == DEC2
    assert ws.freeze_panes == "D5"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.column_dimensions["C"].width >= len("Thành phố Hồng Ngự")
    # where the last district lost points, and whether its data is complete
    lost = wb["Điểm bị trừ"]
    lost_rows = [[c.value for c in row] for row in lost.iter_rows(min_row=5) if row[2].value == name]
    assert lost_rows and all(r[14] > 0 for r in lost_rows)
    findings = wb["Chất lượng dữ liệu"]
    headers = [c.value for c in findings[4]]
    assert headers[:4] == ["STT", "Trạng thái", "Mức độ", "Quy tắc kiểm tra"]
    assert headers[-4:] == ["Ảnh hưởng", "Đơn vị liên quan", "Mã quy tắc", "Chi tiết (JSON)"]
    found = [[c.value for c in row] for row in findings.iter_rows(min_row=5)]
    rules = [row[14] for row in found]
    assert "file_rejected" in rules
    # Khánh Hòa's missing 2018 submissions: one finding naming the units, not one per unit
    (missing,) = [row for row in found if row[14] == "unit_submitted_every_family"]
    assert missing[4] == "L56" and missing[5] == "Tỉnh Khánh Hòa" and missing[6] == "2018"
    assert "tỷ lệ nộp" in missing[9] and "L22" not in missing[9]  # names, not codes
    assert len(json.loads(missing[15])["missing_units"]) > 100
    # errors that block publication first, then warnings on units ranked in 2023, the rest
    assert rules[0] == "file_rejected" and missing[12] == "Khác"
    order = {"Chặn công bố": 0, "Ảnh hưởng xếp hạng kỳ 2023": 1, "Khác": 2}
    assert [order[row[12]] for row in found] == sorted(order[row[12]] for row in found)
    # the rule in words where people read it, the code beside it
    assert found[0][3] == "Tệp nộp bị từ chối (không dòng nào của tệp được nạp)"
    assert len(found) < 20


def _last_district_of(published_db: Path, province: str) -> str:
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        (code,) = con.execute(
            "select unit_code from marts.rankings where rubric_id = 'par_basic'"
            " and ranking_scope = 'province' and scope_code = ? and unit_kind = 'district'"
            " and period_label = '2023' order by rank desc, unit_name desc limit 1",
            [province],
        ).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return code


def test_province_reports_show_that_provinces_findings(
    published_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.mktemp("binh_dinh")
    written = write_reports(published_db, out, province="L52")
    assert {p.name for p in written} >= {
        "xep_hang_par_basic_2023_L52.xlsx",
        "bao_cao_par_basic_2023_L52.html",
    }
    sheet = load_workbook(out / "xep_hang_par_basic_2023_L52.xlsx")["Chất lượng dữ liệu"]
    found = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    # Khánh Hòa's missing submissions are not Bình Định's; An Lão's staff table is (its
    # totals row has no unit: placed through the file's rows)
    assert "unit_submitted_every_family" not in [row[14] for row in found]
    (staff,) = [row for row in found if row[14] == "stated_total_matches_parts"]
    assert staff[13] == "Huyện An Lão" and "733" in staff[9]
    # rejected files no unit can be told for stay in every province's list, said so
    assert {row[13] for row in found if row[14] == "file_rejected"} == {"không xác định được đơn vị"}
    html = (out / "bao_cao_par_basic_2023_L52.html").read_text(encoding="utf-8")
    table = html.split("id='findings-table'")[1]
    assert "data-rule='stated_total_matches_parts'" in table
    assert "data-rule='unit_submitted_every_family'" not in table


def test_the_last_units_box_names_the_open_findings_on_it_and_its_communes(
    reports_dir: Path, published_db: Path
) -> None:
    html = (reports_dir / "bao_cao_par_basic_2023.html").read_text(encoding="utf-8")
    cards = dict(re.findall(r"<div class='card' data-last-unit='(L\w+)'>(.*?)</div>", html, re.S))
    last = _last_district_of(published_db, "L52")
    assert last == "L542"  # Huyện An Lão, the demo's staff table stating 733 posts for 732
    card = cards[last]
    assert "data-complete='false'" in card and "không có vấn đề" not in card
    assert "Tổng cộng ghi 733" in card  # its own staff table (a totals row with no unit)
    assert "Xã An Trung (L21613)" in card  # one of its communes (2023-H1 dossiers)
    assert "3 vấn đề chất lượng dữ liệu chưa xử lý" in card
    # a district with no open finding on it or its communes in 2023 says complete
    assert any("data-complete='true'" in c for c in cards.values())


def test_html_report_renders_in_chromium(
    reports_dir: Path, chromium: str, tmp_path: Path, published_db: Path
) -> None:
    html = reports_dir / "bao_cao_par_basic_2023.html"
    text = html.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", text), "the report must not load anything"
    png = tmp_path / "bao_cao_par_basic_2023.png"
    base = [chromium, *CHROME_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    shot = subprocess.run(
        [
            *base,
            f"--screenshot={png}",
            "--window-size=1400,2400",
            "--enable-logging=stderr",
            "--v=0",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert png.is_file() and png.stat().st_size > 50_000
    print(f"\nHTML report screenshot: {png}")
    console_errors = [ln for ln in shot.stderr.splitlines() if "CONSOLE" in ln and "ERROR" in ln.upper()]
    assert not console_errors, console_errors
    dom = subprocess.run(
        [*base, "--dump-dom", "--enable-logging=stderr", "--v=0", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not [ln for ln in dom.stderr.splitlines() if "CONSOLE" in ln], dom.stderr[-2000:]
    out = dom.stdout
    charts = re.findall(r"<svg class=\"chart\" data-chart=\"(\w+)\"", out)
    assert charts.count("ranking") == 4 and charts.count("distribution") == 4
    assert charts.count("trend") >= 12
    assert len(re.findall(r"<rect class=\"bar\"", out)) >= 40
    assert len(re.findall(r"<polyline class=\"line\"", out)) >= 40
    assert len(re.findall(r"<circle class=\"dot\"", out)) >= 40
    name, _ = _last_district(published_db)
    cards = re.findall(r'<div class="card" data-last-unit="L\w+">(.*?)</div>', out, re.S)
    assert len(cards) == 4 and any("Xếp cuối" in c and f": {name}</b>" in c for c in cards)
    assert 'id="findings-table"' in out

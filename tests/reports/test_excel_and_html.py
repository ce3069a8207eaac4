"""The ranking workbooks and the HTML report, written from a real demo publication."""

from __future__ import annotations

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
    assert [c.value for c in findings[4]][:4] == ["STT", "Trạng thái", "Mức độ", "Quy tắc kiểm tra"]
    rules = {row[3].value for row in findings.iter_rows(min_row=5)}
    assert "file_rejected" in rules and "unit_submitted_every_family" in rules


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

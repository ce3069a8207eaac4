"""The 766 index in the reports (issue 19): the workbook's sheet "Chỉ số 766" and the HTML
report's section of the same name, from the demo publication (records of Đồng Tháp's Sa Đéc
and Tây Ninh's Hòa Thành with their communes, 2023).

Three publications from the session's demo: as published, without the portal's figures
(``mart_766_reconciliation`` dropped: the view says the portal has published nothing for
the period) and with them for the year 2023 (a reconciliation table whose portal points are
Đồng Tháp's own but 0.5 less for online service: the view shows the difference and its
cause); and one older than the 766 marts (no sheet, no section). Every expected figure is
read from the marts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from html import unescape
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from reports import queries as q
from reports import write_reports
from reports.excel_766 import (
    NO_PORTAL_VI,
    QD766_GROUP_HEADERS,
    QD766_GROUP_PORTAL_HEADERS,
    QD766_LOST_HEADERS,
    QD766_SHEET,
    QD766_UNIT_HEADERS,
    QD766_UNIT_PORTAL_HEADERS,
)
from reports.styles import DEC2, INT, PCT2, SIGNED_DEC2
from tests.reports.test_excel_and_html import CHROME_FLAGS

PROVINCE = "L87"  # Tỉnh Đồng Tháp
DISTRICT = "L867"  # Thành phố Sa Đéc
CAUSE = "12 hồ sơ để trống kênh nộp (tính là trực tiếp)"
#: the reconciliation the lead's mart publishes, for Đồng Tháp and Tây Ninh in 2023: the
#: portal's points are the warehouse's, but Đồng Tháp's online service 0.5 lower
RECONCILIATION = """
create or replace table marts.mart_766_reconciliation as
select
    g.unit_code, g.unit_name, g.unit_kind, g.period_kind, g.period_start, g.period_end,
    g.period_label, g.group_code, g.group_name_vi, g.group_max_points,
    g.points as own_points, g.computed_max_points as own_computed_max_points,
    g.points - d.delta as portal_points, d.delta as difference,
    cast(0 as bigint) as dossiers_not_synced,
    cast(case when d.delta <> 0 then 12 else 0 end as bigint) as dossiers_channel_blank,
    cast(0 as bigint) as dossiers_multiple_supplements,
    cast(0 as bigint) as online_dossiers_without_result,
    cast(0 as bigint) as resolved_without_electronic_result,
    case when d.delta <> 0 then ? end as likely_cause_vi,
    g.total_points - sum(d.delta) over (partition by g.unit_code) as portal_total,
    g.total_points - sum(d.delta) over (partition by g.unit_code) as portal_groups_sum,
    'Trung bình' as portal_band_vi, 'Trung bình' as portal_band_label,
    case g.unit_code when 'L87' then 12 else 30 end as portal_rank
from marts.fct_766_group_scores as g
cross join lateral (
    select cast(case when g.unit_code = 'L87' and g.group_code = 'truc_tuyen' then 0.5 else 0 end
        as decimal(9, 4)) as delta
) as d
where g.unit_kind = 'province' and g.period_kind = 'year' and g.period_label = '2023'
"""


def _copy(published_db: Path, tmp_path_factory: pytest.TempPathFactory, name: str, *sql: str) -> Path:
    path = tmp_path_factory.mktemp(name) / "latest.duckdb"
    shutil.copyfile(published_db, path)
    con = duckdb.connect(str(path))
    try:
        for statement in sql:
            con.execute(statement, [CAUSE] if "?" in statement else None)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def no_portal_dir(published_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = _copy(
        published_db, tmp_path_factory, "no_portal", "drop table if exists marts.mart_766_reconciliation"
    )
    out = tmp_path_factory.mktemp("no_portal_reports")
    write_reports(db, out)
    return out


@pytest.fixture(scope="module")
def portal_db(published_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(published_db, tmp_path_factory, "portal", RECONCILIATION)


@pytest.fixture(scope="module")
def portal_dir(portal_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portal_reports")
    write_reports(portal_db, out, province=PROVINCE)
    return out


def _marts(published_db: Path, sql: str, *params: object) -> list[tuple]:
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _group(published_db: Path, unit: str, group: str, kind: str = "year") -> tuple:
    """(points, computed_max_points, group_max_points, total_points) of the latest period."""
    (found,) = _marts(
        published_db,
        "select points, computed_max_points, group_max_points, total_points"
        " from marts.fct_766_group_scores where unit_code = ? and group_code = ? and period_kind = ?"
        " order by period_start desc limit 1",
        unit,
        group,
        kind,
    )
    return found


def _indicator(published_db: Path, unit: str, code: str) -> tuple:
    (found,) = _marts(
        published_db,
        "select numerator, denominator, multiplier_numerator, multiplier_denominator,"
        " value_percent, points, max_points, full_points_at from marts.fct_766_indicators"
        " where unit_code = ? and indicator_code = ? and period_kind = 'year' and period_label = '2023'",
        unit,
        code,
    )
    return found


def _vn(value: Decimal, decimals: int = 2) -> str:
    """Vietnamese style, written out by hand for the values below 1,000 and counts."""
    if decimals == 0:
        return f"{int(value):,}".replace(",", ".")
    return f"{value:.{decimals}f}".replace(".", ",")


def _blocks(ws: Worksheet, headers: list[str]) -> list[list[dict[str, Cell]]]:
    """Every block of the sheet under this header row (one per period), as header → cell."""
    found = []
    for row in ws.iter_rows(min_row=4):
        if [c.value for c in row[: len(headers)]] == headers:
            lines = []
            for line in ws.iter_rows(min_row=row[0].row + 1):
                if not isinstance(line[0].value, int):
                    break
                lines.append(dict(zip(headers, line[: len(headers)], strict=True)))
            found.append(lines)
    assert found, f"no block with headers {headers}"
    return found


def _by(lines: list[dict[str, Cell]], **where: str) -> list[dict[str, Cell]]:
    return [r for r in lines if all(r[k].value == v for k, v in where.items())]


def test_the_workbook_has_the_766_sheet(no_portal_dir: Path, published_db: Path) -> None:
    wb = load_workbook(no_portal_dir / "xep_hang_par_basic_2023.xlsx")
    assert QD766_SHEET in wb.sheetnames
    assert wb.sheetnames.index(QD766_SHEET) < wb.sheetnames.index("Chất lượng dữ liệu")
    # once, in the first workbook
    assert QD766_SHEET not in load_workbook(no_portal_dir / "xep_hang_qd766_2023.xlsx").sheetnames
    ws = wb[QD766_SHEET]
    assert ws["A1"].value == "CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766/QĐ-TTg) — NĂM 2023"
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "A. Năm 2023 (kỳ 2023)" in texts and "B. Quý 4/2023 (kỳ 2023-Q4)" in texts
    # no portal figures in this publication: said for each period, no portal columns
    assert texts.count(f"{NO_PORTAL_VI}.") == 2

    year_units, quarter_units = _blocks(ws, QD766_UNIT_HEADERS)
    header_row = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "STT")
    assert [c.value for c in header_row if c.value] == QD766_UNIT_HEADERS
    codes = [line["Mã đơn vị"].value for line in year_units]
    # each province first, then its district and communes; the nation left out
    assert codes.index(PROVINCE) < codes.index(DISTRICT) < codes.index("L29923") and "VN" not in codes
    (province,) = _by(year_units, **{"Mã đơn vị": PROVINCE})
    points, _, _, total = _group(published_db, PROVINCE, "truc_tuyen")
    ((rank, ranked, change),) = _marts(
        published_db,
        "select total_rank, units_ranked, rank_change from marts.mart_766_rankings"
        " where unit_code = ? and period_kind = 'quarter' and period_label = '2023-Q4'",
        PROVINCE,
    )
    assert province["Đơn vị"].value == "Tỉnh Đồng Tháp" and province["Cấp"].value == "cấp tỉnh"
    assert province["Tổng điểm tự tính"].value == pytest.approx(float(total))
    assert province["Tổng điểm tự tính"].number_format == DEC2
    assert province["Xếp hạng trong"].value == "toàn quốc (cấp tỉnh)"
    (q4,) = _by(quarter_units, **{"Mã đơn vị": PROVINCE})
    assert (q4["Xếp hạng"].value, q4["Số đơn vị xếp hạng"].value) == (rank, ranked)
    assert q4["Thay đổi thứ hạng so với kỳ trước"].value == change
    (commune,) = _by(year_units, **{"Mã đơn vị": "L29923"})
    assert commune["Xếp hạng trong"].value == "Tỉnh Đồng Tháp (cấp xã)"

    groups = _blocks(ws, QD766_GROUP_HEADERS)[0]
    assert len(groups) == 6 * len(year_units)
    online = _by(groups, **{"Mã đơn vị": PROVINCE, "Nhóm": "Dịch vụ trực tuyến"})[0]
    assert online["Điểm tự tính"].value == pytest.approx(float(points))
    assert online["Điểm tự tính"].number_format == DEC2
    assert online["Điểm bị trừ (phần tính được)"].value == pytest.approx(12 - float(points))
    publicity = _by(groups, **{"Mã đơn vị": PROVINCE, "Nhóm": "Công khai, minh bạch"})[0]
    own, computed, maximum, _ = _group(published_db, PROVINCE, "cong_khai")
    assert (publicity["Điểm tối đa tính được"].value, publicity["Điểm tối đa của nhóm"].value) == (
        float(computed),
        float(maximum),
    )
    assert publicity["Điểm tự tính"].value == pytest.approx(float(own))
    assert "Điểm Cổng DVCQG" not in [c.value for row in ws.iter_rows() for c in row]

    lost = _blocks(ws, QD766_LOST_HEADERS)[0]
    (online_share,) = _by(lost, **{"Mã đơn vị": PROVINCE, "Mã chỉ số": "3.3"})
    n, d, n2, d2, value, got, max_points, _ = _indicator(published_db, PROVINCE, "3.3")
    assert value == round(Decimal(100 * n * n2) / Decimal(d * d2), 4)  # online share × sync rate
    assert [
        online_share[h].value for h in ("Tử số", "Mẫu số", "Tỷ lệ nhân: tử số", "Tỷ lệ nhân: mẫu số")
    ] == [
        n,
        d,
        n2,
        d2,
    ]
    assert online_share["Tử số"].number_format == INT
    assert online_share["Giá trị (%)"].value == pytest.approx(float(value))
    assert online_share["Giá trị (%)"].number_format == PCT2
    assert online_share["Ngưỡng"].value == "đủ điểm ở 50 %"
    assert online_share["Điểm đạt"].value == pytest.approx(float(got))
    assert online_share["Điểm bị trừ"].value == pytest.approx(float(max_points - got))
    assert _by(lost, **{"Mã đơn vị": PROVINCE, "Mã chỉ số": "4.2"})[0]["Ngưỡng"].value == "đủ điểm ở 80 %"
    # only indicators short of their maximum
    full = _marts(
        published_db,
        "select indicator_code from marts.fct_766_indicators where unit_code = ? and period_kind = 'year'"
        " and points = max_points",
        PROVINCE,
    )
    assert full and not any(_by(lost, **{"Mã đơn vị": PROVINCE, "Mã chỉ số": code}) for (code,) in full)


def test_the_sheet_shows_the_portals_figures_when_published(portal_dir: Path, portal_db: Path) -> None:
    ws = load_workbook(portal_dir / f"xep_hang_par_basic_2023_{PROVINCE}.xlsx")[QD766_SHEET]
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert texts.count(f"{NO_PORTAL_VI}.") == 1  # the quarter: the portal published the year only
    year_units = _blocks(ws, QD766_UNIT_HEADERS + QD766_UNIT_PORTAL_HEADERS)[0]
    # the chosen province only
    assert {line["Mã đơn vị"].value for line in year_units} >= {PROVINCE, DISTRICT}
    assert not _by(year_units, **{"Mã đơn vị": "L72"})
    (province,) = _by(year_units, **{"Mã đơn vị": PROVINCE})
    _, _, _, total = _group(portal_db, PROVINCE, "truc_tuyen")
    assert province["Tổng điểm Cổng DVCQG"].value == pytest.approx(float(total) - 0.5)
    assert province["Hạng trên Cổng"].value == 12 and province["Xếp loại của Cổng"].value == "Trung bình"
    assert province["Chênh lệch tổng điểm (tự tính − Cổng)"].value == pytest.approx(0.5)
    (district,) = _by(year_units, **{"Mã đơn vị": DISTRICT})
    assert district["Tổng điểm Cổng DVCQG"].value is None  # the portal scores provinces

    groups = _blocks(ws, QD766_GROUP_HEADERS + QD766_GROUP_PORTAL_HEADERS)[0]
    (online,) = _by(groups, **{"Mã đơn vị": PROVINCE, "Nhóm": "Dịch vụ trực tuyến"})
    points, *_ = _group(portal_db, PROVINCE, "truc_tuyen")
    assert online["Điểm tự tính"].value == pytest.approx(float(points))
    assert online["Điểm Cổng DVCQG"].value == pytest.approx(float(points) - 0.5)
    assert online["Chênh lệch (tự tính − Cổng)"].value == pytest.approx(0.5)
    assert online["Chênh lệch (tự tính − Cổng)"].number_format == SIGNED_DEC2
    assert online["Nguyên nhân có thể"].value == CAUSE
    assert online["Hồ sơ để trống kênh nộp"].value == 12
    assert online["STT"].fill.fgColor.rgb.endswith("F8CBAD")  # highlighted
    (progress,) = _by(groups, **{"Mã đơn vị": PROVINCE, "Nhóm": "Tiến độ giải quyết"})
    assert progress["Chênh lệch (tự tính − Cổng)"].value == 0
    assert progress["STT"].fill.fgColor.rgb != online["STT"].fill.fgColor.rgb
    # the quarter's groups have no portal columns
    assert len(_blocks(ws, QD766_GROUP_HEADERS + QD766_GROUP_PORTAL_HEADERS)) == 1


def test_libreoffice_shows_the_sheet_in_vietnamese(portal_dir: Path, portal_db: Path, tmp_path: Path) -> None:
    """The sheet as LibreOffice set to Vietnamese shows it: 4.165 dossiers, 38,45 %."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the sheet as shown is not tested")
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry">'
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
        "<value>vi-VN</value></prop></item></oor:items>",
        encoding="utf-8",
    )
    workbook = tmp_path / "wb.xlsx"
    shutil.copyfile(portal_dir / f"xep_hang_par_basic_2023_{PROVINCE}.xlsx", workbook)
    # every sheet, ';' separated, UTF-8, cells as shown
    csv = "csv:Text - txt - csv (StarCalc):59,34,UTF8,1,,0,false,true,true,false,false,-1"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to", csv]
        + ["--outdir", str(tmp_path), str(workbook)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shown = (tmp_path / f"wb-{QD766_SHEET}.csv").read_text(encoding="utf-8").splitlines()
    points, *_ = _group(portal_db, PROVINCE, "truc_tuyen")
    # the year's lines come first (the quarter's below)
    online = next(line for line in shown if ";L87;Tỉnh Đồng Tháp;Dịch vụ trực tuyến;12,00;12,00;" in line)
    portal = _vn(points - Decimal("0.5"))
    assert f";{_vn(points)};{_vn(12 - points)};{portal};+0,50;{CAUSE};0;12;0;0;0" in online
    n, d, n2, d2, value, *_ = _indicator(portal_db, PROVINCE, "3.3")
    share = next(line for line in shown if ";L87;Tỉnh Đồng Tháp;Dịch vụ trực tuyến;3.3;" in line)
    assert f";{_vn(n, 0)};{_vn(d, 0)};{_vn(n2, 0)};{_vn(d2, 0)};{_vn(value)} %;đủ điểm ở 50 %;" in share


def _vi_text(fragment: str) -> str:
    """A fragment's Vietnamese text (the English spans dropped, tags stripped)."""
    return unescape(re.sub(r"<[^>]+>", "", re.sub(r"<span class='en'>.*?</span>", "", fragment)))


def _table(html: str, table_id: str) -> list[tuple[dict[str, str], list[str]]]:
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


def _section(html: str) -> str:
    return html[html.index("<h2 id='qd766'>") : html.index("<h2 id='index'>")]


def test_the_html_report_has_the_766_section(no_portal_dir: Path, published_db: Path) -> None:
    html = (no_portal_dir / "bao_cao_par_basic_2023.html").read_text(encoding="utf-8")
    assert "<a href='#qd766'>" in html
    section = _section(html)
    assert _vi_text(section).startswith("Chỉ số 766")
    said = re.findall(r"<p class='qd766-no-portal' data-period='([^']+)'>(.*?)</p>", section, re.S)
    assert [(p, _vi_text(text)) for p, text in said] == [
        ("2023", f"{NO_PORTAL_VI}."),
        ("2023-Q4", f"{NO_PORTAL_VI}."),
    ]
    assert "<h3 id='qd766-year'>" in section and "<h3 id='qd766-quarter'>" in section

    units = _table(section, "qd766-units-year")
    assert [a["data-unit"] for a, _ in units][:2] == ["L72", "L709"]  # Tây Ninh, then Đồng Tháp
    _, _, _, total = _group(published_db, PROVINCE, "truc_tuyen")
    ((rank, ranked),) = _marts(
        published_db,
        "select total_rank, units_ranked from marts.mart_766_rankings where unit_code = ?"
        " and period_kind = 'year' and period_label = '2023'",
        PROVINCE,
    )
    _, cells = _row(units, **{"data-unit": PROVINCE})
    ((computed,),) = _marts(
        published_db,
        "select distinct total_computed_max_points from marts.fct_766_group_scores where unit_code = ?"
        " and period_kind = 'year' and period_label = '2023'",
        PROVINCE,
    )
    assert cells == [
        "Tỉnh Đồng Tháp",
        f"{_vn(total)}/{_vn(computed, 0)}",
        "–",
        f"{rank}/{ranked} (cấp tỉnh, toàn quốc)",
        "–",
    ]
    _, cells = _row(_table(section, "qd766-units-quarter"), **{"data-unit": "L29923"})
    assert cells[3].endswith("(cấp xã, Tỉnh Đồng Tháp)")

    groups = _table(section, "qd766-groups-year")
    points, _, _, _ = _group(published_db, PROVINCE, "truc_tuyen")
    attrs, cells = _row(groups, **{"data-unit": PROVINCE, "data-group": "truc_tuyen"})
    assert "data-differs" not in attrs  # no portal figures to differ from
    assert cells == ["Tỉnh Đồng Tháp", "Dịch vụ trực tuyến", f"{_vn(points)}/12", _vn(12 - points)]
    # the satisfaction group: the records give only 5.4 (6 of its 18 points)
    own, computed, maximum, _ = _group(published_db, PROVINCE, "hai_long")
    assert computed < maximum
    _, cells = _row(groups, **{"data-unit": PROVINCE, "data-group": "hai_long"})
    assert (
        cells[2]
        == f"{_vn(own, 0 if own == int(own) else 2)}/{_vn(computed, 0)} (tối đa của nhóm: {_vn(maximum, 0)})"
    )

    n, d, n2, d2, value, got, max_points, _ = _indicator(published_db, PROVINCE, "3.3")
    _, cells = _row(_table(section, "qd766-lost-year"), **{"data-unit": PROVINCE, "data-indicator": "3.3"})
    assert cells == [
        "Tỉnh Đồng Tháp",
        "3.3 Tỷ lệ hồ sơ trực tuyến (nhân tỷ lệ đồng bộ)",
        f"{_vn(n, 0)}/{_vn(d, 0)} × {_vn(n2, 0)}/{_vn(d2, 0)}",
        f"{_vn(value)} %",
        f"{_vn(got)}/{_vn(max_points, 0)}",
        _vn(max_points - got),
        "đủ điểm ở 50 %",
    ]


def test_the_html_section_shows_the_portals_figures(portal_dir: Path, portal_db: Path) -> None:
    html = (portal_dir / f"bao_cao_par_basic_2023_{PROVINCE}.html").read_text(encoding="utf-8")
    section = _section(html)
    assert [p for p in re.findall(r"class='qd766-no-portal' data-period='([^']+)'", section)] == ["2023-Q4"]
    units = _table(section, "qd766-units-year")
    assert "L72" not in [a["data-unit"] for a, _ in units]
    _, _, _, total = _group(portal_db, PROVINCE, "truc_tuyen")
    _, cells = _row(units, **{"data-unit": PROVINCE})
    assert cells[5:] == [_vn(total - Decimal("0.5")), "Trung bình", "12"]
    groups = _table(section, "qd766-groups-year")
    points, *_ = _group(portal_db, PROVINCE, "truc_tuyen")
    attrs, cells = _row(groups, **{"data-unit": PROVINCE, "data-group": "truc_tuyen"})
    assert attrs["data-differs"] == "true" and attrs["class"] == "diff"
    assert cells[2:] == [f"{_vn(points)}/12", _vn(12 - points), _vn(points - Decimal("0.5")), "+0,50", CAUSE]
    attrs, cells = _row(groups, **{"data-unit": PROVINCE, "data-group": "tien_do"})
    assert attrs["data-differs"] == "false" and "class" not in attrs and cells[5] == "0"
    # the quarter: the warehouse's figures only
    attrs, cells = _row(
        _table(section, "qd766-groups-quarter"), **{"data-unit": PROVINCE, "data-group": "tien_do"}
    )
    assert "data-differs" not in attrs and len(cells) == 4


def test_the_766_section_renders_in_chromium(portal_dir: Path, chromium: str, tmp_path: Path) -> None:
    html = portal_dir / f"bao_cao_par_basic_2023_{PROVINCE}.html"
    base = [chromium, *CHROME_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*base, "--dump-dom", "--enable-logging=stderr", "--v=0", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not [ln for ln in dom.stderr.splitlines() if "CONSOLE" in ln], dom.stderr[-2000:]
    groups = re.search(r'<table id="qd766-groups-year">(.*?)</table>', dom.stdout, re.S)
    assert groups
    row = re.search(
        r'<tr data-unit="L87" data-group="truc_tuyen" data-differs="true" class="diff">(.*?)</tr>',
        groups.group(1),
        re.S,
    )
    assert row and "+0,50" in row.group(1) and CAUSE in row.group(1)
    # a picture of the section alone (the report's head and the section)
    text = html.read_text(encoding="utf-8")
    probe = tmp_path / "qd766.html"
    probe.write_text(text[: text.index("<body>") + 6] + _section(text) + "</body></html>", encoding="utf-8")
    png = tmp_path / "qd766.png"
    shot = subprocess.run(
        [*base, f"--screenshot={png}", "--window-size=1300,1800", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert shot.returncode == 0 and png.is_file() and png.stat().st_size > 50_000, shot.stderr[-2000:]
    print(f"\n766 section screenshot: {png}")


def test_a_province_without_766_figures_says_so(portal_db: Path, tmp_path: Path) -> None:
    written = write_reports(portal_db, tmp_path, province="L52")  # Bình Định: no dossier records
    assert QD766_SHEET not in load_workbook(tmp_path / "xep_hang_par_basic_2023_L52.xlsx").sheetnames
    html = (tmp_path / "bao_cao_par_basic_2023_L52.html").read_text(encoding="utf-8")
    none = re.search(r"<p id='qd766-none'>(.*?)</p>", html, re.S)
    assert none and _vi_text(none.group(1)) == (
        "Chưa có đơn vị nào của tỉnh đã chọn có số liệu Chỉ số 766 (hồ sơ một cửa) trong bản công bố."
    )
    assert "<table id='qd766-units-year'>" not in html and written


def test_a_publication_older_than_the_766_marts_has_no_766_view(
    published_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    old = _copy(
        published_db,
        tmp_path_factory,
        "before_766",
        *(f"drop table if exists marts.{name}" for name in (*q.QD766_MARTS, q.QD766_RECONCILIATION)),
    )
    out = tmp_path_factory.mktemp("before_766_reports")
    write_reports(old, out)
    assert QD766_SHEET not in load_workbook(out / "xep_hang_par_basic_2023.xlsx").sheetnames
    html = (out / "bao_cao_par_basic_2023.html").read_text(encoding="utf-8")
    assert "id='qd766'" not in html and "#qd766" not in html
    with q.connect(old) as con:
        assert q.qd766_report(con) is None


def test_the_766_view_is_read_exact(portal_db: Path) -> None:
    with q.connect(portal_db) as con:
        report = q.qd766_report(con, "2023", PROVINCE)
        latest = q.qd766_report(con)
    assert report is not None and latest is not None
    assert [(p.period_kind, p.period_label, p.has_portal) for p in report.periods] == [
        ("year", "2023", True),
        ("quarter", "2023-Q4", False),
    ]
    assert [p.period_label for p in latest.periods] == ["2023", "2023-Q4"]
    (online,) = [
        g for g in report.periods[0].groups if g["unit_code"] == PROVINCE and g["group_code"] == "truc_tuyen"
    ]
    assert isinstance(online["points"], Decimal) and online["difference"] == Decimal("0.5")


@pytest.fixture(scope="module")
def published_dir(published_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published_766_reports")
    write_reports(published_db, out)
    return out


def test_the_published_reconciliation_is_shown(published_dir: Path, published_db: Path) -> None:
    """The demo's portal export for 2023, as mart_766_reconciliation publishes it: Đồng Tháp's
    groups against the portal's, and a province the portal scores without records of its
    own (Bình Định) listed with the portal's figures only."""
    found = _marts(
        published_db,
        "select group_code, group_name_vi, portal_points, difference, likely_cause_vi, portal_total,"
        " portal_rank from marts.mart_766_reconciliation where unit_code = ? and period_kind = 'year'"
        " and period_label = '2023' order by group_code",
        PROVINCE,
    )
    assert len(found) == 6
    section = _section((published_dir / "bao_cao_par_basic_2023.html").read_text(encoding="utf-8"))
    groups = _table(section, "qd766-groups-year")
    ws = load_workbook(published_dir / "xep_hang_par_basic_2023.xlsx")[QD766_SHEET]
    sheet = _blocks(ws, QD766_GROUP_HEADERS + QD766_GROUP_PORTAL_HEADERS)[0]
    for group, name, portal, difference, cause, _, _ in found:
        attrs, cells = _row(groups, **{"data-unit": PROVINCE, "data-group": group})
        signed = ("+" if difference > 0 else "") + _vn(difference, 0 if difference == int(difference) else 2)
        shown = _vn(portal, 0 if portal == int(portal) else 2)
        assert cells[4:] == [shown, signed, cause or ""], group
        assert attrs["data-differs"] == str(difference != 0).lower()
        (line,) = _by(sheet, **{"Mã đơn vị": PROVINCE, "Nhóm": name})
        assert line["Điểm Cổng DVCQG"].value == pytest.approx(float(portal))
        assert line["Chênh lệch (tự tính − Cổng)"].value == pytest.approx(float(difference))
    _, _, _, _, _, total, rank = found[0]
    _, cells = _row(_table(section, "qd766-units-year"), **{"data-unit": PROVINCE})
    assert cells[5] == _vn(total, 0 if total == int(total) else 2) and cells[7] == str(rank)
    # Bình Định: scored by the portal, no dossier records in the warehouse
    ((portal_total,),) = _marts(
        published_db,
        "select distinct portal_total from marts.mart_766_reconciliation where unit_code = 'L52'"
        " and period_kind = 'year' and period_label = '2023'",
    )
    _, cells = _row(_table(section, "qd766-units-year"), **{"data-unit": "L52"})
    assert cells[:4] == ["Tỉnh Bình Định", "–", "–", "–"] and cells[5] == _vn(portal_total)
    _, cells = _row(groups, **{"data-unit": "L52", "data-group": "tien_do"})
    assert cells[2:4] == ["–", "–"] and cells[6] == "kho dữ liệu không có hồ sơ của đơn vị trong kỳ"

"""`parwh template self_assessment`: the self-assessment table of a unit, from the rubric in
force for its province and year (shipped or loaded, read from the files: no night needed),
filled in by the unit and read back by the ingest's reader with seed 003's figures."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from cli.main import app
from ingest.inbox import classify
from ingest.numbers import parse_number
from ingest.self_assessment import SelfAssessment, read_self_assessment
from reports.templates import write_template
from settings import Settings
from tests.e2e.test_rubric_load import _rubric_2024
from tests.ingest.self_assessment_files import EXPLANATIONS, PENDING, SA_DEC_2023

D = Decimal
runner = CliRunner()
AREA_MAX = [D("16.5"), D(7), D(29), D(8), D(14), D(7), D("14.5"), D(4)]
AREA_SELF = [D("13.91"), D(3), D("18.98"), D(6), D("5.77"), D("2.5"), D("7.8"), D(0)]


def _sa_dec_template(settings: Settings, out: Path, year: int = 2023) -> Path:
    return write_template(
        "self_assessment", out, province="Đồng Tháp", year=year, unit="L867", settings=settings
    )


def _columns(ws: Worksheet) -> dict[str, int]:
    """Header label → column number (the two header rows: "Điểm" over "Tối đa | Tự đánh giá")."""
    found: dict[str, int] = {}
    for row in ws.iter_rows(min_row=1, max_row=12):
        for cell in row:
            if isinstance(cell.value, str) and cell.value not in found:
                found[cell.value] = cell.column
    return found


def _fill(template: Path, filled: Path, scores: dict[str, object]) -> Path:
    """The unit's copy: a self-score on every criterion without parts (as Excel stores what
    is typed: numbers, or the words 'Chưa xác định'), evidence and explanations."""
    rows = {row.code: row.source_row for row in read_self_assessment(template).rows}
    filled.parent.mkdir(parents=True, exist_ok=True)
    wb = load_workbook(template)
    ws = wb.active
    cols = _columns(ws)
    for code, value in scores.items():
        r = rows[code]
        typed = value if value == PENDING else float(parse_number(value))
        ws.cell(row=r, column=cols["Tự đánh giá"], value=typed)
        if value != PENDING:
            ws.cell(row=r, column=cols["Tài liệu kiểm chứng"], value="Báo cáo số 251/BC-UBND")
        if code in EXPLANATIONS:
            ws.cell(row=r, column=cols["Giải trình / Ghi chú"], value=EXPLANATIONS[code])
    wb.save(filled)
    return filled


def _area_sums(table: SelfAssessment) -> list[tuple[Decimal | None, Decimal]]:
    """(maximum, self-score) per area, the self-score the sum of its criteria's."""

    def score(code: str) -> Decimal:
        row = table.row(code)
        parts = table.children(code)
        if not parts:
            return row.self_score or D(0)
        return sum((score(p.code) for p in parts), D(0))

    return [(area.max_points, score(area.code)) for area in table.areas]


def test_sa_decs_template_filled_in_reads_back_with_seed_003s_figures(
    warehouse_settings: Settings, tmp_path: Path
) -> None:
    template = _sa_dec_template(warehouse_settings, tmp_path)
    assert template.name == "bieu_self_assessment_sa_dec_2023.xlsx"
    assert not warehouse_settings.latest_path.exists()  # no night has run

    blank = read_self_assessment(template)
    assert (blank.unit_code, blank.year) == ("L867", 2023)
    assert [a.max_points for a in blank.areas] == AREA_MAX
    assert all(r.self_score is None for r in blank.rows)  # the unit scores, parents included
    survey = [r for r in blank.leaves() if r.self_score_pending]  # pre-filled 'Chưa xác định'
    assert sum(r.max_points for r in survey) == 30
    assert {r.code for r in survey} == {"1.8", "2.3", "3.6", "4.4", "5.7", "6.6", "7.2.7"}

    table = read_self_assessment(_fill(template, tmp_path / "sa_dec_2023_filled.xlsx", SA_DEC_2023))
    assert (table.unit_code, table.year, table.mismatches) == ("L867", 2023, ())
    assert _area_sums(table) == list(zip(AREA_MAX, AREA_SELF, strict=True))
    assert sum(s for _, s in _area_sums(table)) == D("57.96")
    leaves = table.leaves()
    assert sum(r.max_points for r in leaves if r.code not in {s.code for s in survey}) == 70
    lost = [
        (r.code, r.self_score) for r in leaves if r.self_score is not None and r.self_score < r.max_points
    ]
    assert lost[:4] == [("1.1", D("1.6")), ("1.6", D("1.31")), ("3.3.1", D("2.99")), ("3.3.2", D("1.99"))]
    assert table.row("5.5").explanation.startswith("Đạt 77,7 % kế hoạch")
    assert table.row("1.1").evidence == "Báo cáo số 251/BC-UBND"
    # a filled-in table dropped into the inbox is told apart as a self-assessment table
    assert "self_assessment" in classify(tmp_path / "sa_dec_2023_filled.xlsx", "sa_dec_2023_filled.xlsx")


def test_the_template_reads_as_a_form(warehouse_settings: Settings, tmp_path: Path) -> None:
    """Title block, the rubric's words, validation on what the unit scores, notes on what it
    does not, frozen header."""
    template = _sa_dec_template(warehouse_settings, tmp_path)
    ws = load_workbook(template).active
    texts = [c.value for row in ws.iter_rows(max_row=6) for c in row if c.value]
    assert "UBND THÀNH PHỐ SA ĐÉC" in texts
    assert "Đơn vị báo cáo: UBND thành phố Sa Đéc, tỉnh Đồng Tháp" in texts
    assert "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023" in texts
    cols = _columns(ws)
    rows = {r.code: r.source_row for r in read_self_assessment(template).rows}
    score = cols["Tự đánh giá"]
    assert ws.freeze_panes == f"C{rows['1']}"
    assert ws.cell(row=rows["3.3.1"], column=2).value.startswith("Tỷ lệ hồ sơ TTHC do UBND cấp huyện")
    assert ws.cell(row=rows["3.3.1"], column=cols["Tối đa"]).value == 3
    assert "kho dữ liệu" in ws.cell(row=rows["3.3.1"], column=score).comment.text.lower()
    assert ws.cell(row=rows["3.6"], column=score).value == PENDING
    assert "Tỉnh đo" in ws.cell(row=rows["3.6"], column=score).comment.text
    assert ws.cell(row=rows["3.6"], column=cols["Phương thức đánh giá"]).value.startswith("Điều tra")
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    letter = ws.cell(row=rows["1.6"], column=score).column_letter
    check = validations[f"{letter}{rows['1.6']}"]
    assert (check.type, check.formula1, check.formula2) == ("decimal", "0", "1.5")
    assert f"{letter}{rows['3.6']}" not in validations and f"{letter}{rows['1']}" not in validations


def test_a_province_and_year_without_a_rubric_is_refused_by_name(
    warehouse_settings: Settings, tmp_path: Path
) -> None:
    result = runner.invoke(
        app,
        [
            "template",
            "self_assessment",
            "--province",
            "Đồng Tháp",
            "--year",
            "2019",
            "--out",
            str(tmp_path),
            "--warehouse",
            str(warehouse_settings.warehouse_dir),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "Không có bộ tiêu chí Chỉ số CCHC cho tỉnh Đồng Tháp (L87), năm 2019" in result.output
    assert "Các bộ tiêu chí hiện có: par_index_dongthap_huyen" in result.output
    assert "par_index_qd876_tinh" in result.output and "par_index_xa_2025" in result.output
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_rubric_loaded_by_the_command_is_the_one_the_template_uses(
    warehouse_settings: Settings, tmp_path: Path
) -> None:
    """The 2024 rubric loaded with `parwh rubric load` (3.3.1 worth 2.5) makes the 2024
    template; 2023 keeps the shipped one (3.0). No night has run."""
    wh = str(warehouse_settings.warehouse_dir)
    loaded = runner.invoke(app, ["rubric", "load", str(_rubric_2024(tmp_path)), "--warehouse", wh])
    assert loaded.exit_code == 0, loaded.output
    maxima = {}
    for year in (2023, 2024, 2025):
        out = tmp_path / f"sa_dec_{year}.xlsx"
        args = ["template", "self_assessment", "--province", "87", "--year", str(year)]
        unit = "Sa Đéc" if year < 2025 else "L867"  # Sa Đéc the district, before 1 July 2025
        result = runner.invoke(app, [*args, "--unit", unit, "--out", str(out), "--warehouse", wh])
        assert result.exit_code == 0, result.output
        assert str(out) in result.output
        table = read_self_assessment(out)
        assert table.year == year
        maxima[year] = (table.row("3.3").max_points, table.row("3.3.1").max_points)
    assert maxima == {2023: (D(5), D(3)), 2024: (D("4.5"), D("2.5")), 2025: (D("4.5"), D("2.5"))}
    assert not warehouse_settings.latest_path.exists()


def test_the_cli_keeps_year_and_period_apart(warehouse_settings: Settings, tmp_path: Path) -> None:
    wh = str(warehouse_settings.warehouse_dir)
    with_period = runner.invoke(
        app, ["template", "self_assessment", "--province", "L87", "--period", "2023", "--warehouse", wh]
    )
    assert with_period.exit_code == 1 and "--year" in with_period.output
    with_year = runner.invoke(
        app, ["template", "dossiers", "--province", "L87", "--year", "2023", "--warehouse", wh]
    )
    assert with_year.exit_code == 1 and "--period" in with_year.output


def test_a_libreoffice_round_trip_still_reads(warehouse_settings: Settings, tmp_path: Path) -> None:
    """The filled table opened and saved again by LibreOffice (as many offices do) reads the same."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the round trip through it is not tested")
    filled = _fill(
        _sa_dec_template(warehouse_settings, tmp_path), tmp_path / "filled" / "sa_dec.xlsx", SA_DEC_2023
    )
    out = tmp_path / "libreoffice"
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    done = subprocess.run(
        [soffice, "--headless", profile, "--convert-to", "xlsx", "--outdir", str(out), str(filled)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    table = read_self_assessment(out / "sa_dec.xlsx")
    assert (table.unit_code, table.year, table.mismatches) == ("L867", 2023, ())
    assert _area_sums(table) == list(zip(AREA_MAX, AREA_SELF, strict=True))

"""The layouts units really send, published: one nightly run (`parwh run`) on an inbox of
an official II.06a form, the older 07a layout as Excel 97-2003, a vendor's CSV export, a
.docx annex table, free-text staff categories and a budget with its as-of date and rate in
columns; the exact figures in the published marts, the findings of a broken identity and
of a column the reader did not understand, and the ignored-column report."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.ingest.conftest import write_csv
from tests.ingest.format_writers import write_docx_grid, write_xls_grid, write_xlsx_grid
from tests.ingest.layouts import (
    budget_as_of_column,
    ii06a_nha_trang,
    m07a_sa_dec,
    merge_tuples,
    staff_free_text,
    vendor_cao_lanh,
)

runner = CliRunner()


def _write_inbox(inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    nha_trang = ii06a_nha_trang()
    write_xlsx_grid(inbox / "bieu_II06a_nha_trang_2018.xlsx", nha_trang.rows, merge_tuples(nha_trang.merges))
    # the same form for 2019 with one broken identity: Đất đai states 22 590 resolved, its
    # parts add up to 22 600
    broken = ii06a_nha_trang()
    broken.rows[2][0] = "Kỳ báo cáo: Năm 2019 (Từ ngày 01/01/2019 đến ngày 31/12/2019)"
    broken.rows[10][6] = 22_590
    write_xlsx_grid(inbox / "bieu_II06a_nha_trang_2019.xlsx", broken.rows, merge_tuples(broken.merges))
    # the annex table of a narrative report (.docx), for 2020
    annex = ii06a_nha_trang()
    annex.rows[2][0] = "Kỳ báo cáo: Năm 2020"
    titles = ["Phụ lục 1", *(str(r[0]) for r in annex.rows[:5] if r and r[0])]
    merges = [(r0 - 5, c0, r1 - 5, c1) for r0, c0, r1, c1 in merge_tuples(annex.merges)]
    write_docx_grid(inbox / "bao_cao_cchc_2020.docx", annex.rows[5:], merges, titles=titles)
    # 07a as .xls, with a column the reader does not know ("Số hồ sơ liên thông")
    sa_dec = m07a_sa_dec()
    sa_dec.rows[4].append("Số hồ sơ liên thông")
    for row in sa_dec.rows[8:15]:
        row.append(7)
    write_xls_grid(
        inbox / "tthc_sa_dec_6thang_2023.xls", sa_dec.rows, merge_tuples(sa_dec.merges + ["N5:N7"])
    )
    write_csv(inbox / "thong_ke_ho_so_quy3.csv", vendor_cao_lanh(), delimiter=";")
    write_xlsx_grid(inbox / "bien_che_an_lao.xlsx", staff_free_text())
    write_xlsx_grid(inbox / "giai_ngan_15_8_2023.xlsx", budget_as_of_column())


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        warehouse = tmp_path_factory.mktemp("layouts") / "warehouse"
        monkeypatch.setenv("PARWH_WAREHOUSE", str(warehouse))
        for name in ("PARWH_INBOX", "DAGSTER_HOME", "PARWH_DUCKDB_THREADS", "PARWH_ENGINE"):
            monkeypatch.setenv(name, "")
        settings = Settings.from_env()
        settings.export()
        _write_inbox(settings.inbox_dir)
        result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
        assert result.exit_code == 0, result.output
        yield settings, result.output


def _query(settings: Settings, sql: str, params: list | None = None, working: bool = False) -> list[tuple]:
    """Query the publication (or, for the raw tables, the working database)."""
    path = settings.database_path if working else settings.latest_path
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _stats(settings: Settings, unit: str, level: str, period: str) -> dict:
    con = duckdb.connect(str(settings.latest_path), read_only=True)
    try:
        cur = con.execute(
            "select * from marts.fct_dossier_stats where unit_code = ? and authority_level = ?"
            " and period_label = ?",
            [unit, level, period],
        )
        names = [d[0] for d in cur.description]
        rows = cur.fetchall()
    finally:
        con.close()
    assert len(rows) == 1, (unit, level, period, rows)
    return dict(zip(names, rows[0], strict=True))


def test_every_file_loads(published) -> None:
    settings, output = published
    files = _query(
        settings, "select file_name, status from raw.file_manifest order by file_name", working=True
    )
    assert files == [
        ("bao_cao_cchc_2020.docx", "loaded"),
        ("bien_che_an_lao.xlsx", "loaded"),
        ("bieu_II06a_nha_trang_2018.xlsx", "loaded"),
        ("bieu_II06a_nha_trang_2019.xlsx", "loaded"),
        ("giai_ngan_15_8_2023.xlsx", "loaded"),
        ("thong_ke_ho_so_quy3.csv", "loaded"),
        ("tthc_sa_dec_6thang_2023.xls", "loaded"),
    ]
    # the run summary names what was not loaded and the form checks' warnings
    assert "Columns not loaded" in output
    assert "tthc_sa_dec_6thang_2023.xls: Biểu 1!N (Số hồ sơ liên thông): not understood" in output
    assert "Form checks at load" in output


def test_ii06a_publishes_the_seed_figures(published) -> None:
    settings, _ = published
    city = _stats(settings, "L568", "huyen", "2018")
    assert (city["carried_in"], city["received"], city["resolved"], city["resolved_on_time"]) == (
        510,
        58_053,
        56_863,
        56_252,
    )
    assert (city["resolved_late"], city["pending"], city["received_online"]) == (611, 1_700, 4_053)
    assert (city["on_time_rate"], city["late_rate"], city["resolution_rate"]) == pytest.approx(
        (98.93, 1.07, 97.95), abs=0.005
    )
    wards = _query(
        settings,
        "select u.unit_name, s.received, s.resolved, s.resolved_late from marts.fct_dossier_stats s"
        " join marts.dim_admin_units u on u.unit_code = s.unit_code"
        " where s.authority_level = 'xa' and s.period_label = '2018' order by u.unit_name",
    )
    assert wards == [("Phường Lộc Thọ", 5_200, 5_210, 20), ("Phường Vĩnh Hải", 4_100, 4_100, 10)]
    annex = _stats(settings, "L568", "huyen", "2020")
    assert (annex["received"], annex["resolved"]) == (58_053, 56_863)


def test_07a_xls_vendor_csv(published) -> None:
    settings, _ = published
    sa_dec = _stats(settings, "L867", "huyen", "2023-H1")
    assert (sa_dec["carried_in"], sa_dec["received"], sa_dec["resolved"], sa_dec["resolved_late"]) == (
        120,
        3_900,
        3_810,
        20,
    )
    assert (sa_dec["pending"], sa_dec["pending_overdue"]) == (210, 20)
    cao_lanh = _stats(settings, "L866", "huyen", "2023-Q3")
    assert (cao_lanh["carried_in"], cao_lanh["received"], cao_lanh["received_online"]) == (40, 1_000, 500)
    assert (cao_lanh["resolved"], cao_lanh["resolved_on_time"], cao_lanh["resolved_late"]) == (980, 975, 5)
    assert cao_lanh["received_fully_online"] == 300
    assert cao_lanh["on_time_rate"] == pytest.approx(99.49, abs=0.005)


def test_staff_and_budget(published) -> None:
    settings, _ = published
    staff = _query(
        settings,
        "select category, quota, actual from marts.fct_staffing where unit_code = 'L542'"
        " and as_of_date = date '2023-06-30' order by category",
    )
    assert staff == [
        ("cong_chuc", 80, 78),
        ("hop_dong", 12, 12),
        ("vien_chuc_giao_duc", 600, 590),
        ("vien_chuc_khac", 120, 118),
        ("vien_chuc_y_te", 90, 85),
    ]
    budget = _query(
        settings,
        "select unit_code, as_of_date, plan_mvnd, disbursed_mvnd, disbursement_rate"
        " from marts.fct_budget_disbursement where unit_code in ('L867', 'L876') order by unit_code",
    )
    assert budget == [
        (
            "L867",
            date(2023, 8, 15),
            Decimal("590161.540"),
            Decimal("212901.285"),
            pytest.approx(36.08, abs=0.005),
        ),
        ("L876", date(2023, 8, 15), Decimal("300000.000"), Decimal("150000.000"), pytest.approx(50.0)),
    ]


def test_findings_of_a_broken_identity_and_an_unknown_column(published) -> None:
    settings, _ = published
    findings = _query(
        settings,
        "select rule, severity, source_file, source_row, message_vi from marts.data_quality_findings"
        " where rule like 'form_%' order by source_file, source_row, rule",
    )
    rules = [(r[0], r[1], r[2], r[3]) for r in findings]
    assert ("form_resolved_parts", "warn", "bieu_II06a_nha_trang_2019.xlsx", 11) in rules
    assert ("form_balance", "warn", "bieu_II06a_nha_trang_2019.xlsx", 11) in rules
    assert ("form_unmapped_numeric_column", "warn", "tthc_sa_dec_6thang_2023.xls", 7) in rules
    resolved = next(r for r in findings if r[0] == "form_resolved_parts")
    assert "22590" in resolved[4] and "22600" in resolved[4] and "dòng 11" in resolved[4]
    # the row is published as stated, with its finding
    assert _stats(settings, "L568", "huyen", "2019")["resolved"] == 56_853
    ignored = _query(
        settings,
        "select file_name, ignored_columns from raw.file_manifest"
        " where file_name = 'thong_ke_ho_so_quy3.csv'",
        working=True,
    )
    assert ignored == [("thong_ke_ho_so_quy3.csv", ["M (Ghi chú): recognised, holds no data"])]

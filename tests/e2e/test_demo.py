"""`parwh demo` end to end: the demo submissions, the seed figures, the planted defects."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from settings import Settings
from tests.conftest import DemoBuild


@pytest.fixture(scope="module")
def demo_warehouse(demo_build: DemoBuild) -> tuple[Settings, str]:
    """The session's demo warehouse (tests/conftest.py) and what `parwh demo` printed."""
    return demo_build.settings, demo_build.output


def _published(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.latest_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _rate(settings: Settings, unit: str, period: str, indicator: str, level: str) -> float:
    rows = _published(
        settings,
        "select round(cast(value as decimal(18, 10)), 2) from marts.fct_indicator_values "
        "where unit_code = ? and period_label = ? and indicator_code = ? and authority_level = ?",
        [unit, period, indicator, level],
    )
    assert len(rows) == 1, (unit, period, indicator, level, rows)
    return float(rows[0][0])


def test_seed_figures_are_reproduced(demo_warehouse) -> None:
    settings, _ = demo_warehouse
    # seed 002, Nha Trang 2018: city level, then its communes summed
    assert _rate(settings, "L568", "2018", "dossier_on_time_rate", "huyen") == 98.93
    assert _rate(settings, "L568", "2018", "dossier_late_rate", "huyen") == 1.07
    assert _rate(settings, "L568", "2018", "dossier_resolution_rate", "huyen") == 97.95
    assert _rate(settings, "L568", "2018", "dossier_on_time_rate", "xa") == 99.79
    assert _rate(settings, "L568", "2018", "dossier_late_rate", "xa") == 0.21
    assert _rate(settings, "L568", "2018", "dossier_resolution_rate", "xa") == 99.96
    # seed 000, Cao Lãnh city 2021 survey: 548 of 600 forms
    assert _rate(settings, "L866", "2021", "survey_satisfaction_rate", "huyen") == 91.33
    # seed 003, Sa Đéc disbursement to 15/8/2023: 36 %
    (rate,) = _published(
        settings,
        "select disbursement_rate from marts.fct_budget_disbursement "
        "where unit_code = 'L867' and as_of_date = '2023-08-15'",
    )[0]
    assert round(rate) == 36


def test_every_mart_is_published_with_demo_data(demo_warehouse) -> None:
    settings, _ = demo_warehouse
    for table in (
        "dim_admin_units",
        "fct_dossier_stats",
        "fct_survey_satisfaction",
        "fct_budget_disbursement",
        "fct_staffing",
        "fct_indicator_values",
        "fct_scores",
        "rankings",
        "data_quality_findings",
    ):
        (count,) = _published(settings, f"select count(*) from marts.{table}")[0]
        assert count > 0, table
    # every district of the four provinces is ranked inside its province for 2023
    ranked = dict(
        _published(
            settings,
            "select scope_code, count(*) from marts.rankings where rubric_id = 'par_basic' "
            "and ranking_scope = 'province' "
            "and unit_kind = 'district' and period_label = '2023' group by scope_code",
        )
    )
    districts = dict(
        _published(
            settings,
            "select province_code, count(*) from marts.dim_admin_units where unit_kind = 'district' "
            "and province_code in ('L87', 'L72', 'L56', 'L52') group by province_code",
        )
    )
    assert ranked == districts


def test_planted_defects_are_rejected_found_and_alerted(demo_warehouse) -> None:
    settings, output = demo_warehouse
    assert "2 bị từ chối / rejected" in output
    # each rejected file is shown with its reason in Vietnamese (English in its .error.txt)
    (shown,) = [line for line in output.splitlines() if "tthc_tp_sa_dec_quy_3_2023.xlsx:" in line]
    assert "bị từ chối / rejected" in shown and "Sa Đét" in shown and "đơn vị" in shown
    # quarantined as <content hash>_<name>, with the error beside it
    (error_file,) = settings.quarantine_dir.glob("*_tthc_tp_sa_dec_quy_3_2023.xlsx.error.txt")
    error_text = error_file.read_text(encoding="utf-8")
    assert "Sa Đét" in error_text and "L867" in error_text  # the closest candidate
    findings = _published(
        settings, "select rule, severity, source_file, message from marts.data_quality_findings"
    )
    rules = {(rule, severity) for rule, severity, _, _ in findings}
    assert ("file_rejected", "error") in rules
    sum_of_parts = [m for r, _, _, m in findings if r == "stated_total_matches_parts"]
    assert any("733" in m and "732" in m for m in sum_of_parts)
    assert "Alert sent" in output
    assert "733" in (settings.warehouse_dir / "alerts.log").read_text(encoding="utf-8")


def test_no_personal_data_reaches_the_warehouse(demo_warehouse) -> None:
    settings, _ = demo_warehouse
    survey = settings.inbox_dir / "khao_sat_tp_cao_lanh_2021.csv"
    with survey.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    personal = {row["Số điện thoại"] for row in rows} | {row["CCCD"] for row in rows}
    assert len(personal) > 100
    needles = [value.encode("utf-8") for value in personal if len(value) >= 9]
    for path in settings.warehouse_dir.rglob("*"):
        if path.is_file() and settings.inbox_dir not in path.parents:
            data = path.read_bytes()
            leaked = [n for n in needles if n in data]
            assert not leaked, f"{path} holds personal data"


def test_quarantine_copy_holds_the_rejected_files_cells(demo_warehouse) -> None:
    """The quarantine keeps a copy written by the scrubber (never the submitted bytes) with
    the rejected file's cells."""
    from ingest.readers import read_sheets

    settings, _ = demo_warehouse
    original = settings.inbox_dir / "tthc_tay_ninh_thang_6_2023.xlsx"
    expected = [s.rows for s in read_sheets(original)]
    copies = [p for p in settings.quarantine_dir.iterdir() if p.suffix == ".xlsx"]
    assert any([s.rows for s in read_sheets(p)] == expected for p in copies)
    assert not any(p.read_bytes() == original.read_bytes() for p in copies)
    assert Path(settings.inbox_dir / "tthc_tay_ninh_thang_6_2023.xlsx").exists()  # inbox untouched


def test_records_aggregate_to_the_submitted_figures(demo_warehouse) -> None:
    """Sa Đéc and Hòa Thành sent both their 2023 record exports and the aggregated form:
    the warehouse's aggregation of the records gives exactly the submitted figures."""
    settings, _ = demo_warehouse
    columns = (
        "carried_in, received, received_online, received_postal, resolved, resolved_early, "
        "resolved_on_time, resolved_late, pending, pending_not_due, pending_overdue"
    )
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        compared = con.execute(
            f"""
            select r.unit_code, r.authority_level, ({columns}) as figures
            from intermediate.int_dossier_records_aggregated as r
            where r.period_label = '2023'
            except
            select s.unit_code, s.authority_level, ({columns}) as figures
            from intermediate.int_dossier_submissions_latest as s
            where s.period_label = '2023'
            """
        ).fetchall()
        units = con.execute(
            "select count(distinct unit_code) from intermediate.int_dossier_records_aggregated "
            "where period_label = '2023'"
        ).fetchone()[0]
        exported = con.execute("select count(distinct unit_code) from raw.dossier_records").fetchone()[0]
    finally:
        con.close()
    assert units == exported >= 10  # two districts and their communes
    assert compared == []


def test_the_example_queries_of_docs_marts_run_on_the_demo(demo_warehouse) -> None:
    """docs/marts.md must describe what the published file holds: every example runs."""
    import re

    settings, _ = demo_warehouse
    doc = (Path(__file__).resolve().parents[2] / "docs" / "marts.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", doc, re.S)
    assert len(queries) >= 5
    for query in queries:
        assert _published(settings, query), query


def test_dbt_docs_are_published_beside_the_reports(demo_warehouse) -> None:
    import json

    settings, _ = demo_warehouse
    docs = settings.published_dir / "reports" / "dbt_docs"
    assert (docs / "index.html").stat().st_size > 100_000
    catalog = json.loads((docs / "catalog.json").read_text(encoding="utf-8"))
    assert "model.par_warehouse.rankings" in catalog["nodes"]
    columns = catalog["nodes"]["model.par_warehouse.rankings"]["columns"]
    assert "is_statistical_tie_with_above" in columns
    # the page shows the SQL the night's build ran (its manifest; dbt did not compile again)
    manifest = json.loads((docs / "manifest.json").read_text(encoding="utf-8"))
    assert "from" in manifest["nodes"]["model.par_warehouse.rankings"]["compiled_code"]
    logs = "".join(
        path.read_text(encoding="utf-8") for path in (settings.warehouse_dir / "logs").glob("*.log")
    )
    assert "dbt docs from tonight's build (not compiled again)" in logs


def test_dbt_unit_tests_pass_on_the_demo_warehouse(demo_warehouse, tmp_path: Path) -> None:
    """The nightly build leaves dbt unit tests out (they check SQL, not data): they run here."""
    import json
    import os
    import subprocess

    from engines.dbt import DBT_PROJECT_DIR, dbt_executable

    settings, _ = demo_warehouse
    env = {**os.environ, "PARWH_WAREHOUSE": str(settings.warehouse_dir)}
    result = subprocess.run(
        [dbt_executable(), "test", "--select", "test_type:unit", "--target-path", str(tmp_path),
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    results = json.loads((tmp_path / "run_results.json").read_text())["results"]
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 8
    assert {r["status"] for r in unit_tests} == {"pass"}


def test_the_status_history_is_loaded_and_agrees_with_the_records(demo_warehouse) -> None:
    """Hòa Thành's status history (portal names and codes, a handler column) is loaded without
    its handler column, and what dbt reads from it per dossier is what the record export
    says: as many supplement requests, the first at the same time, the same end."""
    settings, _ = demo_warehouse
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        status, rows = con.execute(
            "select status, row_count from raw.file_manifest"
            " where file_name = 'lich_su_xu_ly_ho_so_hoa_thanh_2023.csv'"
        ).fetchone()
        columns = {r[0] for r in con.execute("describe raw.dossier_status_history").fetchall()}
        compared = con.execute(
            """
            with asked as (
                select unit_code, dossier_id, supplement_count, supplement_requested_at, finished_at
                from raw.dossier_records
                where supplement_requested_at is not null and unit_code in (
                    select unit_code from raw.admin_units where unit_code = 'L709' or parent_code = 'L709')
            )
            select
                count(*),
                count(h.dossier_id),
                count(*) filter (where h.supplement_requests = a.supplement_count),
                count(*) filter (where h.supplement_requested_at = a.supplement_requested_at),
                count(*) filter (where h.ended_at is not distinct from a.finished_at)
            from asked a
            left join intermediate.int_qd766_status_history_per_dossier h
                on h.unit_code = a.unit_code and h.dossier_id = a.dossier_id
            """
        ).fetchone()
        per_dossier = "select count(*) from intermediate.int_qd766_status_history_per_dossier"
        histories = con.execute(per_dossier).fetchone()
    finally:
        con.close()
    assert status == "loaded" and rows > 4000
    stored = {"file_id", "source_row", "unit_code", "dossier_id", "status", "changed_at", "loaded_at"}
    assert columns == stored  # the handler's column is never read
    asked = compared[0]
    assert asked > 1000 and compared == (asked, asked, asked, asked, asked)
    assert histories == (asked,)


def test_the_official_form_and_the_xls_file_are_loaded(demo_warehouse) -> None:
    """Nha Trang 2018 arrives on Biểu II.06a (the city's desk by field, its communes by name)
    and Bình Định's 2021 staff table as an Excel 97-2003 .xls: both load, with their units,
    levels and figures, and the form's own checks find nothing."""
    settings, _ = demo_warehouse
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        manifest = dict(
            con.execute(
                "select file_name, status from raw.file_manifest where file_name in"
                " ('bieu_II06a_nha_trang_nam_2018.xlsx', 'bien_che_binh_dinh_31_12_2021.xls')"
            ).fetchall()
        )
        form = con.execute(
            """select d.unit_code, d.authority_level, count(*), count(d.field),
                      sum(d.received), sum(d.resolved), sum(d.resolved_late)
               from raw.dossiers d join raw.file_manifest m using (file_id)
               where m.file_name = 'bieu_II06a_nha_trang_nam_2018.xlsx' and not d.is_total_row
               group by all order by 2, 1"""
        ).fetchall()
        findings = con.execute(
            "select f.rule, f.source_row, f.message from raw.load_findings f join raw.file_manifest m"
            " using (file_id) where m.file_name = 'bieu_II06a_nha_trang_nam_2018.xlsx'"
        ).fetchall()
        staff = con.execute(
            """select count(*) filter (where not s.is_total_row), count(distinct s.unit_code),
                      sum(s.quota) filter (where not s.is_total_row),
                      sum(s.quota) filter (where s.is_total_row)
               from raw.staff s join raw.file_manifest m using (file_id)
               where m.file_name = 'bien_che_binh_dinh_31_12_2021.xls'"""
        ).fetchone()
    finally:
        con.close()
    assert manifest == {
        "bieu_II06a_nha_trang_nam_2018.xlsx": "loaded",
        "bien_che_binh_dinh_31_12_2021.xls": "loaded",
    }
    city = [r for r in form if r[1] == "huyen"]
    communes = [r for r in form if r[1] == "xa"]
    assert city == [("L568", "huyen", 8, 8, 58053, 56863, 611)]  # eight fields of the city's desk
    assert len(communes) == 22 and all(r[2] == 1 and r[3] == 0 for r in communes)
    assert sum(r[4] for r in communes) == 75416 and sum(r[6] for r in communes) == 158
    assert findings == []
    rows, units, quota, stated = staff
    assert (rows, units) == (66, 11) and quota == stated  # 11 districts × 6 categories, "Cộng" agrees


def test_the_demo_shows_the_par_index_at_every_stage(demo_warehouse) -> None:
    """Đồng Tháp 2023's self-assessments (demo/generate.py step 8): Sa Đéc self-assessed with
    seed 003's 57.96 of 70, Tháp Mười appraised, Cao Lãnh final (3.6 from the survey marts),
    Hồng Ngự's claim of 3 for 3.3.1 contradicted by its dossiers, Tân Hồng's wrong area sum."""
    from decimal import Decimal

    settings, _ = demo_warehouse
    status = {
        unit: rest
        for unit, *rest in _published(
            settings,
            "select unit_code, index_status, self_assessed_points, self_assessed_max_points"
            " from marts.mart_index_status where assessment_year = 2023"
            " and rubric_id = 'par_index_dongthap_huyen'",
        )
    }
    assert status["L867"] == ["self_assessed", Decimal("57.96"), Decimal(70)]
    assert {u: s[0] for u, s in status.items()} == {
        "L866": "final", "L867": "self_assessed", "L868": "self_assessed",
        "L869": "self_assessed", "L872": "appraised",
    }  # fmt: skip
    (sipas,) = _published(
        settings,
        "select survey_points from marts.fct_index_criteria"
        " where unit_code = 'L866' and assessment_year = 2023 and node_code = '3.6'",
    )[0]
    assert sipas is not None and 0 < sipas <= 10  # from the survey marts: the appraisal left it blank
    stages = _published(settings, "select distinct ranked_status from marts.mart_index_rankings")
    assert {s for (s,) in stages} == {"self_assessed", "appraised", "final"}
    findings = _published(
        settings,
        "select rule, unit_code, finding_key, source_file, message_vi from marts.data_quality_findings"
        " where rule in ('self_score_contradicted_by_data', 'form_self_assessment_sum')",
    )
    assert (
        "self_score_contradicted_by_data",
        "L868",
        "3.3.1",
        "tu_danh_gia_cchc_tp_hong_ngu_2023.xlsx",
        "Tiêu chí 3.3.1: tự chấm 3,0; dữ liệu cho 2,96"
        " — tỷ lệ hồ sơ giải quyết đúng hạn (kể cả trước hạn) 98,62 %",
    ) in findings
    [wrong_sum] = [f for f in findings if f[0] == "form_self_assessment_sum"]
    assert wrong_sum[1] == "L869" and wrong_sum[3] == "tu_danh_gia_cchc_huyen_tan_hong_2023.xlsx"
    for table in (
        "fct_index_criteria",
        "fct_index_areas",
        "mart_index_status",
        "mart_index_rankings",
        "mart_index_points_lost",
        "mart_index_claims_vs_data",
    ):
        (count,) = _published(settings, f"select count(*) from marts.{table}")[0]
        assert count > 0, table


def test_the_demo_reports_planted_differences_are_in_the_claims_mart(demo_warehouse) -> None:
    """demo/narratives.py plants three differences in its narrative reports; the published
    claims mart shows each as 'differs', with the stated figure and the warehouse's."""
    from demo.narratives import PLANTED

    settings, _ = demo_warehouse
    for planted in PLANTED:
        rows = _published(
            settings,
            "select value, warehouse_value_rounded, status, difference from marts.mart_report_claims"
            " where file_name = ? and unit_code = ? and unit_level = ? and measure = ?",
            [planted.file, planted.unit_code, planted.level, planted.measure],
        )
        assert rows, f"{planted} is not in mart_report_claims"
        [(value, warehouse, status, difference)] = rows
        assert (value, warehouse, status) == (planted.stated, planted.data, "differs"), planted
        assert difference == planted.stated - planted.data
    statuses = dict(
        _published(settings, "select status, count(*) from marts.mart_report_claims group by all")
    )
    assert statuses.get("differs") == len(PLANTED), statuses
    assert statuses.get("matches", 0) >= 12, statuses

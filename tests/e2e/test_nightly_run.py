"""`parwh run` end to end on real files: ingest, dbt build, Great Expectations, publication."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.e2e.inbox_files import write_bad_budget, write_small_inbox

runner = CliRunner()


def _run(settings: Settings) -> tuple[int, str]:
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    return result.exit_code, result.output


def _run_forced(settings: Settings) -> tuple[int, str]:
    result = runner.invoke(app, ["run", "--force", "--warehouse", str(settings.warehouse_dir)])
    return result.exit_code, result.output


def _skip_in_fresh_process(settings: Settings) -> tuple[bool, list[str]]:
    """`parwh run` in a new Python process: whether it said the night was skipped, and which
    of the heavy packages it imported."""
    program = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from cli.main import app\n"
        "result = CliRunner().invoke(app, ['run', '--warehouse', sys.argv[1]])\n"
        "heavy = ('dagster', 'dagster_dbt', 'dbt', 'great_expectations')\n"
        "print(json.dumps(['Skipped' in result.output, [m for m in heavy if m in sys.modules]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(settings.warehouse_dir)],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    skipped, imported = json.loads(done.stdout.strip().splitlines()[-1])
    return skipped, imported


def _query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.latest_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _publish_small_inbox(settings: Settings) -> Settings:
    write_small_inbox(settings.inbox_dir)
    code, output = _run(settings)
    assert code == 0, output
    return settings


@pytest.fixture(scope="module")
def published_once(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One published warehouse shared by the tests that only read it (a run takes ~20 s)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        warehouse = tmp_path_factory.mktemp("shared") / "warehouse"
        monkeypatch.setenv("PARWH_WAREHOUSE", str(warehouse))
        for name in ("PARWH_INBOX", "DAGSTER_HOME", "PARWH_DUCKDB_THREADS"):
            monkeypatch.setenv(name, "")
        settings = Settings.from_env()
        settings.export()
        yield _publish_small_inbox(settings)


@pytest.fixture
def published(warehouse_settings: Settings) -> Settings:
    """A published warehouse of its own, for tests that run the pipeline again."""
    return _publish_small_inbox(warehouse_settings)


def test_publishes_rates_computed_from_the_files(published_once: Settings) -> None:
    rows = _query(
        published_once,
        "select unit_code, received, resolved, resolved_on_time, resolved_late, pending, "
        "on_time_rate, late_rate, resolution_rate from marts.fct_dossier_stats "
        "where period_label = '2023' and authority_level = 'huyen' order by unit_code",
    )
    assert [r[:6] for r in rows] == [
        ("L866", 10000, 9800, 9700, 100, 300),
        ("L867", 8000, 8000, 7976, 24, 0),
        ("L868", 5000, 4000, 3600, 400, 1000),
    ]
    assert rows[0][6] == pytest.approx(100 * 9700 / 9800)
    assert rows[0][7] == pytest.approx(100 * 100 / 9800)
    assert rows[2][8] == pytest.approx(80.0)
    assert rows[1][6] == pytest.approx(99.7)

    disbursement = _query(
        published_once,
        "select unit_code, as_of_date::varchar, disbursement_rate from marts.fct_budget_disbursement "
        "order by unit_code",
    )
    assert disbursement[1][:2] == ("L867", "2023-08-15")
    assert disbursement[1][2] == pytest.approx(100 * 212901.285 / 590161.540)
    satisfaction = _query(
        published_once,
        "select unit_code, forms, satisfied_forms, satisfaction_rate from marts.fct_survey_satisfaction "
        "order by unit_code",
    )
    assert satisfaction[0] == ("L866", 600, 548, pytest.approx(100 * 548 / 600))


def test_publishes_rankings_and_points(published_once: Settings) -> None:
    ranking = _query(
        published_once,
        "select unit_code, unit_kind, rank, score, band, total_points "
        "from marts.rankings where rubric_id = 'par_basic' and ranking_scope = 'province' "
        "and scope_code = 'L87' and period_label = '2023' order by rank",
    )
    # the score is rounded half up once, to the rubric's 2 decimals: 5.30 of 6 is 88.33
    assert ranking == [
        ("L866", "district", 1, Decimal("88.33"), "Khá", Decimal("5.30")),
        ("L867", "district", 2, Decimal("87.50"), "Khá", Decimal("5.25")),
        ("L868", "district", 3, Decimal("85.00"), "Khá", Decimal("5.10")),
    ]
    points = dict(
        _query(
            published_once,
            "select criterion_code, points from marts.fct_scores "
            "where unit_code = 'L867' and rubric_id = 'par_basic' and period_label = '2023'",
        )
    )
    assert points["3.3.1"] == Decimal("2.99")  # 99.7 % on time → 2.99 of 3.0 (seed 003)
    assert points["3.3.2"] is None  # no commune data: missing, not zero
    assert points["6.1"] == Decimal("0.36")


def test_published_file_holds_every_contract_mart(published_once: Settings) -> None:
    tables = {
        r[0]
        for r in _query(
            published_once, "select table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    assert {
        "dim_admin_units",
        "fct_dossier_stats",
        "fct_survey_satisfaction",
        "fct_budget_disbursement",
        "fct_staffing",
        "rankings",
        "data_quality_findings",
    } <= tables
    # the whole country's units, legacy and current
    counts = dict(
        _query(published_once, "select admin_era, count(*) from marts.dim_admin_units group by admin_era")
    )
    assert counts["legacy"] > 10_000 and counts["current"] > 3_300


def test_the_run_is_recorded_in_the_dagster_instance(published_once: Settings) -> None:
    instance = dg.DagsterInstance.from_config(str(published_once.dagster_home))
    runs = instance.get_runs()
    assert len(runs) == 1
    assert runs[0].job_name == "nightly"
    assert runs[0].status == dg.DagsterRunStatus.SUCCESS


def test_a_night_with_nothing_new_is_skipped_and_force_runs_it(published: Settings) -> None:
    before = published.latest_path.read_bytes()
    instance = dg.DagsterInstance.from_config(str(published.dagster_home))
    runs_before = len(instance.get_runs())
    code, output = _run(published)
    assert code == 0, output
    assert "Nothing new since" in output and "Skipped" in output
    assert len(instance.get_runs()) == runs_before  # no Dagster run, no dbt
    assert published.latest_path.read_bytes() == before
    assert "nothing new since run" in (published.warehouse_dir / "logs" / "skipped_nights.log").read_text()
    # a night found to have nothing new never imports Dagster, dbt or Great Expectations
    # (their imports were 3 of the 4 seconds a skipped night took)
    skipped, imported = _skip_in_fresh_process(published)
    assert skipped and imported == [], imported

    # a file renamed is new (same content under another name: recorded as a duplicate)
    first = sorted(published.inbox_dir.glob("*.csv"))[0]
    (published.inbox_dir / f"copy_of_{first.name}").write_bytes(first.read_bytes())
    code, output = _run(published)
    assert code == 0, output
    assert "Nothing new" not in output and "1 đã nạp trước đó, bỏ qua / already loaded before" in output
    assert len(instance.get_runs()) == runs_before + 1

    code, output = _run_forced(published)
    assert code == 0, output
    assert "Nothing new" not in output and "0 đã nạp / loaded" in output
    assert len(instance.get_runs()) == runs_before + 2
    ranked = _query(
        published,
        "select unit_code, ranking_scope from marts.rankings "
        "where rubric_id = 'par_basic' and period_label = '2023' "
        "order by unit_code, ranking_scope",
    )
    # three districts in their province and nationally; the province (sum of its districts)
    assert ranked == [
        ("L866", "nation"),
        ("L866", "province"),
        ("L867", "nation"),
        ("L867", "province"),
        ("L868", "nation"),
        ("L868", "province"),
        ("L87", "nation"),
    ]


def test_error_check_holds_publication_back(published: Settings) -> None:
    before = published.latest_path.read_bytes()
    write_bad_budget(published.inbox_dir)
    code, output = _run(published)
    assert code == 2, output
    assert "held publication back" in output
    assert "Nothing published since" in " ".join(output.split())
    alert = (published.warehouse_dir / "alerts.log").read_text(encoding="utf-8")
    assert "Nothing published since" in alert.rsplit("[PAR Warehouse]", 1)[-1]
    assert published.latest_path.read_bytes() == before
    instance = dg.DagsterInstance.from_config(str(published.dagster_home))
    latest_run = instance.get_runs(limit=1)[0]
    assert latest_run.status == dg.DagsterRunStatus.FAILURE
    # the finding names the file and the rule
    con = duckdb.connect(str(published.database_path), read_only=True)
    findings = con.execute(
        "select rule, severity, unit_code, source_file from marts.data_quality_findings "
        "where run_id = ? and severity = 'error'",
        [latest_run.run_id],
    ).fetchall()
    con.close()
    assert any(f[2] == "L868" and f[3] == "giai_ngan_hong_ngu_2023_sua.csv" for f in findings), findings


def test_corrected_submission_replaces_the_figures(published: Settings) -> None:
    """A later file for the same unit, level and period replaces the earlier figures in the
    marts; the raw history keeps both with their file ids."""
    corrected = (
        "Mã đơn vị;Đơn vị;Kỳ báo cáo;Cấp;Kỳ trước chuyển qua;Tiếp nhận mới;Đã giải quyết;"
        "Trước hạn;Đúng hạn;Trễ hạn;Đang giải quyết chưa đến hạn;Đang giải quyết quá hạn\n"
        "868;Thành phố Hồng Ngự;Năm 2023;huyện;0;5.000;4.500;1.000;3.300;200;400;100\n"
    )
    (published.inbox_dir / "tthc_hong_ngu_2023_dieu_chinh.csv").write_text(corrected, encoding="utf-8")
    code, output = _run(published)
    assert code == 0, output
    rows = _query(
        published,
        "select resolved, resolved_on_time, on_time_rate, source_file from marts.fct_dossier_stats "
        "where unit_code = 'L868' and period_label = '2023' and authority_level = 'huyen'",
    )
    assert rows == [(4500, 4300, pytest.approx(100 * 4300 / 4500), "tthc_hong_ngu_2023_dieu_chinh.csv")]
    con = duckdb.connect(str(published.database_path), read_only=True)
    history = con.execute(
        "select count(distinct file_id) from raw.dossiers where unit_code = 'L868'"
    ).fetchone()[0]
    con.close()
    assert history == 2

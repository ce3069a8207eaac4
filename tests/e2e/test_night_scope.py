"""A night with new files of one source family rebuilds only what depends on that family,
and publishes the same marts as a night that rebuilds everything."""

from __future__ import annotations

import json
import re
import shutil

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from cli.main import app
from engines.dbt import SCOPED_NIGHT_THREADS
from publication.marts import PUBLISHED_MARTS
from settings import Settings
from tests.e2e.inbox_files import DOSSIERS_CSV, write_small_inbox

runner = CliRunner()

# Record-level exports of two of the small inbox's districts (2023): a new source family.
RECORDS_CSV = """\
dossier_id,unit_code,authority_level,channel,received_at,due_at,finished_at
H1,866,huyen,truc_tuyen,2023-03-01 08:00,2023-03-10 17:00,2023-03-09 10:00
H2,866,huyen,truc_tiep,2023-03-02 08:00,2023-03-10 17:00,2023-03-12 10:00
H3,866,huyen,truc_tiep,2023-11-20 08:00,2024-01-10 17:00,
H4,867,huyen,buu_chinh,2023-05-02 08:00,2023-05-20 17:00,2023-05-20 16:00
"""
# 866 to November 2023: received 3, resolved 2 (H1 early, H2 late), H3 still open

# Later nights of records: a new dossier in November, then the first records of December
# (a new last month of data: the 766 quarter and year not yet over end with it), then a
# correction that moves H2's receipt from March to February. Each: its file name, contents,
# and the first month its records change.
_RECORDS_HEADER = "dossier_id,unit_code,authority_level,channel,received_at,due_at,finished_at\n"
LATER_RECORDS = [
    (
        "ho_so_cao_lanh_2023_11.csv",
        _RECORDS_HEADER + "H5,866,huyen,truc_tuyen,2023-11-22 08:00,2023-12-05 17:00,2023-11-28 10:00\n",
        "2023-11-01",
    ),
    (
        "ho_so_cao_lanh_2023_12.csv",
        _RECORDS_HEADER + "H6,866,huyen,truc_tuyen,2023-12-04 08:00,2023-12-20 17:00,2023-12-15 10:00\n",
        "2023-12-01",
    ),
    (
        "ho_so_cao_lanh_2023_dinh_chinh.csv",
        _RECORDS_HEADER + "H2,866,huyen,truc_tiep,2023-02-27 08:00,2023-03-10 17:00,2023-03-12 10:00\n",
        "2023-02-01",
    ),
]
# the models rebuilt by period (dbt_project/macros/rebuilt_by_period.sql), from the months
# int_dossier_records_monthly's latest build wrote
REBUILT_BY_PERIOD = (
    "int_unit_measures_rolled_up",
    "int_unit_measures_current_history",
    "fct_indicator_values",
    "fct_scores",
    "fct_area_scores",
    "mart_points_lost",
    "rankings",
)
# … and from int_qd766_records_monthly's, widened to the last month of data before tonight's
REBUILT_BY_PERIOD_766 = ("int_qd766_unit_periods", "fct_766_indicators", "fct_766_group_scores")
_PERIODS_DELETED = re.compile(
    r'^delete from "warehouse"\."\w+"\."(\w+)"\s*(?:where period_end >= date \'([\d-]+)\')?'
)
# a generic test's model read from a first period end (macros/rebuilt_by_period.sql)
_TEST_READS_FROM = re.compile(r"where period_end >= date '([\d-]+)'\) dbt_subquery")

# columns that name the run or the moment it ran, not what was computed
RUN_COLUMNS = {"run_id", "published_at", "found_at", "first_seen_at", "last_seen_at", "checked_at"}


def l866_records_to_november(settings: Settings) -> list[tuple]:
    """Published record-level figures of 866 from January to November 2023."""
    con = duckdb.connect(str(settings.latest_path), read_only=True)
    try:
        return con.execute(
            "select received, resolved, pending from marts.fct_dossier_stats"
            " where unit_code = 'L866' and period_label = '2023-11M' and source_kind = 'records'"
        ).fetchall()
    finally:
        con.close()


def _run(settings: Settings, *flags: str) -> str:
    result = runner.invoke(app, ["run", *flags, "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    return result.output


def _published(settings: Settings) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(settings.latest_path), read_only=True)
    try:
        tables = {}
        for table in PUBLISHED_MARTS:
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if name not in RUN_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"select {select} from marts.{table}").fetchall()
            tables[table] = sorted(rows, key=repr)
        return tables
    finally:
        con.close()


def _materialised_in_last_run(settings: Settings) -> set[str]:
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    run = instance.get_runs(limit=1)[0]
    records = instance.get_records_for_run(
        run_id=run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    return {r.event_log_entry.dagster_event.asset_key.to_user_string() for r in records}


def _dbt_threads_of_last_run(settings: Settings) -> int | None:
    """The threads the last run's `dbt build` was given (None: the profile's), from its
    run_results.json."""
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    run_id = instance.get_runs(limit=1)[0].run_id
    (results,) = settings.dbt_target_dir.glob(f"warehouse_dbt_models-{run_id[:7]}-*/run_results.json")
    threads = json.loads(results.read_text(encoding="utf-8"))["args"].get("threads")
    return None if threads is None else int(threads)


def _last_build_queries(settings: Settings) -> tuple[list[tuple[str, str]], dict]:
    """The last run's dbt build: the queries it ran (node unique id, SQL without dbt's
    comment), from its dbt.log, and its manifest."""
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    run_id = instance.get_runs(limit=1)[0].run_id
    (folder,) = settings.dbt_target_dir.glob(f"warehouse_dbt_models-{run_id[:7]}-*")
    queries = []
    # dbt.log, and dbt.log.1 … when dbt rotated it (a whole night writes more than 10 MB)
    for log in folder.glob("dbt.log*"):
        for line in log.read_text(encoding="utf-8").splitlines():
            data = json.loads(line).get("data", {})
            if "sql" in data and "node_info" in data:
                sql = re.sub(r"^/\*.*?\*/\s*", "", data["sql"], flags=re.S)
                queries.append((data["node_info"]["unique_id"], sql))
    return queries, json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _periods_rebuilt_from(settings: Settings) -> tuple[set[str | None], set[str | None]]:
    """The first period end the last run's dbt build deleted and rebuilt (None: every
    period) in the models rebuilt by period, and in the 766 ones, from its dbt.log."""
    deleted: dict[str, str | None] = {}
    for _, sql in _last_build_queries(settings)[0]:
        match = _PERIODS_DELETED.match(sql)
        if match:
            deleted[match.group(1)] = match.group(2)
    assert set(REBUILT_BY_PERIOD + REBUILT_BY_PERIOD_766) <= set(deleted), sorted(deleted)
    return {deleted[m] for m in REBUILT_BY_PERIOD}, {deleted[m] for m in REBUILT_BY_PERIOD_766}


def _tests_read_from(settings: Settings) -> dict[str, set[str | None]]:
    """Per model rebuilt by period: the first period end its generic dbt tests read in the
    last run's build (None: the whole table), from its dbt.log."""
    queries, manifest = _last_build_queries(settings)
    read_from: dict[str, set[str | None]] = {}
    for unique_id, sql in queries:
        test = manifest["nodes"].get(unique_id, {})
        model = (test.get("attached_node") or "").rsplit(".", 1)[-1]
        if model in REBUILT_BY_PERIOD + REBUILT_BY_PERIOD_766 and "dbt_internal_test" in sql:
            match = _TEST_READS_FROM.search(sql)
            read_from.setdefault(model, set()).add(match.group(1) if match else None)
    assert set(read_from) == set(REBUILT_BY_PERIOD + REBUILT_BY_PERIOD_766), sorted(read_from)
    return read_from


def _temporary_relations(settings: Settings) -> dict[str, set[str]]:
    """Per model: the kinds of temporary relation (table, view) the last run's build made for
    it, from its dbt.log."""
    kinds: dict[str, set[str]] = {}
    for unique_id, sql in _last_build_queries(settings)[0]:
        match = re.match(r"\s*create temporary (table|view) ", sql)
        if match:
            kinds.setdefault(unique_id.rsplit(".", 1)[-1], set()).add(match.group(1))
    return kinds


@pytest.fixture
def night_two(warehouse_settings: Settings, tmp_path) -> tuple[Settings, Settings]:
    """The small inbox published, then a record-level export arrives; the same warehouse
    copied, so that one copy runs the scoped night and the other the whole pipeline."""
    write_small_inbox(warehouse_settings.inbox_dir)
    _run(warehouse_settings)
    records = warehouse_settings.inbox_dir / "ho_so_cao_lanh_sa_dec_2023.csv"
    records.write_text(RECORDS_CSV, encoding="utf-8")
    copy_dir = tmp_path / "whole"
    shutil.copytree(warehouse_settings.warehouse_dir, copy_dir)
    return warehouse_settings, Settings.from_env({"PARWH_WAREHOUSE": str(copy_dir)})


def test_a_night_rebuilds_only_what_its_new_family_feeds(night_two: tuple[Settings, Settings]) -> None:
    scoped, whole = night_two
    output = _run(scoped)
    assert "Tonight: only what depends on dossier_records" in output
    built = _materialised_in_last_run(scoped)
    assert {"marts/fct_dossier_stats", "marts/rankings", "intermediate/int_dossier_records_monthly"} <= built
    assert "published_rankings" in built
    # the other families' models are not rebuilt, nor are the seeds or the unit lists
    assert not built & {"marts/fct_budget_disbursement", "marts/fct_survey_satisfaction", "raw/admin_units"}
    assert not any(key.startswith("seeds/") or "rubrics" in key for key in built)
    # part of the project: dbt overlaps its small models; the whole project keeps one thread
    assert _dbt_threads_of_last_run(scoped) == SCOPED_NIGHT_THREADS

    output = _run(whole, "--force")
    assert "Tonight: whole pipeline" in output
    assert "marts/fct_budget_disbursement" in _materialised_in_last_run(whole)
    assert _dbt_threads_of_last_run(whole) is None  # the profile's one thread

    scoped_marts, whole_marts = _published(scoped), _published(whole)
    for table in PUBLISHED_MARTS:
        assert scoped_marts[table] == whole_marts[table], table

    # the new records are in the published figures: 866, January to November 2023
    assert l866_records_to_november(scoped) == [(3, 2, 1)]
    # the first records: every month is new, so the marts rebuilt by period rebuild every
    # period from the first month of records
    assert _periods_rebuilt_from(scoped) == ({"2023-03-01"}, {"2023-03-01"})

    # Later record exports: only the periods from the first month they change are rebuilt
    # (the stored earlier ones, and the previous periods rankings compares with, are kept),
    # and the published marts are still the whole pipeline's
    for name, records, first_month in LATER_RECORDS:
        for settings in (scoped, whole):
            (settings.inbox_dir / name).write_text(records, encoding="utf-8")
        assert "Tonight: only what depends on dossier_records" in _run(scoped)
        rebuilt_from, rebuilt_from_766 = _periods_rebuilt_from(scoped)
        assert rebuilt_from == {first_month}, name
        # the 766 marts: from the same month, or from the last month before it
        (from_766,) = rebuilt_from_766
        assert from_766 is not None and from_766 <= first_month, (name, from_766)
        # their dbt tests read the periods written tonight (each test checks rows, or a
        # combination of columns that names one period)
        # their new rows are inserted straight from their query (macros/append_from_view.sql)
        temporary = _temporary_relations(scoped)
        for model in REBUILT_BY_PERIOD + REBUILT_BY_PERIOD_766:
            assert temporary.get(model) == {"view"}, (name, model, temporary.get(model))
        tests_from = _tests_read_from(scoped)
        assert tests_from == {
            **dict.fromkeys(REBUILT_BY_PERIOD, {first_month}),
            **dict.fromkeys(REBUILT_BY_PERIOD_766, {from_766}),
        }, name
        _run(whole, "--force")
        assert _periods_rebuilt_from(whole) == ({None}, {None}), name
        assert set().union(*_tests_read_from(whole).values()) == {None}, name
        scoped_marts, whole_marts = _published(scoped), _published(whole)
        for table in PUBLISHED_MARTS:
            assert scoped_marts[table] == whole_marts[table], (name, table)


# Sa Đéc's legacy district code reporting 2026, after the 2025 reorganisation ended it
# (valid until 2025-06-30): ingest loads it (a legacy code with a year), the unit-code rule
# (an error) finds it no longer valid
DOSSIERS_OF_A_UNIT_NO_LONGER_VALID = (
    DOSSIERS_CSV.splitlines()[0] + "\nL867;Thành phố Sa Đéc;Năm 2026;huyện;0;8.000;8.000;0;7.976;24;0;0\n"
)


def _held_back(settings: Settings, *flags: str) -> str:
    result = runner.invoke(app, ["run", *flags, "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code != 0, result.output
    return result.output


def test_a_scoped_night_checks_the_unit_codes_it_is_about_to_publish(
    warehouse_settings: Settings, tmp_path
) -> None:
    """The unit-code rule (error) reads the facts dbt rebuilds: in a night scoped to the
    dossier statistics it runs after them, so tonight's unit no longer valid holds the night
    back as the whole pipeline does, and the published marts stay last night's. (It ran
    before dbt there and passed on last night's facts: the night published.)"""
    write_small_inbox(warehouse_settings.inbox_dir)
    _run(warehouse_settings)
    published_before = _published(warehouse_settings)
    (warehouse_settings.inbox_dir / "ho_so_sa_dec_2026.csv").write_text(
        DOSSIERS_OF_A_UNIT_NO_LONGER_VALID, encoding="utf-8"
    )
    whole = Settings.from_env({"PARWH_WAREHOUSE": str(tmp_path / "whole")})
    shutil.copytree(warehouse_settings.warehouse_dir, whole.warehouse_dir)

    output = _held_back(warehouse_settings)
    assert "Tonight: only what depends on dossiers " in output
    assert "gx_unit_codes_valid" in output and "held publication back" in output, output
    assert _published(warehouse_settings) == published_before

    output = _held_back(whole, "--force")
    assert "gx_unit_codes_valid" in output and "held publication back" in output, output


def _steps_of_last_run(settings: Settings) -> dict[str, tuple[float, float]]:
    """step key → (start, end) of the last run's steps."""
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    try:
        run_id = instance.get_runs(limit=1)[0].run_id
        return {
            s.step_key: (s.start_time or 0.0, s.end_time or 0.0) for s in instance.get_run_step_stats(run_id)
        }
    finally:
        instance.dispose()


def _suites_checked_in_last_run(settings: Settings) -> dict[str, bool]:
    """Great Expectations check → passed, of the last run."""
    instance = dg.DagsterInstance.from_config(str(settings.dagster_home))
    try:
        run_id = instance.get_runs(limit=1)[0].run_id
        records = instance.get_records_for_run(
            run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        ).records
        evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in records]
        return {e.check_name: e.passed for e in evaluations if e.check_name.startswith("gx_")}
    finally:
        instance.dispose()


def test_a_scoped_night_validates_every_suite_after_dbt(night_two: tuple[Settings, Settings]) -> None:
    """The suites of the tables a records night does not rebuild (the staff, budget and
    survey marts, the aggregated dossiers) are validated again, in the one op after dbt:
    not first, each with Great Expectations imported before the loads."""
    from expectations import SUITES

    scoped, whole = night_two
    assert "Tonight: only what depends on dossier_records" in _run(scoped)
    steps = _steps_of_last_run(scoped)
    check_steps = [key for key in steps if key.startswith(("model_checks", "raw_table_checks"))]
    assert check_steps == ["model_checks"], steps
    assert steps["model_checks"][0] >= steps["warehouse_dbt_models"][1]
    checked = _suites_checked_in_last_run(scoped)
    assert set(checked) == {f"gx_{suite.name}" for suite in SUITES}

    # the whole pipeline: the raw tables' suites before dbt, the models' after it; each
    # suite passes or fails as in the scoped night (the same data)
    _run(whole, "--force")
    steps = _steps_of_last_run(whole)
    assert steps["raw_table_checks"][1] <= steps["warehouse_dbt_models"][0]
    assert steps["model_checks"][0] >= steps["warehouse_dbt_models"][1]
    assert _suites_checked_in_last_run(whole) == checked


def test_a_scoped_night_holds_back_when_a_table_it_did_not_rebuild_fails_its_suite(
    night_two: tuple[Settings, Settings],
) -> None:
    """A budget mart the records night does not rebuild, made to break an error rule (a
    negative amount disbursed) behind the warehouse's back: its check, no longer blocking
    dbt, still holds the night's publication back."""
    scoped, _ = night_two
    published_before = _published(scoped)
    con = duckdb.connect(str(scoped.database_path))
    try:
        first = "(select min(rowid) from marts.fct_budget_disbursement)"
        updated = con.execute(
            f"update marts.fct_budget_disbursement set disbursed_mvnd = -1 where rowid = {first}"
        ).fetchone()
        assert updated == (1,)
    finally:
        con.close()
    output = _held_back(scoped)
    assert "Tonight: only what depends on dossier_records" in output
    assert "gx_fct_budget_disbursement" in output and "held publication back" in output, output
    assert _suites_checked_in_last_run(scoped)["gx_fct_budget_disbursement"] is False
    assert "marts/rankings" in _materialised_in_last_run(scoped)  # dbt ran: the check did not block it
    assert _published(scoped) == published_before

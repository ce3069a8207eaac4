"""The Dagster definitions load, and the pipeline has the shape the contract says."""

from __future__ import annotations

import dagster as dg

from settings import Settings


def test_definitions_load_with_the_nightly_job(dbt_manifest, tmp_path) -> None:
    from orchestration.definitions import build_definitions

    defs = build_definitions(Settings.from_env({"PARWH_WAREHOUSE": str(tmp_path)}))
    job = defs.resolve_job_def("nightly")
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    # raw tables keyed like the dbt sources, marts like their relations, and the gate
    assert {"raw/dossiers", "raw/dossier_records", "raw/staff", "raw/budget", "raw/surveys"} <= keys
    assert {"marts/fct_dossier_stats", "marts/rankings", "published_rankings"} <= keys
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert "gx_fct_dossier_stats" in checks and "gx_raw_dossiers" in checks
    assert job.executor_def is dg.in_process_executor
    schedule = defs.resolve_schedule_def("nightly_at_1am")
    assert schedule.cron_schedule == "0 1 * * *"
    assert schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert {s.name for s in defs.sensors} >= {"inbox_sensor", "alert_on_success", "alert_on_failure"}


def test_module_level_definitions_for_dagster_dev(dbt_manifest) -> None:
    from orchestration import definitions

    assert definitions.defs.resolve_job_def("nightly").name == "nightly"


def test_the_gate_waits_for_every_checked_model(dbt_manifest, tmp_path) -> None:
    from orchestration.assets.publication import published_rankings
    from orchestration.assets.quality import CHECKED_MODEL_KEYS

    upstream = set(published_rankings.asset_deps[dg.AssetKey("published_rankings")])
    assert set(CHECKED_MODEL_KEYS) <= upstream
    assert dg.AssetKey(["quality", "int_submitted_totals_compared"]) in upstream

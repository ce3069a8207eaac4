"""The one place that assembles the pipeline: ingest → dbt → quality checks → publish."""

from __future__ import annotations

import dagster as dg

from engines.dbt import NightDbtCliResource, dbt_executable, dbt_project
from orchestration.assets.inbox_loading import ingest_assets
from orchestration.assets.publication import published_rankings
from orchestration.assets.quality import quality_checks_for
from orchestration.assets.report_files import published_reports
from orchestration.assets.rubric_tables import rubric_tables
from orchestration.assets.transform import warehouse_dbt_models
from orchestration.resources import WarehouseResource
from orchestration.schedules import (
    alert_on_failure,
    alert_on_success,
    inbox_sensor,
    nightly_job,
    nightly_schedule,
)
from settings import Settings


def build_definitions(
    settings: Settings, built_tonight: frozenset[dg.AssetKey] | None = None
) -> dg.Definitions:
    """The Definitions for one warehouse (resources from `settings`). ``built_tonight``: the
    assets of a night scoped to some source families (orchestration/selection.py), whose
    checks on the other tables then run after dbt (`quality_checks_for`)."""
    return dg.Definitions(
        assets=[*ingest_assets, rubric_tables, warehouse_dbt_models, published_rankings, published_reports],
        asset_checks=quality_checks_for(built_tonight),
        jobs=[nightly_job],
        schedules=[nightly_schedule],
        sensors=[inbox_sensor, alert_on_success, alert_on_failure],
        resources={
            "warehouse": WarehouseResource.from_settings(settings),
            "dbt": NightDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        },
    )


# What `dagster dev` loads: settings from the environment (PARWH_*, see .env.example).
defs = build_definitions(Settings.from_env())

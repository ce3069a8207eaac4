"""The dbt models as Dagster assets (one @dbt_assets over the whole project)."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_build_args, dbt_project, translator

# Run tag: rebuild the incremental models from all raw records (`parwh run --full-refresh`).
FULL_REFRESH_TAG = "parwh/full_refresh"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """staging → intermediate → marts, with the dbt tests as asset checks."""
    full_refresh = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    yield from dbt.cli(dbt_build_args(full_refresh=full_refresh), context=context).stream()

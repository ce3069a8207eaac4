"""The dbt models as Dagster assets (one @dbt_assets over the whole project)."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_build_args, dbt_project, translator


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """staging → intermediate → marts, with the dbt tests as asset checks."""
    yield from dbt.cli(dbt_build_args(), context=context).stream()

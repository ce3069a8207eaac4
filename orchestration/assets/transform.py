"""The dbt models as Dagster assets (one @dbt_assets over the whole project)."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from engines.dbt import (
    RECORDS_ONLY_ENV,
    SCOPED_NIGHT_THREADS,
    dbt_build_args,
    dbt_project,
    translator,
)
from engines.spark_readback import built_table_models, import_models
from expectations.gx_runner import import_in_background
from expectations.quality_views import QualityViewsError, build_quality_views
from ingest.parquet_landing import land_raw_tables
from night.scope import FULL_REFRESH_TAG, RECORDS_PERIODS_TAG
from orchestration.resources import WarehouseResource
from settings import environment_set


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
)
def warehouse_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """staging → intermediate → marts, with the dbt tests as asset checks.

    On Spark (PARWH_ENGINE=spark) the raw tables are landed as Parquet first, and the
    tables Spark built are read back into the working DuckDB database afterwards, so that
    the quality checks and the publication read the same database on both engines.
    """
    settings = warehouse.settings
    on_spark = settings.engine == "spark"
    if on_spark:
        with warehouse.connect() as con:
            landed = land_raw_tables(con, settings.landing_dir)
        written = [f"{item.table} ({item.rows:,} rows)" for item in landed if item.written]
        context.log.info("Raw tables landed as Parquet for Spark: " + (", ".join(written) or "none changed"))
    full_refresh = context.run.tags.get(FULL_REFRESH_TAG) == "true"
    # a night that builds part of the project (an increment): more dbt threads on DuckDB
    # (the subset's outputs are fewer than the node's, as dagster-dbt tells them apart)
    assets_def = context.assets_def
    scoped = assets_def.keys_by_output_name != assets_def.node_keys_by_output_name
    threads = SCOPED_NIGHT_THREADS if scoped and not on_spark else None
    # the marts rebuilt by period rebuild only the periods tonight's records changed
    # (dbt_project/macros/rebuilt_by_period.sql reads the variable as it runs)
    records_periods_only = scoped and context.run.tags.get(RECORDS_PERIODS_TAG) == "true"
    # the quality checks that follow need Great Expectations: imported while dbt runs, when this
    # process only waits on dbt's
    import_in_background()
    with environment_set({RECORDS_ONLY_ENV: "true" if records_periods_only else "false"}):
        invocation = dbt.cli(dbt_build_args(full_refresh=full_refresh, threads=threads), context=context)
    try:
        yield from invocation.stream()
    finally:
        # also when a dbt test failed: what Spark built is read back, as DuckDB keeps it
        if on_spark and invocation.target_path.joinpath("run_results.json").exists():
            models = built_table_models(
                invocation.get_artifact("manifest.json"),
                invocation.get_artifact("run_results.json"),
            )
            with warehouse.connect() as con:
                counts = import_models(con, settings.tables_dir, models)
            context.log.info(f"Read {len(counts)} tables built by Spark into {settings.database_path}")
            # the quality rules' views (DuckDB SQL) over what was read back (issue 17, R2)
            # (a view over a table dbt failed to build is missing: its suite is skipped)
            try:
                build_quality_views(settings.database_path)
                context.log.info("Built the quality views (dbt_project/models/quality) in DuckDB")
            except QualityViewsError as exc:
                context.log.warning(str(exc))

"""The raw rubric tables, rewritten every night from the rubric files (rubrics/loading.py)."""

import dagster as dg

from ingest.warehouse import ensure_schema
from orchestration.assets.inbox_loading import INGEST_GROUP
from orchestration.resources import WarehouseResource
from rubrics.loading import RAW_RUBRIC_TABLES, load_rubrics, rubric_files


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", table],
            description="Rubric files (shipped and loaded with `parwh rubric load`): "
            + {
                "rubrics": "one row per file, from its title block.",
                "rubric_nodes": "their trees of areas, criteria and sub-criteria.",
                "rubric_threshold_steps": "the steps of nodes scored by steps.",
                "rubric_bands": "their bands.",
            }[table],
        )
        for table in RAW_RUBRIC_TABLES
    ],
    group_name=INGEST_GROUP,
)
def rubric_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    files = rubric_files(warehouse.settings)
    with warehouse.connect() as con:
        ensure_schema(con)
        counts = load_rubrics(con, files)
    loaded = [f.shown_name for f in files if f.origin == "loaded"]
    context.log.info(
        f"{len(files)} rubric file(s), {counts['rubric_nodes']} nodes"
        + (f"; loaded: {', '.join(loaded)}" if loaded else "")
    )
    for table in RAW_RUBRIC_TABLES:
        yield dg.MaterializeResult(asset_key=["raw", table], metadata={"rows": counts[table]})

"""The publication asset (`published_rankings`): the quality gate, then the file swap.

Thin: the run's checks as plain data (``orchestration/run_outcome.py``) → the gate
(``gate.history.pass_gate``: the findings history, then publish or hold back; a night held
back fails this step with the gate's message) → the file swap (``publication.swap.publish``)
→ the night recorded as published (``night.state.record_published_night``), by the step that
publishes it. The reports made from the published file are another asset (`report_files.py`).
"""

import dagster as dg

from gate.decision import HOLD_BACK_MESSAGE
from gate.history import pass_gate
from night.state import code_fingerprint, manifest_loaded_through, record_published_night
from orchestration.assets.quality import CHECKED_MODEL_KEYS
from orchestration.resources import WarehouseResource
from orchestration.run_outcome import check_outcomes
from publication.marts import PUBLISHED_MARTS
from publication.swap import publish


@dg.asset(
    key="published_rankings",
    # every mart, and every model a Great Expectations suite checks (the gate waits for them)
    deps=sorted(
        {dg.AssetKey(["marts", name]) for name in PUBLISHED_MARTS if name != "data_quality_findings"}
        | set(CHECKED_MODEL_KEYS),
        key=lambda key: key.to_user_string(),
    ),
    group_name="publish",
    description="published/latest.duckdb and published/parquet/latest/ (one Parquet file per mart "
    "and schema.json): the marts of the last run that passed the quality gate.",
)
def published_rankings(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    run_id = context.run.run_id
    with warehouse.connect() as con:
        decision = pass_gate(con, run_id, check_outcomes(context.instance, run_id))
    context.log.info(f"findings: {decision.history}")
    if not decision.publish:
        raise dg.Failure(
            description=HOLD_BACK_MESSAGE,
            metadata={"failed_error_checks": decision.blocking_text()},
        )
    settings = warehouse.settings
    with warehouse.connect() as con:
        publication = publish(con, settings.published_dir, run_id, required_tables=PUBLISHED_MARTS)
        loaded_through = manifest_loaded_through(con)
    record_published_night(settings, run_id, code_fingerprint(), loaded_through)
    context.log.info(
        f"published {publication.path.name} as {publication.latest_path}"
        f" and as Parquet in {publication.parquet_latest_path}"
    )
    if publication.periods_replaced is not None:
        replaced = {mart: n for mart, n in publication.periods_replaced.items() if n}
        whole = sorted(set(publication.row_counts) - set(publication.periods_replaced))
        context.log.info(
            f"started from {publication.started_from}: periods replaced {replaced or 'none'};"
            f" copied whole {', '.join(whole) or 'none'}"
        )
    return dg.MaterializeResult(
        metadata={
            "path": str(publication.latest_path),
            "file": publication.path.name,
            "parquet": str(publication.parquet_latest_path),
            "parquet_set": str(publication.parquet_path),
            "started_from": publication.started_from or "",
            **{f"rows.{table}": count for table, count in publication.row_counts.items()},
        }
    )

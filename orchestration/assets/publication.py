"""The publication asset (`published_rankings`): the quality gate, then the file swap.

The gate (`failed_error_checks`) holds publication back when an error-severity check of this
run failed; the file swap is `publication.swap.publish` (no Dagster there); the reports
made from the published file are another asset (`report_files.py`). The night is recorded as
published here (`night.state.record_published_night`), by the step that publishes it.
"""

import dagster as dg

from expectations.history import record_finding_history
from night.state import code_fingerprint, record_published_night
from orchestration.assets.quality import CHECKED_MODEL_KEYS
from orchestration.resources import WarehouseResource
from publication.marts import PUBLISHED_MARTS
from publication.swap import publish


def failed_error_checks(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Every check of the run (Great Expectations suites and dbt tests) that failed at error severity."""
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
    ).records
    failed = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.asset_check_evaluation_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failed.append(f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}")
    return failed


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
    # Every check of the run has written its findings (a run of part of the pipeline splits
    # the check ops into several steps): new / still open / resolved are decided once, here.
    # A run that stops before the gate gets its history from the alert (alerts.ensure_history).
    with warehouse.connect() as con:
        context.log.info(f"findings: {record_finding_history(con, context.run.run_id)}")
    failed = failed_error_checks(context.instance, context.run.run_id)
    if failed:
        raise dg.Failure(
            description="Quality gate: publication held back; the previous "
            "published/latest.duckdb is unchanged.",
            metadata={"failed_error_checks": "\n".join(failed)},
        )
    settings = warehouse.settings
    with warehouse.connect() as con:
        publication = publish(
            con, settings.published_dir, context.run.run_id, required_tables=PUBLISHED_MARTS
        )
        (manifest_loaded_through,) = con.execute(
            "select max(loaded_at) from raw.file_manifest"
        ).fetchone() or (None,)
    record_published_night(settings, context.run.run_id, code_fingerprint(), manifest_loaded_through)
    context.log.info(
        f"published {publication.path.name} as {publication.latest_path}"
        f" and as Parquet in {publication.parquet_latest_path}"
    )
    return dg.MaterializeResult(
        metadata={
            "path": str(publication.latest_path),
            "file": publication.path.name,
            "parquet": str(publication.parquet_latest_path),
            "parquet_set": str(publication.parquet_path),
            **{f"rows.{table}": count for table, count in publication.row_counts.items()},
        }
    )

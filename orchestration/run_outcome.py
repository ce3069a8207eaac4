"""Dagster's record of a run as plain data: the run's status and events become a
``night.summary.RunOutcome`` (its checks as ``gate.decision.CheckOutcome``), so that the gate,
the night's summary and its end (``night.finish``) never read Dagster themselves.

Read by the gate's asset (``orchestration/assets/publication.py``), by `parwh run` after its
run (and for its progress line, :func:`current_step`) and by the run-status sensors
(``orchestration/schedules.py``).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from gate.decision import ERROR, WARN, CheckOutcome
from night.summary import RunOutcome

#: the asset keys whose materialisations say what a run published and wrote
PUBLISHED_KEY = dg.AssetKey("published_rankings")
REPORTS_KEY = dg.AssetKey("published_reports")
_RECORDS_LIMIT = 100_000


def check_outcomes(instance: dg.DagsterInstance, run_id: str) -> list[CheckOutcome]:
    """Every check the run evaluated (Great Expectations suites and dbt tests), in order."""
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=_RECORDS_LIMIT
    ).records
    outcomes = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.asset_check_evaluation_data
        # the Great Expectations checks name each failed rule in a metadata key "error: rule"
        failed_rules = tuple(
            key.split(": ", 1)[1]
            for key in (evaluation.metadata or {})
            if key.startswith(("error: ", "warn: "))
        )
        outcomes.append(
            CheckOutcome(
                asset=evaluation.asset_key.to_user_string(),
                check_name=evaluation.check_name,
                passed=evaluation.passed,
                severity=ERROR if evaluation.severity == dg.AssetCheckSeverity.ERROR else WARN,
                failed_rules=failed_rules,
            )
        )
    return outcomes


def _materialisations(instance: dg.DagsterInstance, run_id: str) -> list[dg.AssetMaterialization]:
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    found = (record.event_log_entry.asset_materialization for record in records)
    return [materialization for materialization in found if materialization]


def _published_path(materialisations: list[dg.AssetMaterialization]) -> Path | None:
    for materialization in materialisations:
        if materialization.asset_key == PUBLISHED_KEY:
            path = materialization.metadata.get("path")
            return Path(path.value) if path is not None else None
    return None


def _reports_written(materialisations: list[dg.AssetMaterialization]) -> tuple[list[Path], Path | None]:
    """The workbooks, HTML reports and dbt docs the run's ``published_reports`` recorded."""
    for materialization in materialisations:
        if materialization.asset_key == REPORTS_KEY:
            reports = materialization.metadata.get("reports")
            docs = materialization.metadata.get("dbt_docs")
            paths = [Path(line) for line in str(reports.value).splitlines() if line] if reports else []
            return paths, Path(str(docs.value)) if docs is not None else None
    return [], None


def _failure_messages(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    records = instance.get_records_for_run(run_id=run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records
    messages = []
    for record in records:
        event = record.event_log_entry.dagster_event
        error = event.step_failure_data.error if event.step_failure_data else None
        while error is not None and error.cause is not None:
            error = error.cause  # the user code's own exception, not Dagster's wrapper
        text = error.message.strip() if error else "step failed"
        messages.append(f"{event.step_key}: {text.splitlines()[0] if text else ''}")
    return messages


def read_run_outcome(instance: dg.DagsterInstance, run_id: str) -> RunOutcome:
    """What the run did, as Dagster recorded it: status, checks, publication, reports, failures."""
    run = instance.get_run_by_id(run_id)
    materialisations = _materialisations(instance, run_id)
    reports, dbt_docs = _reports_written(materialisations)
    return RunOutcome(
        run_id=run_id,
        succeeded=bool(run and run.status == dg.DagsterRunStatus.SUCCESS),
        checks=tuple(check_outcomes(instance, run_id)),
        published_path=_published_path(materialisations),
        failure_messages=tuple(_failure_messages(instance, run_id)),
        reports=tuple(reports),
        dbt_docs=dbt_docs,
    )


def current_step(instance: dg.DagsterInstance, run_id: str) -> str:
    """The step the run started last (for a progress line), or "starting…"."""
    try:
        records = instance.get_records_for_run(
            run_id=run_id, of_type=dg.DagsterEventType.STEP_START, ascending=False, limit=1
        ).records
    except Exception:  # the run is not registered yet
        return "starting…"
    if not records:
        return "starting…"
    return records[0].event_log_entry.dagster_event.step_key or "running"

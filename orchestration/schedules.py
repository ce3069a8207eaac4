"""The nightly job, its 01:00 schedule, the inbox sensor and the run-status sensors that end a
scheduled night (``orchestration/run_outcome.py`` → ``night.finish.finish_night``, as `parwh run`)."""

import dagster as dg

from settings import Settings

NIGHTLY_JOB_NAME = "nightly"

nightly_job = dg.define_asset_job(
    NIGHTLY_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Load new inbox files, dbt build, Great Expectations checks, publish.",
    executor_def=dg.in_process_executor,  # DuckDB has one writer: steps never overlap
    tags={"parwh/warehouse": "nightly"},
)


@dg.schedule(
    name="nightly_at_1am",
    job=nightly_job,
    cron_schedule="0 1 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def nightly_schedule(context: dg.ScheduleEvaluationContext):
    """Every night at 01:00, unless nothing is new since the last published night; only the
    part of the pipeline that the new data changes. The decision is `parwh run`'s
    (night.scope.plan_night)."""
    from night.scope import plan_night, record_skipped_night, skip_message
    from orchestration.selection import scoped_selection

    settings = Settings.from_env()
    plan = plan_night(settings)
    if plan.skipped:
        record_skipped_night(settings, plan.skipped_since)
        return dg.SkipReason(skip_message(plan.skipped_since))
    scope = plan.scope
    tags = plan.run_tags()
    try:
        graph = context.repository_def.asset_graph
    except dg.DagsterInvariantViolationError:  # evaluated outside a code location
        graph = None
    if scope.families is None or graph is None:
        return dg.RunRequest(tags=tags)
    assets, checks = scoped_selection(graph, scope.families)
    return dg.RunRequest(
        asset_selection=sorted(assets, key=lambda key: key.to_user_string()),
        asset_check_keys=sorted(checks, key=lambda key: key.to_user_string()),
        tags=tags,
    )


@dg.sensor(job=nightly_job, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED)
def inbox_sensor(context: dg.SensorEvaluationContext):
    """Starts a run when files land in (or change in) the inbox."""
    from ingest.inbox import inbox_listing_fingerprint

    inbox = Settings.from_env().inbox_dir
    fingerprint = inbox_listing_fingerprint(inbox)
    if context.cursor == fingerprint:
        return dg.SkipReason(f"no new files in {inbox}")
    context.update_cursor(fingerprint)
    if not any(inbox.rglob("*")):
        return dg.SkipReason(f"{inbox} is empty")
    return dg.RunRequest(run_key=fingerprint)


def _alert_for_run(context: dg.RunStatusSensorContext) -> None:
    """The end of a scheduled or sensor-started night: what Dagster recorded of the run, as
    plain data, then the same ``night.finish.finish_night`` as `parwh run`."""
    from night.finish import finish_night
    from orchestration.instance import LAUNCHED_BY_TAG
    from orchestration.run_outcome import read_run_outcome

    run = context.dagster_run
    if run.tags.get(LAUNCHED_BY_TAG) == "cli":
        return  # `parwh run` ends its own night (the same night.finish)
    finish_night(read_run_outcome(context.instance, run.run_id), Settings.from_env())


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[nightly_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def alert_on_success(context: dg.RunStatusSensorContext) -> None:
    """One alert per scheduled or sensor-started run that published."""
    _alert_for_run(context)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.FAILURE,
    monitored_jobs=[nightly_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def alert_on_failure(context: dg.RunStatusSensorContext) -> None:
    """One alert per scheduled or sensor-started run held back or failed."""
    _alert_for_run(context)

"""The persistent Dagster instance under <warehouse>/dagster, shared by `parwh run` and `dagster dev`."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

DAGSTER_YAML = """\
# Written by parwh. Runs, events and check results of this warehouse live here, so
# `parwh run` and `dagster dev` (started with DAGSTER_HOME pointing here) share them.
telemetry:
  enabled: false
run_queue:
  # DuckDB has one writer: never two runs of the pipeline at once.
  max_concurrent_runs: 1
# Dagster's SQLite storage in this folder, its event log files kept open while a process
# uses them instead of reopened for every event (orchestration/dagster_storage.py).
instance_class:
  module: orchestration.dagster_storage
  class: ParwhInstance
"""

#: the file parwh wrote before the event log was kept open: upgraded to DAGSTER_YAML as is
DAGSTER_YAML_BEFORE_KEPT_OPEN = """\
# Written by parwh. Runs, events and check results of this warehouse live here, so
# `parwh run` and `dagster dev` (started with DAGSTER_HOME pointing here) share them.
telemetry:
  enabled: false
run_queue:
  # DuckDB has one writer: never two runs of the pipeline at once.
  max_concurrent_runs: 1
"""


def prepare_dagster_home(dagster_home: Path) -> Path:
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    # a file parwh wrote is parwh's to upgrade; one edited by hand is the user's and stays
    if not config.exists() or config.read_bytes() == DAGSTER_YAML_BEFORE_KEPT_OPEN.encode("utf-8"):
        written = config.with_name(config.name + ".new")
        written.write_text(DAGSTER_YAML, encoding="utf-8")
        written.replace(config)  # whole: a `dagster dev` reading it never sees half a file
    return dagster_home


def open_instance(dagster_home: Path) -> dg.DagsterInstance:
    prepare_dagster_home(dagster_home)
    return dg.DagsterInstance.from_config(str(dagster_home))


def runs_in_progress(instance: dg.DagsterInstance) -> list[str]:
    runs = instance.get_runs(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING])
    )
    return [run.run_id for run in runs]


# Run tags of a night started by `parwh run`: who started it and in which process.
LAUNCHED_BY_TAG = "parwh/launched_by"
PID_TAG = "parwh/pid"


def fail_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs of `parwh run` left STARTING or STARTED by a process that died.

    Called holding the warehouse lock, before this night's run starts, so no other
    `parwh run` of this warehouse is alive: a run one launched that is still "in progress"
    was killed with its process (its ``parwh/pid`` tag says which). Runs started by the
    Dagster daemon are left alone (its run monitoring covers them). Returns the run ids
    marked failed.
    """
    failed = []
    for run in instance.get_runs(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING])
    ):
        if run.tags.get(LAUNCHED_BY_TAG) != "cli":
            continue
        instance.report_run_failed(
            run,
            message="parwh: the process running this night died (killed or out of memory);"
            " marked failed by the next night / tiến trình chạy đêm này đã dừng đột ngột",
        )
        failed.append(run.run_id)
    return failed

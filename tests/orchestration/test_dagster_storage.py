"""The warehouse's Dagster instance with its event log files kept open
(orchestration/dagster_storage.py): a real job run stored and read back, here, from another
thread while it runs, and from another process with Dagster's own storage class; the
dagster.yaml parwh wrote before upgraded, one edited by hand kept."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg

from orchestration.dagster_storage import ParwhInstance, PooledSqliteEventLogStorage
from orchestration.instance import (
    DAGSTER_YAML,
    DAGSTER_YAML_BEFORE_KEPT_OPEN,
    open_instance,
    prepare_dagster_home,
)

EVENT_TYPES = (
    dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED,
    dg.DagsterEventType.ASSET_MATERIALIZATION,
    dg.DagsterEventType.ASSET_CHECK_EVALUATION,
    dg.DagsterEventType.RUN_SUCCESS,
)

# Another process, as `dagster dev` would: the instance from its folder, and the run's events
# and the asset's latest materialisation read again with Dagster's own SqliteEventLogStorage.
READER = """
import json, sys
import dagster as dg
from dagster._core.storage.event_log import SqliteEventLogStorage

home, run_id = sys.argv[1], sys.argv[2]
instance = dg.DagsterInstance.from_config(home)
kinds = [str(r.event_log_entry.dagster_event_type) for r in instance.get_records_for_run(run_id).records]
own = SqliteEventLogStorage(home + "/history/runs")
own_kinds = [str(r.event_log_entry.dagster_event_type) for r in own.get_records_for_run(run_id).records]
[asset] = own.get_asset_records([dg.AssetKey("numbers")])
print(json.dumps({
    "instance": type(instance).__name__,
    "storage": type(instance.event_log_storage).__name__,
    "kinds": kinds,
    "own_kinds": own_kinds,
    "last_materialised_by": asset.asset_entry.last_materialization_record.event_log_entry.run_id,
}))
instance.dispose()
"""


@dg.asset
def numbers() -> list[int]:
    return [1, 2, 3]


@dg.asset_check(asset=numbers)
def numbers_are_positive(numbers: list[int]) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=all(n > 0 for n in numbers))


def _night_job() -> dg.JobDefinition:
    defs = dg.Definitions(
        assets=[numbers], asset_checks=[numbers_are_positive], jobs=[dg.define_asset_job("night")]
    )
    return defs.resolve_job_def("night")


def _read_in_another_process(home: Path, run_id: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", READER, str(home), run_id], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_run_is_stored_and_read_back_here_while_it_runs_and_from_another_process(tmp_path) -> None:
    home = tmp_path / "dagster"
    instance = open_instance(home)
    assert isinstance(instance, ParwhInstance)
    assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    job = _night_job()
    outcome: dict[str, dg.ExecuteInProcessResult] = {}
    # the CLI's shape: the run on its own thread, this thread reading its progress meanwhile
    worker = threading.Thread(target=lambda: outcome.update(result=job.execute_in_process(instance=instance)))
    worker.start()
    seen = 0
    while worker.is_alive():
        for run in instance.get_runs(limit=1):
            seen = max(seen, len(instance.get_records_for_run(run.run_id).records))
        worker.join(timeout=0.01)
    result = outcome["result"]
    assert result.success
    run_id = result.run_id

    records = instance.get_records_for_run(run_id).records
    kinds = [r.event_log_entry.dagster_event_type for r in records]
    assert all(kind in kinds for kind in EVENT_TYPES), kinds
    assert seen <= len(records)
    [check] = result.get_asset_check_evaluations()
    assert check.passed
    latest = instance.get_latest_materialization_event(dg.AssetKey("numbers"))
    assert latest is not None and latest.run_id == run_id  # from the cross-run index

    # read while this process still holds its files open (a `dagster dev` beside a night)
    other = _read_in_another_process(home, run_id)
    assert other["instance"] == "ParwhInstance"
    assert other["storage"] == "PooledSqliteEventLogStorage"
    assert other["kinds"] == other["own_kinds"] == [str(kind) for kind in kinds]
    assert other["last_materialised_by"] == run_id

    instance.dispose()
    # closed: each file's write-ahead log checkpointed into it and removed
    assert not list(home.rglob("*.db-wal"))
    assert _read_in_another_process(home, run_id)["own_kinds"] == [str(kind) for kind in kinds]


def test_the_dagster_yaml_parwh_wrote_before_is_upgraded_and_its_runs_kept(tmp_path) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML_BEFORE_KEPT_OPEN, encoding="utf-8")
    before = dg.DagsterInstance.from_config(str(home))  # a warehouse of an earlier parwh
    assert type(before) is dg.DagsterInstance
    earlier = _night_job().execute_in_process(instance=before)
    stored = [r.storage_id for r in before.get_records_for_run(earlier.run_id).records]
    before.dispose()

    instance = open_instance(home)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == DAGSTER_YAML
    assert isinstance(instance, ParwhInstance)
    assert [r.storage_id for r in instance.get_records_for_run(earlier.run_id).records] == stored
    later = _night_job().execute_in_process(instance=instance)
    latest = instance.get_latest_materialization_event(dg.AssetKey("numbers"))
    assert latest is not None and latest.run_id == later.run_id
    instance.dispose()


def test_a_dagster_yaml_edited_by_hand_is_kept(tmp_path) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    edited = DAGSTER_YAML_BEFORE_KEPT_OPEN + "run_monitoring:\n  enabled: true\n"
    (home / "dagster.yaml").write_text(edited, encoding="utf-8")
    prepare_dagster_home(home)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == edited
    instance = open_instance(home)
    assert type(instance) is dg.DagsterInstance  # Dagster's own storage, as the user chose
    assert not isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
    instance.dispose()


def test_a_new_warehouse_gets_the_current_dagster_yaml(tmp_path) -> None:
    home = prepare_dagster_home(tmp_path / "dagster")
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == DAGSTER_YAML
    assert not (home / "dagster.yaml.new").exists()

"""A night whose `dbt build` runs in the warm dbt process (engines/warm_dbt.py, the default)
builds, checks and publishes what a night with dbt started cold does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engines import warm_dbt
from publication.diff import differences
from settings import Settings
from tests.e2e.inbox_files import write_small_inbox
from tests.e2e.test_night_scope import RECORDS_CSV, _materialised_in_last_run, _published, _run


def _outcome(settings: Settings) -> dict:
    return warm_dbt.read_outcome(settings.dbt_log_dir)


def test_a_warm_night_publishes_what_a_cold_night_does(
    warehouse_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_small_inbox(warehouse_settings.inbox_dir)
    _run(warehouse_settings)
    first = _outcome(warehouse_settings)  # the whole pipeline's first night
    assert first["served"] is True and first["exit_code"] == 0 and first["refused"] is None
    assert first["command"] == ["build"]

    # a record-level export arrives (a scoped night, the records periods only); the same
    # warehouse copied, reading the same inbox: the copy runs the night with dbt started cold
    inbox = warehouse_settings.inbox_dir
    (inbox / "ho_so_cao_lanh_sa_dec_2023.csv").write_text(RECORDS_CSV, encoding="utf-8")
    cold = Settings.from_env({"PARWH_WAREHOUSE": str(tmp_path / "cold"), "PARWH_INBOX": str(inbox)})
    shutil.copytree(warehouse_settings.warehouse_dir, cold.warehouse_dir)

    monkeypatch.setenv("PARWH_WARM_DBT", "false")
    cold_said = _run(cold, "--inbox", str(inbox))
    assert _outcome(cold) == first  # the copied file: no warm process ran on the cold copy
    monkeypatch.setenv("PARWH_WARM_DBT", "true")
    warm_said = _run(warehouse_settings)
    for said in (cold_said, warm_said):  # both scoped to the records, as an increment is
        assert "only what depends on dossier_records" in said, said
    warm = _outcome(warehouse_settings)
    assert warm["served"] is True and warm["exit_code"] == 0 and warm["pid"] != first["pid"]
    assert "without its warm process" not in warm_said  # said only when dbt ran cold

    assert differences(cold.latest_path, warehouse_settings.latest_path) == []
    assert _published(cold) == _published(warehouse_settings)
    assert _materialised_in_last_run(cold) == _materialised_in_last_run(warehouse_settings)
    # the night's figures are there: 866's records reached the published marts
    assert "marts/rankings" in _materialised_in_last_run(warehouse_settings)

import json
import os
from pathlib import Path

import pytest

from engines.dbt import (
    DBT_PROJECT_DIR,
    NightDbtCliResource,
    WarehouseDbtTranslator,
    dbt_build_args,
    dbt_executable,
    dbt_project,
    dbt_target_dir,
    full_build_manifest,
    manifest_is_stale,
    prepare_manifest,
    prune_dbt_runs,
)
from settings import Settings, SettingsError


def test_nightly_dbt_command_is_a_plain_build() -> None:
    assert dbt_build_args() == ["build", "--exclude-resource-type", "unit_test"]


def test_dbt_command_options() -> None:
    assert dbt_build_args(full_refresh=True, selector="marts") == [
        "build",
        "--exclude-resource-type",
        "unit_test",
        "--full-refresh",
        "--select",
        "marts",
    ]


def test_dbt_command_threads() -> None:
    assert dbt_build_args(threads=4)[-2:] == ["--threads", "4"]
    assert "--threads" not in dbt_build_args()


def test_asset_keys_equal_warehouse_relations() -> None:
    translator = WarehouseDbtTranslator()
    model = {
        "resource_type": "model",
        "name": "rankings",
        "config": {"schema": "marts"},
        "fqn": ["par_warehouse", "marts", "rankings"],
    }
    source = {"resource_type": "source", "source_name": "raw", "name": "dossiers"}
    assert translator.get_asset_key(model).path == ["marts", "rankings"]
    assert translator.get_asset_key(source).path == ["raw", "dossiers"]
    assert translator.get_group_name(model) == "marts"


def _run_folder(target: Path, name: str, mtime: float) -> Path:
    folder = target / name
    (folder / "compiled").mkdir(parents=True)
    (folder / "run_results.json").write_text("{}")
    os.utime(folder, (mtime, mtime))
    return folder


def test_dbt_run_folders_are_pruned_to_the_last_runs(tmp_path: Path) -> None:
    """A run's folders (its dbt build, a docs command) count as one run; the partial-parse
    state and anything not named as dagster-dbt names its folders is left alone."""
    target = tmp_path / "dbt" / "target"
    target.mkdir(parents=True)
    (target / "partial_parse.msgpack").write_bytes(b"state")
    (target / "ghi_chu_cua_toi").mkdir()  # a person's folder
    oldest = _run_folder(target, "warehouse_dbt_models-aaaaaaa-0123456", 1_000)
    old_docs = _run_folder(target, "published_reports-aaaaaaa-89abcde", 1_100)
    middle = _run_folder(target, "warehouse_dbt_models-bbbbbbb-1111111", 2_000)
    newest = _run_folder(target, "warehouse_dbt_models-ccccccc-2222222", 3_000)
    loose = _run_folder(target, "3333333", 500)  # a command without a run (oldest)
    removed = prune_dbt_runs(target, keep=2)
    assert removed == sorted([oldest, old_docs, loose])
    assert sorted(p.name for p in target.iterdir()) == sorted(
        ["partial_parse.msgpack", "ghi_chu_cua_toi", middle.name, newest.name]
    )
    assert prune_dbt_runs(target, keep=2) == []
    assert prune_dbt_runs(tmp_path / "missing", keep=2) == []


def test_prepare_parses_into_the_warehouse_and_keeps_the_manifest_in_the_checkout(
    warehouse_settings: Settings, dbt_manifest: Path
) -> None:
    target = warehouse_settings.dbt_target_dir
    assert os.environ["DBT_TARGET_PATH"] == str(target)
    assert dbt_target_dir() == target
    assert manifest_is_stale(target=target)  # nothing parsed for this warehouse yet
    manifest = prepare_manifest()
    assert manifest == dbt_project.manifest_path == DBT_PROJECT_DIR / "target" / "manifest.json"
    assert (target / "partial_parse.msgpack").exists()
    assert json.loads((target / "manifest.json").read_text())["metadata"]["adapter_type"] == "duckdb"
    assert (warehouse_settings.dbt_log_dir / "dbt.log").exists()
    assert not manifest_is_stale(target=target)


def test_a_warehouse_parsed_from_a_checkout_elsewhere_is_parsed_again(
    warehouse_settings: Settings, dbt_manifest: Path
) -> None:
    """dbt's partial-parse state holds the project's absolute paths: a warehouse last run by
    a checkout in another folder (the code moved, a release installed beside the old one)
    made every seed read files that were gone, and the night failed in dbt."""
    target = warehouse_settings.dbt_target_dir
    prepare_manifest()
    stamp = target / "parwh_profile_env.json"
    parsed_for = json.loads(stamp.read_text())
    assert parsed_for["project_dir"] == str(DBT_PROJECT_DIR.resolve())
    elsewhere = {**parsed_for, "project_dir": "/tmp/an-old-checkout/dbt_project"}
    stamp.write_text(json.dumps(elsewhere, sort_keys=True))
    assert manifest_is_stale(target=target)
    # the state dbt saved there, as a checkout in another folder leaves it (a path of the
    # same length: msgpack strings carry their length)
    here = str(DBT_PROJECT_DIR).encode()
    gone = (b"/tmp/gone" + b"_" * len(here))[: len(here)]
    state = target / "partial_parse.msgpack"
    state.write_bytes(state.read_bytes().replace(here, gone))
    prepare_manifest()
    assert json.loads(stamp.read_text())["project_dir"] == str(DBT_PROJECT_DIR.resolve())
    assert not manifest_is_stale(target=target)
    # dbt kept no path of the old folder: the seeds are read from this checkout
    assert gone not in state.read_bytes()
    seed = json.loads((target / "manifest.json").read_text())["nodes"]["seed.par_warehouse.rubrics"]
    assert seed["root_path"] == str(DBT_PROJECT_DIR)


def test_keep_dbt_runs_is_a_setting() -> None:
    assert Settings.from_env({"PARWH_WAREHOUSE": "/tmp/w"}).keep_dbt_runs == 10
    assert Settings.from_env({"PARWH_WAREHOUSE": "/tmp/w", "PARWH_KEEP_DBT_RUNS": "3"}).keep_dbt_runs == 3
    for bad in ("0", "-1", "ten"):
        with pytest.raises(SettingsError, match="PARWH_KEEP_DBT_RUNS"):
            Settings.from_env({"PARWH_WAREHOUSE": "/tmp/w", "PARWH_KEEP_DBT_RUNS": bad})


def test_the_night_resource_knows_the_version_the_executable_reports() -> None:
    """The night's dbt resource takes dbt's version from the dbt imported here instead of
    starting `dbt --version`: it must be the version the executable it starts reports."""
    import subprocess

    from dagster_dbt import DbtCliResource

    resource = NightDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
    reported = DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())._cli_version
    assert resource._cli_version == reported
    said = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True).stdout
    assert str(reported) in said
    assert resource._initialize_dbt_core_adapter([]) is None  # no adapter opened in this process


def _build_folder(target: Path, name: str, select: list[str], statuses: list[str]) -> Path:
    folder = target / name
    folder.mkdir(parents=True)
    args = {"which": "build", "select": select, "exclude": [], "exclude_resource_types": ["unit_test"]}
    results = [{"status": status} for status in statuses]
    (folder / "run_results.json").write_text(json.dumps({"args": args, "results": results}))
    (folder / "manifest.json").write_text("{}")
    return folder


def test_the_docs_reuse_a_build_of_the_whole_project_only(tmp_path: Path) -> None:
    """Only a build of run 'abcdef1…' that selected everything and skipped nothing has every
    node compiled; a scoped build, a build with skipped nodes or another run's do not count."""
    run = "abcdef1" + "0" * 29
    _build_folder(tmp_path, "warehouse_dbt_models-1234567-0000000", ["fqn:*"], ["success"])  # another run
    assert full_build_manifest(tmp_path, run) is None
    _build_folder(tmp_path, "warehouse_dbt_models-abcdef1-1111111", ["fqn:*"], ["success", "skipped"])
    assert full_build_manifest(tmp_path, run) is None
    _build_folder(tmp_path, "warehouse_dbt_models-abcdef1-2222222", ["tag:records"], ["success"])
    assert full_build_manifest(tmp_path, run) is None
    whole = _build_folder(
        tmp_path, "warehouse_dbt_models-abcdef1-3333333", ["fqn:*"], ["success", "pass", "warn"]
    )
    assert full_build_manifest(tmp_path, run) == whole / "manifest.json"
    assert full_build_manifest(tmp_path / "missing", run) is None

"""The dbt project, declared once, and how Dagster names its models.

The manifest is prepared before Definitions are loaded (`prepare_manifest`, called by the
CLI and the tests; `dagster dev` prepares it itself), never parsed at import time.

Where dbt writes. What belongs to the code stays in the checkout, in ``dbt_project/target/``:
the prepared ``manifest.json`` that the Dagster definitions are built from at import (one
per checkout, like the code it is parsed from) and the ``parwh-dbt`` wrapper (it names this
environment's Python and dbt). What a warehouse's runs produce goes under the warehouse,
``<warehouse>/dbt/target/`` (``DBT_TARGET_PATH``, exported by ``Settings.export``): the
partial-parse state of the project parsed for that warehouse's profile, and a folder per
dbt command of a run (dagster-dbt's ``<step>-<run id[:7]>-<random>``: the artifacts and that
command's ``dbt.log``), pruned to the last ``PARWH_KEEP_DBT_RUNS`` runs
(:func:`prune_dbt_runs`); ``dbt parse`` logs to ``<warehouse>/dbt/logs/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject
from packaging import version

from engines import warm_dbt
from engines.run_children import CHILDREN_DIR
from settings import environment

DBT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def installed_dbt() -> str:
    """The dbt installed beside this Python (found even when the venv is not on PATH)."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


WRAPPER_PATH = DBT_PROJECT_DIR / "target" / "parwh-dbt"
WRAPPER = """#!{python}
# Written by parwh (engines/dbt.py): runs dbt so that it dies with the
# process that started it, and records its process id in the warehouse it writes;
# hands the command to the night's warm dbt process when there is one.
import ctypes, os, signal, sys
parent = os.getppid()
if sys.platform.startswith("linux"):
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        sys.exit(1)
warehouse = os.environ.get("PARWH_WAREHOUSE")
if warehouse:
    children = os.path.join(warehouse, "{children}")
    os.makedirs(children, exist_ok=True)
    open(os.path.join(children, str(os.getpid())), "w").close()
warm = os.environ.get("{socket_env}")
if warm:  # the night's warm dbt process takes the command (engines/warm_dbt.py)
    sys.path.insert(0, {code_root!r})
    from engines.warm_dbt import hand_over
    code = hand_over(warm, sys.argv[1:])
    if code is not None:
        sys.exit(code)
os.execv({dbt!r}, [{dbt!r}, *sys.argv[1:]])
"""


def child_wrapper(program: str, path: Path) -> Path:
    """Write (when changed) an executable at ``path`` that becomes ``program`` after making
    it die with its parent and recording its process id in ``$PARWH_WAREHOUSE``."""
    text = WRAPPER.format(
        python=sys.executable,
        children=CHILDREN_DIR,
        dbt=program,
        socket_env=warm_dbt.SOCKET_ENV,
        code_root=str(warm_dbt.CODE_ROOT),
    )
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o755)
        os.replace(tmp, path)
    return path


def dbt_executable() -> str:
    """dbt behind a small wrapper that makes it die with its parent.

    A night killed during `dbt build` would otherwise leave dbt running, holding the
    DuckDB lock, and the next night would fail on it. The wrapper sets the Linux parent
    death signal (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, kept across ``exec``) and then
    becomes dbt; dagster-dbt starts ``dbt_executable`` as given (a ``Popen`` of
    ``[dbt_executable, *args]``, from the step's thread, which lives as long as dbt). Its
    process id is recorded in the warehouse, so that the next night can end a leftover one
    (:func:`kill_leftover_children`) where the signal is not available. Falls back to dbt
    itself when the wrapper cannot be written.
    """
    try:
        return str(child_wrapper(installed_dbt(), WRAPPER_PATH))
    except OSError:
        return installed_dbt()


def _newest_source_mtime(project_dir: Path) -> float:
    newest = (project_dir / "dbt_project.yml").stat().st_mtime
    for folder in ("models", "macros", "seeds", "tests"):
        for path in (project_dir / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


# The environment that profiles.yml renders: dbt re-parses the whole project when it changes
# (its partial-parse file records the profile), so `prepare_manifest` parses again for it.
PROFILE_ENV = (
    "PARWH_WAREHOUSE",
    "PARWH_DBT_TARGET",
    "PARWH_DUCKDB_MEMORY_LIMIT",
    "PARWH_DUCKDB_THREADS",
    "PARWH_DUCKDB_TEMP_DIR",
    "PARWH_ENGINE",
    "PARWH_SPARK_METHOD",
    "PARWH_SPARK_DIR",
    "PARWH_SPARK_LANDING_DIR",
    "PARWH_SPARK_TABLES_DIR",
    "PARWH_SPARK_MASTER",
    "PARWH_SPARK_DRIVER_MEMORY",
    "PARWH_SPARK_SHUFFLE_PARTITIONS",
    "PARWH_SPARK_HOST",
    "PARWH_SPARK_PORT",
    "PARWH_SPARK_USER",
    "PARWH_SPARK_THREADS",
)


STAMP_NAME = "parwh_profile_env.json"
PARTIAL_PARSE = "partial_parse.msgpack"


def _code_target(project: DbtProject) -> Path:
    return project.project_dir / project.target_path


def dbt_target_dir(project: DbtProject = dbt_project) -> Path:
    """Where this process's dbt commands write: ``$DBT_TARGET_PATH`` (the warehouse's
    ``dbt/target``, exported by the CLI) when set to an absolute path, else the checkout's
    ``dbt_project/target`` (a `dagster dev` started by hand without the settings)."""
    value = environment().get("DBT_TARGET_PATH")
    if value and Path(value).is_absolute():
        return Path(value)
    return _code_target(project)


def _profile_env_stamp(project: DbtProject, target: Path | None = None) -> Path:
    return (target or _code_target(project)) / STAMP_NAME


def _profile_env(project: DbtProject) -> str:
    """What a parse depends on besides the project files: the profile's environment and
    where the project is (dbt's partial-parse state holds absolute paths: a warehouse's
    state parsed from a checkout elsewhere would make its seeds read files that are gone)."""
    stamped = {name: environment().get(name, "") for name in PROFILE_ENV}
    return json.dumps({**stamped, "project_dir": str(Path(project.project_dir).resolve())}, sort_keys=True)


def _stamp_matches(project: DbtProject, stamp: Path) -> bool:
    return stamp.exists() and stamp.read_text(encoding="utf-8") == _profile_env(project)


def manifest_is_stale(project: DbtProject = dbt_project, target: Path | None = None) -> bool:
    """The checkout's manifest is missing, older than the project files or parsed for another
    profile; or ``target`` (the warehouse's dbt target) has no partial-parse state for this
    profile (every dbt command of the night would then parse the whole project) or has one
    parsed from a checkout in another folder (its paths are that checkout's)."""
    manifest = project.manifest_path
    if not manifest.exists():
        return True
    if manifest.stat().st_mtime < _newest_source_mtime(project.project_dir):
        return True
    if not _stamp_matches(project, _profile_env_stamp(project)):
        return True
    target = target or dbt_target_dir(project)
    if target != _code_target(project):
        return not (target / PARTIAL_PARSE).exists() or not _stamp_matches(
            project, _profile_env_stamp(project, target)
        )
    return False


def _atomic_write(destination: Path, write: Callable[[Path], object]) -> None:
    """``write`` a file beside ``destination``, then rename it over it: a reader sees the old
    file or the new one, never a part."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(f".{destination.name}.{os.getpid()}")
    write(tmp)
    os.replace(tmp, destination)


def _replace_file(source: Path, destination: Path) -> None:
    """Copy ``source`` over ``destination`` atomically."""
    _atomic_write(destination, lambda tmp: shutil.copyfile(source, tmp))


def _write_stamp(project: DbtProject, stamp: Path) -> None:
    """Record the profile environment a parse was made for (atomically, as the manifest)."""
    _atomic_write(stamp, lambda tmp: tmp.write_text(_profile_env(project), encoding="utf-8"))


@contextlib.contextmanager
def _parse_lock(project: DbtProject):
    """One `dbt parse` at a time per checkout: two processes (a night and `dagster dev`, or two
    test workers) would otherwise write the checkout's manifest and parse state together."""
    path = _code_target(project) / ".parwh-parse.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class DbtParseError(RuntimeError):
    """`dbt parse` failed: the project cannot be read (its message names the file)."""


def _dbt_parse(project: DbtProject, target: Path, log_dir: Path) -> None:
    """`dbt parse` into ``target``, as a plain command.

    Not through dagster-dbt's resource: its first command in a process runs `dbt --version`
    and opens an adapter in this process (about 8 s of a fresh warehouse's first night),
    which a parse needs neither of. The environment is the one the night's commands get
    (the profile reads it), so the partial-parse state fits them."""
    command = [
        dbt_executable(),
        "parse",
        "--quiet",
        "--project-dir",
        str(project.project_dir),
        "--profiles-dir",
        str(project.profiles_dir),
        "--target-path",
        str(target),
        "--log-path",
        str(log_dir),
    ]
    env = {**environment(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = (done.stdout + done.stderr).strip()[-3000:]
        raise DbtParseError(f"dbt parse failed (exit {done.returncode}) for {project.project_dir}:\n{said}")


def prepare_manifest(project: DbtProject = dbt_project, target: Path | None = None) -> Path:
    """Run `dbt parse` when the manifest is missing, older than the project files, or was
    parsed for another warehouse (then every `dbt build` would parse the project again).

    It parses into ``target`` (default :func:`dbt_target_dir`: the warehouse's dbt target),
    where dagster-dbt finds the partial-parse state for the night's dbt commands, and puts
    the manifest where the Dagster definitions read it (``dbt_project/target/manifest.json``).
    Returns that path."""
    target = target or dbt_target_dir(project)
    with _parse_lock(project):
        if manifest_is_stale(project, target):
            in_warehouse = target != _code_target(project)
            if not _stamp_matches(project, _profile_env_stamp(project, target)):
                # parsed for another profile or from another folder: dbt would reuse that
                # state as it is (it keeps the old folder's seed paths), so it parses anew
                (target / PARTIAL_PARSE).unlink(missing_ok=True)
            _dbt_parse(project, target, target.parent / "logs" if in_warehouse else target)
            if in_warehouse:
                _replace_file(target / "manifest.json", project.manifest_path)
                _write_stamp(project, _profile_env_stamp(project, target))
            _write_stamp(project, _profile_env_stamp(project))
    return project.manifest_path


# A folder dagster-dbt makes for one dbt command: `<step>-<run id[:7]>-<7 random>`, or the
# 7 random characters alone when there is no run (the characters start a UUID4: hex).
_RUN_FOLDER = re.compile(r"^(?:(?P<step>.+)-(?P<run>[0-9a-f]{7})-)?(?P<random>[0-9a-f]{7})$")


def prune_dbt_runs(target: Path, keep: int) -> list[Path]:
    """Remove the folders of dbt commands older than the last ``keep`` runs under ``target``
    (the warehouse's dbt target); returns what was removed. The folders of one run (its
    build, a docs command) count as one; only folders named as dagster-dbt names them are
    touched, never the partial-parse state or anything else a person put there."""
    if keep < 1 or not target.is_dir():
        return []
    runs: dict[str, list[Path]] = {}
    newest: dict[str, float] = {}
    for folder in target.iterdir():
        match = _RUN_FOLDER.match(folder.name)
        if not match or not folder.is_dir() or folder.is_symlink():
            continue
        run = match.group("run") or folder.name
        runs.setdefault(run, []).append(folder)
        newest[run] = max(newest.get(run, 0.0), folder.stat().st_mtime)
    removed: list[Path] = []
    for run in sorted(runs, key=lambda r: newest[r], reverse=True)[keep:]:
        for folder in runs[run]:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return sorted(removed)


def full_build_manifest(target: Path, run_id: str) -> Path | None:
    """The manifest of run ``run_id``'s `dbt build` under ``target`` (the warehouse's dbt
    target) when that build selected the whole project and skipped nothing: then every model
    and test in it carries the SQL it ran as, and `dbt docs generate --no-compile` can use it
    instead of compiling the project again (about 10 s). None otherwise (a night scoped to
    some families, a failed build, folders already pruned)."""
    for folder in sorted(target.glob(f"*-{run_id[:7]}-*")) if target.is_dir() else []:
        match = _RUN_FOLDER.match(folder.name)
        results, manifest = folder / "run_results.json", folder / "manifest.json"
        if not match or match.group("run") != run_id[:7] or not results.exists() or not manifest.exists():
            continue
        ran = json.loads(results.read_text(encoding="utf-8"))
        args = ran.get("args", {})
        statuses = {result.get("status") for result in ran.get("results", [])}
        whole = args.get("select") in (None, [], ["fqn:*"]) and not args.get("exclude")
        if args.get("which") == "build" and whole and statuses <= {"success", "pass", "warn"}:
            return manifest
    return None


# dbt threads on DuckDB for a night that builds part of the project (an increment): its
# models are small, so dbt's own work between queries (about a third of the step) overlaps
# (1M history, 300k-record day: the dbt step 16.2 → 14.8 s). A whole-project night keeps the
# profile's one thread: at national scale the two record-level models would share one memory
# limit at the same time and spill.
SCOPED_NIGHT_THREADS = 4

# Set for the nightly dbt build: "true" when the marts rebuilt by period rebuild only the
# periods tonight's records changed (dbt_project/macros/rebuilt_by_period.sql, read as the
# models run, never as dbt parses; night/scope.py says when).
RECORDS_ONLY_ENV = "PARWH_NIGHT_RECORDS_ONLY"


def dbt_build_args(
    *, full_refresh: bool = False, selector: str | None = None, threads: int | None = None
) -> list[str]:
    """The dbt command line of the nightly run (a pure function, unit-tested).

    dbt unit tests check the SQL, not the night's data: they run in the test suite
    (tests/e2e/test_dbt_unit_tests.py), not every night. ``threads`` overrides the
    profile's (``--threads``); None keeps it.
    """
    args = ["build", "--exclude-resource-type", "unit_test"]
    if full_refresh:
        args.append("--full-refresh")
    if selector:
        args += ["--select", selector]
    if threads is not None:
        args += ["--threads", str(threads)]
    return args


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Dagster keys equal warehouse relations: marts/fct_dossier_stats is marts.fct_dossier_stats."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "transform"


translator = WarehouseDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


class NightDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without the two things it does before each dbt command that
    this project never uses (about 10 s of every night).

    dagster-dbt asks the executable for its version (a `dbt --version` process, 5 s) and opens
    a dbt adapter inside this process (3 s, then 1 s per command) for its column-metadata and
    row-count helpers, which no asset here calls. The executable is the wrapper around the dbt
    installed beside this Python (:func:`dbt_executable`), so its version is the one imported."""

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001, ANN202 - dagster-dbt's signature
        return None

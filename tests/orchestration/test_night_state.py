"""What decides that a night has nothing new (no Dagster here: it runs before Dagster loads)."""

from __future__ import annotations

import os

import dagster as dg
import duckdb
import pytest

from ingest.inbox import InboxHashes, register_inbox, sha256_file
from ingest.warehouse import ensure_schema
from orchestration.night_scope import night_scope
from orchestration.night_state import (
    changed_families,
    code_fingerprint,
    new_inbox_files,
    nothing_new,
    read_last_night,
    record_published_night,
)
from orchestration.settings import Settings


def _register(settings: Settings) -> None:
    con = duckdb.connect(str(settings.database_path))
    try:
        ensure_schema(con)
        register_inbox(con, settings.inbox_dir, settings.quarantine_dir, "r1")
    finally:
        con.close()


@pytest.fixture
def registered(warehouse_settings: Settings) -> Settings:
    inbox = warehouse_settings.inbox_dir
    inbox.mkdir(parents=True)
    (inbox / "a.csv").write_text("Mã đơn vị;Biên chế được giao\n866;10\n", encoding="utf-8")
    warehouse_settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    _register(warehouse_settings)
    warehouse_settings.published_dir.mkdir(parents=True)
    warehouse_settings.latest_path.write_bytes(b"published")
    record_published_night(warehouse_settings, "run-1", code_fingerprint())
    return warehouse_settings


def test_nothing_new_after_a_published_night(registered: Settings) -> None:
    last = nothing_new(registered)
    assert last is not None and last.run_id == "run-1"
    assert read_last_night(registered) == last


def test_a_changed_file_under_the_same_name_is_new(registered: Settings) -> None:
    path = registered.inbox_dir / "a.csv"
    stat = path.stat()
    # same size and modification time as before: only the content (and ctime) differ
    path.write_text("Mã đơn vị;Biên chế được giao\n866;11\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    assert new_inbox_files(registered) == ["a.csv"]
    assert nothing_new(registered) is None
    cached = InboxHashes(registered.inbox_hash_cache)
    assert cached.sha256(path, "a.csv") == sha256_file(path)


def test_a_new_file_or_a_copy_under_another_name_is_new(registered: Settings) -> None:
    (registered.inbox_dir / "sub").mkdir()
    (registered.inbox_dir / "sub" / "a_copy.csv").write_bytes((registered.inbox_dir / "a.csv").read_bytes())
    assert new_inbox_files(registered) == ["sub/a_copy.csv"]


def test_a_setting_that_changes_results_changes_the_fingerprint(
    registered: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARWH_SUBMISSION_DEADLINE_DAYS", "15")
    assert nothing_new(registered) is None


def test_no_published_file_or_no_record_means_run(registered: Settings) -> None:
    registered.last_night_path.unlink()
    assert nothing_new(registered) is None
    record_published_night(registered, "run-2", code_fingerprint())
    registered.latest_path.unlink()
    assert nothing_new(registered) is None


def _published_through_now(settings: Settings) -> None:
    con = duckdb.connect(str(settings.database_path), read_only=True)
    try:
        (through,) = con.execute("select max(loaded_at) from raw.file_manifest").fetchone()
    finally:
        con.close()
    record_published_night(settings, "run-1", code_fingerprint(), through)


def test_changed_families_are_those_of_new_files_and_of_files_not_yet_published(
    registered: Settings,
) -> None:
    # published without the manifest's high-water mark (an older night): cannot tell
    assert changed_families(registered, read_last_night(registered)) is None
    assert night_scope(registered).is_whole

    _published_through_now(registered)
    assert changed_families(registered, read_last_night(registered)) == set()
    # a new budget file (recognised by its header), and a file nobody can read
    (registered.inbox_dir / "b.csv").write_text(
        "Mã đơn vị;Năm ngân sách;Kế hoạch vốn giao;Đã giải ngân\n866;2023;100;50\n", encoding="utf-8"
    )
    (registered.inbox_dir / "notes.csv").write_text("hello;world\n1;2\n", encoding="utf-8")
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    scope = night_scope(registered)
    assert scope.families == {"budget"} and "only what depends on budget" in scope.describe()

    # registered by a night that did not publish: still counts until a night publishes it
    _register(registered)
    (registered.inbox_dir / "b.csv").unlink()
    assert changed_families(registered, read_last_night(registered)) == {"budget"}
    _published_through_now(registered)
    assert changed_families(registered, read_last_night(registered)) == set()


def test_whole_pipeline_when_asked_or_when_the_code_changed(
    registered: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _published_through_now(registered)
    assert not night_scope(registered).is_whole
    assert night_scope(registered, whole=True).is_whole
    monkeypatch.setenv("PARWH_SUBMISSION_DEADLINE_DAYS", "15")
    scope = night_scope(registered)
    assert scope.is_whole and "changed" in scope.reason


def test_the_schedule_requests_only_what_the_new_files_feed(registered: Settings, dbt_manifest) -> None:
    from orchestration.definitions import build_definitions

    _published_through_now(registered)
    (registered.inbox_dir / "b.csv").write_text(
        "Mã đơn vị;Năm ngân sách;Kế hoạch vốn giao;Đã giải ngân\n866;2023;100;50\n", encoding="utf-8"
    )
    defs = build_definitions(registered)
    schedule = defs.resolve_schedule_def("nightly_at_1am")
    context = dg.build_schedule_context(repository_def=defs.get_repository_def())
    request = schedule.evaluate_tick(context).run_requests[0]
    selected = {key.to_user_string() for key in request.asset_selection}
    assert {"raw/budget", "marts/fct_budget_disbursement", "marts/rankings", "published_rankings"} <= selected
    assert not selected & {"raw/staff", "marts/fct_staffing", "raw/admin_units"}
    checks = {key.asset_key.to_user_string() for key in request.asset_check_keys}
    assert "marts/fct_staffing" in checks  # every Great Expectations suite still runs
    assert request.tags["parwh/scope"].startswith("only what depends on budget")

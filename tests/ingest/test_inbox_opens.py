"""How often one night opens a new inbox file (issue 17: "a new file is opened four times a
night"). The night's scope (``night/state.py``: is it new, which families), the registration
and the load share the hash cache and the classification: a new file is hashed once, its
first rows are read once, and the loader reads it once more whole (a record export is
streamed by DuckDB, not counted here: only Python's opens are)."""

from __future__ import annotations

import builtins
import io
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

import ingest.inbox as inbox_module
from ingest.inbox import InboxHashes, classify, load_family, register_inbox
from night.state import LastNight, changed_families, new_inbox_files
from settings import Settings
from tests.ingest.conftest import write_csv
from tests.ingest.test_inbox_records import HEADER, ROWS

BUDGET = (
    "Mã đơn vị;Đơn vị;Năm ngân sách;Tính đến ngày;Kế hoạch vốn giao (triệu đồng);Đã giải ngân (triệu đồng)\n"
    "867;Thành phố Sa Đéc;2023;31/12/2023;590.161,540;300.000,000\n"
)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Counter[str]]:
    """Python's opens of files under ``tmp_path/warehouse/inbox``, by file name."""
    counts: Counter[str] = Counter()
    inbox = str(tmp_path / "warehouse" / "inbox") + "/"
    real_open = builtins.open

    def counting(target: Callable) -> Callable:
        def wrapper(file: object, *args: object, **kwargs: object) -> object:
            if isinstance(file, str | Path) and str(file).startswith(inbox):
                counts[Path(file).name] += 1
            return target(file, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(builtins, "open", counting(real_open))
    monkeypatch.setattr(io, "open", counting(real_open))
    yield counts


def test_a_new_file_is_hashed_once_and_its_first_rows_read_once(
    warehouse_settings: Settings, template_db: Path, opened: Counter[str]
) -> None:
    settings = warehouse_settings
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_db, settings.database_path)
    inbox = settings.inbox_dir
    inbox.mkdir(parents=True)
    con = duckdb.connect(str(settings.database_path))
    register_inbox(con, inbox, settings.quarantine_dir, "r0")  # creates the manifest
    con.close()
    last = LastNight("r0", "2026-01-01T00:00:00", "code", str(inbox), "2000-01-01T00:00:00")
    (inbox / "giai_ngan_moi_2023.csv").write_text(BUDGET, encoding="utf-8")
    write_csv(inbox / "ho_so_moi_2023.csv", [HEADER, *ROWS[:2]], delimiter=";", bom=True)
    opened.clear()

    # the night's scope: what is new, and of which families (one `parwh run`)
    assert sorted(new_inbox_files(settings) or []) == ["giai_ngan_moi_2023.csv", "ho_so_moi_2023.csv"]
    assert changed_families(settings, last) >= {"budget", "dossier_records"}
    scope = dict(opened)

    con = duckdb.connect(str(settings.database_path))
    try:
        register_inbox(con, inbox, settings.quarantine_dir, "r1", InboxHashes(settings.inbox_hash_cache))
        registration = dict(opened)
        for family in ("budget", "dossier_records"):
            report = load_family(con, family, settings.quarantine_dir, "r1")
            assert [o.status for o in report.outcomes] == ["loaded"], report.outcomes
    finally:
        con.close()

    # the hash (once: the cache serves the second caller) and the first rows (once)
    assert scope == {"giai_ngan_moi_2023.csv": 2, "ho_so_moi_2023.csv": 2}
    assert registration == scope  # the registration reads neither again
    # the load: the aggregated file read whole; the record export's header line and a look
    # at its last rows (a totals row?), its rows being streamed by DuckDB's reader
    assert dict(opened) == {"giai_ngan_moi_2023.csv": 3, "ho_so_moi_2023.csv": 4}


def test_a_classification_is_remembered_beside_the_hash_for_another_process(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, opened: Counter[str]
) -> None:
    """The schedule decides tonight's scope in the daemon and the run registers the files in
    another process: the classification kept in ``inbox_hashes.json`` serves it."""
    inbox = tmp_path / "warehouse" / "inbox"
    inbox.mkdir(parents=True)
    path = inbox / "giai_ngan_2023.csv"
    path.write_text(BUDGET, encoding="utf-8")
    cache = tmp_path / "inbox_hashes.json"
    opened.clear()
    scope_hashes = InboxHashes(cache)
    assert classify(path, "giai_ngan_2023.csv", scope_hashes) == {"budget": [None]}
    scope_hashes.save()
    assert opened == {"giai_ngan_2023.csv": 2}  # hashed, first rows read

    monkeypatch.setattr(inbox_module, "_CLASSIFIED", {})  # another process
    outcomes = register_inbox(con, inbox, tmp_path / "quarantine", "r1", InboxHashes(cache))
    assert [(o.family, o.status) for o in outcomes] == [("budget", "pending")]
    assert opened == {"giai_ngan_2023.csv": 2}  # neither hashed nor read again

    # another classifier (the code changed since): read again
    monkeypatch.setattr(inbox_module, "_CLASSIFIED", {})
    monkeypatch.setattr(inbox_module, "classifier_version", lambda: "another")
    assert classify(path, "giai_ngan_2023.csv", InboxHashes(cache)) == {"budget": [None]}
    assert opened == {"giai_ngan_2023.csv": 3}

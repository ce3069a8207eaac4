"""The maintained table of open dossiers (int_dossier_records_open): night after night it
holds exactly what a full rebuild from the same records holds (the latest version of every
dossier whose latest version has no finish date), through re-exports that close or reopen a
dossier, two versions in one night, a night without records, and a withdrawn export (after
which it is written again whole)."""

from __future__ import annotations

import shutil
from pathlib import Path

from settings import Settings
from submissions.withdrawal import withdraw
from tests.e2e.warehouse_io import dbt_run_compiled, load_records_night, query

MODEL = "int_dossier_records_open"
HEADER = "dossier_id,unit_code,authority_level,channel,received_at,due_at,finished_at,status\n"
# the open rows, by dossier: the table also keeps the latest night's ended versions (its state)
OPEN_ROWS = (
    "select * exclude (records_counted) from intermediate.int_dossier_records_open"
    " where finished_at is null order by unit_code, dossier_id"
)


def _dbt_run(warehouse: Path, *extra: str) -> str:
    """`dbt run` of the table and what it is built from and after; returns its SQL."""
    return dbt_run_compiled(warehouse, [f"+{MODEL}"], MODEL, *extra)


def _row(dossier: str, unit: str, received: str, finished: str = "", status: str = "") -> str:
    return f"{dossier},{unit},xa,truc_tuyen,{received},2026-02-28 17:00,{finished},{status}\n"


def _open(path: Path) -> list[tuple[str, str]]:
    rows = query(path, f"select dossier_id, received_at::varchar from ({OPEN_ROWS})")
    return [(r[0], r[1]) for r in rows]


def _equals_full_rebuild(settings: Settings, name: str) -> None:
    """The table equals a rebuild from all records (a copy of the warehouse, --full-refresh),
    and holds one row per dossier."""
    folder = settings.warehouse_dir.parent / name
    folder.mkdir()
    shutil.copy(settings.database_path, folder / "warehouse.duckdb")
    ran = _dbt_run(folder, "--full-refresh")
    assert "latest_of_all" in ran  # the rebuild read every record
    assert query(settings.database_path, OPEN_ROWS) == query(folder / "warehouse.duckdb", OPEN_ROWS)
    duplicated = (
        f"select count(*) from (select unit_code, dossier_id from intermediate.{MODEL}"
        " group by all having count(*) > 1)"
    )
    assert query(settings.database_path, duplicated) == [(0,)]


def test_open_dossiers_night_by_night_equal_a_full_rebuild(warehouse_settings: Settings) -> None:
    a, b = "25747", "25750"  # current communes
    path = warehouse_settings.database_path
    load_records_night(warehouse_settings, "ho_so_1.csv", HEADER, [
        _row("A1", a, "2026-01-02 08:00"),  # open
        _row("A2", a, "2026-01-03 08:00", "2026-01-10 08:00"),  # resolved
        _row("A3", a, "2026-01-04 08:00", status="5"),  # waiting for supplements: open
        _row("A4", a, "2026-01-05 08:00"),  # open, closed on night 2
        _row("A5", a, "2026-01-06 08:00", "2026-01-09 08:00"),  # resolved, reopened on night 2
        _row("B1", b, "2026-01-07 08:00"),  # open; the same id in another unit below
        _row("N1", b, "", status="1"),  # never received: no finish date, kept (never counted)
    ])  # fmt: skip
    first = _dbt_run(warehouse_settings.warehouse_dir)
    assert "latest_of_all" in first  # the first build reads every record
    assert [d for d, _ in _open(path)] == ["A1", "A3", "A4", "B1", "N1"]

    # Night 2: A4 closed, A5 reopened, A1 re-exported twice (the later file wins), a new
    # dossier, and A1's id in unit b (another dossier)
    load_records_night(warehouse_settings, "ho_so_2a.csv", HEADER, [
        _row("A4", a, "2026-01-05 08:00", "2026-02-02 08:00"),
        _row("A5", a, "2026-01-06 08:00"),
        _row("A1", a, "2026-01-02 09:00"),
        _row("A6", a, "2026-02-03 08:00"),
    ])  # fmt: skip
    load_records_night(warehouse_settings, "ho_so_2b.csv", HEADER, [_row("A1", a, "2026-01-02 10:00")])
    load_records_night(warehouse_settings, "ho_so_2c.csv", HEADER, [_row("A1", b, "2026-02-04 08:00")])
    second = _dbt_run(warehouse_settings.warehouse_dir)
    assert "latest_of_all" not in second  # tonight's records only
    assert _open(path) == [
        ("A1", "2026-01-02 10:00:00"), ("A3", "2026-01-04 08:00:00"), ("A5", "2026-01-06 08:00:00"),
        ("A6", "2026-02-03 08:00:00"), ("A1", "2026-02-04 08:00:00"), ("B1", "2026-01-07 08:00:00"),
        ("N1", None),
    ]  # fmt: skip
    _equals_full_rebuild(warehouse_settings, "rebuilt_2")

    # the ended versions kept: those of the last two nights with records (A2 of night 1, A4
    # of night 2; A5's ended version of night 1 was replaced)
    ended = f"select dossier_id from intermediate.{MODEL} where finished_at is not null order by 1"
    assert query(path, ended) == [("A2",), ("A4",)]

    # Night 3 without new records: nothing changes, and the table stays current
    before = query(path, f"select * from intermediate.{MODEL} order by all")
    third = _dbt_run(warehouse_settings.warehouse_dir)
    assert "latest_of_all" not in third
    assert query(path, f"select * from intermediate.{MODEL} order by all") == before

    # Night 4 after night 2's first file was withdrawn: A4 is open again and A5 resolved
    # (their night-1 versions), A6 is gone; the table is written again whole
    withdraw(warehouse_settings, "ho_so_2a.csv", "xuất nhầm kỳ")
    fourth = _dbt_run(warehouse_settings.warehouse_dir)
    assert "latest_of_all" in fourth
    assert [d for d, _ in _open(path)] == ["A1", "A3", "A4", "A1", "B1", "N1"]
    _equals_full_rebuild(warehouse_settings, "rebuilt_4")

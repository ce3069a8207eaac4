"""The incremental 766 record model (int_qd766_records_monthly): a night's new records add
what they change to the stored months, and the result equals a full rebuild of the same
records (corrections, a later month, supplements, procedures; a later month counts a
dossier by its latest version, not an older open one); a night after records loaded before
the stored build left the warehouse counts every month again."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from settings import Settings
from tests.e2e.warehouse_io import dbt_run_compiled, load_records_night, query

MODEL = "int_qd766_records_monthly"
HEADER = (
    "dossier_id,unit_code,authority_level,MaTTHC,channel,received_at,due_at,finished_at,status,SoLanBoSung\n"
)
# every count (the build-state columns say when a month was written, which a full rebuild
# changes for every month)
EVERYTHING = (
    "select * exclude (records_loaded_through, records_counted, history_fingerprint,"
    f" successions_fingerprint) from intermediate.{MODEL}"
)
OPEN_DOSSIERS = "int_dossier_records_open"  # maintained after the model, read by a later month


def _dbt_run(warehouse: Path, *extra: str) -> str:
    """`dbt run` of the model and what it reads; returns the SQL the model ran."""
    return dbt_run_compiled(warehouse, [f"+{MODEL}", OPEN_DOSSIERS], MODEL, *extra)


def _row(
    dossier: str,
    unit: str,
    received: str,
    due: str,
    finished: str = "",
    status: str = "",
    procedure: str = "1.001",
    channel: str = "truc_tuyen",
    supplements: str = "",
) -> str:
    return f"{dossier},{unit},xa,{procedure},{channel},{received},{due},{finished},{status},{supplements}\n"


def _rebuilt(settings: Settings, name: str) -> Path:
    """A copy of the warehouse with the model rebuilt from all records (--full-refresh)."""
    folder = settings.warehouse_dir.parent / name
    folder.mkdir()
    shutil.copy(settings.database_path, folder / "warehouse.duckdb")
    _dbt_run(folder, "--full-refresh")
    return folder / "warehouse.duckdb"


def _differences(incremental: Path, rebuilt: Path) -> tuple[list[tuple], list[tuple]]:
    con = duckdb.connect(str(incremental), read_only=True)
    try:
        con.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        other = EVERYTHING.replace("intermediate.", "rebuilt.intermediate.")
        return (
            con.execute(f"{EVERYTHING} except all {other}").fetchall(),
            con.execute(f"{other} except all {EVERYTHING}").fetchall(),
        )
    finally:
        con.close()


def _month(path: Path, unit: str, procedure: str, month: str) -> tuple:
    """processed_start, received, ended, ended_on_time, open_at_end, open_within_deadline,
    received_multiple_supplements"""
    rows = query(
        path,
        "select processed_start, received, ended, ended_on_time, open_at_end,"
        " open_within_deadline, received_multiple_supplements"
        f" from intermediate.{MODEL} where unit_code = '{unit}' and procedure_code = '{procedure}'"
        f" and period_start = date '{month}-01'",
    )
    return rows[0] if rows else ()


def test_incremental_766_nights_equal_a_full_rebuild(warehouse_settings: Settings) -> None:
    a, b = "25747", "25750"  # current communes, records of 2026
    night_1 = [
        _row(f"A{i}", a, f"2026-01-{i + 1:02d} 08:00", f"2026-01-{i + 11:02d} 17:00",
             f"2026-01-{i + 10:02d} 10:00" if i % 3 else "")
        for i in range(9)
    ] + [
        _row("P1", a, "2026-01-04 08:00", "2026-01-08 17:00", "2026-01-09 09:00", procedure="2.002"),
        _row("S1", a, "2026-01-05 08:00", "2026-01-30 17:00", "2026-01-20 09:00", supplements="2"),
        _row("B1", b, "2026-01-05 08:00", "2026-01-20 17:00", "2026-01-15 09:00", channel="truc_tiep"),
        _row("N1", b, "", "", status="1"),  # registered online, never received: never counts
        # E1 open, E2 ended in January (both re-exported on night 1b)
        _row("E1", a, "2026-01-06 08:00", "2026-01-25 17:00", procedure="3.003"),
        _row("E2", a, "2026-01-07 08:00", "2026-01-25 17:00", "2026-01-12 09:00", procedure="3.003"),
    ]  # fmt: skip
    load_records_night(warehouse_settings, "ho_so_dem_1.csv", HEADER, night_1)
    first = _dbt_run(warehouse_settings.warehouse_dir)
    assert "tonight_dossiers" not in first  # the first build counts everything
    path = warehouse_settings.database_path
    # January, A, procedure 1.001: received 10 (A0-A8, S1); ended 7 (A1, A2, A4, A5, A7, A8,
    # S1), all within their deadline except S1 (two supplement requests); 3 open (A0, A3,
    # A6), all past their deadline (11, 14 and 17 January) at the month's end
    assert _month(path, a, "1.001", "2026-01") == (0, 10, 7, 6, 3, 0, 1)
    assert _month(path, a, "2.002", "2026-01") == (0, 1, 1, 0, 0, 0, 0)  # P1 a day late

    # Night 1b, within the built month: E1 in fact ended in January (its older version, open,
    # must not count in a later month), E2 was reopened (its latest version is open)
    night_1b = [
        _row("E1", a, "2026-01-06 08:00", "2026-01-25 17:00", "2026-01-22 09:00", procedure="3.003"),
        _row("E2", a, "2026-01-07 08:00", "2026-01-25 17:00", procedure="3.003"),
    ]  # fmt: skip
    load_records_night(warehouse_settings, "ho_so_dem_1b.csv", HEADER, night_1b)
    between = _dbt_run(warehouse_settings.warehouse_dir)
    assert "tonight_dossiers" in between and "open_later" not in between  # no later month
    assert _month(path, a, "3.003", "2026-01") == (0, 2, 1, 1, 1, 0, 0)  # E2 past due

    night_2 = [
        # a later month: every open dossier appears in March
        _row("A100", a, "2026-03-02 08:00", "2026-03-10 17:00", "2026-03-12 08:00"),
        # a corrected export: A0 (open) was in fact finished in February
        _row("A0", a, "2026-01-01 08:00", "2026-01-11 17:00", "2026-02-20 08:00"),
        # P1's procedure was mistyped: it moves to 1.001
        _row("P1", a, "2026-01-04 08:00", "2026-01-08 17:00", "2026-01-09 09:00"),
        # B1 was received and finished in February: January empties
        _row("B1", b, "2026-02-03 08:00", "2026-02-20 17:00", "2026-02-10 09:00", channel="truc_tiep"),
        # a re-export saying the dossier was never received: it counts nowhere any more (the
        # latest export decides, as in int_dossier_records_monthly)
        _row("S1", a, "2026-01-05 08:00", "2026-01-30 17:00", status="1"),
    ]  # fmt: skip
    load_records_night(warehouse_settings, "ho_so_dem_2.csv", HEADER, night_2)
    second = _dbt_run(warehouse_settings.warehouse_dir)
    assert "tonight_dossiers" in second  # tonight added what its records change
    # the later month's open dossiers were read from the maintained table, not the history
    assert OPEN_DOSSIERS in second and "open_later" not in second
    assert _differences(path, _rebuilt(warehouse_settings, "rebuilt_2")) == ([], [])
    assert _month(path, a, "2.002", "2026-01") == ()  # P1 left 2.002: no row of zeros kept
    # P1 joined 1.001; S1 (two supplement requests) left it
    assert _month(path, a, "1.001", "2026-01") == (0, 10, 7, 6, 3, 0, 0)  # P1 a day late
    assert _month(path, a, "1.001", "2026-03")[:2] == (2, 1)  # A3, A6 carried in; A100
    # the later months count a dossier by its latest version: E2 (reopened), not E1 (its
    # older version is open, its latest ended in January)
    assert _month(path, a, "3.003", "2026-02")[:5] == (1, 0, 0, 0, 1)
    assert _month(path, a, "3.003", "2026-03")[:5] == (1, 0, 0, 0, 1)
    assert query(path, f"select count(*) from intermediate.{MODEL} where unit_code = '{b}'"
                  " and period_start = date '2026-01-01'") == [(0,)]  # fmt: skip

    # Night 3: rows loaded before the stored build left the warehouse (as a withdrawal or a
    # replaced file does): tonight cannot add to the stored months, it counts them again
    con = duckdb.connect(str(path))
    try:
        con.execute("delete from raw.dossier_records where dossier_id = 'A100'")
    finally:
        con.close()
    load_records_night(
        warehouse_settings,
        "ho_so_dem_3.csv",
        HEADER,
        [_row("A200", a, "2026-03-05 08:00", "2026-03-20 17:00")],
    )
    third = _dbt_run(warehouse_settings.warehouse_dir)
    assert "tonight_dossiers" not in third
    assert _differences(path, _rebuilt(warehouse_settings, "rebuilt_3")) == ([], [])
    assert _month(path, a, "1.001", "2026-03")[:2] == (2, 1)  # A200 in, A100 gone

    # Night 4, a later month again: the maintained table was written again whole on night 3
    # (the records it counted were no longer all there), so it is current and read
    load_records_night(
        warehouse_settings,
        "ho_so_dem_4.csv",
        HEADER,
        [_row("A300", a, "2026-04-02 08:00", "2026-04-20 17:00", "2026-04-03 08:00")],
    )
    fourth = _dbt_run(warehouse_settings.warehouse_dir)
    assert OPEN_DOSSIERS in fourth and "open_later" not in fourth
    assert _differences(path, _rebuilt(warehouse_settings, "rebuilt_4")) == ([], [])
    # April: A3, A6 and A200 carried in (open), A300 received and ended
    assert _month(path, a, "1.001", "2026-04")[:3] == (3, 1, 1)

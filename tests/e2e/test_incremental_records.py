"""The incremental record-level model: a night's new files recompute only the unit-months they
touch, and the result equals a full rebuild of the same records, corrections included (a
later month counts a dossier by its latest version, not an older open one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from settings import Settings
from tests.e2e.warehouse_io import dbt_run_compiled, load_records_night, query

MODELS = ["+int_dossier_records_aggregated", "int_dossier_records_open"]
HEADER = "dossier_id,unit_code,authority_level,channel,received_at,due_at,finished_at,status\n"


def _dbt_run(warehouse: Path, *extra: str) -> str:
    """`dbt run` of the models; returns the SQL int_dossier_records_monthly ran."""
    return dbt_run_compiled(warehouse, MODELS, "int_dossier_records_monthly", *extra)


def _row(dossier: str, unit: str, received: str, due: str, finished: str = "", status: str = "") -> str:
    """One record; status is the portal's TrangThaiHoSo (empty: the finish date decides)."""
    return f"{dossier},{unit},xa,truc_tuyen,{received},{due},{finished},{status}\n"


def _aggregated(path: Path, unit: str) -> dict[str, tuple]:
    rows = query(
        path,
        "select period_label, carried_in, received, resolved, resolved_late, pending"
        " from intermediate.int_dossier_records_aggregated"
        f" where unit_code = '{unit}' order by period_start, period_end",
    )
    return {r[0]: r[1:] for r in rows}


def _statuses(path: Path, unit: str) -> dict[str, tuple]:
    """received, resolved, pending, waiting_supplement, withdrawn, stopped per period."""
    rows = query(
        path,
        "select period_label, received, resolved, pending, waiting_supplement, withdrawn, stopped"
        " from intermediate.int_dossier_records_aggregated"
        f" where unit_code = '{unit}' order by period_start, period_end",
    )
    return {r[0]: r[1:] for r in rows}


def _differences(incremental: Path, rebuilt: Path) -> tuple[list[tuple], list[tuple]]:
    """Rows of int_dossier_records_aggregated only in the one or only in the other."""
    everything = "select * from intermediate.int_dossier_records_aggregated"
    con = duckdb.connect(str(incremental), read_only=True)
    try:
        con.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        only_incremental = con.execute(
            f"{everything} except all {everything.replace('intermediate.', 'rebuilt.intermediate.')}"
        ).fetchall()
        only_rebuilt = con.execute(
            f"{everything.replace('intermediate.', 'rebuilt.intermediate.')} except all {everything}"
        ).fetchall()
    finally:
        con.close()
    return only_incremental, only_rebuilt


def test_incremental_nights_equal_a_full_rebuild(warehouse_settings: Settings) -> None:
    a, b, c, d, e = "25747", "25750", "25760", "25768", "25771"  # current communes, records of 2026
    night_1 = [
        _row(f"A{i}", a, f"2026-01-{i + 1:02d} 08:00", f"2026-01-{i + 11:02d} 17:00",
             f"2026-01-{i + 10:02d} 10:00" if i % 3 else "")
        for i in range(10)
    ] + [
        _row("B1", b, "2026-01-05 08:00", "2026-01-20 17:00", "2026-01-15 09:00"),
        # C: nothing new on night 2, but its January is in a month night 2 rewrites
        _row("C1", c, "2026-01-07 08:00", "2026-01-15 17:00", "2026-01-14 09:00"),
        # D: dossiers with the portal's statuses (TrangThaiHoSo)
        _row("D1", d, "2026-01-05 08:00", "2026-01-25 17:00", status="5"),  # waiting for supplements
        _row("D2", d, "2026-01-06 08:00", "2026-01-25 17:00", status="2"),  # in process
        _row("D3", d, "2026-01-07 08:00", "2026-01-25 17:00", status="4"),  # in process
        _row("D4", d, "2026-01-08 08:00", "2026-01-25 17:00", "2026-01-20 08:00", "8"),  # stopped
        _row("D5", d, "", "", status="1"),  # registered online, never received: never counts
        # E1 open, E2 resolved in January (both re-exported on night 1b)
        _row("E1", e, "2026-01-06 08:00", "2026-01-25 17:00"),
        _row("E2", e, "2026-01-07 08:00", "2026-01-25 17:00", "2026-01-12 09:00"),
    ]  # fmt: skip
    load_records_night(warehouse_settings, "ho_so_dem_1.csv", HEADER, night_1)
    _dbt_run(warehouse_settings.warehouse_dir)
    # January: A received 10, resolved 6 (i = 1, 2, 4, 5, 7, 8), 4 open into February
    assert _aggregated(warehouse_settings.database_path, a)["2026-01"] == (0, 10, 6, 0, 4)
    assert "2026-01" in _aggregated(warehouse_settings.database_path, b)
    # D in January: received 4 (not D5), stopped 1, waiting 1, pending 2 (D2, D3)
    assert _statuses(warehouse_settings.database_path, d)["2026-01"] == (4, 0, 2, 1, 0, 1)

    # Night 1b, within the built month (no later month): E1 was in fact resolved in January
    # (its older version, open, must not count in a later month), E2 was reopened (its
    # latest version is open)
    night_1b = [
        _row("E1", e, "2026-01-06 08:00", "2026-01-25 17:00", "2026-01-22 09:00"),
        _row("E2", e, "2026-01-07 08:00", "2026-01-25 17:00"),
    ]
    load_records_night(warehouse_settings, "ho_so_dem_1b.csv", HEADER, night_1b)
    _dbt_run(warehouse_settings.warehouse_dir)  # incremental
    assert _aggregated(warehouse_settings.database_path, e)["2026-01"] == (0, 2, 1, 0, 1)

    night_2 = [
        # new receipts in a month never seen before (March): every unit's open dossiers
        # must appear in it
        _row("A100", a, "2026-03-02 08:00", "2026-03-10 17:00", "2026-03-12 08:00"),
        # a corrected export: A0 (open) was in fact finished late in February
        _row("A0", a, "2026-01-01 08:00", "2026-01-11 17:00", "2026-02-20 08:00"),
        # B's only dossier was in fact received and finished in February: January empties
        _row("B1", b, "2026-02-03 08:00", "2026-02-20 17:00", "2026-02-10 09:00"),
        # D's dossiers move on: D1 supplemented and resolved, D2 withdrawn, D3 refused at
        # reception after all (it leaves January's receipts)
        _row("D1", d, "2026-01-05 08:00", "2026-01-25 17:00", "2026-02-10 08:00", "10"),
        _row("D2", d, "2026-01-06 08:00", "2026-01-25 17:00", "2026-02-03 08:00", "7"),
        _row("D3", d, "2026-01-07 08:00", "2026-01-25 17:00", status="3"),
    ]
    # the dossiers still open (their latest versions, no finish date), as night 1b left them
    open_dossiers = (
        "select dossier_id from intermediate.int_dossier_records_open"
        " where finished_at is null and coalesce(status, '') <> 'not_received' order by dossier_id"
    )
    assert [r[0] for r in query(warehouse_settings.database_path, open_dossiers)] == [
        "A0", "A3", "A6", "A9", "D1", "D2", "D3", "E2",
    ]  # fmt: skip
    load_records_night(warehouse_settings, "ho_so_dem_2.csv", HEADER, night_2)
    ran = _dbt_run(warehouse_settings.warehouse_dir)  # incremental, a later month
    # the later month's open dossiers were read from the maintained table, not the history
    assert "int_dossier_records_open" in ran
    assert "open_in_new_months" not in ran

    incremental = warehouse_settings.database_path
    rebuilt_dir = warehouse_settings.warehouse_dir.parent / "rebuilt"
    rebuilt_dir.mkdir()
    shutil.copy(incremental, rebuilt_dir / "warehouse.duckdb")
    _dbt_run(rebuilt_dir, "--full-refresh")
    rebuilt = rebuilt_dir / "warehouse.duckdb"

    for unit in (a, b, c, d, e):
        assert _aggregated(incremental, unit) == _aggregated(rebuilt, unit), unit
        assert _statuses(incremental, unit) == _statuses(rebuilt, unit), unit
    assert _aggregated(incremental, c)["2026-01"] == (0, 1, 1, 0, 0)  # C's month kept
    assert _differences(incremental, rebuilt) == ([], [])

    after = _aggregated(incremental, a)
    assert after["2026-01"] == (0, 10, 6, 0, 4)  # A0 still open at the end of January
    assert after["2026-02"] == (4, 0, 1, 1, 3)  # carried in 4, A0 resolved late
    assert after["2026-03"] == (3, 1, 1, 1, 3)  # A100 late (12/03 > 10/03); 3 still open
    assert after["2026-Q1"] == (0, 11, 8, 2, 3)
    d_after = _statuses(incremental, d)
    # received, resolved, pending, waiting_supplement, withdrawn, stopped
    assert d_after["2026-01"] == (3, 0, 2, 0, 0, 1)  # D1 (now resolved) and D2 were open then
    assert d_after["2026-02"] == (0, 1, 0, 0, 1, 0)  # carried in 2: D1 resolved, D2 withdrawn
    assert d_after["2026-Q1"] == (3, 1, 0, 0, 1, 1)
    assert _aggregated(incremental, d)["2026-02"][0] == 2  # carried in
    # the later months count a dossier by its latest version: E2 (reopened), not E1 (its
    # older version is open, its latest was resolved in January)
    e_after = _aggregated(incremental, e)
    assert e_after["2026-02"] == (1, 0, 0, 0, 1)
    assert e_after["2026-03"] == (1, 0, 0, 0, 1)
    b_after = _aggregated(incremental, b)
    assert "2026-01" not in b_after  # the month B left empty is gone
    assert b_after["2026-02"] == (0, 1, 1, 0, 0)
    # the emptied month left a row of zeros behind in the incremental table only
    marker = "select count(*) from intermediate.int_dossier_records_monthly where carried_in + received = 0"
    assert query(incremental, marker) == [(1,)]
    assert query(rebuilt, marker) == [(0,)]

    # Night 3 on a stored table built before a measure existed (as by an earlier release):
    # every month is counted again, not tonight's change added to a missing count.
    con = duckdb.connect(str(incremental))
    try:
        con.execute("alter table intermediate.int_dossier_records_monthly drop column received_online")
    finally:
        con.close()
    load_records_night(
        warehouse_settings,
        "ho_so_dem_3.csv",
        HEADER,
        [_row("A200", a, "2026-03-05 08:00", "2026-03-20 17:00", "2026-03-06 08:00", "9")],
    )
    _dbt_run(warehouse_settings.warehouse_dir)
    rebuilt_3 = warehouse_settings.warehouse_dir.parent / "rebuilt_3"
    rebuilt_3.mkdir()
    shutil.copy(incremental, rebuilt_3 / "warehouse.duckdb")
    _dbt_run(rebuilt_3, "--full-refresh")
    assert _differences(incremental, rebuilt_3 / "warehouse.duckdb") == ([], [])
    january_online = (
        "select received_online from intermediate.int_dossier_records_aggregated"
        f" where unit_code = '{a}' and period_label = '2026-01'"
    )
    assert query(incremental, january_online) == [(10,)]  # A0-A9, counted again whole
    assert query(incremental, marker) == [(0,)]  # the recount left no row of zeros

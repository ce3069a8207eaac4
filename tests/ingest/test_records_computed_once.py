"""A record export's values are computed once per file (ingest/records.py, the file's rows
table) and its family loads without a checkpoint after every few files (ingest/inbox.py):
what is loaded stays what the values say, whichever way a column is mapped.

Real loader (``register_inbox`` + ``load_family``) into a real DuckDB file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from ingest.inbox import LOADING_CHECKPOINT_THRESHOLD, load_family, register_inbox
from ingest.records import _CASE_VALUES, RULE_DUE_BEFORE_RECEIVED
from tests.ingest.conftest import write_csv

RUN = "run-once"
HEADER = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Lĩnh vực", "Số hóa", "Ngày tiếp nhận", "Ngày hẹn trả"]


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path):
    register_inbox(con, inbox, quarantine, RUN)
    return load_family(con, "dossier_records", quarantine, RUN)


def test_columns_of_few_and_of_many_values_are_mapped_alike(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """Channels and booleans (a few values: a case of parameters) and fields (more values
    than :data:`_CASE_VALUES`: a join with the map) load as the vocabulary reads them; an
    empty cell stays empty, a blank channel is the vocabulary's default."""
    fields = [f"Lĩnh vực số {i}" for i in range(_CASE_VALUES + 6)]
    channels = ["1", "2", "Trực tuyến", "", "3"]
    digitised = ["Có", "Không", "", "x", "0"]
    rows = [
        [f"HS-{i}", "867", channels[i % 5], fields[i], digitised[i % 5], "01/08/2023 08:00", "05/08/2023"]
        for i in range(len(fields))
    ]
    write_csv(inbox / "ho_so_867.csv", [HEADER, *rows])
    report = _load(con, inbox, quarantine)
    assert report.files_loaded == 1, report.outcomes
    loaded = con.execute(
        "select dossier_id, field, channel, is_channel_blank, is_digitised, unit_code, authority_level,"
        " received_at, due_at from raw.dossier_records order by source_row"
    ).fetchall()
    assert len(loaded) == len(fields)
    assert [r[1] for r in loaded] == fields
    assert [r[2:4] for r in loaded[:5]] == [
        ("truc_tiep", False),
        ("truc_tuyen", False),
        ("truc_tuyen", False),
        ("truc_tiep", True),
        ("buu_chinh", False),
    ]
    assert [r[4] for r in loaded[:5]] == [True, False, None, True, False]
    assert {r[5:7] for r in loaded} == {("L867", "huyen")}
    assert loaded[0][7:] == (datetime(2023, 8, 1, 8, 0), datetime(2023, 8, 5))


def test_a_column_with_offsets_and_one_without_read_each_as_written(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """A reception stating its offset is read in Vietnam's time, a due date beside it as
    written; the date-order findings count the loaded values."""
    header = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Ngày hẹn trả"]
    rows = [
        ["HS-1", "867", "1", "2023-08-01T01:00:00Z", "2023-08-05 00:00:00"],
        ["HS-2", "867", "1", "2023-08-01T23:30:00+00:00", "2023-08-01 12:00:00"],
        ["HS-3", "867", "1", "2023-08-03T08:00:00+07:00", "2023-08-02 00:00:00"],
    ]
    write_csv(inbox / "ho_so_867.csv", [header, *rows])
    report = _load(con, inbox, quarantine)
    assert report.files_loaded == 1, report.outcomes
    loaded = con.execute("select received_at, due_at from raw.dossier_records order by source_row").fetchall()
    assert loaded == [
        (datetime(2023, 8, 1, 8, 0), datetime(2023, 8, 5)),
        (datetime(2023, 8, 2, 6, 30), datetime(2023, 8, 1, 12, 0)),
        (datetime(2023, 8, 3, 8, 0), datetime(2023, 8, 2)),
    ]
    found = con.execute("select source_row, rule from raw.load_findings order by source_row").fetchall()
    assert found == [(3, RULE_DUE_BEFORE_RECEIVED), (4, RULE_DUE_BEFORE_RECEIVED)]
    message = con.execute("select message from raw.file_manifest").fetchall()[0][0]
    assert "2 warning(s)" in message


def test_a_family_loads_under_a_higher_checkpoint_threshold_then_restores_it(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """The threshold is raised while the files load (no checkpoint every 16 MiB of WAL) and
    set back afterwards, also when a file is rejected; every file is committed."""
    before = con.execute("select current_setting('checkpoint_threshold')").fetchall()[0][0]
    write_csv(inbox / "ho_so_867.csv", [HEADER, ["HS-1", "867", "1", "A", "Có", "01/08/2023", ""]])
    write_csv(inbox / "ho_so_868.csv", [HEADER, ["HS-1", "99999", "1", "A", "Có", "01/08/2023", ""]])
    report = _load(con, inbox, quarantine)
    assert (report.files_loaded, report.files_rejected) == (1, 1)
    after = con.execute("select current_setting('checkpoint_threshold')").fetchall()[0][0]
    assert after == before and LOADING_CHECKPOINT_THRESHOLD != "16MB"
    assert con.execute("select count(*) from raw.dossier_records").fetchall()[0][0] == 1

"""A small warehouse in a temporary DuckDB file, with clean rows for every checked table."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import pytest

D = dt.date
Rows = dict[str, list[dict[str, Any]]]

SCHEMAS: dict[str, dict[str, str]] = {
    "marts.fct_dossier_stats": {
        "unit_code": "VARCHAR",
        "authority_level": "VARCHAR",
        "period_label": "VARCHAR",
        "period_start": "DATE",
        "period_end": "DATE",
        "carried_in": "BIGINT",
        "received": "BIGINT",
        "received_online": "BIGINT",
        "received_postal": "BIGINT",
        "resolved": "BIGINT",
        "resolved_early": "BIGINT",
        "resolved_on_time": "BIGINT",
        "resolved_late": "BIGINT",
        "pending": "BIGINT",
        "pending_not_due": "BIGINT",
        "pending_overdue": "BIGINT",
        "waiting_supplement": "BIGINT",
        "withdrawn": "BIGINT",
        "stopped": "BIGINT",
        "on_time_rate": "DOUBLE",
        "late_rate": "DOUBLE",
        "resolution_rate": "DOUBLE",
        "balance_difference": "BIGINT",
        "resolved_parts_difference": "BIGINT",
        "pending_parts_difference": "BIGINT",
        "source_file": "VARCHAR",
        "source_row": "BIGINT",
    },
    "marts.fct_survey_satisfaction": {
        "unit_code": "VARCHAR",
        "authority_level": "VARCHAR",
        "period_label": "VARCHAR",
        "period_start": "DATE",
        "period_end": "DATE",
        "forms": "BIGINT",
        "satisfied_forms": "BIGINT",
        "satisfaction_rate": "DOUBLE",
        "source_file": "VARCHAR",
        "source_row": "BIGINT",
    },
    "marts.fct_budget_disbursement": {
        "unit_code": "VARCHAR",
        "fiscal_year": "INTEGER",
        "as_of_date": "DATE",
        "period_label": "VARCHAR",
        "plan_mvnd": "DECIMAL(18,3)",
        "disbursed_mvnd": "DECIMAL(18,3)",
        "disbursement_rate": "DOUBLE",
        "source_file": "VARCHAR",
        "source_row": "BIGINT",
    },
    "marts.fct_staffing": {
        "unit_code": "VARCHAR",
        "as_of_date": "DATE",
        "category": "VARCHAR",
        "quota": "BIGINT",
        "actual": "BIGINT",
        "source_file": "VARCHAR",
        "source_row": "BIGINT",
    },
    "quality.int_submitted_totals_compared": {
        "source_family": "VARCHAR",
        "source_file": "VARCHAR",
        "source_row": "BIGINT",
        "unit_code": "VARCHAR",
        "period_label": "VARCHAR",
        "measure": "VARCHAR",
        "stated_total": "BIGINT",
        "sum_of_parts": "BIGINT",
        "difference": "BIGINT",
    },
    "marts.rankings": {
        "rubric_id": "VARCHAR",
        "ranking_scope": "VARCHAR",
        "scope_code": "VARCHAR",
        "period_label": "VARCHAR",
        "period_end": "DATE",
        "unit_code": "VARCHAR",
        "unit_name": "VARCHAR",
        "unit_kind": "VARCHAR",
        "score": "DECIMAL(7,4)",
        "rank": "BIGINT",
        "band": "VARCHAR",
    },
    "raw.dossiers": {
        "file_id": "VARCHAR",
        "source_row": "BIGINT",
        "unit_code": "VARCHAR",
        "submitted_unit": "VARCHAR",
        "authority_level": "VARCHAR",
        "period_start": "DATE",
        "period_end": "DATE",
        "field": "VARCHAR",
        "carried_in": "BIGINT",
        "received": "BIGINT",
        "received_online": "BIGINT",
        "received_postal": "BIGINT",
        "resolved": "BIGINT",
        "resolved_early": "BIGINT",
        "resolved_on_time": "BIGINT",
        "resolved_late": "BIGINT",
        "pending_not_due": "BIGINT",
        "pending_overdue": "BIGINT",
        "is_total_row": "BOOLEAN",
        "loaded_at": "TIMESTAMP",
    },
    "raw.file_manifest": {
        "file_id": "VARCHAR",
        "file_name": "VARCHAR",
        "sheet_name": "VARCHAR",
        "source_family": "VARCHAR",
        "status": "VARCHAR",
    },
}

SA_DEC_2023 = {"period_start": D(2023, 1, 1), "period_end": D(2023, 12, 31)}
NHA_TRANG_2018 = {"period_start": D(2018, 1, 1), "period_end": D(2018, 12, 31)}


def _dossier_stats() -> list[dict[str, Any]]:
    nha_trang = {
        "unit_code": "L568",
        "authority_level": "huyen",
        "period_label": "2018",
        **NHA_TRANG_2018,
        "carried_in": 0,
        "received": 58053,
        "received_online": 0,
        "received_postal": 120,
        "resolved": 56863,
        "resolved_early": 1000,
        "resolved_on_time": 56252,
        "resolved_late": 611,
        "pending": 1190,
        "pending_not_due": 1190,
        "pending_overdue": 0,
        "on_time_rate": 98.93,
        "late_rate": 1.07,
        "resolution_rate": 97.95,
        "balance_difference": 0,
        "resolved_parts_difference": 0,
        "pending_parts_difference": 0,
        "source_file": "nha_trang_2018.xlsx",
        "source_row": 7,
    }
    sa_dec = {
        **nha_trang,
        "unit_code": "L867",
        "period_label": "2023",
        **SA_DEC_2023,
        "carried_in": 100,
        "received": 1000,
        "resolved": 1050,
        "resolved_early": 200,
        "resolved_on_time": 1040,
        "resolved_late": 10,
        "pending": 50,
        "pending_not_due": 45,
        "pending_overdue": 5,
        "on_time_rate": 99.05,
        "late_rate": 0.95,
        "resolution_rate": 95.45,
        "source_file": "sa_dec_2023.xlsx",
        "source_row": 8,
    }
    # A commune with nothing received: rates are null ("not applicable"), or NaN.
    empty = {
        **sa_dec,
        "unit_code": "L25645",
        "authority_level": "xa",
        "carried_in": 0,
        "received": 0,
        "received_online": 0,
        "received_postal": 0,
        "resolved": 0,
        "resolved_early": 0,
        "resolved_on_time": 0,
        "resolved_late": 0,
        "pending": 0,
        "pending_not_due": 0,
        "pending_overdue": 0,
        "on_time_rate": None,
        "late_rate": float("nan"),
        "resolution_rate": None,
        "source_row": 9,
    }
    return [nha_trang, sa_dec, empty]


def clean_rows() -> Rows:
    raw_row = {
        "file_id": "f" * 64,
        "source_row": 5,
        "unit_code": "L867",
        "submitted_unit": "TP Sa Đéc",
        "authority_level": "huyen",
        **SA_DEC_2023,
        "field": "Hộ tịch",
        "carried_in": 10,
        "received": 100,
        "received_online": 30,
        "received_postal": 1,
        "resolved": 105,
        "resolved_early": 20,
        "resolved_on_time": 104,
        "resolved_late": 1,
        "pending_not_due": 5,
        "pending_overdue": 0,
        "is_total_row": False,
        "loaded_at": dt.datetime(2024, 1, 5, 1, 0),
    }
    return {
        "marts.fct_dossier_stats": _dossier_stats(),
        "marts.fct_survey_satisfaction": [
            {
                "unit_code": "L866",
                "authority_level": "huyen",
                "period_label": "2021",
                "period_start": D(2021, 1, 1),
                "period_end": D(2021, 12, 31),
                "forms": 600,
                "satisfied_forms": 548,
                "satisfaction_rate": 91.33,
                "source_file": "cao_lanh_survey_2021.xlsx",
                "source_row": 4,
            }
        ],
        "marts.fct_budget_disbursement": [
            {
                "unit_code": "L867",
                "fiscal_year": 2023,
                "as_of_date": D(2023, 8, 15),
                "period_label": "2023-YTD-08-15",
                "plan_mvnd": "590161.540",
                "disbursed_mvnd": "212901.285",
                "disbursement_rate": 36.07,
                "source_file": "sa_dec_budget_2023.xlsx",
                "source_row": 6,
            }
        ],
        "marts.fct_staffing": [
            {
                "unit_code": "L867",
                "as_of_date": D(2023, 6, 30),
                "category": "cong_chuc",
                "quota": 120,
                "actual": 115,
                "source_file": "sa_dec_staff_2023.xlsx",
                "source_row": 5,
            },
            {
                "unit_code": "L867",
                "as_of_date": D(2023, 6, 30),
                "category": "hop_dong",
                "quota": None,
                "actual": 10,
                "source_file": "sa_dec_staff_2023.xlsx",
                "source_row": 6,
            },
        ],
        "quality.int_submitted_totals_compared": [
            {
                "source_family": "dossiers",
                "source_file": "nha_trang_2018.xlsx",
                "source_row": 30,
                "unit_code": "L568",
                "period_label": "2018",
                "measure": "received",
                "stated_total": 58053,
                "sum_of_parts": 58053,
                "difference": 0,
            }
        ],
        "marts.rankings": [
            {
                "rubric_id": "dong_thap_2023",
                "ranking_scope": "province",
                "scope_code": "L87",
                "period_label": "2023",
                "period_end": D(2023, 12, 31),
                "unit_code": "L867",
                "unit_name": "Thành phố Sa Đéc",
                "unit_kind": "district",
                "score": 82.8,
                "rank": 1,
                "band": "Tốt",
            },
            {
                "rubric_id": "dong_thap_2023",
                "ranking_scope": "province",
                "scope_code": "L87",
                "period_label": "2023",
                "period_end": D(2023, 12, 31),
                "unit_code": "L866",
                "unit_name": "Thành phố Cao Lãnh",
                "unit_kind": "district",
                "score": 80.1,
                "rank": 2,
                "band": "Khá",
            },
        ],
        "raw.dossiers": [
            raw_row,
            # The totals row: never checked as data (its negative figure must be ignored).
            {**raw_row, "source_row": 20, "unit_code": None, "received": -1, "is_total_row": True},
        ],
        "raw.file_manifest": [
            {
                "file_id": "f" * 64,
                "file_name": "sa_dec_dossiers_2023.xlsx",
                "sheet_name": "Sheet1",
                "source_family": "dossiers",
                "status": "loaded",
            },
            {
                "file_id": "f" * 64,
                "file_name": "sa_dec_dossiers_2023.xlsx",
                "sheet_name": "Sheet2",
                "source_family": "dossiers",
                "status": "loaded",
            },
        ],
    }


def create_tables(con: duckdb.DuckDBPyConnection, rows: Rows, skip: Iterable[str] = ()) -> None:
    skipped = set(skip)
    for table, schema in SCHEMAS.items():
        if table in skipped:
            continue
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {table.split('.')[0]}")
        cols = ", ".join(f'"{c}" {t}' for c, t in schema.items())
        con.execute(f"CREATE TABLE {table} ({cols})")
        data = rows.get(table, [])
        if data:
            names = list(schema)
            marks = ", ".join("?" for _ in names)
            con.executemany(
                f"INSERT INTO {table} VALUES ({marks})",
                [[row.get(n) for n in names] for row in data],
            )


Builder = Callable[..., duckdb.DuckDBPyConnection]


@pytest.fixture
def build(tmp_path: Path) -> Iterable[Builder]:
    """build(rows=None, skip=()) -> a connection to a fresh warehouse file."""
    opened: list[duckdb.DuckDBPyConnection] = []

    def _build(rows: Rows | None = None, skip: Iterable[str] = ()) -> duckdb.DuckDBPyConnection:
        path = tmp_path / f"warehouse_{len(opened)}.duckdb"
        con = duckdb.connect(str(path))
        opened.append(con)
        create_tables(con, rows if rows is not None else clean_rows(), skip)
        return con

    yield _build
    for con in opened:
        con.close()


@pytest.fixture
def rows() -> Rows:
    return copy.deepcopy(clean_rows())


@pytest.fixture
def schemas() -> dict[str, dict[str, str]]:
    return copy.deepcopy(SCHEMAS)

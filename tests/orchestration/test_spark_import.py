"""Reading what Spark built into the working DuckDB database.

The Parquet here is written by DuckDB in Spark's layout (`<schema>.db/<model>/part-*.parquet`,
partitions as `<column>=<value>/` folders); tests/spark builds it with Spark itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from engines.spark_readback import SparkModel, built_table_models, import_models


def _write(con: duckdb.DuckDBPyConnection, folder: Path, sql: str, partition: str | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if partition:
        con.execute(
            f"copy ({sql}) to '{folder}' (format parquet, partition_by ({partition}), overwrite_or_ignore)"
        )
    else:
        con.execute(f"copy ({sql}) to '{folder / 'part-00000.snappy.parquet'}' (format parquet)")
    (folder / "_SUCCESS").write_text("")


def test_only_the_tables_that_this_build_made_are_read_back() -> None:
    manifest = {
        "nodes": {
            "model.p.rankings": {
                "resource_type": "model",
                "schema": "marts",
                "name": "rankings",
                "config": {"materialized": "table"},
            },
            "model.p.monthly": {
                "resource_type": "model",
                "schema": "intermediate",
                "name": "int_monthly",
                "alias": "int_monthly",
                "config": {"materialized": "incremental", "partition_by": ["period_start"]},
            },
            "model.p.stg": {
                "resource_type": "model",
                "schema": "staging",
                "name": "stg_raw__budget",
                "config": {"materialized": "view"},
            },
            "model.p.failed": {
                "resource_type": "model",
                "schema": "marts",
                "name": "fct_scores",
                "config": {"materialized": "table"},
            },
            "seed.p.rubrics": {
                "resource_type": "seed",
                "schema": "reference",
                "name": "rubrics",
                "config": {},
            },
            "test.p.not_null": {"resource_type": "test", "schema": "marts", "name": "t", "config": {}},
        }
    }
    run_results = {
        "results": [
            {"unique_id": "model.p.rankings", "status": "success"},
            {"unique_id": "model.p.monthly", "status": "success"},
            {"unique_id": "model.p.stg", "status": "success"},
            {"unique_id": "model.p.failed", "status": "error"},
            {"unique_id": "seed.p.rubrics", "status": "success"},
            {"unique_id": "test.p.not_null", "status": "pass"},
        ]
    }
    assert built_table_models(manifest, run_results) == [
        SparkModel("marts", "rankings", partitioned=False),
        SparkModel("intermediate", "int_monthly", partitioned=True),
        SparkModel("reference", "rubrics", partitioned=False),
    ]


def test_tables_are_replaced_by_what_spark_wrote(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.rankings as select 'old' as unit_code, 1 as rank")
    con.execute("create table marts.data_quality_findings as select 'kept' as rule")
    _write(
        con,
        tables / "marts.db" / "rankings",
        "select * from (values ('L866', 1::bigint), ('L867', 2)) t(unit_code, rank)",
    )
    _write(
        con,
        tables / "intermediate.db" / "int_monthly",
        "select * from (values ('L866', 3::bigint, date '2023-10-01'), ('L866', 4, date '2023-11-01')) "
        "t(unit_code, received, period_start)",
        partition="period_start",
    )
    counts = import_models(
        con,
        tables,
        [SparkModel("marts", "rankings", False), SparkModel("intermediate", "int_monthly", True)],
    )
    assert counts == {"marts.rankings": 2, "intermediate.int_monthly": 2}
    assert con.execute("select * from marts.rankings order by rank").fetchall() == [("L866", 1), ("L867", 2)]
    # the partition column comes back with its type
    assert con.execute(
        "select period_start, received from intermediate.int_monthly order by 1"
    ).fetchall() == [
        (date(2023, 10, 1), 3),
        (date(2023, 11, 1), 4),
    ]
    # tables that dbt does not build (the quality findings) are untouched
    assert con.execute("select * from marts.data_quality_findings").fetchall() == [("kept",)]
    con.close()


def test_an_empty_partitioned_table_keeps_its_columns_and_a_missing_table_changes_nothing(
    tmp_path: Path,
) -> None:
    tables = tmp_path / "tables"
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema intermediate")
    con.execute(
        "create table intermediate.int_monthly as "
        "select 'L866' as unit_code, date '2023-10-01' as period_start"
    )
    (tables / "intermediate.db" / "int_monthly").mkdir(parents=True)
    assert import_models(con, tables, [SparkModel("intermediate", "int_monthly", True)]) == {
        "intermediate.int_monthly": 0
    }
    assert [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns where table_name = 'int_monthly'"
        ).fetchall()
    ] == ["unit_code", "period_start"]

    con.execute("insert into intermediate.int_monthly values ('L867', date '2023-11-01')")
    _write(con, tables / "marts.db" / "rankings", "select 'L866' as unit_code")
    with pytest.raises(FileNotFoundError, match=r"marts\.fct_scores"):
        import_models(
            con,
            tables,
            [
                SparkModel("intermediate", "int_monthly", True),
                SparkModel("marts", "rankings", False),
                SparkModel("marts", "fct_scores", False),
            ],
        )
    # one transaction: the tables read before the failure are as they were
    assert con.execute("select count(*) from intermediate.int_monthly").fetchall() == [(1,)]
    assert con.execute(
        "select count(*) from information_schema.tables where table_name = 'rankings'"
    ).fetchall() == [(0,)]
    con.close()

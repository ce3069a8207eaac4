"""One declaration per table Python writes: the sources YAML for the raw tables
(dbt_project/models/staging/raw/_raw__sources.yml), ingest/bookkeeping.py for the findings
and check results. These tests fail when the DDL, the Arrow schemas, the Spark landing or
dbt's YAML drift from them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import yaml

from ingest.bookkeeping import BOOKKEEPING_TABLES, DATA_QUALITY_FINDINGS, Finding, append_findings
from ingest.inbox import AGGREGATED_TABLES, TABLE_SCHEMAS
from ingest.raw_tables import LOADER_COLUMNS, RAW_TABLES, SOURCES_YAML, Table, arrow_type, raw_tables
from ingest.warehouse import ensure_schema

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[str, str]]:
    return [
        (name, data_type.lower().replace(", ", ","))
        for name, data_type in con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def _declared(table: Table) -> list[tuple[str, str]]:
    return [(c.name, c.data_type.replace(", ", ",")) for c in table.columns]


def test_the_sources_yaml_declares_every_column_with_a_type_and_a_description() -> None:
    document = yaml.safe_load(SOURCES_YAML.read_text(encoding="utf-8"))
    (source,) = document["sources"]
    assert source["name"] == source["schema"] == "raw"
    names = [t["name"] for t in source["tables"]]
    assert tuple(names) == RAW_TABLES
    assert {"file_manifest", "dossiers", "dossier_records", "load_findings", "admin_units"} <= set(names)
    for table in source["tables"]:
        assert table["description"].strip(), table["name"]
        assert table["columns"], table["name"]
        seen = [c["name"] for c in table["columns"]]
        assert len(seen) == len(set(seen)), f"{table['name']}: a column declared twice"
        for column in table["columns"]:
            where = f"raw.{table['name']}.{column['name']}"
            assert str(column.get("description", "")).strip(), f"{where}: no description"
            arrow_type(str(column["data_type"]).lower())  # a type Python can derive from
            assert set(column.get("data_tests") or ()) <= {"not_null"}, where
    # what the loaders always write is tested by dbt at every build
    for name in ("dossiers", "dossier_records", "staff", "budget", "surveys", "survey_responses"):
        not_null = {c.name for c in raw_tables()[name].columns if c.not_null}
        assert {"file_id", "source_row", "loaded_at"} <= not_null, name
    assert {c.name for c in raw_tables()["file_manifest"].columns if c.not_null} == {
        "file_id",
        "file_name",
        "status",
    }


def test_the_warehouse_tables_are_the_declared_ones(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schema(con)
    ensure_schema(con)  # idempotent
    for table in raw_tables().values():
        assert _columns(con, "raw", table.name) == _declared(table), table.name
    for table in BOOKKEEPING_TABLES:
        assert _columns(con, table.schema, table.name) == _declared(table), table.qualified_name
    written = {
        (schema, name)
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in ('raw', 'audit', 'marts')"
        ).fetchall()
    }
    assert written == {("raw", t) for t in RAW_TABLES} | {(t.schema, t.name) for t in BOOKKEEPING_TABLES}
    # types as DuckDB reports them, for a few that matter (money, counts, lists)
    assert dict(_columns(con, "raw", "budget"))["disbursed_mvnd"] == "decimal(18,3)"
    assert dict(_columns(con, "raw", "dossiers"))["received"] == "bigint"
    assert dict(_columns(con, "raw", "file_manifest"))["unit_codes"] == "varchar[]"
    assert dict(_columns(con, "raw", "survey_responses"))["answer"] == "integer"


def test_a_warehouse_of_an_earlier_release_gets_the_columns_declared_since(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema raw")
    con.execute("create schema marts")
    # as the first release created them
    con.execute(
        "create table raw.file_manifest (file_id varchar, file_name varchar, size_bytes bigint,"
        " source_family varchar, sheet_name varchar, row_count bigint, unit_codes varchar[],"
        " period_labels varchar[], status varchar, message varchar, message_vi varchar,"
        " error_sheet varchar, error_row bigint, error_column varchar, run_id varchar,"
        " loaded_at timestamp, file_path varchar)"
    )
    con.execute(
        "insert into raw.file_manifest (file_id, file_name, status) values ('abc', 'a.xlsx', 'loaded')"
    )
    con.execute(
        "create table marts.data_quality_findings (run_id varchar, rule varchar, severity varchar,"
        " unit_code varchar, period_label varchar, source_file varchar, source_row bigint,"
        " message varchar, message_vi varchar, found_at timestamp)"
    )
    con.execute("insert into marts.data_quality_findings (run_id, rule) values ('r1', 'file_rejected')")
    ensure_schema(con)
    assert _columns(con, "raw", "file_manifest") == _declared(raw_tables()["file_manifest"])
    assert _columns(con, "marts", "data_quality_findings") == _declared(DATA_QUALITY_FINDINGS)
    assert con.execute("select file_id, status, load_attempts from raw.file_manifest").fetchall() == [
        ("abc", "loaded", None)
    ]
    assert con.execute("select run_id, rule, details from marts.data_quality_findings").fetchall() == [
        ("r1", "file_rejected", None)
    ]


def test_the_loaders_arrow_schemas_are_the_declared_columns(tmp_path: Path) -> None:
    assert set(AGGREGATED_TABLES) == set(TABLE_SCHEMAS)
    for name in AGGREGATED_TABLES:
        declared = [c for c in raw_tables()[name].columns if c.name not in LOADER_COLUMNS]
        schema = TABLE_SCHEMAS[name]
        assert schema.names == [c.name for c in declared], name
        assert {"file_id", "loaded_at"} <= set(raw_tables()[name].column_names)
    assert TABLE_SCHEMAS["budget"].field("plan_mvnd").type == pa.decimal128(18, 3)
    assert TABLE_SCHEMAS["budget"].field("fiscal_year").type == pa.int32()
    assert TABLE_SCHEMAS["dossiers"].field("period_start").type == pa.date32()
    # an Arrow batch of each schema lands in its table without a cast changing a value
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schema(con)
    budget = pa.Table.from_pylist(
        [
            {
                "source_row": 7,
                "unit_code": "L867",
                "submitted_unit": "Thành phố Sa Đéc",
                "fiscal_year": 2023,
                "as_of_date": date(2023, 12, 31),
                "programme": None,
                "plan_mvnd": Decimal("1234.567"),
                "disbursed_mvnd": Decimal("444.444"),
                "is_total_row": False,
            }
        ],
        schema=TABLE_SCHEMAS["budget"],
    )
    con.register("batch", budget)
    cols = ", ".join(budget.schema.names)
    con.execute(
        f"insert into raw.budget (file_id, {cols}, loaded_at) select 'f', {cols}, ? from batch",
        [datetime(2024, 1, 2, 3, 4, 5)],
    )
    assert con.execute(
        "select source_row, plan_mvnd, disbursed_mvnd, as_of_date from raw.budget"
    ).fetchall() == [(7, Decimal("1234.567"), Decimal("444.444"), date(2023, 12, 31))]
    for name in AGGREGATED_TABLES:
        con.register(f"empty_{name}", TABLE_SCHEMAS[name].empty_table())
        arrow_columns = _columns_of_query(con, f"select * from empty_{name}")
        table_columns = [c for c in _columns(con, "raw", name) if c[0] not in LOADER_COLUMNS]
        assert arrow_columns == table_columns, name


def _columns_of_query(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[str, str]]:
    relation = con.sql(sql)
    return [
        (name, str(t).lower().replace(", ", ","))
        for name, t in zip(relation.columns, relation.types, strict=True)
    ]


def test_spark_lands_and_registers_every_declared_raw_table() -> None:
    from ingest import parquet_landing

    assert parquet_landing.RAW_TABLES == RAW_TABLES
    # macros/spark_raw_tables.sql registers every table of the source "raw": the landed ones
    macro = (DBT_PROJECT / "macros" / "spark_raw_tables.sql").read_text(encoding="utf-8")
    assert "source.source_name == 'raw'" in macro


def test_every_raw_table_read_by_dbt_is_declared_and_staged() -> None:
    staging = DBT_PROJECT / "models" / "staging" / "raw"
    for path in staging.glob("stg_raw__*.sql"):
        table = path.stem.removeprefix("stg_raw__")
        assert table in RAW_TABLES, path.name
        assert f"source('raw', '{table}')" in path.read_text(encoding="utf-8")
    # only load_findings has no staging model: the load_findings suite reads it
    staged = {p.stem.removeprefix("stg_raw__") for p in staging.glob("stg_raw__*.sql")}
    assert set(RAW_TABLES) - staged == {"load_findings"}


def test_dbt_documents_the_findings_table_with_the_declared_columns() -> None:
    found = []
    for path in (DBT_PROJECT / "models").rglob("*.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources") or ():
            for table in source.get("tables") or ():
                if (source.get("schema", source["name"]), table["name"]) == (
                    "marts",
                    "data_quality_findings",
                ):
                    found.append([c["name"] for c in table["columns"]])
    assert found == [list(DATA_QUALITY_FINDINGS.column_names)]


@pytest.mark.parametrize("writer", ["ingest", "checks"])
def test_one_writer_for_the_findings_of_ingest_and_of_the_checks(tmp_path: Path, writer: str) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    if writer == "ingest":
        ensure_schema(con)
    else:
        from expectations.store import ensure_result_tables

        ensure_result_tables(con)
    finding = Finding("file_rejected", "error", "L867", "2023", "a.xlsx", 9, "bad", "sai", details='{"n": 1}')
    assert append_findings(con, "run-1", [finding]) == 1
    row = con.execute(
        "select run_id, rule, severity, unit_code, period_label, source_file, source_row, message,"
        " message_vi, finding_key, details, found_at is not null from marts.data_quality_findings"
    ).fetchall()
    assert row == [
        ("run-1", "file_rejected", "error", "L867", "2023", "a.xlsx", 9, "bad", "sai", None, '{"n": 1}', True)
    ]

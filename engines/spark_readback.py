"""After a dbt build on Spark: the models' Parquet read into the working DuckDB database.

Spark writes each table model as Parquet under its warehouse directory
(`<tables>/<schema>.db/<model>/`, partitioned models in `<column>=<value>/` folders).
Reading them into the working database keeps everything after dbt the same on both
engines: the Great Expectations suites, the publication gate, `published/latest.duckdb`
and the reports all read DuckDB. Views are not copied (nothing after dbt reads them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

TABLE_MATERIALIZATIONS = ("table", "incremental")


@dataclass(frozen=True)
class SparkModel:
    schema: str
    name: str
    partitioned: bool

    def folder(self, tables_dir: Path) -> Path:
        return tables_dir / f"{self.schema}.db" / self.name


def built_table_models(manifest: Mapping[str, Any], run_results: Mapping[str, Any]) -> list[SparkModel]:
    """The table and incremental models that this dbt command built successfully."""
    models = []
    for result in run_results.get("results", []):
        node = manifest.get("nodes", {}).get(result.get("unique_id", ""))
        if not node or node.get("resource_type") not in ("model", "seed"):
            continue
        config = node.get("config", {})
        materialized = "table" if node["resource_type"] == "seed" else config.get("materialized")
        if result.get("status") != "success" or materialized not in TABLE_MATERIALIZATIONS:
            continue
        models.append(
            SparkModel(
                schema=node["schema"],
                name=node.get("alias") or node["name"],
                partitioned=bool(config.get("partition_by")),
            )
        )
    return models


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def import_models(
    con: duckdb.DuckDBPyConnection, tables_dir: Path, models: Iterable[SparkModel]
) -> dict[str, int]:
    """Replace each model's DuckDB table with Spark's rows, in one transaction: a failure
    leaves every table as it was. Returns the rows read per `schema.model`."""
    counts: dict[str, int] = {}
    con.execute("begin transaction")
    try:
        for model in models:
            folder = model.folder(tables_dir)
            files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
            relation = f"{_quoted(model.schema)}.{_quoted(model.name)}"
            con.execute(f"create schema if not exists {_quoted(model.schema)}")
            if not files:
                # Spark writes no file for an empty partitioned table: keep the columns
                exists = con.execute(
                    "select count(*) from information_schema.tables "
                    "where table_schema = ? and table_name = ?",
                    [model.schema, model.name],
                ).fetchone()
                if not exists or not exists[0]:
                    raise FileNotFoundError(
                        f"Spark wrote no Parquet for {model.schema}.{model.name} in {folder}"
                    )
                con.execute(f"delete from {relation}")
                counts[f"{model.schema}.{model.name}"] = 0
                continue
            pattern = str(folder / ("**/*.parquet" if model.partitioned else "*.parquet"))
            con.execute(
                f"create or replace table {relation} as select * from read_parquet(?, hive_partitioning = ?)",
                [pattern, model.partitioned],
            )
            row = con.execute(f"select count(*) from {relation}").fetchone()
            counts[f"{model.schema}.{model.name}"] = int(row[0]) if row else 0
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return counts

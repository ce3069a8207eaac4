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

import sqlfiles

TABLE_MATERIALIZATIONS = ("table", "incremental")
_SQL = __package__ or "engines"


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


def _execute_on(
    con: duckdb.DuckDBPyConnection, name: str, model: SparkModel, params: Mapping[str, Any] | None = None
) -> None:
    """Run ``engines/sql/<name>.sql`` on one model's table.

    DuckDB binds values, not names: these statements create, replace or empty a table whose
    schema and name come from dbt's manifest, so the file writes them as the placeholders
    ``"{schema}"`` and ``"{name}"`` (quoted identifiers, which sqlfluff lints), filled in
    quoted by ``sqlfiles.with_identifiers``. Every value is a bound ``$parameter``."""
    sqlfiles.execute(con, _SQL, name, params, identifiers={"schema": model.schema, "name": model.name})


def import_models(
    con: duckdb.DuckDBPyConnection, tables_dir: Path, models: Iterable[SparkModel]
) -> dict[str, int]:
    """Replace each model's DuckDB table with Spark's rows, in one transaction: a failure
    leaves every table as it was. Returns the rows read per `schema.model`."""
    counts: dict[str, int] = {}
    con.begin()
    try:
        for model in models:
            folder = model.folder(tables_dir)
            files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
            _execute_on(con, "spark_readback_create_schema", model)
            if not files:
                # Spark writes no file for an empty partitioned table: keep the columns
                exists = sqlfiles.one(
                    con, _SQL, "spark_readback_table_exists", {"schema": model.schema, "name": model.name}
                )
                if not exists or not exists[0]:
                    raise FileNotFoundError(
                        f"Spark wrote no Parquet for {model.schema}.{model.name} in {folder}"
                    )
                _execute_on(con, "spark_readback_empty_table", model)
                counts[f"{model.schema}.{model.name}"] = 0
                continue
            pattern = str(folder / ("**/*.parquet" if model.partitioned else "*.parquet"))
            _execute_on(
                con,
                "spark_readback_replace_table",
                model,
                {"pattern": pattern, "partitioned": model.partitioned},
            )
            row = sqlfiles.one(
                con,
                _SQL,
                "spark_readback_row_count",
                {"relation": f"{_quoted(model.schema)}.{_quoted(model.name)}"},
            )
            counts[f"{model.schema}.{model.name}"] = int(row[0]) if row else 0
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return counts

"""The reports resolve a province with ingest's resolver over the publication's units: the
inputs people type (warehouse code, GSO code, name with or without accents, "Tỉnh …")
and a clear error in both languages for an unknown one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingest.admin_units import build_admin_units
from reports import queries as q


@pytest.fixture(scope="module")
def units_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    path: Path = tmp_path_factory.mktemp("units") / "published.duckdb"
    with duckdb.connect(str(path)) as con:
        con.register("units", build_admin_units())
        con.execute("create schema marts")
        con.execute("create table marts.dim_admin_units as select * from units")
    with q.connect(path) as con:
        yield con


@pytest.mark.parametrize("typed", ["L87", "87", "Đồng Tháp", "Dong Thap", "dong  thap", "Tỉnh Đồng Tháp"])
def test_a_legacy_province_as_people_type_it(units_db: duckdb.DuckDBPyConnection, typed: str) -> None:
    found = q.resolve_province(units_db, typed, "legacy")
    assert (found["unit_code"], found["gso_code"], found["admin_era"]) == ("L87", "87", "legacy")
    assert found["unit_name"] == "Tỉnh Đồng Tháp"


def test_the_era_is_preferred_then_the_other_one(units_db: duckdb.DuckDBPyConnection) -> None:
    assert q.resolve_province(units_db, "Đồng Tháp", "current")["unit_code"] == "82"
    # a province of the other era only: found, the caller says it is of the wrong era
    assert q.resolve_province(units_db, "Tiền Giang", "current")["unit_code"] == "L82"
    assert q.resolve_province(units_db, "L87", "current")["unit_code"] == "L87"


def test_an_unknown_province_is_a_clear_error(units_db: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="không tìm thấy tỉnh 'Atlantis'.*unknown province 'Atlantis'"):
        q.resolve_province(units_db, "Atlantis", "legacy")

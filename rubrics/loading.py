"""The rubric files of a warehouse, and their rows in the raw tables.

Every night reads the shipped rubrics (``rubrics/shipped/``) and those a Department loaded
with `parwh rubric load` (``<warehouse>/rubrics/``, kept as loaded, named after the moment
they were loaded) and rewrites ``raw.rubrics``, ``raw.rubric_nodes``,
``raw.rubric_threshold_steps`` and ``raw.rubric_bands`` from them in one transaction; dbt
picks the version of each rubric that applies to each year (``int_rubric_versions``).
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

import sqlfiles
from ingest.admin_units import UnitResolver
from ingest.errors import IngestError, ParseError
from ingest.raw_tables import raw_table
from rubrics.reader import RubricFileError, read_rubric
from rubrics.tree import Rubric
from settings import Settings

PACKAGE = __package__ or "rubrics"
SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"
SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
INDICATORS_SEED = SEEDS_DIR / "indicators.csv"
RUBRICS_SEED = SEEDS_DIR / "rubrics.csv"
RUBRIC_SUFFIXES = (".csv", ".xlsx", ".xls", ".ods")
RAW_RUBRIC_TABLES = ("rubrics", "rubric_nodes", "rubric_threshold_steps", "rubric_bands")
_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_LOADED_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{6}Z)__(?P<name>.+)$")


@dataclass(frozen=True)
class RubricFile:
    path: Path
    origin: str  # shipped | loaded
    loaded_at: datetime | None  # when `parwh rubric load` stored it (UTC, naive)

    @property
    def shown_name(self) -> str:
        """The name the Department gave the file (without the stored file's time stamp)."""
        match = _LOADED_NAME.match(self.path.name)
        return match["name"] if match else self.path.name


@dataclass(frozen=True)
class CheckedRubric:
    rubric: Rubric
    province_code: str | None  # unit_code of the province (era of its first year); None: national


def known_indicators() -> frozenset[str]:
    """The indicators a computed node may name (seed ``indicators``)."""
    with open(INDICATORS_SEED, encoding="utf-8") as fh:
        return frozenset(row["indicator_code"] for row in csv.DictReader(fh))


def rubric_files(settings: Settings) -> list[RubricFile]:
    """The shipped rubric files, then the loaded ones in the order they were loaded."""
    shipped = [
        RubricFile(path, "shipped", None)
        for path in sorted(SHIPPED_DIR.iterdir())
        if path.suffix.lower() in RUBRIC_SUFFIXES
    ]
    loaded = []
    if settings.rubrics_dir.is_dir():
        for path in sorted(settings.rubrics_dir.iterdir()):
            match = _LOADED_NAME.match(path.name)
            if match and path.is_file() and path.suffix.lower() in RUBRIC_SUFFIXES:
                stamp = datetime.strptime(match["stamp"], _STAMP_FORMAT)
                loaded.append(RubricFile(path, "loaded", stamp))
    return shipped + loaded


def rubrics_loaded_since(settings: Settings, since_iso: str) -> list[str]:
    """The names of the rubric files loaded after ``since_iso`` (an ISO 8601 time, UTC)."""
    since = datetime.fromisoformat(since_iso)
    since = since.astimezone(UTC).replace(tzinfo=None) if since.tzinfo else since
    return [
        found.shown_name
        for found in rubric_files(settings)
        if found.loaded_at is not None and found.loaded_at > since.replace(microsecond=0)
    ]


def seeded_rubric_ids() -> frozenset[str]:
    """The data-only rubrics of the seeds (seed ``rubrics``): a rubric file may not take their ids."""
    with open(RUBRICS_SEED, encoding="utf-8") as fh:
        return frozenset(row["rubric_id"] for row in csv.DictReader(fh))


def check_rubric_file(path: Path, resolver: UnitResolver | None = None) -> CheckedRubric:
    """The rubric of a file, checked, with its province resolved; raises
    :class:`~rubrics.reader.RubricFileError` naming every problem."""
    rubric = read_rubric(path, known_indicators())
    if rubric.meta.rubric_id in seeded_rubric_ids():
        raise RubricFileError(
            path.name,
            [
                IngestError(
                    f"rubric id {rubric.meta.rubric_id!r} is a data-only ranking of the warehouse"
                    " (seed rubrics): choose another 'Mã bộ tiêu chí'",
                    f"mã {rubric.meta.rubric_id!r} là mã của một bảng xếp hạng theo chỉ tiêu dữ liệu"
                    " của kho: chọn 'Mã bộ tiêu chí' khác",
                    file_name=path.name,
                    column="Mã bộ tiêu chí",
                )
            ],
        )
    province = rubric.meta.province
    if province is None:
        return CheckedRubric(rubric, None)
    resolver = resolver or UnitResolver.default()
    try:
        code = resolver.resolve_province(province, date(rubric.meta.year_from, 1, 1))
    except ParseError as exc:
        raise RubricFileError(
            path.name,
            [IngestError(exc.message_en, exc.message_vi, file_name=path.name, column="Tỉnh")],
        ) from exc
    return CheckedRubric(rubric, code)


def store_rubric(settings: Settings, path: Path, now: datetime | None = None) -> RubricFile:
    """Keep a checked rubric file in ``<warehouse>/rubrics/`` (never overwriting one)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    settings.rubrics_dir.mkdir(parents=True, exist_ok=True)
    target = settings.rubrics_dir / f"{moment.strftime(_STAMP_FORMAT)}__{path.name}"
    if target.exists():
        raise FileExistsError(f"{target} exists: load the file again in a second")
    tmp = target.with_name(f".{target.name}.part")
    shutil.copyfile(path, tmp)
    tmp.rename(target)
    return RubricFile(target, "loaded", moment.replace(microsecond=0))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _rows(found: RubricFile, checked: CheckedRubric) -> dict[str, list[dict]]:
    rubric, meta, name = checked.rubric, checked.rubric.meta, found.path.name
    key = {"file_name": name, "rubric_id": meta.rubric_id}
    return {
        "rubrics": [
            {
                "file_name": name,
                "origin": found.origin,
                "file_sha256": _sha256(found.path),
                "loaded_at": found.loaded_at,
                "rubric_id": meta.rubric_id,
                "name_vi": meta.name_vi,
                "province_code": checked.province_code,
                "unit_kind": meta.target,
                "year_from": meta.year_from,
                "year_to": meta.year_to,
                "score_decimals": meta.score_decimals,
                "basis": meta.basis,
                "notes": meta.notes,
            }
        ],
        "rubric_nodes": [
            {
                **key,
                "node_code": node.code,
                "parent_code": node.parent_code,
                "node_level": node.level,
                "ordinal": node.ordinal,
                "name_vi": node.name_vi,
                "max_points": node.max_points,
                "method": node.method,
                "indicator_code": node.indicator_code,
                "authority_level": node.authority_level,
                "rule": node.rule,
                "full_points_at": node.full_points_at,
                "rounding": node.rounding,
                "not_applicable_when": node.not_applicable_when,
                "notes": node.notes,
                "source_row": node.source_row,
            }
            for node in rubric.nodes
        ],
        "rubric_threshold_steps": [
            {**key, "node_code": node.code, "min_value": step.min_value, "points_share": step.points_share}
            for node in rubric.nodes
            for step in node.threshold_steps
        ],
        "rubric_bands": [
            {**key, "band_vi": band.name_vi, "min_score": band.min_score} for band in meta.bands
        ],
    }


def load_rubrics(con: duckdb.DuckDBPyConnection, files: Iterable[RubricFile]) -> dict[str, int]:
    """Rewrite the raw rubric tables from ``files`` in one transaction; the rows per table.
    A file that no longer reads (it was checked when loaded) stops the load, named."""
    resolver = UnitResolver.default()
    rows: dict[str, list[dict]] = {table: [] for table in RAW_RUBRIC_TABLES}
    for found in files:
        for table, table_rows in _rows(found, check_rubric_file(found.path, resolver)).items():
            rows[table].extend(table_rows)
    arrow = {
        table: pa.Table.from_pylist(rows[table], schema=raw_table(table).arrow_schema(leave_out=()))
        for table in RAW_RUBRIC_TABLES
    }
    con.begin()
    try:
        for table in RAW_RUBRIC_TABLES:
            con.register(f"_{table}", arrow[table])
            sqlfiles.execute(con, PACKAGE, f"delete_{table}")
            sqlfiles.execute(con, PACKAGE, f"insert_{table}")
        con.commit()
    except Exception:
        con.rollback()
        raise
    finally:
        for table in RAW_RUBRIC_TABLES:
            con.unregister(f"_{table}")
    return {table: len(rows[table]) for table in RAW_RUBRIC_TABLES}

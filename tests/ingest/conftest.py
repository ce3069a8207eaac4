"""Fixtures for ingest tests: real DuckDB files in tmp_path, fixture files written here."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from ingest.admin_units import load_admin_units


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    load_admin_units(con)
    con.close()
    return path


@pytest.fixture
def con(template_db: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(template_db, path)
    connection = duckdb.connect(str(path))
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    path = tmp_path / "inbox"
    path.mkdir()
    return path


@pytest.fixture
def quarantine(tmp_path: Path) -> Path:
    return tmp_path / "quarantine"


def write_xlsx(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], delimiter: str = ",", bom: bool = False) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


# The Nha Trang 2018 figures of seed 002, as a district report would send them.
DOSSIER_TITLE = [
    ["UBND TỈNH KHÁNH HÒA"],
    ["BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH NĂM 2018"],
    [],
]
DOSSIER_HEADER = [
    [
        "STT",
        "Đơn vị",
        "Cấp",
        "Kỳ trước chuyển qua",
        "Tiếp nhận mới",
        "Đã giải quyết",
        None,
        None,
        None,
        "Đang giải quyết",
        None,
    ],
    [None, None, None, None, None, "Tổng số", "Trước hạn", "Đúng hạn", "Trễ hạn", "Chưa đến hạn", "Quá hạn"],
]
DOSSIER_MERGES = ["A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:I4", "J4:K4"]


def dossier_sheet(rows: list[list]) -> list[list]:
    return DOSSIER_TITLE + DOSSIER_HEADER + rows

"""A procedure catalogue in the inbox is recognised and loaded by `parwh run`: Sa Đéc's
catalogue of 30/6/2024 and the national database's export of 1/7/2024 (Sa Đéc and Hồng Ngự)
in raw.procedure_catalogue; the later catalogue of Sa Đéc replaces the earlier one whole in
int_procedure_catalogue_latest, Hồng Ngự's is its only one."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import duckdb
from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.e2e.inbox_files import write_small_inbox
from tests.ingest.conftest import write_csv
from tests.ingest.test_procedure_catalogue import portal_rows, write_sa_dec_catalogue

runner = CliRunner()


def test_catalogues_are_loaded_and_the_later_one_of_a_unit_wins(warehouse_settings: Settings) -> None:
    settings = warehouse_settings
    write_small_inbox(settings.inbox_dir)
    earlier = write_sa_dec_catalogue(settings.inbox_dir / "danh_muc_tthc_sa_dec.xlsx")
    later = write_csv(settings.inbox_dir / "csdl_tthc_dong_thap.csv", portal_rows())
    os.utime(earlier, (1_719_700_000, 1_719_700_000))  # 30/6/2024: submitted first
    os.utime(later, (1_719_800_000, 1_719_800_000))
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(settings.database_path), read_only=True) as con:
        loaded = con.execute(
            "select file_name, source_family, status, unit_codes, period_labels from raw.file_manifest"
            " where source_family = 'procedure_catalogue' order by file_name"
        ).fetchall()
        raw_rows = con.execute("select count(*) from raw.procedure_catalogue").fetchone()
        latest = con.execute(
            "select unit_code, procedure_code, as_of_date, online_level, has_fee, fee_amount,"
            " returns_paper_result, published_on, legal_basis_effective_on"
            " from intermediate.int_procedure_catalogue_latest order by unit_code, source_row"
        ).fetchall()
        families = con.execute(
            "select source_family, count(*) from raw.file_manifest where status = 'loaded'"
            " group by source_family order by source_family"
        ).fetchall()
    assert loaded == [
        ("csdl_tthc_dong_thap.csv", "procedure_catalogue", "loaded", ["L867", "L868"], ["2024-07-01"]),
        ("danh_muc_tthc_sa_dec.xlsx", "procedure_catalogue", "loaded", ["L867"], ["2024-06-30"]),
    ]
    assert raw_rows == (7,)  # 4 + 3: the raw table keeps every version
    # the small inbox's files still route to their families
    assert families == [("budget", 1), ("dossiers", 1), ("procedure_catalogue", 2), ("surveys", 1)]
    d = date
    assert latest == [
        ("L867", "1.004227.000.00.00.H17", d(2024, 7, 1), "mot_phan", True, Decimal("50000.00"), True,
         d(2024, 3, 15), d(2024, 3, 1)),
        ("L867", "1.001776.000.00.00.H17", d(2024, 7, 1), "toan_trinh", False, None, False,
         d(2024, 1, 20), d(2024, 1, 1)),
        ("L868", "1.004227.000.00.00.H17", d(2024, 7, 1), "none", True, Decimal("50000.00"), True,
         d(2024, 3, 15), d(2024, 3, 1)),
    ]  # fmt: skip

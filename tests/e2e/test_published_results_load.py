"""Published index results in the inbox are recognised and loaded by `parwh run`: the
national PAR INDEX 2024 table (Khánh Hòa 90,49 %, 10/63) and the 2023 table with its
Decision 876 components (Hòa Bình published 86,89 for parts adding up to 87,89) in
raw.published_index_results and the published mart_index_published_comparison, the wrong
total a finding in marts.data_quality_findings naming file, row, unit and both numbers."""

from __future__ import annotations

from decimal import Decimal

import duckdb
from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.e2e.inbox_files import write_small_inbox
from tests.ingest.test_published_results import write_components_2023, write_par_index_2024

runner = CliRunner()


def test_published_results_are_loaded_compared_and_a_wrong_total_is_a_finding(
    warehouse_settings: Settings,
) -> None:
    settings = warehouse_settings
    write_small_inbox(settings.inbox_dir)
    write_par_index_2024(settings.inbox_dir / "par_index_2024_cac_tinh.xlsx")
    write_components_2023(settings.inbox_dir / "par_index_2023_thanh_phan.xlsx")
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(settings.database_path), read_only=True) as con:
        loaded = con.execute(
            "select file_name, source_family, status, period_labels from raw.file_manifest"
            " where file_name like 'par_index_%' order by file_name"
        ).fetchall()
        assert loaded == [
            ("par_index_2023_thanh_phan.xlsx", "published_index_results", "loaded", ["2023"]),
            ("par_index_2024_cac_tinh.xlsx", "published_index_results", "loaded", ["2024"]),
        ]
        (value, rank, out_of, source) = con.execute(
            "select value_percent, rank, rank_out_of, source_text from raw.published_index_results"
            " where unit_code = 'L56' and year = 2024"
        ).fetchone()  # type: ignore[misc]
        assert (value, rank, out_of) == (Decimal("90.4900"), 10, 63)
        assert "456/QĐ-BCĐCCHC" in source
        # the mart as built (publication.marts.PUBLISHED_MARTS publishes it to latest.duckdb)
        compared = con.execute(
            "select index_kind, assessment_year, unit_name, published_value_percent, published_rank,"
            " rank_out_of, stated_total, components_sum, total_difference"
            " from marts.mart_index_published_comparison where unit_code in ('L56', 'L17')"
            " order by assessment_year, unit_code"
        ).fetchall()
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        findings = con.execute(
            "select rule, unit_code, period_label, message_vi from marts.data_quality_findings"
            " where rule = 'form_published_total_matches_components'"
        ).fetchall()
    assert [row[:2] + row[3:] for row in compared] == [
        (
            "par_index",
            2023,
            Decimal("86.8900"),
            2,
            3,
            Decimal("86.8900"),
            Decimal("87.8900"),
            Decimal("-1.0000"),
        ),
        (
            "par_index",
            2023,
            Decimal("84.0000"),
            3,
            3,
            Decimal("84.0000"),
            Decimal("84.0000"),
            Decimal("0.0000"),
        ),
        ("par_index", 2024, Decimal("90.4900"), 10, 63, None, None, None),
    ]
    assert compared[0][2] == "Tỉnh Hòa Bình" and compared[2][2] == "Tỉnh Khánh Hòa"
    (finding,) = findings
    assert finding[:3] == ("form_published_total_matches_components", "L17", "2023")
    for words in ("par_index_2023_thanh_phan.xlsx", "dòng 5", "Hòa Bình", "86,89", "87,89"):
        assert words in finding[3], finding[3]

"""A self-assessment table in the inbox is recognised and loaded by `parwh run`: its rows
(unit, year, codes, stated and own scores, explanations) in raw.self_assessment_rows and the
latest-file model, and a stated area sum that differs from its criteria as a finding."""

from __future__ import annotations

from decimal import Decimal

import duckdb
from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.e2e.inbox_files import write_small_inbox
from tests.ingest.self_assessment_files import write_sa_dec_2023

runner = CliRunner()


def test_a_self_assessment_table_is_loaded_and_its_wrong_sum_is_a_finding(
    warehouse_settings: Settings,
) -> None:
    settings = warehouse_settings
    write_small_inbox(settings.inbox_dir)
    write_sa_dec_2023(settings.inbox_dir / "tu_danh_gia_cchc_sa_dec_2023.xlsx", area_two_states="4")
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(settings.database_path), read_only=True) as con:
        (family, status, units, periods) = con.execute(
            "select source_family, status, unit_codes, period_labels from raw.file_manifest"
            " where file_name = 'tu_danh_gia_cchc_sa_dec_2023.xlsx'"
        ).fetchone()  # type: ignore[misc]
        assert (family, status, units, periods) == ("self_assessment", "loaded", ["L867"], ["2023"])
        areas = con.execute(
            "select node_code, max_points, self_score"
            " from intermediate.int_self_assessment_submissions_latest where unit_code = 'L867'"
            " and assessment_year = 2023 and parent_code is null order by source_row"
        ).fetchall()
        assert [a[2] for a in areas] == [
            Decimal(x) for x in ("13.91", "4", "18.98", "6", "5.77", "2.5", "7.8", "0")
        ]
        (explanation,) = con.execute(
            "select explanation from raw.self_assessment_rows where node_code = '5.5'"
        ).fetchone()  # type: ignore[misc]
        assert explanation.startswith("Đạt 77,7 % kế hoạch. Còn 02 lớp")
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        findings = con.execute(
            "select rule, unit_code, period_label, message_vi from marts.data_quality_findings"
            " where rule = 'form_self_assessment_sum' order by message_vi"
        ).fetchall()
    assert [(f[0], f[1], f[2]) for f in findings] == [("form_self_assessment_sum", "L867", "2023")] * 2
    assert any(
        "'Cải cách thể chế': ghi 4,00 nhưng các nội dung thành phần cộng lại là 3,00" in f[3]
        for f in findings
    )

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
from tests.ingest.self_assessment_files import SA_DEC_2023, write_sa_dec_2023, write_self_assessment

runner = CliRunner()


def test_a_self_assessment_table_is_loaded_and_its_wrong_sum_is_a_finding(
    warehouse_settings: Settings,
) -> None:
    settings = warehouse_settings
    write_small_inbox(settings.inbox_dir)
    write_sa_dec_2023(settings.inbox_dir / "tu_danh_gia_cchc_sa_dec_2023.xlsx", area_two_states="4")
    # Cao Lãnh's 2022 table: the shipped Đồng Tháp rubric starts in 2023, so no index (a finding)
    write_self_assessment(
        settings.inbox_dir / "tu_danh_gia_cao_lanh_2022.xlsx",
        "UBND thành phố Cao Lãnh",
        SA_DEC_2023,
        year=2022,
    )
    # Hồng Ngự states 2 as the maximum of 7.2.3 (the rubric's is 3) and leaves 5.8 blank
    write_self_assessment(
        settings.inbox_dir / "tu_danh_gia_hong_ngu_2023.xlsx", "UBND thành phố Hồng Ngự",
        {**SA_DEC_2023, "5.8": None}, max_overrides={"7.2.3": "2"},
    )  # fmt: skip
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
            " where rule = 'form_self_assessment_sum' and unit_code = 'L867' order by message_vi"
        ).fetchall()
    assert [(f[0], f[1], f[2]) for f in findings] == [("form_self_assessment_sum", "L867", "2023")] * 2
    assert any(
        "'Cải cách thể chế': ghi 4,00 nhưng các nội dung thành phần cộng lại là 3,00" in f[3]
        for f in findings
    )
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        rubric_findings = con.execute(
            "select rule, unit_code, period_label, message_vi from marts.data_quality_findings"
            " where rule like 'self_assessment_%' order by rule"
        ).fetchall()
        statuses = con.execute(
            "select unit_code, assessment_year from marts.mart_index_status order by unit_code"
        ).fetchall()
    assert rubric_findings == [
        (
            "self_assessment_has_rubric", "L866", "2022",
            "Chưa có bộ tiêu chí Chỉ số CCHC áp dụng cho đơn vị (cấp huyện) năm 2022: bảng tự đánh giá"
            " đã được lưu nhưng chưa được chấm; nạp bộ tiêu chí bằng lệnh `parwh rubric load`",
        ),
        (
            "self_assessment_max_matches_rubric", "L868", "2023",
            "Tiêu chí 7.2.3: bảng ghi điểm tối đa 2,0, bộ tiêu chí par_index_dongthap_huyen là 3,0",
        ),
        (
            "self_assessment_states_every_criterion", "L868", "2023",
            "Tiêu chí 5.8 của bộ tiêu chí par_index_dongthap_huyen (tối đa 5,0) không có hoặc để trống"
            " trong bảng tự đánh giá: không được tính điểm",
        ),
    ]  # fmt: skip
    assert statuses == [("L867", 2023), ("L868", 2023)]
    # seed 003's own figures, out of the marts: areas, total, survey pending, points lost
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        areas = con.execute(
            "select self_assessed_points, max_points, survey_max_points from marts.fct_index_areas"
            " where unit_code = 'L867' and assessment_year = 2023 order by area_code"
        ).fetchall()
        status = con.execute(
            "select index_status, self_assessed_points, self_assessed_max_points, survey_max_points,"
            " survey_pending_criteria, final_points from marts.mart_index_status where unit_code = 'L867'"
        ).fetchone()
        lost = con.execute(
            "select node_code, points, max_points from marts.mart_index_points_lost"
            " where unit_code = 'L867' order by self_assessment_row"
        ).fetchall()
    d = Decimal
    assert [(a[0], a[1]) for a in areas] == [
        (d(p), d(m))
        for p, m in zip(
            ("13.91", "3", "18.98", "6", "5.77", "2.5", "7.8", "0"),
            ("16.5", "7", "29", "8", "14", "7", "14.5", "4"),
            strict=True,
        )
    ]
    assert sum(a[2] for a in areas) == d("30")
    # 3.6 (SIPAS) is estimated from the survey forms (95 of 100), the other six survey criteria pending
    assert status == ("self_assessed", d("57.96"), d("70"), d("30"), 6, None)
    assert [(code, points, m) for code, points, m in lost] == [
        ("1.1", d("1.6"), d("2")), ("1.6", d("1.31"), d("1.5")), ("3.3.1", d("2.99"), d("3")),
        ("3.3.2", d("1.99"), d("2")), ("5.5", d("0.77"), d("1")), ("6.1", None, d("1")),
        ("6.4", None, d("0.5")), ("7.1.1", d("0"), d("1.5")), ("7.2.1", d("0"), d("0.75")),
        ("7.2.2", d("0"), d("0.75")), ("7.2.3", d("1.86"), d("3")), ("7.2.4", d("0.22"), d("1")),
        ("7.2.5", d("0.22"), d("1")), ("8.5", None, d("4")),
    ]  # fmt: skip

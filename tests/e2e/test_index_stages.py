"""The PAR INDEX through its stages, night by night (issue 18): four Đồng Tháp districts send
their self-assessments (night 1), the Province appraises three of them (night 2), then all
four with the survey points (night 3). Each stage is ranked alone on its exact published
score, ties sharing a rank (1, 2, 2, 4); the final index takes the SIPAS criterion (3.6)
from the survey marts where the appraisal does not give it; a self-score the data
contradicts is a finding; the points lost are listed with the units' own explanations.

Self-assessed (of 70): Cao Lãnh 58.36 (1.1 = 2), Sa Đéc and Hồng Ngự 57.97 (3.3.1 = 3, the
data gives 2.99), Tân Hồng 56.96 (1.9 = 10). Appraised: Sa Đéc and Hồng Ngự 3.3.1 → 2.99,
Cao Lãnh 1.1 → 1.5. Final: + SIPAS from the surveys (Cao Lãnh 548/600 → 9.13, Sa Đéc
95/100 → 9.50, Hồng Ngự 150/200 → 7.50; Tân Hồng, without surveys, 8 by the appraisal)
+ the other survey criteria by the appraisal (18, 17, 19, 18 of 20).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from cli.main import app
from settings import Settings
from tests.e2e.inbox_files import write_small_inbox
from tests.ingest.self_assessment_files import SA_DEC_2023, write_self_assessment

runner = CliRunner()

UNITS = {  # unit code: (name as the title block writes it, its self-scores changed from Sa Đéc's)
    "L866": ("UBND thành phố Cao Lãnh", {"1.1": "2"}),
    "L867": ("UBND thành phố Sa Đéc", {"3.3.1": "3"}),
    "L868": ("UBND thành phố Hồng Ngự", {"3.3.1": "3"}),
    "L869": ("UBND huyện Tân Hồng", {"1.9": "10"}),
}
APPRAISED = {
    "L866": {"1.1": ("1,5", "Chưa đủ tài liệu kiểm chứng")},
    "L867": {"3.3.1": ("2,99", "Theo số liệu hệ thống một cửa: 99,70 % đúng hạn")},
    "L868": {"3.3.1": ("2,99", "Theo số liệu hệ thống một cửa")},
}
#: the survey criteria's points by the Province (5.7 varies); 3.6 too for Tân Hồng
SURVEY = {"1.8": "2", "2.3": "4", "4.4": "2", "6.6": "3", "7.2.7": "1"}
SURVEY_5_7 = {"L866": "6", "L867": "5", "L868": "7", "L869": "6"}


def _scores(code: str) -> dict[str, object]:
    return {**SA_DEC_2023, **UNITS[code][1]}


def _write(inbox: Path, code: str, appraised: dict | None, suffix: str) -> None:
    name, _ = UNITS[code]
    write_self_assessment(inbox / f"cchc_{code}_2023_{suffix}.xlsx", name, _scores(code), appraised=appraised)


def _night(settings: Settings) -> None:
    result = runner.invoke(app, ["run", "--warehouse", str(settings.warehouse_dir)])
    assert result.exit_code == 0, result.output


def _ranking(settings: Settings, status: str) -> list[tuple]:
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        return con.execute(
            "select unit_code, score, rank, ranked_units from marts.mart_index_rankings"
            " where rubric_id = 'par_index_dongthap_huyen' and assessment_year = 2023"
            " and ranked_status = ? order by rank, unit_code",
            [status],
        ).fetchall()


def _statuses(settings: Settings) -> dict[str, str]:
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        return dict(con.execute("select unit_code, index_status from marts.mart_index_status").fetchall())


def test_units_are_ranked_at_each_stage_of_their_index(warehouse_settings: Settings) -> None:
    settings = warehouse_settings
    inbox = settings.inbox_dir
    write_small_inbox(inbox)
    for code in UNITS:
        _write(inbox, code, None, "tu_danh_gia")
    _night(settings)

    assert _statuses(settings) == dict.fromkeys(UNITS, "self_assessed")
    assert _ranking(settings, "self_assessed") == [
        ("L866", Decimal("83.37"), 1, 4),  # 58.36 / 70
        ("L867", Decimal("82.81"), 2, 4),  # 57.97 / 70
        ("L868", Decimal("82.81"), 2, 4),
        ("L869", Decimal("81.37"), 4, 4),  # 56.96 / 70
    ]
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        (points, max_points, pending) = con.execute(
            "select self_assessed_points, self_assessed_max_points, pending_criteria"
            " from marts.mart_index_status where unit_code = 'L867'"
        ).fetchone()  # type: ignore[misc]
        assert (points, max_points, pending) == (Decimal("57.97"), Decimal("70"), 3)
        claims = con.execute(
            "select unit_code, claimed_points, computed_points, difference"
            " from marts.mart_index_claims_vs_data"
            " where node_code = '3.3.1' order by unit_code"
        ).fetchall()
        findings = dict(
            con.execute(
                "select unit_code, message_vi from marts.data_quality_findings"
                " where rule = 'self_score_contradicted_by_data' and finding_key = '3.3.1'"
            ).fetchall()
        )
        lost = con.execute(
            "select node_code, points, max_points, criterion_status, explanation"
            " from marts.mart_index_points_lost"
            " where unit_code = 'L867' and node_code in ('5.5', '8.5', '3.3.1') order by node_code"
        ).fetchall()
    # the data gives Sa Đéc 2.99 (7,976 of 8,000 dossiers on time): its claim of 3 is a finding
    assert ("L867", Decimal("3"), Decimal("2.99"), Decimal("0.01")) in claims
    assert findings["L867"] == (
        "Tiêu chí 3.3.1: tự chấm 3,0; dữ liệu cho 2,99"
        " — tỷ lệ hồ sơ giải quyết đúng hạn (kể cả trước hạn) 99,70 %"
    )
    # a finding exactly where the claim and the data differ
    for unit, claimed, computed, difference in claims:
        assert (unit in findings) == (difference != 0), (unit, claimed, computed)
    # 3.3.1 is not lost at the self-assessed stage (the unit claims the maximum)
    assert lost == [
        ("5.5", Decimal("0.77"), Decimal("1"), "scored", lost[0][4]),
        ("8.5", None, Decimal("4"), "pending", None),
    ]
    assert lost[0][4].startswith("Đạt 77,7 % kế hoạch. Còn 02 lớp")

    # night 2: the Province's appraisal of three districts (same table, "Thẩm định" column)
    for code, appraised in APPRAISED.items():
        _write(inbox, code, appraised, "tham_dinh")
    _night(settings)
    assert _statuses(settings) == {"L866": "appraised", "L867": "appraised", "L868": "appraised",
                                   "L869": "self_assessed"}  # fmt: skip
    assert _ranking(settings, "appraised") == [
        ("L867", Decimal("82.80"), 1, 3),  # 57.96 / 70
        ("L868", Decimal("82.80"), 1, 3),
        ("L866", Decimal("82.66"), 3, 3),  # 57.86 / 70
    ]
    assert [r[:3] for r in _ranking(settings, "self_assessed")] == [
        ("L866", Decimal("83.37"), 1), ("L867", Decimal("82.81"), 2), ("L868", Decimal("82.81"), 2),
        ("L869", Decimal("81.37"), 4),
    ]  # fmt: skip

    # night 3: the final appraisal with the survey points (a later file replaces the earlier)
    for code in UNITS:
        survey = {**SURVEY, "5.7": SURVEY_5_7[code], **({"3.6": "8"} if code == "L869" else {})}
        _write(inbox, code, {**APPRAISED.get(code, {}), **survey}, "ket_qua_cuoi_nam")
    _night(settings)
    assert _statuses(settings) == dict.fromkeys(UNITS, "final")
    assert _ranking(settings, "final") == [
        ("L866", Decimal("84.99"), 1, 4),  # 57.86 + 9.13 + 18
        ("L867", Decimal("84.46"), 2, 4),  # 57.96 + 9.50 + 17
        ("L868", Decimal("84.46"), 2, 4),  # 57.96 + 7.50 + 19
        ("L869", Decimal("82.96"), 4, 4),  # 56.96 + 8 + 18
    ]
    with duckdb.connect(str(settings.latest_path), read_only=True) as con:
        (final_points, survey_points, band) = con.execute(
            "select final_points, survey_points_known, final_band_vi from marts.mart_index_status"
            " where unit_code = 'L867'"
        ).fetchone()  # type: ignore[misc]
        (sipas,) = con.execute(
            "select survey_points from marts.fct_index_criteria"
            " where unit_code = 'L867' and node_code = '3.6'"
        ).fetchone()  # type: ignore[misc]
    assert (final_points, survey_points, band, sipas) == (
        Decimal("84.46"),
        Decimal("26.5"),
        "Tốt",
        Decimal("9.5"),
    )

"""Scoring end to end on the demo: rubrics qd766 and par_district_dongthap beside par_basic,
monthly/quarterly/yearly 766 rankings, the points-lost mart and the history of current
provinces built from their legacy parts (issue #4)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

from settings import Settings
from tests.conftest import DemoBuild

DEMO_PROVINCES = ("L87", "L72", "L56", "L52")
RECORD_LEVEL_DISTRICTS = ("L867", "L709")


@pytest.fixture(scope="module")
def demo(demo_build: DemoBuild) -> Settings:
    """The session's demo warehouse (tests/conftest.py)."""
    return demo_build.settings


def _published(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.latest_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _districts_with_data(settings: Settings, province: str) -> set[str]:
    return {
        r[0]
        for r in _published(
            settings,
            "select distinct d.unit_code from marts.fct_dossier_stats as d "
            "join marts.dim_admin_units as u on u.unit_code = d.unit_code "
            "where u.unit_kind = 'district' and u.province_code = ? and d.period_label = '2023'",
            [province],
        )
    }


@pytest.mark.parametrize("rubric_id", ["qd766", "par_basic"])
@pytest.mark.parametrize("province", DEMO_PROVINCES)
def test_national_rubrics_rank_every_district_of_the_demo_provinces(demo, rubric_id, province) -> None:
    expected = _districts_with_data(demo, province)
    assert len(expected) >= 9
    rows = _published(
        demo,
        "select unit_code, rank, ranked_units from marts.rankings where rubric_id = ? "
        "and ranking_scope = 'province' and scope_code = ? and unit_kind = 'district' "
        "and period_label = '2023'",
        [rubric_id, province],
    )
    assert {r[0] for r in rows} == expected
    assert all(1 <= rank <= ranked == len(expected) for _, rank, ranked in rows)


def test_dong_thap_district_rubric_ranks_every_district_of_dong_thap(demo) -> None:
    rows = _published(
        demo,
        "select unit_code, rank, band, total_points, applicable_max_points from marts.rankings "
        "where rubric_id = 'par_district_dongthap' and ranking_scope = 'province' "
        "and scope_code = 'L87' and period_label = '2023' order by rank",
    )
    assert {r[0] for r in rows} == _districts_with_data(demo, "L87")
    # only Đồng Tháp has the rubric
    others = _published(
        demo,
        "select count(*) from marts.rankings r join marts.dim_admin_units u using (unit_code) "
        "where r.rubric_id = 'par_district_dongthap' and u.province_code <> 'L87'",
    )
    assert others == [(0,)]
    points = dict(
        _published(
            demo,
            "select criterion_code, points from marts.fct_scores where unit_code = 'L867' "
            "and rubric_id = 'par_district_dongthap' and period_label = '2023'",
        )
    )
    # exact decimals, as the rubric rounds them (never a binary float such as 2.9899999)
    assert points["3.3.1"] == Decimal("2.99")  # seed 003: 99.6 % on time → 2.99 of 3.0
    assert points["4.2"] == Decimal("1")  # staff within quota: threshold step 0 → full
    assert points["6.1"] == Decimal("0.75")  # 92.31 % disbursed: step ≥ 80 → 0.75 of 1.0


def test_qd766_ranks_record_level_units_every_month_quarter_and_year(demo) -> None:
    communes = [
        r[0]
        for r in _published(demo, "select unit_code from marts.dim_admin_units where parent_code = 'L867'")
    ]
    record_units = {
        r[0]
        for r in _published(
            demo,
            "select distinct unit_code from marts.fct_dossier_stats where source_kind = 'records'",
        )
    }
    expected_units = set(RECORD_LEVEL_DISTRICTS) | (set(communes) & record_units)
    assert len(expected_units) > 2
    rows = _published(
        demo,
        "select unit_code, period_kind, count(distinct period_label) from marts.rankings "
        "where rubric_id = 'qd766' and ranking_scope = 'nation' and period_label like '2023%' "
        "group by unit_code, period_kind",
    )
    kinds: dict[str, dict[str, int]] = {}
    for unit, kind, periods in rows:
        kinds.setdefault(unit, {})[kind] = periods
    for unit in expected_units:
        assert kinds[unit]["month"] == 12, unit
        assert kinds[unit]["quarter"] >= 1, unit
        assert kinds[unit]["year"] == 1, unit
    # the monthly score of Sa Đéc uses all five groups the data carries, and 766's
    # satisfaction with dossier handling reaches full points at 90 %
    criteria = _published(
        demo,
        "select criterion_code, criterion_status, measured_value, points, max_points "
        "from marts.fct_scores where rubric_id = 'qd766' and unit_code = 'L867' "
        "and period_label = '2023-03' order by criterion_code",
    )
    assert [c[0] for c in criteria] == ["1", "2", "3.1", "3.2", "4.1", "5"]
    assert all(c[1] == "scored" for c in criteria)
    satisfaction = next(c for c in criteria if c[0] == "4.1")
    assert satisfaction[3] == min(
        Decimal(6), (6 * Decimal(repr(satisfaction[2])) / 90).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )
    # month-on-month change
    (march,) = _published(
        demo,
        "select previous_period_label, previous_rank is not null from marts.rankings "
        "where rubric_id = 'qd766' and ranking_scope = 'nation' and unit_code = 'L867' "
        "and period_label = '2023-03'",
    )
    assert march == ("2023-02", True)


def test_points_lost_explains_every_score_below_100(demo) -> None:
    unexplained = _published(
        demo,
        "select r.rubric_id, r.unit_code, r.period_label, r.score from marts.rankings as r "
        "where r.score < 100 and not exists (select 1 from marts.mart_points_lost as p "
        "where p.rubric_id = r.rubric_id and p.unit_code = r.unit_code and p.period_label = r.period_label)",
    )
    assert unexplained == []
    rows = _published(
        demo,
        "select loss_order, criterion_code, points_lost, value_for_full_points from marts.mart_points_lost "
        "where rubric_id = 'par_basic' and unit_code = 'L867' and period_label = '2023' order by loss_order",
    )
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True)
    assert ("3.3.1", Decimal("0.01"), Decimal(100)) in [(r[1], r[2], r[3]) for r in rows]
    # the ranked total and the points lost agree
    (total,) = _published(
        demo,
        "select r.applicable_max_points - r.total_points - sum(p.points_lost) from marts.rankings r "
        "join marts.mart_points_lost p on p.rubric_id = r.rubric_id and p.unit_code = r.unit_code "
        "and p.period_label = r.period_label where r.rubric_id = 'par_basic' and r.unit_code = 'L867' "
        "and r.period_label = '2023' and r.ranking_scope = 'nation' "
        "group by r.applicable_max_points, r.total_points",
    )
    assert total[0] == 0  # exactly: decimals, not floats


def test_current_province_history_sums_its_legacy_provinces(demo) -> None:
    rows = _published(
        demo,
        "select indicator_code, authority_level, numerator, denominator, value, figure_source, "
        "includes_split_legacy_units from marts.fct_indicator_values "
        "where unit_code = '56' and period_label = '2023' "
        "and indicator_code in ('dossier_on_time_rate', 'survey_satisfaction_rate') "
        "and authority_level = 'all' order by indicator_code",
    )
    assert rows == [
        (
            "dossier_on_time_rate",
            "all",
            # the demo's Khánh Hòa 2023 file counts withdrawn and stopped dossiers apart
            378944.0,
            384374.0,
            pytest.approx(98.5873133979),
            "legacy_provinces",
            False,
        ),
        (
            "survey_satisfaction_rate",
            "all",
            2829.0,
            3065.0,
            pytest.approx(92.3001631321),
            "legacy_provinces",
            False,
        ),
    ]
    # the legacy parts: Khánh Hòa L56 and Ninh Thuận L58 (no demo data, so L56 alone)
    (parts,) = _published(
        demo,
        "select sum(numerator), sum(denominator), count(*) from marts.fct_indicator_values "
        "where unit_code in ('L56', 'L58') and period_label = '2023' "
        "and indicator_code = 'dossier_on_time_rate' and authority_level = 'all'",
    )
    assert parts == (378944.0, 384374.0, 1)
    # survey values carry a 95 % Wilson interval around them
    (interval,) = _published(
        demo,
        "select value_lower_95, value, value_upper_95 from marts.fct_indicator_values "
        "where unit_code = '56' and period_label = '2023' "
        "and indicator_code = 'survey_satisfaction_rate' and authority_level = 'all'",
    )
    assert interval[0] < interval[1] < interval[2]
    assert interval[0] == pytest.approx(91.3, abs=0.05) and interval[2] == pytest.approx(93.2, abs=0.05)
    # history rows are not scored or ranked twice
    (ranked,) = _published(
        demo, "select count(*) from marts.rankings where unit_code = '56' and period_label = '2023'"
    )
    assert ranked == (0,)

"""The rubrics the project ships (rubrics/shipped/) read and check cleanly, and hold the
figures their sources give: Đồng Tháp's district rubric as seed 003 shows it, Decision 876's
provincial scheme as published results show it, and the commune shape of 2025."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from rubrics.reader import read_rubric

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "rubrics" / "shipped"
SEEDS = ROOT / "dbt_project" / "seeds"


def _indicators() -> frozenset[str]:
    with open(SEEDS / "indicators.csv", encoding="utf-8") as fh:
        return frozenset(row["indicator_code"] for row in csv.DictReader(fh))


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.csv")), ids=lambda p: p.name)
def test_every_shipped_rubric_reads_and_checks(path: Path) -> None:
    rubric = read_rubric(path, known_indicators=_indicators())
    assert rubric.total == 100
    assert rubric.meta.notes, "a shipped rubric says in its notes what is and is not publicly known"


def test_dong_thap_district_rubric_is_seed_003s() -> None:
    rubric = read_rubric(SHIPPED / "dong_thap_huyen_2023.csv", known_indicators=_indicators())
    meta = rubric.meta
    assert (meta.rubric_id, meta.target, meta.province, meta.year_from) == (
        "par_index_dongthap_huyen",
        "district",
        "Đồng Tháp",
        2023,
    )
    assert [area.max_points for area in rubric.areas] == [
        Decimal(x) for x in ("16.5", "7", "29", "8", "14", "7", "14.5", "4")
    ]
    by_method = rubric.points_by_method()
    assert by_method["survey"] == 30
    assert by_method["self_assessed"] + by_method["computed"] == 70
    survey_per_area = [
        sum(
            (
                leaf.max_points
                for leaf in rubric.leaves()
                if leaf.method == "survey" and leaf.code.split(".")[0] == area.code
            ),
            Decimal(0),
        )  # noqa: E501
        for area in rubric.areas
    ]
    assert survey_per_area == [Decimal(x) for x in (2, 4, 10, 2, 8, 3, 1, 0)]
    # the criteria seed 003 names with their maxima
    for code, points in (("1.1", "2.0"), ("1.6", "1.5"), ("3.3.1", "3.0"), ("3.3.2", "2.0"), ("5.5", "1.0")):
        assert rubric.node(code).max_points == Decimal(points), code


def test_dong_thap_computed_criteria_equal_the_scoring_seeds() -> None:
    """The criteria the warehouse computes for par_district_dongthap (seed rubric_criteria
    and rubric_threshold_steps) are the rubric's computed leaves, to the last field."""
    rubric = read_rubric(SHIPPED / "dong_thap_huyen_2023.csv", known_indicators=_indicators())
    with open(SEEDS / "rubric_criteria.csv", encoding="utf-8") as fh:
        seeded = {
            r["criterion_code"]: r for r in csv.DictReader(fh) if r["rubric_id"] == "par_district_dongthap"
        }
    with open(SEEDS / "rubric_threshold_steps.csv", encoding="utf-8") as fh:
        steps = [r for r in csv.DictReader(fh) if r["rubric_id"] == "par_district_dongthap"]
    data_leaves = {leaf.code: leaf for leaf in rubric.leaves() if leaf.indicator_code}
    assert set(data_leaves) == set(seeded)
    for code, row in seeded.items():
        leaf = data_leaves[code]
        assert leaf.indicator_code == row["indicator_code"], code
        assert leaf.authority_level == row["authority_level"], code
        assert leaf.max_points == Decimal(row["max_points"]), code
        assert leaf.rule == row["rule"], code
        assert leaf.rounding == row["rounding"], code
        assert leaf.full_points_at == (Decimal(row["full_points_at"]) if row["full_points_at"] else None), (
            code
        )
        assert [(s.min_value, s.points_share) for s in leaf.threshold_steps] == sorted(
            (
                (Decimal(s["min_value"]), Decimal(s["points_share"]))
                for s in steps
                if s["criterion_code"] == code
            ),
            reverse=True,
        ), code


def test_decision_876_provincial_scheme() -> None:
    rubric = read_rubric(SHIPPED / "qd876_tinh.csv", known_indicators=_indicators())
    assert (rubric.meta.target, rubric.meta.province) == ("province", None)
    assert [area.max_points for area in rubric.areas] == [Decimal(x) for x in ("61.5", "10", "22", "6.5")]
    assert [(b.name_vi, b.min_score) for b in rubric.meta.bands][:2] == [("Nhóm A", 90), ("Nhóm B", 80)]


def test_the_commune_shape_of_2025_feeds_766_results_into_par_criteria() -> None:
    rubric = read_rubric(SHIPPED / "xa_phuong_2025.csv", known_indicators=_indicators())
    assert (rubric.meta.target, rubric.meta.year_from) == ("commune", 2025)
    computed = {leaf.indicator_code for leaf in rubric.leaves() if leaf.method == "computed"}
    assert {"qd766_progress_rate", "qd766_fully_online_rate", "qd766_online_payment_rate"} <= computed

"""Self-assessment tables written as units send them: Sa Đéc's 2023 table built from the
shipped Đồng Tháp rubric and seed 003's own figures. The tables are the demo's
(demo/self_assessment.py); these helpers write them to a path.

Seed 003's self-assessment (to 25/8/2023): areas 13,91/16,5 · 3/7 · 18,98/29 · 6/8 · 5,77/14 ·
2,5/7 · 7,8/14,5 · 0/4 = 57,96 of 70 self-assessed; survey 0 of 30 not yet known. The points
it names per criterion are used as they are; each area's remaining criteria (not public)
carry the rest of the area's stated points.
"""

from __future__ import annotations

from pathlib import Path

from demo.self_assessment import (
    AREA_SELF,
    EXPLANATIONS,
    PENDING,
    SA_DEC_2023,
    sa_dec_2023_xlsx,
    self_assessment_xlsx,
)

__all__ = [
    "AREA_SELF",
    "EXPLANATIONS",
    "PENDING",
    "SA_DEC_2023",
    "write_sa_dec_2023",
    "write_self_assessment",
]


def write_sa_dec_2023(
    path: Path, *, area_two_states: str | None = None, appraised: dict | None = None
) -> Path:
    """Sa Đéc's 2023 self-assessment as a district sends it: letterhead and title block, a
    two-row header ("Điểm" over "Tối đa | Tự đánh giá"), a numbering row, the rubric's
    rows with parents stating their sums, a total row. ``area_two_states`` overrides the
    self-score area II states (a wrong sum); ``appraised`` adds a "Thẩm định" column."""
    path.write_bytes(sa_dec_2023_xlsx(area_two_states=area_two_states, appraised=appraised))
    return path


def write_self_assessment(
    path: Path,
    unit_vi: str,
    scores: dict[str, object],
    *,
    appraised: dict | None = None,
    stated: dict[str, str] | None = None,
    total: str | None = None,
    year: int = 2023,
    explanations: dict[str, str] = EXPLANATIONS,
    max_overrides: dict[str, str] | None = None,
) -> Path:
    """A unit's self-assessment table for ``year`` by the shipped Đồng Tháp district rubric:
    ``scores`` the leaves' self-scores by rubric code (PENDING where not known), parents
    stating the sums of their children unless ``stated`` says otherwise (area codes), the
    total row ``total`` or the sum. ``appraised`` (code → score, and code → (score, reason))
    adds the "Thẩm định" and "Lý do" columns of an appraisal; ``max_overrides`` states other
    maxima than the rubric's (by code)."""
    data = self_assessment_xlsx(
        unit_vi,
        scores,
        appraised=appraised,
        stated=stated,
        total=total,
        year=year,
        explanations=explanations,
        max_overrides=max_overrides,
    )
    path.write_bytes(data)
    return path

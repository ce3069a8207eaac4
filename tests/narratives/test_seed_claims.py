"""The five seed reports against the claims annotated by hand (issue 20).

The fixtures ``fixtures/seed_000.yaml`` … ``seed_004.yaml`` list, for chosen paragraphs of each
seed report, every claim a careful analyst reads there (README.md in that folder says how they
were made). An extracted claim matches an annotated one when it lies in the same paragraph and
its measure and value are equal, and its level, category, maximum and period too where the
annotation gives them. precision = matched / extracted claims lying in annotated paragraphs
(claims with a measure: an unresolved figure without one asserts nothing); recall = matched /
annotated. On failure the tests print the missed and the spurious claims. The loader and the
scorer are ``tests/narratives/matching.py`` (shared with the held-out sets).

``uv run python -m tests.narratives.test_seed_claims`` prints the same figures and tables."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from narratives.claims import Claim, measures
from narratives.consistency import findings as consistency_findings
from narratives.extract import extract_claims
from tests.narratives.matching import (
    Annotated,
    AnnotatedFinding,
    Fixture,
    Score,
    attrs,
    claim_period,
    failure_table,
    load_fixture,
    locate,
    matches,
    score_fixture,
    total_score,
    well_formed_problems,
)

FIXTURES = Path(__file__).parent / "fixtures"
#: the seed reports live beside the repository (../shared/seeds), not in it
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"
SEEDS = ("000", "001", "002", "003", "004")

OVERALL_PRECISION, OVERALL_RECALL = 0.95, 0.90
SEED_PRECISION, SEED_RECALL = 0.85, 0.80

pytestmark = pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason=f"the seed reports are not at {SEEDS_DIR}")


@cache
def seed_fixture(seed: str) -> Fixture:
    """A seed's annotations (tests/narratives/matching.py reads them)."""
    return load_fixture(FIXTURES / f"seed_{seed}.yaml", SEEDS_DIR, name=seed)


@cache
def extracted(seed: str) -> tuple[Claim, ...]:
    return tuple(extract_claims(list(seed_fixture(seed).paragraphs)))


@cache
def seed_score(seed: str) -> Score:
    return score_fixture(seed_fixture(seed), extracted(seed))


def overall_score() -> Score:
    return total_score([seed_score(seed) for seed in SEEDS])


# --- the fixtures themselves --------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_fixture_is_well_formed(seed: str) -> None:
    problems = well_formed_problems(seed_fixture(seed), measures())  # every snippet matches one paragraph
    assert not problems, "\n".join(problems)


def test_fixtures_annotate_enough_claims() -> None:
    """The DOMAIN.md table claims plus at least 15 more per report, where the report has them
    (README.md lists the seeds that carry fewer figures about known measures)."""
    counts = {seed: len(seed_fixture(seed).claims) for seed in SEEDS}
    assert sum(counts.values()) >= 75, counts
    assert counts["002"] >= 14 + 10 and counts["004"] >= 15, counts


# --- precision and recall -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_precision_and_recall(seed: str) -> None:
    score = seed_score(seed)
    assert score.precision >= SEED_PRECISION and score.recall >= SEED_RECALL, failure_table(score)


def test_overall_precision_and_recall() -> None:
    score = overall_score()
    assert score.precision >= OVERALL_PRECISION and score.recall >= OVERALL_RECALL, failure_table(score)


def test_matched_claims_point_at_their_number() -> None:
    """Provenance: the offsets cover the number as written, the quote is the report's sentence."""
    wrong: list[str] = []
    for seed in SEEDS:
        paragraphs = seed_fixture(seed).paragraphs
        for note, claim in seed_score(seed).matched:
            paragraph = paragraphs[claim.paragraph]
            where = f"{seed} ¶{claim.paragraph} {claim.measure}"
            covered = paragraph[claim.char_start : claim.char_end]
            number = note.text.replace("%", "").strip()
            if covered.replace("%", "").strip() != number:
                wrong.append(f"{where}: the offsets cover {covered!r}, not {note.text!r}")
            if not claim.quote or claim.quote not in paragraph or number not in claim.quote:
                wrong.append(f"{where}: the quote {claim.quote[:80]!r} is not the number's sentence")
    assert not wrong, "\n".join(wrong)


# --- the DOMAIN.md table, claim by claim --------------------------------------------------------


def assert_extracted(seed: str, snippet: str, expected: Iterable[tuple[Any, ...]]) -> None:
    """Each (measure, value, level, period, max) is extracted from the paragraph of ``snippet``."""
    fixture = seed_fixture(seed)
    index = locate(fixture.paragraphs, snippet, f"seed {seed}")
    here = [c for c in extracted(seed) if c.paragraph == index]
    missing = []
    for measure, value, level, period, max_value in expected:
        note = Annotated(
            seed,
            index,
            measure,
            Decimal(value),
            value,
            level=level,
            period=period,
            max_value=Decimal(max_value) if max_value else None,
        )
        if not any(matches(note, claim) for claim in here):
            missing.append(f"{measure}={value} {attrs(level, None, max_value, period)}")
    got = [
        f"{c.measure}={c.value} {attrs(c.level, c.category, c.max_value, claim_period(c), c.period_kind)}"
        for c in here
    ]
    assert not missing, f"not extracted from ¶{index}: {missing}; extracted there: {got}"


def test_domain_nha_trang_city_level_2018() -> None:
    assert_extracted(
        "002",
        "Kết quả giải quyết thủ tục hành chính tại UBND thành phố Nha Trang trong năm 2018",
        [
            ("dossiers_received", "58053", "district", "2018", None),
            ("dossiers_resolved", "56863", "district", "2018", None),
            ("rate_resolved", "97.95", "district", "2018", None),
            ("dossiers_resolved_early_or_on_time", "56252", "district", "2018", None),
            ("rate_on_time", "98.93", "district", "2018", None),
            ("dossiers_resolved_late", "611", "district", "2018", None),
            ("rate_late", "1.07", "district", "2018", None),
        ],
    )


def test_domain_nha_trang_commune_level_2018() -> None:
    assert_extracted(
        "002",
        "Kết quả giải quyết thủ tục hành chính tại UBND cấp xã trong năm 2018",
        [
            ("dossiers_received", "75416", "commune", "2018", None),
            ("dossiers_resolved", "75384", "commune", "2018", None),
            ("rate_resolved", "99.96", "commune", "2018", None),
            ("dossiers_resolved_early_or_on_time", "75226", "commune", "2018", None),
            ("rate_on_time", "99.79", "commune", "2018", None),
            ("dossiers_resolved_late", "158", "commune", "2018", None),
            ("rate_late", "0.21", "commune", "2018", None),
        ],
    )


def test_domain_sa_dec_public_investment_to_15_8_2023() -> None:
    assert_extracted(
        "003",
        "Kế hoạch giao: 590.161,540 triệu đồng",
        [
            ("disbursement_plan", "590161.540", None, "2023-08-15", None),
            ("disbursed", "212901.285", None, "2023-08-15", None),
            ("disbursement_rate", "36", None, "2023-08-15", None),
        ],
    )


def test_domain_cao_lanh_one_stop_survey_2021() -> None:
    assert_extracted(
        "000",
        "BPTN&TKQ thuộc UBND Thành phố có 548/600 phiếu cho kết quả hài lòng",
        [
            ("survey_satisfied", "548", "district", None, "600"),
            ("satisfaction_rate", "91.33", "district", None, None),
        ],
    )


# --- the seeds' inconsistencies -----------------------------------------------------------------


def _finding_values(finding: Any) -> tuple[Decimal | None, Decimal | None]:
    """The stated total and the value computed from its parts (or the counts) of a finding."""
    pairs = (("stated", "computed"), ("stated_value", "computed_value"), ("expected", "actual"))
    for stated, computed in pairs:
        if hasattr(finding, stated) and hasattr(finding, computed):
            a, b = getattr(finding, stated), getattr(finding, computed)
            return (Decimal(str(a)) if a is not None else None, Decimal(str(b)) if b is not None else None)
    raise AssertionError(f"a consistency finding without stated/computed values: {finding!r}")


def _all_findings() -> list[AnnotatedFinding]:
    return [f for seed in SEEDS for f in seed_fixture(seed).findings]


@cache
def reported(seed: str) -> tuple[Any, ...]:
    return tuple(consistency_findings(list(extracted(seed))))


def _describe(finding: Any) -> str:
    stated, computed = _finding_values(finding)
    return f"{getattr(finding, 'kind', '?')}: stated {stated}, computed {computed}"


@pytest.mark.parametrize(
    "seed,stated,computed",
    [("004", "9737", "9744"), ("004", "733", "732"), ("004", "713", "712"), ("004", "658", "657")],
)
def test_known_inconsistency_is_a_finding(seed: str, stated: str, computed: str) -> None:
    [note] = [f for f in seed_fixture(seed).findings if f.stated == Decimal(stated)]
    assert note.computed == Decimal(computed)
    hits = [f for f in reported(seed) if _finding_values(f) == (note.stated, note.computed)]
    assert hits, (
        f"seed {seed}: no finding {stated} stated vs {computed} computed; reported: "
        f"{[_describe(f) for f in reported(seed)]}"
    )
    for finding in hits:
        involved = getattr(finding, "claims", None)
        if involved is not None:
            paragraphs = {c.paragraph for c in involved}
            assert note.paragraph in paragraphs, (
                f"its claims lie in ¶{sorted(paragraphs)}, not ¶{note.paragraph}"
            )
        message = getattr(finding, "message", None)
        if message is not None:
            assert message.strip(), "a finding without a message"


def test_every_annotated_finding_is_tested() -> None:
    tested = {("004", "9737"), ("004", "733"), ("004", "713"), ("004", "658")}
    assert {(f.report, str(f.stated)) for f in _all_findings()} == tested


@pytest.mark.parametrize("seed", SEEDS)
def test_no_false_alarms(seed: str) -> None:
    """Every finding on a seed is one annotated by hand (the other figures are consistent)."""
    known = {(f.stated, f.computed) for f in seed_fixture(seed).findings}
    extra = [_describe(f) for f in reported(seed) if _finding_values(f) not in known]
    assert not extra, f"seed {seed}: findings not annotated by hand: {extra}"


if __name__ == "__main__":
    for each in SEEDS:
        print(failure_table(seed_score(each)), end="\n\n")
    print(overall_score().summary())

"""The extractor on a held-out set: five report excerpts it was never tuned on (issue 20).

``heldout/h0*.txt`` are report excerpts written for this test in the genre of district, commune
and department PAR reports (their own wording, not the seeds'); ``heldout/h0*.yaml`` list, for
chosen paragraphs, every claim a careful analyst reads there, annotated by hand **before** the
extractor was run on them (``heldout/README.md``). One report (``docx: true``) is also written
as a .docx by python-docx and read through ``narratives.reader`` like a submitted file.

Loading and matching are ``tests/narratives/matching.py``'s (shared with the seeds): an
extracted claim matches an annotated one when it lies in the same paragraph and its measure and
value are equal, and its level, category, maximum and period too where the annotation gives
them. precision = matched / extracted claims (with a measure) lying in annotated paragraphs;
recall = matched / annotated.

The bar: overall precision ≥ 0.95 (the issue's) and recall ≥ 0.80 (below the seeds' 0.90: the
set is unseen; README.md says why). ``uv run python -m tests.narratives.test_heldout_claims``
prints the per-report figures and the missed / spurious claims;
``uv run python -m tests.narratives.matching tests/narratives/heldout`` the figures per file."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import pytest

from narratives.claims import Claim, measures
from narratives.extract import extract_claims
from narratives.reader import read_paragraphs
from tests.narratives.matching import (
    Fixture,
    Score,
    failure_table,
    load_fixture,
    score_fixture,
    total_score,
    well_formed_problems,
)

HELDOUT = Path(__file__).parent / "heldout"
REPORTS = tuple(sorted(p.stem for p in HELDOUT.glob("h*.yaml")))
#: the second held-out set (g*.yaml), kept outside the repository until the extractor's second
#: pass was done (README_second_set.md): a floor at its measured figures (truncated to two
#: decimals), not the target; 0.91/0.86 after the second pass, 0.97/1.00 after the third
#: (measured 0.979/1.000; the third pass fixed failure classes this set shows, so it is no
#: longer unseen text)
SECOND_SET = tuple(sorted(p.stem for p in HELDOUT.glob("g*.yaml")))
SECOND_SET_FLOOR = (0.97, 1.00)
#: the third held-out set (k*.yaml, README_third_set.md), written by someone who never saw the
#: extractor; 0.917/0.764 at a81ab28; then a tuning set: the pass on its failure classes measured
#: 0.979/0.935 (tables as tab-separated or "label | value" lines, staff rows by category, online
#: procedures' category, areas listed as bare fractions), the floor below (truncated)
THIRD_SET = tuple(sorted(p.stem for p in HELDOUT.glob("k*.yaml")))
THIRD_SET_FLOOR = (0.97, 0.93)
#: the fourth held-out set (m*.yaml, README_fourth_set.md), written by someone who never saw the
#: extractor and kept outside the repository until after the last change to the extractor: the
#: honest figure for unseen text, 0.961/0.910 at 02e68a5 (0.931/0.882 at a81ab28); a floor
FOURTH_SET = tuple(sorted(p.stem for p in HELDOUT.glob("m*.yaml")))
FOURTH_SET_FLOOR = (0.96, 0.91)

OVERALL_PRECISION, OVERALL_RECALL = 0.95, 0.80


@cache
def fixture(report: str) -> Fixture:
    return load_fixture(HELDOUT / f"{report}.yaml")


def paragraphs(report: str) -> tuple[str, ...]:
    return fixture(report).paragraphs


@cache
def extracted(report: str) -> tuple[Claim, ...]:
    return tuple(extract_claims(list(paragraphs(report))))


@cache
def report_score(report: str) -> Score:
    return score_fixture(fixture(report), extracted(report))


def overall_score(reports: tuple[str, ...] = REPORTS) -> Score:
    return total_score([report_score(r) for r in reports])


def full_report() -> str:
    per_report = [report_score(r).summary() for r in REPORTS]
    return "\n".join(["per report:", *per_report, "", failure_table(overall_score())])


# --- the annotations themselves -----------------------------------------------------------------


@pytest.mark.parametrize("report", REPORTS + SECOND_SET + THIRD_SET + FOURTH_SET)
def test_annotation_is_well_formed(report: str) -> None:
    problems = well_formed_problems(fixture(report), measures())  # every snippet matches one paragraph
    assert not problems, "\n".join(problems)


def test_heldout_set_is_big_enough() -> None:
    counts = {r: len(fixture(r).claims) for r in REPORTS}
    negatives = sum(1 for r in REPORTS for entry in fixture(r).raw["paragraphs"] if not entry["claims"])
    assert len(REPORTS) == 5 and all(n >= 20 for n in counts.values()), counts
    assert negatives >= 25, negatives


def test_docx_reads_as_its_text() -> None:
    """The generated .docx gives the same paragraphs as its .txt (the reader's two paths agree)."""
    for report in REPORTS:
        raw = fixture(report).raw
        if raw.get("docx"):
            as_text = [unicodedata.normalize("NFC", p) for p in read_paragraphs(HELDOUT / raw["report"])]
            assert list(paragraphs(report)) == as_text


# --- precision and recall -----------------------------------------------------------------------


def test_heldout_precision_and_recall() -> None:
    score = overall_score()
    print(full_report())
    assert score.precision >= OVERALL_PRECISION and score.recall >= OVERALL_RECALL, full_report()


#: each later set: its reports, how many there are, and its floor (precision, recall)
LATER_SETS = {
    "second": (SECOND_SET, 5, SECOND_SET_FLOOR),
    "third": (THIRD_SET, 6, THIRD_SET_FLOOR),
    "fourth": (FOURTH_SET, 6, FOURTH_SET_FLOOR),
}


@pytest.mark.parametrize("name", LATER_SETS)
def test_later_heldout_set_does_not_regress(name: str) -> None:
    reports, size, (precision, recall) = LATER_SETS[name]
    assert len(reports) == size
    score = overall_score(reports)
    report = failure_table(score)
    print(report)
    assert score.precision >= precision and score.recall >= recall, report


if __name__ == "__main__":
    print(full_report())

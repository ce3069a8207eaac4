"""The extractor on a held-out set: five report excerpts it was never tuned on (issue 20).

``heldout/h0*.txt`` are report excerpts written for this test in the genre of district, commune
and department PAR reports (their own wording, not the seeds'); ``heldout/h0*.yaml`` list, for
chosen paragraphs, every claim a careful analyst reads there, annotated by hand **before** the
extractor was run on them (``heldout/README.md``). One report (``docx: true``) is also written
as a .docx by python-docx and read through ``narratives.reader`` like a submitted file.

Matching is the seeds' (``test_seed_claims.py``): an extracted claim matches an annotated one
when it lies in the same paragraph and its measure and value are equal, and its level, category,
maximum and period too where the annotation gives them. precision = matched / extracted claims
(with a measure) lying in annotated paragraphs; recall = matched / annotated.

The bar: overall precision ≥ 0.95 (the issue's) and recall ≥ 0.80 (below the seeds' 0.90: the
set is unseen; README.md says why). ``uv run python -m tests.narratives.test_heldout_claims``
prints the per-report figures and the missed / spurious claims."""

from __future__ import annotations

import tempfile
import unicodedata
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document

from narratives.claims import Claim, measures
from narratives.extract import extract_claims
from narratives.reader import read_paragraphs
from tests.narratives.test_seed_claims import (
    Annotated,
    Score,
    _attrs,
    _claim_attrs,
    _excerpt,
    _number_as_read,
    _pair,
    locate,
)

HELDOUT = Path(__file__).parent / "heldout"
REPORTS = tuple(sorted(p.stem for p in HELDOUT.glob("h*.yaml")))
#: the second held-out set (g*.yaml), kept outside the repository until the extractor's second
#: pass was done (README_second_set.md): a floor at its measured figures, not the target
SECOND_SET = tuple(sorted(p.stem for p in HELDOUT.glob("g*.yaml")))
SECOND_SET_FLOOR = (0.91, 0.86)

OVERALL_PRECISION, OVERALL_RECALL = 0.95, 0.80


# --- the reports and their annotations ---------------------------------------------------------


def write_docx(text_path: Path, docx_path: Path) -> Path:
    """The .txt report as a .docx: one Word paragraph per non-empty line (the title in bold)."""
    document = Document()
    lines = [line.strip() for line in text_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = line.isupper() or line.startswith("BÁO CÁO")
    document.save(str(docx_path))
    return docx_path


@cache
def _docx_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="heldout_docx_"))


@cache
def _raw(report: str) -> dict[str, Any]:
    return yaml.safe_load((HELDOUT / f"{report}.yaml").read_text(encoding="utf-8"))


@cache
def report_path(report: str) -> Path:
    """The file the extractor reads: the .txt, or the .docx written from it."""
    raw = _raw(report)
    text_path = HELDOUT / raw["report"]
    if raw.get("docx"):
        return write_docx(text_path, _docx_dir() / f"{text_path.stem}.docx")
    return text_path


@cache
def paragraphs(report: str) -> tuple[str, ...]:
    return tuple(read_paragraphs(report_path(report)))


@cache
def annotations(report: str) -> tuple[tuple[int, ...], tuple[Annotated, ...]]:
    """The annotated paragraphs (indexes) and their claims."""
    where = f"heldout/{report}.yaml"
    texts = paragraphs(report)
    indexes: list[int] = []
    notes: list[Annotated] = []
    for entry in _raw(report)["paragraphs"]:
        index = locate(texts, entry["contains"], where)
        if index in indexes:
            raise AssertionError(f"{where}: paragraph ¶{index} is annotated twice ({entry['contains']!r})")
        indexes.append(index)
        for row in entry["claims"] or []:
            notes.append(
                Annotated(
                    seed=report,
                    paragraph=index,
                    measure=row["measure"],
                    value=Decimal(str(row["value"])),
                    text=str(row["text"]),
                    level=row.get("level"),
                    category=row.get("category"),
                    max_value=Decimal(str(row["max"])) if row.get("max") is not None else None,
                    period=str(row["period"]) if row.get("period") is not None else None,
                )
            )
    return tuple(indexes), tuple(notes)


@cache
def extracted(report: str) -> tuple[Claim, ...]:
    return tuple(extract_claims(list(paragraphs(report))))


# --- scores -------------------------------------------------------------------------------------


@cache
def report_score(report: str) -> Score:
    indexes, notes = annotations(report)
    annotated = set(indexes)
    claims = [c for c in extracted(report) if c.measure is not None and c.paragraph in annotated]
    score = Score([report], annotated=list(notes), extracted=claims)
    for index in indexes:
        here_notes = [n for n in notes if n.paragraph == index]
        here = [c for c in claims if c.paragraph == index]
        pairs = _pair(here_notes, here)
        score.matched += [(here_notes[a], here[c]) for a, c in pairs.items()]
        score.missed += [n for a, n in enumerate(here_notes) if a not in pairs]
        taken = set(pairs.values())
        score.spurious += [(report, c) for i, c in enumerate(here) if i not in taken]
    return score


def overall_score(reports: tuple[str, ...] = REPORTS) -> Score:
    total = Score(list(reports))
    for report in reports:
        total.add(report_score(report))
    return total


def failure_table(score: Score) -> str:
    rows = [score.summary()]
    if score.missed:
        rows.append("MISSED (annotated, not extracted):")
    for note in score.missed:
        text = paragraphs(note.seed)[note.paragraph]
        start = text.find(note.text)
        attrs = _attrs(note.level, note.category, note.max_value, note.period)
        rows.append(f"  {note.seed} ¶{note.paragraph} {note.measure}={note.value} {attrs}")
        rows.append(f"      “{_excerpt(text, start, start + len(note.text))}”")
        for claim in extracted(note.seed):
            if claim.paragraph == note.paragraph and Decimal(claim.value) == note.value:
                instead = f"{claim.measure}={claim.value} {_claim_attrs(claim)}"
                rows.append(f"      extracted there instead: {instead}")
    if score.spurious:
        rows.append("SPURIOUS (extracted in an annotated paragraph, not annotated):")
    for report, claim in score.spurious:
        text = paragraphs(report)[claim.paragraph]
        rows.append(f"  {report} ¶{claim.paragraph} {claim.measure}={claim.value} {_claim_attrs(claim)}")
        rows.append(f"      “{_excerpt(text, claim.char_start, claim.char_end)}”")
    return "\n".join(rows)


def full_report() -> str:
    per_report = [report_score(r).summary() for r in REPORTS]
    return "\n".join(["per report:", *per_report, "", failure_table(overall_score())])


# --- the annotations themselves -----------------------------------------------------------------


@pytest.mark.parametrize("report", REPORTS + SECOND_SET)
def test_annotation_is_well_formed(report: str) -> None:
    _, notes = annotations(report)  # every snippet matches exactly one paragraph
    declared = measures()
    texts = paragraphs(report)
    for note in notes:
        where = f"heldout/{report}.yaml ¶{note.paragraph} {note.measure}={note.value}"
        assert note.measure in declared, f"{where}: {note.measure} is not in narratives/measures.yaml"
        assert note.text in texts[note.paragraph], f"{where}: {note.text!r} not in the paragraph"
        assert _number_as_read(note.text) == note.value, f"{where}: {note.text!r} does not read {note.value}"
        assert note.level in (None, "province", "district", "commune", "department"), where
        assert note.period is None or len(note.period) in (4, 10), where


def test_heldout_set_is_big_enough() -> None:
    counts = {r: len(annotations(r)[1]) for r in REPORTS}
    negatives = sum(1 for r in REPORTS for entry in _raw(r)["paragraphs"] if not entry["claims"])
    assert len(REPORTS) == 5 and all(n >= 20 for n in counts.values()), counts
    assert negatives >= 25, negatives


def test_docx_reads_as_its_text() -> None:
    """The generated .docx gives the same paragraphs as its .txt (the reader's two paths agree)."""
    for report in REPORTS:
        raw = _raw(report)
        if raw.get("docx"):
            as_text = [unicodedata.normalize("NFC", p) for p in read_paragraphs(HELDOUT / raw["report"])]
            assert list(paragraphs(report)) == as_text


# --- precision and recall -----------------------------------------------------------------------


def test_heldout_precision_and_recall() -> None:
    score = overall_score()
    print(full_report())
    assert score.precision >= OVERALL_PRECISION and score.recall >= OVERALL_RECALL, full_report()


def test_second_heldout_set_does_not_regress() -> None:
    assert len(SECOND_SET) == 5
    score = overall_score(SECOND_SET)
    report = failure_table(score)
    print(report)
    precision, recall = SECOND_SET_FLOOR
    assert score.precision >= precision and score.recall >= recall, report


if __name__ == "__main__":
    print(full_report())

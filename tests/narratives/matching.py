"""Claims annotated by hand, and the extractor's score against them (issue 20): one loader and
one scorer for the seed fixtures (``fixtures/seed_*.yaml``), the held-out sets
(``heldout/*.yaml``) and any other directory of reports annotated in the same format.

A fixture (YAML) names its report (``report: g01.txt``, beside the YAML; the seeds' ``seed:``
names a file of the seeds' directory), and lists ``paragraphs``, each found by a ``contains``
snippet that must match exactly one paragraph of the report, with **all** the claims a careful
analyst reads there (``claims: []`` marks a paragraph with none). A claim gives ``measure``,
``value`` (as read), ``text`` (as written) and, where the paragraph determines them, ``level``,
``category``, ``max`` and ``period`` ("2018" or "2018-09-30"). ``docx: true`` has the report
written as a .docx (one paragraph per line) and read through ``narratives.reader`` as a
submitted file; ``findings:`` (the seeds) lists known inconsistencies.

Matching: an extracted claim matches an annotated one when it lies in the same paragraph and its
measure and value are equal, and its level, category, maximum and period too where the
annotation gives them (a maximum matching per paragraph). precision = matched / extracted claims
with a measure lying in annotated paragraphs; recall = matched / annotated.

``uv run python -m tests.narratives.matching DIR [--failures]`` prints precision and recall per
file and overall for every ``*.yaml`` in DIR, the missed and spurious claims counted by measure
(with ``--failures``, each of them with its sentence)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from narratives.claims import Claim
from narratives.extract import extract_claims
from narratives.reader import read_paragraphs

# --- the annotations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Annotated:
    """One claim annotated by hand (``report``: the fixture's name)."""

    report: str
    paragraph: int
    measure: str
    value: Decimal
    text: str
    level: str | None = None
    category: str | None = None
    max_value: Decimal | None = None
    period: str | None = None  # "2018" (a year) or "2018-09-30" (the last day covered)


@dataclass(frozen=True)
class AnnotatedFinding:
    report: str
    kind: str
    stated: Decimal
    computed: Decimal
    paragraph: int


@dataclass(frozen=True)
class Fixture:
    name: str  # the YAML's stem ("g01", "seed_000") unless the caller names it
    yaml_path: Path
    path: Path  # the file the extractor reads (.txt, or the .docx written from it)
    raw: Mapping[str, Any]
    paragraphs: tuple[str, ...]
    annotated_paragraphs: tuple[int, ...]
    claims: tuple[Annotated, ...]
    findings: tuple[AnnotatedFinding, ...]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def locate(paragraphs: Sequence[str], snippet: str, where: str) -> int:
    """The index of the one paragraph containing ``snippet`` (a clear failure otherwise)."""
    hits = [i for i, text in enumerate(paragraphs) if nfc(snippet) in nfc(text)]
    if len(hits) != 1:
        found = "; ".join(f"¶{i}: {paragraphs[i][:80]!r}" for i in hits[:5])
        raise AssertionError(
            f"{where}: the snippet {snippet!r} must match exactly one paragraph of the report, "
            f"it matches {len(hits)}" + (f" ({found})" if found else "")
        )
    return hits[0]


def number_as_read(text: str) -> Decimal:
    """A number as Vietnamese documents write it: '.' groups thousands, ',' marks decimals."""
    return Decimal(text.replace("%", "").strip().replace(".", "").replace(",", "."))


#: money written in billions beside its number ("312,46 tỷ đồng"), annotated in the measure's
#: unit, millions (312460)
BILLION_WORD, MILLIONS_IN_A_BILLION = "tỷ", 1000


def reads_as(text: str, value: Decimal, paragraph: str) -> bool:
    """``text`` of ``paragraph`` reads ``value``: as written, or in millions when the paragraph
    writes it in billions ("312,46 tỷ đồng" → 312460)."""
    number = number_as_read(text)
    in_billions = f"{text} {BILLION_WORD}" in paragraph
    return number == value or (in_billions and number * MILLIONS_IN_A_BILLION == value)


def write_docx(text_path: Path, docx_path: Path) -> Path:
    """The .txt report as a .docx: one Word paragraph per non-empty line (the title in bold)."""
    from docx import Document

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
    return Path(tempfile.mkdtemp(prefix="narrative_fixture_docx_"))


def _source(raw: Mapping[str, Any], yaml_path: Path, reports_dir: Path | None) -> Path:
    name = raw.get("report") or raw.get("seed")
    if name is None:  # no name given: the report of the same stem beside the YAML
        candidates = sorted(yaml_path.parent.glob(f"{yaml_path.stem}.*"))
        reports = [p for p in candidates if p.suffix.lower() in (".txt", ".docx", ".pdf")]
        if len(reports) != 1:
            raise AssertionError(
                f"{yaml_path}: no 'report:' key and {len(reports)} reports named {yaml_path.stem}.*"
            )
        return reports[0]
    return (reports_dir or yaml_path.parent) / str(name)


def load_fixture(yaml_path: Path, reports_dir: Path | None = None, name: str | None = None) -> Fixture:
    """A fixture and its report's paragraphs (``reports_dir``: where the report named in the
    YAML lies, the YAML's directory by default)."""
    raw = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    name = name or yaml_path.stem
    text_path = _source(raw, yaml_path, reports_dir)
    path = text_path
    if raw.get("docx"):
        path = write_docx(text_path, _docx_dir() / f"{text_path.stem}.docx")
    paragraphs = tuple(read_paragraphs(path))
    where = yaml_path.name
    indexes: list[int] = []
    claims: list[Annotated] = []
    for entry in raw["paragraphs"]:
        index = locate(paragraphs, entry["contains"], where)
        if index in indexes:
            raise AssertionError(f"{where}: paragraph ¶{index} is annotated twice ({entry['contains']!r})")
        indexes.append(index)
        for row in entry["claims"] or []:
            claims.append(
                Annotated(
                    report=name,
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
    findings = tuple(
        AnnotatedFinding(
            report=name,
            kind=row["kind"],
            stated=Decimal(str(row["stated"])),
            computed=Decimal(str(row["computed"])),
            paragraph=locate(paragraphs, row["contains"], where),
        )
        for row in raw.get("findings") or []
    )
    return Fixture(name, yaml_path, path, raw, paragraphs, tuple(indexes), tuple(claims), findings)


def well_formed_problems(fixture: Fixture, declared: Mapping[str, Any]) -> list[str]:
    """What is wrong with a fixture's claims (unknown measure, text not in the paragraph, a
    value that is not the text as read, a level or period of the wrong shape)."""
    problems: list[str] = []
    for note in fixture.claims:
        where = f"{fixture.yaml_path.name} ¶{note.paragraph} {note.measure}={note.value}"
        if note.measure not in declared:
            problems.append(f"{where}: {note.measure} is not in narratives/measures.yaml")
        if note.text not in fixture.paragraphs[note.paragraph]:
            problems.append(f"{where}: {note.text!r} not in the paragraph")
        elif not reads_as(note.text, note.value, fixture.paragraphs[note.paragraph]):
            problems.append(f"{where}: {note.text!r} does not read {note.value}")
        if note.level not in (None, "province", "district", "commune", "department"):
            problems.append(f"{where}: level {note.level!r}")
        if note.period is not None and len(note.period) not in (4, 10):
            problems.append(f"{where}: period {note.period!r}")
    return problems


# --- matching -----------------------------------------------------------------------------------


def folded(text: str | None) -> str | None:
    """A category compared without case, diacritics or separators ("Công chức" = "cong_chuc")."""
    if text is None:
        return None
    plain = "".join(
        ch
        for ch in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
        if not unicodedata.combining(ch)
    )
    return " ".join(plain.casefold().replace("_", " ").replace("-", " ").split())


def period_matches(period: str, claim: Claim) -> bool:
    if len(period) == 4:  # a year: that year, ending (if an end is given) on 31 December
        year = int(period)
        return claim.period_year == year and claim.period_end in (None, date(year, 12, 31))
    return claim.period_end == date.fromisoformat(period)


def matches(note: Annotated, claim: Claim) -> bool:
    if claim.paragraph != note.paragraph or claim.measure != note.measure:
        return False
    if claim.value is None or Decimal(claim.value) != note.value:
        return False
    if note.level is not None and claim.level != note.level:
        return False
    if note.category is not None and folded(claim.category) != folded(note.category):
        return False
    if note.max_value is not None and (claim.max_value is None or Decimal(claim.max_value) != note.max_value):
        return False
    return note.period is None or period_matches(note.period, claim)


def pair(notes: Sequence[Annotated], claims: Sequence[Claim]) -> dict[int, int]:
    """A maximum matching annotated -> extracted (augmenting paths; paragraphs are small)."""
    owner: dict[int, int] = {}  # extracted index -> annotated index

    def place(a: int, seen: set[int]) -> bool:
        for c, claim in enumerate(claims):
            if c in seen or not matches(notes[a], claim):
                continue
            seen.add(c)
            if c not in owner or place(owner[c], seen):
                owner[c] = a
                return True
        return False

    for a in range(len(notes)):
        place(a, set())
    return {a: c for c, a in owner.items()}


@dataclass
class Score:
    reports: list[str]
    annotated: list[Annotated] = field(default_factory=list)
    extracted: list[Claim] = field(default_factory=list)  # those in annotated paragraphs
    matched: list[tuple[Annotated, Claim]] = field(default_factory=list)
    missed: list[Annotated] = field(default_factory=list)
    spurious: list[tuple[str, Claim]] = field(default_factory=list)
    #: each report's paragraphs and all its extracted claims (for the failure table)
    paragraphs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    all_claims: dict[str, tuple[Claim, ...]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return len(self.matched) / len(self.extracted) if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return len(self.matched) / len(self.annotated) if self.annotated else 1.0

    def add(self, other: Score) -> None:
        self.annotated += other.annotated
        self.extracted += other.extracted
        self.matched += other.matched
        self.missed += other.missed
        self.spurious += other.spurious
        self.paragraphs.update(other.paragraphs)
        self.all_claims.update(other.all_claims)

    def summary(self) -> str:
        return (
            f"{', '.join(self.reports)}: {len(self.annotated)} annotated, {len(self.extracted)} "
            f"extracted in annotated paragraphs, {len(self.matched)} matched: "
            f"precision {self.precision:.3f}, recall {self.recall:.3f}"
        )


def score_fixture(fixture: Fixture, claims: Sequence[Claim]) -> Score:
    """The score of ``claims`` (all the claims extracted from the fixture's report)."""
    annotated = set(fixture.annotated_paragraphs)
    here_all = [c for c in claims if c.measure is not None and c.paragraph in annotated]
    score = Score([fixture.name], annotated=list(fixture.claims), extracted=here_all)
    score.paragraphs[fixture.name] = fixture.paragraphs
    score.all_claims[fixture.name] = tuple(claims)
    for index in fixture.annotated_paragraphs:
        notes = [n for n in fixture.claims if n.paragraph == index]
        here = [c for c in here_all if c.paragraph == index]
        pairs = pair(notes, here)
        score.matched += [(notes[a], here[c]) for a, c in pairs.items()]
        score.missed += [n for a, n in enumerate(notes) if a not in pairs]
        taken = set(pairs.values())
        score.spurious += [(fixture.name, c) for i, c in enumerate(here) if i not in taken]
    return score


def total_score(scores: Sequence[Score]) -> Score:
    total = Score([name for s in scores for name in s.reports])
    for score in scores:
        total.add(score)
    return total


# --- the failure table --------------------------------------------------------------------------


def excerpt(paragraph: str, start: int, end: int, width: int = 50) -> str:
    left, right = max(0, start - width), min(len(paragraph), end + width)
    text = paragraph[left:start] + "[" + paragraph[start:end] + "]" + paragraph[end:right]
    return ("…" if left else "") + " ".join(text.split()) + ("…" if right < len(paragraph) else "")


def attrs(
    level: str | None, category: str | None, max_value: Any, period: str | None, kind: str | None = None
) -> str:
    parts = [f"level={level}" if level else "", f"category={category}" if category else ""]
    parts += [f"max={max_value}" if max_value is not None else "", f"period={period}" if period else ""]
    parts += [f"({kind})" if kind else ""]
    return " ".join(p for p in parts if p)


def claim_period(claim: Claim) -> str | None:
    if claim.period_end is not None:
        return claim.period_end.isoformat()
    return str(claim.period_year) if claim.period_year is not None else None


def claim_attrs(claim: Claim) -> str:
    return attrs(claim.level, claim.category, claim.max_value, claim_period(claim), claim.period_kind)


def failure_table(score: Score) -> str:
    rows = [score.summary()]
    if score.missed:
        rows.append("MISSED (annotated, not extracted):")
    for note in score.missed:
        text = score.paragraphs[note.report][note.paragraph]
        start = text.find(note.text)
        rows.append(
            f"  {note.report} ¶{note.paragraph} {note.measure}={note.value} "
            f"{attrs(note.level, note.category, note.max_value, note.period)}"
        )
        rows.append(f"      “{excerpt(text, start, start + len(note.text))}”")
        for claim in score.all_claims[note.report]:
            if claim.paragraph == note.paragraph and Decimal(claim.value) == note.value:
                rows.append(
                    f"      extracted there instead: {claim.measure}={claim.value} {claim_attrs(claim)}"
                )
    if score.spurious:
        rows.append("SPURIOUS (extracted in an annotated paragraph, not annotated):")
    for report, claim in score.spurious:
        text = score.paragraphs[report][claim.paragraph]
        rows.append(f"  {report} ¶{claim.paragraph} {claim.measure}={claim.value} {claim_attrs(claim)}")
        rows.append(f"      “{excerpt(text, claim.char_start, claim.char_end)}”")
    return "\n".join(rows)


# --- a directory of annotated reports -----------------------------------------------------------


def score_directory(directory: Path, pattern: str = "*.yaml", reports_dir: Path | None = None) -> list[Score]:
    """The score of each annotated report of ``directory`` (sorted by name); the reports lie
    beside the YAML files unless ``reports_dir`` says where."""
    scores = []
    for yaml_path in sorted(directory.glob(pattern)):
        fixture = load_fixture(yaml_path, reports_dir)
        scores.append(score_fixture(fixture, extract_claims(list(fixture.paragraphs))))
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.narratives.matching",
        description="Precision and recall of the claims extractor on a directory of annotated reports.",
    )
    parser.add_argument("directory", type=Path, help="a directory of *.txt reports and *.yaml annotations")
    parser.add_argument("--pattern", default="*.yaml", help="which annotation files (default *.yaml)")
    parser.add_argument("--failures", action="store_true", help="also print the missed and spurious claims")
    parser.add_argument("--reports", type=Path, help="where the reports lie (default: beside the YAML files)")
    args = parser.parse_args(argv)
    scores = score_directory(args.directory, args.pattern, args.reports)
    if not scores:
        print(f"no {args.pattern} in {args.directory}", file=sys.stderr)
        return 2
    print("per file:")
    for score in scores:
        print("  " + score.summary())
    total = total_score(scores)
    print(
        f"overall ({len(scores)} files): {len(total.annotated)} annotated, {len(total.extracted)} extracted, "
        f"{len(total.matched)} matched: precision {total.precision:.3f}, recall {total.recall:.3f}"
    )
    if total.spurious or total.missed:
        spurious = Counter(claim.measure for _report, claim in total.spurious)
        missed = Counter(note.measure for note in total.missed)
        for what, counted in (("spurious", spurious), ("missed", missed)):
            if counted:
                print(f"{what} by measure: " + ", ".join(f"{m} {n}" for m, n in counted.most_common()))
    if args.failures:
        print()
        print(failure_table(total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

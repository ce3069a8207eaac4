"""The claim extractor on the seeds' sentences (narratives.extract)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from narratives.extract import extract_claims
from narratives.reader import read_report

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip("the seed reports are not available")
    return found[0]


def _by(claims, measure, level=None):
    return [c for c in claims if c.measure == measure and (level is None or c.level == level)]


def test_seed_002_dossier_paragraphs() -> None:
    report = read_report(_seed("002"))
    claims = extract_claims(report.paragraphs, report.header)
    expected = {
        "district": {
            "dossiers_received": "58053",
            "dossiers_resolved": "56863",
            "rate_resolved": "97.95",
            "dossiers_resolved_early_or_on_time": "56252",
            "rate_on_time": "98.93",
            "dossiers_resolved_late": "611",
            "rate_late": "1.07",
        },
        "commune": {
            "dossiers_received": "75416",
            "dossiers_resolved": "75384",
            "rate_resolved": "99.96",
            "dossiers_resolved_early_or_on_time": "75226",
            "rate_on_time": "99.79",
            "dossiers_resolved_late": "158",
            "rate_late": "0.21",
        },
    }
    for level, figures in expected.items():
        for measure, value in figures.items():
            found = [
                c
                for c in _by(claims, measure, level)
                if c.value == Decimal(value)
                and "Tổng số hồ sơ đã tiếp nhận" in report.paragraphs[c.paragraph]
            ]
            assert found, (level, measure, value)
            assert all(c.period_kind == "year" and c.period_year == 2018 for c in found)
            c = found[0]
            assert report.paragraphs[c.paragraph][c.char_start : c.char_end] in c.value_text

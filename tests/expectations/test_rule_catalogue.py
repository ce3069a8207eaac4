"""The catalogue of the cross-table rules (expectations/rules.yaml): one view per suite in
dbt_project/models/quality, its words in the docs page, its parameters declared once."""

from __future__ import annotations

from pathlib import Path

from expectations.cross_suites import CROSS_SUITES
from expectations.rules import dbt_vars, load_catalogue, render_docs
from expectations.suites import rule_title

ROOT = Path(__file__).resolve().parents[2]
QUALITY_MODELS = ROOT / "dbt_project" / "models" / "quality"


def test_each_cross_suite_reads_its_own_quality_view() -> None:
    for suite in CROSS_SUITES:
        assert suite.requires == (f"quality.{suite.name}",)
        # expectations/sql/cross_suites_rows.sql reads the view its parameters name
        assert suite.query == "cross_suites_rows"
        assert suite.query_params.relation == f'"quality"."{suite.name}"'
        assert (QUALITY_MODELS / f"{suite.name}.sql").is_file(), suite.name


def test_every_quality_view_has_a_suite() -> None:
    views = {p.stem for p in QUALITY_MODELS.glob("*.sql")} - {"int_submitted_totals_compared"}
    assert views == {s.name for s in CROSS_SUITES}


def test_parameters_come_from_the_catalogue_and_dbt_vars() -> None:
    (anomaly,) = [s for s in CROSS_SUITES if s.name == "received_anomalies"]
    (rule,) = anomaly.rules
    z = load_catalogue()["params"]["anomaly_z"]
    assert (rule.min, rule.max) == (-z, z) == (-3.5, 3.5)
    years = dbt_vars()["quality_anomaly_min_history"]
    assert f"at least {years} years" in rule.summary_en and f"ít nhất {years} năm" in rule.summary_vi
    assert "$" not in rule.summary_en + rule.message_en + rule.summary_vi + rule.message_vi


def test_rule_words_come_from_the_catalogue() -> None:
    assert rule_title("unit_total_matches_children") == (
        "Số liệu của đơn vị phải bằng tổng số liệu các đơn vị trực thuộc"
    )
    deadline = rule_title("submitted_by_deadline", "en")
    assert deadline == "A file must arrive by the deadline after its period ends"


def test_the_docs_page_is_current() -> None:
    page = (ROOT / "docs" / "quality_rules.md").read_text(encoding="utf-8")
    assert page == render_docs(), "regenerate: uv run python -m expectations.rules > docs/quality_rules.md"
    for suite in CROSS_SUITES:
        for rule in suite.rules:
            assert f"`{rule.rule}`" in page and rule.summary_vi in page

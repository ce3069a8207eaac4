"""The rule catalogue of the cross-table rules, read from expectations/rules.yaml.

`rules.yaml` is declared once and feeds the Great Expectations suites
(`expectations.cross_suites`), the finding messages, the rule words of the night's summary
and alert (`expectations.suites.rule_title`) and docs/quality_rules.md (`render_docs`).
`${name}` in it is a parameter: its own `params`, or a var of dbt_project/dbt_project.yml
(the same value the models in dbt_project/models/quality read).
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE_PATH = Path(__file__).with_name("rules.yaml")
DBT_PROJECT_PATH = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"
#: the dbt schema of the quality rules' relations (dbt_project/models/quality)
QUALITY_SCHEMA = "quality"


@cache
def dbt_vars() -> dict[str, Any]:
    """The vars of dbt_project.yml (the quality rules' parameters among them)."""
    project = yaml.safe_load(DBT_PROJECT_PATH.read_text(encoding="utf-8"))
    return dict(project.get("vars") or {})


@cache
def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, Any]:
    """rules.yaml with its `${name}` parameters substituted."""
    text = path.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    params = {**dbt_vars(), **(raw.get("params") or {})}
    try:
        return yaml.safe_load(string.Template(text).substitute(params))
    except KeyError as exc:
        raise ValueError(f"{path}: unknown parameter ${{{exc.args[0]}}}") from exc


def quality_relation(suite: str) -> str:
    """The relation a cross-table suite reads: the dbt view quality.<suite>."""
    return f"{QUALITY_SCHEMA}.{suite}"


def render_docs() -> str:
    """docs/quality_rules.md: the cross-table rules of the catalogue, in words."""
    catalogue = load_catalogue()
    lines = [
        "# Cross-table quality rules / Quy tắc kiểm tra chéo",
        "",
        "<!-- Generated from expectations/rules.yaml by expectations.rules.render_docs;"
        " tests/expectations/test_rule_catalogue.py checks it is current. Regenerate with"
        " `uv run python -m expectations.rules > docs/quality_rules.md`. -->",
        "",
        "Each rule reads one dbt view of `dbt_project/models/quality/` (`quality.<suite>`),"
        " whose rows are what the rule checks; a Great Expectations suite of the same name"
        " validates it, attached in Dagster to the relation in the column *checked on*."
        " Severity `error` holds the publication back; `warn` is reported only.",
        "",
        "| Rule | Severity | Relation | Checked on | Column | Description (en) | Mô tả (vi) |",
        "|---|---|---|---|---|---|---|",
    ]
    for suite in catalogue["cross_table_suites"]:
        for rule in suite["rules"]:
            cells = [
                f"`{rule['id']}`",
                rule["severity"],
                f"`{quality_relation(suite['suite'])}`",
                f"`{suite['checks']}`",
                f"`{rule['column']}` {_bounds(rule)}",
                rule["description"]["en"],
                rule["description"]["vi"],
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += ["", "## Messages / Nội dung phát hiện", ""]
    for suite in catalogue["cross_table_suites"]:
        for rule in suite["rules"]:
            lines += [
                f"- `{rule['id']}`",
                f"  - en: {rule['message']['en']}",
                f"  - vi: {rule['message']['vi']}",
            ]
    return "\n".join(lines) + "\n"


def _bounds(rule: dict[str, Any]) -> str:
    kind = rule["kind"]
    if kind == "equals_zero":
        return "= 0"
    if kind == "not_null":
        return "not null"
    if kind == "in_set":
        return "in {" + ", ".join(rule["value_set"]) + "}"
    low, high = rule.get("min"), rule.get("max")
    if low is not None and high is not None:
        return f"within {low} … {high}"
    return f"≥ {low}" if low is not None else f"≤ {high}"


if __name__ == "__main__":
    print(render_docs(), end="")

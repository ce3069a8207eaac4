"""The rule catalogue, read from expectations/rules.yaml: every rule id the warehouse
writes findings under (single-table, cross-table, load and ingest rules).

`rules.yaml` is declared once and feeds the Great Expectations suites
(`expectations.suites`, `expectations.cross_suites`, `expectations.load_suites`), the finding
messages, the load rules' words (`ingest.form_checks`), the rule words of the night's summary
and alert (`expectations.suites.rule_title`) and docs/quality_rules.md (`render_docs`).
`${name}` in it is a parameter: its own `params`, or a var of dbt_project/dbt_project.yml
(the same value the models in dbt_project/models/quality read).
"""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path
from typing import Any

import yamlfiles
from expectations.spec import Rule
from ingest.vocabulary import measure_label, terms

CATALOGUE_PATH = Path(__file__).with_name("rules.yaml")
DBT_PROJECT_PATH = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"
#: the dbt schema of the quality rules' relations (dbt_project/models/quality)
QUALITY_SCHEMA = "quality"


@cache
def dbt_vars() -> dict[str, Any]:
    """The vars of dbt_project.yml (the quality rules' parameters among them)."""
    project = yamlfiles.load(DBT_PROJECT_PATH.read_text(encoding="utf-8"))
    return dict(project.get("vars") or {})


@cache
def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, Any]:
    """rules.yaml with its `${name}` parameters substituted."""
    text = path.read_text(encoding="utf-8")
    raw = yamlfiles.load(text)
    params = {**dbt_vars(), **(raw.get("params") or {})}
    try:
        return yamlfiles.load(string.Template(text).substitute(params))
    except KeyError as exc:
        raise ValueError(f"{path}: unknown parameter ${{{exc.args[0]}}}") from exc


#: dossier columns whose measure has another name in the vocabulary: the marts'
#: resolved_on_time includes early dossiers
_DOSSIER_COLUMN_MEASURE = {"resolved_on_time": "resolved_early_or_on_time"}


def dossier_label(column: str) -> tuple[str, str]:
    """(English, Vietnamese) label of a dossier measure column, from ingest/vocabulary.yaml
    (declared once), capitalised to open a sentence."""
    measure = _DOSSIER_COLUMN_MEASURE.get(column, column)
    en, vi = measure_label(measure, "en"), measure_label(measure, "vi")
    return en[:1].upper() + en[1:], vi[:1].upper() + vi[1:]


def column_labels() -> dict[str, tuple[str, str]]:
    """column -> (English, Vietnamese) label: the vocabulary's dossier measures and the
    catalogue's `labels`."""
    labels = {column: dossier_label(column) for column in terms("dossier_measures")}
    for column, words in (load_catalogue().get("labels") or {}).items():
        labels[column] = (words["en"], words["vi"])
    return labels


_TOKEN = re.compile(r"\[(Label|label|value|values)(?::([a-z_]+))?\]")


def expand_words(text: str, lang: str, column: str, value_set: tuple[str, ...]) -> str:
    """A catalogue text with its [Label], [label:col], [value] and [values] tokens filled in."""
    labels = column_labels()
    index = 0 if lang == "en" else 1

    def fill(match: re.Match[str]) -> str:
        token, other = match.group(1), match.group(2)
        if token == "value":
            return "{" + column + "}"
        if token == "values":
            return ", ".join(value_set)
        label = labels[other or column][index]
        return label if token == "Label" else label[:1].lower() + label[1:]

    return _TOKEN.sub(fill, text)


def single_table_rules(suite: str) -> list[Rule]:
    """The rules of one single-table suite of the catalogue."""
    catalogue = load_catalogue()
    (entry,) = [s for s in catalogue["single_table_suites"] if s["suite"] == suite]
    rules = []
    for rule in entry["rules"]:
        words = catalogue["word_patterns"][rule["words"]] if rule.get("words") else rule
        value_set = tuple(terms(rule["value_set_from"])) if rule.get("value_set_from") else ()

        texts = {
            (part, lang): expand_words(words[part][lang], lang, rule["column"], value_set)
            for part in ("description", "message")
            for lang in ("en", "vi")
        }
        rules.append(
            Rule(
                rule=rule["id"],
                severity=rule["severity"],
                table=entry["table"],
                kind=rule["kind"],
                column=rule["column"],
                min=rule.get("min"),
                max=rule.get("max"),
                where=rule.get("where"),
                value_set=value_set,
                summary_en=texts["description", "en"],
                summary_vi=texts["description", "vi"],
                message_en=texts["message", "en"],
                message_vi=texts["message", "vi"],
            )
        )
    return rules


def rule_words(section: str) -> dict[str, tuple[str, str]]:
    """rule id -> (English, Vietnamese) description of the catalogue's `load_rules` or
    `ingest_rules`."""
    return {r["id"]: (r["description"]["en"], r["description"]["vi"]) for r in load_catalogue()[section]}


def catalogue_rule_ids() -> dict[str, str]:
    """Every rule id of the catalogue -> its kind (single-table, cross-table, load, ingest)."""
    catalogue = load_catalogue()
    ids: dict[str, str] = {}
    for suite in catalogue["single_table_suites"]:
        ids.update({r["id"]: "single-table" for r in suite["rules"]})
    for suite in catalogue["cross_table_suites"]:
        ids.update({r["id"]: "cross-table" for r in suite["rules"]})
    ids.update({r["id"]: "load" for r in catalogue["load_rules"]})
    ids.update({r["id"]: "ingest" for r in catalogue["ingest_rules"]})
    return ids


def quality_relation(suite: str) -> str:
    """The relation a cross-table suite reads: the dbt view quality.<suite>."""
    return f"{QUALITY_SCHEMA}.{suite}"


def _cells(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def render_docs() -> str:
    """docs/quality_rules.md: every rule of the catalogue, in words."""
    catalogue = load_catalogue()
    lines = [
        "# Quality rules / Quy tắc kiểm tra chất lượng",
        "",
        "<!-- Generated from expectations/rules.yaml by expectations.rules.render_docs;"
        " tests/expectations/test_rule_catalogue.py checks it is current. Regenerate with"
        " `uv run python -m expectations.rules > docs/quality_rules.md`. -->",
        "",
        "Every rule id a finding (`data_quality_findings`) can carry, declared once in"
        " `expectations/rules.yaml`: single-table rules, cross-table rules, load rules (what"
        " the reader found in a loaded file) and ingest rules (what ingest reports itself)."
        " Severity `error` holds the publication back; `warn` is reported only. In the"
        " messages, `{column}` is the value of that column of the row found.",
        "",
        "## Single-table rules / Quy tắc trên một bảng",
        "",
        "Each suite validates one relation with Great Expectations (`expectations/suites.py`"
        " adds the columns the rules derive).",
        "",
        "| Rule | Severity | Relation | Column | Description (en) | Mô tả (vi) |",
        "|---|---|---|---|---|---|",
    ]
    suites = catalogue["single_table_suites"]
    single = [rule for suite in suites for rule in single_table_rules(suite["suite"])]
    for rule in single:
        check = f"`{rule.column}` {_bounds(vars(rule))}"
        if rule.where:
            check += f" where `{rule.where}`"
        lines.append(
            _cells(
                [f"`{rule.rule}`", rule.severity, f"`{rule.table}`", check, rule.summary_en, rule.summary_vi]
            )
        )
    lines += ["", "### Messages / Nội dung phát hiện", ""]
    for rule in single:
        lines += [f"- `{rule.rule}`", f"  - en: {rule.message_en}", f"  - vi: {rule.message_vi}"]
    lines += [
        "",
        "## Cross-table rules / Quy tắc kiểm tra chéo",
        "",
        "Each rule reads one dbt view of `dbt_project/models/quality/` (`quality.<suite>`),"
        " whose rows are what the rule checks; a Great Expectations suite of the same name"
        " validates it, attached in Dagster to the relation in the column *checked on*.",
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
            lines.append(_cells(cells))
    lines += ["", "### Messages / Nội dung phát hiện", ""]
    for suite in catalogue["cross_table_suites"]:
        for rule in suite["rules"]:
            lines += [
                f"- `{rule['id']}`",
                f"  - en: {rule['message']['en']}",
                f"  - vi: {rule['message']['vi']}",
            ]
    for section, title, intro in (
        (
            "load_rules",
            "Load rules / Quy tắc khi nạp tệp",
            "Written by the reader to `raw.load_findings` with a message naming the columns and"
            " figures compared (never submitted text); reported by the suite `load_findings`.",
        ),
        (
            "ingest_rules",
            "Ingest rules / Quy tắc của bước nạp",
            "Written by ingest itself (`ingest/inbox.py`) with a message naming the file.",
        ),
    ):
        lines += [
            "",
            f"## {title}",
            "",
            intro,
            "",
            "| Rule | Severity | Written by | Description (en) | Mô tả (vi) |",
            "|---|---|---|---|---|",
        ]
        for rule in catalogue[section]:
            lines.append(
                _cells(
                    [
                        f"`{rule['id']}`",
                        rule["severity"],
                        f"`{rule['source']}`",
                        rule["description"]["en"],
                        rule["description"]["vi"],
                    ]
                )
            )
    cell_rules = catalogue["template_cell_rules"]
    lines += [
        "",
        "## Template cell rules / Quy tắc ô trong biểu mẫu",
        "",
        "What the Excel submission templates (`parwh template`, `reports/templates.py`) check"
        " as a cell is typed (error titled “" + cell_rules["error_title"] + "”) or mark red on"
        " a row, and the rules above they anticipate.",
        "",
        "| Cells / rows | Check | Message (vi) | Rules |",
        "|---|---|---|---|",
    ]
    for cell in cell_rules["cells"]:
        if "list" in cell:
            check = f"one of the Vietnamese words of `{cell['list']}` (ingest/vocabulary.yaml)"
        else:
            v = cell["validation"]
            bounds = " … ".join(str(v[k]) for k in ("formula1", "formula2") if k in v)
            check = f"{v['type']} {v['operator']} {bounds}"
        rules = ", ".join(f"`{r}`" for r in cell["rules"]) or "—"
        lines.append(_cells([f"`{cell['cell']}` cells", check, cell.get("error", "—"), rules]))
    for row in cell_rules["rows"]:
        rules = ", ".join(f"`{r}`" for r in row["rules"])
        lines.append(_cells([f"`{row['source']}` rows", f"red when `{row['red_when']}`", "—", rules]))
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

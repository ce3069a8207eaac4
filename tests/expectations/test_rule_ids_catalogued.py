"""Every rule id the code writes findings under is declared in the rule catalogue
(expectations/rules.yaml): the suites' rules, the load rules ingest writes (form checks,
record exports) and the findings ingest writes itself. A rule id used in code but missing
from the catalogue fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from expectations import SUITES
from expectations.rules import catalogue_rule_ids, load_catalogue
from expectations.suites import INGEST_RULES, rule_title
from ingest.form_checks import DOSSIER_IDENTITIES, LOAD_FINDING_RULES

ROOT = Path(__file__).resolve().parents[2]
#: the packages whose code writes or names findings
CODE = ("ingest", "expectations", "night", "reports", "orchestration", "publication", "cli", "submissions")
#: where a rule id stands in code: rule="...", RULE_X = "...", a finding inserted by ingest,
#: a rule compared in SQL
_SQL_RULE = re.compile(r"\brule\s*(?:=|<>|!=)\s*'([a-z_]+)'")


def _rule_ids_in_code() -> dict[str, str]:
    """rule id -> the file that uses it."""
    found: dict[str, str] = {}
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            where = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.keyword) and node.arg == "rule":
                    if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                        found.setdefault(node.value.value, where)
                elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                    for target in node.targets:
                        if isinstance(target, ast.Name) and target.id.startswith("RULE_"):
                            found.setdefault(str(node.value.value), where)
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == "_insert_finding"
                    and len(node.args) > 2
                    and isinstance(node.args[2], ast.Constant)
                ):
                    found.setdefault(str(node.args[2].value), where)
            for match in _SQL_RULE.finditer(text):
                found.setdefault(match.group(1), where)
    return found


def test_every_rule_id_in_code_is_in_the_catalogue() -> None:
    catalogued = catalogue_rule_ids()
    used = _rule_ids_in_code()
    # the scan finds the ids it must (so an empty scan cannot pass)
    assert {"file_rejected", "same_night_version_replaced", "form_balance", "form_stated_rate"} <= set(used)
    assert {"records_finished_before_received", "records_due_before_received"} <= set(used)
    missing = {rule: where for rule, where in used.items() if rule not in catalogued}
    assert not missing, f"rule ids used in code but missing from expectations/rules.yaml: {missing}"


def test_the_form_identities_are_catalogued_load_rules() -> None:
    kinds = catalogue_rule_ids()
    for identity in DOSSIER_IDENTITIES:
        assert kinds[f"form_{identity.name}"] == "load"
    assert set(LOAD_FINDING_RULES) == {r for r, kind in kinds.items() if kind == "load"}
    assert set(INGEST_RULES) == {r for r, kind in kinds.items() if kind == "ingest"}


def test_every_suite_rule_comes_from_the_catalogue() -> None:
    kinds = catalogue_rule_ids()
    suite_rules = [rule for suite in SUITES for rule in suite.rules]
    assert len(suite_rules) == len({r.rule for r in suite_rules}), "a rule id is used twice"
    for rule in suite_rules:
        assert rule.rule in kinds, rule.rule
    # and the catalogue holds no rule nothing runs or writes
    run = {r.rule for r in suite_rules} | set(INGEST_RULES)
    assert run == set(kinds)


def test_single_table_words_come_from_the_catalogue_and_the_vocabulary() -> None:
    (dossiers,) = [s for s in SUITES if s.name == "fct_dossier_stats"]
    rules = {r.rule: r for r in dossiers.rules}
    assert rules["received_non_negative"].summary_vi == "Số hồ sơ mới tiếp nhận không được âm"
    assert rules["received_non_negative"].message_en == "Newly received is negative: {received}"
    assert rules["authority_level_valid"].value_set == ("tinh", "huyen", "xa")
    balance = rules["dossier_balance_adds_up"]
    assert balance.message_en.startswith("Carried in from the previous period {carried_in} + newly received")
    assert "[" not in balance.message_en + balance.message_vi + balance.summary_en + balance.summary_vi
    assert rule_title("file_rejected", "en") == "A submitted file was rejected (none of its rows were loaded)"
    assert rule_title("form_balance") == "Số nhận giải quyết phải bằng số đã giải quyết + đang giải quyết"
    staffing = load_catalogue()["single_table_suites"]
    assert [s["suite"] for s in staffing][0] == "raw_dossiers"


def test_the_docs_page_lists_every_rule() -> None:
    page = (ROOT / "docs" / "quality_rules.md").read_text(encoding="utf-8")
    for rule in catalogue_rule_ids():
        assert f"`{rule}`" in page, rule
    (staffing,) = [s for s in SUITES if s.name == "fct_staffing"]
    for rule in staffing.rules:
        assert rule.summary_vi in page and rule.message_vi in page

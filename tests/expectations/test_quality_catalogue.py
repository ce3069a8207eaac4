"""The rule catalogue: unique ids, valid templates, one GX expectation and one SQL per rule."""

from __future__ import annotations

import duckdb

from expectations import SUITES, describe_rules
from expectations.findings import TEXT_WHITELIST
from expectations.spec import Rule, template_fields


def test_rule_ids_are_unique_snake_case() -> None:
    ids = [r.rule for s in SUITES for r in s.rules]
    assert len(ids) == len(set(ids))
    assert all(i.isidentifier() and i == i.lower() for i in ids)
    assert len({s.name for s in SUITES}) == len(SUITES)


def test_asset_keys_equal_relations() -> None:
    assert [s.asset_key for s in SUITES] == [tuple(s.table.split(".")) for s in SUITES]
    assert SUITES[0].asset_key == ("raw", "dossiers")


def test_templates_use_only_known_columns(schemas: dict[str, dict[str, str]]) -> None:
    # cross-table suites read their own query's columns: tests/quality/test_cross_rules.py
    for suite in (s for s in SUITES if s.query is None):
        columns = set(schemas[suite.table]) | {d.name for d in suite.derived}
        text = {c for c, t in schemas[suite.table].items() if t == "VARCHAR"}
        for rule in suite.rules:
            assert rule.column in columns, rule.rule
            for template in (rule.message_en, rule.message_vi):
                fields = set(template_fields(template))
                assert fields <= columns, (rule.rule, fields - columns)
                # text in messages could carry personal data: only whitelisted text columns
                assert not (fields & text) - TEXT_WHITELIST, rule.rule


def test_each_rule_builds_its_gx_expectation_and_sql() -> None:
    for suite in SUITES:
        for rule in suite.rules:
            expectation = rule.to_gx_expectation()
            assert expectation.meta == {"rule": rule.rule, "table": rule.table}
            severity = getattr(expectation.severity, "value", expectation.severity)
            assert severity == {"error": "critical", "warn": "warning"}[rule.severity]
            assert isinstance(rule.violation(is_float=False), duckdb.Expression)


def test_predicates_keep_values_out_of_sql() -> None:
    rule = Rule(
        rule="x_in_set",
        severity="error",
        table="marts.t",
        kind="in_set",
        column='we"ird',
        value_set=("a'); DROP TABLE x; --", "b"),
        summary_en="",
        summary_vi="",
        message_en="",
        message_vi="",
    )
    # the values are constants of the expression tree, compared as values: a value that
    # reads like SQL is only a value, and the odd column name is one column
    con = duckdb.connect()
    con.execute('create table t ("we""ird" varchar)')
    con.executemany("insert into t values (?)", [[v] for v in (*rule.value_set, "c", None)])
    violating = con.table("t").filter(rule.violation(is_float=False)).fetchall()
    assert violating == [("c",)]
    assert con.table("t").count("*").fetchall() == [(4,)]


def test_describe_rules_lists_every_rule_with_both_languages() -> None:
    catalogue = describe_rules()
    assert len(catalogue) == sum(len(s.rules) for s in SUITES)
    for entry in catalogue:
        assert entry["severity"] in ("error", "warn")
        assert entry["message_en"] and entry["message_vi"] and entry["table"]
    by_rule = {e["rule"]: e for e in catalogue}
    assert by_rule["stated_total_matches_parts"]["severity"] == "warn"
    assert by_rule["disbursed_not_above_plan"]["severity"] == "warn"
    assert by_rule["disbursement_rate_at_most_150"]["severity"] == "error"
    assert by_rule["raw_dossiers_received_non_negative"]["where"]

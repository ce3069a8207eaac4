"""Real GX validations on real DuckDB files: clean data passes, each planted violation
fails exactly its rule, with counts only in results and audit rows."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from expectations import SUITES, SuiteResult, run_quality_checks

ALL_RULES = {r.rule: (s.name, r) for s in SUITES for r in s.rules}


def findings(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    cur = con.execute("SELECT * FROM marts.data_quality_findings ORDER BY rule, source_row")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def failed(results: list[SuiteResult]) -> dict[str, Any]:
    return {r.rule: r for s in results for r in s.rule_results if not r.success}


def test_clean_warehouse_passes_everything(build: Any) -> None:
    con = build()
    results = run_quality_checks(con, "run-clean")
    assert [r.suite for r in results] == [s.name for s in SUITES]
    assert all(r.success and r.worst_failed_severity is None for r in results), failed(results)
    assert sum(r.findings_written for r in results) == 0
    assert findings(con) == []
    audit = con.execute(
        "SELECT check_name, asset_key, rule, success, element_count FROM audit.check_results"
    ).fetchall()
    assert len(audit) == len(ALL_RULES)
    assert {a[2] for a in audit} == set(ALL_RULES)
    counts = {a[2]: a[4] for a in audit}
    assert counts["received_non_negative"] == 3
    # the totals row of raw.dossiers is filtered out before validation
    assert counts["raw_dossiers_received_non_negative"] == 1
    assert ("raw_dossiers", "raw/dossiers") in {(a[0], a[1]) for a in audit}


def test_second_run_appends_its_own_audit_rows(build: Any) -> None:
    con = build()
    run_quality_checks(con, "first")
    run_quality_checks(con, "second")
    per_run = dict(con.execute("SELECT run_id, count(*) FROM audit.check_results GROUP BY run_id").fetchall())
    assert per_run["first"] == per_run["second"] == len(ALL_RULES)


def _set(rows: dict[str, list[dict[str, Any]]], table: str, index: int, **values: Any) -> None:
    rows[table][index].update(values)


# (table, row index, changes, rule, severity, unexpected_count, numbers in the message)
PLANTED: list[tuple[str, int, dict[str, Any], str, str, int, tuple[str, ...]]] = [
    (
        "marts.fct_dossier_stats",
        1,
        {"received": -5},
        "received_non_negative",
        "error",
        1,
        ("-5",),
    ),
    (
        "marts.fct_dossier_stats",
        0,
        {"on_time_rate": 100.5},
        "on_time_rate_within_0_100",
        "error",
        1,
        ("100.5",),
    ),
    (
        "marts.fct_dossier_stats",
        0,
        {"unit_code": None},
        "dossier_stats_unit_code_not_null",
        "error",
        1,
        (),
    ),
    (
        "marts.fct_dossier_stats",
        1,
        {"authority_level": "tỉnh"},
        "authority_level_valid",
        "error",
        1,
        (),
    ),
    (
        "marts.fct_dossier_stats",
        1,
        {
            "period_start": __import__("datetime").date(2023, 12, 31),
            "period_end": __import__("datetime").date(2023, 1, 1),
        },
        "period_end_not_before_start",
        "error",
        1,
        ("2023-01-01", "2023-12-31"),
    ),
    (
        "marts.fct_dossier_stats",
        0,
        {"resolved_parts_difference": 2, "resolved": 56865},
        "resolved_parts_add_up",
        "warn",
        1,
        ("56865", "56252", "611", "2"),
    ),
    (
        "marts.fct_dossier_stats",
        1,
        {"balance_difference": -3, "pending": 53},
        "dossier_balance_adds_up",
        "warn",
        1,
        ("100", "1000", "1100", "1050", "53", "1103", "-3"),
    ),
    (
        "marts.fct_dossier_stats",
        1,
        {"pending_parts_difference": 7},
        "pending_parts_add_up",
        "warn",
        1,
        ("50", "45", "5", "7"),
    ),
    (
        "marts.fct_survey_satisfaction",
        0,
        {"satisfied_forms": 601},
        "satisfied_forms_not_above_forms",
        "error",
        1,
        ("601", "600"),
    ),
    (
        "marts.fct_budget_disbursement",
        0,
        {"plan_mvnd": "-1.500"},
        "plan_mvnd_non_negative",
        "error",
        1,
        ("-1.5",),
    ),
    (
        "marts.fct_budget_disbursement",
        0,
        {"disbursement_rate": 120.0},
        "disbursed_not_above_plan",
        "warn",
        1,
        ("120", "212901.285", "590161.54"),
    ),
    (
        "marts.fct_staffing",
        0,
        {"actual": 125},
        "actual_staff_within_quota",
        "warn",
        1,
        ("125", "120", "5", "2023-06-30"),
    ),
    (
        "marts.fct_staffing",
        1,
        {"category": "contract"},
        "staff_category_valid",
        "error",
        1,
        (),
    ),
    (
        "quality.int_submitted_totals_compared",
        0,
        {"stated_total": 733, "sum_of_parts": 732, "difference": 1},
        "stated_total_matches_parts",
        "warn",
        1,
        ("733", "732"),
    ),
    ("marts.rankings", 1, {"score": 100.01}, "ranking_score_within_0_100", "error", 1, ("100.01",)),
    ("marts.rankings", 1, {"rank": 0}, "ranking_rank_at_least_1", "error", 1, ("0",)),
    ("marts.rankings", 0, {"unit_code": None}, "ranking_unit_code_not_null", "error", 1, ()),
    (
        "raw.dossiers",
        0,
        {"resolved_late": -2},
        "raw_dossiers_resolved_late_non_negative",
        "error",
        1,
        ("-2",),
    ),
]


@pytest.mark.parametrize(
    ("table", "index", "changes", "rule", "severity", "unexpected", "numbers"),
    PLANTED,
    ids=[p[3] for p in PLANTED],
)
def test_planted_violation_fails_exactly_its_rule(
    build: Any,
    rows: dict[str, list[dict[str, Any]]],
    table: str,
    index: int,
    changes: dict[str, Any],
    rule: str,
    severity: str,
    unexpected: int,
    numbers: tuple[str, ...],
) -> None:
    _set(rows, table, index, **changes)
    con = build(rows)
    suite_name, _ = ALL_RULES[rule]
    results = run_quality_checks(con, "run-planted", [suite_name])
    (result,) = results
    assert set(failed(results)) == {rule}
    rr = failed(results)[rule]
    assert rr.severity == severity and rr.unexpected_count == unexpected
    assert result.worst_failed_severity == severity
    assert result.blocks_publication == (severity == "error")
    found = findings(con)
    assert len(found) == unexpected == result.findings_written
    finding = found[0]
    assert finding["rule"] == rule and finding["severity"] == severity
    assert finding["run_id"] == "run-planted"
    for number in numbers:
        assert number in finding["message"], (number, finding["message"])
    assert finding["message_vi"] and finding["message_vi"] != finding["message"]
    source = rows[table][index]
    if "source_row" in source:
        assert finding["source_row"] == source["source_row"]
    if table != "raw.dossiers" and "source_file" in source:
        assert finding["source_file"] == source["source_file"]
    audit = con.execute(
        "SELECT severity, success, unexpected_count FROM audit.check_results WHERE rule = ?",
        [rule],
    ).fetchall()
    assert audit == [(severity, False, unexpected)]


def test_seed_total_mismatch_message(build: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    _set(
        rows,
        "quality.int_submitted_totals_compared",
        0,
        stated_total=733,
        sum_of_parts=732,
        difference=1,
    )
    con = build(rows)
    run_quality_checks(con, "r", ["int_submitted_totals_compared"])
    (finding,) = findings(con)
    assert finding["message"] == "Stated total 733 but the parts add up to 732 (difference 1)"
    assert "733" in finding["message_vi"] and "732" in finding["message_vi"]
    assert (finding["unit_code"], finding["period_label"]) == ("L568", "2018")


def test_rate_above_150_fails_error_and_warn(build: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    _set(rows, "marts.fct_budget_disbursement", 0, disbursement_rate=160.5)
    con = build(rows)
    (result,) = run_quality_checks(con, "r", ["fct_budget_disbursement"])
    assert set(failed([result])) == {"disbursed_not_above_plan", "disbursement_rate_at_most_150"}
    assert result.worst_failed_severity == "error"
    vi = {f["rule"]: f["message_vi"] for f in findings(con)}
    assert "160,5%" in vi["disbursement_rate_at_most_150"]


def test_raw_findings_name_the_file_and_period(build: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    _set(rows, "raw.dossiers", 0, received=-7)
    con = build(rows)
    (result,) = run_quality_checks(con, "r", ["raw_dossiers"])
    assert failed([result])["raw_dossiers_received_non_negative"].unexpected_count == 1
    (finding,) = findings(con)  # the totals row (received -1) is not a finding
    assert finding["source_file"] == "sa_dec_dossiers_2023.xlsx"
    assert finding["source_row"] == 5 and finding["unit_code"] == "L867"
    assert finding["period_label"] in ("2023", "2023-01-01..2023-12-31")


def test_gx_and_sql_count_the_same_rows(build: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    table = "marts.fct_dossier_stats"
    base = rows[table][1]
    extra = [
        {**base, "source_row": 100 + i, "late_rate": rate, "unit_code": f"L{i}"}
        for i, rate in enumerate([-0.5, 101.0, None, float("nan"), float("inf"), 100.0, 0.0])
    ]
    rows[table].extend(extra)
    con = build(rows)
    (result,) = run_quality_checks(con, "r", ["fct_dossier_stats"])
    rr = failed([result])["late_rate_within_0_100"]
    assert rr.unexpected_count == 3  # -0.5, 101, inf; null and NaN are not checked
    assert rr.element_count == 10
    assert sorted(f["source_row"] for f in findings(con)) == [100, 101, 104]


def test_findings_are_capped_with_a_summary(build: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    base = rows["marts.rankings"][0]
    rows["marts.rankings"] = [{**base, "rank": 0, "unit_code": f"U{i}"} for i in range(5)]
    con = build(rows)
    from expectations.runner import run_quality_checks as run

    (result,) = run(con, "r", ["rankings"], findings_cap=2)
    assert failed([result])["ranking_rank_at_least_1"].unexpected_count == 5
    found = findings(con)
    assert result.findings_written == 3 == len(found)
    summary = [f for f in found if f["unit_code"] is None]
    assert len(summary) == 1 and "5 rows" in summary[0]["message"]
    assert "5 dòng" in summary[0]["message_vi"]


def test_results_and_audit_carry_no_row_values(build: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    secret = "NGUYEN_VAN_MARKER_7f3a"
    unit_marker = "UNIT_MARKER_91c2"
    _set(rows, "marts.rankings", 0, score=150.0, unit_name=secret, band=secret, unit_code=unit_marker)
    _set(rows, "raw.dossiers", 0, received=-1, submitted_unit=secret, field=secret)
    _set(rows, "marts.fct_staffing", 0, category=secret, actual=200)
    con = build(rows)
    results = run_quality_checks(con, "run-privacy")
    assert failed(results)  # the planted rows do fail
    text = repr(results)
    assert secret not in text and unit_marker not in text
    audit = repr(con.execute("SELECT * FROM audit.check_results").fetchall())
    assert secret not in audit and unit_marker not in audit
    found = findings(con)
    assert found
    for f in found:
        assert secret not in repr(f)
        for column, value in f.items():
            if column != "unit_code":
                assert unit_marker not in str(value), column
    assert unit_marker in {f["unit_code"] for f in found}


def test_missing_and_empty_tables(build: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    rows["marts.fct_survey_satisfaction"] = []
    con = build(rows, skip=["quality.int_submitted_totals_compared", "marts.rankings"])
    results = {r.suite: r for r in run_quality_checks(con, "r")}
    survey = results["fct_survey_satisfaction"]
    assert survey.success and survey.note == "table is empty"
    assert all(r.element_count == 0 for r in survey.rule_results)
    totals = results["int_submitted_totals_compared"]  # optional: passes
    assert totals.success and totals.note == "table does not exist"
    rankings = results["rankings"]  # required: error
    assert not rankings.success and rankings.worst_failed_severity == "error"
    assert [r.rule for r in rankings.rule_results] == ["rankings_table_exists"]
    (finding,) = findings(con)
    assert finding["rule"] == "rankings_table_exists" and "marts.rankings" in finding["message"]
    assert results["fct_dossier_stats"].success


def test_missing_column_fails_the_rule(build: Any) -> None:
    con = build()
    con.execute("ALTER TABLE marts.rankings DROP COLUMN rank")
    (result,) = run_quality_checks(con, "r", ["rankings"])
    assert set(failed([result])) == {"ranking_rank_at_least_1"}
    assert "rank is missing" in findings(con)[0]["message"]


def test_unknown_suite_name_is_rejected(build: Any) -> None:
    con = build()
    with pytest.raises(ValueError, match="unknown suites"):
        run_quality_checks(con, "r", ["nope"])

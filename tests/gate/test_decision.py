"""The quality gate's decision, as plain data: failed error-severity checks hold publication
back, warnings and passed checks never do (gate/decision.py; no Dagster, no warehouse)."""

from __future__ import annotations

import ast
from pathlib import Path

from gate.decision import HOLD_BACK_MESSAGE, CheckOutcome, decide

GATE = Path(__file__).resolve().parents[2] / "gate"


def _check(name: str, *, passed: bool, severity: str, asset: str = "marts/fct_staffing") -> CheckOutcome:
    return CheckOutcome(asset=asset, check_name=name, passed=passed, severity=severity)


def test_no_check_failed_at_error_publishes() -> None:
    decision = decide(
        [
            _check("gx_fct_staffing", passed=True, severity="error"),
            _check("gx_submission_completeness", passed=False, severity="warn"),
        ]
    )
    assert decision.publish
    assert decision.blocking == ()
    assert decision.blocking_text() == ""
    assert decision.history is None  # only decided: the history is recorded by pass_gate


def test_a_run_without_checks_publishes() -> None:
    assert decide([]).publish


def test_failed_error_checks_hold_back_in_the_runs_order() -> None:
    checks = [
        _check("gx_rankings", passed=False, severity="error", asset="marts/rankings"),
        _check("gx_fct_staffing", passed=False, severity="warn"),
        _check("not_null_fct_staffing_unit_code", passed=True, severity="error"),
        _check("unique_fct_staffing_key", passed=False, severity="error"),
    ]
    decision = decide(checks)
    assert not decision.publish
    assert decision.blocking == (checks[0], checks[3])
    assert decision.blocking_text() == (
        "marts/rankings: gx_rankings\nmarts/fct_staffing: unique_fct_staffing_key"
    )


def test_blocks_is_failed_at_error_severity() -> None:
    assert _check("a", passed=False, severity="error").blocks
    assert not _check("a", passed=False, severity="warn").blocks
    assert not _check("a", passed=True, severity="error").blocks


def test_the_hold_back_message_says_the_published_file_is_unchanged() -> None:
    assert HOLD_BACK_MESSAGE == (
        "Quality gate: publication held back; the previous published/latest.duckdb is unchanged."
    )


def test_the_gate_imports_no_dagster() -> None:
    for path in sorted(GATE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "dagster" for name in names), path

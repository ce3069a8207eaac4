"""Data-quality checks: Great Expectations 1.x suites declared as data.

    from expectations import run_quality_checks, SUITES
    results = run_quality_checks(con, run_id)            # all suites, in order
    results = run_quality_checks(con, run_id, ["rankings"])

Importing this package does not import Great Expectations (slow); running checks does.
"""

from expectations.results import RuleResult, SuiteResult
from expectations.runner import run_quality_checks
from expectations.spec import Derived, Rule, Severity, Suite
from expectations.store import ensure_result_tables
from expectations.suites import SUITES, describe_rules

__all__ = [
    "SUITES",
    "Derived",
    "Rule",
    "RuleResult",
    "Severity",
    "Suite",
    "SuiteResult",
    "describe_rules",
    "ensure_result_tables",
    "run_quality_checks",
]

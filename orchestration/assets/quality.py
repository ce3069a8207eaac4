"""Great Expectations suites (package `expectations`) run as Dagster asset checks.

One op validates every suite (the Great Expectations context is set up once) and reports
one check per suite on the relation it validates. The checks are blocking: the gate
asset waits for them, and Dagster itself stops the gate when an error-severity rule
fails. The gate (assets/publish.py) reads every check result of the run again before it
publishes, including the dbt tests, which Dagster does not block on.
"""

from __future__ import annotations

import dagster as dg

from expectations import SUITES, run_quality_checks
from orchestration.resources import WarehouseResource

SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}


def check_name(suite_name: str) -> str:
    return f"gx_{suite_name}"


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            name=check_name(suite.name),
            asset=dg.AssetKey(list(suite.asset_key)),
            blocking=True,
            description=f"Great Expectations suite '{suite.name}' on {suite.table}",
        )
        for suite in SUITES
    ],
    can_subset=True,
)
def great_expectations_suites(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    selected = {key.name for key in context.selected_asset_check_keys}
    suite_names = [suite.name for suite in SUITES if check_name(suite.name) in selected]
    with warehouse.connect() as con:
        results = run_quality_checks(con, context.run_id, suite_names)
    for result in results:
        failed = [r for r in result.rule_results if not r.success]
        # counts only: check results never carry row values (they may hold personal data)
        metadata: dict[str, dg.RawMetadataValue] = {
            "rules": len(result.rule_results),
            "rules_failed": len(failed),
            "findings_written": result.findings_written,
        }
        for rule in failed:
            metadata[f"{rule.severity}: {rule.rule}"] = (
                f"{rule.unexpected_count} of {rule.element_count} rows"
            )
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(list(result.asset_key)),
            check_name=check_name(result.suite),
            passed=result.success,
            severity=SEVERITY.get(result.worst_failed_severity or "warn", dg.AssetCheckSeverity.WARN),
            metadata=metadata,
        )

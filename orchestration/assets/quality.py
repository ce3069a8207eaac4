"""Great Expectations suites (package `expectations`) run as Dagster asset checks.

Two ops validate the suites, each reporting one check per suite on the relation it
validates: one on the raw tables (it runs before dbt, and an error there stops dbt), one
on the intermediate models and marts (after dbt). The Great Expectations context is set
up once per op. The checks are blocking: downstream assets, and the gate, wait for them,
and Dagster itself stops the gate when an error-severity rule fails. The gate
(assets/publish.py) reads every check result of the run again before it publishes,
including the dbt tests, which Dagster does not block on.
"""

import dagster as dg

from expectations import SUITES, run_quality_checks
from expectations.suites import BUDGET, DOSSIER_STATS, STAFFING, SURVEY, Suite
from orchestration.resources import WarehouseResource

SEVERITY = {"error": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}


def check_name(suite_name: str) -> str:
    return f"gx_{suite_name}"


def suite_asset_key(suite: Suite) -> dg.AssetKey:
    return dg.AssetKey(list(suite.asset_key))


def docs_dir(warehouse: WarehouseResource):
    """The Great Expectations Data Docs site: <warehouse>/docs/quality/index.html."""
    return warehouse.settings.warehouse_dir / "docs" / "quality"


# Blocking makes every asset downstream of the checked one wait for the check's op. A check
# in the model op on an asset the dbt models are built from (the unit dimension, the file
# manifest) would make dbt wait for an op that itself waits for dbt, and Dagster would split
# the dbt run in pieces. Those checks are not blocking: the gate still runs after them, as
# the same op holds blocking checks on the marts the gate depends on, and the gate reads
# every check result of the run, failing it on any error.
FEEDS_THE_MODELS = {
    dg.AssetKey(["marts", "dim_admin_units"]),
    dg.AssetKey(["raw", "file_manifest"]),
}


# A check that cannot block (its asset feeds the models) would otherwise run as soon as that
# asset is current, before dbt: in a night scoped to some sources, the unit-code rule (an
# error) and the completeness rule then read last night's facts and let tonight's pass. They
# read the facts through their quality views, so they wait for the facts dbt rebuilds
# tonight (a fact not rebuilt tonight is already current). The gate runs after them: it
# waits for the blocking checks, which become ready with them, and the checks go first.
FACTS = tuple(dg.AssetKey(relation.split(".")) for relation in (DOSSIER_STATS, SURVEY, BUDGET, STAFFING))
#: Dagster runs the ready step of highest priority first (default 0)
CHECKS_FIRST = {"dagster/priority": "1"}


def runs_before_dbt(suite: Suite) -> bool:
    """Suites on the raw data tables run before dbt; the rest after it."""
    return suite.asset_key[0] == "raw" and suite_asset_key(suite) not in FEEDS_THE_MODELS


def _suite_checks(name: str, suites: list[Suite], description: str) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(
        name=name,
        description=description,
        specs=[
            dg.AssetCheckSpec(
                name=check_name(suite.name),
                asset=suite_asset_key(suite),
                blocking=suite_asset_key(suite) not in FEEDS_THE_MODELS,
                additional_deps=FACTS if suite_asset_key(suite) in FEEDS_THE_MODELS else (),
                description=f"Great Expectations suite '{suite.name}' on {suite.table}",
            )
            for suite in suites
        ],
        can_subset=True,
        op_tags=CHECKS_FIRST,
    )
    def _checks(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        selected = {key.name for key in context.selected_asset_check_keys}
        suite_names = [suite.name for suite in suites if check_name(suite.name) in selected]
        with warehouse.connect() as con:
            results = run_quality_checks(con, context.run.run_id, suite_names, docs_dir=docs_dir(warehouse))
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
                severity=SEVERITY[result.worst_failed_severity or "warn"],
                metadata=metadata,
            )

    return _checks


raw_table_checks = _suite_checks(
    "raw_table_checks",
    [suite for suite in SUITES if runs_before_dbt(suite)],
    "Great Expectations suites on the raw tables, before dbt.",
)
model_checks = _suite_checks(
    "model_checks",
    [suite for suite in SUITES if not runs_before_dbt(suite)],
    "Great Expectations suites on the intermediate models and the marts, before publication.",
)
quality_checks = [raw_table_checks, model_checks]
CHECKED_MODEL_KEYS = sorted(
    {suite_asset_key(s) for s in SUITES if not runs_before_dbt(s)} - FEEDS_THE_MODELS,
    key=lambda key: key.to_user_string(),
)

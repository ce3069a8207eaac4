"""Great Expectations suites (package `expectations`) run as Dagster asset checks.

Two ops validate the suites, each reporting one check per suite on the relation it
validates: one on the raw tables (it runs before dbt, and an error there stops dbt), one
on the intermediate models and marts (after dbt). The Great Expectations context is set
up once per op. The checks are blocking: downstream assets, and the gate, wait for them,
and Dagster itself stops the gate when an error-severity rule fails. The gate
(assets/publish.py) reads every check result of the run again before it publishes,
including the dbt tests, which Dagster does not block on.

A night scoped to some source families (night/scope.py) validates every suite too, those of
the tables it does not rebuild included: the same data as last night, checked again. Built
as above, those checks would run first, before the loads and dbt, each with its own
Great Expectations context (its import alone about 2 s of an increment night). For such a
night the checks are built with :func:`quality_checks_for` and the tables built tonight:
the suites of the other tables join the op after dbt and do not block (Dagster would
otherwise order them before dbt, whose models are downstream of them). They still run
before the gate, which holds publication back on any failed error rule of the run, theirs
included; what changes is only that dbt builds tonight's models when one of them fails.
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


def _suite_checks(
    name: str, suites: list[Suite], description: str, not_blocking: frozenset[dg.AssetKey] = frozenset()
) -> dg.AssetChecksDefinition:
    """One op validating ``suites``; the checks on the assets in ``not_blocking`` (and those
    feeding the models) never block."""

    @dg.multi_asset_check(
        name=name,
        description=description,
        specs=[
            dg.AssetCheckSpec(
                name=check_name(suite.name),
                asset=suite_asset_key(suite),
                blocking=suite_asset_key(suite) not in FEEDS_THE_MODELS | not_blocking,
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


def quality_checks_for(built_tonight: frozenset[dg.AssetKey] | None = None) -> list[dg.AssetChecksDefinition]:
    """The two ops of checks. ``built_tonight``: the assets a scoped night materialises (None:
    the whole pipeline, and the definitions Dagster's tools load). The suites of a scoped
    night's other tables are then validated by the op after dbt, without blocking."""
    if built_tonight is None:
        before = [suite for suite in SUITES if runs_before_dbt(suite)]
        unchanged: frozenset[dg.AssetKey] = frozenset()
    else:
        before = [s for s in SUITES if runs_before_dbt(s) and suite_asset_key(s) in built_tonight]
        unchanged = frozenset(suite_asset_key(s) for s in SUITES) - built_tonight
    after = [suite for suite in SUITES if suite not in before]
    checks = [
        _suite_checks(
            "model_checks",
            after,
            "Great Expectations suites on the intermediate models and the marts, before publication.",
            not_blocking=unchanged,
        )
    ]
    if before:  # (a scoped night that loads no raw table with a suite has no such op)
        checks.insert(
            0,
            _suite_checks(
                "raw_table_checks", before, "Great Expectations suites on the raw tables, before dbt."
            ),
        )
    return checks


quality_checks = quality_checks_for()
raw_table_checks, model_checks = quality_checks
CHECKED_MODEL_KEYS = sorted(
    {suite_asset_key(s) for s in SUITES if not runs_before_dbt(s)} - FEEDS_THE_MODELS,
    key=lambda key: key.to_user_string(),
)

"""Whether tonight runs, and what: `plan_night`, called by `parwh run` and by the 01:00
schedule alike. Tonight's part of the pipeline is only what depends on the source families
with new data (the Dagster selection of that part: orchestration/selection.py).

A night whose new files belong to some source families rebuilds the dbt models downstream
of those families' raw tables, with their dbt tests. Models whose only raw input is the
file manifest (they name the file a figure came from) are views, always current; a table
of that kind would be rebuilt too. Every Great Expectations suite still runs: findings
are tracked from night to night, and a suite left out would make its open findings look
resolved. Publication copies every mart, rebuilt or not, so the published file is the same
as a full night's (tests/e2e/test_night_scope.py compares the two).

The whole pipeline runs when there is no published night to build on, when the code or a
setting that changes results differs from that night's, for ``--force`` and
``--full-refresh``, whenever the warehouse cannot tell what changed, and after a night that
died (``night_started.json`` left behind): such a night may have stopped anywhere, in the
middle of dbt too, so everything is rebuilt rather than trusting what it left. Files it
left pending or loaded without publishing them also make their families' part run
(`night_state.changed_families`), for a night that failed rather than died, and so do the
submissions withdrawn since the last published night (`parwh withdraw`): their families'
models are rebuilt without the withdrawn rows. The incremental record-level model only
adds what new records change, so withdrawing a record export drops it
(submissions/withdrawal.py) and tonight's part rebuilds it from all records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from night.state import (
    LastNight,
    changed_families,
    comparable_last_night,
    nothing_new,
    reasons_to_run,
    shared_warehouse_reads,
    spark_records_withdrawn,
    unfinished_night,
)
from settings import Settings

SCOPE_TAG = "parwh/scope"  # run tag: what tonight's run covers, in words
# run tag: rebuild the incremental models from all raw records (`parwh run --full-refresh`)
FULL_REFRESH_TAG = "parwh/full_refresh"
# run tag: the marts rebuilt by period rebuild only the periods tonight's records changed
# (dbt_project/macros/rebuilt_by_period.sql; NightPlan.rebuilds_records_periods_only)
RECORDS_PERIODS_TAG = "parwh/records_periods_only"
RECORDS_FAMILY = "dossier_records"  # the record-level exports (ingest/headers.py FAMILIES)


@dataclass(frozen=True)
class NightScope:
    """``families`` None: the whole pipeline; else the source families with new data."""

    families: frozenset[str] | None
    reason: str

    @property
    def is_whole(self) -> bool:
        return self.families is None

    def describe(self) -> str:
        if self.families is None:
            return f"whole pipeline ({self.reason})"
        if not self.families:
            return f"no source data changed ({self.reason}): checks and publication only"
        return f"only what depends on {', '.join(sorted(self.families))} ({self.reason})"


def night_scope(settings: Settings, *, whole: bool = False) -> NightScope:
    """Decide tonight's scope from the last published night and the inbox."""
    if whole:
        return NightScope(None, "requested")
    died = unfinished_night(settings)
    if died is not None:
        return NightScope(None, died.describe())
    last, reason = comparable_last_night(settings)
    if last is None:
        return NightScope(None, reason)
    families = changed_families(settings, last)
    if families is None:
        return NightScope(None, "cannot tell which source data changed")
    return NightScope(frozenset(families), reason)


@dataclass(frozen=True)
class NightPlan:
    """Tonight's decision. ``skipped_since``: the published night that tonight would repeat
    (nothing new: the night is skipped); else ``scope`` says what runs."""

    reasons: list[str] = field(default_factory=list)  # why tonight must run (said in the alert)
    skipped_since: LastNight | None = None
    scope: NightScope | None = None
    full_refresh: bool = False  # rebuild the incremental models from all records

    @property
    def skipped(self) -> bool:
        return self.skipped_since is not None

    @property
    def rebuilds_records_periods_only(self) -> bool:
        """Record exports are tonight's only new data, and the night before ended well (no
        reason to run but new files: nothing failed, died, was withdrawn or loaded since
        it published; the same code): every stored period of the marts rebuilt by period
        that ends before the first month tonight's records change is as it would be
        rebuilt, so only the later periods are."""
        return (
            not self.reasons
            and not self.full_refresh
            and self.scope is not None
            and self.scope.families == frozenset({RECORDS_FAMILY})
        )

    def run_tags(self) -> dict[str, str]:
        """The Dagster run's tags that say what tonight's run covers."""
        assert self.scope is not None, "a skipped night has no run"
        return {
            SCOPE_TAG: self.scope.describe(),
            **({FULL_REFRESH_TAG: "true"} if self.full_refresh else {}),
            **({RECORDS_PERIODS_TAG: "true"} if self.rebuilds_records_periods_only else {}),
        }


def plan_night(
    settings: Settings,
    *,
    force: bool = False,
    full_refresh: bool = False,
    reasons: list[str] | None = None,
) -> NightPlan:
    """Skip or run, and what to run. ``reasons``: why tonight must run, when the caller has
    already worked them out (`parwh run` prints them as it finds them); else found here.

    A night runs when there is a reason (the last night died, files pending, loaded or
    withdrawn after the last publication), for ``force`` and ``full_refresh``, and when the
    inbox or the code changed; on Spark a record export withdrawn since the last publication
    makes it a full refresh (`night.state.spark_records_withdrawn`)."""
    with shared_warehouse_reads():
        reasons = reasons_to_run(settings) if reasons is None else reasons
        if not full_refresh and spark_records_withdrawn(settings):
            full_refresh = True
        if not reasons and not force and not full_refresh:
            last = nothing_new(settings)
            if last is not None:
                return NightPlan(reasons=reasons, skipped_since=last)
        scope = night_scope(settings, whole=force or full_refresh)
    return NightPlan(reasons=reasons, scope=scope, full_refresh=full_refresh)


def skip_message(last: LastNight) -> str:
    return (
        f"nothing new since the night of {last.finished_at} (run {last.run_id}): no new "
        "inbox file and the same pipeline code"
    )


def record_skipped_night(settings: Settings, last: LastNight) -> None:
    """One line in <warehouse>/logs/skipped_nights.log per night skipped (CLI or schedule)."""
    log = settings.warehouse_dir / "logs" / "skipped_nights.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} nothing new since run {last.run_id}\n")

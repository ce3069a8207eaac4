"""The end of a night, written once: the run's summary (the findings history was recorded by
the gate, `expectations.history`, when the night reached it) → what a night that did not
publish leaves (since when nothing was published) → the alert, sent through every channel.

Called by `parwh run` after its run and by the run-status sensors after a scheduled run
(orchestration/schedules.py), so both nights end in the same words. Both read the run's outcome
from Dagster first (``orchestration/run_outcome.py``); nothing here imports Dagster.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from night.alerts import Alert, compose_alert, deliver
from night.state import read_last_night
from night.summary import RunOutcome, RunSummary, summarise_run
from settings import Settings


@dataclass(frozen=True)
class NightEnd:
    summary: RunSummary
    unpublished_since: str | None  # a night that did not publish: since when nothing was
    alert: Alert
    channels: list[str]  # where the alert went (log, webhook, email)


def not_published_since(settings: Settings) -> str:
    """What a night that did not publish leaves: since when nothing has been published, said
    by every such night until one publishes."""
    last = read_last_night(settings)
    if last is None or not settings.latest_path.exists():
        return "Chưa có lần công bố nào / Nothing has been published yet."
    return (
        f"Không có công bố mới từ {last.finished_at} (lần chạy {last.run_id[:8]}) / Nothing"
        f" published since {last.finished_at} (run {last.run_id[:8]}): {settings.latest_path}"
        " is still that night's."
    )


def finish_night(
    outcome: RunOutcome,
    settings: Settings,
    *,
    notes: list[str] | None = None,
    show: Callable[[RunSummary, str | None], None] | None = None,
) -> NightEnd:
    """Summary → unpublished-since → alert for the run ``outcome`` describes (what the
    orchestrator recorded of it). ``notes``: why tonight ran after a night that did not end
    well. ``show``: called with the summary before the alert is sent (the CLI prints it there)."""
    summary = summarise_run(outcome, settings.database_path)
    since = not_published_since(settings) if summary.exit_code != 0 else None
    if show is not None:
        show(summary, since)
    alert = compose_alert(summary, settings.database_path, notes=notes, unpublished_since=since)
    channels = deliver(alert, settings.warehouse_dir)
    return NightEnd(summary, since, alert, channels)

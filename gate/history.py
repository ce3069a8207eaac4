"""The gate at the end of a run's checks: record the findings history, then decide.

Every check of the run has written its findings by then (a run of part of the pipeline
splits the check ops into several steps), so new / still open / resolved are decided once,
here (``expectations.history``). A run that stops before the gate gets its history from the
alert (``night.alerts``).
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from expectations.history import record_finding_history
from gate.decision import CheckOutcome, GateDecision, decide


def pass_gate(con: duckdb.DuckDBPyConnection, run_id: str, checks: Iterable[CheckOutcome]) -> GateDecision:
    """Record the run's findings history, then decide (:func:`gate.decision.decide`)."""
    history = record_finding_history(con, run_id)
    return GateDecision(blocking=decide(checks).blocking, history=history)

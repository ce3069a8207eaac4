"""Publish or hold back: the failing error-severity checks of a run block its publication.

The checks arrive as plain data (:class:`CheckOutcome`; ``orchestration/run_outcome.py`` reads
them from Dagster's event log). Pure and light (the summary imports :class:`CheckOutcome`);
``gate.history.pass_gate`` records the findings history, then decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # expectations is heavy; the decision itself needs none of it
    from expectations.history import HistoryCounts

ERROR = "error"
WARN = "warn"

#: what a night held back by the gate says (the Dagster failure's description)
HOLD_BACK_MESSAGE = "Quality gate: publication held back; the previous published/latest.duckdb is unchanged."


@dataclass(frozen=True)
class CheckOutcome:
    """One check of a run: a Great Expectations suite (``gx_<suite>``) or a dbt test."""

    asset: str  # the checked asset, e.g. "marts/fct_staffing"
    check_name: str
    passed: bool
    severity: str  # "error" or "warn"
    #: the rules of a Great Expectations suite that failed (its check's metadata)
    failed_rules: tuple[str, ...] = ()

    @property
    def blocks(self) -> bool:
        """A failed error-severity check holds publication back."""
        return not self.passed and self.severity == ERROR

    def label(self) -> str:
        """``asset: check`` (the lines of the held-back message)."""
        return f"{self.asset}: {self.check_name}"


@dataclass(frozen=True)
class GateDecision:
    #: the checks that hold publication back, in the run's order (none: publish)
    blocking: tuple[CheckOutcome, ...] = ()
    #: the findings history the gate recorded (``gate.history.pass_gate``; ``None`` when only
    #: decided, :func:`decide`)
    history: HistoryCounts | None = None

    @property
    def publish(self) -> bool:
        return not self.blocking

    def blocking_text(self) -> str:
        """The blocking checks, one ``asset: check`` a line."""
        return "\n".join(check.label() for check in self.blocking)


def decide(checks: Iterable[CheckOutcome]) -> GateDecision:
    """Publish unless an error-severity check failed (warnings never block)."""
    return GateDecision(blocking=tuple(check for check in checks if check.blocks))

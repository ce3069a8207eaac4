"""Aggregated one-stop-shop figures for one unit, period and authority level."""

from __future__ import annotations

from dataclasses import dataclass, replace
from random import Random

from demo._common import pct


@dataclass(frozen=True)
class DossierFigures:
    carried_in: int
    received: int
    received_online: int
    received_postal: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    pending_not_due: int
    pending_overdue: int
    # A stated "Đã giải quyết" total that differs from its parts (a planted defect); None = parts.
    stated_resolved: int | None = None
    # Dossiers withdrawn by the applicant (công dân rút hồ sơ) and stopped (dừng xử lý):
    # neither resolved nor pending. Only files with those columns state them.
    withdrawn: int = 0
    stopped: int = 0

    @property
    def resolved(self) -> int:
        if self.stated_resolved is not None:
            return self.stated_resolved
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def resolved_parts(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending(self) -> int:
        return self.pending_not_due + self.pending_overdue

    @property
    def in_time(self) -> int:
        """Early + on time: 'sớm hạn và đúng hạn'."""
        return self.resolved_early + self.resolved_on_time

    def is_balanced(self) -> bool:
        return (
            self.resolved == self.resolved_parts
            and self.carried_in + self.received
            == self.resolved + self.pending + self.withdrawn + self.stopped
            and self.received_online + self.received_postal <= self.received
            and min(self.as_tuple()) >= 0
        )

    def as_tuple(self) -> tuple[int, ...]:
        return (
            self.carried_in,
            self.received,
            self.received_online,
            self.received_postal,
            self.resolved,
            self.resolved_early,
            self.resolved_on_time,
            self.resolved_late,
            self.pending_not_due,
            self.pending_overdue,
        )

    def __add__(self, other: DossierFigures) -> DossierFigures:
        return DossierFigures(
            self.carried_in + other.carried_in,
            self.received + other.received,
            self.received_online + other.received_online,
            self.received_postal + other.received_postal,
            self.resolved_early + other.resolved_early,
            self.resolved_on_time + other.resolved_on_time,
            self.resolved_late + other.resolved_late,
            self.pending_not_due + other.pending_not_due,
            self.pending_overdue + other.pending_overdue,
            None
            if self.stated_resolved is None and other.stated_resolved is None
            else self.resolved + other.resolved,
            self.withdrawn + other.withdrawn,
            self.stopped + other.stopped,
        )

    def with_stated_resolved(self, value: int) -> DossierFigures:
        return replace(self, stated_resolved=value)

    def with_withdrawn_and_stopped(self, withdrawn: int, stopped: int) -> DossierFigures:
        """Some of the dossiers counted resolved on time were in fact withdrawn or stopped."""
        withdrawn = min(withdrawn, self.resolved_on_time)
        stopped = min(stopped, self.resolved_on_time - withdrawn)
        return replace(
            self,
            resolved_on_time=self.resolved_on_time - withdrawn - stopped,
            withdrawn=withdrawn,
            stopped=stopped,
        )

    def expected(self) -> dict[str, int | float]:
        """The figures and the rates the reports publish (half up, two decimals)."""
        return {
            "carried_in": self.carried_in,
            "received": self.received,
            "received_online": self.received_online,
            "received_postal": self.received_postal,
            "resolved": self.resolved,
            "resolved_early": self.resolved_early,
            "resolved_on_time": self.resolved_on_time,
            "resolved_in_time": self.in_time,
            "resolved_late": self.resolved_late,
            "pending_not_due": self.pending_not_due,
            "pending_overdue": self.pending_overdue,
            "withdrawn": self.withdrawn,
            "stopped": self.stopped,
            "resolved_rate_pct": pct(self.resolved, self.received),
            "in_time_rate_pct": pct(self.in_time, self.resolved),
            "late_rate_pct": pct(self.resolved_late, self.resolved),
        }


ZERO = DossierFigures(0, 0, 0, 0, 0, 0, 0, 0, 0)


def total(items: list[DossierFigures]) -> DossierFigures:
    out = ZERO
    for f in items:
        out = out + f
    return out


def split_count(rng: Random, n: int, share_low: float, share_high: float) -> tuple[int, int]:
    """Split n into (a, n - a) with a ≈ n × U(share_low, share_high)."""
    a = round(n * rng.uniform(share_low, share_high))
    a = max(0, min(n, a))
    return a, n - a


def allocate(total_value: int, weights: list[float]) -> list[int]:
    """Largest-remainder allocation of an integer total by weights (deterministic)."""
    s = sum(weights)
    raw = [total_value * w / s for w in weights]
    base = [int(x) for x in raw]
    rest = total_value - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in order[:rest]:
        base[i] += 1
    return base

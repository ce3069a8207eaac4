"""Check results: counts only, never row values (rows may carry personal data)."""

from __future__ import annotations

from dataclasses import dataclass, field

from expectations.spec import Severity


@dataclass(frozen=True)
class RuleResult:
    rule: str
    severity: Severity
    success: bool
    unexpected_count: int
    element_count: int
    message_en: str


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    asset_key: tuple[str, ...]
    success: bool
    worst_failed_severity: Severity | None
    rule_results: list[RuleResult]
    findings_written: int
    #: why nothing (or not everything) was validated: "table is empty", "table does not exist" …
    note: str | None = None
    duration_seconds: float = field(default=0.0, compare=False)

    @property
    def blocks_publication(self) -> bool:
        return self.worst_failed_severity == "error"


def worst_failed(rule_results: list[RuleResult]) -> Severity | None:
    failed = {r.severity for r in rule_results if not r.success}
    if "error" in failed:
        return "error"
    if "warn" in failed:
        return "warn"
    return None

"""What a generator run wrote, and the figures a warehouse built on it must publish."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from demo._common import sha256_bytes, write_bytes

Family = Literal[
    "dossiers",
    "dossier_records",
    "staff",
    "budget",
    "surveys",
    "self_assessment",
    "procedure_catalogue",
    "portal_766_scores",
    "narrative_reports",
]
# "load": loads cleanly; "reject": the ingest must reject the whole file;
# "warn": loads, but a warn-level quality finding is expected;
# "block": loads, but an error-level finding must stop publication (quality gate).
Outcome = Literal["load", "reject", "warn", "block"]


@dataclass(frozen=True)
class DemoFile:
    name: str
    family: Family
    size_bytes: int
    sha256: str
    outcome: Outcome = "load"
    note: str = ""


@dataclass
class DemoSummary:
    inbox: Path
    seed: int
    files: list[DemoFile] = field(default_factory=list)
    # Hand-checkable figures, keyed by a short description; see demo/README in the module docs.
    expected: dict[str, Any] = field(default_factory=dict)

    def file(self, name: str) -> DemoFile:
        for f in self.files:
            if f.name == name:
                return f
        raise KeyError(name)

    def names(self, family: Family | None = None) -> list[str]:
        return [f.name for f in self.files if family is None or f.family == family]


class Writer:
    """Writes files into an inbox and records them for the summary."""

    def __init__(self, inbox: Path) -> None:
        self.inbox = inbox
        self.files: list[DemoFile] = []

    def put(
        self,
        name: str,
        family: Family,
        data: bytes,
        outcome: Outcome = "load",
        note: str = "",
    ) -> None:
        if any(f.name == name for f in self.files):
            raise ValueError(f"duplicate demo file name {name}")
        write_bytes(self.inbox / name, data)
        self.files.append(DemoFile(name, family, len(data), sha256_bytes(data), outcome, note))

    def sorted_files(self) -> list[DemoFile]:
        return sorted(self.files, key=lambda f: f.name)

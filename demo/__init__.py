"""Deterministic generator of realistic PAR Warehouse submissions (demo inbox).

    generate_demo_inbox(inbox, seed=20231231) -> DemoSummary   # full demo, four provinces
    generate_small_inbox(inbox) -> DemoSummary                 # four tiny hand-checkable files
    write_blocking_defect(inbox) -> DemoFile                   # budget at 200 % of plan

Generated files are never committed.
"""

from demo.generate import (
    DEFAULT_SEED,
    generate_demo_inbox,
    generate_small_inbox,
    write_blocking_defect,
)
from demo.summary import DemoFile, DemoSummary

__all__ = [
    "DEFAULT_SEED",
    "DemoFile",
    "DemoSummary",
    "generate_demo_inbox",
    "generate_small_inbox",
    "write_blocking_defect",
]

"""Writing a large publication's reports without Python's cyclic garbage collector.

The reports of 1M records hold some 2M values at once (query rows, a sheet's data lines);
every few thousand new objects the collector walks them all again, though none is part
of a cycle (rows, lines, texts and numbers are freed when their count drops). Measured on
the 1M-record publication: the workbook's CPU time 3.7 s with the collector, 3.2 s without
it. Memory is unchanged: nothing the reports make waits for the collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """The collector off inside the block, as it was after it (a cycle made meanwhile is
    collected later)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

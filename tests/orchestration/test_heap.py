"""The garbage collector of the night's processes (engines/heap.py): off during start-up, the
start-up's heap frozen when the run starts, everything as it was afterwards."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from engines.heap import paused_until_frozen, without_cyclic_gc


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    gc.unfreeze()
    yield
    gc.unfreeze()
    if not was:
        gc.disable()


def test_start_up_runs_without_the_collector_and_the_run_walks_only_what_it_makes(collector_on: None) -> None:
    made_at_start_up = [[] for _ in range(1000)]
    with paused_until_frozen() as start_of_run:
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
        start_of_run()
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        # what start-up made (and everything else alive) is in the permanent generation
        assert frozen >= len(made_at_start_up)
        start_of_run()  # a second call changes nothing
        assert gc.get_freeze_count() == frozen
    # thawed: a caller running the night in its own process keeps its own collector
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_garbage_made_before_the_freeze_is_collected_not_frozen(collector_on: None) -> None:
    class Node:
        pass

    with paused_until_frozen() as start_of_run:
        cycle = Node()
        cycle.self = cycle  # garbage only the collector can free
        alive = weakref.ref(cycle)
        del cycle
        assert alive() is not None  # the collector is off
        start_of_run()
        assert alive() is None


def test_a_night_that_ends_before_its_run_restores_the_collector(collector_on: None) -> None:
    with pytest.raises(RuntimeError), paused_until_frozen():
        raise RuntimeError("no new file")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0

    gc.disable()
    with paused_until_frozen() as start_of_run:
        start_of_run()
        assert not gc.isenabled()  # off before: stays off
    assert not gc.isenabled()


def test_reports_are_written_without_the_collector(collector_on: None) -> None:
    with without_cyclic_gc():
        assert not gc.isenabled()
    assert gc.isenabled()

from __future__ import annotations

from pathlib import Path

import pytest

from demo import DemoSummary, generate_demo_inbox, generate_small_inbox


@pytest.fixture(scope="session")
def demo_inbox(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return generate_demo_inbox(tmp_path_factory.mktemp("demo") / "inbox")


@pytest.fixture(scope="session")
def small_inbox(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return generate_small_inbox(tmp_path_factory.mktemp("small") / "inbox")


@pytest.fixture()
def inbox_path(demo_inbox: DemoSummary) -> Path:
    return demo_inbox.inbox

from __future__ import annotations

import pytest

from orchestration.dbt_project import prepare_manifest


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest() -> None:
    """The manifest the Dagster definitions load (dbt parse, only when stale)."""
    prepare_manifest()

import pytest


@pytest.fixture(autouse=True, scope="session")
def _manifest(dbt_manifest):
    """Every end-to-end test loads the Dagster definitions."""
    return dbt_manifest

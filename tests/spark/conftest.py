import pytest


@pytest.fixture(autouse=True, scope="session")
def _manifest(dbt_manifest):
    """The Spark tests load the Dagster definitions."""
    return dbt_manifest

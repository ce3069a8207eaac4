"""The dbt graph runs one way: staging → intermediate → marts (issue 17).

Read from the manifest of `dbt parse` (no warehouse needed): every model's folder under
models/ says its layer, and a model may read only the layers below its own.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from engines.dbt import DBT_PROJECT_DIR, dbt_executable

#: what each layer may read (models by their layer, plus sources and seeds); quality rules
#: (models/quality) check any relation
ALLOWED = {
    "staging": {"source"},
    "intermediate": {"staging", "intermediate", "seed"},
    "marts": {"intermediate", "marts", "seed"},
    "quality": {"source", "staging", "intermediate", "marts", "quality", "seed"},
}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    target = tmp_path_factory.mktemp("dbt_target")
    env = {**os.environ, "PARWH_WAREHOUSE": str(target / "warehouse")}
    result = subprocess.run(
        [dbt_executable(), "parse", "--target-path", str(target), "--no-partial-parse",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    return json.loads((target / "manifest.json").read_text())


def _layer(node: dict) -> str:
    if node["resource_type"] in ("source", "seed"):
        return node["resource_type"]
    return Path(node["original_file_path"]).parts[1]  # models/<layer>/…


def test_every_model_sits_in_a_known_layer(manifest: dict) -> None:
    layers = {
        node["name"]: _layer(node) for node in manifest["nodes"].values() if node["resource_type"] == "model"
    }
    assert set(layers.values()) <= set(ALLOWED), layers
    # the layers hold what they should: a published mart in marts, a roll-up in intermediate
    assert layers["rankings"] == "marts"
    assert layers["dim_admin_units"] == "marts"
    assert layers["int_admin_units"] == "intermediate"
    assert layers["stg_raw__dossiers"] == "staging"


def test_models_read_only_the_layers_below(manifest: dict) -> None:
    nodes = {**manifest["nodes"], **manifest["sources"]}
    wrong = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model":
            continue
        layer = _layer(node)
        for parent_id in node["depends_on"]["nodes"]:
            parent = nodes[parent_id]
            if _layer(parent) not in ALLOWED[layer]:
                path = node["original_file_path"]
                wrong.append(f"{path} ({layer}) reads {parent['name']} ({_layer(parent)})")
    assert wrong == []


def test_intermediate_models_sit_in_folders_by_concern(manifest: dict) -> None:
    """models/intermediate/<concern>/ and models/marts/<concern>/, one YAML per folder."""
    loose = [
        node["original_file_path"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and _layer(node) in ("intermediate", "marts")
        and len(Path(node["original_file_path"]).parts) != 4
    ]
    assert loose == []
    for layer in ("intermediate", "marts"):
        for folder in (DBT_PROJECT_DIR / "models" / layer).iterdir():
            if folder.is_dir():
                assert len(list(folder.glob("*.yml"))) == 1, folder


def test_the_latest_file_rule_is_written_once() -> None:
    """ "The latest file wins" is the macro latest_submission, not a window in each model."""
    models = DBT_PROJECT_DIR / "models" / "intermediate" / "submissions"
    users = sorted(p.stem for p in models.glob("*.sql") if "latest_submission(" in p.read_text())
    assert users == [
        "int_budget_submissions_latest",
        "int_dossier_submissions_latest",
        "int_index_appraised_scores",
        "int_index_self_scores",
        "int_portal_766_scores_latest",
        "int_procedure_catalogue_latest",
        "int_published_index_results_latest",
        "int_self_assessment_submissions_latest",
        "int_staff_submissions_latest",
        "int_survey_forms_aggregated",
        "int_survey_results_unioned",
    ]
    for path in models.glob("*.sql"):
        assert "order by max(loaded_at) desc" not in path.read_text(), path

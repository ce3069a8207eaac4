"""yamlfiles reads the project's YAML with libyaml: the same documents as PyYAML's own safe
loader, for every YAML file of the project."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import yamlfiles

ROOT = Path(__file__).resolve().parent.parent
#: the folders whose YAML the pipeline reads (declarations, rules, documentation)
DECLARED = ("dbt_project", "ingest", "expectations", "narratives", "rubrics", "settings", "reports")


def _project_yaml() -> list[Path]:
    found = []
    for folder in DECLARED:
        for pattern in ("*.yml", "*.yaml"):
            found += [p for p in (ROOT / folder).rglob(pattern) if "target" not in p.parts]
    return sorted(found)


def test_libyaml_is_used_here() -> None:
    assert yaml.__with_libyaml__
    assert yamlfiles.LOADER is yaml.CSafeLoader


def test_the_project_has_yaml_to_read() -> None:
    names = {p.name for p in _project_yaml()}
    assert {"dbt_project.yml", "_raw__sources.yml", "vocabulary.yaml", "rules.yaml"} <= names
    assert len(names) > 20


@pytest.mark.parametrize("path", _project_yaml(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_project_yaml_reads_as_safe_load_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yamlfiles.read(path) == yaml.safe_load(text)
    assert yamlfiles.load(text.encode("utf-8")) == yaml.safe_load(text)


def test_a_document_safe_load_refuses_is_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        yamlfiles.load("!!python/object/apply:os.system ['true']")

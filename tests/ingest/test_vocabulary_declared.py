"""Issue 17 point 5: the vocabulary is declared once, in files Python and dbt both read.

Unit kinds and their authority levels are the seed dbt_project/seeds/unit_kinds.csv; the
2025 reorganisation date is the var ``reorganisation_date`` of dbt_project.yml. These tests
read those files and the Python constants that used to repeat them.
"""

from __future__ import annotations

import csv
from datetime import date

import yaml

from ingest import admin_units, aggregated, vocabulary
from ingest.raw_tables import raw_table
from reports import html, templates

SEEDS = vocabulary.DBT_PROJECT_DIR / "seeds"


def test_unit_kind_levels_come_from_the_seed():
    assert vocabulary.kind_levels() == {
        "province": "tinh",
        "district": "huyen",
        "commune": "xa",
        "department": "tinh",
    }
    assert vocabulary.kind_levels() == aggregated.KIND_LEVEL
    assert vocabulary.kind_levels() == templates.KIND_LEVEL
    # every level of a unit kind is an authority level of the vocabulary
    assert set(vocabulary.kind_levels().values()) == set(vocabulary.terms("authority_levels"))


def test_scored_level_is_the_level_the_rubrics_read():
    """The reports' trend level of a unit kind (a province: all) is the level its rubric
    criteria read for dossier and survey indicators (rubric_criteria.csv)."""
    assert vocabulary.scored_levels() == {
        "province": "all",
        "district": "huyen",
        "commune": "xa",
        "department": "tinh",
    }
    assert vocabulary.scored_levels() == html.LEVEL_OF_KIND
    with open(SEEDS / "rubric_criteria.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    read = {
        (r["unit_kind"], r["authority_level"])
        for r in rows
        if r["indicator_code"] in ("dossier_on_time_rate", "survey_satisfaction_rate")
    }
    assert ("province", "all") in read and ("province", "tinh") not in read
    for kind, level in vocabulary.scored_levels().items():
        if kind == "department":  # scored by the 766 index only: no PAR rubric of its own
            assert not any(r["unit_kind"] == kind for r in rows)
            continue
        assert (kind, level) in read, (kind, level)


def test_seed_is_typed_in_the_seeds_yaml():
    spec = yaml.safe_load((SEEDS / "_seeds.yml").read_text(encoding="utf-8"))
    [seed] = [s for s in spec["seeds"] if s["name"] == "unit_kinds"]
    with open(SEEDS / "unit_kinds.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert list(seed["config"]["column_types"]) == header
    assert [c["name"] for c in seed["columns"]] == header


def test_reorganisation_date_is_the_dbt_var():
    project = yaml.safe_load((vocabulary.DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["reorganisation_date"] == "2025-07-01"
    assert vocabulary.reorganisation_date() == date(2025, 7, 1)
    assert date(2025, 7, 1) == admin_units.REORGANISATION_DATE
    assert date(2025, 6, 30) == admin_units.LEGACY_VALID_TO
    assert date(2025, 7, 1) == templates.REFORM_DATE
    assert admin_units.era_for(date(2025, 6, 30)) == "legacy"
    assert admin_units.era_for(date(2025, 7, 1)) == "current"


def _dbt_yaml(relative: str) -> dict:
    return yaml.safe_load((vocabulary.DBT_PROJECT_DIR / relative).read_text(encoding="utf-8"))


def _accepted_values(spec: dict, model: str, column: str) -> list[str]:
    [entry] = [m for m in spec["models"] if m["name"] == model]
    [col] = [c for c in entry["columns"] if c["name"] == column]
    [test] = [t for t in col["data_tests"] if isinstance(t, dict) and "accepted_values" in t]
    return list(test["accepted_values"]["arguments"]["values"])


def test_staff_categories_are_the_dbt_var():
    """Staff categories are declared once (the var staff_categories of dbt_project.yml):
    the vocabulary's labels, the macro's measures and the mart's accepted values agree."""
    declared = _dbt_yaml("dbt_project.yml")["vars"]["staff_categories"]
    codes = ["can_bo", "cong_chuc", "vien_chuc_giao_duc", "vien_chuc_y_te", "vien_chuc_khac", "hop_dong"]
    assert list(declared) == codes
    assert list(vocabulary.terms("staff_categories")) == codes
    assert vocabulary.label("staff_categories", "vien_chuc_giao_duc") == "Viên chức giáo dục"
    assert vocabulary.label("staff_categories", "hop_dong", "en") == "contract staff"
    assert vocabulary.lookup("staff_categories", "VIÊN CHỨC Y TẾ") == "vien_chuc_y_te"
    assert vocabulary.staff_category("Viên chức sự nghiệp GD&ĐT") == "vien_chuc_giao_duc"
    assert templates.STAFF_CATEGORIES[0] == "Cán bộ" and len(templates.STAFF_CATEGORIES) == 6
    assert "staff_categories" not in yaml.safe_load(vocabulary.VOCABULARY_PATH.read_text(encoding="utf-8"))
    macro = (vocabulary.DBT_PROJECT_DIR / "macros" / "unit_measures.sql").read_text(encoding="utf-8")
    assert "var('staff_categories')" in macro and "'can_bo'" not in macro
    # the published mart's accepted values (a dbt test) name the same codes
    assert _accepted_values(_dbt_yaml("models/marts/core/_core.yml"), "fct_staffing", "category") == codes


def test_dossier_measures_are_the_raw_dossiers_count_columns():
    """Dossier measures: the vocabulary declares the words and labels, the raw table
    declaration (sources YAML) its columns; every count the vocabulary can read is a column of
    raw.dossiers and every count column of raw.dossiers is a measure of the vocabulary."""
    columns = set(raw_table("dossiers").column_names)
    bookkeeping = {
        "file_id",
        "source_row",
        "unit_code",
        "submitted_unit",
        "authority_level",
        "period_start",
        "period_end",
        "field",
        "is_total_row",
        "loaded_at",
    }
    counts = columns - bookkeeping
    assert counts == set(aggregated.DOSSIER_COUNTS)
    # the one measure without a column of its own is loaded into resolved_on_time
    assert set(vocabulary.DOSSIER_MEASURES) - counts == {"resolved_early_or_on_time"}
    assert vocabulary.measure_label("resolved_late") == "Giải quyết quá hạn"

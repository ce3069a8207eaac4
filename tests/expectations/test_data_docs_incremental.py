"""The Data Docs site is brought up to date incrementally: each stored validation result is
rendered once (a check step no longer renders every result kept), the index lists every
result kept, every page stays offline, and a call that validated nothing leaves the site."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from expectations import run_quality_checks
from expectations.data_docs_offline import external_references
from expectations.gx_runner import docs_up_to_date, results_dir

SUITES = ["fct_budget_disbursement", "rankings"]


def pages(site: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (site / "validations").rglob("*.html")}


def indexed(site: Path) -> set[Path]:
    text = (site / "index.html").read_text(encoding="utf-8")
    return {site / link for link in re.findall(r"validations/[^\"'\s]+?\.html", text)}


def assert_complete(site: Path) -> None:
    """Every stored result has its page, the index lists exactly those, nothing is fetched."""
    results = results_dir(site)
    stored = {
        site.joinpath("validations", p.relative_to(results)).with_suffix(".html")
        for p in results.rglob("*.json")
    }
    assert stored and stored == set(pages(site)) == indexed(site)
    for page in [*site.rglob("*.html"), *(site / "static" / "styles").glob("*.css")]:
        if "vendor" not in page.parts:
            assert external_references(page.read_text(encoding="utf-8")) == [], page


def test_each_result_is_rendered_once_and_the_index_lists_them_all(build: Any, tmp_path: Path) -> None:
    con = build()
    site = tmp_path / "docs" / "quality"
    run_quality_checks(con, "night-1", SUITES, docs_dir=site)
    first = pages(site)
    assert len(first) == len(SUITES)
    assert_complete(site)

    run_quality_checks(con, "night-2", SUITES, docs_dir=site)
    second = pages(site)
    assert len(second) == 2 * len(SUITES)
    # the pages of the first night's results were not rendered again
    assert {p: second[p] for p in first} == first
    assert_complete(site)
    assert sorted(p.stem for p in (site / "expectations").glob("*.html")) == [
        "fct_budget_disbursement_1",
        "rankings_2",
    ]


def test_a_missing_page_is_rendered_again(build: Any, tmp_path: Path) -> None:
    con = build()
    site = tmp_path / "docs" / "quality"
    run_quality_checks(con, "night-1", SUITES, docs_dir=site)
    lost = next(iter(pages(site)))
    lost.unlink()
    assert not docs_up_to_date(site)
    run_quality_checks(con, "night-2", ["rankings"], docs_dir=site)
    assert lost.is_file()
    assert_complete(site)


def test_a_call_that_validated_nothing_leaves_an_up_to_date_site(build: Any, tmp_path: Path) -> None:
    con = build()
    site = tmp_path / "docs" / "quality"
    run_quality_checks(con, "night-1", SUITES, docs_dir=site)
    assert docs_up_to_date(site)
    index = (site / "index.html").stat().st_mtime_ns
    empty = build(skip=["raw.dossiers"])  # a raw table not loaded: its suite validates nothing
    (result,) = run_quality_checks(empty, "night-1", ["raw_dossiers"], docs_dir=site)
    assert result.success and result.note == "table does not exist"
    assert (site / "index.html").stat().st_mtime_ns == index
    assert_complete(site)


def test_a_first_call_that_validated_nothing_still_builds_the_site(build: Any, tmp_path: Path) -> None:
    site = tmp_path / "docs" / "quality"
    empty = build(skip=["raw.dossiers"])
    run_quality_checks(empty, "night-1", ["raw_dossiers"], docs_dir=site)
    assert (site / "index.html").is_file()
    assert external_references((site / "index.html").read_text(encoding="utf-8")) == []

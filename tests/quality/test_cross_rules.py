"""The cross-table rules of issue #5 on a small hand-made warehouse, validated by GX."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from expectations import run_quality_checks
from expectations.cross_suites import CROSS_SUITES, DEADLINE_ENV
from expectations.quality_views import build_quality_views

D = dt.date
UNITS = [  # unit_code, unit_name, unit_kind, province_code, parent_code, valid_from, valid_to
    ("L87", "Tỉnh Đồng Tháp", "province", None, None, None, D(2025, 6, 30)),
    ("L866", "Thành phố Cao Lãnh", "district", "L87", "L87", None, D(2025, 6, 30)),
    ("L867", "Thành phố Sa Đéc", "district", "L87", "L87", None, D(2025, 6, 30)),
    ("L30001", "Phường 1", "commune", "L87", "L866", None, D(2025, 6, 30)),
    ("L30002", "Phường 2", "commune", "L87", "L866", None, D(2025, 6, 30)),
    # twelve communes of Sa Đéc that sent nothing for 2023 (named 'Xã 03' … 'Xã 14')
    *((f"L301{i:02d}", f"Xã {i:02d}", "commune", "L87", "L867", None, D(2025, 6, 30)) for i in range(3, 15)),
    ("82", "Tỉnh Đồng Tháp", "province", None, None, D(2025, 7, 1), None),
]


def _dossier(unit: str, start: D, end: D, received: int, resolved: int, late: int = 0, level: str = "huyen"):
    label = str(end.year) if (start.month, end.month, end.day) == (1, 12, 31) else f"{end.year}-{end:%m}"
    return (unit, level, label, start, end, received, resolved, late, f"{unit}.xlsx", 7)


def _build(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    for schema in ("marts", "raw"):
        con.execute(f"create schema {schema}")
    con.execute(
        "create table marts.dim_admin_units(unit_code varchar, unit_name varchar, unit_kind varchar,"
        " province_code varchar, parent_code varchar, valid_from date, valid_to date)"
    )
    con.executemany("insert into marts.dim_admin_units values (?, ?, ?, ?, ?, ?, ?)", UNITS)
    con.execute(
        "create table marts.fct_dossier_stats(unit_code varchar, authority_level varchar,"
        " period_label varchar, period_start date, period_end date, received bigint,"
        " resolved bigint, resolved_late bigint, source_file varchar, source_row bigint)"
    )
    y = [
        _dossier("L866", D(year, 1, 1), D(year, 12, 31), n, n)
        for year, n in ((2019, 1000), (2020, 1050), (2021, 980), (2022, 1020), (2023, 3000))
    ]  # 2023: anomaly
    ytd = [
        _dossier("L867", D(2023, 1, 1), D(2023, 3, 31), 300, 290),
        _dossier("L867", D(2023, 1, 1), D(2023, 6, 30), 250, 240),  # shrinks: YTD finding
        _dossier("L867", D(2023, 1, 1), D(2023, 12, 31), 900, 880),
    ]
    levels = [  # L866 at commune level states 100 received; its two communes add up to 90
        _dossier("L866", D(2023, 1, 1), D(2023, 12, 31), 100, 100, level="xa"),
        _dossier("L30001", D(2023, 1, 1), D(2023, 12, 31), 40, 40, level="xa"),
        _dossier("L30002", D(2023, 1, 1), D(2023, 12, 31), 50, 60, level="xa"),
    ]
    bad_unit = [_dossier("L999", D(2023, 1, 1), D(2023, 12, 31), 5, 5)]  # unknown unit
    expired = [_dossier("L867", D(2025, 7, 1), D(2025, 12, 31), 5, 5)]  # after the merger
    con.executemany(
        "insert into marts.fct_dossier_stats values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        y + ytd + levels + bad_unit + expired,
    )
    con.execute(
        "create table marts.fct_survey_satisfaction(unit_code varchar, period_label varchar,"
        " period_start date, period_end date, source_file varchar, source_row bigint)"
    )
    con.execute(
        "create table marts.fct_budget_disbursement(unit_code varchar, fiscal_year integer,"
        " as_of_date date, period_label varchar, disbursed_mvnd decimal(18,3),"
        " source_file varchar, source_row bigint)"
    )
    con.executemany(
        "insert into marts.fct_budget_disbursement values (?, 2023, ?, null, ?, 'b.csv', ?)",
        [("L866", D(2023, 6, 30), 500, 7), ("L866", D(2023, 9, 30), 450.5, 8)],
    )
    con.execute(
        "create table marts.fct_staffing(unit_code varchar, as_of_date date,"
        " source_file varchar, source_row bigint)"
    )
    con.execute(
        "create table raw.file_manifest(file_id varchar, file_name varchar,"
        " source_family varchar, status varchar, loaded_at timestamp)"
    )
    con.executemany(
        "insert into raw.file_manifest values (?, ?, 'budget', 'loaded', ?)",
        [("f1", "on_time.csv", dt.datetime(2023, 7, 10)), ("f2", "late.csv", dt.datetime(2023, 11, 30))],
    )
    con.execute("create table raw.budget(file_id varchar, as_of_date date)")
    con.executemany("insert into raw.budget values (?, ?)", [("f1", D(2023, 6, 30)), ("f2", D(2023, 9, 30))])
    for table, column in (("dossiers", "period_end"), ("surveys", "period_end"), ("staff", "as_of_date")):
        con.execute(f"create table raw.{table}(file_id varchar, {column} date)")
    con.execute("create table raw.dossier_records(file_id varchar, received_at timestamp)")
    return con


@pytest.fixture(scope="module")
def checked_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, list[tuple], Path]:
    """The hand-made warehouse, its quality views built by dbt (models/quality), checked once."""
    root = tmp_path_factory.mktemp("cross_rules")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv(DEADLINE_ENV, "15")
        database = root / "warehouse.duckdb"
        _build(database).close()
        # no raw tables, no intermediate schema and no index marts here: the staging and
        # intermediate views the quality views read, carried_in_continuity
        # (tests/quality/test_carried_in_continuity.py) and the PAR INDEX views
        # (tests/e2e/test_self_assessment_load.py, tests/e2e/test_index_stages.py)
        index_views = [
            "index_criteria_not_stated",
            "index_self_assessment_vs_rubric",
            "index_self_scores_vs_data",
        ]
        upstream_views = ["path:models/staging", "path:models/intermediate"]
        build_quality_views(database, exclude=["carried_in_continuity", *index_views, *upstream_views])
        con = duckdb.connect(str(database))
        docs = root / "docs" / "quality"
        results = run_quality_checks(con, "r1", [s.name for s in CROSS_SUITES], docs_dir=docs)
    failed = {
        r.rule: (r.severity, r.unexpected_count) for s in results for r in s.rule_results if not r.success
    }
    findings = con.execute(
        "select rule, unit_code, period_label, source_file, finding_key, message, message_vi, details"
        " from marts.data_quality_findings order by rule, unit_code, period_label"
    ).fetchall()
    con.close()
    return failed, findings, root


@pytest.fixture
def checked(checked_run: tuple[dict, list[tuple], Path]) -> tuple[dict, list[tuple]]:
    return checked_run[0], checked_run[1]


def _messages(findings: list[tuple], rule: str) -> list[tuple]:
    return [f for f in findings if f[0] == rule]


def test_each_planted_defect_fails_exactly_its_rule(checked) -> None:
    failed, _ = checked
    assert failed == {
        "submitted_by_deadline": ("warn", 1),
        "unit_total_matches_children": ("warn", 1),
        "ytd_received_not_shrinking": ("warn", 1),
        "ytd_resolved_not_shrinking": ("warn", 1),
        "ytd_disbursed_not_shrinking": ("warn", 1),
        "received_within_unit_history": ("warn", 1),
        "unit_code_valid_for_period": ("error", 2),
        # one finding per province, year and source: L867 sent no dossiers 2019-2022 nor
        # budget 2023; L866 no dossiers 2025; twelve communes no dossiers 2023
        "unit_submitted_every_family": ("warn", 7),
    }


def test_messages_name_the_figures(checked) -> None:
    _, findings = checked
    (ytd,) = _messages(findings, "ytd_received_not_shrinking")
    assert ytd[1:3] == ("L867", "2023-06")
    assert "fell from 300 (2023-03) to 250" in ytd[5] and "giảm từ 300 (2023-03) xuống 250" in ytd[6]
    (budget,) = _messages(findings, "ytd_disbursed_not_shrinking")
    assert "500" in budget[5] and "450.5" in budget[5] and "450,5" in budget[6]
    (levels,) = _messages(findings, "unit_total_matches_children")
    assert levels[4] == "received" and "states 100" in levels[5] and "add up to 90" in levels[5]
    (anomaly,) = _messages(findings, "received_within_unit_history")
    assert anomaly[1:3] == ("L866", "2023")
    assert "2019: 1000, 2020: 1050, 2021: 980, 2022: 1020" in anomaly[5]
    units = {f[1]: f[5] for f in _messages(findings, "unit_code_valid_for_period")}
    assert "not in dim_admin_units" in units["L999"]
    assert "no longer valid (valid until 2025-06-30)" in units["L867"]
    (missing,) = [f for f in _messages(findings, "unit_submitted_every_family") if f[4] == "budget"]
    # 2023 budget: L866 submitted, L867 did not → Đồng Tháp 1 of 2 districts, 50 %
    assert missing[1:3] == ("L87", "2023") and missing[4] == "budget"
    assert missing[5] == (
        "Tỉnh Đồng Tháp: 1 of 2 units submitted no budget data for 2023 (reporting rate 50 %,"
        " 1 of 2): Thành phố Sa Đéc"
    )
    (late,) = _messages(findings, "submitted_by_deadline")
    assert late[3] == "late.csv" and "46 days after the deadline 2023-10-15" in late[5]


def test_timeliness_is_off_without_a_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEADLINE_ENV, raising=False)
    con = _build(tmp_path / "w.duckdb")
    (result,) = run_quality_checks(con, "r1", ["submission_timeliness"])
    con.close()
    assert result.success and result.note == "skipped: not configured"


def test_data_docs_are_built_without_row_values(checked_run) -> None:
    index = checked_run[2] / "docs" / "quality" / "index.html"
    assert index.exists()
    pages = [p.read_text(encoding="utf-8") for p in index.parent.rglob("*.html")]
    assert any("unit_submitted_every_family" in page or "submission_completeness" in page for page in pages)
    for page in pages:
        # unit codes and file names of the violating rows never reach the docs
        assert "L999" not in page and "late.csv" not in page


def test_missing_submissions_are_one_finding_per_province_naming_the_units(checked) -> None:
    """Twelve communes of one province without 2023 dossiers: one finding, not twelve, with
    the province's reporting rate, the units by name (ten in the message, all in details)."""
    _, findings = checked
    grouped = [
        f for f in _messages(findings, "unit_submitted_every_family") if f[2] == "2023" and f[4] == "dossiers"
    ]
    assert len(grouped) == 1
    rule, unit, period, source_file, key, en, vi, details = grouped[0]
    assert (unit, period, source_file, key) == ("L87", "2023", None, "dossiers")
    # expected: 2 districts + 14 communes; submitted: both districts and Phường 1, Phường 2
    assert vi.startswith(
        "Tỉnh Đồng Tháp: thiếu số liệu hồ sơ TTHC năm 2023 của 12/16 đơn vị (tỷ lệ nộp 25 %,"
        " 4/16 đơn vị): Xã 03 (Thành phố Sa Đéc), Xã 04 (Thành phố Sa Đéc),"
    )
    assert vi.endswith("Xã 12 (Thành phố Sa Đéc), … và 2 đơn vị khác (danh sách đầy đủ: cột details)")
    assert "Xã 13" not in vi and "L301" not in vi  # names, not codes; the rest in details
    assert en.startswith("Tỉnh Đồng Tháp: 12 of 16 units submitted no dossiers data for 2023")
    assert en.endswith("… and 2 more (every unit: column details)")
    listed = json.loads(details)
    assert (listed["expected_units"], listed["reported_units"]) == (16, 4)
    assert listed["reporting_rate_percent"] == 25
    assert [u["unit_code"] for u in listed["missing_units"]] == [f"L301{i:02d}" for i in range(3, 15)]
    assert listed["missing_units"][-1] == {
        "unit_code": "L30114",
        "unit_name": "Xã 14",
        "unit_kind": "commune",
        "parent_code": "L867",
        "parent_name": "Thành phố Sa Đéc",
    }

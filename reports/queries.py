"""Read-only queries on the published marts. Every function takes an open connection
from :func:`connect` and returns plain Python rows (dicts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from expectations.impact import FindingScope, details_sql, period_covers
from expectations.suites import rule_title

Row = dict[str, Any]

KIND_VI = {"nation": "toàn quốc", "province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã"}
KIND_EN = {"nation": "nation", "province": "provinces", "district": "districts", "commune": "communes"}


@contextmanager
def connect(published_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The publication, read-only (a nightly run may replace the file meanwhile)."""
    path = Path(published_db)
    if not path.is_file():
        raise FileNotFoundError(f"no publication at {path} (run `parwh run` or `parwh demo` first)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[Row]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]  # type: ignore[index]
    )


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.columns"
            " where table_schema = 'marts' and table_name = ? and column_name = ?",
            [table, column],
        ).fetchone()[0]  # type: ignore[index]
    )


@dataclass(frozen=True)
class Publication:
    run_id: str | None
    published_at: object


def publication(con: duckdb.DuckDBPyConnection) -> Publication:
    if not _has_table(con, "meta", "publication"):
        return Publication(None, None)
    found = rows(con, "select run_id, published_at from meta.publication limit 1")
    return Publication(found[0]["run_id"], found[0]["published_at"]) if found else Publication(None, None)


def fold(text: object) -> str:
    """Lower case, no accents, single spaces (for matching names typed by people)."""
    s = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(s.split())


def resolve_province(con: duckdb.DuckDBPyConnection, province: str, era: str | None = None) -> Row:
    """A province by warehouse code (``L87``), GSO code (``87``) or name (``Đồng Tháp``).
    ``era`` (``legacy``/``current``) prefers units of that era."""
    provinces = rows(
        con,
        "select unit_code, gso_code, unit_name, short_name, admin_era from marts.dim_admin_units"
        " where unit_kind = 'province' order by admin_era desc, unit_code",
    )
    if era:
        provinces.sort(key=lambda r: r["admin_era"] != era)
    wanted = province.strip()
    for test in (
        lambda r: r["unit_code"] == wanted,
        lambda r: r["gso_code"] == wanted.lstrip("L"),
        lambda r: fold(r["unit_name"]) == fold(wanted) or fold(r["short_name"]) == fold(wanted),
        lambda r: fold(wanted) in fold(r["unit_name"]),
    ):
        for r in provinces:
            if test(r):
                return r
    raise ValueError(f"unknown province {province!r} (give a code such as L87 or 87, or a name)")


def rubrics(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r["rubric_id"] for r in rows(con, "select distinct rubric_id from marts.rankings order by 1")]


def latest_year(con: duckdb.DuckDBPyConnection, rubric: str | None = None) -> str | None:
    found = rows(
        con,
        "select max(period_label) as p from marts.rankings where period_kind = 'year'"
        " and (? is null or rubric_id = ?)",
        [rubric, rubric],
    )
    return found[0]["p"] if found else None


def ranking_scopes(
    con: duckdb.DuckDBPyConnection, rubric: str, period: str, province_code: str | None
) -> list[Row]:
    """(ranking_scope, scope_code, unit_kind) with the scope's name: provinces first, nation last."""
    return rows(
        con,
        """select ranking_scope, scope_code, unit_kind, scope_name, units from (
               select r.ranking_scope, r.scope_code, r.unit_kind,
                      coalesce(any_value(u.unit_name), 'Toàn quốc') as scope_name, count(*) as units
               from marts.rankings r left join marts.dim_admin_units u on u.unit_code = r.scope_code
               where r.rubric_id = ? and r.period_label = ?
                 and (? is null or r.scope_code = ? or r.ranking_scope = 'nation')
               group by r.ranking_scope, r.scope_code, r.unit_kind)
           order by ranking_scope = 'nation', scope_code,
                    list_position(['province', 'district', 'commune'], unit_kind)""",
        [rubric, period, province_code, province_code],
    )


def ranking(
    con: duckdb.DuckDBPyConnection,
    rubric: str,
    period: str,
    scope: str,
    scope_code: str,
    unit_kind: str,
    province_code: str | None = None,
) -> list[Row]:
    return rows(
        con,
        """select * from marts.rankings
           where rubric_id = ? and period_label = ? and ranking_scope = ? and scope_code = ?
             and unit_kind = ? and (? is null or province_code = ?)
           order by rank nulls last, unit_name""",
        [rubric, period, scope, scope_code, unit_kind, province_code, province_code],
    )


def areas(con: duckdb.DuckDBPyConnection, rubric: str, period: str) -> list[Row]:
    return rows(
        con,
        """select area_code, any_value(area_name_vi) as area_name_vi
           from marts.fct_scores where rubric_id = ? and period_label = ?
           group by area_code
           order by try_cast(area_code as integer) nulls last, area_code""",
        [rubric, period],
    )


def area_points(con: duckdb.DuckDBPyConnection, rubric: str, period: str) -> dict[tuple[str, str], Row]:
    """(unit_code, area_code) → points, max_points of the criteria that apply (scored or
    missing), missing: read from marts.fct_area_scores, where the rule of what counts lives."""
    if not _has_table(con, "marts", "fct_area_scores"):
        raise RuntimeError(
            "bản công bố này cũ, chưa có marts.fct_area_scores; hãy chạy `parwh run` lại"
            " / this publication predates marts.fct_area_scores; run `parwh run` again"
        )
    found = rows(
        con,
        """select unit_code, area_code, total_points as points,
                  max_points_of_applicable_criteria as max_points,
                  missing_criteria as missing
           from marts.fct_area_scores where rubric_id = ? and period_label = ?""",
        [rubric, period],
    )
    return {(r["unit_code"], r["area_code"]): r for r in found}


def points_lost(
    con: duckdb.DuckDBPyConnection, rubric: str, period: str, province_code: str | None
) -> list[Row]:
    return rows(
        con,
        """select p.*, r.rank as province_rank, r.ranked_units as province_ranked_units
           from marts.mart_points_lost p
           left join marts.rankings r
             on r.rubric_id = p.rubric_id and r.period_label = p.period_label
            and r.unit_code = p.unit_code and r.ranking_scope = 'province'
           where p.rubric_id = ? and p.period_label = ? and (? is null or p.province_code = ?)
           order by p.province_code, list_position(['province', 'district', 'commune'], p.unit_kind),
                    r.rank desc nulls last, p.unit_name, p.loss_order""",
        [rubric, period, province_code, province_code],
    )


def open_findings(
    con: duckdb.DuckDBPyConnection, province_code: str | None = None, period: str | None = None
) -> list[Row]:
    """Findings still open in the publication's run (``data_quality_finding_status`` rows
    with status new/open, or, without that table, every finding of the publication's run),
    in reading order (``expectations.impact``): errors that block publication, then warnings
    that touch a unit ranked in ``period`` (any ranked period when None), then the rest.

    With ``province_code``, only the findings that touch the province or one of its units
    (a grouped finding through the units it lists, a file's totals row through the file's
    rows), and those no unit can be told for (a rejected file), marked ``attributable``
    False. Each row has the rule in words (``rule_vi``, ``rule_en``), the unit's name, the
    names of the units it touches (``units_touched``), its ``tier`` and ``lineages`` (each
    touched unit with its ancestors, and the period) for :func:`concerns`."""
    pub = publication(con)
    if _has_table(con, "marts", "data_quality_finding_status"):
        sql = f"""select s.status, s.severity, s.rule, s.unit_code, u.unit_name, s.period_label,
                        s.source_file, s.source_row, s.message_vi, s.message, s.first_seen_at,
                        {details_sql(con, "s")} as details
                 from marts.data_quality_finding_status s
                 left join marts.dim_admin_units u on u.unit_code = s.unit_code
                 where s.status in ('new', 'open') and (? is null or s.run_id = ?)"""
    else:
        details = "f.details" if _has_column(con, "data_quality_findings", "details") else "null"
        sql = f"""select 'new' as status, f.severity, f.rule, f.unit_code, u.unit_name, f.period_label,
                        f.source_file, f.source_row, f.message_vi, f.message, f.found_at as first_seen_at,
                        {details} as details
                 from marts.data_quality_findings f
                 left join marts.dim_admin_units u on u.unit_code = f.unit_code
                 where (? is null or f.run_id = ?)"""
    found = rows(con, sql, [pub.run_id, pub.run_id])
    scope = FindingScope.load(con, found, [period] if period else None)
    result = []
    for f in scope.annotate(found):
        f["lineages"] = [(tuple(scope.lineage(u)), p) for u, p in scope.touches(f)]
        f["attributable"] = bool(f["lineages"])
        f["rule_vi"] = rule_title(f["rule"], "vi")
        f["rule_en"] = rule_title(f["rule"], "en")
        if province_code is None or not f["attributable"] or concerns(f, province_code):
            result.append(f)
    return result


def concerns(finding: Row, unit_code: str, period: str | None = None) -> bool:
    """Whether an :func:`open_findings` row touches ``unit_code`` or one of its descendants,
    in ``period`` (a finding of ``2023-H1`` or ``2023-12-31`` concerns ``2023``)."""
    return any(
        unit_code in lineage and (period is None or period_covers(touched, period))
        for lineage, touched in finding["lineages"]
    )


def indicator_series(
    con: duckdb.DuckDBPyConnection,
    indicator: str,
    unit_codes: list[str],
    authority_level: str | None,
    figure_source: str | None = None,
) -> list[Row]:
    """Yearly values of one indicator for some units (``authority_level`` None: 'all' if
    present, else any single level)."""
    if not unit_codes:
        return []
    return rows(
        con,
        """select unit_code, period_label, authority_level, value
           from marts.fct_indicator_values
           where indicator_code = ? and period_kind = 'year' and list_contains(?, unit_code)
             and (? is null or authority_level = ?) and (? is null or figure_source = ?)
           order by unit_code, period_label""",
        [indicator, unit_codes, authority_level, authority_level, figure_source, figure_source],
    )


def units(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, Row]:
    found = rows(
        con,
        "select unit_code, unit_name, unit_kind, province_code, admin_era from marts.dim_admin_units"
        " where list_contains(?, unit_code)",
        [codes],
    )
    return {r["unit_code"]: r for r in found}

"""Read-only queries on the published marts. Every function takes an open connection
from :func:`connect` and returns plain Python rows (dicts)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

import sqlfiles
from expectations.impact import FindingScope, attach_details, period_covers
from expectations.suites import rule_title
from ingest.errors import UnitResolutionError

Row = dict[str, Any]

_PACKAGE = __package__ or "reports"
#: the eras, tried in this order
_ERAS = ("legacy", "current")

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


def rows(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> list[Row]:
    """The rows of the query ``reports/sql/<name>.sql`` as dicts."""
    return sqlfiles.rows(con, _PACKAGE, name, params)


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = sqlfiles.one(con, _PACKAGE, "has_table", {"schema_name": schema, "table_name": table})
    return bool(found and found[0])


@dataclass(frozen=True)
class Publication:
    run_id: str | None
    published_at: object


def publication(con: duckdb.DuckDBPyConnection) -> Publication:
    if not _has_table(con, "meta", "publication"):
        return Publication(None, None)
    found = rows(con, "publication")
    return Publication(found[0]["run_id"], found[0]["published_at"]) if found else Publication(None, None)


def resolve_province(con: duckdb.DuckDBPyConnection, province: str, era: str | None = None) -> Row:
    """A province by warehouse code (``L87``), GSO code (``87``) or name (``Đồng Tháp``,
    ``Dong Thap``, ``Tỉnh Đồng Tháp``), resolved by ingest's :class:`UnitResolver` over the
    publication's provinces. ``era`` (``legacy``/``current``) is tried first, then the other
    era (the caller checks the era it needs); ``None``: legacy first. Raises ``ValueError``
    (Vietnamese and English) for an unknown province."""
    # imported here: ingest's resolver needs pandas, which the HTML report's process does not
    from ingest.admin_units import LEGACY_VALID_TO, REORGANISATION_DATE, UnitResolver

    # a day of each era, as ingest's resolver takes the era: by date (ingest.admin_units.era_for)
    era_dates = {"legacy": LEGACY_VALID_TO, "current": REORGANISATION_DATE}
    resolver = UnitResolver(sqlfiles.execute(con, _PACKAGE, "provinces").df())
    first = era if era in _ERAS else "legacy"
    errors: list[UnitResolutionError] = []
    for tried in (first, *(e for e in _ERAS if e != first)):
        try:
            code = resolver.resolve_province(province, era_dates[tried])
        except UnitResolutionError as exc:
            errors.append(exc)
            continue
        unit = resolver.units[code]
        return {
            "unit_code": unit.unit_code,
            "gso_code": unit.gso_code,
            "unit_name": unit.unit_name,
            "short_name": unit.short_name,
            "admin_era": unit.admin_era,
        }
    raise ValueError(
        f"{errors[0].message_vi} (ghi mã như L87 hoặc 87, hoặc tên tỉnh) / {errors[0].message_en}"
        " (give a code such as L87 or 87, or a name)"
    )


def rubrics(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r["rubric_id"] for r in rows(con, "rubrics")]


def latest_year(con: duckdb.DuckDBPyConnection, rubric: str | None = None) -> str | None:
    found = rows(con, "latest_year", {"rubric": rubric})
    return found[0]["period_label"] if found else None


def ranking_scopes(
    con: duckdb.DuckDBPyConnection, rubric: str, period: str, province_code: str | None
) -> list[Row]:
    """(ranking_scope, scope_code, unit_kind) with the scope's name: provinces first, nation last."""
    return rows(con, "ranking_scopes", {"rubric": rubric, "period": period, "province_code": province_code})


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
        "ranking",
        {
            "rubric": rubric,
            "period": period,
            "ranking_scope": scope,
            "scope_code": scope_code,
            "unit_kind": unit_kind,
            "province_code": province_code,
        },
    )


def areas(con: duckdb.DuckDBPyConnection, rubric: str, period: str) -> list[Row]:
    return rows(con, "areas", {"rubric": rubric, "period": period})


def area_points(con: duckdb.DuckDBPyConnection, rubric: str, period: str) -> dict[tuple[str, str], Row]:
    """(unit_code, area_code) → points, max_points of the criteria that apply (scored or
    missing), missing: read from marts.fct_area_scores, where the rule of what counts lives."""
    if not _has_table(con, "marts", "fct_area_scores"):
        raise RuntimeError(
            "bản công bố này cũ, chưa có marts.fct_area_scores; hãy chạy `parwh run` lại"
            " / this publication predates marts.fct_area_scores; run `parwh run` again"
        )
    found = rows(con, "area_points", {"rubric": rubric, "period": period})
    return {(r["unit_code"], r["area_code"]): r for r in found}


def points_lost(
    con: duckdb.DuckDBPyConnection, rubric: str, period: str, province_code: str | None
) -> list[Row]:
    return rows(con, "points_lost", {"rubric": rubric, "period": period, "province_code": province_code})


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
        found = [
            {k: v for k, v in f.items() if k not in ("run_id", "fingerprint")}
            for f in attach_details(con, rows(con, "open_findings_from_status", {"run_id": pub.run_id}))
        ]
    else:
        found = rows(con, "open_findings_from_findings", {"run_id": pub.run_id})
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
        "indicator_series",
        {
            "indicator": indicator,
            "unit_codes": unit_codes,
            "authority_level": authority_level,
            "figure_source": figure_source,
        },
    )


def units(con: duckdb.DuckDBPyConnection, codes: list[str]) -> dict[str, Row]:
    found = rows(con, "units", {"codes": codes})
    return {r["unit_code"]: r for r in found}


#: the PAR INDEX's stages (mart_index_status.index_status) and what a ranking at each ranks
RANKED_BY_VI = {
    "self_assessed": "Xếp hạng theo kết quả tự đánh giá",
    "appraised": "Xếp hạng theo kết quả thẩm định",
    "final": "Xếp hạng theo Chỉ số CCHC chính thức",
}
RANKED_BY_EN = {
    "self_assessed": "Ranked on the self-assessments",
    "appraised": "Ranked on the appraisals",
    "final": "Ranked on the final PAR INDEX",
}
INDEX_MARTS = (
    "mart_index_status",
    "mart_index_rankings",
    "fct_index_areas",
    "mart_index_points_lost",
    "mart_index_claims_vs_data",
)


@dataclass(frozen=True)
class IndexReport:
    """The complete PAR INDEX of a year (issue 18): each unit's stage, points and scores
    with its rank at its own stage (``status``), its areas, the points it lost and its
    self-scores against the data; every value an exact ``Decimal`` as published."""

    status: list[Row]
    areas: list[Row]
    points_lost: list[Row]
    claims: list[Row]


def index_report(
    con: duckdb.DuckDBPyConnection, period: str, province_code: str | None = None
) -> IndexReport | None:
    """The PAR INDEX of the year ``period`` (``'2023'``; another period has none), limited
    to ``province_code``: empty (``status`` []) when no unit has sent its self-assessment
    for the year, ``None`` for a publication older than the index marts."""
    if not all(_has_table(con, "marts", name) for name in INDEX_MARTS):
        return None
    params = {"period": period, "province_code": province_code}
    status = rows(con, "index_status", params)
    if not status:
        return IndexReport([], [], [], [])
    return IndexReport(
        status=status,
        areas=rows(con, "index_areas", params),
        points_lost=rows(con, "index_points_lost", params),
        claims=rows(con, "index_claims", params),
    )


#: the marts of the 766 view (issue 19); the portal's figures come from QD766_RECONCILIATION
QD766_MARTS = ("fct_766_indicators", "fct_766_group_scores", "mart_766_rankings")
QD766_RECONCILIATION = "mart_766_reconciliation"
#: the portal's figures of a group and of a unit (mart_766_reconciliation), None when unknown
QD766_PORTAL_GROUP = (
    "portal_points",
    "difference",
    "dossiers_not_synced",
    "dossiers_channel_blank",
    "dossiers_multiple_supplements",
    "online_dossiers_without_result",
    "resolved_without_electronic_result",
    "likely_cause_vi",
)
QD766_PORTAL_UNIT = (
    "portal_total",
    "portal_groups_sum",
    "portal_band_vi",
    "portal_band_label",
    "portal_rank",
)


#: the portal's keys of a row the portal has no figures for
_NO_PORTAL = {keys: dict.fromkeys(keys) for keys in (QD766_PORTAL_GROUP, QD766_PORTAL_UNIT)}


@dataclass(frozen=True)
class Qd766Period:
    """The 766 index of one period (the latest year or its latest quarter): each unit's
    total and rank by the portal's rules (``units``), its six groups (``groups``), the
    indicators short of their maximum (``indicators_lost``); the portal's figures in the
    ``QD766_PORTAL_*`` keys of units and groups, all None unless ``has_portal``."""

    period_kind: str
    period_label: str
    period_start: date
    period_end: date
    units: list[Row]
    groups: list[Row]
    indicators_lost: list[Row]
    has_portal: bool


@dataclass(frozen=True)
class Qd766Report:
    periods: list[Qd766Period]


def _with_portal(row: Row, portal: Row | None, keys: tuple[str, ...]) -> Row:
    if portal is None:  # most rows: the portal has not published the period
        return {**row, **_NO_PORTAL[keys]}
    return {**row, **{k: portal.get(k) for k in keys}}


def qd766_report(
    con: duckdb.DuckDBPyConnection, period: str | None = None, province_code: str | None = None
) -> Qd766Report | None:
    """The 766 index by the portal's rules (issue 19) of the year ``period`` (else the
    latest year) and that year's latest quarter, limited to ``province_code``; the portal's
    figures where the publication has marts.mart_766_reconciliation with rows for the period.
    ``periods`` [] when no unit has 766 figures; ``None`` for a publication older than the
    766 marts."""
    if not all(_has_table(con, "marts", name) for name in QD766_MARTS):
        return None
    with_portal = _has_table(con, "marts", QD766_RECONCILIATION)
    return Qd766Report(
        [
            _qd766_period(con, {**p, "province_code": province_code}, with_portal)
            for p in rows(con, "qd766_periods", {"year": period, "province_code": province_code})
        ]
    )


_KIND_ORDER = ("province", "department", "district", "commune")
_UNIT_NAMING = ("unit_code", "unit_name", "unit_kind", "province_code", "province_name")
_GROUP_NAMING = ("unit_code", "unit_name", "unit_kind", "group_code", "group_name_vi", "group_max_points")


def _unit_order(unit: Row) -> tuple[str, str, int, str, str]:
    """Each province, then its departments, districts and communes, by name."""
    kind = unit["unit_kind"]
    return (
        unit["province_name"] or "",
        unit["province_code"] or "",
        _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER),
        unit["unit_name"] or "",
        unit["unit_code"],
    )


def _qd766_period(con: duckdb.DuckDBPyConnection, params: Row, with_portal: bool) -> Qd766Period:
    """One period of :func:`qd766_report`; a unit the portal scores that has no records of
    its own is listed with the portal's figures only."""
    portal = rows(con, "qd766_reconciliation", params) if with_portal else []
    if not any(r["portal_points"] is not None or r["portal_total"] is not None for r in portal):
        portal = []
    by_group = {(r["unit_code"], r["group_code"]): r for r in portal}
    by_unit = {r["unit_code"]: r for r in portal}
    own_units = rows(con, "qd766_units", params)
    own = {u["unit_code"] for u in own_units}
    blank = dict.fromkeys(own_units[0]) if own_units else {}
    portal_only = [
        {**blank, "period_label": params["period_label"], **{k: r[k] for k in _UNIT_NAMING}}
        for code, r in by_unit.items()
        if code not in own
    ]
    units = sorted(
        (_with_portal(u, by_unit.get(u["unit_code"]), QD766_PORTAL_UNIT) for u in own_units + portal_only),
        key=_unit_order,
    )
    order = {u["unit_code"]: i for i, u in enumerate(units)}
    own_groups = rows(con, "qd766_groups", params)
    group_order: dict[str, int] = {}
    for g in own_groups:
        group_order.setdefault(g["group_code"], len(group_order))
    portal_groups = [
        {**{k: r[k] for k in _GROUP_NAMING}, "points": None, "computed_max_points": None}
        for r in portal
        if r["unit_code"] not in own
    ]
    groups = [
        _with_portal(g, by_group.get((g["unit_code"], g["group_code"])), QD766_PORTAL_GROUP)
        for g in sorted(
            own_groups + portal_groups,
            key=lambda g: (
                order.get(g["unit_code"], len(order)),
                group_order.get(g["group_code"], len(group_order)),
                g["group_code"],
            ),
        )
    ]
    lost = rows(con, "qd766_indicators_lost", params)
    lost.sort(key=lambda i: order.get(i["unit_code"], len(order)))
    return Qd766Period(
        period_kind=params["period_kind"],
        period_label=params["period_label"],
        period_start=params["period_start"],
        period_end=params["period_end"],
        units=units,
        groups=groups,
        indicators_lost=lost,
        has_portal=bool(portal),
    )

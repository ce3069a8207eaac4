"""A self-contained HTML report: inline SVG charts and CSS, a one-line script for the
Vietnamese/English toggle; no network access needed to open it."""

from __future__ import annotations

from functools import cached_property
from html import escape
from pathlib import Path

import duckdb

from ingest import vocabulary
from reports import charts
from reports import queries as q
from reports.bilingual import t
from reports.html_766 import qd766_section
from reports.html_index import index_section
from reports.labels import SEVERITY_VI, STATUS_VI, rubric_title

TRENDS: list[tuple[str, str | None, str, str]] = [
    # indicator, authority level for districts (None: any), Vietnamese, English
    ("dossier_on_time_rate", "huyen", "Tỷ lệ hồ sơ giải quyết đúng hạn (%)", "Dossiers resolved on time (%)"),
    ("survey_satisfaction_rate", "huyen", "Mức độ hài lòng (%)", "Satisfaction (%)"),
    (
        "budget_disbursement_rate",
        "all",
        "Tỷ lệ giải ngân vốn đầu tư công (%)",
        "Public investment disbursed (%)",
    ),
]
#: the level a unit kind is scored on (dbt_project/seeds/unit_kinds.csv: a province on all)
LEVEL_OF_KIND = vocabulary.scored_levels()
MAX_FINDINGS = 300
#: findings listed in a last-ranked unit's box (the rest are counted)
CARD_FINDINGS = 6
PRIORITY_VI = {0: "Chặn công bố", 1: "Ảnh hưởng xếp hạng", 2: "Khác"}
PRIORITY_EN = {0: "Blocks publication", 1: "Touches a ranking", 2: "Other"}

CSS = """
body{font-family:'Segoe UI',Roboto,Arial,sans-serif;margin:24px;color:#222;max-width:1300px}
h1{font-size:24px;margin-bottom:4px} h2{border-bottom:2px solid #1f77b4;padding-bottom:4px;margin-top:36px}
h3{margin-top:24px} .sub{color:#666} .card{border:1px solid #ccc;border-left:6px solid #d62728;
padding:10px 16px;margin:12px 0;background:#fffafa} table{border-collapse:collapse;font-size:12px}
td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top} th{background:#ddebf7}
td.num{text-align:right} .legend-item{margin-right:14px} .swatch{display:inline-block;width:12px;
height:12px;margin-right:4px;vertical-align:middle} .charts{display:flex;flex-wrap:wrap;gap:12px}
body.lang-en .vi{display:none} body:not(.lang-en) .en{display:none}
#lang{position:fixed;top:12px;right:16px;padding:6px 12px} .empty{color:#999}
tr.diff td{background:#fde2d6} td.pending{color:#b15c00}
@media print{#lang{display:none} h2{page-break-before:always}}
"""
SCRIPT = (
    "document.getElementById('lang').addEventListener('click',function(){"
    "document.body.classList.toggle('lang-en');});"
)


def _where(f: q.Row) -> str:
    """The unit by name (code in brackets), else the units a file-level finding touches."""
    if f["unit_code"]:
        return f"{escape(f['unit_name'] or f['unit_code'])} ({escape(f['unit_code'])})"
    if f["units_touched"]:
        return escape(f["units_touched"])
    return t("không xác định được đơn vị", "unit not known")


def _card_item(f: q.Row) -> str:
    return (
        f"<li><b>{t(escape(f['rule_vi']), escape(f['rule_en']))}</b> — {_where(f)}"
        f"{', ' + escape(f['period_label']) if f['period_label'] else ''}"
        f"{', ' + escape(f['source_file']) if f['source_file'] else ''}: "
        f"{t(escape(f['message_vi'] or ''), escape(f['message'] or ''))}</li>"
    )


class _Shared:
    """What every province's section reads the same, read once per report when a section
    first needs it (34 provinces each reading every unit's area points took 0.4 s of 3.8 at
    100 million records)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, rubric: str, period: str) -> None:
        self._con, self._rubric, self._period = con, rubric, period

    @cached_property
    def area_rows(self) -> list[q.Row]:
        return q.areas(self._con, self._rubric, self._period)

    @cached_property
    def points(self) -> dict[tuple[str, str], q.Row]:
        return q.area_points(self._con, self._rubric, self._period)

    @cached_property
    def findings(self) -> list[q.Row]:
        return q.open_findings(self._con, None, self._period)


def _province_section(
    con: duckdb.DuckDBPyConnection, rubric: str, period: str, scope: q.Row, idx: int, shared: _Shared
) -> str:
    ranked = q.ranking(con, rubric, period, "province", scope["scope_code"], scope["unit_kind"])
    if not ranked:
        return ""
    name = escape(scope["scope_name"])
    kind_vi = q.KIND_VI[scope["unit_kind"]]
    kind_en = q.KIND_EN[scope["unit_kind"]]
    parts = [f"<h2 id='p{idx}'>{name} — {t(kind_vi, kind_en)}</h2>"]
    # who ranks last, where it lost points, is its data complete
    last = max((r for r in ranked if r["rank"] is not None), key=lambda r: (r["rank"], r["unit_name"]))
    lost = [
        p
        for p in q.points_lost(con, rubric, period, scope["scope_code"])
        if p["unit_code"] == last["unit_code"]
    ]
    # every open finding on the unit or one of its communes, in the period shown (a grouped
    # completeness finding through the units it lists, a staff table's total through its file)
    findings = [f for f in shared.findings if q.concerns(f, last["unit_code"], period)]
    missing = [f for f in findings if f["rule"] == "unit_submitted_every_family"]
    loss_items = (
        "".join(
            f"<li>{escape(p['criterion_code'])} {escape(p['criterion_name_vi'])} "
            f"({escape(p['criterion_name_en'] or '')}): {charts.vn_number(p['points'])}/"
            f"{charts.vn_number(p['max_points'])} {t('điểm', 'points')}, "
            f"{t('giá trị', 'value')} {charts.vn_number(p['measured_value'])} → "
            f"{charts.vn_number(p['value_for_full_points'])}; "
            f"{t('chỉ số giảm', 'score lost')} {charts.vn_number(p['score_points_lost'])}</li>"
            for p in lost[:5]
        )
        or f"<li>{t('Không bị trừ điểm', 'No points lost')}</li>"
    )
    if findings:
        complete = (
            "<span data-complete='false'>"
            + t(
                f"chưa đầy đủ — {len(findings)} vấn đề chất lượng dữ liệu chưa xử lý về đơn vị này hoặc"
                f" đơn vị trực thuộc trong kỳ {escape(period)}, trong đó {len(missing)} về thiếu báo cáo:",
                f"not complete — {len(findings)} open data-quality findings on this unit or its"
                f" subordinate units in {escape(period)}, {len(missing)} about missing submissions:",
            )
            + "</span><ul>"
            + "".join(_card_item(f) for f in findings[:CARD_FINDINGS])
            + "</ul>"
            + (
                f"<p>{t(f'… và {len(findings) - CARD_FINDINGS} vấn đề khác (mục Chất lượng dữ liệu)', f'… and {len(findings) - CARD_FINDINGS} more (Data quality section)')}</p>"  # noqa: E501
                if len(findings) > CARD_FINDINGS
                else ""
            )
        )
    else:
        complete = (
            "<span data-complete='true'>"
            + t(
                f"đầy đủ: không có vấn đề chất lượng dữ liệu nào chưa xử lý về đơn vị này hoặc đơn vị"
                f" trực thuộc trong kỳ {escape(period)}.",
                f"complete: no open data-quality finding on this unit or its subordinate units in"
                f" {escape(period)}.",
            )
            + "</span>"
        )
    parts.append(
        f"<div class='card' data-last-unit='{escape(last['unit_code'])}'><b>{t('Xếp cuối', 'Ranks last')}:"
        f" {escape(last['unit_name'])}</b> ({escape(last['unit_code'])}) — {t('hạng', 'rank')} {last['rank']}/"  # noqa: E501
        f"{last['ranked_units']}, {t('chỉ số', 'score')} {charts.vn_number(last['score'])} %,"
        f" {escape(last['band'] or '')}<br>{t('Nội dung bị trừ điểm', 'Where it lost points')}:"
        f"<ul>{loss_items}</ul>{t('Dữ liệu', 'Data')}: {complete}</div>"
    )
    bars = [
        charts.Bar(
            r["unit_name"],
            r["score"],
            r["band"],
            r["band_code"],
            r["rank"],
            " · thống kê ngang hạng trên" if r["is_statistical_tie_with_above"] else "",
        )
        for r in ranked
    ]
    bands = sorted({(r["band_code"], r["band"]) for r in ranked if r["band_code"]})
    parts.append(charts.band_legend(bands))
    parts.append(
        charts.ranking_bars(
            bars,
            title=f"Chỉ số {period} — {scope['scope_name']} ({kind_vi}) / score, % of applicable maximum",
            chart_id=f"rank-{idx}",
        )
    )
    # each area's distribution
    points = shared.points
    dists = []
    for a in shared.area_rows:
        vals = [
            (r["unit_name"], points[(r["unit_code"], a["area_code"])]["points"])
            for r in ranked
            if (r["unit_code"], a["area_code"]) in points
            and points[(r["unit_code"], a["area_code"])]["points"] is not None
        ]
        mx = max(
            (
                points[(r["unit_code"], a["area_code"])]["max_points"] or 0
                for r in ranked
                if (r["unit_code"], a["area_code"]) in points
            ),
            default=0,
        )
        dists.append(
            charts.Distribution(f"{a['area_code']}. {a['area_name_vi']}", float(mx), vals, last["unit_name"])
        )
    parts.append(f"<h3>{t('Điểm từng lĩnh vực', 'Points per area')}</h3>")
    parts.append(
        charts.distributions(
            dists,
            title="Phân bố điểm theo lĩnh vực (đỏ: đơn vị xếp cuối) / points per area (red: last ranked)",
            chart_id=f"dist-{idx}",
        )
    )
    # trends
    parts.append(
        f"<h3>{t('Xu hướng các chỉ tiêu chính', 'Trends of key indicators')}</h3><div class='charts'>"
    )
    codes = [r["unit_code"] for r in ranked]
    names = {r["unit_code"]: r["unit_name"] for r in ranked}
    for j, (indicator, level, vi, en) in enumerate(TRENDS):
        lvl = (
            level if scope["unit_kind"] == "district" or level == "all" else LEVEL_OF_KIND[scope["unit_kind"]]
        )
        series: dict[str, list[tuple[str, float]]] = {}
        for row in q.indicator_series(con, indicator, codes, lvl):
            if row["value"] is not None:
                series.setdefault(names[row["unit_code"]], []).append((row["period_label"], row["value"]))
        parts.append(charts.line_chart(series, title=f"{vi} / {en}", chart_id=f"trend-{idx}-{j}"))
    parts.append("</div>")
    return "".join(parts)


def _comparable_section(con: duckdb.DuckDBPyConnection, province_code: str | None) -> str:
    current = q.rows(con, "comparable_provinces", {"province_code": province_code})
    parts = [
        f"<h2 id='comparable'>{t('Các tỉnh hiện nay (sau 1/7/2025): số liệu lịch sử cộng từ tỉnh cũ', 'Current provinces (after 1 July 2025): history summed from the legacy provinces')}</h2>",  # noqa: E501
        "<p class='sub'>figure_source = legacy_provinces</p><div class='charts'>",
    ]
    codes = [c["unit_code"] for c in current]
    names = {c["unit_code"]: c["unit_name"] for c in current}
    for j, (indicator, _, vi, en) in enumerate(TRENDS):
        series: dict[str, list[tuple[str, float]]] = {}
        for row in q.indicator_series(con, indicator, codes, "all", "legacy_provinces"):
            if row["value"] is not None:
                series.setdefault(names[row["unit_code"]], []).append((row["period_label"], row["value"]))
        parts.append(charts.line_chart(series, title=f"{vi} / {en}", chart_id=f"cmp-{j}"))
    parts.append("</div>")
    return "".join(parts)


def _findings_section(con: duckdb.DuckDBPyConnection, province_code: str | None, period: str) -> str:
    found = q.open_findings(con, province_code, period)
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            t("Ảnh hưởng", "Priority"),
            t("Mức độ", "Severity"),
            t("Trạng thái", "Status"),
            t("Quy tắc kiểm tra", "Check"),
            t("Đơn vị", "Unit"),
            t("Kỳ", "Period"),
            t("Tệp, dòng", "File, row"),
            t("Nội dung", "Message"),
        )
    )
    body = "".join(
        f"<tr data-rule='{escape(f['rule'] or '')}' data-tier='{f['tier']}'>"
        f"<td>{t(PRIORITY_VI[f['tier']], PRIORITY_EN[f['tier']])}</td>"
        f"<td>{t(SEVERITY_VI.get(f['severity'], f['severity']), f['severity'])}</td>"
        f"<td>{t(STATUS_VI.get(f['status'], f['status']), f['status'])}</td>"
        f"<td>{t(escape(f['rule_vi']), escape(f['rule_en']))}</td>"
        f"<td>{_where(f)}</td><td>{escape(f['period_label'] or '')}</td>"
        f"<td>{escape(f['source_file'] or '')}{', ' + str(f['source_row']) if f['source_row'] else ''}</td>"
        f"<td>{t(escape(f['message_vi'] or ''), escape(f['message'] or ''))}</td></tr>"
        for f in found[:MAX_FINDINGS]
    )
    more = (
        f"<p>{t(f'… và {len(found) - MAX_FINDINGS} vấn đề khác (xem tệp Excel)', f'… and {len(found) - MAX_FINDINGS} more (see the workbook)')}</p>"  # noqa: E501
        if len(found) > MAX_FINDINGS
        else ""
    )
    errors = sum(1 for f in found if f["tier"] == 0)
    ranking = sum(1 for f in found if f["tier"] == 1)
    where_vi = " của tỉnh đã chọn" if province_code else ""
    where_en = " of the chosen province" if province_code else ""
    return (
        f"<h2 id='findings'>{t('Vấn đề chất lượng dữ liệu chưa xử lý', 'Open data-quality findings')}</h2>"
        f"<p id='findings-count'>{t(f'{len(found)} vấn đề{where_vi}: {errors} lỗi (tệp bị từ chối, kiểm tra chặn công bố), {ranking} cảnh báo về đơn vị được xếp hạng năm {escape(period)}, {len(found) - errors - ranking} khác (xếp theo thứ tự đó)', f'{len(found)} findings{where_en}: {errors} errors (rejected files, checks that block publication), {ranking} warnings on units ranked for {escape(period)}, {len(found) - errors - ranking} other (in that order)')}</p>"  # noqa: E501
        f"<table id='findings-table'><tr>{head}</tr>{body}</table>{more}"
    )


def render_html(
    con: duckdb.DuckDBPyConnection, *, rubric: str, period: str, province_code: str | None
) -> str:
    pub = q.publication(con)
    scopes = [
        s for s in q.ranking_scopes(con, rubric, period, province_code) if s["ranking_scope"] == "province"
    ]
    # per province the finest kind that has a ranking of districts, else communes
    chosen: dict[str, q.Row] = {}
    for s in scopes:
        if s["unit_kind"] == "district" or s["scope_code"] not in chosen:
            chosen[s["scope_code"]] = s
    shared = _Shared(con, rubric, period)
    sections = [_province_section(con, rubric, period, s, i, shared) for i, s in enumerate(chosen.values())]
    index = q.index_report(con, period, province_code)
    index_html = index_section(index, period, province_code) if index is not None else ""
    index_toc = f"<li><a href='#index'>{t('Chỉ số CCHC', 'PAR INDEX')}</a></li>" if index_html else ""
    qd766 = q.qd766_report(con, period, province_code)
    qd766_html = qd766_section(qd766, province_code) if qd766 is not None else ""
    qd766_toc = f"<li><a href='#qd766'>{t('Chỉ số 766', '766 index')}</a></li>" if qd766_html else ""
    toc = "".join(
        f"<li><a href='#p{i}'>{escape(s['scope_name'])}</a></li>" for i, s in enumerate(chosen.values())
    )
    published = f"{pub.published_at:%d/%m/%Y %H:%M} UTC" if pub.published_at else "–"
    name = escape(rubric_title(rubric))
    heading = t(f"Báo cáo {name} năm {escape(period)}", f"PAR report {escape(period)} ({escape(rubric)})")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Báo cáo {name} {escape(period)}</title>
<style>{CSS}</style></head><body>
<button id="lang" type="button">Tiếng Việt / English</button>
<h1>{heading}</h1>
<p class="sub">{t("Bộ tiêu chí", "Rubric")}: {escape(rubric)} · {t("Công bố", "Published")}: {published}
 · run {escape(pub.run_id or "–")}</p>
<ul>{toc}{qd766_toc}{index_toc}<li><a href='#comparable'>{t("Tỉnh hiện nay", "Current provinces")}</a></li>
<li><a href='#findings'>{t("Chất lượng dữ liệu", "Data quality")}</a></li></ul>
{"".join(sections)}
{qd766_html}
{index_html}
{_comparable_section(con, province_code)}
{_findings_section(con, province_code, period)}
<script>{SCRIPT}</script>
</body></html>
"""


def write_html_report(
    con: duckdb.DuckDBPyConnection, out_dir: Path, *, rubric: str, period: str, province_code: str | None
) -> Path:
    suffix = f"_{province_code}" if province_code else ""
    path = Path(out_dir) / f"bao_cao_{rubric}_{period}{suffix}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        render_html(con, rubric=rubric, period=period, province_code=province_code), encoding="utf-8"
    )
    tmp.replace(path)
    return path

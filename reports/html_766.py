"""The section "Chỉ số 766" of the HTML report: the 766 index by the portal's rules for the
latest year and its latest quarter (each unit's total and rank, its six groups, the
indicators behind the points lost) against the portal's published figures when the
publication has them; numbers exact and half up, Vietnamese style."""

from __future__ import annotations

import html
from decimal import Decimal
from functools import lru_cache

from reports import charts
from reports import queries as q
from reports.bilingual import t
from reports.labels import KIND_VI, NO_PORTAL_VI, differs, period_vi

KIND_EN = {"province": "province", "department": "department", "district": "district", "commune": "commune"}
#: :func:`html.escape`, kept for the texts met again (units' names and codes, indicators)
escape = lru_cache(maxsize=1 << 16)(html.escape)
#: the texts of points (by their class and ``str``) and of whole counts, kept up to _KEPT each
_POINTS: dict[tuple[type, str], str] = {}
_COUNTS: dict[int, str] = {}
_KEPT = 100_000


def _points(value: Decimal | None) -> str:
    """Points as the portal writes them: 6, 5,94, 19,84 (exact, half up, no float)."""
    if value is None:
        return "–"
    key = (value.__class__, str(value))
    text = _POINTS.get(key)
    if text is None:
        text = charts.vn_number(value, 0 if value == value.to_integral_value() else 2)
        if len(_POINTS) < _KEPT:
            _POINTS[key] = text
    return text


def _count(value: int | None) -> str:
    if value is None:
        return "–"
    if value.__class__ is not int:
        return charts.vn_number(Decimal(value), 0)
    text = _COUNTS.get(value)
    if text is None:
        text = charts.vn_number(Decimal(value), 0)
        if len(_COUNTS) < _KEPT:
            _COUNTS[value] = text
    return text


def _of(points: Decimal | None, max_points: Decimal | None) -> str:
    """ "5,94/6"; "–" for a unit the portal scores that has no records of its own."""
    if points is None and max_points is None:
        return "–"
    return f"{_points(points)}/{_points(max_points)}"


def _signed(value: Decimal | int | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + _points(Decimal(value))


def _num(text: str) -> str:
    return f"<td class='num'>{text}</td>"


def _period_en(period: q.Qd766Period) -> str:
    start = period.period_start
    name = str(start.year)
    if period.period_kind == "quarter":
        name = f"Q{(start.month - 1) // 3 + 1} {name}"
    return f"{name} ({escape(period.period_label)})"


def _unit(row: q.Row) -> str:
    return f"<td>{escape(row['unit_name'] or row['unit_code'])}</td>"


def _unit_rows(period: q.Qd766Period) -> str:
    lines = []
    for u in period.units:
        kind_vi = KIND_VI.get(u["unit_kind"], u["unit_kind"])
        kind_en = KIND_EN.get(u["unit_kind"], u["unit_kind"])
        if u["total_rank"] is None:
            rank = "–"
        elif u["ranked_within"] == "VN":
            rank = f"<b>{u['total_rank']}/{u['units_ranked']}</b> " + t(
                f"({kind_vi}, toàn quốc)", f"({kind_en}, nationwide)"
            )
        else:
            within = escape(u["province_name"] or u["ranked_within"])
            rank = f"<b>{u['total_rank']}/{u['units_ranked']}</b> ({t(kind_vi, kind_en)}, {within})"
        cells = [
            _unit(u),
            _num(_of(u["total_points"], u["total_computed_max_points"])),
            f"<td>{escape(u['total_band_vi'] or '–')}</td>",
            f"<td>{rank}</td>",
            _num(_signed(u["rank_change"])),
        ]
        if period.has_portal:
            cells += [
                _num(_points(u["portal_total"])),
                f"<td>{escape(u['portal_band_vi'] or u['portal_band_label'] or '–')}</td>",
                _num("–" if u["portal_rank"] is None else str(u["portal_rank"])),
            ]
        attrs = f"data-unit='{escape(u['unit_code'])}' data-kind='{escape(u['unit_kind'])}'"
        lines.append(f"<tr {attrs}>{''.join(cells)}</tr>")
    return "".join(lines)


def _own(group: q.Row) -> str:
    """Own points of the part of the group the records give, and the group's maximum
    where the records give only part of it: "5,94/6 (tối đa của nhóm: 18)"."""
    own = _of(group["points"], group["computed_max_points"])
    if group["computed_max_points"] not in (None, group["group_max_points"]):
        maximum = _points(group["group_max_points"])
        own += " " + t(f"(tối đa của nhóm: {maximum})", f"(group maximum {maximum})")
    return own


def _group_rows(period: q.Qd766Period) -> str:
    lines = []
    for g in period.groups:
        lost = None if g["points"] is None else g["computed_max_points"] - g["points"]
        cells = [
            _unit(g),
            f"<td>{escape(g['group_name_vi'])}</td>",
            _num(_own(g)),
            _num(_points(lost)),
        ]
        attrs = f"data-unit='{escape(g['unit_code'])}' data-group='{escape(g['group_code'])}'"
        if period.has_portal:
            cells += [
                _num(_points(g["portal_points"])),
                _num(_signed(g["difference"])),
                f"<td>{escape(g['likely_cause_vi'] or '')}</td>",
            ]
            attrs += f" data-differs='{str(differs(g)).lower()}'" + (" class='diff'" if differs(g) else "")
        lines.append(f"<tr {attrs}>{''.join(cells)}</tr>")
    return "".join(lines)


def _counts(row: q.Row) -> str:
    """numerator/denominator, × the second ratio where the rule multiplies two (3.3)."""
    counts = f"{_count(row['numerator'])}/{_count(row['denominator'])}"
    if row["multiplier_numerator"] is not None or row["multiplier_denominator"] is not None:
        counts += f" × {_count(row['multiplier_numerator'])}/{_count(row['multiplier_denominator'])}"
    return counts


def _lost_rows(period: q.Qd766Period) -> str:
    lines = []
    for r in period.indicators_lost:
        at = _points(r["full_points_at"])
        value = f"{charts.vn_number(r['value_percent'])} %" if r["value_percent"] is not None else "–"
        lines.append(
            f"<tr data-unit='{escape(r['unit_code'])}' data-indicator='{escape(r['indicator_code'])}'>"
            f"{_unit(r)}<td>{escape(r['indicator_code'])} {escape(r['indicator_name_vi'])}</td>"
            f"{_num(_counts(r))}{_num(value)}{_num(_of(r['points'], r['max_points']))}"
            f"{_num(_points(r['points_lost']))}"
            f"<td>{t(f'đủ điểm ở {at} %', f'full points at {at} %')}</td></tr>"
        )
    return "".join(lines)


def _table(table_id: str, headers: list[str], body: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = body or f"<tr><td colspan='{len(headers)}' class='empty'>{t('Không có', 'None')}</td></tr>"
    return f"<table id='{table_id}'><tr>{head}</tr>{body}</table>"


def _period_part(period: q.Qd766Period) -> str:
    kind = escape(period.period_kind)
    portal_units = [t("Tổng điểm Cổng DVCQG", "Portal's total"), t("Xếp loại của Cổng", "Portal's band")]
    portal_units.append(t("Hạng trên Cổng", "Portal's rank"))
    portal_groups = [
        t("Cổng DVCQG", "Portal"),
        t("Chênh lệch (tự tính − Cổng)", "Difference (own − portal)"),
        t("Nguyên nhân có thể", "Likely cause"),
    ]
    no_portal = (
        ""
        if period.has_portal
        else f"<p class='qd766-no-portal' data-period='{escape(period.period_label)}'>"
        + t(f"{NO_PORTAL_VI}.", "The national portal has not published 766 scores for this period.")
        + "</p>"
    )
    return "".join(
        [
            f"<h3 id='qd766-{kind}'>{t(escape(period_vi(period)), _period_en(period))}</h3>",
            no_portal,
            f"<h4>{t('Tổng điểm và xếp hạng theo quy tắc của Cổng', 'Totals and ranks, portal rules')}</h4>",
            _table(
                f"qd766-units-{kind}",
                [
                    t("Đơn vị", "Unit"),
                    t("Tự tính (điểm/tối đa tính được)", "Own (points/computed maximum)"),
                    t("Xếp loại", "Band"),
                    t("Xếp hạng", "Rank"),
                    t("Thay đổi thứ hạng so với kỳ trước", "Rank change on the previous period"),
                    *(portal_units if period.has_portal else []),
                ],
                _unit_rows(period),
            ),
            f"<h4>{t('Điểm theo nhóm', 'Points per group')}"
            + (t(" so với Cổng DVCQG (tô màu: có chênh lệch)", " against the portal (coloured: they differ)"))
            * period.has_portal
            + "</h4>",
            _table(
                f"qd766-groups-{kind}",
                [
                    t("Đơn vị", "Unit"),
                    t("Nhóm", "Group"),
                    t("Tự tính (điểm/tối đa tính được)", "Own (points/computed maximum)"),
                    t("Bị trừ", "Lost"),
                    *(portal_groups if period.has_portal else []),
                ],
                _group_rows(period),
            ),
            f"<h4>{t('Chỉ số bị trừ điểm', 'Indicators behind the points lost')}</h4>",
            _table(
                f"qd766-lost-{kind}",
                [
                    t("Đơn vị", "Unit"),
                    t("Chỉ số", "Indicator"),
                    t("Tử số/mẫu số", "Numerator/denominator"),
                    t("Giá trị", "Value"),
                    t("Điểm", "Points"),
                    t("Bị trừ", "Lost"),
                    t("Ngưỡng", "Threshold"),
                ],
                _lost_rows(period),
            ),
        ]
    )


def qd766_section(report: q.Qd766Report, province_code: str | None) -> str:
    """The 766 index of the latest year and its latest quarter (issue 19); one line when
    no unit (of the chosen province) has 766 figures."""
    title = f"<h2 id='qd766'>{t('Chỉ số 766', '766 index')}</h2>"
    if not report.periods:
        where_vi = " của tỉnh đã chọn" if province_code else ""
        where_en = " of the chosen province" if province_code else ""
        return title + (
            "<p id='qd766-none'>"
            + t(
                f"Chưa có đơn vị nào{where_vi} có số liệu Chỉ số 766 (hồ sơ một cửa) trong bản công bố.",
                f"No unit{where_en} has 766 figures (one-stop dossiers) in this publication.",
            )
            + "</p>"
        )
    return "".join(
        [
            title,
            "<p class='sub'>",
            t(
                "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg), tự tính từ hồ sơ một cửa theo"
                " công thức của Cổng Dịch vụ công quốc gia (Cổng DVCQG). Tối đa tính được: phần điểm"
                " tối đa của nhóm mà dữ liệu cho phép tính. Chênh lệch = điểm tự tính − điểm Cổng"
                " DVCQG. Thay đổi thứ hạng: số dương là tăng hạng so với kỳ trước cùng loại.",
                "The service index of Decision 766/QĐ-TTg, computed from the one-stop dossiers by the"
                " national portal's formulas. Computed maximum: the part of a group's maximum the"
                " data can give. Difference = own points − the portal's. Rank change: positive is"
                " a move up on the previous period of the same kind.",
            ),
            "</p>",
            *(_period_part(p) for p in report.periods),
        ]
    )

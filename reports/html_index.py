"""The section "Chỉ số CCHC" of the HTML report: the complete PAR INDEX of the period's units
(stage, points and scores, areas, points lost, claims vs data), numbers exact and half up."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from reports import charts
from reports import queries as q
from reports.bilingual import t


def _points(value: Decimal | None) -> str:
    """Points as the rubrics write them: 3, 0,77, 57,97 (exact, half up, no float)."""
    if value is None:
        return "–"
    return charts.vn_number(value, 0 if value == value.to_integral_value() else 2)


def _of(points: Decimal | None, max_points: Decimal | None) -> str:
    return f"{_points(points)}/{_points(max_points)}"


def _signed(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + _points(value)


def _num(text: str) -> str:
    return f"<td class='num'>{text}</td>"


def _index_status_rows(report: q.IndexReport) -> str:
    lines = []
    for r in report.status:
        self_assessed = (
            f"{_of(r['self_assessed_points'], r['self_assessed_max_points'])}"
            f" ({charts.vn_number(r['self_assessed_score'])} %)"
        )
        if r["pending_criteria"]:
            self_assessed += t(
                f"; {r['pending_criteria']} tiêu chí chưa xác định",
                f"; {r['pending_criteria']} criteria pending",
            )
        appraised = (
            f"{_of(r['appraised_points'], r['self_assessed_max_points'])}"
            f" ({charts.vn_number(r['appraised_score'])} %)"
            if r["appraised_points"] is not None
            else "–"
        )
        final = (
            f"{_of(r['final_points'], r['max_points'])} ({charts.vn_number(r['final_score'])} %)"
            f"{', ' + escape(r['final_band_vi']) if r['final_band_vi'] else ''}"
            if r["final_points"] is not None
            else "–"
        )
        status = r["index_status"]
        rank = (
            f"{t(q.RANKED_BY_VI[status], q.RANKED_BY_EN[status])}: <b>{r['rank']}/{r['ranked_units']}</b>"
            if r["rank"] is not None and status in q.RANKED_BY_VI
            else "–"
        )
        lines.append(
            f"<tr data-unit='{escape(r['unit_code'])}' data-status='{escape(status)}'>"
            f"<td>{escape(r['unit_name'])} ({escape(r['unit_code'])})</td>"
            f"<td>{escape(r['index_status_vi'])}</td>{_num(self_assessed)}{_num(appraised)}"
            f"{_num(final)}<td>{rank}</td></tr>"
        )
    return "".join(lines)


def _index_area_rows(report: q.IndexReport) -> str:
    return "".join(
        f"<tr data-unit='{escape(r['unit_code'])}' data-area='{escape(r['area_code'])}'>"
        f"<td>{escape(r['unit_name'])}</td><td>{escape(r['area_code'])}. {escape(r['area_name_vi'])}</td>"
        f"{_num(_of(r['self_assessed_points'], r['self_assessed_max_points']))}"
        f"{_num(_of(r['appraised_points'], r['self_assessed_max_points']) if r['appraised_points'] is not None else '–')}"  # noqa: E501
        f"{_num(_survey(r))}"
        f"{_num(_of(r['final_points'], r['max_points']) if r['final_points'] is not None else '–')}</tr>"
        for r in report.areas
    )


def _survey(area: q.Row) -> str:
    """An area's survey points known of its survey maximum, and how many are still to come."""
    if not area["survey_max_points"]:
        return "–"
    known = _of(area["survey_points"], area["survey_max_points"])
    pending = area["survey_pending_criteria"]
    if pending:
        known += t(f" (còn {pending} tiêu chí chưa có điểm)", f" ({pending} criteria to come)")
    return known


def _index_lost_rows(report: q.IndexReport) -> str:
    lines = []
    for r in report.points_lost:
        pending = r["criterion_status"] == "pending"
        points = (
            f"<td class='num pending'>{t('Chưa xác định', 'Not known yet')}/{_points(r['max_points'])}</td>"
            if pending
            else _num(_of(r["points"], r["max_points"]))
        )
        lines.append(
            f"<tr data-unit='{escape(r['unit_code'])}' data-criterion='{escape(r['node_code'])}'>"
            f"<td>{escape(r['unit_name'])}</td><td>{escape(r['index_status_vi'])}</td>"
            f"<td>{escape(r['node_code'])} {escape(r['name_vi'])}</td>{points}"
            f"{_num(_points(r['points_lost']))}<td>{escape(r['explanation'] or '')}</td>"
            f"<td>{escape(r['appraisal_reason'] or '')}</td></tr>"
        )
    return "".join(lines)


def _index_claim_rows(report: q.IndexReport) -> str:
    lines = []
    for r in report.claims:
        differs = r["difference"] is not None and r["difference"] != 0
        unit = "%" if r["indicator_unit"] == "percent" else escape(r["indicator_unit"] or "")
        measured = (
            f"{charts.vn_number(r['measured_value'])} {unit}" if r["measured_value"] is not None else "–"
        )
        indicator = f"{escape(r['indicator_name_vi'])}: " if r["indicator_name_vi"] else ""
        highlight = " class='diff'" if differs else ""
        lines.append(
            f"<tr data-unit='{escape(r['unit_code'])}' data-criterion='{escape(r['node_code'])}'"
            f" data-differs='{str(differs).lower()}'{highlight}>"
            f"<td>{escape(r['unit_name'])}</td><td>{escape(r['node_code'])} {escape(r['name_vi'])}</td>"
            f"{_num(_points(r['max_points']))}{_num(_points(r['claimed_points']))}"
            f"{_num(_points(r['computed_points']))}{_num(_signed(r['difference']))}"
            f"<td>{indicator}{measured}</td></tr>"
        )
    return "".join(lines)


def _table(table_id: str, headers: list[str], body: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = body or f"<tr><td colspan='{len(headers)}' class='empty'>{t('Không có', 'None')}</td></tr>"
    return f"<table id='{table_id}'><tr>{head}</tr>{body}</table>"


def index_section(report: q.IndexReport, period: str, province_code: str | None) -> str:
    """The complete PAR INDEX of the year (issue 18); one line when no unit has sent its
    self-assessment for it."""
    title = f"<h2 id='index'>{t('Chỉ số CCHC', 'PAR INDEX')}</h2>"
    if not report.status:
        where_vi = " của tỉnh đã chọn" if province_code else ""
        where_en = " of the chosen province" if province_code else ""
        return title + (
            "<p id='index-none'>"
            + t(
                f"Chưa có đơn vị nào{where_vi} gửi kết quả tự đánh giá Chỉ số CCHC năm {escape(period)}.",
                f"No unit{where_en} has sent its PAR INDEX self-assessment for {escape(period)} yet.",
            )
            + "</p>"
        )
    rubrics = sorted({(r["rubric_id"], r["rubric_name_vi"] or r["rubric_id"]) for r in report.status})
    named = "; ".join(f"{escape(name)} ({escape(rid)})" for rid, name in rubrics)
    return "".join(
        [
            title,
            f"<p class='sub'>{t('Bộ tiêu chí', 'Rubric')}: {named}. ",
            t(
                "Giai đoạn: Tự đánh giá → Thẩm định → Chính thức. Mỗi đơn vị được xếp hạng trong giai"
                " đoạn nó đã đạt, cùng các đơn vị cùng giai đoạn; không trộn các giai đoạn. Chỉ số tự"
                " đánh giá, thẩm định: % của điểm tối đa phần tự đánh giá; chỉ số chính thức: % của"
                " 100 điểm (cả điểm điều tra xã hội học).",
                "Stages: self-assessed → appraised → final. Each unit is ranked at the stage it has"
                " reached, with the units at that stage; stages are never mixed. Self-assessed and"
                " appraised scores: % of the self-assessed maximum; final score: % of 100 points"
                " (survey points included).",
            ),
            "</p>",
            f"<h3>{t('Kết quả và xếp hạng theo giai đoạn', 'Results and rankings by stage')}</h3>",
            _table(
                "index-status",
                [
                    t("Đơn vị", "Unit"),
                    t("Giai đoạn", "Stage"),
                    t("Tự đánh giá (điểm, chỉ số)", "Self-assessed (points, score)"),
                    t("Thẩm định", "Appraised"),
                    t("Chính thức (/100, xếp loại)", "Final (/100, band)"),
                    t("Xếp hạng", "Rank"),
                ],
                _index_status_rows(report),
            ),
            f"<h3>{t('Điểm theo lĩnh vực', 'Points per area')}</h3>",
            _table(
                "index-areas",
                [
                    t("Đơn vị", "Unit"),
                    t("Lĩnh vực", "Area"),
                    t("Tự đánh giá", "Self-assessed"),
                    t("Thẩm định", "Appraised"),
                    t("Điều tra XHH (đã có)", "Survey (known)"),
                    t("Chính thức", "Final"),
                ],
                _index_area_rows(report),
            ),
            f"<h3>{t('Nội dung bị trừ điểm (mọi tiêu chí)', 'Points lost (every criterion)')}</h3>",
            _table(
                "index-points-lost",
                [
                    t("Đơn vị", "Unit"),
                    t("Giai đoạn", "Stage"),
                    t("Tiêu chí", "Criterion"),
                    t("Điểm", "Points"),
                    t("Bị trừ", "Lost"),
                    t("Giải trình của đơn vị", "The unit's explanation"),
                    t("Lý do điều chỉnh khi thẩm định", "Appraisal's reason"),
                ],
                _index_lost_rows(report),
            ),
            f"<h3>{t('Điểm tự chấm so với dữ liệu (tô màu: có chênh lệch)', 'Claimed vs computed (coloured: they differ)')}</h3>",  # noqa: E501
            _table(
                "index-claims",
                [
                    t("Đơn vị", "Unit"),
                    t("Tiêu chí", "Criterion"),
                    t("Tối đa", "Max"),
                    t("Tự chấm", "Claimed"),
                    t("Dữ liệu cho", "Computed"),
                    t("Chênh lệch", "Difference"),
                    t("Giá trị đo được", "Measured value"),
                ],
                _index_claim_rows(report),
            ),
        ]
    )

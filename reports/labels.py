"""Words shared by the ranking workbook and the HTML report: the rubrics' titles, the
findings' status and severity, the 766 view's unit kinds and periods. Kept apart from the
workbook's modules: the HTML report's process (reports.html_process) imports this, not
openpyxl."""

from __future__ import annotations

from reports import queries as q

#: the data-only rankings (marts.rankings) say what they are: a ranking on the few criteria
#: the data carries, never the PAR INDEX (that is marts.mart_index_rankings, issue 18)
RUBRIC_VI = {
    "par_basic": "Xếp hạng theo một số chỉ tiêu dữ liệu (tiêu chí cơ bản; không phải Chỉ số CCHC)",
    "qd766": "Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg)",
    "par_district_dongthap": (
        "Xếp hạng theo một số chỉ tiêu dữ liệu cấp huyện tỉnh Đồng Tháp (không phải Chỉ số CCHC)"
    ),
}
STATUS_VI = {"new": "Mới", "open": "Chưa xử lý", "resolved": "Đã xử lý"}
SEVERITY_VI = {"error": "Lỗi", "warn": "Cảnh báo"}


def rubric_title(rubric: str) -> str:
    return RUBRIC_VI.get(rubric, rubric)


NO_PORTAL_VI = "Chưa có điểm 766 do Cổng DVCQG công bố cho kỳ này"
KIND_VI = {**q.KIND_VI, "department": "sở, ngành"}


def period_vi(period: q.Qd766Period) -> str:
    """ "Năm 2023", "Quý 4/2023"; a period not yet over says to which day."""
    start, end = period.period_start, period.period_end
    if period.period_kind == "quarter":
        name = f"Quý {(start.month - 1) // 3 + 1}/{start.year}"
        complete = period.period_label.endswith(f"Q{(start.month - 1) // 3 + 1}")
    else:
        name = f"Năm {start.year}"
        complete = period.period_label == str(start.year)
    return name if complete else f"{name} (đến {end:%d/%m/%Y})"


def differs(group: q.Row) -> bool:
    """Whether the portal's points of a group differ from the warehouse's."""
    return group["difference"] is not None and group["difference"] != 0

"""The sentences of a draft report, in the forms the seed reports use (seed 002 Nha Trang
2018 for dossiers, 000 Cao Lãnh for surveys, 003 Sa Đéc for disbursement and the PAR
self-assessment, 004 An Lão for staffing). Pure functions of figures: the draft fills them
from the marts (narratives/draft.py), the demo from its own generated figures
(demo/narratives.py). Every number is formatted the Vietnamese way and every rate is
computed from the counts by the reports' rule unless a caller states it (the demo plants
wrong ones)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from narratives.vietnamese_numbers import rate, vn_decimal, vn_int, vn_money, vn_rate

COMMUNE_LEVEL_SUBJECT = "UBND cấp xã"
NO_DATA_OPENING = "Kho dữ liệu chưa có số liệu"
STAFF_CATEGORIES_VI: dict[str, str] = {
    "can_bo": "cán bộ",
    "cong_chuc": "công chức",
    "vien_chuc_giao_duc": "viên chức giáo dục và đào tạo",
    "vien_chuc_y_te": "viên chức y tế",
    "vien_chuc_khac": "viên chức sự nghiệp khác",
    "hop_dong": "hợp đồng lao động",
}


@dataclass(frozen=True)
class DossierCounts:
    """One level's one-stop results. ``in_time`` = early + on time ("sớm hạn và đúng hạn").
    The stated rates default to the rule (resolved / received; in time and late / resolved)."""

    received: int
    resolved: int
    in_time: int
    late: int
    resolved_rate: Decimal | None = None
    in_time_rate: Decimal | None = None
    late_rate: Decimal | None = None

    def rates(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        return (
            self.resolved_rate if self.resolved_rate is not None else rate(self.resolved, self.received),
            self.in_time_rate if self.in_time_rate is not None else rate(self.in_time, self.resolved),
            self.late_rate if self.late_rate is not None else rate(self.late, self.resolved),
        )


def _during(period_words: str) -> str:
    return period_words if period_words.startswith("từ ") else f"trong {period_words}"


def _share(value: Decimal | None) -> str:
    return f", chiếm tỷ lệ {vn_rate(value)}" if value is not None else ""


def dossier_paragraph(subject: str, period_words: str, c: DossierCounts, *, own_level: bool) -> str:
    """Seed 002: "* Kết quả giải quyết thủ tục hành chính tại UBND thành phố Nha Trang trong năm
    2018 như sau: Tổng số hồ sơ đã tiếp nhận: 58.053 hồ sơ. Tổng số hồ sơ đã giải quyết là
    56.863 hồ sơ, chiếm tỷ lệ 97,95%, trong đó …" (the commune level without "như sau")."""
    resolved_rate, in_time_rate, late_rate = c.rates()
    lead = f"* Kết quả giải quyết thủ tục hành chính tại {subject} {_during(period_words)}"
    lead += " như sau:" if own_level else ":"
    text = f"{lead} Tổng số hồ sơ đã tiếp nhận: {vn_int(c.received)} hồ sơ."
    text += f" Tổng số hồ sơ đã giải quyết là {vn_int(c.resolved)} hồ sơ{_share(resolved_rate)}"
    if c.resolved:
        text += (
            f", trong đó số hồ sơ giải quyết sớm hạn và đúng hạn là {vn_int(c.in_time)} hồ sơ"
            f"{_share(in_time_rate)}; số hồ sơ giải quyết trễ hạn là {vn_int(c.late)} hồ sơ"
            f"{_share(late_rate)}"
        )
    return text + "."


def survey_paragraph(
    subject: str, period_words: str, forms: int, satisfied: int, stated_rate: Decimal | None = None
) -> str:
    """Seed 000: "… đã khảo sát được 600 phiếu, trong đó có 548 phiếu cho kết quả hài lòng,
    đạt tỷ lệ 91,33%"."""
    value = stated_rate if stated_rate is not None else rate(satisfied, forms)
    reached = f", đạt tỷ lệ {vn_rate(value)}" if value is not None else ""
    return (
        f"* Kết quả khảo sát sự hài lòng của tổ chức, cá nhân đối với {subject} {_during(period_words)}:"
        f" đã khảo sát được {vn_int(forms)} phiếu, trong đó có {vn_int(satisfied)} phiếu cho kết quả"
        f" hài lòng{reached}."
    )


def vn_day(d: date) -> str:
    """date(2023, 8, 15) → '15/8/2023' (as the seeds write a day)."""
    return f"{d.day}/{d.month}/{d.year}"


def disbursement_paragraph(
    fiscal_year: int, as_of: date, plan: Decimal, disbursed: Decimal, stated_rate: Decimal | None = None
) -> str:
    """Seed 003: "Kế hoạch giao: 590.161,540 triệu đồng; đã thực hiện giải ngân: 212.901,285
    triệu đồng đạt 36% Kế hoạch" (the rate to two decimals here)."""
    value = stated_rate if stated_rate is not None else rate(disbursed, plan)
    reached = f", đạt {vn_rate(value)} kế hoạch" if value is not None else ""
    return (
        f"* Kết quả thực hiện giải ngân kế hoạch đầu tư vốn ngân sách nhà nước năm {fiscal_year}"
        f" (tính đến ngày {vn_day(as_of)}): Kế hoạch vốn giao: {vn_money(plan)} triệu đồng;"
        f" đã giải ngân: {vn_money(disbursed)} triệu đồng{reached}."
    )


def _category_list(parts: Sequence[tuple[str, int]], word: str) -> str:
    return "; ".join(f"{STAFF_CATEGORIES_VI.get(cat, cat)}: {vn_int(n)} {word}" for cat, n in parts)


def staff_quota_paragraph(subject: str, as_of: date, parts: Sequence[tuple[str, int]]) -> str:
    """Seed 004: "… phân bổ biên chế … với 733 biên chế, cụ thể: Biên chế công chức: 75 biên chế; …"."""
    total = sum(n for _, n in parts)
    return (
        f"* Biên chế được giao của {subject} (số liệu đến ngày {vn_day(as_of)}) là {vn_int(total)}"
        f" biên chế, cụ thể: {_category_list(parts, 'biên chế')}."
    )


def staff_actual_paragraph(as_of: date, parts: Sequence[tuple[str, int]]) -> str:
    """Seed 004: "Tổng số cán bộ, công chức, viên chức hiện có tính đến thời điểm 31/5/2023 là
    713 người, trong đó: - Cán bộ: 7 người …"."""
    total = sum(n for _, n in parts)
    return (
        f"* Tổng số cán bộ, công chức, viên chức và người lao động hiện có tính đến thời điểm"
        f" {vn_day(as_of)} là {vn_int(total)} người, trong đó: {_category_list(parts, 'người')}."
    )


def points(value: Decimal) -> str:
    return vn_decimal(value, 2)


def par_area_paragraph(
    area_code: str, area_name: str, achieved: Decimal, max_points: Decimal, pending: int = 0
) -> str:
    """Seed 003: "Chỉ số này ước Thành phố đạt 13,91/16,50 điểm."."""
    if pending and not achieved:  # nothing scored yet: never "0 of max"
        return (
            f"- Lĩnh vực {area_code}. {area_name}: chưa xác định được điểm"
            f" (tối đa {points(max_points)} điểm; {vn_int(pending)} tiêu chí chưa xác định)."
        )
    text = f"- Lĩnh vực {area_code}. {area_name}: ước đạt {points(achieved)}/{points(max_points)} điểm."
    if pending:
        text += f" Trong đó, {vn_int(pending)} tiêu chí chưa xác định được điểm."
    return text


def par_total_paragraph(subject: str, year: int, achieved: Decimal, max_points: Decimal) -> str:
    """Seed 003: "Thành phố tự đánh giá đạt 57,96 điểm/ 70 điểm"."""
    return (
        f"* Kết quả tự đánh giá Chỉ số cải cách hành chính năm {year} của {subject}:"
        f" ước đạt {points(achieved)}/{points(max_points)} điểm."
    )


def par_areas_lead(year: int) -> str:
    """The lead of the area lines, with the assessment's year (a draft for a quarter or half
    year states the PAR self-assessment of its year: the lines below take the lead's year)."""
    return f"* Điểm tự đánh giá theo từng lĩnh vực năm {year}:"


def points_lost_lead(year: int) -> str:
    """Seed 003: "Nội dung còn hạn chế chưa đạt điểm tuyệt đối", with the year."""
    return f"* Nội dung còn hạn chế chưa đạt điểm tuyệt đối năm {year}:"


def points_lost_paragraph(
    ordinal: str, name: str, achieved: Decimal | None, max_points: Decimal, pending: bool
) -> str:
    """Seed 003: "Nội dung còn hạn chế chưa đạt điểm tuyệt đối … tiêu chí (1) thực hiện kế
    hoạch CCHC (1,6/ 2,0 điểm)", the points beside the criterion's number: "- Tiêu chí 1.9
    (8,14/11,00 điểm): Các tiêu chí còn lại của lĩnh vực (chưa công bố chi tiết)." (after a
    rubric's name, which may hold its own parentheses, levels and "của …", the extractor does
    not always take the points for the criterion's)."""
    if pending or achieved is None:
        got = f"chưa xác định được điểm, tối đa {points(max_points)} điểm"
    else:
        got = f"{points(achieved)}/{points(max_points)} điểm"
    return f"- Tiêu chí {ordinal} ({got}): {name}."


def no_data_paragraph(what: str, subject: str, period_words: str) -> str:
    """A section the marts hold nothing for says so, never invents."""
    return f"{NO_DATA_OPENING} {what} của {subject} {_during(period_words)}."

"""The national public service portal's published 766 scores for the demo's year.

One .xlsx as the portal's ranking page exports it (family ``portal_766_scores``, read by
ingest/portal_766.py): a title naming the year, the six groups with their maxima in the
headings, the total, the rank and the band. The four demo provinces' figures are made up
for the demo (not the portal's real 2023 figures) and add up to their totals; the
reconciliation mart (mart_766_reconciliation) sets them beside what the demo's records give
and names the causes the records show (dossiers not synced, blank channels, more than one
supplement request, online dossiers without an electronic result …).
"""

from __future__ import annotations

from decimal import Decimal

from demo._common import BOLD, new_workbook, xlsx_bytes
from demo.records import YEAR
from demo.units import Province

FILE_NAME = f"chi_so_766_cac_tinh_nam_{YEAR}.xlsx"
GROUPS = (
    ("Công khai, minh bạch", 18),
    ("Tiến độ giải quyết", 20),
    ("Dịch vụ trực tuyến", 12),
    ("Thanh toán trực tuyến", 10),
    ("Mức độ hài lòng", 18),
    ("Số hóa hồ sơ", 22),
)
#: province code -> the six groups, the rank among 63 provinces and the band (illustrative)
SCORES: dict[str, tuple[tuple[str, ...], int, str]] = {
    "87": (("15.8", "18.9", "9.6", "6.1", "17.2", "16.4"), 9, "Tốt"),
    "72": (("14.9", "18.7", "8.8", "5.4", "16.9", "15.2"), 21, "Khá"),
    "52": (("15.1", "19.2", "9.9", "6.8", "17.5", "17.0"), 6, "Tốt"),
    "56": (("15.6", "18.8", "10.2", "7.3", "17.4", "17.6"), 4, "Tốt"),
}


def total(code: str) -> Decimal:
    return sum((Decimal(v) for v in SCORES[code][0]), Decimal(0))


def _vn(value: Decimal | str) -> str:
    return str(value).replace(".", ",")


def portal_766_xlsx(provinces: tuple[Province, ...]) -> bytes:
    wb, ws = new_workbook("Xếp hạng")
    ws.append(["CỔNG DỊCH VỤ CÔNG QUỐC GIA"])
    ws.append([f"BẢNG XẾP HẠNG CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP CỦA CÁC TỈNH, THÀNH PHỐ NĂM {YEAR}"])
    ws.append(["(Theo Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ)"])
    ws.append([])
    ws.append(
        ["STT", "Tên đơn vị", "Mã đơn vị", *[f"{name} ({most} điểm)" for name, most in GROUPS],
         "Tổng điểm", "Xếp hạng", "Xếp loại"]
    )  # fmt: skip
    for cell in ws[5]:
        cell.font = BOLD
    listed = sorted((p for p in provinces if p.code in SCORES), key=lambda p: SCORES[p.code][1])
    for n, p in enumerate(listed, 1):
        groups, rank, band = SCORES[p.code]
        ws.append([n, p.short, p.code, *(_vn(v) for v in groups), _vn(total(p.code)), rank, band])
    return xlsx_bytes(wb)

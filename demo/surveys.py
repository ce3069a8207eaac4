"""Satisfaction surveys (family `surveys`): per-form export and aggregated tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from openpyxl.utils import get_column_letter

from demo._common import BOLD, CENTER, csv_bytes, new_workbook, rng_for, vn_date, xlsx_bytes
from demo.units import District

# Seed 000: Thành phố Cao Lãnh, 2021: 548 of 600 forms satisfied (91,33 %).
CAO_LANH = "866"
CAO_LANH_FORMS = 600
CAO_LANH_SATISFIED = 548

FORM_HEADER = (
    "Mã phiếu",
    "Mã đơn vị",
    "Cấp",
    "Ngày khảo sát",
    "Họ tên",
    "Số điện thoại",
    "CCCD",
    "Địa chỉ",
    "Câu 1 - Tiếp cận dịch vụ",
    "Câu 2 - Thủ tục hành chính",
    "Câu 3 - Công chức giải quyết",
    "Câu 4 - Kết quả giải quyết",
    "Câu 5 - Hài lòng chung",
)
PERSONAL_COLUMNS = ("Họ tên", "Số điện thoại", "CCCD", "Địa chỉ")
AGG_HEADER = ("STT", "Mã đơn vị", "Đơn vị", "Cấp", "Kỳ báo cáo", "Số phiếu", "Số phiếu hài lòng")

_SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Hoàng",
    "Phan",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đinh",
    "Lâm",
)
_MIDDLE_M = ("Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Đức", "Hoàng")
_MIDDLE_F = ("Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích", "Hồng")
_GIVEN_M = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hùng",
    "Khoa",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Thành",
    "Tuấn",
    "Vinh",
    "Tài",
    "Lộc",
    "Hiếu",
    "Trí",
)
_GIVEN_F = (
    "Hà",
    "Hạnh",
    "Lan",
    "Linh",
    "Mai",
    "Nhung",
    "Phương",
    "Tâm",
    "Thảo",
    "Trang",
    "Vy",
    "Yến",
    "Hương",
    "Ngân",
    "Diễm",
    "Loan",
    "Thủy",
    "Xuân",
)
_STREETS = (
    "Nguyễn Huệ",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Hùng Vương",
    "Lý Thường Kiệt",
    "Nguyễn Thái Học",
    "Phạm Hữu Lầu",
    "Tôn Đức Thắng",
    "Ngô Thời Nhậm",
    "30 tháng 4",
)
_PHONE_PREFIX = (
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "070",
    "077",
    "079",
    "081",
    "083",
    "085",
    "088",
)


def _person(rng: Random, commune_names: Sequence[str], district_name: str) -> tuple[str, ...]:
    female = rng.random() < 0.52
    name = " ".join(
        (
            rng.choice(_SURNAMES),
            rng.choice(_MIDDLE_F if female else _MIDDLE_M),
            rng.choice(_GIVEN_F if female else _GIVEN_M),
        )
    )
    phone = rng.choice(_PHONE_PREFIX) + f"{rng.randrange(10**7):07d}"
    born = rng.randint(1950, 2003)
    century_gender = (0 if born < 2000 else 2) + (1 if female else 0)
    cccd = f"087{century_gender}{born % 100:02d}{rng.randrange(10**6):06d}"
    address = (
        f"Số {rng.randint(1, 350)}, đường {rng.choice(_STREETS)}, "
        f"{rng.choice(commune_names)}, {district_name}, tỉnh Đồng Tháp"
    )
    return name, phone, cccd, address


def _answers(rng: Random, satisfied: bool) -> list[int]:
    overall = (
        rng.choices((4, 5), (0.45, 0.55))[0] if satisfied else rng.choices((1, 2, 3), (0.06, 0.3, 0.64))[0]
    )
    others = [max(1, min(5, overall + rng.choice((-1, 0, 0, 0, 1)))) for _ in range(4)]
    return [*others, overall]


def cao_lanh_forms_csv(seed: int, district: District) -> tuple[bytes, int, int]:
    """600 forms of Thành phố Cao Lãnh's one-stop shop, 2021; exactly 548 answer 4 or 5 overall."""
    rng = rng_for(seed, "survey-forms", district.code, 2021)
    satisfied = set(rng.sample(range(CAO_LANH_FORMS), CAO_LANH_SATISFIED))
    days = [date(2021, 9, 6) + timedelta(days=i) for i in range(75)]
    days = [d for d in days if d.weekday() < 5]
    communes = [c.name for c in district.communes]
    rows = []
    for i in range(CAO_LANH_FORMS):
        rows.append(
            [
                f"CL2021-{i + 1:04d}",
                district.code,
                "huyện",
                vn_date(rng.choice(days)),
                *_person(rng, communes, district.name),
                *_answers(rng, i in satisfied),
            ]
        )
    rows.sort(key=lambda r: (r[3][6:] + r[3][3:5] + r[3][:2], r[0]))
    return csv_bytes(FORM_HEADER, rows, delimiter=","), CAO_LANH_FORMS, CAO_LANH_SATISFIED


@dataclass(frozen=True)
class SurveyRow:
    unit_code: str
    unit_name: str
    year: int
    forms: int
    satisfied: int


def district_survey(seed: int, district: District, year: int) -> SurveyRow:
    rng = rng_for(seed, "survey", district.code, year)
    forms = rng.randint(20, 60) if district.code == "576" else rng.randrange(200, 601, 10)
    rate = rng.uniform(0.85, 0.985) + 0.005 * (year - 2021)
    return SurveyRow(district.code, district.name, year, forms, min(forms, round(forms * rate)))


def survey_xlsx(titles: Sequence[str], rows: Sequence[SurveyRow]) -> bytes:
    wb, ws = new_workbook("Khảo sát")
    ncols = len(AGG_HEADER)
    for i, title in enumerate(titles, start=1):
        ws.cell(row=i, column=1, value=title).font = BOLD
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=ncols)
        ws.cell(row=i, column=1).alignment = CENTER
    h = len(titles) + 2
    for c, label in enumerate(AGG_HEADER, start=1):
        cell = ws.cell(row=h, column=c, value=label)
        cell.font = BOLD
        cell.alignment = CENTER
    r = h + 1
    for stt, row in enumerate(rows, start=1):
        values = [
            stt,
            int(row.unit_code),
            row.unit_name,
            "Cấp huyện",
            f"Năm {row.year}",
            row.forms,
            row.satisfied,
        ]
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=v)
        r += 1
    ws.cell(row=r, column=1, value="Tổng cộng").font = BOLD
    ws.cell(row=r, column=6, value=sum(x.forms for x in rows)).font = BOLD
    ws.cell(row=r, column=7, value=sum(x.satisfied for x in rows)).font = BOLD
    for c, w in enumerate((6, 10, 28, 11, 12, 10, 16), start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    return xlsx_bytes(wb)

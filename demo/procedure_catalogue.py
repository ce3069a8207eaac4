"""The procedure catalogue (danh mục thủ tục hành chính, TTHC) of each demo province.

One .xlsx per province, as a Department of Justice publishes the catalogue of the district-
and commune-level procedures on its territory (family ``procedure_catalogue``, read by
ingest/procedure_catalogue.py): a letterhead, a title with the catalogue's date ("cập nhật
đến ngày 31/12/2023"), a "Đơn vị: UBND tỉnh …" line, a two-row header ("Quyết định công bố"
over "Số | Ngày"), heading rows for the levels, one row per procedure the demo's record
exports use (demo/records.py), with its online level, fee in VND (the amount the records
carry), whether it returns a paper result (then an online dossier counts for the 766 online
rule only with an electronic result), the publishing decision and its date, the date its
legal basis took effect (most published at least 5 working days before it; each province
has a field or two published late), the date it was updated on the national database and
whether it is published complete. Publication is drawn from ``rng_for(seed, "catalogue",
province)``: no other file changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from openpyxl.utils import get_column_letter

from demo._common import BOLD, CENTER, new_workbook, rng_for, vn_date, vn_int, xlsx_bytes
from demo.records import (
    COMMUNE_PROCEDURES,
    DISTRICT_PROCEDURES,
    FEE_AMOUNTS,
    YEAR,
    Procedure,
    add_working_days,
    is_working_day,
)
from demo.units import Province

AS_OF = date(YEAR, 12, 31)
ON_TIME_DAYS = 5  # a province publishes at least 5 working days before the legal basis takes effect

# code -> (name, returns a paper result)
PROCEDURE_NAMES: dict[str, tuple[str, bool]] = {
    "1.004227.000.00.00.H17": ("Đăng ký đất đai, tài sản gắn liền với đất lần đầu", True),
    "2.000815.000.00.00.H17": (
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
        True,
    ),
    "1.001022.000.00.00.H17": ("Đăng ký khai sinh có yếu tố nước ngoài", False),
    "2.000720.000.00.00.H17": ("Đăng ký thành lập hộ kinh doanh", True),
    "1.009994.000.00.00.H17": ("Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", True),
    "1.001776.000.00.00.H17": ("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", False),
    "1.004831.000.00.00.H17": ("Chuyển trường đối với học sinh trung học cơ sở", False),
    "1.001055.000.00.00.H17": ("Đăng ký sinh hoạt tôn giáo tập trung", False),
    "2.000633.000.00.00.H17": ("Cấp Giấy phép bán lẻ sản phẩm rượu", True),
    "1.003645.000.00.00.H17": ("Công nhận lần đầu Cơ quan đạt chuẩn văn hóa", False),
    "2.000908.000.00.00.H17": (
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền cấp",
        True,
    ),
    "1.001193.000.00.00.H17": ("Đăng ký khai sinh", False),
    "1.000656.000.00.00.H17": ("Đăng ký khai tử", False),
    "1.004873.000.00.00.H17": ("Cấp Giấy xác nhận tình trạng hôn nhân", True),
    "1.000894.000.00.00.H17": ("Đăng ký kết hôn", True),
    "1.001758.000.00.00.H17": ("Xác định mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", False),
    "1.010819.000.00.00.H17": ("Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", False),
    "2.000346.000.00.00.H17": ("Tặng Giấy khen của Chủ tịch UBND cấp xã cho gia đình", True),
    "2.001162.000.00.00.H17": ("Hòa giải tranh chấp đất đai", False),
    "1.000775.000.00.00.H17": ("Đăng ký nhận cha, mẹ, con", False),
}

HEADER = (
    "STT",
    "Mã TTHC",
    "Tên thủ tục hành chính",
    "Cấp thực hiện",
    "Lĩnh vực",
    "Mức độ DVC",
    "Phí, lệ phí (đồng)",
    "Trả kết quả bản giấy",
    "Quyết định công bố",
    None,
    "Ngày có hiệu lực của văn bản quy định",
    "Ngày cập nhật trên CSDL quốc gia",
    "Công khai đầy đủ",
)
LEVELS = (("A", "THỦ TỤC HÀNH CHÍNH CẤP HUYỆN", "Cấp huyện"), ("B", "THỦ TỤC HÀNH CHÍNH CẤP XÃ", "Cấp xã"))


@dataclass(frozen=True)
class Publication:
    """The decision publishing a field's procedures and its dates."""

    decision: str
    published_on: date
    effective_on: date
    on_time: bool


@dataclass(frozen=True)
class CatalogueEntry:
    procedure: Procedure
    level: str  # "Cấp huyện" | "Cấp xã"
    name: str
    returns_paper_result: bool
    fee_amount: int | None  # None: no fee
    publication: Publication
    updated_on: date
    published_complete: bool


def catalogue_file_name(p: Province) -> str:
    return f"danh_muc_tthc_{p.slug}_{YEAR}.xlsx"


def _working_days_before(d: date, n: int) -> date:
    for _ in range(n):
        d -= timedelta(days=1)
        while not is_working_day(d):
            d -= timedelta(days=1)
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days from start (excluded) to end (included); negative when end is earlier."""
    if end < start:
        return -working_days_between(end, start)
    return sum(is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def _publication(rng: Random, late: bool) -> Publication:
    month = rng.randint(4, 10)
    effective = date(YEAR, month, 1)
    while not is_working_day(effective):
        effective += timedelta(days=1)
    if late:  # after the legal basis took effect, or too close before it
        published = (
            add_working_days(effective, rng.randint(1, 10))
            if rng.random() < 0.6
            else _working_days_before(effective, rng.randint(1, ON_TIME_DAYS - 1))
        )
    else:
        published = _working_days_before(effective, rng.randint(ON_TIME_DAYS + 3, 20))
    number = f"{rng.randint(150, 2800)}/QĐ-UBND"
    return Publication(number, published, effective, not late)


def province_catalogue(seed: int, p: Province) -> list[CatalogueEntry]:
    """Every procedure the demo's records use, district level then commune level."""
    rng = rng_for(seed, "catalogue", p.code)
    levels = ((LEVELS[0][2], DISTRICT_PROCEDURES), (LEVELS[1][2], COMMUNE_PROCEDURES))
    fields = sorted({(level, proc.field) for level, procs in levels for proc in procs})
    late_fields = set(rng.sample(fields, 2))
    publications = {key: _publication(rng, key in late_fields) for key in fields}
    out: list[CatalogueEntry] = []
    for level, procs in levels:
        for proc in procs:
            name, paper = PROCEDURE_NAMES[proc.code]
            pub = publications[(level, proc.field)]
            lag = rng.randint(1, 5) if rng.random() < 0.85 else rng.randint(8, 20)
            out.append(
                CatalogueEntry(
                    proc,
                    level,
                    name,
                    paper,
                    FEE_AMOUNTS[proc.code] if proc.fee else None,
                    pub,
                    add_working_days(pub.published_on, lag),
                    rng.random() < 0.9,
                )
            )
    return out


def _yes(v: bool) -> str:
    return "Có" if v else "Không"


def catalogue_xlsx(p: Province, entries: list[CatalogueEntry]) -> bytes:
    wb, ws = new_workbook("Danh mục TTHC")
    ncols = len(HEADER)
    titles = (
        f"UBND TỈNH {p.short.upper()}",
        "DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND CẤP HUYỆN, CẤP XÃ"
        f" TRÊN ĐỊA BÀN TỈNH {p.short.upper()} (cập nhật đến ngày {vn_date(AS_OF)})",
        f"Đơn vị: UBND tỉnh {p.short}",
    )
    for i, title in enumerate(titles, 1):
        ws.cell(row=i, column=1, value=title).font = BOLD
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=ncols)
        ws.cell(row=i, column=1).alignment = CENTER
    top = len(titles) + 2
    for j, label in enumerate(HEADER, 1):
        if label is not None:
            ws.cell(row=top, column=j, value=label)
    ws.cell(row=top + 1, column=9, value="Số")
    ws.cell(row=top + 1, column=10, value="Ngày")
    for j in range(1, ncols + 1):
        for r in (top, top + 1):
            ws.cell(row=r, column=j).font = BOLD
            ws.cell(row=r, column=j).alignment = CENTER
        if j not in (9, 10):
            ws.merge_cells(start_row=top, start_column=j, end_row=top + 1, end_column=j)
    ws.merge_cells(start_row=top, start_column=9, end_row=top, end_column=10)
    r = top + 2
    n = 0
    for letter, heading, level in LEVELS:
        ws.cell(row=r, column=1, value=letter).font = BOLD
        ws.cell(row=r, column=2, value=heading).font = BOLD
        r += 1
        for e in (e for e in entries if e.level == level):
            n += 1
            pub = e.publication
            values = (
                n,
                e.procedure.code,
                e.name,
                e.level,
                e.procedure.field,
                "Toàn trình" if e.procedure.fully_online_eligible else "Một phần",
                "Không" if e.fee_amount is None else vn_int(e.fee_amount),
                _yes(e.returns_paper_result),
                pub.decision,
                vn_date(pub.published_on),
                vn_date(pub.effective_on),
                vn_date(e.updated_on),
                _yes(e.published_complete),
            )
            for j, v in enumerate(values, 1):
                ws.cell(row=r, column=j, value=v)
            r += 1
    ws.cell(row=r + 1, column=3, value=f"Tổng số: {n} thủ tục").font = BOLD
    for j, width in enumerate((6, 26, 60, 12, 30, 12, 14, 12, 16, 12, 16, 16, 12), 1):
        ws.column_dimensions[get_column_letter(j)].width = width
    return xlsx_bytes(wb)

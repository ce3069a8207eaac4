"""Narrative reports in the demo inbox (family ``narrative_reports``): the data sections of a
unit's PAR report as a .docx, written with the draft's own sentence forms
(narratives/draft_sentences.py) from the figures the demo's submissions carry (the same
generated figures, never a warehouse), with a few deliberate differences.

Reports (same seed → same bytes):

* ``bao_cao_cchc_tp_nha_trang_nam_2018.docx`` — Thành phố Nha Trang (L568, district), năm
  2018: the city level (seed 002's figures) and the commune level (its communes summed).
* ``bao_cao_cchc_phuong_vinh_phuoc_nam_2018.docx`` — Phường Vĩnh Phước (L22333, commune of
  Nha Trang), năm 2018: its own one-stop results.
* ``bao_cao_cchc_tp_sa_dec_nam_2023.docx`` — Thành phố Sa Đéc (L867, district), year to
  15/8/2023: public investment disbursement (seed 003's figures). No difference planted:
  every claim matches the data.

Planted differences (:data:`PLANTED`; tests assert the claims mart shows them):

1. Nha Trang 2018, city level, ``dossiers_received``: the report states 58.058, the data
   58.053 (+5, a count off by a few). Its rate 97,95% is the data's rate, so against its
   own counts (56.863 / 58.058 = 97,94%) the report is also inconsistent.
2. Nha Trang 2018, commune level, ``rate_on_time``: the report states 99,80%; 75.226 /
   75.384 = 99,7904…% rounds half up to 99,79% (a rate rounded wrongly). The counts match.
3. Vĩnh Phước 2018, commune level, ``dossiers_resolved_late``: the report states 10, the data
   8 (+2); early and on time 2.475 plus late 10 make 2.485, not the stated resolved 2.483
   (parts not adding to the total). Its late rate 0,32% is the data's (8 / 2.483).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from demo._common import FIXED_DATETIME
from demo.budget import SA_DEC, SA_DEC_AUG_2023, SA_DEC_PLAN_2023
from demo.dossiers import DossierRow
from demo.figures import DossierFigures, total
from demo.summary import Writer
from demo.units import District
from narratives.draft_document import DraftDocument, Section, docx_bytes
from narratives.draft_sentences import (
    COMMUNE_LEVEL_SUBJECT,
    DossierCounts,
    disbursement_paragraph,
    dossier_paragraph,
)
from narratives.vietnamese_numbers import rate

FAMILY = "narrative_reports"
NHA_TRANG_FILE = "bao_cao_cchc_tp_nha_trang_nam_2018.docx"
VINH_PHUOC_FILE = "bao_cao_cchc_phuong_vinh_phuoc_nam_2018.docx"
SA_DEC_FILE = "bao_cao_cchc_tp_sa_dec_nam_2023.docx"
VINH_PHUOC = "Phường Vĩnh Phước"


@dataclass(frozen=True)
class Planted:
    file: str
    unit_code: str
    level: str  # district, commune (as claims say it)
    measure: str
    stated: Decimal
    data: Decimal
    kind: str  # count_off, rate_rounded_wrongly, parts_not_adding


PLANTED: tuple[Planted, ...] = (
    Planted(
        NHA_TRANG_FILE, "L568", "district", "dossiers_received", Decimal(58_058), Decimal(58_053), "count_off"
    ),
    Planted(
        NHA_TRANG_FILE,
        "L568",
        "commune",
        "rate_on_time",
        Decimal("99.80"),
        Decimal("99.79"),
        "rate_rounded_wrongly",
    ),
    Planted(
        VINH_PHUOC_FILE,
        "L22333",
        "commune",
        "dossiers_resolved_late",
        Decimal(10),
        Decimal(8),
        "parts_not_adding",
    ),
)

_ONE_STOP_PROSE = (
    "Bộ phận tiếp nhận và trả kết quả tiếp tục thực hiện nghiêm cơ chế một cửa, một cửa liên thông"
    " trong giải quyết thủ tục hành chính theo Nghị định số 61/2018/NĐ-CP của Chính phủ; hồ sơ được"
    " tiếp nhận, luân chuyển và theo dõi trên phần mềm Một cửa điện tử."
)
_CLOSING_PROSE = (
    "Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính của đơn vị; đề nghị các cơ"
    " quan có thẩm quyền xem xét, tổng hợp và hướng dẫn thực hiện trong thời gian tới."
)


def _counts(f: DossierFigures) -> DossierCounts:
    return DossierCounts(f.received, f.resolved, f.in_time, f.resolved_late)


def _document(heading: str, place_date: str, title: str, sections: tuple[Section, ...]) -> DraftDocument:
    preface = Section("I. TÌNH HÌNH CHUNG", (_ONE_STOP_PROSE,))
    closing = Section("III. KIẾN NGHỊ, ĐỀ XUẤT", (_CLOSING_PROSE, "CHỦ TỊCH"))
    return DraftDocument(
        title=heading,
        subtitle=f"Số: 01/BC-UBND. {place_date}",
        note="",
        sections=(Section("BÁO CÁO", (title,)), preface, *sections, closing),
    )


def nha_trang_report(rows: list[DossierRow]) -> bytes:
    """Seed 002's city and commune levels; differences 1 and 2."""
    [city] = [r.figures for r in rows if r.level == "huyen"]
    communes = total([r.figures for r in rows if r.level == "xa"])
    c = _counts(city)
    stated_city = DossierCounts(
        c.received + 5,  # planted 1: a count off by a few (58.053 → 58.058)
        c.resolved,
        c.in_time,
        c.late,
        resolved_rate=rate(c.resolved, c.received),  # the data's rate, not the stated counts'
    )
    k = _counts(communes)
    stated_communes = DossierCounts(
        k.received, k.resolved, k.in_time, k.late, in_time_rate=_rounded_up(k.in_time, k.resolved)
    )  # planted 2
    words = "năm 2018"
    body = Section(
        "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        (
            dossier_paragraph("UBND thành phố Nha Trang", words, stated_city, own_level=True),
            dossier_paragraph(COMMUNE_LEVEL_SUBJECT, words, stated_communes, own_level=False),
        ),
    )
    doc = _document(
        "UBND THÀNH PHỐ NHA TRANG",
        "Nha Trang, ngày 28 tháng 3 năm 2019",
        "Tổng kết công tác cải cách hành chính thành phố Nha Trang năm 2018",
        (body,),
    )
    return docx_bytes(doc, FIXED_DATETIME)


def _rounded_up(numerator: int, denominator: int) -> Decimal:
    """The rate rounded wrongly: up at the second decimal whatever the third (99,7904 → 99,80)."""
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return (exact * 100).to_integral_value(rounding=ROUND_CEILING) / 100


def vinh_phuoc_report(rows: list[DossierRow]) -> bytes:
    """A commune of Nha Trang; difference 3."""
    [fig] = [r.figures for r in rows if r.level == "xa" and r.unit_name == VINH_PHUOC]
    c = _counts(fig)
    stated = DossierCounts(c.received, c.resolved, c.in_time, c.late + 2, late_rate=rate(c.late, c.resolved))
    body = Section(
        "II. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        (dossier_paragraph("UBND phường Vĩnh Phước", "năm 2018", stated, own_level=True),),
    )
    doc = _document(
        "UBND PHƯỜNG VĨNH PHƯỚC",
        "Vĩnh Phước, ngày 20 tháng 3 năm 2019",
        # a ward's name is not unique in the country: the title names its city and province, as
        # commune reports do ("phường …, thành phố …, tỉnh …")
        "Kết quả thực hiện công tác cải cách hành chính phường Vĩnh Phước, thành phố Nha Trang,"
        " tỉnh Khánh Hòa năm 2018",
        (body,),
    )
    return docx_bytes(doc, FIXED_DATETIME)


def sa_dec_report() -> bytes:
    """Seed 003's disbursement to 15/8/2023, as stated; no difference."""
    as_of, disbursed = SA_DEC_AUG_2023
    body = Section(
        "II. CẢI CÁCH TÀI CHÍNH CÔNG",
        (disbursement_paragraph(2023, as_of, SA_DEC_PLAN_2023, disbursed),),
    )
    doc = _document(
        "UBND THÀNH PHỐ SA ĐÉC",
        "Sa Đéc, ngày 25 tháng 8 năm 2023",
        f"Kết quả thực hiện công tác cải cách hành chính thành phố Sa Đéc đến ngày {as_of.day}/{as_of.month}/"
        f"{as_of.year}",
        (body,),
    )
    return docx_bytes(doc, FIXED_DATETIME)


def write_narrative_reports(
    w: Writer, nha_trang_rows: list[DossierRow], sa_dec: District
) -> dict[str, object]:
    """Put the three reports in the inbox; what the claims mart must show."""
    assert sa_dec.code == SA_DEC
    w.put(NHA_TRANG_FILE, FAMILY, nha_trang_report(nha_trang_rows), note="report; 2 planted differences")
    w.put(VINH_PHUOC_FILE, FAMILY, vinh_phuoc_report(nha_trang_rows), note="report; 1 planted difference")
    w.put(SA_DEC_FILE, FAMILY, sa_dec_report(), note="report; every claim matches the data")
    return {
        "files": [NHA_TRANG_FILE, VINH_PHUOC_FILE, SA_DEC_FILE],
        "planted": [
            {
                "file": p.file,
                "unit_code": p.unit_code,
                "level": p.level,
                "measure": p.measure,
                "stated": str(p.stated),
                "data": str(p.data),
                "kind": p.kind,
            }
            for p in PLANTED
        ],
        "as_of": {SA_DEC_FILE: date(2023, 8, 15).isoformat()},
    }

"""Entry points: the full demo inbox, the small hand-checkable inbox, the blocking defect."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from random import Random

from demo._common import csv_bytes, nfd, pct, rng_for, vn_date
from demo.budget import (
    SA_DEC,
    SA_DEC_AUG_2023,
    SA_DEC_PLAN_2023,
    BudgetRow,
    budget_csv,
    district_budget,
)
from demo.dossiers import CSV_HEADER as DOSSIER_CSV_HEADER
from demo.dossiers import STATUS_CSV_HEADER as DOSSIER_STATUS_HEADER
from demo.dossiers import (
    YEARS,
    DossierRow,
    dossier_csv_rows,
    dossier_xlsx,
    province_rows,
    with_statuses,
)
from demo.figures import DossierFigures, total
from demo.ii06a import Section, ii06a_xlsx, split_by_field
from demo.narratives import write_narrative_reports
from demo.portal_766 import FILE_NAME as PORTAL_766_FILE
from demo.portal_766 import SCORES as PORTAL_766_SCORES
from demo.portal_766 import portal_766_xlsx
from demo.portal_766 import total as portal_766_total
from demo.procedure_catalogue import AS_OF as CATALOGUE_AS_OF
from demo.procedure_catalogue import catalogue_file_name, catalogue_xlsx, province_catalogue
from demo.records import Record, aggregate, district_records, records_csv_gz, records_parquet
from demo.seeds import NHA_TRANG, NHA_TRANG_HUYEN_2018, nha_trang_2018_rows
from demo.self_assessment import (
    EXPLANATIONS,
    FINAL_SURVEY_POINTS,
    SA_DEC_2023,
    area_sums,
    data_points,
    points_of,
    sa_dec_2023_xlsx,
    self_assessed_total,
    self_assessment_xlsx,
    shipped_rubric,
    varied_scores,
    vi_points,
)
from demo.staff import (
    AN_LAO,
    AN_LAO_QUOTAS,
    AN_LAO_STATED_TOTAL,
    CATEGORIES,
    StaffRow,
    district_staff,
    staff_xls,
    staff_xlsx,
)
from demo.status_history import status_history_csv, with_history
from demo.summary import DemoFile, DemoSummary, Writer
from demo.surveys import CAO_LANH, SurveyRow, cao_lanh_forms_csv, district_survey, survey_xlsx
from demo.units import District, Province, load_provinces, province

DEFAULT_SEED = 20231231

# district code -> (file name, district dossiers, commune dossiers range, online share)
RECORD_DISTRICTS: dict[str, tuple[str, int, tuple[int, int], float]] = {
    "867": ("ho_so_sa_dec_2023.csv.gz", 14_000, (600, 1_400), 0.45),
    "709": ("ho_so_hoa_thanh_2023.parquet", 10_500, (350, 900), 0.40),
}
# The district whose one-stop software also exports the status history of the dossiers it
# asked for supplements (family dossier_status_history, demo/status_history.py).
STATUS_HISTORY_FILES: dict[str, str] = {"709": "lich_su_xu_ly_ho_so_hoa_thanh_2023.csv"}
# Province-years whose aggregated dossier statistics arrive as CSV rather than xlsx.
CSV_DOSSIER_YEARS = frozenset({("72", 2021), ("52", 2022), ("56", 2023)})
# A CSV written in NFD Unicode (legal input; the ingest normalises to NFC).
NFD_DOSSIER_YEARS = frozenset({("52", 2022)})
# Province-years whose CSV counts withdrawn and stopped dossiers in their own columns.
STATUS_DOSSIER_YEARS = frozenset({("56", 2023)})
# Province-years whose staff table comes as an Excel 97–2003 .xls (an older office).
XLS_STAFF_YEARS = frozenset({("52", 2021)})
NHA_TRANG_FORM = "bieu_II06a_nha_trang_nam_2018.xlsx"
# The city's own one-stop shop reports by field (lĩnh vực).
NHA_TRANG_FIELDS = (
    "Tư pháp - Hộ tịch",
    "Đất đai",
    "Xây dựng",
    "Tài nguyên và Môi trường",
    "Thành lập và hoạt động của hộ kinh doanh",
    "Lao động - Thương binh và Xã hội",
    "Giáo dục và Đào tạo",
    "Văn hóa, Thể thao và Du lịch",
)

REPORT_TITLE = "BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"


def _ubnd(p: Province) -> str:
    return f"UBND TỈNH {p.short.upper()}"


def _level_totals(rows: list[DossierRow]) -> dict[str, dict[str, int | float]]:
    return {
        level: total([r.figures for r in rows if r.level == level]).expected() for level in ("huyen", "xa")
    }


def scaled(fig: DossierFigures, factor: float, carried_in: int, rng: Random) -> DossierFigures:
    """A balanced sub-period version of yearly figures (H1, a quarter, a month)."""
    received = round(fig.received * factor)
    online = round(fig.received_online * factor)
    postal = min(received - online, round(fig.received_postal * factor))
    pending = min(carried_in + received, round(received * rng.uniform(0.01, 0.03)))
    resolved = carried_in + received - pending
    late = round(resolved * fig.resolved_late / max(fig.resolved, 1))
    early = round((resolved - late) * fig.resolved_early / max(fig.in_time, 1))
    overdue = round(pending * rng.uniform(0.0, 0.2))
    return DossierFigures(
        carried_in,
        received,
        online,
        postal,
        early,
        resolved - late - early,
        late,
        pending - overdue,
        overdue,
    )


def nha_trang_2018_form(seed: int, rows: list[DossierRow]) -> bytes:
    """Seed 002 on Biểu II.06a: the city-level figures split by field, the communes' rows."""
    [city] = [r for r in rows if r.level == "huyen"]
    fields = split_by_field(seed, "568-2018", city.figures, NHA_TRANG_FIELDS)
    return ii06a_xlsx(
        reporting_unit="UBND thành phố Nha Trang, tỉnh Khánh Hòa",
        recipient="UBND tỉnh Khánh Hòa",
        period_line="Kỳ báo cáo: Năm 2018 (Từ ngày 01/01/2018 đến ngày 31/12/2018)",
        sections=[
            Section("Huyện, thị xã, thành phố", tuple(zip(NHA_TRANG_FIELDS, fields, strict=True))),
            Section("Xã, phường, thị trấn", tuple((r.unit_name, r.figures) for r in rows if r.level == "xa")),
        ],
    )


def generate_demo_inbox(inbox: Path, *, seed: int = DEFAULT_SEED) -> DemoSummary:
    """Write the full demo inbox; same seed → byte-identical files."""
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    w = Writer(inbox)
    expected: dict[str, object] = {}

    # 1. Record-level exports; their aggregation is what the aggregated files say for 2023.
    overrides: dict[tuple[str, int], DossierFigures] = {}
    zero_pending: dict[str, frozenset[int]] = {}
    for p in load_provinces():
        for d in p.districts:
            if d.code not in RECORD_DISTRICTS:
                continue
            name, n, commune_range, online = RECORD_DISTRICTS[d.code]
            recs = district_records(seed, d, n, commune_range, online)
            data = records_csv_gz(recs) if name.endswith(".csv.gz") else records_parquet(recs)
            w.put(
                name, "dossier_records", data, note=f"{d.name} and its communes, 2023, {len(recs)} dossiers"
            )
            agg = aggregate(recs)
            for code, fig in agg.items():
                overrides[(code, 2023)] = fig
                zero_pending[code] = frozenset({2022})  # all resolved by 31/12/2022
            huyen = agg[d.code]
            xa = total([f for c, f in agg.items() if c != d.code])
            expected[f"records/{d.code}/2023"] = {
                "rows": len(recs),
                "huyen": huyen.expected(),
                "xa": xa.expected(),
            }
            expected[f"records_766/{d.code}/2023"] = records_766_figures(recs)
            if d.code in STATUS_HISTORY_FILES:
                waited = with_history(recs)
                w.put(
                    STATUS_HISTORY_FILES[d.code],
                    "dossier_status_history",
                    status_history_csv(recs),
                    note=f"{d.name}: the status history of the {len(waited)} dossiers asked for supplements",
                )
                expected[f"status_history/{d.code}/2023"] = {
                    "dossiers": len(waited),
                    "supplement_requests": sum(r.supplement_count or 0 for r in waited),
                }

    # 2. Aggregated dossier statistics per province and year.
    dossier_totals: dict[str, object] = {}
    dong_thap_2023: list[DossierRow] = []
    for p in load_provinces():
        per_year = province_rows(seed, p, overrides, zero_pending)
        if p.code == "87":
            dong_thap_2023 = per_year[2023]
        for year in YEARS:
            rows = per_year[year]
            assert all(r.figures.is_balanced() for r in rows)
            if (p.code, year) in CSV_DOSSIER_YEARS:
                name = f"tthc_{p.slug}_nam_{year}.csv"
                statuses = (p.code, year) in STATUS_DOSSIER_YEARS
                if statuses:
                    rows = with_statuses(seed, rows)
                    assert all(r.figures.is_balanced() for r in rows)
                body = dossier_csv_rows(p.short, f"Năm {year}", rows, statuses=statuses)
                header = (*DOSSIER_CSV_HEADER, *(DOSSIER_STATUS_HEADER if statuses else ()))
                data = csv_bytes(header, body)
                note = "single-row header, Vietnamese number format"
                if statuses:
                    note += ", withdrawn and stopped dossiers in their own columns"
                if (p.code, year) in NFD_DOSSIER_YEARS:
                    data = nfd(data.decode("utf-8")).encode("utf-8")
                    note += ", text in NFD Unicode"
            else:
                name = f"tthc_{p.slug}_nam_{year}.xlsx"
                data = dossier_xlsx([_ubnd(p), REPORT_TITLE, f"Năm {year}"], rows)
                note = "two-row grouped header"
            w.put(name, "dossiers", data, note=note)
            dossier_totals[f"{p.slug}/{year}"] = {
                "districts": sum(r.level == "huyen" for r in rows),
                "communes": sum(r.level == "xa" for r in rows),
                **_level_totals(rows),
            }
    expected["dossier_totals"] = dossier_totals

    # 3. Seed 002: Nha Trang 2018 on the official form Biểu số II.06a/VPCP/KSTT: the city's
    # own desk by field (lĩnh vực) under "Huyện, thị xã, thành phố", its communes by name
    # under "Xã, phường, thị trấn"; the unit and province from "Đơn vị báo cáo".
    kh = province("56")
    nt_rows = nha_trang_2018_rows(seed, kh.district(NHA_TRANG))
    w.put(
        NHA_TRANG_FORM,
        "dossiers",
        nha_trang_2018_form(seed, nt_rows),
        note="seed 002 on Biểu II.06a; city-level fields and communes by name, section subtotals",
    )
    # Biểu II.06a has no postal column of its own ("Trực tiếp, dịch vụ bưu chính" is one)
    expected["nha_trang_2018_huyen"] = {
        "unit_code": "L568",
        **NHA_TRANG_HUYEN_2018.expected(),
        "received_postal": None,
    }
    expected["nha_trang_2018_xa"] = {
        "unit_code": "L568",
        **total([r.figures for r in nt_rows if r.level == "xa"]).expected(),
        "received_postal": None,
    }

    # 4. Staff at 31/12 per province and year (district units).
    for p in load_provinces():
        for year in YEARS:
            rows_s = [r for d in p.districts for r in district_staff(seed, d, YEARS) if r.as_of.year == year]
            titles = [
                _ubnd(p),
                "SỞ NỘI VỤ",
                "BÁO CÁO SỐ LƯỢNG BIÊN CHẾ VÀ NGƯỜI LÀM VIỆC",
                f"Số liệu đến ngày 31/12/{year}",
            ]
            if (p.code, year) in XLS_STAFF_YEARS:
                name, data = f"bien_che_{p.slug}_31_12_{year}.xls", staff_xls(titles, rows_s)
                w.put(name, "staff", data, note="Excel 97–2003 (.xls), as an older office saves it")
            else:
                w.put(f"bien_che_{p.slug}_31_12_{year}.xlsx", "staff", staff_xlsx(titles, rows_s))
            expected[f"staff/{p.slug}/{year}"] = {
                "quota": sum(r.quota for r in rows_s),
                "actual": sum(r.actual for r in rows_s),
            }

    # 5. Budget: quarterly cumulative disbursement per province and year.
    for p in load_provinces():
        for year in YEARS:
            rows_b = [r for d in p.districts for r in district_budget(seed, d, year)]
            w.put(f"giai_ngan_{p.slug}_{year}.csv", "budget", budget_csv(rows_b))
    sd_plan, sd_disb = SA_DEC_PLAN_2023, SA_DEC_AUG_2023[1]
    expected["sa_dec_budget_2023_08_15"] = {
        "unit_code": f"L{SA_DEC}",
        "as_of_date": SA_DEC_AUG_2023[0].isoformat(),
        "plan_mvnd": sd_plan,
        "disbursed_mvnd": sd_disb,
        "disbursed_pct": pct(sd_disb, sd_plan),
    }

    # 6. Surveys: Cao Lãnh 2021 per form (seed 000); aggregated for the other districts.
    dt = province("87")
    data, forms, satisfied = cao_lanh_forms_csv(seed, dt.district(CAO_LANH))
    w.put(
        "khao_sat_tp_cao_lanh_2021.csv",
        "surveys",
        data,
        note="seed 000; one row per form with personal columns the ingest must drop",
    )
    expected["cao_lanh_survey_2021"] = {
        "unit_code": f"L{CAO_LANH}",
        "forms": forms,
        "satisfied_forms": satisfied,
        "satisfied_pct": pct(satisfied, forms),
    }
    for p in load_provinces():
        for year in YEARS:
            rows_v = [
                district_survey(seed, d, year)
                for d in p.districts
                if not (d.code == CAO_LANH and year == 2021)
            ]
            w.put(
                f"khao_sat_{p.slug}_nam_{year}.xlsx",
                "surveys",
                survey_xlsx([_ubnd(p), "KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG", f"Năm {year}"], rows_v),
            )

    # 7. Planted defects, each in its own small file.
    expected["defects"] = _write_defects(w, seed, overrides)

    # 8. Self-assessments (PAR INDEX, Đồng Tháp 2023): Sa Đéc with seed 003's own figures and
    # four districts varied; one claims 3.3.1's maximum against its data, one states an area
    # sum its criteria do not make, two are appraised by the Province (one with the survey
    # points: its index is final).
    expected["self_assessment"] = _write_self_assessments(w, seed, dong_thap_2023)
    # 9. The procedure catalogue (danh mục TTHC) of each province: every procedure the records
    # use, with its online level, fee, paper result and publication (a few published late).
    expected["procedure_catalogues"] = _write_catalogues(w, seed)
    # 10. The portal's published 766 scores of the demo's year for the four provinces
    # (illustrative figures), reconciled with the records in mart_766_reconciliation.
    w.put(
        PORTAL_766_FILE,
        "portal_766_scores",
        portal_766_xlsx(load_provinces()),
        note="the national portal's 766 ranking table (export) for the four demo provinces",
    )
    expected["portal_766"] = {
        "file": PORTAL_766_FILE,
        "totals": {f"L{code}": str(portal_766_total(code)) for code in PORTAL_766_SCORES},
    }
    # 11. Narrative reports (.docx, family narrative_reports) written from the figures above with
    # planted differences (demo/narratives.py), read back into the claims mart.
    expected["narrative_reports"] = write_narrative_reports(w, nt_rows, province("87").district(SA_DEC))
    expected["counts"] = {
        "districts": sum(len(p.districts) for p in load_provinces()),
        "communes": sum(len(d.communes) for p in load_provinces() for d in p.districts),
    }
    return DemoSummary(inbox=inbox, seed=seed, files=w.sorted_files(), expected=expected)


def records_766_figures(recs: list[Record]) -> dict[str, int]:
    """What the records' 766 fields say, to be found again in raw.dossier_records."""
    in_person = [r for r in recs if r.channel == "trực tiếp"]
    return {
        "rows": len(recs),
        "synced": sum(bool(r.synced) for r in recs),
        "supplement_once": sum(r.supplement_count == 1 for r in recs),
        "supplement_twice": sum(r.supplement_count == 2 for r in recs),
        "waiting_for_supplements": sum(
            r.supplement_requested_at is not None and r.supplement_completed_at is None for r in recs
        ),
        "in_person": len(in_person),
        "channel_blank": sum(r.channel_blank for r in in_person),
        "fee_waived": sum(r.fee_amount == 0 for r in recs),
        "complaints": sum(bool(r.complaint) for r in recs),
        "digitised": sum(r.digitised for r in recs),
        "data_reused": sum(bool(r.data_reused) for r in recs),
    }


def _write_catalogues(w: Writer, seed: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for p in load_provinces():
        entries = province_catalogue(seed, p)
        name = catalogue_file_name(p)
        late = [e.procedure.code for e in entries if not e.publication.on_time]
        w.put(
            name,
            "procedure_catalogue",
            catalogue_xlsx(p, entries),
            note=(
                f"danh mục TTHC of {p.name}, {len(entries)} procedures (district and commune level),"
                f" {sum(e.returns_paper_result for e in entries)} returning a paper result,"
                f" {len(late)} published late"
            ),
        )
        out[p.slug] = {
            "file": name,
            "unit_code": f"L{p.code}",
            "as_of_date": CATALOGUE_AS_OF.isoformat(),
            "procedures": len(entries),
            "paper_result": sorted(e.procedure.code for e in entries if e.returns_paper_result),
            "published_late": sorted(late),
        }
    return out


def _write_defects(
    w: Writer, seed: int, overrides: dict[tuple[str, int], DossierFigures]
) -> dict[str, object]:
    rng = rng_for(seed, "defects")
    out: dict[str, object] = {}
    dt, tn, bd = province("87"), province("72"), province("52")

    # (a) misspelt unit name "Thành phố Sa Đét": the whole file is rejected.
    sd = dt.district("867")
    q3 = scaled(overrides[("867", 2023)], 0.25, 180, rng)
    name = "tthc_tp_sa_dec_quy_3_2023.xlsx"
    w.put(
        name,
        "dossiers",
        dossier_xlsx(
            [_ubnd(dt), REPORT_TITLE, "Quý III/2023"],
            [DossierRow(None, "Thành phố Sa Đét", "huyen", q3)],
            with_code=False,
        ),
        outcome="reject",
        note="misspelt unit 'Thành phố Sa Đét' (closest: Thành phố Sa Đéc)",
    )
    out["misspelt_unit"] = {"file": name, "row": 7, "written": "Thành phố Sa Đét", "closest": sd.name}

    # (b) text typed into a number cell: rejected whole.
    d = tn.districts[0]
    annual = province_rows(seed, tn, overrides, {})[2023]
    rows: list[DossierRow] = []
    for r in annual:
        if r.unit_code == d.code or (r.level == "xa" and r.unit_code in {c.code for c in d.communes}):
            rows.append(replace(r, figures=scaled(r.figures, 1 / 12, r.figures.carried_in, rng)))
    bad_unit = rows[2].unit_name
    name = "tthc_tay_ninh_thang_6_2023.xlsx"
    w.put(
        name,
        "dossiers",
        dossier_xlsx(
            [_ubnd(tn), REPORT_TITLE, "Tháng 6/2023"],
            rows,
            cell_overrides={(bad_unit, "received"): "khoảng 300"},
        ),
        outcome="reject",
        note=f"'khoảng 300' typed as Tiếp nhận mới of {bad_unit}",
    )
    out["text_in_number"] = {
        "file": name,
        "row": 9,
        "column": "Tiếp nhận mới",
        "unit": bad_unit,
        "text": "khoảng 300",
    }

    # (c1) seed 004: An Lão staff, totals row states 733 posts, parts add to 732.
    al = bd.district(AN_LAO)
    as_of = date(2023, 6, 30)
    actual = {"Công chức": 72, "Viên chức giáo dục": 581, "Viên chức khác": 55}
    staff_rows = [
        StaffRow(AN_LAO, al.name, as_of, cat, AN_LAO_QUOTAS[cat], actual[cat])
        for cat in CATEGORIES
        if cat in AN_LAO_QUOTAS
    ]
    name = "bien_che_an_lao_30_06_2023.xlsx"
    w.put(
        name,
        "staff",
        staff_xlsx(
            [
                _ubnd(bd),
                "UBND HUYỆN AN LÃO",
                "BÁO CÁO TÌNH HÌNH SỬ DỤNG BIÊN CHẾ",
                f"Số liệu đến ngày {vn_date(as_of)}",
            ],
            staff_rows,
            stated_quota_total=AN_LAO_STATED_TOTAL,
        ),
        outcome="warn",
        note="seed 004: 'Cộng' states 733 posts, parts add to 732",
    )
    out["staff_sum_of_parts"] = {
        "file": name,
        "unit_code": f"L{AN_LAO}",
        "as_of_date": as_of.isoformat(),
        "stated_total": 733,
        "sum_of_parts": sum(r.quota for r in staff_rows),
    }

    # (c2) An Lão dossiers, first half of 2023: one commune row's parts miss its total.
    annual_bd = province_rows(seed, bd, overrides, {})[2023]
    h1: list[DossierRow] = []
    for r in annual_bd:
        if r.unit_code == AN_LAO or r.unit_code in {c.code for c in al.communes}:
            h1.append(replace(r, figures=scaled(r.figures, 0.48, r.figures.carried_in, rng)))
    bad = h1[3]
    f = bad.figures
    mistyped = replace(f, resolved_on_time=f.resolved_on_time - 10, stated_resolved=f.resolved)
    h1[3] = replace(bad, figures=mistyped)
    name = "tthc_an_lao_6_thang_dau_nam_2023.xlsx"
    w.put(
        name,
        "dossiers",
        dossier_xlsx([_ubnd(bd), REPORT_TITLE, "6 tháng đầu năm 2023"], h1),
        outcome="warn",
        note=f"{bad.unit_name}: Đã giải quyết ≠ trước hạn + đúng hạn + trễ hạn",
    )
    out["dossier_sum_of_parts"] = {
        "file": name,
        "unit_code": f"L{bad.unit_code}",
        "period": "2023-H1",
        "stated_resolved": mistyped.resolved,
        "sum_of_parts": mistyped.resolved_parts,
    }
    return out


# district code -> its part in the demo's PAR INDEX of Đồng Tháp 2023 (Sa Đéc: seed 003)
SA_YEAR = 2023
SA_FINAL = "866"  # appraised with the survey criteria's points (3.6 from the survey marts): final
SA_CONTRADICTED = "868"  # claims the maximum 3 for 3.3.1; its dossier data gives less
SA_WRONG_SUM = "869"  # area III states one point less than its criteria add up to
SA_APPRAISED = "872"  # appraised
SA_UNITS = (SA_DEC, SA_FINAL, SA_CONTRADICTED, SA_WRONG_SUM, SA_APPRAISED)
SA_SIGNED = date(SA_YEAR, 9, 5)  # the units' self-assessments (seed 003's report of 05/9/2023)
APPRAISAL_SIGNED = date(SA_YEAR, 12, 20)  # the Province's appraisal, a later file
APPRAISAL_REFERENCE = "(Kèm theo Thông báo số 412/TB-SNV ngày 20/12/{year} về kết quả thẩm định)"
_KIND_SLUG = {"Thành phố": "tp", "Thị xã": "tx", "Huyện": "huyen", "Quận": "quan"}


def _district_slug(d: District) -> str:
    """Thành phố Sa Đéc -> tp_sa_dec."""
    name = d.name.removeprefix(d.kind).strip().replace("Đ", "D").replace("đ", "d")
    folded = "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))
    return "_".join([_KIND_SLUG[d.kind], *folded.lower().split()])


def _in_time(rows: list[DossierRow], codes: set[str], level: str) -> tuple[int, int]:
    """(resolved in time incl. early, resolved) of ``codes``'s rows at ``level``."""
    figs = [r.figures for r in rows if r.level == level and r.unit_code in codes]
    return sum(f.resolved_early + f.resolved_on_time for f in figs), sum(f.resolved for f in figs)


def _write_self_assessments(w: Writer, seed: int, dossiers_2023: list[DossierRow]) -> dict[str, object]:
    dt = province("87")
    rubric = shipped_rubric()
    units: dict[str, dict[str, object]] = {}
    out: dict[str, object] = {"year": SA_YEAR, "rubric_id": rubric.meta.rubric_id, "units": units}
    for code in SA_UNITS:
        d = dt.district(code)
        unit_vi = f"UBND {d.name[0].lower()}{d.name[1:]}"
        slug = _district_slug(d)
        huyen = _in_time(dossiers_2023, {code}, "huyen")
        xa = _in_time(dossiers_2023, {c.code for c in d.communes}, "xa")
        computed = {"3.3.1": data_points(Decimal(3), *huyen), "3.3.2": data_points(Decimal(2), *xa)}
        name = f"tu_danh_gia_cchc_{slug}_{SA_YEAR}.xlsx"
        if code == SA_DEC:
            scores = dict(SA_DEC_2023)
            explanations = dict(EXPLANATIONS)
            data = sa_dec_2023_xlsx(signed=SA_SIGNED)
            note = "seed 003: Sa Đéc's own self-assessment, 57,96 of 70 self-assessed, survey pending"
            note += ", signed 05/9/2023"
        else:
            scores = varied_scores(rng_for(seed, "self_assessment", code), SA_DEC_2023)
            scores.update({c: vi_points(v) for c, v in computed.items()})
            explanations = {"1.9": "Còn 01 báo cáo CCHC gửi trễ hạn"}
            stated: dict[str, str] = {}
            note = "self-assessment signed 05/9/2023, self-scores varied from seed 003's"
            if code == SA_CONTRADICTED:
                scores["3.3.1"] = "3"
                explanations["3.3.1"] = "100 % hồ sơ cấp huyện giải quyết đúng hạn"
                note += f"; claims 3 for 3.3.1, its dossiers give {vi_points(computed['3.3.1'])}"
            if code == SA_WRONG_SUM:
                wrong = area_sums(scores)["3"] - 1
                stated["3"] = vi_points(wrong)
                out["sum_mismatch"] = {
                    "unit_code": f"L{code}",
                    "file": name,
                    "area": "3",
                    "stated": wrong,
                    "parts": area_sums(scores)["3"],
                }
                note += f"; area III states {stated['3']}, its criteria add up to one point more"
            data = self_assessment_xlsx(
                unit_vi,
                scores,
                stated=stated or None,
                explanations=explanations,
                signed=SA_SIGNED,
                place=d.name.removeprefix(d.kind).strip(),
            )
        contradicted = sorted(c for c, v in computed.items() if points_of(scores[c]) != v)
        if code == SA_CONTRADICTED:
            out["contradicted"] = {
                "unit_code": f"L{code}",
                "node_code": "3.3.1",
                "claimed": Decimal(3),
                "computed": computed["3.3.1"],
            }
        for c in contradicted:
            if not (code == SA_CONTRADICTED and c == "3.3.1"):
                note += f"; claims {scores[c]} for {c}, its dossiers give {vi_points(computed[c])}"
        outcome = "warn" if contradicted or code == SA_WRONG_SUM else "load"
        w.put(name, "self_assessment", data, outcome=outcome, note=note)
        entry: dict[str, object] = {
            "unit_name": d.name,
            "file": name,
            "status": "self_assessed",
            "self_assessed_points": self_assessed_total(scores),
            "self_assessed_max_points": Decimal(70),
            "areas": area_sums(scores),
            "computed": computed,
            "contradicted_by_data": contradicted,
        }
        units[f"L{code}"] = entry
        if code in (SA_APPRAISED, SA_FINAL):
            entry.update(_write_appraisal(w, unit_vi, slug, code, scores, explanations))
    return out


def _write_appraisal(
    w: Writer,
    unit_vi: str,
    slug: str,
    code: str,
    scores: dict[str, object],
    explanations: dict[str, str],
) -> dict[str, object]:
    """The Province's appraisal of a district's table (a later file, same shape, "Thẩm định")."""
    changes: dict[str, tuple[Decimal, str]] = {}
    if code == SA_APPRAISED:
        changes = {
            "1.9": (Decimal(1), "Báo cáo CCHC quý III gửi trễ hạn"),
            "7.2.3": (Decimal("0.5"), "Tỷ lệ số hóa hồ sơ thấp hơn số liệu báo cáo"),
        }
    else:
        changes = {"1.1": (Decimal("0.25"), "Chưa đủ tài liệu kiểm chứng")}
    appraised: dict[str, object] = {
        c: (vi_points(points_of(scores[c]) - lost), why)  # type: ignore[operator]
        for c, (lost, why) in changes.items()
    }
    final = code == SA_FINAL
    if final:
        appraised.update(FINAL_SURVEY_POINTS)
    name = f"ket_qua_tham_dinh_cchc_{slug}_{SA_YEAR}.xlsx"
    data = self_assessment_xlsx(
        unit_vi,
        scores,
        appraised=appraised,
        explanations=explanations,
        reference=APPRAISAL_REFERENCE.format(year=SA_YEAR),
        signed=APPRAISAL_SIGNED,
    )
    note = "the Province's appraisal (Thẩm định column with reasons), dated 20/12/2023"
    if final:
        note += "; with the survey criteria's points but 3.6 (SIPAS, from the survey marts): final"
    w.put(name, "self_assessment", data, note=note)
    lost = sum((lost for lost, _ in changes.values()), Decimal(0))
    return {
        "status": "final" if final else "appraised",
        "appraisal_file": name,
        "appraised_points": self_assessed_total(scores) - lost,
        "survey_points_appraised": (
            sum((points_of(v) or Decimal(0) for v in FINAL_SURVEY_POINTS.values()), Decimal(0))
            if final
            else None
        ),
    }


def write_blocking_defect(inbox: Path) -> DemoFile:
    """A budget file with disbursement at 200 % of plan: the quality gate must block publication."""
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    w = Writer(inbox)
    al = province("52").district(AN_LAO)
    plan = Decimal("250000.000")
    row = BudgetRow(AN_LAO, al.name, 2024, date(2024, 3, 31), plan, plan * 2)
    w.put(
        "giai_ngan_an_lao_2024_quy_1.csv",
        "budget",
        budget_csv([row]),
        outcome="block",
        note="disbursed 500.000,000 of plan 250.000,000 (200 %): blocks publication",
    )
    return w.files[0]


# ------------------------------------------------------------------ small inbox

_SMALL_DOSSIERS: dict[str, DossierFigures] = {
    "866": DossierFigures(100, 20_000, 6_000, 500, 15_000, 4_800, 100, 150, 50),
    "867": DossierFigures(200, 15_000, 7_500, 300, 10_000, 4_700, 300, 180, 20),
    "868": DossierFigures(50, 12_000, 3_000, 120, 9_000, 2_600, 250, 190, 10),
}
_SMALL_STAFF: dict[str, tuple[tuple[int, int], ...]] = {  # per category: (quota, actual)
    "866": ((12, 11), (90, 85), (900, 870), (150, 140), (60, 58), (40, 35)),
    "867": ((11, 11), (80, 78), (700, 690), (120, 115), (50, 47), (30, 30)),
    "868": ((10, 9), (70, 66), (600, 580), (100, 95), (40, 40), (25, 20)),
}
_SMALL_BUDGET: tuple[tuple[str, date, Decimal, Decimal], ...] = (
    ("866", date(2023, 12, 31), Decimal("400000.000"), Decimal("360000.000")),
    ("867", date(2023, 6, 30), SA_DEC_PLAN_2023, Decimal("150000.000")),
    ("867", SA_DEC_AUG_2023[0], SA_DEC_PLAN_2023, SA_DEC_AUG_2023[1]),
    ("868", date(2023, 12, 31), Decimal("300000.000"), Decimal("255000.000")),
)
_SMALL_SURVEY: dict[str, tuple[int, int]] = {"866": (500, 460), "867": (400, 380), "868": (300, 270)}


def generate_small_inbox(inbox: Path) -> DemoSummary:
    """Four tiny Đồng Tháp 2023 files with round, hand-checkable figures."""
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    w = Writer(inbox)
    dt = province("87")
    expected: dict[str, object] = {}

    rows = [DossierRow(c, dt.district(c).name, "huyen", f) for c, f in _SMALL_DOSSIERS.items()]
    w.put(
        "tthc_dong_thap_nam_2023.xlsx", "dossiers", dossier_xlsx([_ubnd(dt), REPORT_TITLE, "Năm 2023"], rows)
    )
    for c, f in _SMALL_DOSSIERS.items():
        assert f.is_balanced()
        expected[f"dossiers/L{c}/2023/huyen"] = f.expected()

    staff_rows = [
        StaffRow(c, dt.district(c).name, date(2023, 12, 31), cat, q, a)
        for c, values in _SMALL_STAFF.items()
        for cat, (q, a) in zip(CATEGORIES, values, strict=True)
    ]
    w.put(
        "bien_che_dong_thap_31_12_2023.xlsx",
        "staff",
        staff_xlsx([_ubnd(dt), "SỞ NỘI VỤ", "Số liệu đến ngày 31/12/2023"], staff_rows),
    )
    for c, values in _SMALL_STAFF.items():
        expected[f"staff/L{c}/2023-12-31"] = {
            "quota": sum(q for q, _ in values),
            "actual": sum(a for _, a in values),
            **{cat: {"quota": q, "actual": a} for cat, (q, a) in zip(CATEGORIES, values, strict=True)},
        }

    budget_rows = [BudgetRow(c, dt.district(c).name, 2023, d, p, x) for c, d, p, x in _SMALL_BUDGET]
    w.put("giai_ngan_dong_thap_2023.csv", "budget", budget_csv(budget_rows))
    for r in budget_rows:
        expected[f"budget/L{r.unit_code}/{r.as_of.isoformat()}"] = {
            "plan_mvnd": r.plan_mvnd,
            "disbursed_mvnd": r.disbursed_mvnd,
            "disbursed_pct": pct(r.disbursed_mvnd, r.plan_mvnd),
        }

    survey_rows = [SurveyRow(c, dt.district(c).name, 2023, n, s) for c, (n, s) in _SMALL_SURVEY.items()]
    w.put(
        "khao_sat_dong_thap_nam_2023.xlsx",
        "surveys",
        survey_xlsx([_ubnd(dt), "KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG", "Năm 2023"], survey_rows),
    )
    for c, (n, s) in _SMALL_SURVEY.items():
        expected[f"surveys/L{c}/2023/huyen"] = {"forms": n, "satisfied_forms": s, "satisfied_pct": pct(s, n)}
    return DemoSummary(inbox=inbox, seed=0, files=w.sorted_files(), expected=expected)

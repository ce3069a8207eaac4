"""`parwh draft-report`: the data sections of a unit's PAR report for a period, from the
published marts only (read-only), in the sentence forms of the seed reports
(narratives/draft_sentences.py), as Markdown and .docx.

Sections: the one-stop results by level (the unit's own, then its communes as "UBND cấp
xã"), survey satisfaction, public investment disbursement, staffing, the PAR INDEX
self-assessment by area with the criteria short of their maximum, and the data-quality
notes of the latest publication. A section the marts hold nothing for says so."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

import sqlfiles
from narratives.draft_document import DraftDocument, Section, docx_bytes, markdown
from narratives.draft_periods import DraftPeriod, parse_draft_period
from narratives.draft_sentences import (
    COMMUNE_LEVEL_SUBJECT,
    NO_DATA_OPENING,
    STAFF_CATEGORIES_VI,
    DossierCounts,
    disbursement_paragraph,
    dossier_paragraph,
    no_data_paragraph,
    par_area_paragraph,
    par_areas_lead,
    par_total_paragraph,
    points_lost_lead,
    points_lost_paragraph,
    staff_actual_paragraph,
    staff_quota_paragraph,
    survey_paragraph,
)
from narratives.draft_units import DraftUnit, resolve_unit

PKG = __package__ or "narratives"
_OWN_LEVEL = {"province": "tinh", "district": "huyen", "commune": "xa"}
_LEVEL_SUBJECT = {"tinh": "UBND cấp tỉnh", "huyen": "UBND cấp huyện", "xa": COMMUNE_LEVEL_SUBJECT}

HEADINGS = (
    "1. Kết quả giải quyết thủ tục hành chính",
    "2. Khảo sát sự hài lòng của tổ chức, cá nhân",
    "3. Giải ngân kế hoạch vốn đầu tư công",
    "4. Biên chế và số lượng cán bộ, công chức, viên chức",
    "5. Kết quả tự đánh giá Chỉ số cải cách hành chính",
    "6. Ghi chú về chất lượng số liệu",
)


@dataclass(frozen=True)
class Draft:
    unit: DraftUnit
    period: DraftPeriod
    document: DraftDocument
    sections_with_data: tuple[str, ...] = ()

    @property
    def has_data(self) -> bool:
        return bool(self.sections_with_data)

    @property
    def stem(self) -> str:
        return f"{self.unit.file_part}_{self.period.file_part}"


def open_published(path: Path) -> duckdb.DuckDBPyConnection:
    """The publication, read-only (never locks it for the night or other readers)."""
    return duckdb.connect(str(path), read_only=True)


def _subject_of_level(unit: DraftUnit, level: str) -> tuple[str, bool]:
    if _OWN_LEVEL.get(unit.kind) == level:
        return unit.subject, True
    return _LEVEL_SUBJECT.get(level, f"UBND cấp {level}"), False


def _params(unit: DraftUnit, period: DraftPeriod) -> dict[str, Any]:
    return {
        "unit_code": unit.code,
        "period_label": period.label,
        "period_end": period.end.isoformat(),
        "year": period.year,
    }


def dossier_section(con: duckdb.DuckDBPyConnection, unit: DraftUnit, period: DraftPeriod) -> Section:
    rows = sqlfiles.rows(con, PKG, "draft_dossiers", _params(unit, period))
    rows.sort(key=lambda r: (not _subject_of_level(unit, r["authority_level"])[1], r["scope"] != "own"))
    paragraphs = []
    for r in rows:
        subject, own = _subject_of_level(unit, r["authority_level"])
        counts = DossierCounts(
            int(r["received"] or 0), int(r["resolved"] or 0), int(r["in_time"] or 0), int(r["late"] or 0)
        )
        paragraphs.append(dossier_paragraph(subject, period.words, counts, own_level=own))
    if not paragraphs:
        paragraphs.append(no_data_paragraph("giải quyết thủ tục hành chính", unit.subject, period.words))
    return Section(HEADINGS[0], tuple(paragraphs))


def survey_section(con: duckdb.DuckDBPyConnection, unit: DraftUnit, period: DraftPeriod) -> Section:
    rows = sqlfiles.rows(con, PKG, "draft_survey", _params(unit, period))
    rows.sort(key=lambda r: (not _subject_of_level(unit, r["authority_level"])[1], r["scope"] != "own"))
    paragraphs = [
        survey_paragraph(
            _subject_of_level(unit, r["authority_level"])[0],
            period.words,
            int(r["forms"]),
            int(r["satisfied"]),
        )
        for r in rows
        if r["forms"]
    ]
    if not paragraphs:
        paragraphs.append(no_data_paragraph("khảo sát sự hài lòng", unit.subject, period.words))
    return Section(HEADINGS[1], tuple(paragraphs))


def budget_section(con: duckdb.DuckDBPyConnection, unit: DraftUnit, period: DraftPeriod) -> Section:
    rows = sqlfiles.rows(con, PKG, "draft_budget", _params(unit, period))
    if not rows:
        return Section(
            HEADINGS[2], (no_data_paragraph("giải ngân vốn đầu tư công", unit.subject, period.words),)
        )
    r = rows[0]
    paragraph = disbursement_paragraph(
        int(r["fiscal_year"]), r["as_of_date"], Decimal(r["plan_mvnd"]), Decimal(r["disbursed_mvnd"])
    )
    return Section(HEADINGS[2], (paragraph,))


def staffing_section(con: duckdb.DuckDBPyConnection, unit: DraftUnit, period: DraftPeriod) -> Section:
    rows = sqlfiles.rows(con, PKG, "draft_staffing", _params(unit, period))
    if not rows:
        return Section(HEADINGS[3], (no_data_paragraph("biên chế", unit.subject, period.words),))
    order = list(STAFF_CATEGORIES_VI)
    rows.sort(
        key=lambda r: (order.index(r["category"]) if r["category"] in order else len(order), r["category"])
    )
    as_of = rows[0]["as_of_date"]
    quota = [(r["category"], int(r["quota"])) for r in rows if r["quota"] is not None]
    actual = [(r["category"], int(r["actual"])) for r in rows if r["actual"] is not None]
    paragraphs = []
    if quota:
        paragraphs.append(staff_quota_paragraph(unit.subject, as_of, quota))
    if actual:
        paragraphs.append(staff_actual_paragraph(as_of, actual))
    return Section(HEADINGS[3], tuple(paragraphs))


def index_section(con: duckdb.DuckDBPyConnection, unit: DraftUnit, period: DraftPeriod) -> Section:
    params = _params(unit, period)
    areas = [
        a
        for a in sqlfiles.rows(con, PKG, "draft_index_areas", params)
        if a["self_assessed_points"] is not None
    ]
    if not areas:
        what = "tự đánh giá Chỉ số cải cách hành chính"
        return Section(HEADINGS[4], (no_data_paragraph(what, unit.subject, f"năm {period.year}"),))
    total = sum((Decimal(a["self_assessed_points"]) for a in areas), Decimal(0))
    total_max = sum((Decimal(a["self_assessed_max_points"]) for a in areas), Decimal(0))
    paragraphs = [
        par_total_paragraph(unit.subject, period.year, total, total_max),
        par_areas_lead(period.year),
    ]
    paragraphs += [
        par_area_paragraph(
            a["area_code"],
            a["area_name_vi"],
            Decimal(a["self_assessed_points"]),
            Decimal(a["max_points"]),
            int(a["pending_criteria"] or 0),
        )
        for a in areas
    ]
    lost = sqlfiles.rows(con, PKG, "draft_points_lost", params)
    if lost:
        paragraphs.append(points_lost_lead(period.year))
        paragraphs += [
            points_lost_paragraph(
                r["node_code"],
                r["name_vi"],
                None if r["points"] is None else Decimal(r["points"]),
                Decimal(r["max_points"]),
                r["criterion_status"] == "pending",
            )
            for r in lost
        ]
    return Section(HEADINGS[4], tuple(paragraphs))


def findings_section(con: duckdb.DuckDBPyConnection, unit: DraftUnit, period: DraftPeriod) -> Section:
    rows = sqlfiles.rows(con, PKG, "draft_findings", _params(unit, period))
    if not rows:
        text = (
            f"Lần công bố này không có ghi nhận nào về chất lượng số liệu của {unit.subject} và các"
            f" đơn vị trực thuộc trong {period.words}."
        )
        return Section(HEADINGS[5], (text,))
    return Section(HEADINGS[5], tuple(f"- {r['message_vi']}" for r in rows))


def draft_units(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every unit a draft can be written for (rows of narratives/sql/draft_units.sql)."""
    return sqlfiles.rows(con, PKG, "draft_units")


def build_draft(
    con: duckdb.DuckDBPyConnection,
    unit_text: str,
    period_text: str,
    units: list[dict[str, Any]] | None = None,
) -> Draft:
    """The draft of ``unit_text`` for ``period_text`` from the marts of ``con``; ``units``:
    :func:`draft_units` of ``con`` when the caller drafts many. Raises
    :class:`narratives.draft_units.DraftUnitError` or
    :class:`narratives.draft_periods.DraftPeriodError`."""
    period = parse_draft_period(period_text)
    unit = resolve_unit(unit_text, draft_units(con) if units is None else units, period.end)
    publication = sqlfiles.rows(con, PKG, "draft_publication")
    note = "Phần số liệu dự thảo, lập tự động từ các bảng số liệu đã công bố của kho dữ liệu"
    if publication:
        note += f" (lần công bố {publication[0]['run_id']})"
    province = f", {unit.province_name}" if unit.province_name and unit.kind != "province" else ""
    sections = (
        dossier_section(con, unit, period),
        survey_section(con, unit, period),
        budget_section(con, unit, period),
        staffing_section(con, unit, period),
        index_section(con, unit, period),
    )
    document = DraftDocument(
        title=f"Báo cáo kết quả công tác cải cách hành chính {period.words}",
        subtitle=f"Đơn vị báo cáo: {unit.subject}{province}",
        note=note + ".",
        sections=(*sections, findings_section(con, unit, period)),
    )
    with_data = tuple(s.heading for s in sections if not s.paragraphs[0].startswith(NO_DATA_OPENING))
    return Draft(unit, period, document, with_data)


def unit_periods(con: duckdb.DuckDBPyConnection, unit: DraftUnit) -> list[str]:
    """The periods the marts hold figures of the unit (or its communes) for."""
    return [
        r["period_label"] for r in sqlfiles.rows(con, PKG, "draft_unit_periods", {"unit_code": unit.code})
    ]


def periods_with_data(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every unit the marts hold figures of (its own or its communes') → its periods, most
    recent first (:func:`unit_periods` of every unit, in one query)."""
    periods: dict[str, list[str]] = {}
    for r in sqlfiles.rows(con, PKG, "draft_unit_periods", {"unit_code": None}):
        periods.setdefault(r["unit_code"], []).append(r["period_label"])
    return periods


def write_draft(draft: Draft, out_dir: Path) -> tuple[Path, Path]:
    """DIR/<unit>_<period>.md and .docx."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md = out_dir / f"{draft.stem}.md"
    docx = out_dir / f"{draft.stem}.docx"
    md.write_text(markdown(draft.document), encoding="utf-8")
    docx.write_bytes(docx_bytes(draft.document))
    return md, docx

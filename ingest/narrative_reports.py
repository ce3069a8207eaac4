"""Narrative reports (family ``narrative_reports``): the quarterly and yearly PAR reports units
write as prose (.docx, .pdf with a text layer, .txt), read for the figures they claim.

* :func:`narrative_report` tells a report from a table submission: a ``.pdf`` is only ever a
  report; a ``.docx`` or ``.txt`` is one when it has prose (:data:`MIN_PARAGRAPHS` paragraphs
  outside tables, :data:`MIN_PROSE` of them long) and its first paragraphs say "BÁO CÁO" and
  "cải cách hành chính" (or CCHC), or name that subject :data:`SUBJECT_MENTIONS` times. A
  ``.docx`` of figure tables under a short title stays a table submission, a ``.txt`` of
  delimited rows stays a CSV.
* :func:`read_narrative_report` reads it with ``narratives.reader`` (personal data masked in
  every paragraph before anything is kept), extracts its claims (``narratives.extract``),
  resolves the report's unit from its header with the resolver every family uses, and turns
  each claim into a row of ``raw.narrative_claims``; the internal consistency findings
  (``narratives.consistency``: parts against their stated total, a rate against its own
  counts, one figure stated twice differently) become load findings naming the unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.admin_units import UnitResolver
from ingest.errors import IngestError, ParseError, ReadError
from ingest.form_checks import LoadFinding
from ingest.limits import limits
from ingest.periods import period_label
from ingest.readers import _check_elements, check_zip
from ingest.text import fold
from narratives.claims import Claim, measures
from narratives.consistency import ConsistencyFinding
from narratives.consistency import findings as consistency_findings
from narratives.extract import extract_claims
from narratives.reader import Report, ReportHeader, ReportReadError, read_paragraphs, read_report

FAMILY = "narrative_reports"
LAST_LEGACY_DAY = date(2025, 6, 30)  # the day before the 2025 reorganisation
REPORT_SUFFIXES = (".docx", ".pdf", ".txt")
#: paragraphs (outside tables) a report has at least, and how many of them are prose
MIN_PARAGRAPHS = 8
MIN_PROSE = 3
PROSE_CHARS = 100
#: where the title is looked for (first paragraphs), and the subject
TITLE_PARAGRAPHS = 15
SUBJECT_PARAGRAPHS = 40
#: a report without a title "BÁO CÁO" (a section of a longer report) names its subject this often
SUBJECT_MENTIONS = 3
_SUBJECT = re.compile(r"\b(?:cai cach hanh chinh|cchc)\b")

#: the load rules of a report's internal consistency (expectations/rules.yaml load_rules)
RULE_PARTS_VS_TOTAL = "form_narrative_parts_vs_total"
RULE_RATE_VS_COUNTS = "form_narrative_rate_vs_counts"
RULE_STATED_TWICE = "form_narrative_stated_twice"
CONSISTENCY_RULES = {
    "parts_vs_total": RULE_PARTS_VS_TOTAL,
    "rate_vs_counts": RULE_RATE_VS_COUNTS,
    "stated_twice": RULE_STATED_TWICE,
}

#: a sentence naming a level of the report's own unit, not another unit ("UBND cấp xã")
_LEVEL_PHRASE = re.compile(
    r"^(?:ubnd\s+|uy ban nhan dan\s+)?(?:cap|cac)\s+(?:tinh|huyen|xa|phuong|so|nganh)\b"
)
_AUTHORITY_PREFIX = re.compile(r"^(?:ubnd|uy ban nhan dan)\s+", re.IGNORECASE)


def is_report_name(file_name: str) -> bool:
    return file_name.lower().endswith(REPORT_SUFFIXES)


def looks_like_report(paragraphs: list[str]) -> bool:
    """A title "BÁO CÁO" in the first paragraphs, the subject PAR, and prose."""
    head = fold(" ".join(paragraphs[:TITLE_PARAGRAPHS]))
    subject = fold(" ".join(paragraphs[:SUBJECT_PARAGRAPHS]))
    prose = sum(1 for p in paragraphs if len(p) >= PROSE_CHARS)
    mentions = len(_SUBJECT.findall(subject))
    titled = re.search(r"\bbao cao\b", head) is not None
    return (
        len(paragraphs) >= MIN_PARAGRAPHS
        and prose >= MIN_PROSE
        and (mentions >= SUBJECT_MENTIONS or (titled and mentions >= 1))
    )


def _docx_body_paragraphs(path: Path) -> list[str]:
    """The non-empty paragraphs of a Word document outside its tables (python-docx's
    ``Document.paragraphs``), after the zip's parts and elements were checked against the
    limits (as the table reader does)."""
    import docx

    lim = limits()
    try:  # python-docx builds every element: counted first
        elements = check_zip(path, "docx", lim)
        _check_elements(elements, sorted(elements), lim)
    except ReadError:
        return []  # too large: the table reader refuses it with the limit named
    try:
        document = docx.Document(str(path))
    except Exception:
        return []  # not a Word document: the table reader says why
    return [p.text.strip() for p in document.paragraphs if p.text.strip()]


def _txt_lines(path: Path) -> list[str]:
    try:
        return read_paragraphs(path)
    except ReportReadError:
        return []


def narrative_report(path: Path, file_name: str) -> list[str] | None:
    """The paragraphs of ``path`` (masked, narratives.reader) when it is a narrative report,
    else ``None`` (a table submission: the other families read it). A ``.pdf`` that cannot be
    read, or that is not a report, is refused with the reason naming the file."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".pdf":
        paragraphs = _read(path, file_name)
        if not looks_like_report(paragraphs):
            raise IngestError(
                "a PDF file is read only as a narrative report on public administration reform"
                ' (a title "BÁO CÁO" and the subject "cải cách hành chính" in its first'
                " paragraphs); this one is not: send figures as .xlsx or .csv",
                f"{file_name}: tệp PDF chỉ được đọc khi là báo cáo (văn bản) về cải cách hành"
                ' chính (tiêu đề "BÁO CÁO" và nội dung "cải cách hành chính" ở các đoạn đầu);'
                " tệp này không phải: số liệu dạng bảng hãy gửi .xlsx hoặc .csv",
                file_name=file_name,
            )
        return paragraphs
    if suffix == ".docx":
        if not looks_like_report(_docx_body_paragraphs(path)):
            return None
        return _read(path, file_name)
    if suffix == ".txt":
        lines = _txt_lines(path)
        if not lines or _delimited(lines) or not looks_like_report(lines):
            return None
        return lines
    return None


def _delimited(lines: list[str]) -> bool:
    """Rows of a CSV: the first lines split into the same number (at least 3) of fields."""
    first = lines[:10]
    for delimiter in (";", "\t", ","):
        counts = [line.count(delimiter) for line in first]
        if len(first) >= 2 and min(counts) >= 2 and max(counts) - min(counts) <= 1:
            return True
    return False


def _read(path: Path, file_name: str) -> list[str]:
    try:
        return read_paragraphs(path)
    except ReportReadError as exc:
        raise _read_error(exc, file_name) from exc


def _read_error(exc: ReportReadError, file_name: str) -> IngestError:
    return IngestError(
        f"the report cannot be read: {exc.message_en}",
        f"không đọc được báo cáo: {exc.message_vi}",
        file_name=file_name,
    )


# --- loading --------------------------------------------------------------------------------


@dataclass
class ReadReport:
    """What a report gives: the rows of raw.narrative_claims (without file_id, loaded_at),
    the load findings of its internal consistency, its unit and period."""

    rows: list[dict]
    findings: list[LoadFinding]
    report_unit_code: str | None
    period_labels: list[str]
    notes: list[tuple[str, str]] = field(default_factory=list)


def value_decimals(claim: Claim) -> int:
    """The decimals the number is written with: digits written less the digits of its whole
    part ("97,95%" → 2, "58.053" → 0, "590.161,540" → 3, "0,5" → 1)."""
    digits = sum(ch.isdigit() for ch in claim.value_text.split("/")[0])
    whole = len(str(int(abs(claim.value))))
    return max(0, min(4, digits - whole))


def _header_period(header: ReportHeader) -> tuple[date, date] | None:
    end = header.period_end
    if end is None and header.period_year is not None:
        end = {
            "year": date(header.period_year, 12, 31),
            "half": date(header.period_year, 6, 30),
            "nine_months": date(header.period_year, 9, 30),
        }.get(header.period_kind or "")
    if end is None:
        return None
    if header.period_kind == "quarter":
        start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    elif header.period_kind == "month":
        start = date(end.year, end.month, 1)
    else:
        start = date(end.year, 1, 1)
    return start, end


def _unit_text(name: str) -> str:
    return _AUTHORITY_PREFIX.sub("", name.strip()).strip(" :.,")


def resolve_report_unit(
    resolver: UnitResolver, report: Report, on: date | None
) -> tuple[str | None, str | None]:
    """The report's unit code from its header (the province named in its first paragraphs
    narrows the name), or ``None`` with the reason (Vietnamese)."""
    name = report.header.unit_name
    if not name:
        return None, "báo cáo không ghi tên đơn vị ở phần đầu (UBND thành phố …, UBND xã …)"
    province = resolver.find_province_in_text(" ".join(report.paragraphs[:SUBJECT_PARAGRAPHS]))
    code = _resolve_name(resolver, name, province, on)
    if code is None:
        return None, f"không xác định được đơn vị báo cáo: {name}"
    return code, None


def _resolve_name(resolver: UnitResolver, name: str, province: str | None, on: date | None) -> str | None:
    """A unit named in a report ("Ủy ban nhân dân thành phố Cao Lãnh"), in the province the
    report names first; the words after a name ("… Cao Lãnh báo cáo") are dropped one by one
    until a unit is found (at least a type and a name are kept)."""
    words = _unit_text(name).split()
    # a report that dates neither itself nor its figures: the legacy list, then the current
    days = (on,) if on is not None else (LAST_LEGACY_DAY, None)
    for end in range(len(words), 1, -1):
        for day in days:
            for narrowed in (province, None) if province else (None,):
                try:
                    return resolver.resolve(name=" ".join(words[:end]), province=narrowed, on_date=day)
                except ParseError:
                    continue
    return None


def _claim_unit(
    resolver: UnitResolver, claim: Claim, report_unit: str | None, province: str | None, on: date | None
) -> tuple[str | None, str | None]:
    """The unit a claim is about: the report's own unless the sentence names another unit (a
    level of it, "UBND cấp xã", is still the report's unit)."""
    if claim.unit_name is None or _LEVEL_PHRASE.match(fold(claim.unit_name)):
        return report_unit, None if report_unit else "không xác định được đơn vị báo cáo"
    code = _resolve_name(resolver, claim.unit_name, province, on)
    return code, None if code else f"không xác định được đơn vị: {claim.unit_name}"


def read_narrative_report(path: Path, file_name: str, resolver: UnitResolver) -> ReadReport:
    """Read, mask, extract, resolve: the rows of raw.narrative_claims of one report."""
    try:
        report = read_report(path)
    except ReportReadError as exc:
        raise _read_error(exc, file_name) from exc
    header = report.header
    claims = extract_claims(report.paragraphs, header)
    period = _header_period(header)
    # the day that picks the list of units (legacy or current): the report's period, its
    # date, else the latest period its figures state
    stated = [c.period_end for c in claims if c.period_end is not None]
    on = period[1] if period else header.report_date or (max(stated) if stated else None)
    report_unit, unit_reason = resolve_report_unit(resolver, report, on)
    province = resolver.find_province_in_text(" ".join(report.paragraphs[:SUBJECT_PARAGRAPHS]))
    known = measures()
    rows = []
    for number, claim in enumerate(claims, 1):
        unit_code, reason = _claim_unit(resolver, claim, report_unit, province, claim.period_end or on)
        status = claim.status if unit_code is not None else "unresolved"
        rows.append(
            {
                "claim_no": number,
                "measure": claim.measure,
                "measure_label_vi": known[claim.measure].label_vi if claim.measure in known else None,
                "value": claim.value,
                "value_text": claim.value_text,
                "value_decimals": value_decimals(claim),
                "paragraph": claim.paragraph,
                "char_start": claim.char_start,
                "char_end": claim.char_end,
                "quote": claim.quote,
                "unit_name": claim.unit_name,
                "level": claim.level,
                "category": claim.category,
                "max_value": claim.max_value,
                "period_kind": claim.period_kind,
                "period_year": claim.period_year,
                "period_end": claim.period_end,
                "status": status,
                "reason": claim.reason or (reason if status == "unresolved" else None),
                "unit_code": unit_code,
                "report_unit_name": header.unit_name,
                "report_unit_code": report_unit,
                "report_level": header.level,
                "report_date": header.report_date,
                "report_period_kind": header.period_kind,
                "report_period_year": header.period_year,
                "report_period_end": period[1] if period else header.period_end,
            }
        )
    label = period_label(*period) if period else None
    unit_words = _unit_words(resolver, report_unit, header.unit_name)
    load_findings = [_load_finding(f, unit_words, report_unit, label) for f in consistency_findings(claims)]
    notes: list[tuple[str, str]] = []
    if not claims:
        notes.append(
            (
                "no figure about a measure the warehouse knows was found in the report",
                "không tìm thấy số liệu nào về chỉ tiêu kho dữ liệu theo dõi trong báo cáo",
            )
        )
    if unit_reason:
        notes.append((f"the report's unit is not known: {header.unit_name or '(none)'}", unit_reason))
    return ReadReport(rows, load_findings, report_unit, [label] if label else [], notes)


def _unit_words(resolver: UnitResolver, unit_code: str | None, as_written: str | None) -> str:
    """``Thành phố Nha Trang (L568)``, else the header's words."""
    unit = resolver.get(unit_code) if unit_code else None
    if unit is not None:
        return f"{unit.unit_name} ({unit_code})"
    return as_written or "đơn vị không xác định"


def _load_finding(
    finding: ConsistencyFinding, unit_words: str, unit_code: str | None, label: str | None
) -> LoadFinding:
    """A consistency finding as a load finding: the rule of its kind, the paragraph as the
    row and the number's offsets as the place, the figures compared, the message naming the
    unit and quoting the sentence."""
    first = finding.claims[0]
    where_vi, where_en = f"đoạn {first.paragraph + 1}", f"paragraph {first.paragraph + 1}"
    return LoadFinding(
        rule=CONSISTENCY_RULES[finding.kind],
        sheet=None,
        source_row=first.paragraph + 1,
        column_ref=f"{where_vi}, ký tự {first.char_start}–{first.char_end}",
        stated=finding.stated,
        computed=finding.computed,
        message=f"Report of {unit_words}, {where_en}: {finding.message_en or finding.message}",
        message_vi=f"Báo cáo của {unit_words}, {where_vi}: {finding.message}",
        unit_code=unit_code,
        period_label=label,
    )

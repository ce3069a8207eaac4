"""Checks a form carries in itself, run on every row at load.

* **Identities** of the dossier forms (Biểu II.06a: (3) = (4)+(5)+(6), (7) = (8)+(9)+(10),
  (11) = (12)+(13), (3) = (7)+(11)), written once here over the vocabulary's measures, so
  they hold for every layout that states the measures they name.
* **Section rows** ("Xã, phường, thị trấn" with the section's subtotal) against the rows
  under them, and no row above its section.
* **Stated rates** ("Tỷ lệ giải ngân (%)", "Tỷ lệ đúng hạn") against the rate the row's
  figures give, to the precision the rate is written with.
* **Columns the reader did not understand** that hold numbers.

A failed check on a row is a :class:`LoadFinding` (a warning: the row is loaded and
published with it). An identity that fails on most rows means the columns were misread:
:func:`misread_error` turns that into a rejection that says what each column was taken for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yamlfiles
from ingest.errors import IngestError
from ingest.headers import HeaderMatch, col_letter, is_numeric_cell
from ingest.numbers import parse_number
from ingest.vocabulary import measure_label

#: how ingest.headers names a column that repeats another's meaning (English, Vietnamese)
SAME_MEANING = ("same meaning as column", "trùng nghĩa với cột")
#: identity failures on at least this many rows, and on most checked rows, reject the file
MISREAD_MIN_ROWS = 2

#: the rule catalogue (declared once for every rule; read here for the load rules' words)
RULE_CATALOGUE = Path(__file__).resolve().parents[1] / "expectations" / "rules.yaml"


def _load_rules() -> dict[str, tuple[str, str]]:
    """The catalogue's `load_rules`: rule id -> (English, Vietnamese) summary."""
    catalogue = yamlfiles.load(RULE_CATALOGUE.read_text(encoding="utf-8"))
    return {r["id"]: (r["description"]["en"], r["description"]["vi"]) for r in catalogue["load_rules"]}


#: every rule a load finding can carry, with its summary (English, Vietnamese), from
#: expectations/rules.yaml (`load_rules`); the form rules' ids below must be listed there
LOAD_FINDING_RULES: dict[str, tuple[str, str]] = _load_rules()


@dataclass(frozen=True)
class LoadFinding:
    rule: str
    sheet: str | None
    source_row: int | None
    column_ref: str | None
    stated: Decimal | None
    computed: Decimal | None
    message: str
    message_vi: str
    severity: str = "warn"
    unit_code: str | None = None
    period_label: str | None = None

    @property
    def difference(self) -> Decimal | None:
        if self.stated is None or self.computed is None:
            return None
        return self.stated - self.computed


@dataclass(frozen=True)
class Identity:
    """``total`` equals the sum of one of ``options`` (vendors differ on what they count)."""

    name: str
    total: str
    options: tuple[tuple[str, ...], ...]


# Written once: every dossier layout is checked with these, on the measures it states.
DOSSIER_IDENTITIES: tuple[Identity, ...] = (
    Identity(
        "received_total_parts",
        "received_total",
        (
            ("carried_in", "received"),
            ("carried_in", "received_online", "received_in_person_or_postal"),
            ("carried_in", "received_online", "received_in_person", "received_postal"),
        ),
    ),
    Identity(
        "received_channel_parts",
        "received",
        (
            ("received_online", "received_in_person_or_postal"),
            ("received_online", "received_in_person", "received_postal"),
        ),
    ),
    Identity(
        "received_online_parts", "received_online", (("received_fully_online", "received_partly_online"),)
    ),
    Identity(
        "resolved_parts",
        "resolved",
        (
            ("resolved_early", "resolved_on_time", "resolved_late"),
            ("resolved_early_or_on_time", "resolved_late"),
        ),
    ),
    Identity("pending_parts", "pending", (("pending_not_due", "pending_overdue"),)),
)
#: measures vendors count outside "pending" (or inside it): the balance holds with or without
BALANCE_EXTRAS = ("waiting_supplement", "returned", "withdrawn", "stopped")


def channel_options(stated: Iterable[str]) -> list[tuple[str, ...]]:
    """The channel splits of new receipts a form can state: online + (in person or post),
    online + in person + post, or online + in person when the form has no postal column."""
    columns = set(stated)
    options = [
        ("received_online", "received_in_person_or_postal"),
        ("received_online", "received_in_person", "received_postal"),
    ]
    if not columns & {"received_postal", "received_in_person_or_postal"}:
        options.append(("received_online", "received_in_person"))
    return [o for o in options if set(o) <= columns]


def _sum(values: Iterable[int | None]) -> int:
    return sum(v or 0 for v in values)


def _labels(measures: Sequence[str], lang: str) -> str:
    return " + ".join(measure_label(m, "en" if lang == "en" else "vi") for m in measures)


def _columns(match: HeaderMatch, measures: Sequence[str]) -> str:
    return " + ".join(col_letter(match.columns[m]) for m in measures)


@dataclass
class IdentityTally:
    checked: int = 0
    failed: int = 0


class DossierFormChecks:
    """Identity checks of one dossier sheet; call :meth:`check_row` for every data row."""

    def __init__(self, match: HeaderMatch, sheet: str | None) -> None:
        self.m = match
        self.sheet = sheet
        self.findings: list[LoadFinding] = []
        self.tally: dict[str, IdentityTally] = {}
        stated = set(match.columns)
        self.identities: list[tuple[Identity, list[tuple[str, ...]]]] = []
        channels = channel_options(stated)
        for identity in DOSSIER_IDENTITIES:
            options = [o for o in identity.options if set(o) <= stated]
            if identity.name == "received_channel_parts":
                options = channels
            elif identity.name == "received_total_parts":
                options = [o for o in options if len(o) == 2] + [("carried_in", *c) for c in channels]
                options = [o for o in options if set(o) <= stated]
            if identity.total in stated and options:
                self.identities.append((identity, options))
                self.tally[identity.name] = IdentityTally()
        self.balance = self._balance_terms(stated)
        if self.balance:
            self.tally["balance"] = IdentityTally()

    @staticmethod
    def _balance_terms(stated: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(inflow, outflow) measures when the form states both sides of the balance."""
        if "received_total" in stated:
            inflow: tuple[str, ...] = ("received_total",)
        elif "carried_in" in stated and "received" in stated:
            inflow = ("carried_in", "received")
        else:
            return None
        resolved = ("resolved",) if "resolved" in stated else None
        if resolved is None and {"resolved_early_or_on_time", "resolved_late"} <= stated:
            resolved = ("resolved_early_or_on_time", "resolved_late")
        if resolved is None and {"resolved_early", "resolved_on_time", "resolved_late"} <= stated:
            resolved = ("resolved_early", "resolved_on_time", "resolved_late")
        pending = ("pending",) if "pending" in stated else None
        if pending is None and {"pending_not_due", "pending_overdue"} <= stated:
            pending = ("pending_not_due", "pending_overdue")
        if resolved is None or pending is None:
            return None
        return inflow, resolved + pending

    def check_row(
        self, row: int, stated: dict[str, int | None], unit_code: str | None, period: str | None
    ) -> None:
        for identity, options in self.identities:
            total = stated.get(identity.total)
            if total is None:
                continue
            usable = [o for o in options if any(stated.get(m) is not None for m in o)]
            if not usable:
                continue
            tally = self.tally[identity.name]
            tally.checked += 1
            sums = [_sum(stated.get(m) for m in o) for o in usable]
            if total in sums:
                continue
            tally.failed += 1
            parts = usable[0]
            self._finding(identity.name, row, identity.total, parts, total, sums[0], unit_code, period)
        if self.balance:
            inflow, outflow = self.balance
            if all(stated.get(m) is None for m in inflow) or all(stated.get(m) is None for m in outflow):
                return
            tally = self.tally["balance"]
            tally.checked += 1
            left = _sum(stated.get(m) for m in inflow)
            right = _sum(stated.get(m) for m in outflow)
            extras = [m for m in BALANCE_EXTRAS if m in self.m.columns]
            with_extras = right + _sum(stated.get(m) for m in extras)
            if left in (right, with_extras):
                return
            tally.failed += 1
            self._balance_finding(row, inflow, outflow, left, right, unit_code, period)

    def _finding(
        self,
        name: str,
        row: int,
        total: str,
        parts: tuple[str, ...],
        stated: int,
        computed: int,
        unit_code: str | None,
        period: str | None,
    ) -> None:
        column = self.m.describe(self.m.columns[total])
        en_total, vi_total = measure_label(total, "en"), measure_label(total, "vi")
        self.findings.append(
            LoadFinding(
                rule=f"form_{name}",
                sheet=self.sheet,
                source_row=row,
                column_ref=column,
                stated=Decimal(stated),
                computed=Decimal(computed),
                message=(
                    f"row {row}, column {column}: {en_total} is {stated} but"
                    f" {_labels(parts, 'en')} (columns {_columns(self.m, parts)}) add up to"
                    f" {computed} (difference {stated - computed})"
                ),
                message_vi=(
                    f"dòng {row}, cột {column}: {vi_total} là {stated} nhưng"
                    f" {_labels(parts, 'vi')} (cột {_columns(self.m, parts)}) cộng lại được"
                    f" {computed} (chênh lệch {stated - computed})"
                ),
                unit_code=unit_code,
                period_label=period,
            )
        )

    def _balance_finding(
        self,
        row: int,
        inflow: tuple[str, ...],
        outflow: tuple[str, ...],
        left: int,
        right: int,
        unit_code: str | None,
        period: str | None,
    ) -> None:
        column = self.m.describe(self.m.columns[inflow[0]])
        self.findings.append(
            LoadFinding(
                rule="form_balance",
                sheet=self.sheet,
                source_row=row,
                column_ref=column,
                stated=Decimal(left),
                computed=Decimal(right),
                message=(
                    f"row {row}: {_labels(inflow, 'en')} (columns {_columns(self.m, inflow)}) = {left}"
                    f" but {_labels(outflow, 'en')} (columns {_columns(self.m, outflow)}) = {right}"
                    f" (difference {left - right})"
                ),
                message_vi=(
                    f"dòng {row}: {_labels(inflow, 'vi')} (cột {_columns(self.m, inflow)}) = {left}"
                    f" nhưng {_labels(outflow, 'vi')} (cột {_columns(self.m, outflow)}) = {right}"
                    f" (chênh lệch {left - right})"
                ),
                unit_code=unit_code,
                period_label=period,
            )
        )

    def misread_error(self, file_name: str) -> IngestError | None:
        """A rejection when an identity fails on most rows: the reader took the columns
        for something they are not (or the whole form is wrong)."""
        for name, tally in self.tally.items():
            if tally.failed >= MISREAD_MIN_ROWS and tally.failed * 2 > tally.checked:
                taken = self.m.column_map()
                return IngestError(
                    f"the form's figures do not add up on {tally.failed} of {tally.checked} rows"
                    f" ({name.replace('_', ' ')}): the columns were probably misread, so nothing"
                    f" was loaded. The reader took: {taken}. Check the header labels, or send"
                    " the official form (Biểu II.06a) layout",
                    f"số liệu không khớp trên {tally.failed}/{tally.checked} dòng"
                    f" ({name.replace('_', ' ')}): nhiều khả năng các cột bị đọc sai nên tệp"
                    f" chưa được nạp. Cách đọc các cột: {taken}. Hãy kiểm tra tên cột hoặc"
                    " gửi theo mẫu Biểu II.06a",
                    file_name=file_name,
                    sheet=self.sheet,
                    row=self.m.header_rows[-1] + 1,
                )
        return None


# --- section subtotals ------------------------------------------------------------------------


def check_section(
    match: HeaderMatch,
    sheet: str | None,
    section_row: int,
    section_label: str,
    stated: dict[str, int | None],
    rows: list[tuple[int, dict[str, int | None]]],
) -> list[LoadFinding]:
    """A section's stated subtotal against the rows under it, and no row above it."""
    findings: list[LoadFinding] = []
    if not rows:
        return findings
    for measure, total in stated.items():
        if total is None or measure not in match.columns:
            continue
        column = match.describe(match.columns[measure])
        en, vi = measure_label(measure, "en"), measure_label(measure, "vi")
        values = [(r, v.get(measure)) for r, v in rows]
        computed = _sum(v for _, v in values)
        if computed != total:
            findings.append(
                LoadFinding(
                    rule="form_section_total",
                    sheet=sheet,
                    source_row=section_row,
                    column_ref=column,
                    stated=Decimal(total),
                    computed=Decimal(computed),
                    message=(
                        f"row {section_row} ({section_label}), column {column}: the section states"
                        f" {en} {total} but its {len(rows)} rows add up to {computed}"
                        f" (difference {total - computed})"
                    ),
                    message_vi=(
                        f"dòng {section_row} ({section_label}), cột {column}: dòng tổng của nhóm"
                        f" ghi {vi} {total} nhưng {len(rows)} dòng chi tiết cộng lại được {computed}"
                        f" (chênh lệch {total - computed})"
                    ),
                )
            )
        for r, v in values:
            if v is not None and v > total:
                findings.append(
                    LoadFinding(
                        rule="form_row_above_section_total",
                        sheet=sheet,
                        source_row=r,
                        column_ref=column,
                        stated=Decimal(total),
                        computed=Decimal(v),
                        message=(
                            f"row {r}, column {column}: {en} {v} is larger than the total {total}"
                            f" of its section ({section_label}, row {section_row})"
                        ),
                        message_vi=(
                            f"dòng {r}, cột {column}: {vi} {v} lớn hơn tổng {total} của nhóm"
                            f" ({section_label}, dòng {section_row})"
                        ),
                    )
                )
    return findings


# --- stated rates --------------------------------------------------------------------------


def _places(value: object) -> int:
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        for mark in (",", "."):
            if mark in text:
                return len(text.rsplit(mark, 1)[1])
        return 0
    return 2


def rate_finding(
    match: HeaderMatch,
    sheet: str | None,
    row: int,
    rate: str,
    raw: object,
    numerator: Decimal | int | None,
    denominators: Sequence[Decimal | int | None],
    what_en: str,
    what_vi: str,
) -> LoadFinding | None:
    """A finding when a stated rate differs from numerator / denominator × 100 at the
    precision it is written with (a fraction such as 0.36 from a percent-formatted cell
    counts as 36 %). Any denominator that gives the stated rate is accepted."""
    try:
        stated = parse_number(raw)
    except ValueError:
        return None
    if numerator is None:
        return None
    options = [Decimal(d) for d in denominators if d]
    if not options:
        return None
    computed = [Decimal(numerator) * 100 / d for d in options]
    if stated <= Decimal("1.5") and all(c > Decimal("1.5") for c in computed):
        stated *= 100  # an Excel percentage holds the fraction
    tolerance = Decimal(5) / (Decimal(10) ** (_places(raw) + 1)) + Decimal("0.0001")
    if any(abs(stated - c) <= tolerance for c in computed):
        return None
    column = match.describe(match.rates[rate])
    shown = computed[0].quantize(Decimal("0.01"))
    return LoadFinding(
        rule="form_stated_rate",
        sheet=sheet,
        source_row=row,
        column_ref=column,
        stated=stated,
        computed=shown,
        message=(
            f"row {row}, column {column}: the stated rate {stated.normalize():f} % differs from"
            f" {what_en} = {shown} %; the rate is not loaded, the figures are"
        ),
        message_vi=(
            f"dòng {row}, cột {column}: tỷ lệ ghi {stated.normalize():f}% khác với"
            f" {what_vi} = {shown}%; tỷ lệ ghi sẵn không được nạp, số liệu gốc được dùng"
        ),
    )


# --- columns the reader did not understand --------------------------------------------------


def unmapped_numeric_columns(
    match: HeaderMatch, sheet: str | None, data_rows: Sequence[tuple[int, tuple]]
) -> list[LoadFinding]:
    """One warning per ignored column that holds numbers in the data rows."""
    findings: list[LoadFinding] = []
    for idx, (why_en, why_vi) in sorted(match.ignored.items()):
        if idx in match.known_ignored:
            continue
        rows = [r for r, cells in data_rows if idx < len(cells) and is_numeric_cell(cells[idx])]
        if not rows:
            continue
        column = match.describe(idx)
        if why_en.startswith(SAME_MEANING[0]):
            # two columns say the same figure: which one is meant cannot be told
            raise IngestError(
                f"column {column} holds figures and reads as the same measure as another column"
                f" ({why_en}): which one to load cannot be told. The reader took:"
                f" {match.column_map()}. Keep one column per measure (one as-of date per row)",
                f"cột {column} có số liệu và được hiểu trùng nội dung với một cột khác ({why_vi}):"
                f" không xác định được cột nào đúng. Cách đọc các cột: {match.column_map()}. Mỗi"
                " chỉ tiêu chỉ ghi một cột (mỗi dòng một ngày số liệu)",
                sheet=sheet,
                row=match.header_rows[-1] + 1,
                column=column,
            )
        findings.append(
            LoadFinding(
                rule="form_unmapped_numeric_column",
                sheet=sheet,
                source_row=match.header_rows[-1] + 1,
                column_ref=column,
                stated=Decimal(len(rows)),
                computed=Decimal(0),
                message=(
                    f"column {column} holds numbers on {len(rows)} rows (first: row {rows[0]})"
                    f" but the reader does not know what they count ({why_en}): not loaded"
                ),
                message_vi=(
                    f"cột {column} có số liệu ở {len(rows)} dòng (dòng đầu: {rows[0]}) nhưng"
                    f" không xác định được nội dung ({why_vi}): không được nạp"
                ),
            )
        )
    return findings

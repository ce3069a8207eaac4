"""Submission templates: prefilled, validated, and a filled-in copy loads through the real
ingest with no rejection and no warning. The dossiers template is the official form
Biểu số II.06a/VPCP/KSTT; the staff, budget and surveys templates are flat tables."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from cli.main import app
from ingest import vocabulary as vocab
from ingest.admin_units import load_admin_units
from ingest.inbox import load_family, register_inbox
from ingest.periods import Period, parse_period
from ingest.text import fold
from ingest.warehouse import ensure_schema
from reports import TEMPLATE_SOURCES, write_template
from reports.templates import (
    FORM_COLUMNS,
    FORM_TITLE,
    check_form_vocabulary,
    default_period,
    form_measure,
    period_words,
)

HEADER_ROW = 4  # the flat templates
FLAT_SOURCES = [s for s in TEMPLATE_SOURCES if s != "dossiers"]
TODAY = date(2026, 12, 2)

# --- Biểu II.06a: where things are --------------------------------------------------------

FORM_HEADER = 9  # first of the three header rows
NUMBERING = FORM_HEADER + 3
MEASURES = (  # columns 3 … 13, in order
    "received_total",
    "received_online",
    "received_in_person_or_postal",
    "carried_in",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_not_due",
    "pending_overdue",
)
HEADER_MERGES = {
    "A9:A11",  # TT
    "B9:B11",  # Lĩnh vực, công việc giải quyết theo cấp
    "C9:F9",  # Số hồ sơ nhận giải quyết
    "C10:C11",  # … Tổng số
    "D10:E10",  # … Trong đó (Trực tuyến | Trực tiếp, dịch vụ bưu chính)
    "F10:F11",  # … Từ kỳ trước
    "G9:J9",  # Số lượng hồ sơ đã giải quyết
    "G10:G11",
    "H10:H11",
    "I10:I11",
    "J10:J11",
    "K9:M9",  # Số lượng hồ sơ đang giải quyết
    "K10:K11",
    "L10:L11",
    "M10:M11",
}
TITLE_MERGES = {f"A{r}:M{r}" for r in (1, 2, 3, 5, 6, 7)}
SECTION_TEXTS = {"Sở ban ngành", "Huyện, thị xã, thành phố", "Xã, phường, thị trấn", "Xã, phường, đặc khu"}


def _values(ws: Worksheet, row: int) -> tuple:
    return tuple(ws.cell(row=row, column=c).value for c in range(1, 14))


def _layout(ws: Worksheet) -> tuple[list[tuple[int, str]], int, dict[int, list[int]]]:
    """(section rows as (row, text), the "Tổng số" row, data rows per section row)."""
    sections: list[tuple[int, str]] = []
    rows: dict[int, list[int]] = {}
    for r in range(NUMBERING + 1, ws.max_row + 1):
        label = ws.cell(row=r, column=2).value
        if label == "Tổng số":
            return sections, r, rows
        if label in SECTION_TEXTS:
            sections.append((r, label))
            rows[r] = []
        else:
            rows[sections[-1][0]].append(r)
    raise AssertionError("no Tổng số row")


def _units(db: Path, province: str, era: str, on: Period) -> dict[str, list[dict]]:
    """The province's districts and communes valid on the whole period, by kind."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(
            """select u.unit_code, u.unit_name, u.unit_kind, p.unit_name, p.unit_kind = 'district'
               from marts.dim_admin_units u left join marts.dim_admin_units p on p.unit_code = u.parent_code
               where u.province_code = ? and u.admin_era = ? and u.unit_kind in ('district', 'commune')
                 and (u.valid_from is null or u.valid_from <= ?)
                 and (u.valid_to is null or u.valid_to >= ?)""",
            [province, era, on.start, on.end],
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[dict]] = {"district": [], "commune": []}
    for code, name, kind, parent, under_district in found:
        out[kind].append({"code": code, "name": name, "parent": parent, "district": under_district})
    return out


def _label_codes(units: list[dict]) -> dict[str, str]:
    """Row label → unit code: the name, or "name, district" where the name (folded) repeats."""
    names = [fold(u["name"]) for u in units]  # the resolver compares names folded
    return {
        (
            f"{u['name']}, {u['parent']}" if names.count(fold(u["name"])) > 1 and u["district"] else u["name"]
        ): u["code"]
        for u in units
    }


def test_the_form_reads_as_its_measures_through_the_vocabulary() -> None:
    check_form_vocabulary()
    assert tuple(c.measure for c in FORM_COLUMNS[2:]) == MEASURES
    for col in FORM_COLUMNS[2:]:
        assert form_measure(col.labels) == col.measure, col.labels
        assert col.measure in vocab.DOSSIER_MEASURES
    for text, level in (
        ("Sở ban ngành", "tinh"),
        ("Huyện, thị xã, thành phố", "huyen"),
        ("Xã, phường, thị trấn", "xa"),
        ("Xã, phường, đặc khu", "xa"),
    ):
        assert vocab.section_level(text) == level


def test_dossier_template_is_form_ii06a(published_db: Path, tmp_path: Path) -> None:
    path = write_template("dossiers", tmp_path, province="L87", period="2023", units_db=published_db)
    assert path.name == "bieu_dossiers_dong_thap_2023.xlsx"
    ws = load_workbook(path).active
    # title block
    assert ws["A1"].value == "Biểu số II.06a/VPCP/KSTT"
    assert ws["A2"].value == "Đơn vị báo cáo: UBND tỉnh Đồng Tháp"
    assert ws["A3"].value.startswith("Đơn vị nhận báo cáo: ")
    assert ws["A5"].value == FORM_TITLE
    assert ws["A6"].value == "Kỳ báo cáo: Năm 2023 (Từ ngày 01/01/2023 đến ngày 31/12/2023)"
    assert ws["A7"].value == "Đơn vị tính: Số hồ sơ TTHC"
    # three header rows with merged cells, then the numbering row 1 … 13
    received, resolved, pending = (
        "Số hồ sơ nhận giải quyết",
        "Số lượng hồ sơ đã giải quyết",
        "Số lượng hồ sơ đang giải quyết",
    )
    assert _values(ws, FORM_HEADER) == (
        "TT", "Lĩnh vực, công việc giải quyết theo cấp", received, None, None, None,
        resolved, None, None, None, pending, None, None,
    )  # fmt: skip
    assert _values(ws, FORM_HEADER + 1) == (
        None, None, "Tổng số", "Trong đó", None, "Từ kỳ trước",
        "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn",
    )  # fmt: skip
    assert _values(ws, FORM_HEADER + 2) == (
        None, None, None, "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", None,
        None, None, None, None, None, None, None,
    )  # fmt: skip
    assert _values(ws, NUMBERING) == tuple(range(1, 14))
    merged = {str(m) for m in ws.merged_cells.ranges}
    sections, total_row, rows = _layout(ws)
    assert merged == HEADER_MERGES | TITLE_MERGES | {f"A{total_row + 2}:M{total_row + 2}"}
    # each numbered column's comment names the vocabulary's measure
    for j, measure in enumerate(MEASURES, start=3):
        header_cell = ws.cell(row=FORM_HEADER + len(FORM_COLUMNS[j - 1].labels) - 1, column=j)
        assert vocab.measure_label(measure) in header_cell.comment.text
    # sections: the provincial departments (empty field rows), the districts, the communes
    assert [(ws.cell(row=r, column=1).value, text) for r, text in sections] == [
        ("I", "Sở ban ngành"),
        ("II", "Huyện, thị xã, thành phố"),
        ("III", "Xã, phường, thị trấn"),
    ]
    assert sections[0][0] == NUMBERING + 1
    (tinh, _), (huyen, _), (xa, _) = sections
    assert len(rows[tinh]) == 5 and all(_values(ws, r) == (None,) * 13 for r in rows[tinh])
    units = _units(published_db, "L87", "legacy", Period.year(2023))
    assert {ws.cell(row=r, column=2).value for r in rows[huyen]} == {u["name"] for u in units["district"]}
    assert "Thành phố Sa Đéc" in {ws.cell(row=r, column=2).value for r in rows[huyen]}
    communes = [ws.cell(row=r, column=2).value for r in rows[xa]]
    assert sorted(communes) == sorted(_label_codes(units["commune"]))
    assert "Phường 1, Thành phố Sa Đéc" in communes and "Phường 1, Thành phố Cao Lãnh" in communes
    assert [ws.cell(row=r, column=1).value for r in rows[huyen]] == list(range(1, len(rows[huyen]) + 1))
    # section rows sum their rows; "Tổng số" sums the sections
    for r, _ in sections:
        lo, hi = r + 1, (rows[r][-1] if rows[r] else r)
        assert [ws.cell(row=r, column=c).value for c in (3, 13)] == [
            f"=SUM(C{lo}:C{hi})",
            f"=SUM(M{lo}:M{hi})",
        ]
    assert ws.cell(row=total_row, column=3).value == "=" + "+".join(f"C{r}" for r, _ in sections)
    assert ws.cell(row=total_row, column=13).value == "=" + "+".join(f"M{r}" for r, _ in sections)
    # whole numbers ≥ 0 in every count cell of the data rows; unbalanced rows turn red
    validated = {
        str(cells).split(":")[0][:1]
        for dv in ws.data_validations.dataValidation
        if dv.type == "whole"
        for cells in dv.sqref.ranges
    }
    assert validated == set("CDEFGHIJKLM")
    [rule] = [r for cf in ws.conditional_formatting for r in cf.rules]
    first = NUMBERING + 1
    assert f"$C{first}<>$D{first}+$E{first}+$F{first}" in rule.formula[0]
    assert f"$C{first}<>$G{first}+$K{first}" in rule.formula[0]
    assert ws.freeze_panes == f"C{NUMBERING + 1}"
    assert ws.page_setup.orientation == "landscape"


def test_dossier_template_after_the_reorganisation(published_db: Path, tmp_path: Path) -> None:
    path = write_template("dossiers", tmp_path, province="Đồng Tháp", period="2025-Q4", units_db=published_db)
    ws = load_workbook(path).active
    assert ws["A6"].value == "Kỳ báo cáo: Quý IV năm 2025 (Từ ngày 01/10/2025 đến ngày 31/12/2025)"
    sections, _, rows = _layout(ws)
    assert [text for _, text in sections] == ["Sở ban ngành", "Xã, phường, đặc khu"]
    labels = [ws.cell(row=r, column=2).value for r in rows[sections[1][0]]]
    units = _units(published_db, "82", "current", Period(date(2025, 10, 1), date(2025, 12, 31)))
    assert units["district"] == []
    assert sorted(labels) == sorted(u["name"] for u in units["commune"])
    assert "Thành phố Sa Đéc" not in labels


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (TODAY, "2026-9M"),  # 2025 spans the reorganisation: this year to the last quarter
        (date(2026, 2, 10), "2025-H2"),  # no quarter of 2026 yet: 2025 from 1 July
        (date(2026, 4, 1), "2026-Q1"),
        (date(2027, 1, 5), "2026"),
        (date(2025, 9, 1), "2024"),
    ],
)
def test_default_period_never_spans_the_reorganisation(today: date, label: str) -> None:
    period = default_period(today)
    assert period.label == label
    assert period.end < date(2025, 7, 1) or period.start >= date(2025, 7, 1)


@pytest.mark.parametrize(
    ("period", "words"),
    [
        (Period.year(2018), "Năm 2018"),
        (Period(date(2023, 1, 1), date(2023, 6, 30)), "6 tháng đầu năm 2023"),
        (Period(date(2025, 7, 1), date(2025, 12, 31)), "6 tháng cuối năm 2025"),
        (Period(date(2023, 7, 1), date(2023, 9, 30)), "Quý III năm 2023"),
        (Period(date(2023, 6, 1), date(2023, 6, 30)), "Tháng 6 năm 2023"),
        (Period(date(2026, 1, 1), date(2026, 9, 30)), "9 tháng đầu năm 2026"),
        (Period(date(2023, 1, 1), date(2023, 8, 25)), "Từ đầu năm đến ngày 25/08/2023"),
    ],
)
def test_period_in_words(period: Period, words: str) -> None:
    assert period_words(period) == words


def test_default_template_is_one_the_quality_gate_accepts(published_db: Path, tmp_path: Path) -> None:
    path = write_template(
        "dossiers", tmp_path, province="Khánh Hòa", period=None, units_db=published_db, today=TODAY
    )
    assert path.name == "bieu_dossiers_khanh_hoa_2026-9M.xlsx"
    ws = load_workbook(path).active
    assert ws["A2"].value == "Đơn vị báo cáo: UBND tỉnh Khánh Hòa"
    assert ws["A6"].value == "Kỳ báo cáo: 9 tháng đầu năm 2026 (Từ ngày 01/01/2026 đến ngày 30/09/2026)"
    sections, _, rows = _layout(ws)
    assert [text for _, text in sections] == ["Sở ban ngành", "Xã, phường, đặc khu"]
    labels = {ws.cell(row=r, column=2).value for r in rows[sections[1][0]]}
    # every unit listed is valid on the whole period (the gate's unit_code_valid_for_period)
    valid = _units(published_db, "56", "current", default_period(TODAY))
    assert labels == {u["name"] for u in valid["commune"]} and len(labels) > 40
    with pytest.raises(ValueError, match="spans the reorganisation"):
        write_template("dossiers", tmp_path, province="Khánh Hòa", period="2025", units_db=published_db)


def test_cli_template_without_a_period(published_db: Path, tmp_path: Path) -> None:
    """`parwh template dossiers --province "Khánh Hòa"` on today's date: a period on one side
    of 1 July 2025 and only units valid on all of it."""
    warehouse = published_db.parent.parent
    result = CliRunner().invoke(
        app,
        [
            "template",
            "dossiers",
            "--province",
            "Khánh Hòa",
            "--out",
            str(tmp_path),
            "--warehouse",
            str(warehouse),
        ],
    )
    assert result.exit_code == 0, result.output
    [path] = tmp_path.glob("bieu_dossiers_khanh_hoa_*.xlsx")
    period = default_period(date.today())
    assert path.name == f"bieu_dossiers_khanh_hoa_{period.label}.xlsx"
    assert period.end < date(2025, 7, 1) or period.start >= date(2025, 7, 1)


# --- a filled II.06a read back by the real loader ------------------------------------------


def _figures(n: int) -> dict[str, int]:
    """Counts that respect the form's identities: (3) = (4)+(5)+(6), (7) = (8)+(9)+(10),
    (11) = (12)+(13), (3) = (7)+(11)."""
    online, in_person, carried = 3 * n, 7 * n + 1, n // 10
    total = online + in_person + carried
    not_due, overdue = n % 5, n % 3
    resolved = total - not_due - overdue
    late = n % 4
    early = resolved // 2
    return {
        "received_total": total,
        "received_online": online,
        "received_in_person_or_postal": in_person,
        "carried_in": carried,
        "resolved": resolved,
        "resolved_early": early,
        "resolved_on_time": resolved - early - late,
        "resolved_late": late,
        "pending": not_due + overdue,
        "pending_not_due": not_due,
        "pending_overdue": overdue,
    }


FIELDS = ("Tư pháp", "Đất đai", "Xây dựng")


def _fill(path: Path, *, saved: bool) -> dict[int, tuple[str | None, str, dict[str, int]]]:
    """Type figures into every unit row and into three field rows under "Sở ban ngành";
    ``saved``: the section and "Tổng số" rows hold their sums, as Excel saves them. Returns
    source row → (unit label or None, field or "", figures)."""
    wb = load_workbook(path)
    ws = wb.active
    sections, total_row, rows = _layout(ws)
    typed: dict[int, tuple[str | None, str, dict[str, int]]] = {}
    for section, text in sections:
        for k, r in enumerate(rows[section]):
            label = ws.cell(row=r, column=2).value
            field = ""
            if text == "Sở ban ngành":
                if k >= len(FIELDS):
                    continue  # an empty field row stays empty
                field = FIELDS[k]
                ws.cell(row=r, column=1, value=k + 1)
                ws.cell(row=r, column=2, value=field)
                label = None
            figures = _figures(40 + 13 * len(typed))
            for j, measure in enumerate(MEASURES, start=3):
                ws.cell(row=r, column=j, value=figures[measure])
            typed[r] = (label, field, figures)
    if saved:
        grand = dict.fromkeys(MEASURES, 0)
        for section, _ in sections:
            for j, measure in enumerate(MEASURES, start=3):
                subtotal = sum(typed[r][2][measure] for r in rows[section] if r in typed)
                ws.cell(row=section, column=j, value=subtotal)
                grand[measure] += subtotal
        for j, measure in enumerate(MEASURES, start=3):
            ws.cell(row=total_row, column=j, value=grand[measure])
    wb.save(path)
    return typed


@pytest.mark.parametrize(
    ("province", "period", "province_code", "era", "saved"),
    [
        ("L87", "2023", "L87", "legacy", True),
        ("L87", "2023", "L87", "legacy", False),
        ("Khánh Hòa", None, "56", "current", True),
        pytest.param(
            "Đồng Tháp",
            "2025-Q4",
            "82",
            "current",
            True,
        ),
    ],
    ids=["dong-thap-2023-saved", "dong-thap-2023-formulas", "khanh-hoa-default-saved", "dong-thap-2025-q4"],
)
def test_filled_form_reads_back_exactly(
    province: str,
    period: str | None,
    province_code: str,
    era: str,
    saved: bool,
    published_db: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox = tmp_path / "inbox"
    path = write_template(
        "dossiers", inbox, province=province, period=period, units_db=published_db, today=TODAY
    )
    typed = _fill(path, saved=saved)
    per = parse_period(period) if period else default_period(TODAY)
    units = _units(published_db, province_code, era, per)
    codes = _label_codes(units["district"]) | _label_codes(units["commune"])
    district_codes = {u["code"] for u in units["district"]}
    expected = {
        (
            r,
            codes[label] if label else province_code,
            ("huyen" if codes[label] in district_codes else "xa") if label else "tinh",
            None if label else field,
            *(figures[m] for m in MEASURES),
            figures["received_online"] + figures["received_in_person_or_postal"],  # newly received
        )
        for r, (label, field, figures) in typed.items()
    }
    assert len(expected) > 60
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    try:
        ensure_schema(con)
        load_admin_units(con)
        caplog.set_level(logging.WARNING)
        registered = register_inbox(con, inbox, tmp_path / "quarantine", "run-1")
        assert [(o.family, o.status) for o in registered] == [("dossiers", "pending")]
        report = load_family(con, "dossiers", tmp_path / "quarantine", "run-1")
        assert report.files_rejected == 0, [o.message for o in report.outcomes]
        assert [o.status for o in report.outcomes] == ["loaded"]
        columns = ", ".join(MEASURES)
        loaded = set(
            con.execute(
                f"select source_row, unit_code, authority_level, field, {columns}, received from raw.dossiers"
                " where not is_total_row"
            ).fetchall()
        )
        periods = con.execute("select distinct period_start, period_end from raw.dossiers").fetchall()
        totals = con.execute(
            "select source_row, received_total, resolved, pending from raw.dossiers where is_total_row"
        ).fetchall()
        findings = con.execute("select rule, source_row, message from raw.load_findings").fetchall()
    finally:
        con.close()
    assert loaded == expected
    assert periods == [(per.start, per.end)]
    if saved:  # the closing "Tổng số" row is kept for the sum-of-parts check, and agrees
        [(_, total, resolved, pending)] = totals
        assert total == sum(f["received_total"] for _, _, f in typed.values())
        assert (resolved, pending) == (
            sum(f["resolved"] for _, _, f in typed.values()),
            sum(f["pending"] for _, _, f in typed.values()),
        )
    else:  # formulas without cached values: the reader sees empty totals
        assert totals == []
    assert findings == []
    assert not [r for r in caplog.records if r.name.startswith("ingest")], caplog.text


# --- the flat templates -------------------------------------------------------------------


def _fill_flat(path: Path, source: str) -> int:
    """Fill every prefilled row with figures that balance; returns the rows filled."""
    wb = load_workbook(path)
    ws = wb.active
    headers = {c.value: c.column for c in ws[HEADER_ROW]}
    filled = 0
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row=r, column=headers["Mã đơn vị"]).value is None:
            continue
        n = 100 + 7 * filled

        def put(header: str, value: float, row: int = r) -> None:
            ws.cell(row=row, column=headers[header], value=value)

        if source == "staff":
            put("Biên chế được giao", n)
            put("Có mặt", n - 3)
        elif source == "budget":
            put("Kế hoạch vốn giao (triệu đồng)", n * 1000.5)
            put("Đã giải ngân (triệu đồng)", n * 800.25)
        else:
            put("Số phiếu khảo sát", n)
            put("Số phiếu hài lòng", n - 9)
        filled += 1
    wb.save(path)
    return filled


@pytest.mark.parametrize("source", FLAT_SOURCES)
def test_template_shape(source: str, published_db: Path, tmp_path: Path) -> None:
    path = write_template(source, tmp_path, province="L87", period="2023", units_db=published_db)
    ws = load_workbook(path).active
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:3] == ["STT", "Mã đơn vị", "Đơn vị"]
    codes = [ws.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]
    assert "867" in codes  # Sa Đéc, a legacy district, for a 2023 template
    total_row = next(
        r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(row=r, column=3).value == "Tổng cộng"
    )
    formulas = [c.value for c in ws[total_row] if isinstance(c.value, str) and c.value.startswith("=SUM(")]
    assert len(formulas) == sum(
        1
        for h in headers
        if h
        not in (
            "STT",
            "Mã đơn vị",
            "Đơn vị",
            "Kỳ báo cáo",
            "Cấp",
            "Ngày số liệu",
            "Loại",
            "Năm ngân sách",
            "Tính đến ngày",
        )
    )
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert "whole" in kinds or "decimal" in kinds
    if source in ("staff", "budget"):
        assert "date" in kinds
    assert ws.page_setup.orientation == "landscape"
    assert ws.freeze_panes == f"D{HEADER_ROW + 1}"


@pytest.mark.parametrize("source", FLAT_SOURCES)
def test_filled_template_loads_cleanly(
    source: str, published_db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    inbox = tmp_path / "inbox"
    path = write_template(source, inbox, province="L87", period="2023", units_db=published_db)
    filled = _fill_flat(path, source)
    assert filled > 0
    con = duckdb.connect(str(tmp_path / "wh.duckdb"))
    try:
        ensure_schema(con)
        load_admin_units(con)
        caplog.set_level(logging.WARNING)
        registered = register_inbox(con, inbox, tmp_path / "quarantine", "run-1")
        assert [(o.family, o.status) for o in registered] == [(source, "pending")]
        report = load_family(con, source, tmp_path / "quarantine", "run-1")
        assert report.files_rejected == 0, [o.message for o in report.outcomes]
        assert [o.status for o in report.outcomes] == ["loaded"]
        assert "skipped" not in report.outcomes[0].message
        table = source
        n_rows, n_total = con.execute(
            f"select count(*), count(*) filter (where is_total_row) from raw.{table}"
        ).fetchone()  # type: ignore[misc]
        # the formula totals row has no cached values: the ingest reads it as empty and skips it
        assert (n_rows, n_total) == (filled, 0)
        assert con.execute(f"select count(*) from raw.{table} where unit_code is null").fetchone()[0] == 0  # type: ignore[index]
        findings = con.execute("select count(*) from marts.data_quality_findings").fetchone()[0]  # type: ignore[index]
        assert findings == 0
    finally:
        con.close()
    assert not [r for r in caplog.records if r.name.startswith("ingest")], caplog.text


def test_cell_rules_come_from_the_rule_catalogue(published_db: Path, tmp_path: Path) -> None:
    """The budget template's cells check what expectations/rules.yaml declares, and every
    rule a cell rule anticipates is a rule of the catalogue."""
    from expectations.rules import catalogue_rule_ids, load_catalogue

    cell_rules = load_catalogue()["template_cell_rules"]
    known = catalogue_rule_ids()
    for entry in [*cell_rules["cells"], *cell_rules["rows"]]:
        assert set(entry["rules"]) <= set(known), entry
    path = write_template("budget", tmp_path, province="L87", period="2023", units_db=published_db)
    ws = load_workbook(path).active
    errors = {dv.type: dv.error for dv in ws.data_validations.dataValidation if dv.error}
    assert errors["decimal"] == "Nhập số không âm, đơn vị triệu đồng."
    assert errors["date"] == "Nhập ngày (dd/mm/yyyy)."
    assert {dv.errorTitle for dv in ws.data_validations.dataValidation} == {"Giá trị không hợp lệ"}
    letter = {c.value: c.column_letter for c in ws[HEADER_ROW]}
    first = HEADER_ROW + 1
    disbursed, plan = letter["Đã giải ngân (triệu đồng)"], letter["Kế hoạch vốn giao (triệu đồng)"]
    (red,) = ws.conditional_formatting
    assert red.rules[0].formula[0].endswith(f",${disbursed}{first}>${plan}{first})")


def test_the_catalogue_states_the_form_identities_the_template_colours() -> None:
    from expectations.rules import load_catalogue
    from reports.templates import FORM_IDENTITIES

    (dossiers,) = [r for r in load_catalogue()["template_cell_rules"]["rows"] if r["source"] == "dossiers"]
    stated = " or ".join(f"({t})<>" + "+".join(f"({p})" for p in parts) for t, parts in FORM_IDENTITIES)
    assert dossiers["red_when"] == stated

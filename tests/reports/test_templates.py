"""Submission templates: prefilled, validated, and a filled-in copy loads through the real
ingest with no rejection and no warning."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from ingest.admin_units import load_admin_units
from ingest.inbox import load_family, register_inbox
from ingest.warehouse import ensure_schema
from reports import TEMPLATE_SOURCES, write_template

HEADER_ROW = 4


def _fill(path: Path, source: str) -> int:
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

        if source == "dossiers":
            carried, received = n // 10, n * 10
            late, pending_overdue, pending_not_due = 2, 1, 3
            resolved = carried + received - pending_overdue - pending_not_due
            put("Kỳ trước chuyển qua", carried)
            put("Tiếp nhận mới", received)
            put("Trong đó: trực tuyến", received // 3)
            put("Bưu chính công ích", 5)
            put("Đã giải quyết", resolved)
            put("Trước hạn", resolved // 2)
            put("Đúng hạn", resolved - resolved // 2 - late)
            put("Trễ hạn", late)
            put("Chưa đến hạn", pending_not_due)
            put("Đang giải quyết Quá hạn", pending_overdue)
        elif source == "staff":
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


@pytest.mark.parametrize("source", TEMPLATE_SOURCES)
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


def test_template_after_the_reorganisation_lists_current_communes(published_db: Path, tmp_path: Path) -> None:
    path = write_template("dossiers", tmp_path, province="Đồng Tháp", period="2025-Q4", units_db=published_db)
    ws = load_workbook(path).active
    levels = {ws.cell(row=r, column=5).value for r in range(HEADER_ROW + 1, ws.max_row + 1)} - {None}
    assert levels == {"Cấp xã"}
    assert "867" not in [ws.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, ws.max_row + 1)]


@pytest.mark.parametrize("source", TEMPLATE_SOURCES)
def test_filled_template_loads_cleanly(
    source: str, published_db: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    inbox = tmp_path / "inbox"
    path = write_template(source, inbox, province="L87", period="2023", units_db=published_db)
    filled = _fill(path, source)
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
        if source == "dossiers":
            bad = con.execute(
                "select count(*) from raw.dossiers where carried_in + received <> resolved + pending_not_due"
                " + pending_overdue or resolved <> resolved_early + resolved_on_time + resolved_late"
            ).fetchone()[0]  # type: ignore[index]
            assert bad == 0
        findings = con.execute("select count(*) from marts.data_quality_findings").fetchone()[0]  # type: ignore[index]
        assert findings == 0
    finally:
        con.close()
    assert not [r for r in caplog.records if r.name.startswith("ingest")], caplog.text

"""The official one-stop-shop report form, Biểu số II.06a/VPCP/KSTT (Thông tư
01/2020/TT-VPCP), as a district fills it in: the title block side by side (form number and
legal reference | title and "Kỳ báo cáo" | "Đơn vị báo cáo", "Đơn vị nhận báo cáo", "Đơn
vị tính"), three merged header rows, the numbering row "(1) … (3)=(4)+(5)+(6) …", a
section row per authority level carrying its subtotal, rows per field (lĩnh vực) of the
reporting unit or per commune, and "Tổng số".

The form has no postal column of its own ("Trực tiếp, dịch vụ bưu chính" is one column)
and states "Số hồ sơ nhận giải quyết" including what was carried in (3 = 4 + 5 + 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from demo._common import BOLD, CENTER, new_workbook, rng_for, xlsx_bytes
from demo.figures import DossierFigures, allocate, total

FORM_NUMBER = "Biểu số II.06a/VPCP/KSTT"
LEGAL_REFERENCE = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
NCOLS = 13
# (first row, first column, last row, last column, text); rows 0-2 of the header, 1-based columns
HEADER_CELLS: tuple[tuple[int, int, int, int, str], ...] = (
    (0, 1, 2, 1, "TT"),
    (0, 2, 2, 2, "Lĩnh vực, công việc giải quyết theo cấp"),
    (0, 3, 0, 6, "Số hồ sơ nhận giải quyết"),
    (1, 3, 2, 3, "Tổng số"),
    (1, 4, 1, 5, "Trong đó"),
    (2, 4, 2, 4, "Trực tuyến"),
    (2, 5, 2, 5, "Trực tiếp, dịch vụ bưu chính"),
    (1, 6, 2, 6, "Từ kỳ trước"),
    (0, 7, 0, 10, "Số lượng hồ sơ đã giải quyết"),
    (1, 7, 2, 7, "Tổng số"),
    (1, 8, 2, 8, "Trước hạn"),
    (1, 9, 2, 9, "Đúng hạn"),
    (1, 10, 2, 10, "Quá hạn"),
    (0, 11, 0, 13, "Số lượng hồ sơ đang giải quyết"),
    (1, 11, 2, 11, "Tổng số"),
    (1, 12, 2, 12, "Trong hạn"),
    (1, 13, 2, 13, "Quá hạn"),
)
NUMBERING = (
    "(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)", "(8)", "(9)", "(10)",
    "(11)=(12)+(13)", "(12)", "(13)",
)  # fmt: skip
_ROMAN = ("I", "II", "III", "IV")


def form_values(f: DossierFigures) -> tuple[int, ...]:
    """Columns 3 … 13 of the form for one row."""
    return (
        f.carried_in + f.received,
        f.received_online,
        f.received - f.received_online,
        f.carried_in,
        f.resolved,
        f.resolved_early,
        f.resolved_on_time,
        f.resolved_late,
        f.pending,
        f.pending_not_due,
        f.pending_overdue,
    )


@dataclass(frozen=True)
class Section:
    text: str  # "Huyện, thị xã, thành phố", "Xã, phường, thị trấn"
    rows: tuple[tuple[str, DossierFigures], ...]  # (field or unit name, figures)


def split_by_field(seed: int, key: str, fig: DossierFigures, fields: Sequence[str]) -> list[DossierFigures]:
    """A unit's figures split across its fields (deterministic weights); every field row
    balances and the rows add up to ``fig`` exactly."""
    rng = rng_for(seed, "ii06a-fields", key)
    weights = [rng.uniform(0.3, 2.5) for _ in fields]
    received = allocate(fig.received, weights)
    carried = allocate(fig.carried_in, weights)
    online = allocate(fig.received_online, [r * rng.uniform(0.5, 1.5) for r in received])
    not_due = allocate(fig.pending_not_due, weights)
    overdue = allocate(fig.pending_overdue, weights)
    late = allocate(fig.resolved_late, [w * rng.uniform(0.2, 1.8) for w in weights])
    resolved = [c + r - n - o for c, r, n, o in zip(carried, received, not_due, overdue, strict=True)]
    early = allocate(fig.resolved_early, [max(rv - lt, 0) for rv, lt in zip(resolved, late, strict=True)])
    out = [
        DossierFigures(
            carried[i],
            received[i],
            online[i],
            0,  # the form has no postal column of its own
            early[i],
            resolved[i] - late[i] - early[i],
            late[i],
            not_due[i],
            overdue[i],
        )
        for i in range(len(fields))
    ]
    assert all(f.is_balanced() and min(f.as_tuple()) >= 0 for f in out), out
    summed = total(out)
    assert form_values(summed) == form_values(fig), (summed, fig)
    return out


def ii06a_xlsx(
    *,
    reporting_unit: str,
    recipient: str,
    period_line: str,
    sections: Sequence[Section],
    sheet_title: str = "II.06a",
) -> bytes:
    """The form, as a district office fills it in; section rows and "Tổng số" carry sums."""
    wb, ws = new_workbook(sheet_title)
    left, middle, right = (1, 2), (3, 9), (10, NCOLS)

    def put(row: int, cols: tuple[int, int], text: str, *, bold: bool = False, align: str = "center") -> None:
        cell = ws.cell(row=row, column=cols[0], value=text)
        ws.merge_cells(start_row=row, start_column=cols[0], end_row=row, end_column=cols[1])
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if bold:
            cell.font = BOLD

    put(1, left, FORM_NUMBER, bold=True)
    put(1, middle, TITLE, bold=True)
    put(1, right, f"Đơn vị báo cáo: {reporting_unit}", align="left")
    put(2, left, LEGAL_REFERENCE)
    ws.cell(row=2, column=1).font = Font(italic=True, size=9)
    put(2, middle, period_line, bold=True)
    put(2, right, f"Đơn vị nhận báo cáo: {recipient}", align="left")
    put(3, right, UNIT_OF_COUNT, align="left")
    for r in (1, 2):
        ws.row_dimensions[r].height = 45
    header = 5
    for r0, c0, r1, c1, text in HEADER_CELLS:
        ws.cell(row=header + r0, column=c0, value=text)
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=header + r0, start_column=c0, end_row=header + r1, end_column=c1)
    numbering = header + 3
    for c, text in enumerate(NUMBERING, start=1):
        ws.cell(row=numbering, column=c, value=text)
    for r in range(header, numbering + 1):
        for c in range(1, NCOLS + 1):
            ws.cell(row=r, column=c).font = BOLD
            ws.cell(row=r, column=c).alignment = CENTER

    r = numbering + 1
    grand: list[DossierFigures] = []
    for k, section in enumerate(sections):
        subtotal = total([f for _, f in section.rows])
        grand.append(subtotal)
        for c, v in enumerate((_ROMAN[k], section.text, *form_values(subtotal)), start=1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.font = BOLD
            if c > 2:
                cell.number_format = "#,##0"
        r += 1
        for i, (label, fig) in enumerate(section.rows, start=1):
            for c, v in enumerate((i, label, *form_values(fig)), start=1):
                cell = ws.cell(row=r, column=c, value=v)
                if c > 2:
                    cell.number_format = "#,##0"
            r += 1
    for c, v in enumerate((None, "Tổng số", *form_values(total(grand))), start=1):
        cell = ws.cell(row=r, column=c, value=v)
        cell.font = BOLD
        if c > 2:
            cell.number_format = "#,##0"
    for c, width in enumerate((6, 36, *(11,) * (NCOLS - 2)), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=numbering + 1, column=3)
    return xlsx_bytes(wb)

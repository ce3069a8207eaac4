"""Independent readers of the generated files (do not reuse the generator's code)."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

import openpyxl

# canonical field <- header label ("group / sub" for grouped headers)
DOSSIER_LABELS = {
    "Mã đơn vị": "unit_code",
    "Đơn vị": "unit_name",
    "Cấp": "level",
    "Kỳ trước chuyển qua": "carried_in",
    "Tiếp nhận mới": "received",
    "Trực tuyến": "received_online",
    "Bưu chính công ích": "received_postal",
    "Đã giải quyết / Tổng số": "resolved",
    "Đã giải quyết / Trước hạn": "resolved_early",
    "Đã giải quyết / Đúng hạn": "resolved_on_time",
    "Đã giải quyết / Trễ hạn": "resolved_late",
    "Đang giải quyết / Chưa đến hạn": "pending_not_due",
    "Đang giải quyết / Quá hạn": "pending_overdue",
    # single-row CSV form
    "Đã giải quyết": "resolved",
    "Trước hạn": "resolved_early",
    "Đúng hạn": "resolved_on_time",
    "Trễ hạn": "resolved_late",
    "Đang giải quyết chưa đến hạn": "pending_not_due",
    "Đang giải quyết quá hạn": "pending_overdue",
    "Tỉnh": "province",
    "Kỳ báo cáo": "period",
    # a one-stop system that counts withdrawn and stopped dossiers apart
    "Công dân rút hồ sơ": "withdrawn",
    "Dừng xử lý": "stopped",
}
NUMBERS = (
    "carried_in",
    "received",
    "received_online",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_not_due",
    "pending_overdue",
)


def vn_number(text: str) -> int:
    return int(text.replace(".", ""))


def read_dossier_xlsx(path: Path) -> tuple[list[str], list[dict], dict]:
    """(title rows, data rows, totals row) from a two-row grouped-header workbook."""
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == "STT")
    titles = [r[0] for r in rows[:h] if r[0]]
    top, sub = rows[h], rows[h + 1]
    labels, group = [], None
    for t, s in zip(top, sub, strict=True):
        if t is not None:
            group = t
        labels.append(f"{group} / {s}" if s is not None else t)
    fields = [DOSSIER_LABELS.get(lbl, lbl) for lbl in labels]
    data, totals = [], {}
    for r in rows[h + 2 :]:
        rec = dict(zip(fields, r, strict=True))
        if r[0] == "Tổng cộng":
            totals = rec
            break
        data.append(rec)
    return titles, data, totals


def read_dossier_csv(path: Path) -> tuple[list[dict], dict]:
    text = unicodedata.normalize("NFC", path.read_bytes().decode("utf-8-sig"))
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = next(reader)
    fields = [DOSSIER_LABELS[h] for h in header]
    data, totals = [], {}
    for r in reader:
        rec = dict(zip(fields, r, strict=True))
        for k in (*NUMBERS, "withdrawn", "stopped"):
            if k in rec:
                rec[k] = vn_number(rec[k])
        if rec["unit_name"] == "Tổng cộng":
            totals = rec
        else:
            data.append(rec)
    return data, totals


def read_csv(path: Path, delimiter: str = ";") -> tuple[list[str], list[list[str]]]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return rows[0], rows[1:]


def read_simple_xlsx(path: Path) -> tuple[list[str], list[tuple], tuple]:
    """(header, data rows, totals row) of a single-row-header workbook."""
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == "STT")
    data = [r for r in rows[h + 1 :] if r[0] not in ("Cộng", "Tổng cộng")]
    totals = next(r for r in rows[h + 1 :] if r[0] in ("Cộng", "Tổng cộng"))
    return list(rows[h]), data, totals


# Biểu số II.06a/VPCP/KSTT: columns 3 … 13 as the form numbers them
II06A_COLUMNS = (
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
II06A_SECTIONS = {"Sở ban ngành": "tinh", "Huyện, thị xã, thành phố": "huyen", "Xã, phường, thị trấn": "xa"}


def _ii06a_record(row: tuple) -> dict:
    rec = {"tt": row[0], "label": row[1], **dict(zip(II06A_COLUMNS, row[2:13], strict=True))}
    rec["received"] = rec["received_online"] + rec["received_in_person_or_postal"]  # newly received
    return rec


def read_ii06a_xlsx(path: Path) -> tuple[list[str], list[dict], dict]:
    """(title texts, sections, "Tổng số" row) of a Biểu II.06a workbook. A section is
    ``{"label", "level", "subtotal", "rows"}``; a row's ``received`` is the newly received
    ((4) + (5)), its ``level`` the section's."""
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    h = next(i for i, r in enumerate(rows) if r[0] == "TT")
    titles = [v for r in rows[:h] for v in r if v]
    numbering = h + 3
    sections: list[dict] = []
    for r in rows[numbering + 1 :]:
        if r[1] == "Tổng số":
            return titles, sections, _ii06a_record(r)
        if r[1] in II06A_SECTIONS:
            sections.append(
                {"label": r[1], "level": II06A_SECTIONS[r[1]], "subtotal": _ii06a_record(r), "rows": []}
            )
        else:
            sections[-1]["rows"].append({**_ii06a_record(r), "level": sections[-1]["level"]})
    raise AssertionError(f"{path.name}: no Tổng số row")


def read_simple_xls(path: Path) -> tuple[list[str], list[tuple], tuple]:
    """(header, data rows, totals row) of a single-row-header Excel 97–2003 workbook, read
    with python-calamine (numbers come back as int when whole; empty cells as '')."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = [tuple(None if v == "" else v for v in r) for r in sheet.to_python()]
    h = next(i for i, r in enumerate(rows) if r[0] == "STT")
    data = [r for r in rows[h + 1 :] if r[0] not in ("Cộng", "Tổng cộng")]
    totals = next(r for r in rows[h + 1 :] if r[0] in ("Cộng", "Tổng cộng"))
    return list(rows[h]), data, totals

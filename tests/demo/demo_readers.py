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
        for k in NUMBERS:
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

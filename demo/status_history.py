"""The processing history of a district's dossiers that were asked for supplements (family
`dossier_status_history`), as the one-stop software exports it beside its record export: one
row per status change, in the national portal's names (MaHoSo, MaDonVi, TrangThaiHoSo as its
codes, ThoiDiem as ``yyyyMMddHHmmss``) and with the handler's name (NguoiXuLy), which the
warehouse never reads.

Every history agrees with its record: received (2), asked for supplements (5) at the first
request, back in process (4) when they were completed (a dossier asked twice waits twice, the
second completion at the record's; still waiting at the year's end if the record has none),
resolved (9) at the record's end of processing; a dossier
still waiting at the year's end stays waiting. The record's own values win where both speak,
so the demo's 766 figures are the same with or without the history: it shows the family
loaded and read, and the warehouse tests that the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from demo._common import csv_bytes
from demo.records import PERIOD_END, Record

HEADER = ("MaHoSo", "MaDonVi", "TrangThaiHoSo", "ThoiDiem", "NguoiXuLy")
#: the portal's TrangThaiHoSo codes (ingest/vocabulary.yaml, dossier_statuses)
RECEIVED, IN_PROCESS, WAITING_SUPPLEMENT, RESOLVED = "2", "4", "5", "9"
#: fictitious handlers: personal data the warehouse must never store
HANDLERS = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Minh Tâm")


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%d%H%M%S")


def changes(record: Record) -> list[tuple[str, datetime]]:
    """The status changes of one dossier asked for supplements, in time order."""
    out = [(RECEIVED, record.received_at)]
    requested, completed = record.supplement_requested_at, record.supplement_completed_at
    assert requested is not None
    out.append((WAITING_SUPPLEMENT, requested))
    if (record.supplement_count or 1) >= 2:  # the first wait ends, the second begins
        span = (completed or datetime.combine(PERIOD_END, time(23, 59, 59))) - requested
        out.append((IN_PROCESS, requested + span / 3))
        out.append((WAITING_SUPPLEMENT, requested + span * 2 / 3))
    if completed is not None:
        out.append((IN_PROCESS, completed))
    if record.finished_at is not None:
        out.append((RESOLVED, record.finished_at))
    return out


def with_history(records: Sequence[Record]) -> list[Record]:
    """The dossiers whose history is exported: those asked for supplements."""
    return [r for r in records if r.supplement_requested_at is not None]


def status_history_csv(records: Sequence[Record]) -> bytes:
    rows = [
        (r.dossier_id, r.unit_code, status, _stamp(at), HANDLERS[i % len(HANDLERS)])
        for r in with_history(records)
        for i, (status, at) in enumerate(changes(r))
    ]
    return csv_bytes(HEADER, rows, delimiter=",", bom=False)

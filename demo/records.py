"""Record-level one-stop-shop exports (family `dossier_records`) and their aggregation."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from random import Random

import pyarrow as pa
import pyarrow.parquet as pq

from demo._common import csv_bytes, gzip_bytes, rng_for, vn_int
from demo.figures import DossierFigures
from demo.units import District

# Non-working days of 2023 besides weekends (Tết, 30/4–1/5, 2/9; and 1/1/2024).
HOLIDAYS_2023 = frozenset(
    {date(2023, 1, 2)}
    | {date(2023, 1, 20) + timedelta(days=i) for i in range(7)}
    | {date(2023, 4, 29) + timedelta(days=i) for i in range(5)}
    | {date(2023, 9, 1) + timedelta(days=i) for i in range(4)}
    | {date(2024, 1, 1)}
)
YEAR = 2023
PERIOD_END = date(YEAR, 12, 31)
DUE_TIME = time(17, 0)

CHANNELS = ("trực tiếp", "trực tuyến", "bưu chính")


@dataclass(frozen=True)
class Procedure:
    code: str
    field: str
    days: int  # working days allowed; 0 = same day
    fee: bool
    fully_online_eligible: bool
    weight: float
    late_prob: float
    online_affinity: float  # multiplies the unit's online share


# Illustrative catalogue (codes are in the national format but fictitious).
DISTRICT_PROCEDURES: tuple[Procedure, ...] = (
    Procedure("1.004227.000.00.00.H17", "Đất đai", 10, True, False, 0.22, 0.015, 0.6),
    Procedure("2.000815.000.00.00.H17", "Chứng thực", 0, True, False, 0.22, 0.0, 0.2),
    Procedure("1.001022.000.00.00.H17", "Hộ tịch", 3, True, True, 0.08, 0.0008, 1.5),
    Procedure(
        "2.000720.000.00.00.H17", "Thành lập và hoạt động của hộ kinh doanh", 3, True, True, 0.15, 0.0, 1.8
    ),
    Procedure("1.009994.000.00.00.H17", "Xây dựng", 15, True, False, 0.09, 0.002, 1.2),
    Procedure("1.001776.000.00.00.H17", "Bảo trợ xã hội", 10, False, True, 0.07, 0.0, 1.0),
    Procedure("1.004831.000.00.00.H17", "Giáo dục và Đào tạo", 3, False, True, 0.06, 0.0, 1.6),
    Procedure("1.001055.000.00.00.H17", "Tôn giáo", 20, False, False, 0.01, 0.02, 0.5),
    Procedure("2.000633.000.00.00.H17", "Lưu thông hàng hóa trong nước", 10, True, True, 0.05, 0.0, 1.8),
    Procedure("1.003645.000.00.00.H17", "Văn hóa", 10, False, True, 0.05, 0.0, 1.4),
)
COMMUNE_PROCEDURES: tuple[Procedure, ...] = (
    Procedure("2.000908.000.00.00.H17", "Chứng thực", 0, True, False, 0.42, 0.0, 0.2),
    Procedure("1.001193.000.00.00.H17", "Hộ tịch", 0, False, True, 0.16, 0.0, 1.8),
    Procedure("1.000656.000.00.00.H17", "Hộ tịch", 0, False, True, 0.05, 0.0, 1.5),
    Procedure("1.004873.000.00.00.H17", "Hộ tịch", 3, True, True, 0.12, 0.0005, 1.8),
    Procedure("1.000894.000.00.00.H17", "Hộ tịch", 0, False, False, 0.05, 0.0, 0.4),
    Procedure("1.001758.000.00.00.H17", "Bảo trợ xã hội", 7, False, True, 0.06, 0.003, 1.2),
    Procedure("1.010819.000.00.00.H17", "Người có công", 5, False, False, 0.04, 0.0, 0.6),
    Procedure("2.000346.000.00.00.H17", "Thi đua, khen thưởng", 20, False, False, 0.03, 0.0, 0.3),
    Procedure("2.001162.000.00.00.H17", "Đất đai", 45, False, False, 0.02, 0.01, 0.3),
    Procedure("1.000775.000.00.00.H17", "Hộ tịch", 0, True, True, 0.05, 0.0, 1.2),
)


@dataclass(frozen=True)
class Record:
    dossier_id: str
    unit_code: str
    authority_level: str  # huyen | xa
    procedure_code: str
    field: str
    channel: str
    received_at: datetime
    due_at: datetime
    finished_at: datetime | None
    online_level: str | None  # "toàn trình" | "một phần" | None
    fully_online_eligible: bool
    digitised: bool
    electronic_result: bool
    fee_required: bool
    paid_online: bool
    citizen_rating: str | None  # "satisfied" | "dissatisfied" | None
    # --- the fields of the 766 index (issue 19); see with_766_fields
    channel_blank: bool = False  # an in-person dossier whose channel cell the export leaves empty
    supplement_count: int | None = None
    supplement_requested_at: datetime | None = None  # the first request
    supplement_completed_at: datetime | None = None  # the last completion; None while waiting
    synced: bool | None = None  # synchronised to the national public service portal
    fee_amount: int | None = None  # VND; None for procedures without fees, 0 where waived
    complaint: bool | None = None  # a complaint or petition (phản ánh, kiến nghị) on the dossier
    data_reused: bool | None = None  # digitised data reused (tái sử dụng dữ liệu số hóa)


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in HOLIDAYS_2023


def next_working_day(d: date) -> date:
    d += timedelta(days=1)
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_working_days(d: date, n: int) -> date:
    for _ in range(n):
        d = next_working_day(d)
    return d


def _working_days_between(start: date, end: date) -> list[date]:
    out, d = [], start
    while d <= end:
        if is_working_day(d):
            out.append(d)
        d += timedelta(days=1)
    return out


def _at(d: date, rng: Random, start_min: int, end_min: int) -> datetime:
    minute = rng.randrange(start_min, end_min)
    return datetime.combine(d, time(minute // 60, minute % 60, rng.randrange(60)))


def unit_records(
    seed: int,
    unit_code: str,
    level: str,
    n: int,
    online_share: float,
) -> list[Record]:
    """About n dossiers received by one unit in 2023, finished or pending at 31/12/2023."""
    rng = rng_for(seed, "records", unit_code)
    procs = DISTRICT_PROCEDURES if level == "huyen" else COMMUNE_PROCEDURES
    weights = [p.weight for p in procs]
    all_days = [date(YEAR, 1, 1) + timedelta(days=i) for i in range(365)]
    work_days = [d for d in all_days if is_working_day(d)]
    drafts: list[tuple[datetime, Procedure, str]] = []
    for _ in range(n):
        proc = rng.choices(procs, weights)[0]
        p_online = min(0.95, online_share * proc.online_affinity)
        roll = rng.random()
        channel = CHANNELS[1] if roll < p_online else CHANNELS[2] if roll < p_online + 0.02 else (CHANNELS[0])
        if channel == CHANNELS[1]:
            received = _at(rng.choice(all_days), rng, 6 * 60, 23 * 60)
        else:
            received = _at(rng.choice(work_days), rng, 7 * 60 + 30, 16 * 60 + 30)
        drafts.append((received, proc, channel))
    drafts.sort(key=lambda t: (t[0], t[1].code, t[2]))
    seq: dict[date, int] = {}
    out: list[Record] = []
    for received, proc, channel in drafts:
        day = received.date()
        seq[day] = seq.get(day, 0) + 1
        dossier_id = f"{unit_code}-{received:%y%m%d}-{seq[day]:04d}"
        start = day
        if not is_working_day(day) or received.time() >= time(15, 0):
            start = next_working_day(day)
        due_day = add_working_days(start, proc.days)
        due_at = datetime.combine(due_day, DUE_TIME)
        late = rng.random() < proc.late_prob
        if late:
            fin_day = add_working_days(due_day, rng.randint(1, 12))
        elif due_day > day and rng.random() < 0.8:
            fin_day = rng.choice(_working_days_between(start, due_day - timedelta(1)) or [due_day])
        else:
            fin_day = due_day
        low = 8 * 60
        if fin_day == day:
            low = min(received.hour * 60 + received.minute + 20, 16 * 60 + 30)
        finished: datetime | None = _at(fin_day, rng, low, 16 * 60 + 59)
        if fin_day > PERIOD_END:
            finished = None
        online_level = None
        if channel == CHANNELS[1]:
            full = proc.fully_online_eligible and rng.random() < 0.55
            online_level = "toàn trình" if full else "một phần"
        digitised = rng.random() < (0.68 if level == "huyen" else 0.58)
        e_result = rng.random() < 0.62
        paid_online = proc.fee and channel == CHANNELS[1] and rng.random() < 0.45
        rating: str | None = None
        if finished is not None:
            r = rng.random()
            bad = 0.25 if late else 0.004
            rating = "dissatisfied" if r < bad else "satisfied" if r < 0.6 else None
        out.append(
            Record(
                dossier_id,
                unit_code,
                level,
                proc.code,
                proc.field,
                channel,
                received,
                due_at,
                finished,
                online_level,
                proc.fully_online_eligible,
                digitised,
                e_result,
                proc.fee,
                paid_online,
                rating,
            )
        )
    return out


def district_records(
    seed: int, district: District, district_n: int, commune_range: tuple[int, int], online_share: float
) -> list[Record]:
    rng = rng_for(seed, "records-size", district.code)
    n_district = round(district_n * rng.uniform(0.93, 1.07))
    recs = unit_records(seed, district.code, "huyen", n_district, online_share)
    for c in district.communes:
        n = rng.randint(*commune_range)
        recs += unit_records(seed, c.code, "xa", n, online_share * 0.85)
    recs.sort(key=lambda r: (r.received_at, r.dossier_id))
    return with_766_fields(seed, recs)


# The fee of a fee-bearing procedure in VND (its catalogue states the same amount).
FEE_AMOUNTS: dict[str, int] = {
    "1.004227.000.00.00.H17": 100_000,
    "2.000815.000.00.00.H17": 10_000,
    "1.001022.000.00.00.H17": 8_000,
    "2.000720.000.00.00.H17": 100_000,
    "1.009994.000.00.00.H17": 100_000,
    "2.000633.000.00.00.H17": 50_000,
    "2.000908.000.00.00.H17": 10_000,
    "1.004873.000.00.00.H17": 50_000,
    "1.000775.000.00.00.H17": 5_000,
}
SUPPLEMENT_ONCE = 0.08  # share of dossiers asked once for supplements (bổ sung hồ sơ)
SUPPLEMENT_TWICE = 0.005  # … asked twice (late under the 766 rule)
STILL_WAITING = 0.7  # an open dossier asked for supplements is still waiting for them
NOT_SYNCED = (0.01, 0.04)  # per unit: the share of dossiers not synced to the portal
FEE_WAIVED = 0.05  # a fee dossier not paid online whose every fee is waived (0)
COMPLAINT = (0.003, 0.03)  # a complaint: otherwise, late or rated dissatisfied
DATA_REUSED = 0.30  # of digitised dossiers
CHANNEL_BLANK = 0.01  # of in-person dossiers
_MIN_SPAN = timedelta(hours=1)  # a supplement request needs the dossier open this long


def _end(r: Record) -> datetime:
    """The end of a dossier for its supplements: its finish, else the period's end."""
    return r.finished_at or datetime.combine(PERIOD_END, time(23, 59, 59))


def _between(start: datetime, end: datetime, rng: Random, low: float, high: float) -> datetime:
    """A moment strictly between start and end, at a fraction in [low, high] of the way."""
    seconds = (end - start).total_seconds()
    at = start + timedelta(seconds=int(seconds * rng.uniform(low, high)))
    return min(max(at, start + timedelta(seconds=1)), end - timedelta(seconds=1))


def with_766_fields(seed: int, records: Sequence[Record]) -> list[Record]:
    """The records with the fields of the 766 index, drawn from their own stream per unit
    (``rng_for(seed, "qd766", unit)``) so every other column keeps its values: supplement
    requests (count, first request, last completion; an open dossier may still wait), the
    sync flag, the fee in VND, complaints, reused digitised data, and a few in-person dossiers
    whose channel cell is left blank (blank is in person, so no count moves)."""
    by_unit: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        by_unit.setdefault(r.unit_code, []).append(i)
    out = list(records)
    for unit in sorted(by_unit):
        rng = rng_for(seed, "qd766", unit)
        idx = by_unit[unit]
        eligible = sum(_end(records[i]) - records[i].received_at >= _MIN_SPAN for i in idx)
        share = eligible / len(idx) if eligible else 1.0
        p_twice, p_once = SUPPLEMENT_TWICE / share, SUPPLEMENT_ONCE / share
        not_synced = rng.uniform(*NOT_SYNCED)
        for i in idx:
            out[i] = _with_fields(records[i], rng, p_once, p_twice, not_synced)
    return out


def _with_fields(r: Record, rng: Random, p_once: float, p_twice: float, not_synced: float) -> Record:
    end = _end(r)
    count, requested, completed = 0, None, None
    roll = rng.random()
    if end - r.received_at >= _MIN_SPAN and roll < p_once + p_twice:
        count = 2 if roll < p_twice else 1
        requested = _between(r.received_at, end, rng, 0.05, 0.45)
        if r.finished_at is not None or rng.random() >= STILL_WAITING:
            completed = _between(requested, end, rng, 0.2, 0.8)
    fee: int | None = None
    if r.fee_required:
        waived = not r.paid_online and rng.random() < FEE_WAIVED
        fee = 0 if waived else FEE_AMOUNTS[r.procedure_code]
    late = r.finished_at is not None and r.finished_at.date() > r.due_at.date()
    p_complaint = COMPLAINT[1] if late or r.citizen_rating == "dissatisfied" else COMPLAINT[0]
    return replace(
        r,
        channel_blank=r.channel == CHANNELS[0] and rng.random() < CHANNEL_BLANK,
        supplement_count=count,
        supplement_requested_at=requested,
        supplement_completed_at=completed,
        synced=rng.random() >= not_synced,
        fee_amount=fee,
        complaint=rng.random() < p_complaint,
        data_reused=r.digitised and rng.random() < DATA_REUSED,
    )


def aggregate(records: Sequence[Record]) -> dict[str, DossierFigures]:
    """Figures for 2023 per unit_code: what the `dossiers` form of the same data says."""
    acc: dict[str, list[int]] = {}
    for r in records:
        a = acc.setdefault(r.unit_code, [0] * 8)
        a[0] += 1
        a[1] += r.channel == CHANNELS[1]
        a[2] += r.channel == CHANNELS[2]
        due = r.due_at.date()
        if r.finished_at is None:
            a[6 if due > PERIOD_END else 7] += 1
        else:
            fin = r.finished_at.date()
            a[3 if fin < due else 4 if fin == due else 5] += 1
    return {
        code: DossierFigures(0, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])
        for code, a in sorted(acc.items())
    }


COLUMNS = (
    "dossier_id",
    "unit_code",
    "authority_level",
    "procedure_code",
    "field",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "online_level",
    "fully_online_eligible",
    "digitised",
    "electronic_result",
    "fee_required",
    "paid_online",
    "citizen_rating",
)
# The 766 fields' headings: Vietnamese in the CSV export, the portal's names in the Parquet one
# (both are read by ingest/aliases/dossier_records.yaml).
FIELDS_766 = (
    "supplement_count",
    "supplement_requested_at",
    "supplement_completed_at",
    "synced",
    "fee_amount",
    "complaint",
    "data_reused",
)
CSV_766_HEADINGS = (
    "Số lần bổ sung",
    "Ngày yêu cầu bổ sung",
    "Ngày bổ sung",
    "Đồng bộ",
    "Phí, lệ phí",
    "Phản ánh kiến nghị",
    "Tái sử dụng dữ liệu",
)
PARQUET_766_NAMES = (
    "SoLanBoSung",
    "NgayYeuCauBoSung",
    "NgayTiepNhanBoSung",
    "DaDongBo",
    "TongPhiLePhi",
    "PhanAnhKienNghi",
    "TaiSuDungDuLieu",
)


def _b(v: bool) -> str:
    return "true" if v else "false"


def _ts(v: datetime | None) -> str:
    return "" if v is None else v.strftime("%Y-%m-%d %H:%M:%S")


def _yes(v: bool | None) -> str:
    return "" if v is None else "Có" if v else "Không"


def _channel(r: Record) -> str | None:
    return None if r.channel_blank else r.channel


def records_csv_gz(records: Sequence[Record]) -> bytes:
    rows = (
        [
            r.dossier_id,
            r.unit_code,
            r.authority_level,
            r.procedure_code,
            r.field,
            _channel(r) or "",
            _ts(r.received_at),
            _ts(r.due_at),
            _ts(r.finished_at),
            r.online_level or "",
            _b(r.fully_online_eligible),
            _b(r.digitised),
            _b(r.electronic_result),
            _b(r.fee_required),
            _b(r.paid_online),
            r.citizen_rating or "",
            "" if r.supplement_count is None else str(r.supplement_count),
            _ts(r.supplement_requested_at),
            _ts(r.supplement_completed_at),
            _yes(r.synced),
            "" if r.fee_amount is None else vn_int(r.fee_amount),
            _yes(r.complaint),
            _yes(r.data_reused),
        ]
        for r in records
    )
    header = (*COLUMNS, *CSV_766_HEADINGS)
    return gzip_bytes(csv_bytes(header, rows, delimiter=",", bom=False))


def records_parquet(records: Sequence[Record]) -> bytes:
    ts = pa.timestamp("s")
    schema = pa.schema(
        [
            ("dossier_id", pa.string()),
            ("unit_code", pa.string()),
            ("authority_level", pa.string()),
            ("procedure_code", pa.string()),
            ("field", pa.string()),
            ("channel", pa.string()),
            ("received_at", ts),
            ("due_at", ts),
            ("finished_at", ts),
            ("online_level", pa.string()),
            ("fully_online_eligible", pa.bool_()),
            ("digitised", pa.bool_()),
            ("electronic_result", pa.bool_()),
            ("fee_required", pa.bool_()),
            ("paid_online", pa.bool_()),
            ("citizen_rating", pa.string()),
            ("SoLanBoSung", pa.int64()),
            ("NgayYeuCauBoSung", ts),
            ("NgayTiepNhanBoSung", ts),
            ("DaDongBo", pa.bool_()),
            ("TongPhiLePhi", pa.int64()),
            ("PhanAnhKienNghi", pa.bool_()),
            ("TaiSuDungDuLieu", pa.bool_()),
        ]
    )
    cols = {name: [getattr(r, name) for r in records] for name in COLUMNS}
    cols["channel"] = [_channel(r) for r in records]
    for field, name in zip(FIELDS_766, PARQUET_766_NAMES, strict=True):
        cols[name] = [getattr(r, field) for r in records]
    table = pa.table(cols, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", row_group_size=20_000)
    return buf.getvalue()

"""Deterministic national-scale submissions, written by DuckDB SQL (no Python row loops).

Units: the current (post 1 July 2025) 3,321 communes and 34 provinces of
``ingest.admin_units.build_admin_units()``; records are received in 2026, so the ingest
resolves the plain GSO codes against the current list. Randomness is ``hash(i, k)`` of the
record number: the same arguments give the same files.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from ingest.admin_units import build_admin_units

YEAR = 2026
HISTORY_START = date(YEAR, 1, 1)
HISTORY_END = date(YEAR, 10, 31)  # history: January to October 2026
INCREMENT_DAY = date(YEAR, 11, 2)  # the extra night: Monday 2 November 2026

# (code, field, working days allowed, fee, fully-online eligible) — fictitious codes.
PROCEDURES: tuple[tuple[str, str, int, bool, bool], ...] = (
    ("1.001022.000.00.00.H17", "Hộ tịch", 3, True, True),
    ("1.001193.000.00.00.H17", "Hộ tịch", 5, True, True),
    ("2.000815.000.00.00.H17", "Chứng thực", 0, True, False),
    ("2.000884.000.00.00.H17", "Chứng thực", 1, True, False),
    ("1.004227.000.00.00.H17", "Đất đai", 10, True, False),
    ("1.003003.000.00.00.H17", "Đất đai", 15, True, False),
    ("1.001776.000.00.00.H17", "Bảo trợ xã hội", 10, False, True),
    ("2.000720.000.00.00.H17", "Thành lập và hoạt động của hộ kinh doanh", 3, True, True),
    ("1.009994.000.00.00.H17", "Xây dựng", 15, True, False),
    ("1.004831.000.00.00.H17", "Giáo dục và Đào tạo", 3, False, True),
    ("1.003645.000.00.00.H17", "Văn hóa", 10, False, True),
    ("2.000633.000.00.00.H17", "Lưu thông hàng hóa trong nước", 10, True, True),
)

RECORD_HEADERS: dict[str, str] = {
    "dossier_id": "Mã hồ sơ",
    "unit_code": "Mã đơn vị",
    "authority_level": "Cấp",
    "procedure_code": "Mã thủ tục",
    "field": "Lĩnh vực",
    "channel": "Kênh tiếp nhận",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "finished_at": "Ngày hoàn thành",
    "online_level": "Mức độ",
    "fully_online_eligible": "DVC toàn trình",
    "digitised": "Số hóa",
    "electronic_result": "Kết quả điện tử",
    "fee_required": "Có phí",
    "paid_online": "Thanh toán trực tuyến",
    "citizen_rating": "Đánh giá",
}
STAFF_CATEGORIES = ("Cán bộ", "Công chức", "Viên chức giáo dục", "Viên chức y tế", "Hợp đồng")


@dataclass(frozen=True)
class GeneratedInbox:
    inbox: Path
    records: int
    record_files: list[Path]
    other_files: list[Path]
    units: int
    first_day: date
    last_day: date


def units_frame(max_units: int | None = None) -> pd.DataFrame:
    """Current communes (``ui`` = 0…n-1), optionally the first ``max_units`` of them."""
    admin = build_admin_units()
    communes = admin[(admin["admin_era"] == "current") & (admin["unit_kind"] == "commune")]
    communes = communes.sort_values("unit_code")[["unit_code", "province_code", "unit_name"]]
    if max_units is not None and max_units < len(communes):
        step = len(communes) / max_units  # spread over the provinces
        communes = communes.iloc[[int(k * step) for k in range(max_units)]]
    communes = communes.reset_index(drop=True)
    communes["ui"] = communes.index.astype("int64")
    return communes


def _connect(threads: int, memory_limit: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"set threads = {int(threads)}")
    con.execute("set memory_limit = ?", [memory_limit])
    con.execute("set preserve_insertion_order = false")
    return con


def _records_sql(n: int, offset: int, first: date, last: date, seed: int, n_units: int) -> str:
    """One row per dossier, raw values as an export writes them (typed, formatted later)."""
    procs = ", ".join(
        f"({i}, '{code}', '{field}', {days}, {str(fee).lower()}, {str(elig).lower()})"
        for i, (code, field, days, fee, elig) in enumerate(PROCEDURES)
    )
    seconds = ((last - first).days + 1) * 86400
    cutoff = f"timestamp '{last + timedelta(days=1)}'"
    return f"""
    with procs(pi, code, field, days, fee, elig) as (values {procs}),
    base as (
        select i,
            hash(i, {seed}, 1) % {n_units} as ui,
            hash(i, {seed}, 2) % {len(PROCEDURES)} as pi,
            hash(i, {seed}, 3) % 100 as r_channel,
            timestamp '{first}' + to_seconds((hash(i, {seed}, 4) % {seconds})::bigint) as received_at,
            hash(i, {seed}, 5) % 1000 as r_speed,
            hash(i, {seed}, 6) % 100 as r_a,
            hash(i, {seed}, 7) % 100 as r_b,
            hash(i, {seed}, 8) % 20 as r_level
        from range({offset}, {offset + n}) t(i)
    ),
    shaped as (
        select b.*, u.unit_code, u.province_code, p.code as procedure_code, p.field, p.days,
            p.fee, p.elig,
            case when r_channel < 55 then 'trực tuyến' when r_channel < 95 then 'trực tiếp'
                 else 'bưu chính' end as channel,
            date_trunc('day', received_at) + to_days(p.days::int) + interval 17 hour as due_at,
            -- 3 % late (up to 5 days after the due date), the rest within the time allowed
            received_at + to_seconds(((p.days + 1) * 86400 * (r_speed % 970) / 1000
                + case when r_speed >= 970 then 86400 * (1 + r_speed % 5) else 0 end)::bigint)
                as finish_candidate
        from base b
        join bench_units u using (ui)
        join procs p using (pi)
    )
    select
        'HS' || lpad(i::varchar, 12, '0') as dossier_id,
        case when r_level = 0 then province_code else unit_code end as unit_code,
        case when r_level = 0 then 'tỉnh' else 'xã' end as authority_level,
        procedure_code, field, channel, received_at, due_at,
        case when finish_candidate < {cutoff} and r_a < 97 then finish_candidate end as finished_at,
        case when channel <> 'trực tuyến' then null
             when elig and r_b < 60 then 'toàn trình' else 'một phần' end as online_level,
        elig as fully_online_eligible,
        r_a < 70 as digitised,
        finish_candidate < {cutoff} and r_a < 97 and r_b < 65 as electronic_result,
        fee as fee_required,
        fee and channel = 'trực tuyến' and r_b < 50 as paid_online,
        case when not (finish_candidate < {cutoff} and r_a < 97) then null
             when r_b < 2 then 'không hài lòng' when r_b < 40 then 'hài lòng' end as citizen_rating,
        province_code as p_prov,
        strftime(received_at, '%Y_%m') as p_month
    from shaped
    """


def _bool_text(col: str) -> str:
    return f"case when {col} then 'có' else 'không' end"


def write_records(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    *,
    n: int,
    offset: int,
    first: date,
    last: date,
    seed: int,
    n_units: int,
    tag: str,
    fmt: str = "mixed",
) -> list[Path]:
    """Record exports split per province-month, named ``ho_so_<province>_<yyyy_mm><tag>``.
    ``fmt``: ``parquet``, ``csv`` (csv.gz) or ``mixed`` (even provinces parquet, odd csv.gz)."""
    sql = _records_sql(n, offset, first, last, seed, n_units)
    con.execute(f"create or replace temp table bench_records as {sql}")
    staging = inbox.parent / f".{inbox.name}_staging{tag}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    bools = ("fully_online_eligible", "digitised", "electronic_result", "fee_required", "paid_online")
    ts = ("received_at", "due_at", "finished_at")

    def columns(text: bool) -> str:
        out = []
        for col, header in RECORD_HEADERS.items():
            expr = col
            if text and col in bools:
                expr = _bool_text(col)
            elif text and col in ts:
                expr = f"strftime({col}, '%Y-%m-%d %H:%M:%S')"
            out.append(f'{expr} as "{header}"')
        return ", ".join(out) + ", p_prov, p_month"

    parity = {"parquet": "true", "csv": "false", "mixed": "p_prov::int % 2 = 0"}[fmt]
    con.execute(
        f"copy (select {columns(False)} from bench_records where {parity})"
        f" to '{staging / 'parquet'}' (format parquet, partition_by (p_prov, p_month))"
    )
    con.execute(
        f"copy (select {columns(True)} from bench_records where not ({parity}))"
        f" to '{staging / 'csv'}' (format csv, header true, compression gzip,"
        " partition_by (p_prov, p_month))"
    )
    written: list[Path] = []
    for part in sorted(staging.rglob("*")):
        if not part.is_file():
            continue
        keys = dict(p.split("=", 1) for p in part.relative_to(staging).parts[1:-1])
        suffix = ".parquet" if part.name.endswith(".parquet") else ".csv.gz"
        target = inbox / f"ho_so_{keys['p_prov']}_{keys['p_month']}{tag}{suffix}"
        shutil.move(part, target)
        written.append(target)
    shutil.rmtree(staging, ignore_errors=True)
    con.execute("drop table bench_records")
    return sorted(written)


def write_unit_files(con: duckdb.DuckDBPyConnection, inbox: Path, seed: int) -> list[Path]:
    """Staff, budget and survey CSVs (';', Vietnamese headers and numbers), one per province."""
    cats = ", ".join(f"('{c}', {i})" for i, c in enumerate(STAFF_CATEGORIES))
    queries = {
        "bien_che": f"""
            select u.unit_code as "Mã đơn vị", u.unit_name as "Đơn vị", '30/09/{YEAR}' as "Ngày số liệu",
                c.name as "Loại", 5 + hash(u.ui, {seed}, c.k, 1) % 40 as "Biên chế được giao",
                3 + hash(u.ui, {seed}, c.k, 1) % 40 - hash(u.ui, {seed}, c.k, 2) % 3 as "Có mặt",
                u.province_code as p_prov
            from bench_units u cross join (values {cats}) c(name, k)
            order by u.unit_code, c.k""",
        "giai_ngan": f"""
            select unit_code as "Mã đơn vị", unit_name as "Đơn vị", {YEAR} as "Năm ngân sách",
                '30/09/{YEAR}' as "Tính đến ngày",
                printf('%d.%03d,000', plan // 1000, plan % 1000) as "Kế hoạch vốn giao (triệu đồng)",
                printf('%d.%03d,000', (plan * pct // 100) // 1000, (plan * pct // 100) % 1000)
                    as "Đã giải ngân (triệu đồng)",
                province_code as p_prov
            from (select *, 2000 + hash(ui, {seed}, 3) % 50000 as plan,
                         20 + hash(ui, {seed}, 4) % 70 as pct from bench_units)
            order by unit_code""",
        "khao_sat": f"""
            select unit_code as "Mã đơn vị", unit_name as "Đơn vị",
                '9 tháng đầu năm {YEAR}' as "Kỳ báo cáo", 'xã' as "Cấp",
                forms as "Số phiếu", forms * (80 + hash(ui, {seed}, 6) % 20) // 100 as "Số phiếu hài lòng",
                province_code as p_prov
            from (select *, 50 + hash(ui, {seed}, 5) % 400 as forms from bench_units)
            order by unit_code""",
    }
    written: list[Path] = []
    for prefix, sql in queries.items():
        staging = inbox.parent / f".{inbox.name}_staging_{prefix}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"copy ({sql}) to '{staging}' (format csv, header true, delimiter ';', partition_by (p_prov))"
        )
        for part in sorted(staging.rglob("*.csv")):
            prov = part.parent.name.split("=", 1)[1]
            target = inbox / f"{prefix}_{prov}_{YEAR}.csv"
            shutil.move(part, target)
            written.append(target)
        shutil.rmtree(staging, ignore_errors=True)
    return written


def generate_history(
    inbox: Path,
    records: int,
    *,
    seed: int = 6,
    max_units: int | None = None,
    fmt: str = "mixed",
    threads: int = 2,
    memory_limit: str = "4GB",
) -> GeneratedInbox:
    """``records`` dossiers received January–October 2026 plus the per-unit files."""
    inbox.mkdir(parents=True, exist_ok=True)
    units = units_frame(max_units)
    con = _connect(threads, memory_limit)
    try:
        con.register("bench_units_df", units)
        con.execute("create temp table bench_units as select * from bench_units_df")
        files = write_records(
            con, inbox, n=records, offset=0, first=HISTORY_START, last=HISTORY_END,
            seed=seed, n_units=len(units), tag="", fmt=fmt,
        )  # fmt: skip
        others = write_unit_files(con, inbox, seed)
    finally:
        con.close()
    return GeneratedInbox(inbox, records, files, others, len(units), HISTORY_START, HISTORY_END)


def increment_tag(day: date) -> str:
    """The file-name tag of an increment day: ``_ngay_DD`` in November (the days after the
    history), ``_ngay_DD_MM`` in any other month."""
    in_november = day.month == INCREMENT_DAY.month
    return f"_ngay_{day.day:02d}" if in_november else f"_ngay_{day.day:02d}_{day.month:02d}"


def increment_day_of(name: str) -> date:
    """The day an increment file (named with :func:`increment_tag`, after the file's
    ``<yyyy>_<mm>`` of :func:`write_records`) holds: its year is the file's (after 31
    December the days are the next year's)."""
    parts = name.split("_ngay_")[1].split(".")[0].split("_")
    month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else INCREMENT_DAY.month
    named_year = re.search(r"_(\d{4})_\d{2}_ngay_", name)
    year = int(named_year.group(1)) if named_year else INCREMENT_DAY.year
    return date(year, month, int(parts[0][:2]))


def generate_increment(
    inbox: Path,
    records: int,
    history_records: int,
    *,
    seed: int = 6,
    max_units: int | None = None,
    fmt: str = "mixed",
    threads: int = 2,
    memory_limit: str = "4GB",
    day: date = INCREMENT_DAY,
) -> GeneratedInbox:
    """One more day (by default 2 November 2026) of ``records`` dossiers, ids after the
    history's (``history_records`` counts every record generated before this day)."""
    units = units_frame(max_units)
    con = _connect(threads, memory_limit)
    try:
        con.register("bench_units_df", units)
        con.execute("create temp table bench_units as select * from bench_units_df")
        files = write_records(
            con, inbox, n=records, offset=history_records, first=day, last=day,
            seed=seed + (day - INCREMENT_DAY).days, n_units=len(units), tag=increment_tag(day),
            fmt=fmt,
        )  # fmt: skip
    finally:
        con.close()
    return GeneratedInbox(inbox, records, files, [], len(units), day, day)

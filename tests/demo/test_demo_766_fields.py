"""The demo exercises the 766 index (issue 19): the record exports carry the fields its rules
read (supplements, sync flag, fee in VND, complaint, reused data, blank channels) in both
formats, every row consistent; each province has a procedure catalogue listing every
procedure the records use; and every column the exports had before keeps its values."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from demo import DemoSummary
from demo.procedure_catalogue import ON_TIME_DAYS, working_days_between
from demo.records import (
    COLUMNS,
    COMMUNE_PROCEDURES,
    CSV_766_HEADINGS,
    DISTRICT_PROCEDURES,
    FEE_AMOUNTS,
    PARQUET_766_NAMES,
)
from ingest.inbox import classify
from ingest.procedure_catalogue import read_procedure_catalogue

CSV_FILE, PARQUET_FILE = "ho_so_sa_dec_2023.csv.gz", "ho_so_hoa_thanh_2023.parquet"
RECORD_FILES = {CSV_FILE: "867", PARQUET_FILE: "709"}
HISTORY_FILE = "lich_su_xu_ly_ho_so_hoa_thanh_2023.csv"  # Hòa Thành's status history
PERIOD_END = datetime(2023, 12, 31, 23, 59, 59)
IN_PERSON = "trực tiếp"
#: sha256 of each export's first 16 columns as the generator wrote them before the 766 fields
#: (CSV text, blank channels read as in person): no existing value moved
BEFORE_766 = {
    "867": "ad489ff5a392c4051293edf4aa267014aeeca074f7ec21d7e335ac7e17a15a9e",
    "709": "8804d24a3ad02671d94ec4e7553fd986033dd03a413e15b8c09f334e614eb1a9",
}
SLUGS = {"52": "binh_dinh", "56": "khanh_hoa", "72": "tay_ninh", "87": "dong_thap"}


def _ts(text: str) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S") if text else None


def _yes(text: str) -> bool | None:
    return {"Có": True, "Không": False, "": None}[text]


def _fee(text: str) -> int | None:
    return int(text.replace(".", "")) if text else None


def _read(path: Path) -> list[dict]:
    """The export's rows with the 766 fields under the reader's column names."""
    out = []
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        assert table.column_names == [*COLUMNS, *PARQUET_766_NAMES]
        for r in table.to_pylist():
            out.append(
                {
                    **{k: r[k] for k in COLUMNS},
                    "supplement_count": r["SoLanBoSung"],
                    "supplement_requested_at": r["NgayYeuCauBoSung"],
                    "supplement_completed_at": r["NgayTiepNhanBoSung"],
                    "is_synced": r["DaDongBo"],
                    "fee_amount": r["TongPhiLePhi"],
                    "has_complaint": r["PhanAnhKienNghi"],
                    "is_data_reused": r["TaiSuDungDuLieu"],
                    "fee_required": r["fee_required"],
                    "paid_online": r["paid_online"],
                    "digitised": r["digitised"],
                }
            )
        return out
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == [*COLUMNS, *CSV_766_HEADINGS]
    for row in rows:
        r = dict(zip(header, row, strict=True))
        out.append(
            {
                **{k: r[k] for k in COLUMNS},
                "received_at": _ts(r["received_at"]),
                "finished_at": _ts(r["finished_at"]),
                "channel": r["channel"] or None,
                "supplement_count": int(r["Số lần bổ sung"]),
                "supplement_requested_at": _ts(r["Ngày yêu cầu bổ sung"]),
                "supplement_completed_at": _ts(r["Ngày bổ sung"]),
                "is_synced": _yes(r["Đồng bộ"]),
                "fee_amount": _fee(r["Phí, lệ phí"]),
                "has_complaint": _yes(r["Phản ánh kiến nghị"]),
                "is_data_reused": _yes(r["Tái sử dụng dữ liệu"]),
                "fee_required": r["fee_required"] == "true",
                "paid_online": r["paid_online"] == "true",
                "digitised": r["digitised"] == "true",
            }
        )
    return out


@pytest.fixture(scope="module")
def records(demo_inbox: DemoSummary) -> dict[str, list[dict]]:
    return {name: _read(demo_inbox.inbox / name) for name in RECORD_FILES}


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    return str(v)


@pytest.mark.parametrize("name", list(RECORD_FILES))
def test_existing_columns_keep_their_values(demo_inbox: DemoSummary, name: str) -> None:
    """The 16 columns the exports had are byte for byte what they were, once a blank channel is
    read as in person (the portal's rule): the aggregated files and every figure stay."""
    path = demo_inbox.inbox / name
    if path.suffix == ".parquet":
        rows = [[r[k] for k in COLUMNS] for r in pq.read_table(path, columns=list(COLUMNS)).to_pylist()]
    else:
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
        rows = [row[: len(COLUMNS)] for row in list(csv.reader(io.StringIO(text)))[1:]]
    channel = COLUMNS.index("channel")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        cells = [_cell(v) for v in row]
        cells[channel] = cells[channel] or IN_PERSON
        writer.writerow(cells)
    digest = hashlib.sha256(buf.getvalue().encode("utf-8")).hexdigest()
    assert digest == BEFORE_766[RECORD_FILES[name]]


@pytest.mark.parametrize("name", list(RECORD_FILES))
def test_supplements_are_consistent(records: dict[str, list[dict]], name: str) -> None:
    rows = records[name]
    once = twice = waiting = 0
    for r in rows:
        count, requested, completed = (
            r["supplement_count"],
            r["supplement_requested_at"],
            r["supplement_completed_at"],
        )
        end = r["finished_at"] or PERIOD_END
        assert count in (0, 1, 2), r["dossier_id"]
        if count == 0:
            assert requested is None and completed is None, r["dossier_id"]
            continue
        once += count == 1
        twice += count == 2
        assert r["received_at"] < requested < end, r["dossier_id"]
        if completed is None:  # still waiting for supplements: an open dossier
            assert r["finished_at"] is None, r["dossier_id"]
            waiting += 1
        else:
            assert requested < completed < end, r["dossier_id"]
    n = len(rows)
    assert 0.065 < once / n < 0.095 and 0.002 < twice / n < 0.01
    assert waiting >= 5  # open dossiers still waiting for the applicant's supplements


@pytest.mark.parametrize("name", list(RECORD_FILES))
def test_sync_fees_complaints_reuse_and_blank_channels(records: dict[str, list[dict]], name: str) -> None:
    rows = records[name]
    n = len(rows)
    assert all(r["is_synced"] is not None for r in rows)
    assert 0.95 < sum(r["is_synced"] for r in rows) / n < 0.995
    for r in rows:
        if not r["fee_required"]:
            assert r["fee_amount"] is None, r["dossier_id"]
        elif r["fee_amount"] == 0:  # every fee waived: never paid online
            assert not r["paid_online"], r["dossier_id"]
        else:
            assert r["fee_amount"] == FEE_AMOUNTS[r["procedure_code"]], r["dossier_id"]
        assert not (r["is_data_reused"] and not r["digitised"]), r["dossier_id"]
    fees = [r for r in rows if r["fee_required"]]
    assert 0.02 < sum(r["fee_amount"] == 0 for r in fees) / len(fees) < 0.08
    assert 0.001 < sum(r["has_complaint"] for r in rows) / n < 0.006
    digitised = [r for r in rows if r["digitised"]]
    assert 0.25 < sum(r["is_data_reused"] for r in digitised) / len(digitised) < 0.35
    blank = sum(r["channel"] is None for r in rows)
    in_person = sum(r["channel"] in (None, IN_PERSON) for r in rows)
    assert 0.005 < blank / in_person < 0.015


@pytest.mark.parametrize("name", list(RECORD_FILES))
def test_expected_figures_match_the_files(
    demo_inbox: DemoSummary, records: dict[str, list[dict]], name: str
) -> None:
    rows = records[name]
    e = demo_inbox.expected[f"records_766/{RECORD_FILES[name]}/2023"]
    assert e["rows"] == len(rows) == demo_inbox.expected[f"records/{RECORD_FILES[name]}/2023"]["rows"]
    assert e["synced"] == sum(r["is_synced"] for r in rows)
    assert e["supplement_once"] == sum(r["supplement_count"] == 1 for r in rows)
    assert e["supplement_twice"] == sum(r["supplement_count"] == 2 for r in rows)
    assert e["channel_blank"] == sum(r["channel"] is None for r in rows)
    assert e["complaints"] == sum(r["has_complaint"] for r in rows)
    assert e["data_reused"] == sum(r["is_data_reused"] for r in rows)


# ------------------------------------------------------------------ procedure catalogues


def test_each_province_has_a_catalogue_of_every_procedure_the_records_use(
    demo_inbox: DemoSummary, records: dict[str, list[dict]]
) -> None:
    every = {p.code for p in (*DISTRICT_PROCEDURES, *COMMUNE_PROCEDURES)}
    used = {r["procedure_code"] for rows in records.values() for r in rows}
    assert used <= every
    names = demo_inbox.names("procedure_catalogue")
    assert names == sorted(f"danh_muc_tthc_{slug}_2023.xlsx" for slug in SLUGS.values())
    by_slug = demo_inbox.expected["procedure_catalogues"]
    for code, slug in SLUGS.items():
        path = demo_inbox.inbox / f"danh_muc_tthc_{slug}_2023.xlsx"
        assert classify(path, path.name) == {"procedure_catalogue": ["Danh mục TTHC"]}
        rows = read_procedure_catalogue(path).rows
        assert {r.unit_code for r in rows} == {f"L{code}"}
        assert {r.as_of_date for r in rows} == {date(2023, 12, 31)}
        assert sorted(r.procedure_code for r in rows) == sorted(every)
        levels = {r.procedure_code: r.authority_level for r in rows}
        assert {c for c, lv in levels.items() if lv == "huyen"} == {p.code for p in DISTRICT_PROCEDURES}
        for r in rows:
            assert r.online_level in ("toan_trinh", "mot_phan"), r.procedure_code
            fee = FEE_AMOUNTS.get(r.procedure_code)
            assert (r.has_fee, r.fee_amount) == (fee is not None, Decimal(fee or 0)), r.procedure_code
            assert r.publication_decision and r.publication_decision.endswith("/QĐ-UBND")
            assert r.published_on and r.legal_basis_effective_on and r.updated_on
            assert r.published_on < r.updated_on <= r.as_of_date
            assert r.is_published_complete is not None
        paper = sorted(r.procedure_code for r in rows if r.returns_paper_result)
        assert 5 <= len(paper) <= 15 and paper == by_slug[slug]["paper_result"]
        late = sorted(
            r.procedure_code
            for r in rows
            if working_days_between(r.published_on, r.legal_basis_effective_on) < ON_TIME_DAYS
        )
        assert 1 <= len(late) <= 6 and late == by_slug[slug]["published_late"]
        assert sum(not r.is_published_complete for r in rows) < len(rows) // 2


def test_the_status_history_agrees_with_its_record_export(
    demo_inbox: DemoSummary, records: dict[str, list[dict]]
) -> None:
    """Hòa Thành's status history (the portal's names and codes) holds exactly the dossiers its
    record export asked for supplements, and says what the export says: as many entries into
    waiting (5) as requests, the first at the request, the return to processing (4) after the
    last at the completion (none while still waiting), the end (9) at the end of processing."""
    text = (demo_inbox.inbox / HISTORY_FILE).read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header == ["MaHoSo", "MaDonVi", "TrangThaiHoSo", "ThoiDiem", "NguoiXuLy"]
    changes: dict[str, list[tuple[str, datetime]]] = {}
    for dossier, _unit, status, at, handler in rows:
        assert handler  # the handler's name is in the file (never read by the warehouse)
        changes.setdefault(dossier, []).append((status, datetime.strptime(at, "%Y%m%d%H%M%S")))
    asked = {r["dossier_id"]: r for r in records[PARQUET_FILE] if r["supplement_requested_at"] is not None}
    assert set(changes) == set(asked) and len(asked) > 1000
    for dossier, history in changes.items():
        record = asked[dossier]
        assert [at for _, at in history] == sorted(at for _, at in history), dossier
        statuses = [s for s, _ in history]
        entries = [i for i, s in enumerate(statuses) if s == "5" and (i == 0 or statuses[i - 1] != "5")]
        assert len(entries) == record["supplement_count"], dossier
        assert history[entries[0]][1] == record["supplement_requested_at"], dossier
        returns = [at for i, (s, at) in enumerate(history) if s == "4" and i > entries[-1]]
        assert (returns[-1] if returns else None) == record["supplement_completed_at"], dossier
        ends = [at for s, at in history if s == "9"]
        assert (ends[0] if ends else None) == record["finished_at"], dossier

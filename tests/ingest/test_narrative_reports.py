"""Narrative reports in the inbox (family narrative_reports, ingest/narrative_reports.py): told
from table submissions, kept like any submission, read with personal data masked, their claims
in raw.narrative_claims with the report's unit resolved; a report without a known figure is
loaded with a note; an unreadable one is rejected naming the file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import duckdb
import pytest

from ingest.admin_units import load_admin_units
from ingest.inbox import load_family, register_inbox
from ingest.warehouse import ensure_schema

PHONE = "0912345678"
CCCD = "087123456789"


def report_paragraphs(
    *, dossiers: str, date_line: str = "Cao Lãnh, ngày 20 tháng 12 năm 2023", title_period: str = " năm 2023"
) -> list[str]:
    """A district's PAR report (Cao Lãnh city, Đồng Tháp): heading block, title, prose."""
    return [
        "UBND THÀNH PHỐ CAO LÃNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 123/BC-UBND",
        date_line,
        "BÁO CÁO",
        f"Kết quả thực hiện công tác cải cách hành chính{title_period}",
        "Thực hiện chỉ đạo của UBND tỉnh Đồng Tháp về cải cách hành chính, UBND thành phố Cao Lãnh"
        " báo cáo kết quả thực hiện công tác cải cách hành chính như sau.",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "Ban hành đầy đủ kế hoạch cải cách hành chính, tổ chức triển khai đến các cơ quan, đơn vị"
        f" và UBND các xã, phường. Liên hệ ông Nguyễn Văn A, số điện thoại {PHONE}, CCCD {CCCD}.",
        "II. KẾT QUẢ CẢI CÁCH THỦ TỤC HÀNH CHÍNH",
        dossiers,
        "III. PHƯƠNG HƯỚNG",
        "Tiếp tục đẩy mạnh cải cách hành chính, nâng cao chất lượng phục vụ người dân, doanh nghiệp"
        " trong thời gian tới và các năm tiếp theo trên địa bàn thành phố.",
        "Nơi nhận:",
        "CHỦ TỊCH",
    ]


DOSSIERS_2023 = (
    "Kết quả giải quyết thủ tục hành chính tại UBND thành phố Cao Lãnh năm 2023: Tổng số hồ sơ"
    " đã tiếp nhận: 10.100 hồ sơ. Tổng số hồ sơ đã giải quyết là 9.810 hồ sơ, chiếm tỷ lệ 97,03%."
)
NO_FIGURE = (
    "Công tác giải quyết thủ tục hành chính tại UBND thành phố Cao Lãnh được thực hiện đúng quy"
    " định, công khai, minh bạch, không để xảy ra sai sót hay phiền hà cho người dân."
)


def write_report(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def write_table_docx(path: Path) -> Path:
    """A table submission in Word: a short title, then the figures' table."""
    document = docx.Document()
    document.add_paragraph("BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    document.add_paragraph("Kỳ báo cáo: Năm 2023")
    rows = [
        ["Mã đơn vị", "Đơn vị", "Kỳ báo cáo", "Cấp", "Tiếp nhận mới", "Đã giải quyết", "Đúng hạn", "Trễ hạn"],
        ["866", "Thành phố Cao Lãnh", "Năm 2023", "huyện", "10.000", "9.800", "9.700", "100"],
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    return path


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    ensure_schema(connection)
    load_admin_units(connection)
    yield connection
    connection.close()


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, tmp_path: Path, *families: str) -> dict:
    outcomes = register_inbox(con, inbox, tmp_path / "quarantine", "r1")
    reports = {family: load_family(con, family, tmp_path / "quarantine", "r1") for family in families}
    return {"registered": outcomes, **reports}


def test_a_report_is_told_from_a_table_submission_and_its_claims_loaded(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    paragraphs = report_paragraphs(dossiers=DOSSIERS_2023)
    report = write_report(inbox / "bao_cao_cchc_cao_lanh_2023.docx", paragraphs)
    write_table_docx(inbox / "bieu_tthc_cao_lanh_2023.docx")
    done = _load(con, inbox, tmp_path, "narrative_reports", "dossiers")
    families = dict(
        con.execute(
            "select file_name, source_family from raw.file_manifest where status = 'loaded'"
        ).fetchall()
    )
    assert families == {
        "bao_cao_cchc_cao_lanh_2023.docx": "narrative_reports",
        "bieu_tthc_cao_lanh_2023.docx": "dossiers",
    }
    assert done["narrative_reports"].files_loaded == 1
    assert report.exists()  # the inbox file is kept as submitted
    manifest = con.execute(
        "select unit_codes, period_labels, row_count from raw.file_manifest"
        " where source_family = 'narrative_reports'"
    ).fetchone()
    assert manifest == (["L866"], ["2023"], 3)
    rows = con.execute(
        "select claim_no, measure, measure_label_vi, value, value_text, value_decimals, paragraph,"
        " char_start, char_end, level, period_kind, period_year, period_end, status, unit_code,"
        " report_unit_name, report_unit_code, report_level, report_date, report_period_end"
        " from raw.narrative_claims order by claim_no"
    ).fetchall()
    paragraph = report_paragraphs(dossiers=DOSSIERS_2023).index(DOSSIERS_2023)
    start = DOSSIERS_2023.index("10.100")
    common = ("district", "year", 2023, date(2023, 12, 31), "resolved", "L866", "UBND THÀNH PHỐ CAO LÃNH",
              "L866", "district", date(2023, 12, 20), date(2023, 12, 31))  # fmt: skip
    assert rows[0] == (
        1, "dossiers_received", "Hồ sơ tiếp nhận (tổng)", Decimal("10100.0000"), "10.100", 0, paragraph,
        start, start + 6, *common,
    )  # fmt: skip
    assert [(r[1], r[3], r[5]) for r in rows[1:]] == [
        ("dossiers_resolved", Decimal("9810.0000"), 0),
        ("rate_resolved", Decimal("97.0300"), 2),
    ]
    assert all(r[9:] == common for r in rows)


def test_personal_data_in_a_report_never_reaches_the_warehouse(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    # the phone and ID number stand in a sentence with a figure: the quote is kept, masked
    dossiers = DOSSIERS_2023.replace(
        "10.100 hồ sơ.", f"10.100 hồ sơ, Đầu mối tiếp nhận: số điện thoại {PHONE}, CCCD {CCCD}."
    )
    write_report(inbox / "bao_cao.docx", report_paragraphs(dossiers=dossiers))
    _load(con, inbox, tmp_path, "narrative_reports")
    kept = con.execute(
        "select string_agg(coalesce(quote, '') || ' ' || coalesce(report_unit_name, '') || ' '"
        " || coalesce(unit_name, '') || ' ' || value_text, ' ') from raw.narrative_claims"
    ).fetchone()[0]
    assert "Đầu mối" in kept  # the sentence is there…
    texts = " ".join(
        str(v)
        for table in ("narrative_claims", "file_manifest", "load_findings")
        for row in con.execute(f"select * from raw.{table}").fetchall()
        for v in row
    )
    for secret in (PHONE, CCCD):  # …its personal numbers are not, anywhere
        assert secret not in texts


def test_a_report_without_a_known_figure_is_loaded_with_a_note(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    write_report(inbox / "bao_cao_khong_so_lieu.docx", report_paragraphs(dossiers=NO_FIGURE))
    done = _load(con, inbox, tmp_path, "narrative_reports")
    outcome = done["narrative_reports"].outcomes[0]
    assert (outcome.status, outcome.rows) == ("loaded", 0)
    assert "không tìm thấy số liệu" in outcome.message_vi
    assert con.execute("select count(*) from raw.narrative_claims").fetchone() == (0,)


def test_an_unreadable_report_is_rejected_naming_the_file(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bao_cao_scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\nnot really a pdf\n")
    done = _load(con, inbox, tmp_path, "narrative_reports")
    (outcome,) = done["registered"]
    assert outcome.status == "rejected"
    assert "bao_cao_scan.pdf" in outcome.message_vi
    status, message_vi = con.execute(
        "select status, message_vi from raw.file_manifest where file_name = 'bao_cao_scan.pdf'"
    ).fetchone()
    assert status == "rejected" and "bao_cao_scan.pdf" in message_vi


def test_a_txt_report_is_read_and_a_csv_txt_stays_a_table(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bao_cao.txt").write_text("\n".join(report_paragraphs(dossiers=DOSSIERS_2023)), encoding="utf-8")
    (inbox / "tthc.txt").write_text(
        "Mã đơn vị;Đơn vị;Kỳ báo cáo;Cấp;Tiếp nhận mới;Đã giải quyết;Đúng hạn;Trễ hạn\n"
        "866;Thành phố Cao Lãnh;Năm 2023;huyện;10.000;9.800;9.700;100\n",
        encoding="utf-8",
    )
    _load(con, inbox, tmp_path, "narrative_reports", "dossiers")
    families = dict(con.execute("select file_name, source_family from raw.file_manifest").fetchall())
    assert families == {"bao_cao.txt": "narrative_reports", "tthc.txt": "dossiers"}
    assert con.execute("select count(*) from raw.narrative_claims").fetchone() == (3,)


def test_a_report_with_an_annex_table_is_read_as_both(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """The annex ("Phụ lục") tables of a .docx report are still read as table submissions."""
    inbox = tmp_path / "inbox"
    path = write_report(inbox / "bao_cao_co_phu_luc.docx", report_paragraphs(dossiers=DOSSIERS_2023))
    document = docx.Document(str(path))
    document.add_paragraph("Phụ lục: Kết quả giải quyết TTHC năm 2023")
    rows = [
        ["Mã đơn vị", "Đơn vị", "Kỳ báo cáo", "Cấp", "Tiếp nhận mới", "Đã giải quyết", "Đúng hạn", "Trễ hạn"],
        ["866", "Thành phố Cao Lãnh", "Năm 2023", "huyện", "10.000", "9.800", "9.700", "100"],
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(str(path))
    _load(con, inbox, tmp_path, "narrative_reports", "dossiers")
    loaded = con.execute(
        "select source_family, row_count from raw.file_manifest where status = 'loaded' order by 1"
    ).fetchall()
    assert loaded == [("dossiers", 1), ("narrative_reports", 3)]


def test_a_reports_own_inconsistency_is_a_load_finding_naming_the_unit(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    """9.810 resolved of 10.100 received is 97,13 %, not the 97,03 % the report states."""
    inbox = tmp_path / "inbox"
    write_report(inbox / "bao_cao.docx", report_paragraphs(dossiers=DOSSIERS_2023))
    _load(con, inbox, tmp_path, "narrative_reports")
    rows = con.execute(
        "select rule, source_family, source_row, stated_value, computed_value, unit_code, period_label,"
        " message_vi from raw.load_findings"
    ).fetchall()
    paragraph = report_paragraphs(dossiers=DOSSIERS_2023).index(DOSSIERS_2023) + 1
    assert [r[:7] for r in rows] == [
        ("form_narrative_rate_vs_counts", "narrative_reports", paragraph, Decimal("97.030"),
         Decimal("97.130"), "L866", "2023"),
    ]  # fmt: skip
    message = rows[0][7]
    assert message.startswith(f"Báo cáo của Thành phố Cao Lãnh (L866), đoạn {paragraph}: ")
    assert "97,03%" in message  # the quote

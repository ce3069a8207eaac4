"""The demo's narrative reports (demo/narratives.py): .docx reports in the inbox, written from
the demo's own figures with the planted differences its docstring lists, read back by the
report reader and the claim extractor."""

from __future__ import annotations

import zipfile
from decimal import Decimal

from demo import DemoSummary
from demo.narratives import NHA_TRANG_FILE, PLANTED, SA_DEC_FILE, VINH_PHUOC_FILE
from narratives.extract import extract_claims
from narratives.reader import read_report


def _claims(demo_inbox: DemoSummary, name: str):
    report = read_report(demo_inbox.inbox / name)
    return report, extract_claims(report.paragraphs, report.header)


def _value(claims, measure: str, level: str | None) -> Decimal:
    [value] = [c.value for c in claims if c.measure == measure and c.level == level]
    return value


def test_reports_are_in_the_inbox_with_fixed_timestamps(demo_inbox: DemoSummary) -> None:
    names = demo_inbox.names("narrative_reports")  # type: ignore[arg-type]
    assert names == sorted([NHA_TRANG_FILE, SA_DEC_FILE, VINH_PHUOC_FILE])
    for name in names:
        with zipfile.ZipFile(demo_inbox.inbox / name) as z:
            assert {i.date_time for i in z.infolist()} == {(2024, 1, 15, 8, 0, 0)}, name
            assert z.read("docProps/core.xml").decode().count("2024-01-15T08:00:00Z") == 2, name


def test_headers_name_unit_and_period(demo_inbox: DemoSummary) -> None:
    report, _ = _claims(demo_inbox, NHA_TRANG_FILE)
    assert (report.header.level, report.header.period_kind, report.header.period_year) == (
        "district",
        "year",
        2018,
    )
    report, _ = _claims(demo_inbox, VINH_PHUOC_FILE)
    assert (report.header.level, report.header.period_year) == ("commune", 2018)


def test_planted_differences_are_stated(demo_inbox: DemoSummary) -> None:
    for planted in PLANTED:
        _, claims = _claims(demo_inbox, planted.file)
        assert _value(claims, planted.measure, planted.level) == planted.stated, planted
        assert planted.stated != planted.data


def test_everything_else_is_the_data(demo_inbox: DemoSummary) -> None:
    """Nha Trang's other figures are seed 002's (= the demo's II.06a form); Vĩnh Phước's parts
    do not add up by the planted 2; Sa Đéc's disbursement is seed 003's."""
    _, claims = _claims(demo_inbox, NHA_TRANG_FILE)
    assert _value(claims, "dossiers_resolved", "district") == 56_863
    assert _value(claims, "rate_resolved", "district") == Decimal("97.95")  # the data's: 56.863 / 58.053
    assert _value(claims, "dossiers_received", "commune") == 75_416
    assert _value(claims, "dossiers_resolved_early_or_on_time", "commune") == 75_226
    _, claims = _claims(demo_inbox, VINH_PHUOC_FILE)
    resolved = _value(claims, "dossiers_resolved", "commune")
    parts = _value(claims, "dossiers_resolved_early_or_on_time", "commune") + _value(
        claims, "dossiers_resolved_late", "commune"
    )
    assert parts - resolved == 2
    _, claims = _claims(demo_inbox, SA_DEC_FILE)
    found = {c.measure: c.value for c in claims}
    assert found["disbursement_plan"] == Decimal("590161.540")
    assert found["disbursed"] == Decimal("212901.285")
    assert found["disbursement_rate"] == Decimal("36.08")

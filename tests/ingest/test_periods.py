import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.errors import PeriodParseError
from ingest.periods import (
    Period,
    find_period_in_text,
    parse_authority_level,
    parse_period,
    period_label,
)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Năm 2018", "2018"),
        ("năm 2018", "2018"),
        ("NĂM 2018", "2018"),
        ("6 tháng đầu năm 2023", "2023-H1"),
        ("6 tháng cuối năm 2023", "2023-H2"),
        ("9 tháng đầu năm 2020", "2020-9M"),
        ("9 tháng 2020", "2020-9M"),
        ("Quý III/2023", "2023-Q3"),
        ("Quý 3 năm 2023", "2023-Q3"),
        ("Quý I/2024", "2024-Q1"),
        ("Tháng 6/2023", "2023-06"),
        ("tháng 6 năm 2023", "2023-06"),
        ("Tháng 1/2023", "2023-01"),
        ("đến ngày 25/8/2023", "2023-YTD-08-25"),
        ("số liệu đến ngày 12/6/2023", "2023-YTD-06-12"),
        ("tính đến ngày 15/8/2023", "2023-YTD-08-15"),
        ("tính đến ngày 31/8/2023", "2023-8M"),
        ("2023", "2023"),
        ("2023-H1", "2023-H1"),
        ("2023-Q3", "2023-Q3"),
        ("2023-06", "2023-06"),
        ("2023-9M", "2023-9M"),
        ("01/01/2023 - 30/06/2023", "2023-H1"),
        ("từ ngày 01/07/2023 đến ngày 30/09/2023", "2023-Q3"),
        (2021, "2021"),
    ],
)
def test_parse_period(text: object, label: str) -> None:
    assert parse_period(text).label == label


def test_nfd_text() -> None:
    import unicodedata

    assert parse_period(unicodedata.normalize("NFD", "Quý III/2023")).label == "2023-Q3"


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2023, 1, 1), date(2023, 12, 31), "2023"),
        (date(2023, 1, 1), date(2023, 6, 30), "2023-H1"),
        (date(2023, 7, 1), date(2023, 12, 31), "2023-H2"),
        (date(2023, 7, 1), date(2023, 9, 30), "2023-Q3"),
        (date(2023, 1, 1), date(2023, 3, 31), "2023-Q1"),
        (date(2023, 6, 1), date(2023, 6, 30), "2023-06"),
        (date(2023, 1, 1), date(2023, 1, 31), "2023-01"),
        (date(2023, 1, 1), date(2023, 9, 30), "2023-9M"),
        (date(2023, 1, 1), date(2023, 8, 15), "2023-YTD-08-15"),
    ],
)
def test_period_label_table(start: date, end: date, label: str) -> None:
    assert period_label(start, end) == label


def test_other_spans_within_a_year_are_custom_periods() -> None:
    # a weekly report ("từ ngày 03/7 đến ngày 09/7"), labelled as the dbt macro labels it
    assert period_label(date(2023, 7, 3), date(2023, 7, 9)) == "2023-07-03..2023-07-09"
    assert Period(date(2023, 3, 15), date(2023, 4, 20)).kind == "custom"
    with pytest.raises(PeriodParseError):
        period_label(date(2023, 12, 28), date(2024, 1, 3))


def test_find_period_in_text() -> None:
    assert find_period_in_text("bao_cao_tthc_nam_2023.xlsx") == Period.year(2023)
    assert find_period_in_text("dossiers_2023-Q3.csv").label == "2023-Q3"
    assert find_period_in_text("BÁO CÁO KẾT QUẢ CCHC QUÝ III/2023").label == "2023-Q3"
    # a document date is not a period
    assert find_period_in_text("Đồng Tháp, ngày 20 tháng 12 năm 2023") is None
    assert find_period_in_text("Sa Đéc, ngày 15/8/2023") is None
    assert find_period_in_text("danh sách") is None


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Cấp huyện", "huyen"),
        ("Huyện", "huyen"),
        ("huyen", "huyen"),
        ("UBND cấp xã", "xa"),
        ("xã", "xa"),
        ("tỉnh", "tinh"),
        ("Cấp tỉnh", "tinh"),
        ("Thị xã", "huyen"),
        ("Phường", "xa"),
    ],
)
def test_parse_authority_level(text: str, level: str) -> None:
    assert parse_authority_level(text) == level


def test_parse_authority_level_rejects() -> None:
    with pytest.raises(PeriodParseError):
        parse_authority_level("trung ương")


VI_FORMS = {
    "year": lambda p: f"Năm {p.start.year}",
    "half": lambda p: f"6 tháng {'đầu' if p.start.month == 1 else 'cuối'} năm {p.start.year}",
    "quarter": lambda p: f"Quý {['I', 'II', 'III', 'IV'][(p.start.month - 1) // 3]}/{p.start.year}",
    "month": lambda p: f"Tháng {p.start.month}/{p.start.year}",
    "ytd": lambda p: f"tính đến ngày {p.end.day}/{p.end.month}/{p.end.year}",
}


@st.composite
def periods(draw: st.DrawFn) -> Period:
    year = draw(st.integers(1995, 2040))
    kind = draw(st.sampled_from(["year", "half", "quarter", "month", "ytd"]))
    if kind == "year":
        return Period.year(year)
    if kind == "half":
        h = draw(st.integers(1, 2))
        return Period(date(year, 1 if h == 1 else 7, 1), date(year, 6, 30) if h == 1 else date(year, 12, 31))
    if kind == "quarter":
        q = draw(st.integers(1, 4))
        return parse_period(f"{year}-Q{q}")
    if kind == "month":
        return parse_period(f"{year}-{draw(st.integers(1, 12)):02d}")
    end = draw(st.dates(min_value=date(year, 1, 1), max_value=date(year, 12, 31)))
    return Period.ytd(end)


@given(periods())
def test_round_trip_vietnamese_and_label(p: Period) -> None:
    assert parse_period(p.label) == p
    assert parse_period(VI_FORMS[p.kind](p)) == p
    assert find_period_in_text(f"bao_cao_{p.label}.xlsx") == p


@given(st.text(max_size=40))
def test_only_own_error_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(PeriodParseError):
        parse_period(text)
    find_period_in_text(text)

"""The bench's increment days: a day's files are named so that the next night finds the
last day generated, in November (the days after the history) and in a later month."""

from datetime import date

from bench.generate import INCREMENT_DAY, increment_day_of, increment_tag


def test_a_november_day_keeps_its_short_tag() -> None:
    assert increment_tag(date(2026, 11, 5)) == "_ngay_05"
    assert increment_day_of("ho_so_01_2026_11_ngay_05.parquet") == date(2026, 11, 5)


def test_a_day_of_a_later_month_names_its_month() -> None:
    tag = increment_tag(date(2026, 12, 1))
    assert tag == "_ngay_01_12"
    assert increment_day_of(f"ho_so_02_2026_12{tag}.csv.gz") == date(2026, 12, 1)


def test_the_first_increment_day_is_the_day_after_the_history() -> None:
    assert date(2026, 11, 2) == INCREMENT_DAY
    assert increment_day_of(f"ho_so_01_2026_11{increment_tag(INCREMENT_DAY)}.csv.gz") == INCREMENT_DAY


def test_a_day_after_new_year_is_the_next_years() -> None:
    # the day after 31 December 2026: the file names the year, the tag only day and month
    new_year = date(2027, 1, 1)
    name = f"ho_so_01_2027_01{increment_tag(new_year)}.csv.gz"
    assert increment_day_of(name) == new_year
    new_years_eve = date(2026, 12, 31)
    assert increment_day_of(f"ho_so_01_2026_12{increment_tag(new_years_eve)}.parquet") == new_years_eve

"""Parse dates and timestamps: Excel values and serials, ``d/m/yyyy`` and ISO text.

Day-first is the only slash order accepted (Vietnamese usage): ``5/8/2023`` is 5 August.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ingest.errors import DateParseError
from ingest.text import nfc
from settings import environment

EXCEL_EPOCH = date(1899, 12, 30)
_MIN_SERIAL, _MAX_SERIAL = 1, 2958465  # 1900-01-01 .. 9999-12-31

_DMY = re.compile(
    r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})[/.\-](?P<y>\d{4})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$"
)
_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?(?:Z|[+\-]\d{2}:?\d{2})?$"
)
_SERIAL = re.compile(r"^\d{1,7}(?:\.\d+)?$")


def _fail(value: object) -> DateParseError:
    text = str(value)[:40]
    return DateParseError(
        f"cannot read {text!r} as a date (expected dd/mm/yyyy or yyyy-mm-dd)",
        f"không đọc được {text!r} thành ngày (cần dd/mm/yyyy hoặc yyyy-mm-dd)",
    )


def excel_serial_to_datetime(serial: float) -> datetime:
    """Excel 1900 date system serial number → datetime."""
    if not (_MIN_SERIAL <= serial <= _MAX_SERIAL):
        raise _fail(serial)
    return datetime.combine(EXCEL_EPOCH, datetime.min.time()) + timedelta(days=serial)


def parse_datetime(value: object) -> datetime:
    """Parse a timestamp (datetime, date, Excel serial, ``dd/mm/yyyy HH:MM``, ISO)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, bool) or value is None:
        raise _fail(value)
    if isinstance(value, int | float):
        if value != value:
            raise _fail(value)
        return excel_serial_to_datetime(float(value))
    if not isinstance(value, str):
        raise _fail(value)
    text = nfc(value).strip()
    m = _DMY.match(text) or _ISO.match(text)
    if m:
        try:
            return datetime(
                int(m.group("y")),
                int(m.group("m")),
                int(m.group("d")),
                int(m.group("H") or 0),
                int(m.group("M") or 0),
                int(m.group("S") or 0),
            )
        except ValueError as exc:
            raise _fail(value) from exc
    if _SERIAL.match(text):
        return excel_serial_to_datetime(float(text))
    raise _fail(value)


def parse_date(value: object) -> date:
    """Parse a date; a time part, if any, is dropped. While :func:`plausible_dates` is in
    force a date outside its window is refused (an as-of date of 9999)."""
    return check_in_window(parse_datetime(value).date())


def format_vi_date(d: date) -> str:
    """``date(2023, 8, 25)`` → ``25/08/2023``."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


# --- the plausible window ----------------------------------------------------------------

#: the time zone of the province: timestamps with an offset are converted to it, naive ones
#: are taken as already in it
LOCAL_TIME_ZONE = "Asia/Ho_Chi_Minh"
_EARLIEST_ENV = "PARWH_EARLIEST_DATE"
_MARGIN_ENV = "PARWH_LATEST_DATE_MARGIN_DAYS"
DEFAULT_EARLIEST = date(2000, 1, 1)
DEFAULT_LATEST_MARGIN_DAYS = 366


@dataclass(frozen=True)
class DateWindow:
    """The dates a submission may hold: from ``earliest`` to ``latest``, both inclusive.

    A date outside it is a typing error (``9999``, ``1900``, a day and year swapped): it
    would be loaded unseen and the models would build month series up to it (two records
    dated 9999 ran ``dbt build`` out of memory every night). Declared once, here, and
    checked at the door by every loader: the records loader in SQL, the aggregated forms
    through :func:`parse_date` and :class:`ingest.periods.Period` while
    :func:`plausible_dates` is in force.
    """

    earliest: date
    latest: date

    def contains(self, value: date) -> bool:
        return self.earliest <= value <= self.latest

    @property
    def shown(self) -> str:
        """``01/01/2000 – 03/12/2027``, as messages show it."""
        return f"{format_vi_date(self.earliest)} – {format_vi_date(self.latest)}"


def local_today() -> date:
    """Today in the province's time zone (the machine's clock may be UTC)."""
    return datetime.now(ZoneInfo(LOCAL_TIME_ZONE)).date()


def date_window(run_date: date | None = None, env: dict[str, str] | None = None) -> DateWindow:
    """The window in force: ``PARWH_EARLIEST_DATE`` (ISO, default 2000-01-01) to the run
    date + ``PARWH_LATEST_DATE_MARGIN_DAYS`` (default 366: a due date a year ahead is
    plausible, a finish date after it is not)."""
    env = dict(environment()) if env is None else env
    run_date = run_date or local_today()
    earliest = DEFAULT_EARLIEST
    if raw := (env.get(_EARLIEST_ENV) or "").strip():
        try:
            earliest = date.fromisoformat(raw)
        except ValueError as exc:
            raise ValueError(f"{_EARLIEST_ENV}={raw!r}: expected an ISO date (yyyy-mm-dd)") from exc
    margin = DEFAULT_LATEST_MARGIN_DAYS
    if raw := (env.get(_MARGIN_ENV) or "").strip():
        try:
            margin = int(raw)
        except ValueError as exc:
            raise ValueError(f"{_MARGIN_ENV}={raw!r}: expected a whole number of days") from exc
    return DateWindow(earliest, run_date + timedelta(days=margin))


_ACTIVE_WINDOW: ContextVar[DateWindow | None] = ContextVar("parwh_date_window", default=None)


@contextmanager
def plausible_dates(run_date: date | None = None) -> Iterator[DateWindow]:
    """While in force, :func:`parse_date` and every :class:`ingest.periods.Period` built
    refuse a date outside :func:`date_window` (the loaders wrap a file's reading in it; the
    parsers alone accept any real date, as a library should)."""
    window = date_window(run_date)
    token = _ACTIVE_WINDOW.set(window)
    try:
        yield window
    finally:
        _ACTIVE_WINDOW.reset(token)


def active_window() -> DateWindow | None:
    """The window :func:`plausible_dates` put in force, if any."""
    return _ACTIVE_WINDOW.get()


def outside_window_error(value: date, window: DateWindow, what_en: str, what_vi: str) -> DateParseError:
    """The error for a date outside the window, naming the window and how to widen it."""
    shown = format_vi_date(value)
    return DateParseError(
        f"{what_en} {shown} is outside the plausible window {window.shown}"
        f" (set {_EARLIEST_ENV} / {_MARGIN_ENV} to change it)",
        f"{what_vi} {shown} nằm ngoài khoảng ngày hợp lý {window.shown}"
        f" (đặt {_EARLIEST_ENV} / {_MARGIN_ENV} để thay đổi)",
    )


def check_in_window(value: date, what_en: str = "date", what_vi: str = "ngày") -> date:
    """``value`` unchanged, or :class:`DateParseError` when a window is in force and the
    date lies outside it."""
    window = _ACTIVE_WINDOW.get()
    if window is not None and not window.contains(value):
        raise outside_window_error(value, window, what_en, what_vi)
    return value

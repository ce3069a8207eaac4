"""Parse dates and timestamps: Excel values and serials, ``d/m/yyyy`` and ISO text.

Day-first is the only slash order accepted (Vietnamese usage): ``5/8/2023`` is 5 August.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ingest.errors import DateParseError
from ingest.text import nfc

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
    """Parse a date; a time part, if any, is dropped."""
    return parse_datetime(value).date()


def format_vi_date(d: date) -> str:
    """``date(2023, 8, 25)`` → ``25/08/2023``."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"

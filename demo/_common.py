"""Shared helpers: deterministic RNG streams, Vietnamese number formats, file writers."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

FIXED_DATETIME = datetime(2024, 1, 15, 8, 0, 0)
_ZIP_DATE_TIME = (2024, 1, 15, 8, 0, 0)
_FIXED_W3CDTF = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")

Cell = str | int | float | Decimal | date | None


def rng_for(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible random stream for one component (str seeds are sha512-hashed)."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


def vn_int(value: int) -> str:
    """58053 -> '58.053' (Vietnamese thousands separator)."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def vn_decimal(value: Decimal, places: int = 3) -> str:
    """Decimal('590161.540') -> '590.161,540'."""
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, _, frac = f"{abs(q):f}".partition(".")
    text = sign + vn_int(int(whole))
    return f"{text},{frac}" if places else text


def vn_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def pct(numerator: int | Decimal, denominator: int | Decimal) -> float:
    """Percentage rounded half up to two decimals, as the reports publish it."""
    if not denominator:
        return 0.0
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_workbook(title: str = "Sheet1") -> tuple[Workbook, object]:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    wb.properties.creator = "PAR Warehouse demo"
    wb.properties.created = FIXED_DATETIME
    wb.properties.modified = FIXED_DATETIME
    wb.properties.lastModifiedBy = "PAR Warehouse demo"
    return wb, ws


BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def xlsx_bytes(wb: Workbook) -> bytes:
    """Serialise a workbook with fixed document properties and fixed zip entry timestamps."""
    wb.properties.created = FIXED_DATETIME
    wb.properties.modified = FIXED_DATETIME
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' at save time
                data = _W3CDTF.sub(rb"\g<1>" + _FIXED_W3CDTF + rb"\g<2>", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def xls_bytes(wb: object) -> bytes:
    """An Excel 97–2003 workbook (xlwt) as bytes. xlwt writes no timestamps or document
    properties: the same cells give the same bytes."""
    raw = io.BytesIO()
    wb.save(raw)  # type: ignore[attr-defined]
    return raw.getvalue()


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ";",
    bom: bool = True,
) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    text = buf.getvalue()
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6) as gz:
        gz.write(data)
    return out.getvalue()


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)

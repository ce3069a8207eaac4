"""Read tabular files into rows of cell values: ``.xlsx`` (openpyxl, read-only, values),
``.csv`` (UTF-8 with or without BOM, ``,`` or ``;``), ``.csv.gz`` and ``.parquet``."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ReadError

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")


@dataclass
class Sheet:
    name: str | None  # None for CSV and Parquet files
    rows: list[tuple]


def file_kind(path: Path | str) -> str | None:
    """``xlsx``, ``csv``, ``csv.gz``, ``parquet`` or ``None`` (unsupported)."""
    name = str(path).lower()
    if name.endswith(XLSX_SUFFIXES):
        return "xlsx"
    if name.endswith((".csv.gz", ".txt.gz")):
        return "csv.gz"
    if name.endswith(CSV_SUFFIXES):
        return "csv"
    if name.endswith(".parquet"):
        return "parquet"
    return None


def _unreadable(kind: str, exc: BaseException | None = None) -> ReadError:
    why = f" ({type(exc).__name__})" if exc else ""
    return ReadError(
        f"the {kind} file cannot be read: it is damaged, truncated or not really {kind}{why}",
        f"không đọc được tệp {kind}: tệp bị hỏng, bị cắt cụt hoặc không đúng định dạng{why}",
    )


def _trim(row: Iterable) -> tuple:
    values = list(row)
    while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1])):
        values.pop()
    return tuple(values)


def read_xlsx(path: Path, max_rows: int | None = None) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise _unreadable("xlsx", exc) from exc
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise _unreadable("xlsx", exc) from exc
    sheets: list[Sheet] = []
    try:
        for ws in wb.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # do not trust the stored dimension
            rows = [_trim(r) for r in ws.iter_rows(values_only=True, max_row=max_rows)]
            while rows and not rows[-1]:
                rows.pop()
            sheets.append(Sheet(ws.title, rows))
    except Exception as exc:
        raise _unreadable("xlsx", exc) from exc
    finally:
        wb.close()
    return sheets


def sniff_delimiter(lines: list[str]) -> str:
    """``;`` or ``,``: the one giving the most columns, consistently, on the first lines."""
    sample = [ln for ln in lines if ln.strip()][:20]
    if not sample:
        return ","
    best, best_key = ",", (0, 0)
    for delim in (",", ";", "\t"):
        widths = [len(r) for r in csv.reader(sample, delimiter=delim)]
        mode, freq = Counter(widths).most_common(1)[0]
        key = (freq if mode > 1 else 0, mode)
        if key > best_key:
            best, best_key = delim, key
    return best


def _open_text(path: Path, kind: str) -> io.TextIOBase:
    if kind == "csv.gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")  # type: ignore[return-value]
    return open(path, encoding="utf-8-sig", newline="")


def first_lines(path: Path, kind: str, n: int) -> list[str]:
    """The first ``n`` lines of a (possibly gzipped) UTF-8 text file."""
    lines: list[str] = []
    try:
        with _open_text(path, kind) as fh:
            for line in fh:
                lines.append(line)
                if len(lines) >= n:
                    break
    except UnicodeDecodeError as exc:
        raise ReadError(
            "the CSV file is not UTF-8 text (save it as 'CSV UTF-8')",
            "tệp CSV không phải văn bản UTF-8 (hãy lưu dạng 'CSV UTF-8')",
        ) from exc
    except (OSError, EOFError) as exc:
        raise _unreadable("csv", exc) from exc
    return lines


def read_csv(path: Path, kind: str = "csv", max_rows: int | None = None) -> list[Sheet]:
    try:
        with _open_text(path, kind) as fh:
            if max_rows is None:
                text = fh.read()
                lines = text.splitlines(keepends=True)
            else:
                lines = []
                for line in fh:
                    lines.append(line)
                    if len(lines) >= max_rows:
                        break
    except UnicodeDecodeError as exc:
        raise ReadError(
            "the CSV file is not UTF-8 text (save it as 'CSV UTF-8')",
            "tệp CSV không phải văn bản UTF-8 (hãy lưu dạng 'CSV UTF-8')",
        ) from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise _unreadable("csv", exc) from exc
    if any("\x00" in ln for ln in lines[:50]):
        raise _unreadable("csv")
    delim = sniff_delimiter(lines[:40])
    try:
        rows = [_trim(r) for r in csv.reader(lines, delimiter=delim)]
    except csv.Error as exc:
        raise _unreadable("csv", exc) from exc
    while rows and not rows[-1]:
        rows.pop()
    return [Sheet(None, rows)]


def read_parquet(path: Path, max_rows: int | None = None) -> list[Sheet]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        names = list(pf.schema_arrow.names)
        if max_rows is not None and max_rows <= 1:
            return [Sheet(None, [tuple(names)])]
        table = pf.read() if max_rows is None else next(pf.iter_batches(batch_size=max_rows), None)
    except Exception as exc:
        raise _unreadable("parquet", exc) from exc
    rows: list[tuple] = [tuple(names)]
    if table is not None:
        rows += [tuple(r.values()) for r in table.to_pylist()]
    return [Sheet(None, rows)]


def read_sheets(path: Path, max_rows: int | None = None) -> list[Sheet]:
    """All sheets of a file. Raises :class:`ReadError` if it cannot be read."""
    kind = file_kind(path)
    if kind == "xlsx":
        return read_xlsx(path, max_rows)
    if kind in ("csv", "csv.gz"):
        return read_csv(path, kind, max_rows)
    if kind == "parquet":
        return read_parquet(path, max_rows)
    raise ReadError(
        f"unsupported file type {Path(path).suffix!r} (send .xlsx, .csv, .csv.gz or .parquet)",
        f"loại tệp {Path(path).suffix!r} không được hỗ trợ (gửi .xlsx, .csv, .csv.gz hoặc .parquet)",
    )

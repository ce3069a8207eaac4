"""What one submitted file may hold: the limits every reader checks, declared once.

A file over a limit is rejected whole (named, quarantined, with the limit in its reason)
before the expensive step, and the night goes on. The limits are far above what a
province's real submissions hold (a commune list of a whole province is a few thousand
rows; a day of a province's dossier records a few hundred thousand) and low enough that
the readers' memory stays bounded (see docs/hostile_inputs.md for the bound measured).

Each limit can be changed with an environment variable ``PARWH_LIMIT_<NAME>`` (the
field's name in upper case), e.g. ``PARWH_LIMIT_MAX_RECORD_ROWS=50000000``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from settings import environment

MB = 1 << 20


@dataclass(frozen=True)
class FileLimits:
    #: bytes of any submitted file on disk
    max_file_bytes: int = 2048 * MB
    #: bytes of a CSV file of aggregated figures (staff, budget, dossiers, surveys) after
    #: decompression; such files are read whole into memory
    max_table_text_bytes: int = 64 * MB
    #: bytes of one XML part of an .xlsx, .ods or .docx file after decompression (a sheet,
    #: the shared strings, the document)
    max_xml_part_bytes: int = 256 * MB
    #: bytes of all parts of an .xlsx, .ods or .docx file after decompression; also the bytes
    #: of a Parquet file's row groups (from its footer) and of its values once decoded (a
    #: dictionary-encoded value counts once per row it stands for)
    max_unzipped_bytes: int = 512 * MB
    #: XML elements (start tags) of one part of an .xlsx or .docx file that is parsed whole
    #: (a Word document's body, a workbook's structure); sheets and shared strings, which are
    #: streamed, are bounded by the sheet limits instead. A real report has a few hundred
    #: thousand at most; each costs a parser about 150 bytes
    max_xml_elements: int = 2_000_000
    #: XML elements of the stylesheet of an .xlsx file (``xl/styles.xml``: cell formats,
    #: fonts, fills, borders, number formats and their children), each of which becomes a
    #: Python object of about 2 KB; Excel itself allows 64,000 cell formats, a real workbook
    #: has a few hundred to a few thousand
    max_style_elements: int = 200_000
    #: characters of one CSV cell (Python's csv module refuses longer fields)
    max_csv_cell_chars: int = 131_072
    #: rows of one sheet (or table) of aggregated figures
    max_sheet_rows: int = 100_000
    #: columns of one sheet (or table, or record export)
    max_columns: int = 1_000
    #: cells (rows × columns) of one sheet of aggregated figures
    max_sheet_cells: int = 2_000_000
    #: rows of a Parquet file of aggregated figures or survey responses (read into memory)
    max_parquet_rows: int = 2_000_000
    #: rows of one record-level dossier export (streamed by DuckDB, never held in Python)
    max_record_rows: int = 30_000_000
    #: bytes of one record-level export after decompression (.csv.gz)
    max_record_text_bytes: int = 16384 * MB

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> FileLimits:
        env = dict(environment()) if env is None else env
        values: dict[str, int] = {}
        for f in fields(cls):
            raw = env.get(f"PARWH_LIMIT_{f.name.upper()}")
            if raw:
                try:
                    values[f.name] = int(raw.replace("_", ""))
                except ValueError as exc:
                    name = f"PARWH_LIMIT_{f.name.upper()}"
                    raise ValueError(f"{name}={raw!r}: expected a whole number") from exc
        return cls(**values)


def limits() -> FileLimits:
    """The limits in force (defaults, overridden by ``PARWH_LIMIT_*``)."""
    return FileLimits.from_env()


def human_bytes(n: int) -> str:
    """``64 MB``, ``2 GB``: a limit as users read it."""
    for unit, size in (("GB", 1 << 30), ("MB", MB), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"

"""Error types of the ingest package.

Parsers raise :class:`ParseError` (a ``ValueError``) or one of its subclasses, with an
English and a Vietnamese message. Loaders catch them and raise :class:`IngestError`,
which adds the location (file, sheet, row, column) a submitter needs to fix the file.

Messages are masked where they are made: a value that looks personal (an ID or phone
number, an e-mail or street address, declared in ``ingest/config/personal.yaml``) quoted
from a cell is masked (``079203001234`` → ``07********34``) before the message reaches the
manifest, the findings, the reports, the alert or the logs. A shifted CSV row can put a
personal value in any column, so every message is masked, whatever it quotes.
"""

from __future__ import annotations

from ingest.personal import mask_message, quotable


class ParseError(ValueError):
    """A value could not be understood. Carries an English and a Vietnamese message."""

    def __init__(self, message: str, message_vi: str | None = None) -> None:
        message = mask_message(message)
        super().__init__(message)
        self.message_en = message
        self.message_vi = mask_message(message_vi) if message_vi else message


class NumberParseError(ParseError):
    """A number, count or amount could not be parsed."""


class DateParseError(ParseError):
    """A date or timestamp could not be parsed."""


class PeriodParseError(ParseError):
    """A reporting period or authority level could not be determined."""


class UnitResolutionError(ParseError):
    """A unit code or name is unknown or ambiguous."""

    def __init__(
        self, message: str, message_vi: str | None = None, candidates: list[str] | None = None
    ) -> None:
        super().__init__(message, message_vi)
        self.candidates = list(candidates or [])


class ReadError(ParseError):
    """A file cannot be read at all (unreadable, truncated, wrong encoding, empty)."""


class IngestError(Exception):
    """A file cannot be loaded; names the place of the problem."""

    def __init__(
        self,
        message_en: str,
        message_vi: str | None = None,
        *,
        file_name: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        message_en = mask_message(message_en)
        super().__init__(message_en)
        self.file_name = file_name
        self.sheet = sheet if quotable(sheet) else "…"  # a sheet named after a person
        self.row = row
        self.column = column
        self.message_en = message_en
        self.message_vi = mask_message(message_vi) if message_vi else message_en

    @classmethod
    def from_parse_error(
        cls,
        error: ParseError,
        *,
        file_name: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> IngestError:
        """The rejection of a parse error; a location the error carries itself (a reader's
        ``sheet``, ``row``, ``column`` attributes) fills what the caller does not give."""
        return cls(
            error.message_en,
            error.message_vi,
            file_name=file_name,
            sheet=sheet if sheet is not None else getattr(error, "sheet", None),
            row=row if row is not None else getattr(error, "row", None),
            column=column if column is not None else getattr(error, "column", None),
        )

    def location(self) -> str:
        parts = [f"file {self.file_name or '?'}"]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def location_vi(self) -> str:
        parts = [f"tệp {self.file_name or '?'}"]
        if self.sheet:
            parts.append(f"trang tính {self.sheet}")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message_en}".replace("\n", " ")

    @property
    def full_message_vi(self) -> str:
        return f"{self.location_vi()}: {self.message_vi}".replace("\n", " ")

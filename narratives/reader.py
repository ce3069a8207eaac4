"""Read a narrative report (.docx, .pdf with a text layer, .txt) into its paragraphs and its
header (the unit, its level, the report date, the period the title names).

Every paragraph is NFC, stripped, and has personal data masked (:func:`ingest.personal.
mask_text`) before anything is kept; empty paragraphs are dropped."""

from __future__ import annotations

import contextlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.personal import NAME_MASK, mask_text, spec
from ingest.text import nfc
from narratives.periods import PeriodRef, find_periods
from narratives.text import fold_same_length

_WS = re.compile(r"[ \t\u00a0\u200b]+")


class ReportReadError(ValueError):
    """A report that cannot be read; ``message_vi`` names the file and the reason."""

    def __init__(self, message_en: str, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message_en = message_en
        self.message_vi = message_vi


@dataclass(frozen=True)
class ReportHeader:
    unit_name: str | None = None  # as written: "UBND THÀNH PHỐ NHA TRANG", "Nha Trang"
    level: str | None = None  # province | district | commune | department
    report_date: date | None = None
    period_kind: str | None = None
    period_year: int | None = None
    period_end: date | None = None
    signatory_role: str | None = None  # "CHỦ TỊCH", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"
    title: str | None = None


@dataclass(frozen=True)
class Report:
    path: Path
    paragraphs: list[str]
    header: ReportHeader = field(default_factory=ReportHeader)


_WORD = re.compile(r"[^\W\d_]+")
_PLACE_BEFORE = re.compile(
    r"\b(?:duong|pho|truong|xa|phuong|huyen|tinh|thanh pho|thi tran|thi xa|quan|ap|khu pho|thon|to|"
    r"cau|cho|benh vien|hoc)\s*$"
)


def mask_names(text: str) -> str:
    """Persons' names in running text masked: three to five capitalised words, the first a
    declared family name ("Hộ kinh doanh Phan Thị Hoàng Oanh" → "Hộ kinh doanh ***"), unless
    a place word names a street, a school or a unit by it ("đường Trần Hưng Đạo")."""
    families = spec().family_names
    words = list(_WORD.finditer(text))
    out: list[str] = []
    pos = 0
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and words[j].group(0)[0].isupper()
            and (j == i or text[words[j - 1].end() : words[j].start()] == " ")
        ):
            j += 1
        run = words[i:j]
        if (
            len(run) >= 3
            and fold_same_length(run[0].group(0)) in families
            and not _PLACE_BEFORE.search(
                fold_same_length(text[max(0, run[0].start() - 14) : run[0].start()]).strip()
            )
            and not any(w.group(0).isupper() and len(w.group(0)) > 1 for w in run)
        ):
            end = run[min(len(run), 5) - 1].end()
            out.append(text[pos : run[0].start()] + NAME_MASK)
            pos = end
        i = max(j, i + 1)
    out.append(text[pos:])
    return "".join(out)


#: tabs between two cells of a line: a table row pasted as text ("Cấp huyện<TAB>3.846<TAB>…")
_CELL_TABS = re.compile(r"(?<=\S)[ \u00a0]*\t[ \t\u00a0]*(?=\S)")


def _clean(text: str) -> str:
    """Whitespace collapsed; a tab-separated line keeps its cells apart as " | " (the
    extractor reads such a line as a flattened table row, as a "|" table's)."""
    return _WS.sub(" ", _CELL_TABS.sub(" | ", nfc(text).strip())).strip()


def _txt_paragraphs(path: Path) -> list[str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise ReportReadError(
            f"{path.name}: not a text file", f"{path.name}: không phải tệp văn bản (báo cáo)"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _docx_paragraphs(path: Path) -> list[str]:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise ReportReadError(
            f"{path.name}: not a readable .docx ({exc})",
            f"{path.name}: không đọc được tệp .docx (tệp hỏng hoặc không phải báo cáo)",
        ) from exc
    out: list[str] = []

    def walk_table(table: Table) -> None:
        for row in table.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # merged cells repeat
                    continue
                seen.add(id(cell._tc))
                for block in cell.iter_inner_content():
                    if isinstance(block, Paragraph):
                        out.append(block.text)
                    else:
                        walk_table(block)

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            out.append(block.text)
        else:
            walk_table(block)
    out.extend(_docx_footnotes(path))
    return out


_SUPER = tuple("⁰¹²³⁴⁵⁶⁷⁸⁹")
_TO_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _docx_footnotes(path: Path) -> list[str]:
    """The footnotes' text (word/footnotes.xml), each as a paragraph, numbered as Word shows
    them (¹ …) so that a reader sees which figure they belong to."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/footnotes.xml" not in archive.namelist():
                return []
            xml = archive.read("word/footnotes.xml")
    except (zipfile.BadZipFile, KeyError):
        return []
    from lxml import etree

    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    root = etree.fromstring(xml)
    notes: list[str] = []
    for note in root.findall("w:footnote", ns):
        kind = note.get(f"{{{ns['w']}}}type")
        if kind in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        mark = str(len([n for n in notes if n.startswith(_SUPER)]) + 1).translate(_TO_SUPER)
        first = True
        for para in note.findall(".//w:p", ns):
            text = "".join(t.text or "" for t in para.findall(".//w:t", ns))
            if text.strip():
                notes.append(f"{mark} {text.strip()}" if first else text)
                first = False
    return notes


def _pdf_paragraphs(path: Path) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, OSError) as exc:
        raise ReportReadError(
            f"{path.name}: unreadable PDF ({exc})", f"{path.name}: không đọc được tệp PDF"
        ) from exc
    if not any(ch.isalpha() for page in pages for ch in page):
        raise ReportReadError(
            f"{path.name}: the PDF has no text layer (a scan?)",
            f"{path.name}: tệp PDF không có lớp văn bản (bản quét?), không đọc được nội dung báo cáo",
        )
    return _join_pdf_lines("\n".join(pages).split("\n"))


_SENTENCE_END = re.compile(r"[.:;!?…]\s*$|/\.$")
_NEW_BLOCK = re.compile(r"^\s*(?:[-+*•–]|\d+(?:\.\d+)*[.)/]|[IVX]+\.|[a-zđ]\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s")


def _join_pdf_lines(lines: list[str]) -> list[str]:
    """A PDF's text layer breaks paragraphs into lines; join a line to the previous one
    unless the previous one ends a sentence, falls well short of the text's width (a heading,
    the last line of a paragraph) or is in capitals, or this one starts a list item."""
    width = max((len(line.strip()) for line in lines), default=0)
    out: list[str] = []
    last_len = 0
    for line in lines:
        line = line.rstrip()
        if not line.strip():
            if out and out[-1]:
                out.append("")
            continue
        if (
            out
            and out[-1]
            and last_len >= 0.75 * width
            and not _SENTENCE_END.search(out[-1])
            and not _NEW_BLOCK.match(line)
            and not out[-1].isupper()
        ):
            out[-1] = out[-1] + " " + line.strip()
        else:
            out.append(line)
        last_len = len(line.strip())
    return out


def read_paragraphs(path: Path) -> list[str]:
    """The report's paragraphs in order (NFC, whitespace collapsed, empty ones dropped),
    personal data masked. Raises :class:`ReportReadError` with a Vietnamese reason."""
    path = Path(path)
    if not path.is_file():
        raise ReportReadError(f"{path.name}: no such file", f"{path.name}: không tìm thấy tệp")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        raw = _docx_paragraphs(path)
    elif suffix == ".pdf":
        raw = _pdf_paragraphs(path)
    elif suffix in (".txt", ".md", ""):
        raw = _txt_paragraphs(path)
    else:
        raise ReportReadError(
            f"{path.name}: not a report format (.docx, .pdf, .txt)",
            f"{path.name}: không phải định dạng báo cáo (.docx, .pdf có lớp văn bản, .txt)",
        )
    paragraphs = [mask_names(mask_text(p)) for p in (_clean(r) for r in raw) if p]
    if not paragraphs:
        raise ReportReadError(f"{path.name}: empty report", f"{path.name}: báo cáo không có nội dung")
    return paragraphs


# --- the header -----------------------------------------------------------------------------

_MARKUP = re.compile(r"[*#_`]+|<[^>]+>")
_UNIT_LINE = re.compile(
    r"^(?:ubnd|uy ban nhan dan)\s+(tinh|thanh pho|huyen|thi xa|quan|xa|phuong|thi tran)\b\s*(.*)$"
)
_LOWER_UNIT_IN_LINE = re.compile(
    r"\s[-–]?\s*((?:ubnd|uy ban nhan dan)\s+(thanh pho|huyen|thi xa|quan|xa|phuong|thi tran)\b"
    r"|(so|phong|ban|van phong)\s+\w+)"
)
_DEPT_LINE = re.compile(r"^(so|phong|ban|van phong)\s+\w+")
_REPORT_DATE = re.compile(r"^[^,]{2,40},\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_REPORT_DATE_BLANK = re.compile(r"ngay\s+(?:\.*\s*)?thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_LEVEL_OF_WORD = {
    "tinh": "province",
    "thanh pho": "district",
    "huyen": "district",
    "thi xa": "district",
    "quan": "district",
    "xa": "commune",
    "phuong": "commune",
    "thi tran": "commune",
}
_ROLES = ("chu tich", "pho chu tich", "giam doc", "pho giam doc", "truong phong", "truong ban")
_UNIT_IN_TEXT = re.compile(
    r"\b(?:ubnd|uy ban nhan dan)\s+(thanh pho|huyen|thi xa|quan|xa|phuong|thi tran)\s+"
    r"(?!(?:da|ve|trong|tren|va|nam|cac|cua|ban|bao|tiep|thuc|tap|duoc)\b)(\w+(?:\s\w+){0,2})"
)


_NAMED_UNIT = re.compile(r"\b(thanh pho|huyen|thi xa|quan|xa|phuong|thi tran|tinh)\s+(?=[a-z])")
_NAME_WORD = re.compile(r"[A-ZĐÀ-Ỹ][\wÀ-ỹ-]*|\d+")


def _unit_named(text: str, acting: bool) -> tuple[str | None, str | None]:
    """A unit named in ``text``: a level word followed by a capitalised name ("thành phố Sa
    Đéc", "phường Long Thành Trung"); with ``acting``, only the unit that acts ("Ủy ban nhân
    dân phường … đã …", "… báo cáo …")."""
    folded = fold_same_length(text)
    for m in _NAMED_UNIT.finditer(folded):
        if acting and not re.search(r"(?:ubnd|uy ban nhan dan)\s+$", folded[: m.start()]):
            continue
        words: list[str] = []
        pos = m.end()
        while (w := _NAME_WORD.match(text, pos)) is not None and w.group(0)[0].isupper():
            words.append(w.group(0))
            pos = w.end()
            while pos < len(text) and text[pos] == " ":
                pos += 1
        if not words:
            continue
        if acting and not re.match(r"\s*(?:da|bao cao|tap trung|ban hanh|tiep tuc)\b", folded[pos:]):
            continue
        name = text[m.start() : m.end()] + " ".join(words)
        return name, _LEVEL_OF_WORD[m.group(1)]
    return None, None


def _plain(text: str) -> str:
    return _MARKUP.sub("", text).strip()


def parse_header(paragraphs: list[str]) -> ReportHeader:
    """The unit, level, report date and period of a report from its first paragraphs (the
    heading block and the title), and the signatory's role from its last ones."""
    unit_name: str | None = None
    level: str | None = None
    report_date: date | None = None
    title: str | None = None
    head = paragraphs[:25]
    in_heading_block = True  # the lines above the title: the unit, its parent above it
    for i, para in enumerate(head):
        plain = _plain(para)
        folded = fold_same_length(plain)
        if re.fullmatch(r"(?:ubnd|uy ban nhan dan)", folded) and i + 1 < len(head):
            plain = f"{plain} {_plain(head[i + 1])}"  # "ỦY BAN NHÂN DÂN" / "HUYỆN AN LÃO" on two lines
            folded = fold_same_length(plain)
        # "UBND TỈNH KHÁNH HÒA" above "UBND THÀNH PHỐ NHA TRANG" (or "SỞ NỘI VỤ"): the parent
        # stands above its unit, so the lowest unit line of the heading block reports
        replaces = unit_name is None or (in_heading_block and plain.isupper())
        # a heading laid out with tabs ("UBND HUYỆN X<TAB>CỘNG HÒA …"): the unit is the first cell
        cell = plain.split(" | ")[0].strip()
        cell_folded = fold_same_length(cell)
        if replaces and len(cell) < 80 and (m := _UNIT_LINE.match(cell_folded)):
            unit_name = cell
            level = _LEVEL_OF_WORD[m.group(1)]
            first_name_word = re.match(r"\s+\w+", cell_folded[m.end(1) :])
            name_start = m.end(1) + (first_name_word.end() if first_name_word else 0)
            if lower := _LOWER_UNIT_IN_LINE.search(cell_folded, name_start):
                # "UBND TỈNH HÀ TĨNH SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "UBND TỈNH QUẢNG TRỊ - SỞ …": the
                # heading's two lines on one; the unit is the lower one
                unit_name = cell[lower.start(1) :].strip(" -–")
                word = lower.group(2) or lower.group(3)
                level = _LEVEL_OF_WORD.get(word, "department") if lower.group(2) else "department"
        elif replaces and len(cell) < 80 and cell.isupper() and _DEPT_LINE.match(cell_folded):
            unit_name = cell  # "SỞ TƯ PHÁP", "BAN QUẢN LÝ …": a department of the province
            level = "department"
        if re.match(r"^bao cao\b", folded) or len(plain) >= 80:
            in_heading_block = False
        if report_date is None and (m := _REPORT_DATE.search(folded)):
            with contextlib.suppress(ValueError):
                report_date = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if title is None and re.match(r"^bao cao\b", folded):
            rest = plain[len("BÁO CÁO") :].strip(" :")
            nxt = [_plain(p) for p in head[i + 1 : i + 3]]
            title = rest if len(rest) > 10 else " ".join(x for x in nxt[:1] if x)
            broken = title and len(title) < 40 and len(nxt) > 1 and nxt[1] and not nxt[1][:1].isdigit()
            if broken and fold_same_length(nxt[1]).startswith(("nam ", "quy ", "6 thang", "9 thang")):
                title = f"{title} {nxt[1]}"  # a title broken over two lines
    # The unit from the title, else from the text ("Ủy ban nhân dân phường Long Thành Trung
    # đã …"), when the heading block does not name it
    if unit_name is None and title:
        unit_name, level = _unit_named(title, acting=False)
    if unit_name is None:
        for para in paragraphs[:40]:
            unit_name, level = _unit_named(_plain(para), acting=True)
            if unit_name:
                break
    period: PeriodRef | None = None
    if title:
        # "… 9 tháng đầu năm 2021 và phương hướng, nhiệm vụ quý IV năm 2021": the results' period
        cut = re.search(r"(?:\sva|;|,)\s*(?:phuong huong|nhiem vu|ke hoach)\b", fold_same_length(title))
        results = title[: cut.start()] if cut else title
        found = find_periods(results, default_year=report_date.year if report_date else None)
        if found:
            period = found[-1][2]
    if report_date is None:
        for para in head:
            if m := _REPORT_DATE_BLANK.search(fold_same_length(_plain(para))):
                report_date = None  # the day is left blank in the draft; the month is known
                break
    signatory = None
    for para in paragraphs[-12:]:
        folded = fold_same_length(_plain(para))
        for role in _ROLES:
            if re.search(rf"\b{role}\b", folded) and len(folded) < 60:
                signatory = _plain(para).replace("  ", " ")
    return ReportHeader(
        unit_name=unit_name,
        level=level,
        report_date=report_date,
        period_kind=period.kind if period else None,
        period_year=period.year if period else None,
        period_end=period.end if period else None,
        signatory_role=signatory,
        title=title,
    )


def read_report(path: Path) -> Report:
    """The report's paragraphs (masked) and its header."""
    paragraphs = read_paragraphs(path)
    return Report(path=Path(path), paragraphs=paragraphs, header=parse_header(paragraphs))

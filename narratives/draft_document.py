"""A draft report as a document: a title, headed sections of paragraphs; written as Markdown
and as .docx (python-docx) with the same text, paragraph for paragraph. With ``fixed`` the
.docx is byte-identical for the same text (the demo's files)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from docx import Document

_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class DraftDocument:
    title: str
    subtitle: str
    sections: tuple[Section, ...]
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def paragraphs(self) -> list[str]:
        """Every paragraph's text in order, as both files carry it."""
        out = [self.title, self.subtitle]
        if self.note:
            out.append(self.note)
        for section in self.sections:
            out.append(section.heading)
            out.extend(section.paragraphs)
        return out


def markdown(doc: DraftDocument) -> str:
    lines = [f"# {doc.title}", "", doc.subtitle, ""]
    if doc.note:
        lines += [f"_{doc.note}_", ""]
    for section in doc.sections:
        lines += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            # "* " and "- " open paragraphs as in the seeds (Markdown shows them as bullets)
            lines += [paragraph, ""]
    return "\n".join(lines)


def docx_bytes(doc: DraftDocument, fixed: datetime | None = None) -> bytes:
    document = Document()
    props = document.core_properties
    props.author = "PAR Warehouse"
    props.title = doc.title
    if fixed is not None:
        props.created = fixed
        props.modified = fixed
        props.last_modified_by = "PAR Warehouse"
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.subtitle)
    if doc.note:
        document.add_paragraph(doc.note).runs[0].italic = True
    for section in doc.sections:
        document.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
    raw = io.BytesIO()
    document.save(raw)
    if fixed is None:
        return raw.getvalue()
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=fixed.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _W3CDTF.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            dst.writestr(entry, data)
    return out.getvalue()

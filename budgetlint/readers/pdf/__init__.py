"""The PDF reader: pdfminer.six characters and rulings to the document model.

One pdfminer pass per page yields chars (with font and box) and ruling
shapes; tables come from the rulings (or, failing those, from column
alignment), and headings and paragraphs from the text lines around them.
pdfminer.six is imported only when a PDF is actually read.
"""

from __future__ import annotations

from collections.abc import Sequence

from budgetlint.diagnostics import NO_TEXT_LAYER, UNREADABLE
from budgetlint.document import Document
from budgetlint.hookspecs import hookimpl
from budgetlint.readers import Reader, ReadError, Source
from budgetlint.readers.pdf.assemble import assemble
from budgetlint.readers.pdf.items import DraftTable
from budgetlint.readers.pdf.page import FontStyles, PageLayout, layout_page

PDF_MAGIC = b"%PDF-"


@hookimpl
def budgetlint_readers() -> list[Reader]:
    return [Reader(name="pdf", suffixes=(".pdf",), sniff=sniff, read=read)]


def sniff(head: bytes) -> bool:
    """True if ``head`` starts a PDF (junk before the header is tolerated, as viewers do)."""
    return PDF_MAGIC in head[:1024]


def read(source: Source) -> Document:
    """Read a PDF source (``ReadError`` LINT001 if broken, LINT006 if locked).

    A PDF that fails to read is read once more with its cross-reference
    table rebuilt from the objects in the file (a table whose offsets are
    wrong is a common damage that viewers repair silently).
    """
    try:
        return _read(source, rebuild=False)
    except ReadError as first:
        if first.code != UNREADABLE:
            raise
        try:
            return _read(source, rebuild=True)
        except ReadError:
            raise first from None


def _read(source: Source, rebuild: bool) -> Document:
    from budgetlint.readers.pdf import extract

    password = str(source.options.get("password") or "")
    pdf = extract.open_document(source.data, password, rebuild)
    fonts = FontStyles()
    layouts: list[PageLayout] = []
    for number, width, height, chars, shapes, image in extract.raw_pages(pdf):
        layouts.append(layout_page(source.path, number, width, height, chars, shapes, fonts, image, _carry(layouts)))
    document = assemble(source.path, layouts)
    empty = _pages_without_text(layouts)
    if empty:
        document.notes.append((NO_TEXT_LAYER, {"pages": page_ranges(empty)}))
    unmapped = [layout.number for layout in layouts if layout.unmapped]
    if unmapped:
        document.notes.append((NO_TEXT_LAYER, {"pages": page_ranges(unmapped), "variant": "unmapped"}))
    return document


def _carry(layouts: Sequence[PageLayout]) -> DraftTable | None:
    """The inferred table ending the last page read, which the next page may continue."""
    if layouts and layouts[-1].items:
        last = layouts[-1].items[-1]
        if isinstance(last, DraftTable) and last.confidence < 1:
            return last
    return None


def _pages_without_text(layouts: Sequence[PageLayout]) -> list[int]:
    """Pages that look scanned: no text but an image (or no text anywhere in the file)."""
    if not any(layout.has_text for layout in layouts):
        return [layout.number for layout in layouts]
    return [layout.number for layout in layouts if not layout.has_text and layout.has_image]


def page_ranges(numbers: Sequence[int]) -> str:
    """``[1, 2, 3, 5]`` → ``"1-3, 5"``."""
    parts = []
    start = prev = numbers[0]
    for n in list(numbers[1:]) + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}-{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(parts)

"""The single pdfminer.six pass: each page's chars and shapes, no layout analysis.

``PDFPageAggregator(laparams=None)`` is built here on purpose:
``high_level.extract_pages`` applies default LAParams even when asked not to.
Every pdfminer failure becomes a :class:`ReadError`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFNoValidXRef, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSEOF

from budgetlint.diagnostics import PASSWORD_REQUIRED, UNREADABLE
from budgetlint.readers import ReadError

SHAPES = frozenset((LTLine, LTRect, LTCurve))
RawPage = tuple[int, float, float, list[Any], list[Any], bool]  # number, width, height, chars, shapes, has image


def open_document(data: bytes, password: str) -> PDFDocument:
    """The parsed PDF, unlocked with the empty or the given password."""
    if not data.strip():
        raise ReadError(UNREADABLE, reason="the file is empty")
    if b"%PDF-" not in data[:1024]:
        raise ReadError(UNREADABLE, reason="not a PDF (no %PDF header)")
    try:
        return _open(data, "")
    except PDFPasswordIncorrect:
        if password:
            try:
                return _open(data, password)
            except PDFPasswordIncorrect:
                pass
        raise ReadError(PASSWORD_REQUIRED) from None


def _open(data: bytes, password: str) -> PDFDocument:
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)), password=password)
    except PDFPasswordIncorrect:
        raise
    except PDFEncryptionError as exc:
        raise ReadError(UNREADABLE, reason=f"unsupported PDF encryption ({exc})") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise ReadError(UNREADABLE, reason=damage_reason(exc)) from exc


def raw_pages(document: PDFDocument) -> Iterator[RawPage]:
    """Each page's chars and shapes, in page coordinates as displayed (/Rotate applied)."""
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    number = 0
    try:
        for page in PDFPage.create_pages(document):
            number += 1
            interpreter.process_page(page)
            layout = device.get_result()
            chars: list[Any] = []
            shapes: list[Any] = []
            images = _collect(layout, chars, shapes)
            yield number, layout.width, layout.height, chars, shapes, images
    except ReadError:
        raise
    except Exception as exc:
        where = f"page {number + 1}: " if number else ""
        raise ReadError(UNREADABLE, reason=where + damage_reason(exc)) from exc
    if number == 0:
        raise ReadError(UNREADABLE, reason="the PDF has no pages")


def _collect(container: Any, chars: list[Any], shapes: list[Any]) -> bool:
    images = False
    for obj in container:
        kind = type(obj)
        if kind is LTChar:
            chars.append(obj)
        elif kind in SHAPES:
            shapes.append(obj)
        elif kind is LTFigure:
            images |= _collect(obj, chars, shapes)
        elif kind is LTImage:
            images = True
    return images


def damage_reason(exc: Exception) -> str:
    """A plain-English reason for a pdfminer failure."""
    if isinstance(exc, PDFNoValidXRef):
        return "damaged or truncated PDF (no valid cross-reference table)"
    if isinstance(exc, (PSEOF, EOFError)):
        return "truncated PDF (unexpected end of file)"
    detail = str(exc).strip() or type(exc).__name__
    return f"damaged PDF ({type(exc).__name__}: {detail[:200]})"

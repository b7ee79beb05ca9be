"""The single pdfminer.six pass: each page's chars and shapes, no layout analysis.

Content streams are tokenized by :mod:`.content` (pdfminer's interpreter with a
faster tokenizer), and text hidden by clipping paths is dropped by :mod:`.clipping`.

The aggregator (a ``PDFPageAggregator(laparams=None)``) is built here on purpose:
``high_level.extract_pages`` applies default LAParams even when asked not to.
Every pdfminer failure becomes a :class:`ReadError`, except running out of
memory: that reaches the runner, which reports the memory ceiling (LINT004).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from typing import Any

from pdfminer.layout import LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFNoValidXRef, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef
from pdfminer.psexceptions import PSEOF

from budgetlint.diagnostics import PASSWORD_REQUIRED, UNREADABLE
from budgetlint.readers import ReadError, Reason
from budgetlint.readers.pdf.clipping import ClippedAggregator, ClippingInterpreter

SHAPES = frozenset((LTLine, LTRect, LTCurve))
MAX_EXTENT = 14_400.0  # the largest page PDF allows, in points (ISO 32000-1, annex C)
RawPage = tuple[int, float, float, list[Any], list[Any], bool]  # number, width, height, chars, shapes, has image


def open_document(data: bytes, password: str, rebuild: bool = False) -> PDFDocument:
    """The parsed PDF, unlocked with the empty or the given password.

    ``rebuild`` ignores the cross-reference table and finds the objects by
    scanning the file, as viewers do when the table is wrong.
    """
    if not data.strip():
        raise ReadError(UNREADABLE, reason=Reason("read_empty"))
    if b"%PDF-" not in data[:1024]:
        raise ReadError(UNREADABLE, reason=Reason("read_not_pdf"))
    try:
        return _open(data, "", rebuild)
    except PDFPasswordIncorrect:
        if password:
            try:
                return _open(data, password, rebuild)
            except PDFPasswordIncorrect:
                raise ReadError(PASSWORD_REQUIRED, variant="wrong") from None
        raise ReadError(PASSWORD_REQUIRED) from None


def _open(data: bytes, password: str, rebuild: bool) -> PDFDocument:
    try:
        return _Document(PDFParser(io.BytesIO(data)), password=password, rebuild=rebuild)
    except (PDFPasswordIncorrect, MemoryError):
        raise
    except PDFEncryptionError as exc:
        raise ReadError(UNREADABLE, reason=Reason("read_encryption", {"detail": str(exc)})) from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        raise ReadError(UNREADABLE, reason=damage_reason(exc)) from exc


class _Document(PDFDocument):
    """pdfminer.six's document, except that an object which is only a reference back to itself is missing.

    pdfminer.six resolves a reference until it gets something else, so
    ``4 0 obj 4 0 R endobj`` (or a longer ring of such objects) would loop for ever.
    With ``rebuild``, the cross-reference table is not looked for, so that
    pdfminer.six scans the file for its objects instead.
    """

    def __init__(self, parser: PDFParser, password: str, rebuild: bool) -> None:
        self.rebuild = rebuild
        super().__init__(parser, password=password)

    def find_xref(self, parser: PDFParser) -> int:
        if self.rebuild:
            raise PDFNoValidXRef("rebuilding the cross-reference table")
        return super().find_xref(parser)

    def getobj(self, objid: int) -> object:
        obj = super().getobj(objid)
        seen = {objid}
        while isinstance(obj, PDFObjRef):
            if obj.objid in seen:
                raise PDFObjectNotFound(objid)
            seen.add(obj.objid)
            obj = super().getobj(obj.objid)
        return obj


def raw_pages(document: PDFDocument) -> Iterator[RawPage]:
    """Each page's chars and shapes, in page coordinates as displayed (/Rotate applied)."""
    manager = PDFResourceManager(caching=True)
    device = ClippedAggregator(manager, laparams=None)
    interpreter = ClippingInterpreter(manager, device)
    number = 0
    try:
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
            layout = device.get_result()
            chars: list[Any] = []
            shapes: list[Any] = []
            images = _collect(layout, chars, shapes)
            yield number + 1, layout.width, layout.height, chars, shapes, images
            number += 1  # pages done: a failure from here on is on page number + 1
    except (ReadError, MemoryError):
        raise
    except Exception as exc:
        reason = damage_reason(exc)
        raise ReadError(UNREADABLE, reason=Reason("read_on_page", {"page": number + 1, "reason": reason}) if number
                        else reason) from exc
    if number == 0:
        raise ReadError(UNREADABLE, reason=Reason("read_no_pages"))


def _collect(container: Any, chars: list[Any], shapes: list[Any]) -> bool:
    images = False
    for obj in container:
        kind = type(obj)
        if kind is LTChar:
            if _placeable(obj):
                chars.append(obj)
        elif kind in SHAPES:
            shapes.append(obj)
        elif kind is LTFigure:
            images |= _collect(obj, chars, shapes)
        elif kind is LTImage:
            images = True
    return images


def _placeable(char: LTChar) -> bool:
    """A finite box no larger than a page: damaged text matrices yield NaN, infinite or absurd glyphs."""
    return 0 <= char.width <= MAX_EXTENT and 0 <= char.height <= MAX_EXTENT and math.isfinite(char.x0 + char.y0)


def damage_reason(exc: Exception) -> Reason:
    """The reason for a pdfminer failure, for the catalogue."""
    if isinstance(exc, PDFNoValidXRef):
        return Reason("read_no_xref")
    if isinstance(exc, (PSEOF, EOFError)):
        return Reason("read_truncated")
    detail = str(exc).strip() or type(exc).__name__
    return Reason("read_damaged", {"detail": f"{type(exc).__name__}: {detail[:200]}"})

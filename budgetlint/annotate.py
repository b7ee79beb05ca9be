"""An annotated copy of a checked PDF: a highlight at each finding, its message as the note.

Each finding with a box gets a yellow highlight on its page, carrying the
message (``/Contents``) with a pop-up to show it; its related locations get a
lighter blue highlight that names the finding.  Boxes come from the PDF reader
in displayed page coordinates (origin at the media box's lower-left corner,
/Rotate applied, as pdfminer reports them) and are mapped back to the page's
own coordinates here.  pypdf (the ``annotate`` extra) is imported on use.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from budgetlint.catalogue import ui
from budgetlint.findings import Finding
from budgetlint.location import BBox, Location
from budgetlint.readers.pdf import sniff

if TYPE_CHECKING:
    from pypdf import PageObject

HIT_COLOR = "ffd54f"
RELATED_COLOR = "b3d4ff"
POPUP_SIZE = (220.0, 120.0)
Matrix = tuple[float, float, float, float, float, float]


class AnnotateError(RuntimeError):
    """Annotation cannot be done: pypdf is missing, or not exactly one PDF input."""


def single_pdf(paths: Iterable[str], lang: str) -> str:
    """The one PDF among ``paths`` (sniffed by content, as the PDF reader does), with pypdf at hand."""
    if importlib.util.find_spec("pypdf") is None:
        raise AnnotateError(ui("annotate_needs_pypdf", lang))
    pdfs = [path for path in paths if _is_pdf(path)]
    if not pdfs:
        raise AnnotateError(ui("annotate_no_pdf", lang))
    if len(pdfs) > 1:
        raise AnnotateError(ui("annotate_several_pdfs", lang, count=len(pdfs)))
    return pdfs[0]


def _is_pdf(path: str) -> bool:
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as handle:
        return sniff(handle.read(1024))


def annotate(pdf_path: str, findings: Sequence[Finding], out_path: str, lang: str = "zh") -> int:
    """Write ``pdf_path`` with the findings' highlights to ``out_path``; return the highlights added.

    Findings of other files, and locations without a page and box (or with a
    page the PDF lacks), are skipped.
    """
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError as exc:
        raise AnnotateError(ui("annotate_needs_pypdf", lang)) from exc
    writer = PdfWriter(clone_from=PdfReader(pdf_path))
    added = 0
    for number, finding in enumerate(f for f in findings if _same_file(f.location.path, pdf_path)):
        note = f"{finding.code} [{finding.severity.value}] {finding.message}"
        if _highlight(writer, finding.location, note, HIT_COLOR, f"budgetlint-{number}", popup=True):
            added += 1
        related_note = ui("annotate_related", lang, code=finding.code, message=finding.message)
        for index, loc in enumerate(finding.related):
            if _same_file(loc.path, pdf_path):
                _highlight(writer, loc, related_note, RELATED_COLOR, f"budgetlint-{number}-related-{index}", popup=False)
    with open(out_path, "wb") as handle:
        writer.write(handle)
    return added


def _same_file(path: str, pdf_path: str) -> bool:
    try:
        return os.path.samefile(path, pdf_path)
    except OSError:
        return os.path.normpath(path) == os.path.normpath(pdf_path)


def _highlight(writer: Any, loc: Location, note: str, color: str, name: str, *, popup: bool) -> bool:
    """Add one highlight for ``loc``; False if it has no box on a page of this PDF."""
    from pypdf.annotations import Highlight, Popup
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, TextStringObject

    if loc.bbox is None or loc.page is None or not 1 <= loc.page <= len(writer.pages):
        return False
    page = writer.pages[loc.page - 1]
    x0, y0, x1, y1 = page_rect(loc.bbox, page)
    quad = ArrayObject(FloatObject(round(v, 3)) for v in (x0, y1, x1, y1, x0, y0, x1, y0))
    highlight = Highlight(rect=(x0, y0, x1, y1), quad_points=quad, highlight_color=color, title_bar="budgetlint")
    highlight[NameObject("/Contents")] = TextStringObject(note)
    highlight[NameObject("/NM")] = TextStringObject(name)
    highlight[NameObject("/F")] = NumberObject(4)  # print
    added = writer.add_annotation(page_number=loc.page - 1, annotation=highlight)
    if popup:
        width, height = POPUP_SIZE
        box = (x1, max(0.0, y1 - height), x1 + width, y1)
        pop = writer.add_annotation(page_number=loc.page - 1, annotation=Popup(rect=box, parent=added))
        added[NameObject("/Popup")] = pop.indirect_reference
    return True


def page_rect(bbox: BBox, page: PageObject) -> BBox:
    """``bbox`` in displayed coordinates as a rectangle in ``page``'s own coordinates."""
    inverse = _invert(_display_matrix(page))
    corners = [_apply(inverse, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys))


def _display_matrix(page: PageObject) -> Matrix:
    """User space → displayed coordinates, as pdfminer builds it for the page's /Rotate."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    rotate = page.rotation % 360
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def _invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)

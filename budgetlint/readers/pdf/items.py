"""What a page is read into before the document is assembled: text lines and table parts."""

from __future__ import annotations

from dataclasses import dataclass

from budgetlint.document import Row
from budgetlint.readers.pdf.textlines import BBox


@dataclass(slots=True)
class TextLine:
    """A line of running text (not in a ruled table)."""

    text: str
    bbox: BBox
    size: float
    bold: bool
    light: bool
    pieces: list[tuple[float, float, str]]  # runs set apart by wide gaps: (x0, x1, text)
    page: int


@dataclass
class DraftTable:
    """A table found on one page, before tables running over pages are stitched."""

    rows: list[Row]
    bbox: BBox
    page: int
    xs: list[float]  # column edges, left to right
    confidence: float = 1.0
    text_size: float = 0.0  # font size of an inferred table's text


Item = TextLine | DraftTable

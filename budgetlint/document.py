"""The document model every reader produces: document → pages → blocks.

Blocks are headings, paragraphs and tables (rows of cells).  Readers fill in
physical locations; the budget model adds logical ones.  Nothing here knows
whether the source was text or PDF.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from budgetlint.location import Location


@dataclass(frozen=True)
class TextSpan:
    """A run of text with the source locations of the segments it came from.

    A segment is a source line, or a part of one where a reader dropped markup
    inside it.  ``line_starts[i]`` is the offset in ``text`` where segment
    ``i`` begins and ``line_locations[i]`` is where that segment lies in the
    source (its ``column`` is the segment's first character), so any substring
    can be located.  Characters a reader inserted (a space joining wrapped
    lines) count with the segment before them.
    """

    text: str
    line_starts: tuple[int, ...]
    line_locations: tuple[Location, ...]

    @classmethod
    def single(cls, text: str, location: Location) -> TextSpan:
        return cls(text, (0,), (location,))

    @property
    def location(self) -> Location:
        first, last = self.line_locations[0], self.line_locations[-1]
        return replace(first, end_line=last.end_line, end_column=last.end_column)

    def locate(self, start: int, end: int) -> Location:
        """The location of ``text[start:end]``."""
        first = self._segment(start)
        last = self._segment(max(start, end - 1))
        begin, finish = self.line_locations[first], self.line_locations[last]
        column = end_column = None
        if begin.column is not None:
            column = begin.column + start - self.line_starts[first]
        if finish.column is not None:
            end_column = finish.column + end - self.line_starts[last]
        return replace(
            begin,
            column=column,
            end_line=finish.line,
            end_column=end_column,
        )

    def _segment(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.line_starts, offset) - 1)


@dataclass(frozen=True)
class _Prose:
    """Text with locations: what headings and paragraphs share."""

    span: TextSpan

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def location(self) -> Location:
        return self.span.location


@dataclass(frozen=True)
class Heading(_Prose):
    """A heading; level 1 is the top."""

    level: int = 1


@dataclass(frozen=True)
class Paragraph(_Prose):
    """A paragraph of prose."""


@dataclass(frozen=True)
class Cell:
    """One table cell.  ``indent`` is how far its text starts right of the cell's left edge, in text
    sizes (characters): a hierarchy shown by indentation only.  0 when flush left or unknown."""

    text: str
    location: Location
    colspan: int = 1
    rowspan: int = 1
    indent: float = 0.0


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    location: Location

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(cell.text for cell in self.cells)


@dataclass(frozen=True)
class Table:
    """A table as read: rows of cells, possibly running over several pages.

    ``confidence`` is 1.0 for tables whose structure the source states
    (tab-separated text, ruled PDF grids) and lower for tables recovered from
    alignment alone; rules keep error-level findings off uncertain tables.
    """

    rows: tuple[Row, ...]
    location: Location
    confidence: float = 1.0

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({r.location.page for r in self.rows if r.location.page}))


Block = Heading | Paragraph | Table


@dataclass
class Page:
    number: int
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """A parsed source file.

    ``notes`` carries reader diagnostics as (LINT code, message values), e.g.
    a page with no text layer; the core turns them into findings.
    ``source_lines`` keeps the lines of a text source for reports that quote it.
    """

    path: str
    pages: list[Page]
    source_kind: str
    encoding: str | None = None
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)

    @classmethod
    def combine(cls, parts: Sequence[Document]) -> Document:
        """One document from parts published separately (narrative and tables).

        Pages keep their own locations (file and page number); the document
        takes the first part's path.
        """
        if len(parts) == 1:
            return parts[0]
        first = parts[0]
        return cls(
            path=first.path,
            pages=[page for part in parts for page in part.pages],
            source_kind=first.source_kind,
            encoding=first.encoding,
            notes=[note for part in parts for note in part.notes],
            source_lines=list(first.source_lines),
        )

    def blocks(self) -> Iterator[Block]:
        for page in self.pages:
            yield from page.blocks

    def tables(self) -> Iterator[Table]:
        return (b for b in self.blocks() if isinstance(b, Table))

    def paragraphs(self) -> Iterator[Paragraph]:
        return (b for b in self.blocks() if isinstance(b, Paragraph))

    def headings(self) -> Iterator[Heading]:
        return (b for b in self.blocks() if isinstance(b, Heading))

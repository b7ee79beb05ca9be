"""The running text of a document as rules read it: headings, paragraphs and table cells.

Rules that judge wording (TXT, DOC, the declarative packs, NAME) read the same
runs of text, located line by line, and quote them the same way.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from budgetlint.document import Cell, Document, Heading, Paragraph, Row, Table, TextSpan
from budgetlint.location import Location

Locate = Callable[[int, int], Location]
EXCERPT_WIDTH = 10

# Endings after which a paragraph is complete; any other ending leaves it open.
COMPLETE_ENDINGS = tuple("。！？；：…!?;:”’」』）)》】")
# Sentence punctuation; an ASCII comma inside a number (1,448.10) is not one.
SENTENCE_MARK = regex.compile(r"[，。；！？]|[,;!?](?!\d)")


@dataclass(frozen=True)
class Prose:
    """A run of text and how to locate inside it.

    ``kind`` is heading, paragraph or cell.  ``inferred`` marks cells of tables
    whose structure was inferred from alignment, which may hold only part of a
    wrapped line.  ``above`` and ``below`` are, for a cell, the texts of the
    cells above and below it in its column (across a page break when the table
    goes on on the next page): a cell whose text wraps may be read as two.
    """

    text: str
    locate: Locate
    kind: str
    inferred: bool = False
    above: str = ""
    below: str = ""

    @property
    def bounded(self) -> bool:
        """True if the source states where this text begins and ends.

        A paragraph may be layout fragments run together (a table read as
        lines, a wrapped header); a heading or a stated table cell is not.
        """
        return self.kind == "heading" or (self.kind == "cell" and not self.inferred)


_last: list[Any] = [None, {}, {}]  # the document (weakly), its prose by join_open, its tables' cells by number


def prose(document: Document, join_open: bool = False) -> Iterator[Prose]:
    """Headings, paragraphs and non-empty table cells, in reading order.

    With ``join_open``, a paragraph left open (no sentence-final mark) is
    joined with the paragraphs that follow it, so that one sentence broken over
    pages or paragraphs is checked as one.  Computed once per document and
    shared by the rules.
    """
    ref, variants, cells = _last
    if ref is None or ref() is not document:
        variants, cells = {}, {}
        _last[:] = [weakref.ref(document), variants, cells]
    if join_open not in variants:
        variants[join_open] = tuple(_prose(document, join_open, cells))  # the cells are the same either way
    return iter(variants[join_open])


def _prose(document: Document, join_open: bool, cells: dict[int, tuple[Prose, ...]]) -> Iterator[Prose]:
    open_run: list[Paragraph] = []
    blocks = list(document.blocks())
    tables = [b for b in blocks if isinstance(b, Table)]
    numbers = {id(table): n for n, table in enumerate(tables)}
    for block in blocks:
        if isinstance(block, Paragraph):
            open_run.append(block)
            if join_open and not block.text.rstrip().endswith(COMPLETE_ENDINGS):
                continue
        if open_run:
            yield passage(open_run)
            open_run = []
        if isinstance(block, Heading):
            yield Prose(block.text, block.span.locate, "heading")
        elif isinstance(block, Table):
            n = numbers[id(block)]
            if n not in cells:
                cells[n] = tuple(_cells(tables, n))
            yield from cells[n]
    if open_run:
        yield passage(open_run)


def _cells(tables: list[Table], at: int) -> Iterator[Prose]:
    """Table ``at``'s non-empty cells, each with the nearest non-empty cells above and below it in its column."""
    table = tables[at]
    before = tables[at - 1].rows if at and _goes_on(tables[at - 1], table) else ()
    after = tables[at + 1].rows if at + 1 < len(tables) and _goes_on(table, tables[at + 1]) else ()
    grids = [_columns(row) for row in (*before, *table.rows, *after)]
    filled = [{column: cell.text for column, cell in grid.items() if cell.text.strip()} for grid in grids]
    above, below = _nearest(filled), _nearest(filled[::-1])[::-1]
    for n in range(len(before), len(before) + len(table.rows)):
        for column, text in filled[n].items():
            cell = grids[n][column]
            yield Prose(
                text, cell_locator(cell), "cell", inferred=table.confidence < 1.0,
                above=above[n].get(column, ""), below=below[n].get(column, ""),
            )


def _nearest(filled: Sequence[dict[int, str]]) -> list[dict[int, str]]:
    """For each row's filled cells (column → text), the text of the last filled cell of each column in the rows before."""
    found: list[dict[int, str]] = []
    last: dict[int, str] = {}
    for row in filled:
        found.append(dict(last))
        last.update(row)
    return found


def _columns(row: Row) -> dict[int, Cell]:
    """The row's cells by the column each starts in."""
    grid, column = {}, 0
    for cell in row.cells:
        grid[column] = cell
        column += cell.colspan
    return grid


def _goes_on(table: Table, following: Table) -> bool:
    """True if ``following`` starts on the page after ``table`` ends: one table split by a page break."""
    ends, starts = table.pages, following.pages
    return bool(table.rows and following.rows and ends and starts) and starts[0] == ends[-1] + 1


def passage(paragraphs: list[Paragraph]) -> Prose:
    """The paragraphs as one run of text, located line by line."""
    text, starts, locations = "", list[int](), list[Location]()
    for paragraph in paragraphs:
        starts += [len(text) + offset for offset in paragraph.span.line_starts]
        locations += paragraph.span.line_locations
        text += paragraph.text
    return Prose(text, TextSpan(text, tuple(starts), tuple(locations)).locate, "paragraph")


def cell_locator(cell: Cell) -> Locate:
    """Locate by column when the cell's location spans exactly its text on one line, else the whole cell."""
    loc = cell.location
    exact = (
        loc.column is not None
        and loc.end_column is not None
        and loc.end_line in (None, loc.line)
        and loc.end_column - loc.column == len(cell.text)
    )
    if exact:
        return TextSpan.single(cell.text, loc).locate
    return lambda start, end: loc


def excerpt(text: str, start: int, end: int, width: int = EXCERPT_WIDTH) -> str:
    """``text[start:end]`` with up to ``width`` characters either side, whitespace collapsed."""
    left, right = max(0, start - width), min(len(text), end + width)
    body = " ".join(text[left:right].split())
    return ("…" if left else "") + body + ("…" if right < len(text) else "")

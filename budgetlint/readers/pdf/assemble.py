"""Pages to a document: headings, paragraphs, and tables stitched over pages.

Text styles are judged against the document's body text (the size most of
its running text is set in): larger or bold lines are headings, ranked by
size into levels 1-3; other lines join into paragraphs while they wrap.  A
table that ends one page and a table with the same columns that opens the
next are one table (one part may merge columns the other splits); header
rows repeated on the next page are dropped.  A sheet too wide for its page
goes on with its other columns on the next, at the same heights: those
columns join beside the first page's.  Page furniture (a running
title repeated at the top of many pages, a page number) stays in the
document but never stands between a table and its continuation.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from budgetlint.document import Block, Cell, Document, Heading, Page, Paragraph, Row, Table, TextSpan
from budgetlint.location import Location
from budgetlint.readers.pdf.items import DraftTable, TextLine
from budgetlint.readers.pdf.page import PAGE_NUMBER, PageLayout
from budgetlint.readers.pdf.textlines import join_lines

HEADING_STEP = 1.5  # a line this many points above the body size is a heading
HEADING_MAX_CHARS = 60
LEADING = 1.3  # lines of one paragraph lie at most this many times the page's usual gap apart
RUN_ON_GAP = 2.5  # a full line left open runs on into a line at most this many text sizes below it
# Marks that may close a paragraph; a full line ending on anything else runs on into the next.
CLOSING = tuple("。！？；：…!?;:”’」』）)》】")
SAME_COLUMNS = 6.0  # table edges within this distance on two pages are the same table
MAX_HEADER_ROWS = 6
# An outer column this narrow that only one page's grid has (the rulings of a title row set
# inside the grid leave one) is no column: the pages still stitch.
SLIVER = 10.0
ROW_HEIGHTS = 1.0  # rows of two pages whose tops and bottoms lie this close sit at the same heights
MIN_BESIDE_ROWS = 3
_NUMBER = re.compile(r"[-+]?[\d,，]*\.?\d+%?")
RUNNING_SHARE = 0.25  # a line opening at least this share of the pages (and 3) is a running title
TOC_ENTRY = re.compile(r".*[.…·]{4,}\s*\d+")
# A word a line cannot break inside: a number or a Latin word, each character about half a text size wide.
CARRIED_WORD = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,%‰]*")
HALF_WIDTH = 0.5
FOOTNOTE_STEP = 1.0  # a footnote is set at least this many points below the body size
FOOTNOTE_OPENING = re.compile(r"(?:注|说明|备注)\s*\d*\s*[：:]|[①-⑳*※]|\[\d+\]|\d+[)）]")
BLOCK_START = re.compile(
    r"(?:第[一二三四五六七八九十百零〇\d]+[部分章节条]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.](?!\d))"
)


@dataclass
class _Style:
    body: float
    body_bold: bool
    right_edges: dict[object, float]  # (page, size) and page width (rounded) → right edge of full text lines
    line_gaps: dict[int, float]  # page → the usual gap between a text line and the next
    levels: dict[tuple[float, bool], int]

    def max_gap(self, line: TextLine) -> float:
        """How far below the line before it ``line`` may start and still go on with its paragraph.

        One text size, or a little more than the page's usual gap where lines
        are set wide apart (double spacing, common in Word-made disclosures).
        """
        return max(line.size, LEADING * self.line_gaps.get(line.page, 0.0))

    def right_edge(self, line: TextLine, width: float) -> float:
        """Where a full line of ``line``'s page and size ends (failing that, of any page as wide, or the line)."""
        return self.measured_edge(line, width) or line.bbox[2]

    def measured_edge(self, line: TextLine, width: float) -> float | None:
        """The right margin measured on ``line``'s page and size (or on pages as wide), None if none was."""
        edges = self.right_edges
        return edges.get((line.page, _size_key(line.size))) or edges.get(round(width))

    def is_heading(self, line: TextLine) -> bool:
        if line.light or len(line.text) > HEADING_MAX_CHARS or TOC_ENTRY.fullmatch(line.text):
            return False
        larger = line.size >= self.body + HEADING_STEP
        return larger or (line.bold and not self.body_bold and line.size >= self.body - 0.5)


def assemble(path: str, layouts: Sequence[PageLayout]) -> Document:
    """The document model of a PDF from its page layouts."""
    style = _style(layouts)
    running = _running_titles(layouts)
    pages = [Page(layout.number) for layout in layouts]
    drafts: list[tuple[int, object]] = []  # (page index, draft block) in reading order
    content: object | None = None  # the last draft that is not page furniture
    for index, layout in enumerate(layouts):
        first = True
        groups = list(_groups(layout, style))
        furniture = [_is_furniture(g, running) for g in groups]
        last = max((n for n, flag in enumerate(furniture) if not flag), default=-1)
        for number, group in enumerate(groups):
            if furniture[number]:
                drafts.append((index, group))
                continue
            if number == last and not first and isinstance(content, _TextDraft) and _is_footnote(group, style):
                drafts.append((index, group))  # the paragraph above the footnote may go on over the page
                continue
            if first and content is not None and _continues(content, group, style, layout.width):
                _extend(content, group)
            else:
                drafts.append((index, group))
                content = group
            first = False
    for index, draft in drafts:
        pages[index].blocks.append(_block(path, draft, style))
    return Document(path=path, pages=pages, source_kind="pdf")


# --- page furniture -----------------------------------------------------------


def _running_titles(layouts: Sequence[PageLayout]) -> set[str]:
    """Texts of lines that open many pages: running titles (无锡市信访局2025年度部门预算公开)."""
    openings: Counter[str] = Counter()
    for layout in layouts:
        first = layout.items[0] if layout.items else None
        if isinstance(first, TextLine):
            openings[first.text.strip()] += 1
    least = max(3, RUNNING_SHARE * len(layouts))
    return {text for text, count in openings.items() if count >= least}


def _is_furniture(group: object, running: set[str]) -> bool:
    """A one-line text block that is a running title or a page number."""
    if not isinstance(group, _TextDraft) or len(group.lines) != 1:
        return False
    text = group.lines[0].text.strip()
    return text in running or bool(PAGE_NUMBER.fullmatch(text))


# --- document-wide text style -------------------------------------------


def _style(layouts: Sequence[PageLayout]) -> _Style:
    sizes: Counter[float] = Counter()
    bold: Counter[bool] = Counter()
    lines = [item for layout in layouts for item in layout.items if isinstance(item, TextLine)]
    for line in lines:
        sizes[_size_key(line.size)] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 0.0
    for line in lines:
        if abs(line.size - body) <= 0.5:
            bold[line.bold] += len(line.text)
    body_bold = bold[True] > bold[False]
    style = _Style(body, body_bold, _right_edges(layouts), _line_gaps(layouts), {})
    keys = sorted({_level_key(line) for line in lines if style.is_heading(line)}, reverse=True)
    style.levels = {key: min(rank, 3) for rank, key in enumerate(keys, start=1)}
    return style


def _line_gaps(layouts: Sequence[PageLayout]) -> dict[int, float]:
    """Per page, the median gap between consecutive text lines of one size (gaps over three sizes left out)."""
    usual = {}
    for layout in layouts:
        gaps = [gap for _, lower, gap in _line_pairs(layout) if 0 <= gap <= 3 * lower.size]
        if gaps:
            usual[layout.number] = statistics.median(gaps)
    return usual


def _right_edges(layouts: Sequence[PageLayout]) -> dict[object, float]:
    """Where full lines end, per (page, text size) and per page width (rounded).

    An edge is a margin that two wrapping lines reach (within a character of
    each other): the longest of a page of one-line items is not a full line.
    """
    reached: dict[object, list[tuple[float, float]]] = defaultdict(list)
    for layout in layouts:
        for line in _wrapping_lines(layout):
            for key in ((layout.number, _size_key(line.size)), round(layout.width)):
                reached[key].append((line.bbox[2], line.size))
    edges = {}
    for key, ends in reached.items():
        ends.sort(reverse=True)
        edge = next((x for (x, size), (below, _) in pairwise(ends) if x - below <= size), None)
        if edge is not None:
            edges[key] = edge
    return edges


def _wrapping_lines(layout: PageLayout) -> Iterator[TextLine]:
    """Lines of ten or more characters right above another line of text: those that may have wrapped.

    A caption over a table (编制单位：…　单位：元) or a page's last line is none,
    so it cannot stretch the right edge past where the page's prose wraps.
    """
    for upper, lower, gap in _line_pairs(layout):
        if len(upper.text) >= 10 and gap <= lower.size:
            yield upper


def _line_pairs(layout: PageLayout) -> Iterator[tuple[TextLine, TextLine, float]]:
    """Each text line directly above another of about its size, with the gap between them."""
    for upper, lower in pairwise(layout.items):
        if isinstance(upper, TextLine) and isinstance(lower, TextLine) and abs(upper.size - lower.size) <= 1.0:
            yield upper, lower, upper.bbox[1] - lower.bbox[3]


def _size_key(size: float) -> float:
    return round(size * 2) / 2


def _level_key(line: TextLine) -> tuple[float, bool]:
    return (_size_key(line.size), line.bold)


# --- grouping lines into headings and paragraphs ---------------------------


@dataclass
class _TextDraft:
    lines: list[TextLine]
    heading: bool
    width: float  # page width


def _groups(layout: PageLayout, style: _Style) -> Iterator[object]:
    current: _TextDraft | None = None
    for item in layout.items:
        if isinstance(item, DraftTable):
            if current is not None:
                yield current
                current = None
            yield item
            continue
        heading = style.is_heading(item)
        if current is not None and current.heading == heading and _joins(current, item, style):
            current.lines.append(item)
            continue
        if current is not None:
            yield current
        current = _TextDraft([item], heading, layout.width)
    if current is not None:
        yield current


def _joins(draft: _TextDraft, line: TextLine, style: _Style) -> bool:
    """Whether ``line`` continues ``draft`` on the same page."""
    prev = draft.lines[-1]
    gap = prev.bbox[1] - line.bbox[3]
    if abs(prev.size - line.size) > 1.0 or gap < -0.3 * line.size:
        return False
    if gap > style.max_gap(line):
        # wide spacing: only a line that fills its width and stays open carries on
        open_line = _runs_on(prev, style, draft.width) and not BLOCK_START.match(line.text)
        return not draft.heading and gap <= RUN_ON_GAP * line.size and open_line
    if draft.heading:
        # a heading wraps only from a (nearly) full line, and never into a numbered item
        full = prev.bbox[2] >= style.right_edge(prev, draft.width) - 4 * prev.size
        return prev.bold == line.bold and full and not BLOCK_START.match(line.text)
    return _wraps(prev, line, style, draft.width)


def _wraps(prev: TextLine, line: TextLine, style: _Style, width: float) -> bool:
    """Whether ``prev`` runs on into ``line``.

    A line that fills its width and ends open (no closing mark: 退休 / 费,
    参公单位1家， / 具体包括：) does unless ``line`` is a numbered item (五、…);
    a full line that ends on a closing mark does unless ``line`` starts afresh
    (indented, or a numbered item).
    """
    if (_runs_on(prev, style, width) or _carried_word(prev, line, style, width)) and not BLOCK_START.match(line.text):
        return True
    full = _full(prev, style, width)
    indented = line.bbox[0] > prev.bbox[0] + 0.8 * line.size
    return full and not indented and not TOC_ENTRY.fullmatch(prev.text) and not BLOCK_START.match(line.text)


def _full(line: TextLine, style: _Style, width: float) -> bool:
    """Whether ``line`` reaches its page's measured right margin (within two characters)."""
    return line.bbox[2] >= style.right_edge(line, width) - 2 * line.size


def _runs_on(line: TextLine, style: _Style, width: float) -> bool:
    """A line reaching the measured margin that no closing mark ends: its sentence goes on in the next line."""
    text = line.text.rstrip()
    edge = style.measured_edge(line, width)
    reaches = edge is not None and line.bbox[2] >= edge - 2 * line.size
    return reaches and not text.endswith(CLOSING) and not TOC_ENTRY.fullmatch(text)


def _carried_word(prev: TextLine, line: TextLine, style: _Style, width: float) -> bool:
    """An open line whose next line starts with a word too long for the room left before the margin.

    Ragged prose wraps before a number or Latin word that does not fit
    (…政府采购服务预算 / 182.31万元。): the line ends short of the margin, but its
    sentence goes on.  Such a word's characters are about half a text size wide.
    """
    edge = style.measured_edge(prev, width)
    word = CARRIED_WORD.match(line.text)
    if edge is None or word is None or prev.text.rstrip().endswith(CLOSING):
        return False
    return edge - prev.bbox[2] < HALF_WIDTH * line.size * len(word.group())


def _is_footnote(group: object, style: _Style) -> bool:
    """A page's last block set smaller than the body text and opening like a note (注：, ①, *)."""
    if not isinstance(group, _TextDraft) or group.heading:
        return False
    smaller = all(line.size <= style.body - FOOTNOTE_STEP for line in group.lines)
    return smaller and FOOTNOTE_OPENING.match(group.lines[0].text.lstrip()) is not None


def _continues(prev: object, group: object, style: _Style, width: float) -> bool:
    """Whether the first block of a page continues the last block of the page before."""
    if isinstance(prev, DraftTable) and isinstance(group, DraftTable):
        return prev.confidence == group.confidence and (_align(prev.xs, group.xs) is not None or _beside(prev, group))
    if isinstance(prev, _TextDraft) and isinstance(group, _TextDraft):
        if prev.heading or group.heading:
            return False
        last, first = prev.lines[-1], group.lines[0]
        return abs(last.size - first.size) <= 1.0 and _wraps(last, first, style, width)
    return False


def _align(xs: Sequence[float], later: Sequence[float]) -> tuple[list[float], list[int], list[int]] | None:
    """The column edges of two table parts stitched together, and where each part's edges fall on them.

    One part may merge columns that the other splits (a header row alone
    on the first page, a continued part without the sub-columns); None
    unless the edges of one part are all edges of the other.
    """
    later_map = _column_map(xs, later)
    if later_map is not None:
        return list(xs), list(range(len(xs))), later_map
    first_map = _column_map(later, xs)
    if first_map is not None:
        return list(later), first_map, list(range(len(later)))
    return None


def _column_map(xs: Sequence[float], part: Sequence[float]) -> list[int] | None:
    """For each column edge of a table ``part``, the matching edge of ``xs``.

    None unless every edge of the part is an edge of ``xs`` and both have
    the same outer edges, but for a sliver column (see SLIVER) of ``xs``'s
    alone at either side.
    """
    out = []
    for x in part:
        i = min(range(len(xs)), key=lambda k: abs(xs[k] - x))
        if abs(xs[i] - x) > SAME_COLUMNS or (out and i <= out[-1]):
            return None
        out.append(i)
    last = len(xs) - 1
    left = out[0] == 0 or (out[0] == 1 and xs[1] - xs[0] <= SLIVER)
    right = out[-1] == last or (out[-1] == last - 1 and xs[last] - xs[last - 1] <= SLIVER)
    return out if left and right else None


def _beside(prev: DraftTable, group: DraftTable) -> bool:
    """Whether ``group`` holds the columns of ``prev`` continued on the next page (a sheet too wide for one).

    Its rows, at least MIN_BESIDE_ROWS, sit at the very heights of ``prev``'s
    rows on one page, and it holds numbers, but none of its rows names what
    it holds: the names stay in the first page's columns.  Its words are
    headers, so they stand only beside header rows of ``prev`` (rows without
    numbers); a row labelled 合计 beside a row of amounts is another table
    of the same template.
    """
    if len(prev.rows) != len(group.rows) or len(group.rows) < MIN_BESIDE_ROWS:
        return False
    if {row.location.page for row in prev.rows} != {prev.page}:
        return False
    pairs = list(zip(prev.rows, group.rows, strict=True))
    if not all(_same_heights(a, b) for a, b in pairs) or not any(_numbers(b) for b in group.rows):
        return False
    return not any(_words(b) and (_numbers(b) or _numbers(a)) for a, b in pairs)


def _same_heights(a: Row, b: Row) -> bool:
    box_a, box_b = a.location.bbox, b.location.bbox
    if box_a is None or box_b is None:
        return False
    return abs(box_a[1] - box_b[1]) <= ROW_HEIGHTS and abs(box_a[3] - box_b[3]) <= ROW_HEIGHTS


def _numbers(row: Row) -> list[str]:
    """The cells of ``row`` that hold a number."""
    return [t for t in row.texts if _NUMBER.fullmatch(t.strip())]


def _words(row: Row) -> list[str]:
    """The cells of ``row`` that hold text other than a number."""
    return [t for t in row.texts if t.strip() and not _NUMBER.fullmatch(t.strip())]


def _join_beside(prev: DraftTable, group: DraftTable) -> None:
    """``group``'s columns laid right of ``prev``'s, row by row."""
    shift = prev.xs[-1] - group.xs[0]
    prev.rows = [Row(a.cells + b.cells, a.location) for a, b in zip(prev.rows, group.rows, strict=True)]
    prev.xs = prev.xs + [x + shift for x in group.xs[1:]]


def _extend(prev: object, group: object) -> None:
    if isinstance(prev, _TextDraft) and isinstance(group, _TextDraft):
        prev.lines += group.lines
        return
    assert isinstance(prev, DraftTable) and isinstance(group, DraftTable)
    aligned = _align(prev.xs, group.xs)
    if aligned is None:
        _join_beside(prev, group)
        return
    xs, first, later = aligned
    if len(xs) > len(prev.xs):
        prev.rows = [_remap(row, first, len(xs) - 1) for row in prev.rows]
        prev.xs = xs
    rows = [_remap(row, later, len(xs) - 1) for row in group.rows]
    prev.rows += rows[_repeated(prev.rows, rows):]


def _repeated(top: Sequence[Row], rows: Sequence[Row]) -> int:
    """How many leading ``rows`` of a continued part repeat a run of rows at the ``top`` of the table.

    The run is its header, which may sit under a title row set in the grid
    (预算05表 … printed on the first page only), and may take the total row
    (合计) below it along.  It opens on a row of words (no data row is
    dropped for equalling one near the top).
    """
    for start in range(min(len(top), MAX_HEADER_ROWS)):
        if _numbers(top[start]):
            continue
        count = 0
        while (
            count < min(len(rows) - 1, len(top) - start, MAX_HEADER_ROWS)
            and rows[count].texts == top[start + count].texts
            and any(rows[count].texts)
        ):
            count += 1
        if count:
            return count
    return 0


def _remap(row: Row, columns: list[int], width: int) -> Row:
    """``row`` laid onto the ``width`` columns of the stitched table (``columns``: where its edges fall there).

    Columns the row's part lacks (a sliver at either side) are blank cells.
    """
    n = len(row.cells)
    cells: list[Cell] = [Cell("", row.location)] * columns[0]
    for c, cell in enumerate(row.cells):
        if cell.text or cell.colspan > 1:
            cell = replace(cell, colspan=columns[min(c + cell.colspan, n)] - columns[c])
        cells.append(cell)
        cells += [Cell("", cell.location)] * (columns[c + 1] - columns[c] - 1)
    cells += [Cell("", row.location)] * (width - columns[-1])
    return Row(tuple(cells), row.location)


# --- blocks ---------------------------------------------------------------


def _block(path: str, draft: object, style: _Style) -> Block:
    if isinstance(draft, DraftTable):
        location = Location(path, page=draft.page, bbox=draft.bbox)
        return Table(tuple(draft.rows), location, draft.confidence)
    assert isinstance(draft, _TextDraft)
    text, starts = join_lines([line.text for line in draft.lines])
    locations = tuple(Location(path, page=line.page, bbox=line.bbox) for line in draft.lines)
    span = TextSpan(text, tuple(starts), locations)
    if draft.heading:
        return Heading(span, style.levels.get(_level_key(draft.lines[0]), 3))
    return Paragraph(span)

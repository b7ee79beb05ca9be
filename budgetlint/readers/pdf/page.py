"""One page: ruled tables and the text lines around them, in reading order.

Rotated text (a watermark) is dropped; slanted text (synthetic italics) is
kept; glyphs that no font mapping turns into characters are dropped (a page
made mostly of them is unreadable, like a scan).  Chars inside a ruled table go to their cells, but text much larger
than the page's text that is pale or overflows its cell is a watermark and
is dropped there.  The other chars become text lines, cut into pieces where
a wide gap separates them (what alignment-based table recovery works on).
Running page numbers are dropped: in the page margin, or centred beyond all
other content near the top or bottom edge.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from budgetlint.document import Cell, Row
from budgetlint.location import Location
from budgetlint.readers.pdf.grid import Grid, find_grids
from budgetlint.readers.pdf.items import DraftTable, Item, TextLine
from budgetlint.readers.pdf.rulings import Rulings, find_rulings
from budgetlint.readers.pdf.textlines import BBox, chars_bbox, group_lines, line_text, normalize
from budgetlint.readers.pdf.unruled import recover_tables

PIECE_GAP = 0.4  # a gap wider than this many font sizes separates two pieces of a line
WATERMARK_SIZE = 1.8  # text this many times the page's usual size, over a table, is a watermark
MARGIN = 0.07  # share of the page height at top and bottom where running page numbers sit
FOOTER = 0.12  # a centred page number may sit this far in when nothing lies beyond it
CENTRED = 0.05  # share of the page width a centred page number may lie off the middle
_DASHES = r"[-—–─―－‒\s]*"  # - 5 -, — 5 —, ─ 5 ─
_DIGITS = r"\d(?: ?\d){0,3}"  # 13, or set with its digits spaced apart: 1 3
PAGE_NUMBER = re.compile(  # 5, - 5 -, ─ 11 ─, 第5页, 第5页共9页, 5/9, 5 / 共 9 页, 1 3
    rf"{_DASHES}(?:第\s*)?{_DIGITS}\s*(?:页)?(?:\s*[/共]\s*(?:共\s*)?{_DIGITS}\s*页?)?{_DASHES}"
)
UNMAPPED = "(cid:"  # pdfminer.six's text for a glyph its font maps to no character
BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demibold", "hei", "黑")


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    items: list[Item]
    has_text: bool
    has_image: bool
    unmapped: bool = False  # most of its text is glyphs without a Unicode mapping: unreadable


class FontStyles:
    """Bold-or-not per font name, cached for the whole document."""

    def __init__(self) -> None:
        self.cache: dict[str, bool] = {}

    def bold(self, fontname: str) -> bool:
        known = self.cache.get(fontname)
        if known is None:
            name = str(fontname).split("+", 1)[-1].lower()  # a damaged font may name itself with a non-string
            known = self.cache[fontname] = any(mark in name for mark in BOLD_NAMES)
        return known


def layout_page(
    path: str,
    number: int,
    width: float,
    height: float,
    chars: Sequence[Any],
    shapes: Sequence[Any],
    fonts: FontStyles,
    has_image: bool = False,
    carry: DraftTable | None = None,
) -> PageLayout:
    """Ruled tables and text lines of one page, top to bottom.

    ``carry`` is the inferred table that ended the page before, if any.
    """
    # rotated text (a watermark) is no content, slanted text is; most chars take the fast test
    upright = [c for c in chars if (m := c.matrix)[1] == 0 == m[2] and m[0] > 0 < m[3] or _is_upright(c)]
    unmapped = [c for c in upright if c.get_text().startswith(UNMAPPED)]
    if unmapped:
        upright = [c for c in upright if not c.get_text().startswith(UNMAPPED)]
    rulings = find_rulings(shapes, upright) if shapes else Rulings([], [])
    grids = find_grids(rulings) if rulings.horizontal and rulings.vertical else []
    flow = _fill_grids(grids, upright) if grids else upright
    items: list[Item] = [_table(path, number, g) for g in grids if g.has_text()]
    items += _text_lines(flow, number, fonts)
    items.sort(key=_top, reverse=True)
    items = [item for item in items if not _is_page_number(item, items, width, height)]
    items = recover_tables(path, number, items, rulings.horizontal, carry)
    mostly_unmapped = bool(unmapped) and len(unmapped) > sum(1 for c in upright if not c.get_text().isspace())
    return PageLayout(number, width, height, items, bool(chars), has_image, mostly_unmapped)


def _fill_grids(grids: list[Grid], chars: list[Any]) -> list[Any]:
    """Give each char inside a grid to its cell; return the chars outside every grid.

    A char is placed by a point a quarter into it, not its centre: punctuation
    may hang over a cell border.  Text much larger than the page's usual size
    that is pale or overflows its cell is a watermark and is dropped (a header
    set in a large font fits its cells).
    """
    limit = WATERMARK_SIZE * _typical_size(chars)
    boxes = [(g.xs[0], g.ys[-1], g.xs[-1], g.ys[0], g.xs, g.neg_ys, g.anchors) for g in grids]
    flow = []
    for ch in chars:
        x = ch.x0 + (ch.x1 - ch.x0) * 0.25
        y = (ch.y0 + ch.y1) * 0.5
        for x0, y0, x1, y1, xs, neg_ys, anchors in boxes:
            if x0 <= x <= x1 and y0 <= y <= y1:
                c = bisect_right(xs, x) - 1
                r = bisect_right(neg_ys, -y) - 1
                cell = anchors[r - (r == len(anchors))][c - (c == len(xs) - 1)]
                if ch.size <= limit or not (_is_light(ch) or _overflows(ch, cell.bbox)):
                    cell.chars.append(ch)
                break
        else:
            flow.append(ch)
    return flow


def _overflows(ch: Any, bbox: BBox) -> bool:
    """Whether a char's box reaches out of a cell by more than a fifth of its size."""
    slack = 0.2 * ch.size
    return ch.x0 < bbox[0] - slack or ch.x1 > bbox[2] + slack or ch.y0 < bbox[1] - slack or ch.y1 > bbox[3] + slack


def _table(path: str, page: int, grid: Grid) -> DraftTable:
    rows = []
    for r in range(grid.nrows):
        cells = []
        for c in range(grid.ncols):
            anchor = grid.anchors[r][c]
            location = Location(path, page=page, bbox=anchor.bbox)
            if anchor.row == r and anchor.col == c:
                text, indent = anchor.content()
                cells.append(Cell(text, location, anchor.colspan, anchor.rowspan, indent))
            else:
                cells.append(Cell("", location))
        bbox = (grid.xs[0], grid.ys[r + 1], grid.xs[-1], grid.ys[r])
        rows.append(Row(tuple(cells), Location(path, page=page, bbox=bbox)))
    return DraftTable(rows, grid.bbox, page, list(grid.xs))


def _text_lines(chars: list[Any], page: int, fonts: FontStyles) -> list[TextLine]:
    lines = []
    for group in group_lines(chars):
        visible = [c for c in group if c.get_text().strip()]
        if not visible:
            continue
        text = normalize(line_text(group))
        bbox = chars_bbox(visible)
        size = max(c.size for c in visible)
        bold = sum(fonts.bold(c.fontname) for c in visible) * 2 > len(visible)
        lines.append(TextLine(text, bbox, size, bold, _is_light(visible[0]), _pieces(visible, text), page))
    return lines


def _pieces(visible: list[Any], text: str) -> list[tuple[float, float, str]]:
    """The runs of a line (``text``) set apart by gaps wider than an ordinary space."""
    cuts = [i for i in range(1, len(visible)) if visible[i].x0 - visible[i - 1].x1 > PIECE_GAP * visible[i].size]
    if not cuts:
        return [(visible[0].x0, visible[-1].x1, text)]
    pieces = []
    for start, end in zip([0, *cuts], [*cuts, len(visible)], strict=True):
        part = visible[start:end]
        pieces.append((part[0].x0, part[-1].x1, normalize(line_text(part))))
    return pieces


def _is_page_number(item: Item, items: Sequence[Item], width: float, height: float) -> bool:
    """A running page number: in the page margin, or centred below (above) everything else near the edge."""
    if not isinstance(item, TextLine):
        return False
    x0, y0, x1, y1 = item.bbox
    near_bottom, near_top = y1 < height * FOOTER, y0 > height * (1 - FOOTER)
    if not (near_bottom or near_top) or PAGE_NUMBER.fullmatch(item.text) is None:
        return False
    if y1 < height * MARGIN or y0 > height * (1 - MARGIN):
        return True
    if abs((x0 + x1) / 2 - width / 2) > CENTRED * width and item.text.strip().isdigit():
        return False  # a bare number off the middle may be content; ─ 11 ─ or 第11页 at the outer edge is not
    others = [other.bbox for other in items if other is not item]
    if near_bottom:
        return all(b[1] >= y1 for b in others)
    return all(b[3] <= y0 for b in others)


def _is_upright(ch: Any) -> bool:
    """A char on a horizontal baseline: not rotated, though possibly slanted (synthetic italics)."""
    a, b, c, d, _, _ = ch.matrix
    return a > 0 and d > 0 and abs(b) <= 0.01 * a and abs(c) <= d


def _typical_size(chars: Sequence[Any]) -> float:
    if not chars:
        return 0.0
    sizes = sorted(c.size for c in chars)
    return sizes[len(sizes) // 2]


def _is_light(ch: Any) -> bool:
    """True for grey or pale text (watermarks, hints), from the fill colour."""
    color = getattr(ch.graphicstate, "ncolor", None)
    if isinstance(color, (int, float)):
        values = [float(color)]
    elif isinstance(color, (tuple, list)) and all(isinstance(v, (int, float)) for v in color):
        values = [float(v) for v in color]
    else:
        return False
    if len(values) == 4:  # CMYK: light when little ink
        return max(values) < 0.4
    if len(values) in (1, 3):
        return min(values) > 0.45
    return False


def _top(item: Item) -> float:
    return item.bbox[3]

"""Tables without full rulings, recovered from column alignment.

Lines holding two or more pieces of which one is an amount seed a table;
neighbouring lines join it while they stay close (headers above, rows without
amounts between).  Columns are the x-ranges that the seed rows leave empty;
lines closer together than the usual row pitch are one row whose cells
wrapped.  Such tables carry ``confidence`` < 1.  Blocks with few amounts (a
form, a list) are left as text: no structure is invented for them.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from budgetlint.document import Cell, Row
from budgetlint.location import Location
from budgetlint.readers.pdf.items import DraftTable, Item, TextLine
from budgetlint.readers.pdf.rulings import Segment
from budgetlint.readers.pdf.textlines import BBox, join_lines, union

CONFIDENCE = 0.5
LEADER = re.compile(r"[.…·]{4,}")  # dot leaders of a table of contents
AMOUNT = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
MIN_SEEDS = 3  # amounts a recovered table needs in one column
ALIGN = 1.5  # right edges this close are aligned
COLUMN_GAP = 0.3  # columns are set apart by at least this many text sizes
MIN_COLUMNS = 3
MIN_AMOUNT_SHARE = 0.1  # of the rows, at least this share must hold amounts
HEADER_GAP = 1.6  # header lines above the first amount row, at most this many sizes apart
ROW_GAP = 2.6  # rows of one table at most this many sizes apart
FORM_LABELS = 0.1  # a block where more than this share of lines holds "label:" text is a form
PURE_AMOUNTS = 0.7  # share of amounts among the filled cells of a column holding amounts
WRAP = 0.75  # lines closer than this share of the row pitch belong to one row


def recover_tables(
    path: str, page: int, items: list[Item], rules: Sequence[Segment] = (), carry: DraftTable | None = None
) -> list[Item]:
    """``items`` with runs of aligned text lines replaced by inferred tables.

    ``rules`` are the page's horizontal rulings (three-line tables: top, under
    the header, bottom); ``carry`` is an inferred table that ended the page
    before, whose columns a table opening this page may continue.
    """
    out: list[Item] = []
    run: list[TextLine] = []
    for item in items:
        if isinstance(item, TextLine):
            run.append(item)
            continue
        out += _recover(path, page, run, rules, carry if not out and not run else None)
        run = []
        out.append(item)
    return out + _recover(path, page, run, rules, carry if not out else None)


def _recover(
    path: str, page: int, lines: list[TextLine], rules: Sequence[Segment], carry: DraftTable | None
) -> list[Item]:
    found: list[tuple[int, int, DraftTable]] = []
    if carry is not None and lines and abs(lines[0].size - carry.text_size) <= 1.0:
        end = _extend_down(lines, 0, lines[0].size)
        table, used = _table(path, page, lines[:end], carry.xs)
        if table is not None:
            found.append((0, used, table))
    i = found[-1][1] if found else 0
    while i < len(lines):
        if _is_seed(lines[i]):
            start, end = _ruled_region(lines, i, rules) or _region(lines, i)
            start = max(start, found[-1][1] if found else 0)
            table, used = _table(path, page, lines[start:end])
            if table is not None:
                found.append((start, start + used, table))
            i = max(end, i + 1)  # a rejected block (a form) is rejected whole
            continue
        i += 1
    out: list[Item] = []
    pos = 0
    for start, end, table in found:
        out += lines[pos:start]
        out.append(table)
        pos = end
    return out + lines[pos:]


def _is_amount(text: str) -> bool:
    return AMOUNT.fullmatch(text) is not None


def _is_seed(line: TextLine) -> bool:
    """A line with an amount among two or more pieces (a table of contents entry is none)."""
    return len(line.pieces) >= 2 and any(_is_amount(p[2]) for p in line.pieces) and not LEADER.search(line.text)


def _ruled_region(lines: list[TextLine], seed: int, rules: Sequence[Segment]) -> tuple[int, int] | None:
    """The lines between the outer rules of a three-line table around ``seed``, if any."""
    line = lines[seed]
    around = [r for r in rules if r.start <= line.bbox[0] + 1 and r.end >= line.bbox[2] - 1]
    above = [r.pos for r in around if r.pos >= line.bbox[3]]
    below = [r.pos for r in around if r.pos <= line.bbox[1]]
    if not above or not below:
        return None
    same = [r for r in around if abs(r.start - around[0].start) < 3 and abs(r.end - around[0].end) < 3]
    if len(same) != len(around):
        return None
    top, bottom = max(above), min(below)
    inside = [i for i, ln in enumerate(lines) if bottom < (ln.bbox[1] + ln.bbox[3]) / 2 < top]
    return (inside[0], inside[-1] + 1) if inside else None


def _region(lines: list[TextLine], seed: int) -> tuple[int, int]:
    """The run of lines around ``seed`` that one table occupies: [start, end)."""
    size = lines[seed].size
    end = _extend_down(lines, seed, size)
    start = seed
    while start > 0:
        above = lines[start - 1]
        if not _tabular(above, size) or ":" in above.text:
            break  # a caption such as 单位:万元 is no header row
        if len(above.pieces) < 2 and not _close(above, lines[start], HEADER_GAP * size):
            break
        if not _close(above, lines[start], ROW_GAP * size):
            break
        start -= 1
    return start, end


def _extend_down(lines: list[TextLine], first: int, size: float) -> int:
    end = first + 1
    while end < len(lines) and _close(lines[end - 1], lines[end], ROW_GAP * size) and _tabular(lines[end], size):
        end += 1
    return end


def _close(upper: TextLine, lower: TextLine, gap: float) -> bool:
    return upper.bbox[1] - lower.bbox[3] <= gap


def _tabular(line: TextLine, size: float) -> bool:
    """A line that can be part of a table set in ``size``: not larger text, not a long sentence."""
    return line.size <= size + 1.0 and (len(line.pieces) >= 2 or len(line.text) <= 40)


def _table(path: str, page: int, lines: list[TextLine], columns: Sequence[float] = ()) -> tuple[DraftTable | None, int]:
    """The inferred table of ``lines`` and how many lines it takes (it ends where prose resumes).

    None for a block that is no table: a form, a list, too few aligned amounts.
    """
    seeds = [line for line in lines if _is_seed(line)]
    if not seeds or (not columns and _aligned_amounts(seeds) < MIN_SEEDS):
        return None, 0
    if columns:
        xs = list(columns)
    else:
        gaps = _gaps(lines)
        if len(gaps) + 1 < MIN_COLUMNS:
            return None, 0
        lines = _trim(lines, gaps)
        middles = [(a + b) / 2 for a, b in gaps]
        xs = [min(line.bbox[0] for line in lines), *middles, max(line.bbox[2] for line in lines)]
    labels = sum(1 for line in lines if ":" in line.text)
    if labels > FORM_LABELS * len(lines):
        return None, 0  # "label:" cells make a form, whose structure is not guessed
    groups = _row_groups(lines)
    if not columns and sum(1 for g in groups if any(_is_seed(line) for line in g)) < MIN_AMOUNT_SHARE * len(groups):
        return None, 0
    rows = [_row(path, page, group, xs) for group in groups]
    if not columns and not _pure_amount_columns(rows):
        return None, 0
    bbox = (xs[0], min(line.bbox[1] for line in lines), xs[-1], max(line.bbox[3] for line in lines))
    table = DraftTable(rows, bbox, page, xs, CONFIDENCE, text_size=statistics.median(line.size for line in seeds))
    return table, len(lines)


def _pure_amount_columns(rows: Sequence[Row]) -> bool:
    """Whether the columns holding amounts hold little else below the header (not so in forms)."""
    first = next((i for i, row in enumerate(rows) if any(_is_amount(t) for t in row.texts)), None)
    if first is None:
        return False
    body = rows[first:]
    for c in range(len(body[0].cells)):
        texts = [row.texts[c] for row in body if row.texts[c]]
        amounts = sum(1 for t in texts if _is_amount(t))
        if amounts >= 2 and amounts < PURE_AMOUNTS * len(texts):
            return False
    return True


def _trim(lines: list[TextLine], gaps: Sequence[tuple[float, float]]) -> list[TextLine]:
    """``lines`` up to the first line after the last amount row whose text bridges a column gap."""
    last_seed = max(i for i, line in enumerate(lines) if _is_seed(line))
    for i in range(last_seed + 1, len(lines)):
        if any(x0 < a and x1 > b for x0, x1, _ in lines[i].pieces for a, b in gaps):
            return lines[:i]
    return lines


def _aligned_amounts(seeds: Sequence[TextLine]) -> int:
    """The most amounts that share one right edge (amounts in a column are right-aligned)."""
    edges = sorted(p[1] for line in seeds for p in line.pieces if _is_amount(p[2]))
    best = 0
    lo = 0
    for hi, edge in enumerate(edges):
        while edge - edges[lo] > ALIGN:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def _gaps(lines: Sequence[TextLine]) -> list[tuple[float, float]]:
    """The x-ranges between columns: every gap wider than a third of the text size that no piece covers.

    Only rows with amounts and header rows of three or more pieces count: a
    two-piece line (a caption, a header spanning several columns) would
    bridge the gaps.  A piece of any other line that lies wholly beyond the
    last counted column is a column of its own (a header whose column is empty).
    """
    counted = [line for line in lines if _is_seed(line) or len(line.pieces) >= 3]
    spans = sorted((p[0], p[1]) for line in counted for p in line.pieces)
    least = COLUMN_GAP * statistics.median(line.size for line in counted)
    gaps = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 > reach + least:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    for x0, x1 in sorted(p[:2] for line in lines if line not in counted for p in line.pieces):
        if x0 > reach + least:
            gaps.append((reach, x0))
            reach = x1
    return gaps


def _row_groups(lines: list[TextLine]) -> list[list[TextLine]]:
    """Lines grouped into table rows: a cell's wrapped lines sit closer than the row pitch."""
    steps = [a.bbox[1] - b.bbox[1] for a, b in zip(lines, lines[1:], strict=False)]
    pitch = statistics.median(steps) if steps else lines[0].size * 2
    groups: list[list[TextLine]] = []
    for line in lines:
        if groups:
            group = groups[-1]
            near = group[-1].bbox[1] - line.bbox[1] < WRAP * pitch
            multi = sum(1 for g in group if len(g.pieces) > 1)
            if near and (len(line.pieces) == 1 or multi == 0):
                group.append(line)
                continue
        groups.append([line])
    return groups


def _row(path: str, page: int, group: list[TextLine], xs: list[float]) -> Row:
    ncols = len(xs) - 1
    texts: list[list[str]] = [[] for _ in range(ncols)]
    boxes: list[list[BBox]] = [[] for _ in range(ncols)]
    for line in group:
        for x0, x1, text in line.pieces:
            centre = (x0 + x1) / 2
            col = next((c for c in range(ncols) if centre < xs[c + 1]), ncols - 1)
            texts[col].append(text)
            boxes[col].append((x0, line.bbox[1], x1, line.bbox[3]))
    y0 = min(line.bbox[1] for line in group)
    y1 = max(line.bbox[3] for line in group)
    cells = []
    for c in range(ncols):
        bbox = union(boxes[c]) if boxes[c] else (xs[c], y0, xs[c + 1], y1)
        cells.append(Cell(join_lines(texts[c])[0], Location(path, page=page, bbox=bbox)))
    return Row(tuple(cells), Location(path, page=page, bbox=(xs[0], y0, xs[-1], y1)))

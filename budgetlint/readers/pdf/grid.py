"""Ruled tables: the cell grid that rulings draw, merged cells, and cell texts.

Rulings that cross each other form one table.  Its distinct x and y
positions give a grid; a grid edge with no ruling on it joins the two cells it
separates, which is how merged cells come out; where the side rulings run on
past the first or last rule (a table broken over pages), they bound one more
row.  The page then hands each char to the cell it falls in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from budgetlint.readers.pdf.rulings import Rulings, Segment
from budgetlint.readers.pdf.textlines import BBox, group_lines, join_lines, line_text, normalize

TOUCH = 2.0  # rulings this close are taken to meet
SAME_EDGE = 2.0  # grid positions closer than this are one
MIN_CELL = 4.0  # a grid row or column narrower than this is a drawing artefact


@dataclass
class GridCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox
    chars: list[Any] = field(default_factory=list)

    def content(self) -> tuple[str, float]:
        """The cell's text, and how far its first line starts right of the cell's left edge, in text sizes."""
        grouped = group_lines(self.chars)
        text = normalize(join_lines([line_text(line) for line in grouped])[0])
        first = next((ch for ch in grouped[0] if not ch.get_text().isspace()), None) if grouped else None
        if first is None or first.size <= 0:
            return text, 0.0
        return text, round(max(0.0, first.x0 - self.bbox[0]) / first.size, 1)


@dataclass
class Grid:
    """One ruled table on one page: grid positions and the (merged) cells."""

    xs: list[float]  # left to right
    ys: list[float]  # top to bottom
    anchors: list[list[GridCell]]  # anchors[r][c]: the cell covering grid position (r, c)
    neg_ys: list[float] = field(init=False, repr=False)  # -ys, ascending, for bisect

    def __post_init__(self) -> None:
        self.neg_ys = [-y for y in self.ys]

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[-1], self.xs[-1], self.ys[0])

    @property
    def nrows(self) -> int:
        return len(self.ys) - 1

    @property
    def ncols(self) -> int:
        return len(self.xs) - 1

    def has_text(self) -> bool:
        return any(cell.chars for row in self.anchors for cell in row)


def find_grids(rulings: Rulings) -> list[Grid]:
    """The ruled tables that ``rulings`` draw (at least two columns wide)."""
    grids = []
    for hs, vs in _components(rulings.horizontal, rulings.vertical):
        grid = _grid(hs, vs)
        if grid is not None:
            grids.append(grid)
    return grids


def _components(hs: list[Segment], vs: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of rulings connected by crossings (union-find over h × v)."""
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.start - TOUCH <= v.pos <= h.end + TOUCH and v.start - TOUCH <= h.pos <= v.end + TOUCH:
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


def _positions(values: list[float]) -> list[float]:
    values = sorted(values)
    out: list[float] = []
    for v in values:
        if out and v - out[-1] < SAME_EDGE:
            continue
        out.append(v)
    # drop slivers: a row/column narrower than MIN_CELL merges into its neighbour
    kept = [out[0]]
    for v in out[1:]:
        if v - kept[-1] >= MIN_CELL:
            kept.append(v)
        elif v == out[-1]:
            kept[-1] = v
    return kept


def _grid(hs: list[Segment], vs: list[Segment]) -> Grid | None:
    xs = _positions([v.pos for v in vs])
    ys = _open_edges(_positions([h.pos for h in hs])[::-1], vs, xs)
    if len(xs) < 3 or len(ys) < 2:
        return None
    vlines = _by_position(vs, xs)
    hlines = _by_position(hs, ys)
    nrows, ncols = len(ys) - 1, len(xs) - 1
    parent = list(range(nrows * ncols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(nrows):
        ymid = (ys[r] + ys[r + 1]) / 2
        for c in range(ncols):
            xmid = (xs[c] + xs[c + 1]) / 2
            if c + 1 < ncols and not _covered(vlines[c + 1], ymid):
                join(r * ncols + c, r * ncols + c + 1)
            if r + 1 < nrows and not _covered(hlines[r + 1], xmid):
                join(r * ncols + c, (r + 1) * ncols + c)
    extent: dict[int, list[int]] = {}
    for i in range(nrows * ncols):
        r, c = divmod(i, ncols)
        e = extent.setdefault(find(i), [r, c, r, c])
        e[0], e[1], e[2], e[3] = min(e[0], r), min(e[1], c), max(e[2], r), max(e[3], c)
    cells = {
        root: GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r1 + 1], xs[c1 + 1], ys[r0]))
        for root, (r0, c0, r1, c1) in extent.items()
    }
    anchors = [[cells[find(r * ncols + c)] for c in range(ncols)] for r in range(nrows)]
    return Grid(xs, ys, anchors)


def _open_edges(ys: list[float], vs: list[Segment], xs: list[float]) -> list[float]:
    """``ys`` with a table's open ends added: where both side rulings run on past the first or last rule.

    A table broken over pages often lacks the rule at the break; the row
    there is still bounded by the side rulings.
    """
    reach = []
    for x in (xs[0], xs[-1]):
        side = [v for v in vs if abs(v.pos - x) <= MIN_CELL]
        if not side or not ys:
            return ys
        reach.append((min(v.start for v in side), max(v.end for v in side)))
    bottom, top = max(r[0] for r in reach), min(r[1] for r in reach)
    if top - ys[0] >= MIN_CELL:
        ys = [top, *ys]
    if ys[-1] - bottom >= MIN_CELL:
        ys = [*ys, bottom]
    return ys


def _by_position(segments: list[Segment], positions: list[float]) -> list[list[Segment]]:
    out: list[list[Segment]] = [[] for _ in positions]
    for seg in segments:
        i = min(range(len(positions)), key=lambda k: abs(positions[k] - seg.pos))
        if abs(positions[i] - seg.pos) <= MIN_CELL:
            out[i].append(seg)
    return out


def _covered(segments: Sequence[Segment], at: float) -> bool:
    return any(s.start - TOUCH <= at <= s.end + TOUCH for s in segments)

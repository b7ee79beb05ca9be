"""Ruling lines: table borders from a page's lines, rectangles and thin curves.

Producers draw table borders in many ways: one line per grid line, a box per
cell (shared edges drawn twice, in short pieces), or thin filled rectangles.
All of them reduce here to merged horizontal and vertical segments.  Short
shapes drawn inside text (glyph outlines of fake-bold headings) are not
borders and are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

THIN = 2.5  # a shape at most this thick is a line
MIN_LENGTH = 1.5  # shorter pieces are noise
SAME_POSITION = 1.5  # collinear within this distance
JOIN_GAP = 2.5  # pieces this close along the line are one segment
BUCKET = 10.0  # height of the char buckets used to test "inside text"


class Segment(NamedTuple):
    """An axis-parallel segment: ``pos`` is y for horizontal ones, x for vertical ones."""

    pos: float
    start: float
    end: float


class Rulings(NamedTuple):
    horizontal: list[Segment]
    vertical: list[Segment]


def find_rulings(shapes: Iterable[Any], chars: Sequence[Any]) -> Rulings:
    """Merged horizontal and vertical rulings from pdfminer LTLine/LTRect/LTCurve shapes."""
    horizontal: list[Segment] = []
    vertical: list[Segment] = []
    suspects: list[tuple[list[Segment], Segment]] = []
    for shape in shapes:
        kind = type(shape).__name__
        x0, y0, x1, y1 = shape.x0, shape.y0, shape.x1, shape.y1
        w, h = x1 - x0, y1 - y0
        if h <= THIN and w >= MIN_LENGTH:
            target, seg = horizontal, Segment((y0 + y1) / 2, x0, x1)
        elif w <= THIN and h >= MIN_LENGTH:
            target, seg = vertical, Segment((x0 + x1) / 2, y0, y1)
        elif kind == "LTRect" and shape.stroke and w > THIN and h > THIN:
            horizontal += (Segment(y0, x0, x1), Segment(y1, x0, x1))
            vertical += (Segment(x0, y0, y1), Segment(x1, y0, y1))
            continue
        else:
            continue
        if kind == "LTLine":
            target.append(seg)
        else:
            suspects.append((target, seg))
    if suspects:
        inside = _TextIndex(chars)
        for target, seg in suspects:
            if not inside.covers(seg, target is horizontal):
                target.append(seg)
    return Rulings(merge(horizontal), merge(vertical))


def merge(segments: list[Segment]) -> list[Segment]:
    """Collinear, touching or overlapping segments merged into one."""
    segments.sort()
    merged: list[Segment] = []
    group: list[Segment] = []
    for seg in segments:
        if group and seg.pos - group[0].pos > SAME_POSITION:
            merged += _merge_collinear(group)
            group = []
        group.append(seg)
    if group:
        merged += _merge_collinear(group)
    return merged


def _merge_collinear(group: list[Segment]) -> list[Segment]:
    pos = sum(s.pos for s in group) / len(group)
    group.sort(key=lambda s: s.start)
    out: list[Segment] = []
    start, end = group[0].start, group[0].end
    for seg in group[1:]:
        if seg.start <= end + JOIN_GAP:
            end = max(end, seg.end)
        else:
            out.append(Segment(pos, start, end))
            start, end = seg.start, seg.end
    out.append(Segment(pos, start, end))
    return out


class _TextIndex:
    """Char boxes bucketed by height, to test whether a shape lies inside text."""

    def __init__(self, chars: Sequence[Any]) -> None:
        self.buckets: dict[int, list[tuple[float, float, float, float]]] = {}
        for ch in chars:
            # shrink the box: a border may touch text, a glyph outline lies well inside it
            dx, dy = (ch.x1 - ch.x0) * 0.1, (ch.y1 - ch.y0) * 0.1
            box = (ch.x0 + dx, ch.y0 + dy, ch.x1 - dx, ch.y1 - dy)
            for b in range(int(box[1] // BUCKET), int(box[3] // BUCKET) + 1):
                self.buckets.setdefault(b, []).append(box)

    def covers(self, seg: Segment, horizontal: bool) -> bool:
        mid = (seg.start + seg.end) / 2
        x, y = (mid, seg.pos) if horizontal else (seg.pos, mid)
        for x0, y0, x1, y1 in self.buckets.get(int(y // BUCKET), ()):
            if x0 <= x <= x1 and y0 <= y <= y1:
                return True
        return False

"""Text hidden by a clipping path is not read.

pdfminer.six ignores clipping paths (``W n``), so text a viewer never shows
is read as if it were there.  Spreadsheet exports rely on clipping: a long
cell is drawn whole and clipped to its box, and a page may draw text meant
for the next page, clipped away at its bottom edge.  Read unclipped, such
text repeats on two pages or runs into the neighbouring cell.

:class:`ClippingInterpreter` keeps the clip, as the bounding box of the
clipping paths in page space, in the graphics state (saved by ``q``, restored
by ``Q``, unchanged by a form XObject); :class:`ClippedAggregator` drops each
char whose centre lies outside it.
"""

from __future__ import annotations

from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.utils import apply_matrix_pt

from budgetlint.readers.pdf.content import ContentInterpreter

BBox = tuple[float, float, float, float]
SLACK = 1.0  # points a char's centre may lie outside the clip (rounding in the producer)


class ClippedAggregator(PDFPageAggregator):
    """pdfminer.six's aggregator, keeping only the chars inside the current clip."""

    clip: BBox | None = None

    def render_char(self, *args: Any) -> float:
        advance = super().render_char(*args)
        if self.clip is not None:
            chars = self.cur_item._objs  # the char just added: pdfminer offers no other handle on it
            if not _inside(chars[-1].bbox, self.clip):
                chars.pop()
        return advance


class ClippingInterpreter(ContentInterpreter):
    """The content interpreter, also keeping the device's clip as part of the graphics state."""

    device: ClippedAggregator

    def process_page(self, page: Any) -> None:
        self.device.clip = None
        super().process_page(page)

    def do_W(self) -> None:
        """Intersect the clip with the current path (the path is painted, or not, by the next operator)."""
        points = [apply_matrix_pt(self.ctm, segment[i : i + 2]) for segment in self.curpath
                  for i in range(1, len(segment) - 1, 2)]
        if not points:
            return
        xs, ys = [x for x, _ in points], [y for _, y in points]
        path = (min(xs), min(ys), max(xs), max(ys))
        clip = self.device.clip
        self.device.clip = path if clip is None else _intersection(clip, path)

    do_W_a = do_W  # even-odd or non-zero winding: the same bounding box

    def get_current_state(self) -> Any:
        return (*super().get_current_state(), self.device.clip)

    def set_current_state(self, state: Any) -> None:
        super().set_current_state(state[:3])
        self.device.clip = state[3] if len(state) > 3 else None

    def do_Do(self, xobjid: Any) -> None:
        clip = self.device.clip  # a form XObject is drawn inside an implicit q … Q
        super().do_Do(xobjid)
        self.device.clip = clip


def _inside(box: BBox, clip: BBox) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return clip[0] - SLACK <= x <= clip[2] + SLACK and clip[1] - SLACK <= y <= clip[3] + SLACK


def _intersection(a: BBox, b: BBox) -> BBox:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, max(x0, x1), max(y0, y1))

"""Render a document of the reference's text form (# headings, tab-separated table rows) as a ruled PDF.

A plain renderer for tests: headings in larger type, paragraphs wrapped to
the page, each table a grid of ruled cells (amounts right-aligned) that
carries on to the next page when it must.  It lets a text fixture be
checked through the PDF reader too.
"""

from __future__ import annotations

import io
import re

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
MARGIN = 50.0
WIDTH = A4[0] - 2 * MARGIN
HEADING_SIZES = {1: 16.0, 2: 14.0, 3: 12.0}
TEXT_SIZE = 10.5
AMOUNT = re.compile(r"-?[\d,]+(\.\d+)?%?")
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def render(text: str) -> bytes:
    """The PDF of ``text``."""
    buffer = io.BytesIO()
    page = _Page(canvas.Canvas(buffer, pagesize=A4))
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" in line:
            end = index
            while end < len(lines) and "\t" in lines[end]:
                end += 1
            page.table([row.split("\t") for row in lines[index:end]])
            index = end
            continue
        if line.startswith("#"):
            marks = len(line) - len(line.lstrip("#"))
            page.paragraph(line.lstrip("#").strip(), HEADING_SIZES.get(marks, 12.0))
        elif line.strip():
            page.paragraph(line.strip(), TEXT_SIZE)
        index += 1
    page.canvas.save()
    return buffer.getvalue()


class _Page:
    def __init__(self, pdf: canvas.Canvas) -> None:
        self.canvas = pdf
        self.y = A4[1] - MARGIN

    def room(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.canvas.showPage()
            self.y = A4[1] - MARGIN

    def paragraph(self, text: str, size: float) -> None:
        line = ""
        for char in text:
            if pdfmetrics.stringWidth(line + char, FONT, size) > WIDTH:
                self._line(line, size)
                line = ""
            line += char
        self._line(line, size)
        self.y -= size * 0.6

    def _line(self, text: str, size: float) -> None:
        self.room(size * 1.5)
        self.y -= size * 1.5
        self.canvas.setFont(FONT, size)
        self.canvas.drawString(MARGIN, self.y, text)

    def table(self, rows: list[list[str]]) -> None:
        columns = max(len(row) for row in rows)
        indents = [[len(cell) - len(cell.lstrip("\u3000")) for cell in row] + [0] * (columns - len(row)) for row in rows]
        rows = [[cell.strip("\u3000 ") for cell in row] + [""] * (columns - len(row)) for row in rows]
        size = 9.0
        widths = self._widths(rows, indents, columns, size)
        while sum(widths) > WIDTH and size > 5:
            size -= 0.5
            widths = self._widths(rows, indents, columns, size)
        widths = [w * WIDTH / sum(widths) for w in widths]
        height = size * 2
        for row, indent_row in zip(rows, indents, strict=True):
            self.room(height)
            top, x = self.y, MARGIN
            self.canvas.setFont(FONT, size)
            for width, cell, indent in zip(widths, row, indent_row, strict=True):
                self.canvas.rect(x, top - height, width, height, stroke=1, fill=0)
                if AMOUNT.fullmatch(cell):
                    self.canvas.drawRightString(x + width - 3, top - height + size * 0.6, cell)
                else:  # leading full-width spaces indent the text by as many characters
                    self.canvas.drawString(x + 3 + indent * size, top - height + size * 0.6, cell)
                x += width
            self.y -= height
        self.y -= TEXT_SIZE

    @staticmethod
    def _widths(rows: list[list[str]], indents: list[list[int]], columns: int, size: float) -> list[float]:
        return [
            max(pdfmetrics.stringWidth(row[c], FONT, size) + indent[c] * size for row, indent in zip(rows, indents, strict=True)) + 8
            for c in range(columns)
        ]

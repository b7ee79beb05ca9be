"""The text reader: plain-text budget documents in two forms.

*Marked* text (the form of the reference document) states its structure:
``#`` headings, TAB-separated table rows, and a blank line between two table
rows for a page break inside a table.  Everything else is one paragraph per
line.  A source is read as marked text if any line holds a TAB or starts with
``#`` and a space.

*Plain* page text, as pdftotext or pdfplumber write it, states only pages
(form feeds).  There, wrapped lines are joined into paragraphs and lines that
look like table rows (several amounts, or columns set apart by runs of
spaces) become tables of inferred structure (``confidence`` 0.5).

Both forms drop the inline emphasis markup ``<b>``, ``</b>`` and ``**``, and
HTML comments (which carry ``budgetlint: ignore`` directives), while keeping
every location pointing at the source characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from budgetlint.document import Block, Cell, Document, Heading, Page, Paragraph, Row, Table, TextSpan
from budgetlint.encoding import decode
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location, span
from budgetlint.readers import Reader, ReadError, Source

INFERRED_CONFIDENCE = 0.5
MARKUP = re.compile(r"</?b>|\*\*|<!--.*?-->")
MARKED_HEADING = re.compile(r"#+\s")
HEADING = re.compile(r"#+")
# Plain-text heuristics.
AMOUNT = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)%?")
PROSE_PUNCTUATION = re.compile(r"[，。；！？]")
LAYOUT_GAP = re.compile(r"\S\s{2,}\S")
LAYOUT_CELL = re.compile(r"\S+(?: \S+)*")
WORD_CELL = re.compile(r"\S+")
BLOCK_START = re.compile(
    r"\s*(?:第[一二三四五六七八九十百零〇\d]+[部分章节条]"
    r"|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}[、．.](?!\d)"
    r"|[-—\s]*\d{1,4}[-—\s]*$)"  # a page number on a line of its own
)
PARAGRAPH_END = tuple("。！？；：")
CLOSING_QUOTES = "”’」』）)"
SHORT_LINE = 0.8  # a line narrower than this share of the text width ends its paragraph
PDF_MAGIC = b"%PDF-"


@hookimpl
def budgetlint_readers() -> list[Reader]:
    return [Reader(name="text", suffixes=(".txt", ".text", ".md"), sniff=sniff, read=read)]


def sniff(head: bytes) -> bool:
    """True if ``head`` (the first bytes of a source) decodes as text.

    The head may end inside a multi-byte character, so up to three trailing
    bytes are allowed to be cut off.
    """
    if PDF_MAGIC in head[:1024]:
        return False
    for cut in range(min(4, len(head) + 1)):
        try:
            decode(head[: len(head) - cut])
        except ReadError:
            continue
        return True
    return False


def read(source: Source) -> Document:
    """Read a text source into the document model (``ReadError`` if it is not text)."""
    text, encoding = decode(source.data)
    lines = split_lines(text)
    pieces = _pieces(lines)
    parse = _parse_marked if _is_marked(pieces) else _parse_plain
    return Document(
        path=source.path,
        pages=parse(source.path, pieces),
        source_kind="text",
        encoding=encoding,
        source_lines=lines,
    )


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` as an editor numbers them (LF, CRLF or CR; form feeds stay in)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return lines


# --- physical lines -------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """The part of one source line that lies on one page.

    ``offset`` is where ``text`` starts in the source line (0-based); a line
    holding form feeds is cut into one piece per page.
    """

    number: int
    page: int
    offset: int
    text: str

    def tail(self, start: int) -> _Piece:
        """The piece from ``text[start]`` on."""
        return replace(self, offset=self.offset + start, text=self.text[start:])

    def location(self, path: str, start: int, end: int) -> Location:
        """The location of ``text[start:end]``."""
        return Location(
            path,
            page=self.page,
            line=self.number,
            column=self.offset + start + 1,
            end_line=self.number,
            end_column=self.offset + end + 1,
        )


def _pieces(lines: list[str]) -> list[_Piece]:
    pieces = []
    page = 1
    for number, line in enumerate(lines, start=1):
        offset = 0
        for i, part in enumerate(line.split("\f")):
            if i:
                page += 1
            pieces.append(_Piece(number, page, offset, part))
            offset += len(part) + 1
    return pieces


def _runs(text: str, start: int, end: int) -> list[tuple[int, str]]:
    """``text[start:end]`` without emphasis markup and outer whitespace, as (offset, run) pairs."""
    runs = []
    position = start
    for match in MARKUP.finditer(text, start, end):
        runs.append((position, text[position : match.start()]))
        position = match.end()
    runs.append((position, text[position:end]))
    runs = [run for run in runs if run[1]]
    while runs and not runs[0][1].strip():
        runs.pop(0)
    while runs and not runs[-1][1].strip():
        runs.pop()
    if runs:
        offset, first = runs[0]
        runs[0] = (offset + len(first) - len(first.lstrip()), first.lstrip())
        offset, last = runs[-1]
        runs[-1] = (offset, last.rstrip())
    return runs


def _cell(path: str, piece: _Piece, start: int, end: int) -> Cell:
    runs = _runs(piece.text, start, end)
    if not runs:
        return Cell("", piece.location(path, start, start))
    first, (last, last_text) = runs[0][0], runs[-1]
    indent = _indent(MARKUP.sub("", piece.text[start:first]))
    return Cell("".join(text for _, text in runs), piece.location(path, first, last + len(last_text)), indent=indent)


def _indent(blank: str) -> float:
    """The width of a cell's leading blanks in characters: a full-width space is one, a space half of one."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "FW" else 0.5 for c in blank if c.isspace())


def _row(cells: list[Cell]) -> Row:
    return Row(tuple(cells), span(cells[0].location, cells[-1].location))


def _table(rows: list[Row], confidence: float) -> Table:
    return Table(tuple(rows), span(rows[0].location, rows[-1].location), confidence)


def _text_span(path: str, pieces: list[_Piece]) -> TextSpan | None:
    """The markup-free text of ``pieces`` (wrapped lines, joined), or None if empty."""
    text, starts, locations = "", [], []
    for piece in pieces:
        runs = _runs(piece.text, 0, len(piece.text))
        if runs and text:
            text += _joiner(text[-1], runs[0][1][0])
        for offset, run in runs:
            starts.append(len(text))
            locations.append(piece.location(path, offset, offset + len(run)))
            text += run
    if not locations:
        return None
    return TextSpan(text, tuple(starts), tuple(locations))


def _joiner(before: str, after: str) -> str:
    """What joins two wrapped lines: nothing next to a CJK character, else a space."""
    return "" if _is_wide(before) or _is_wide(after) else " "


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _width(text: str) -> int:
    """Display width: CJK characters count double."""
    return sum(2 if _is_wide(ch) else 1 for ch in text)


class _Pages:
    """Collects blocks by the page they start on; counts pages up to the last one used."""

    def __init__(self) -> None:
        self.blocks: dict[int, list[Block]] = {}
        self.count = 1

    def add(self, block: Block | None) -> None:
        if block is None:
            return
        first = block.location.page or 1
        last = (block.rows[-1].location.page or first) if isinstance(block, Table) else first
        self.blocks.setdefault(first, []).append(block)
        self.count = max(self.count, last)

    def pages(self) -> list[Page]:
        return [Page(n, self.blocks.get(n, [])) for n in range(1, self.count + 1)]


# --- marked text ----------------------------------------------------------


def _is_marked(pieces: list[_Piece]) -> bool:
    return any("\t" in p.text or MARKED_HEADING.match(p.text) for p in pieces)


def _parse_marked(path: str, pieces: list[_Piece]) -> list[Page]:
    pages = _Pages()
    rows: list[Row] = []
    gap = False  # a blank line since the last table row
    shift = 0  # page breaks stated by blank lines inside tables
    for piece in pieces:
        piece = replace(piece, page=piece.page + shift)
        if "\t" in piece.text and not piece.text.startswith("#"):
            if rows and gap and piece.page == rows[-1].location.page:
                shift += 1
                piece = replace(piece, page=piece.page + 1)
            rows.append(_tab_row(path, piece))
            gap = False
        elif not piece.text.strip():
            gap = True
        else:
            if rows:
                pages.add(_table(rows, 1.0))
                rows = []
            pages.add(_marked_block(path, piece))
    if rows:
        pages.add(_table(rows, 1.0))
    return pages.pages()


def _tab_row(path: str, piece: _Piece) -> Row:
    cells = []
    start = 0
    for part in piece.text.split("\t"):
        cells.append(_cell(path, piece, start, start + len(part)))
        start += len(part) + 1
    return _row(cells)


def _marked_block(path: str, piece: _Piece) -> Heading | Paragraph | None:
    hashes = HEADING.match(piece.text)
    if hashes:
        text_span = _text_span(path, [piece.tail(hashes.end())])
        return Heading(text_span, len(hashes.group())) if text_span else None
    text_span = _text_span(path, [piece])
    return Paragraph(text_span) if text_span else None


# --- plain page text ------------------------------------------------------

BLANK, ROW, TEXT = "blank", "row", "text"


def _parse_plain(path: str, pieces: list[_Piece]) -> list[Page]:
    pages = _Pages()
    for block in _plain_blocks(path, pieces, _text_width(pieces)):
        pages.add(block)
    return pages.pages()


def _plain_blocks(path: str, pieces: list[_Piece], width: int) -> Iterator[Block | None]:
    """Group consecutive lines of one kind on one page into blocks."""
    group: list[_Piece] = []
    kind = BLANK
    for piece in pieces:
        current = _plain_kind(piece.text, in_table=kind == ROW)
        if group and _breaks(group[-1], kind, piece, current, width):
            yield _plain_block(path, kind, group)
            group = []
        if current != BLANK:
            group.append(piece)
        kind = current
    if group:
        yield _plain_block(path, kind, group)


def _plain_kind(text: str, in_table: bool) -> str:
    text = text.strip()
    if not text:
        return BLANK
    return ROW if _is_table_line(text, in_table) else TEXT


def _is_table_line(text: str, in_table: bool) -> bool:
    """Several amounts, or at least three columns set apart by runs of spaces; never prose."""
    if PROSE_PUNCTUATION.search(text):
        return False
    words = text.split()
    amounts = sum(1 for word in words if AMOUNT.fullmatch(word))
    if amounts >= 2 or (in_table and amounts and len(words) >= 2):
        return True
    return bool(LAYOUT_GAP.search(text)) and len(LAYOUT_CELL.findall(text)) >= 3


def _breaks(previous: _Piece, kind: str, piece: _Piece, current: str, width: int) -> bool:
    """Whether ``piece`` starts a new block after ``previous``."""
    if current != kind or piece.page != previous.page:
        return True
    return kind == TEXT and (bool(BLOCK_START.match(piece.text)) or _ends_paragraph(previous.text, width))


def _ends_paragraph(text: str, width: int) -> bool:
    text = text.rstrip()
    return text.rstrip(CLOSING_QUOTES).endswith(PARAGRAPH_END) or _width(text) < SHORT_LINE * width


def _text_width(pieces: list[_Piece]) -> int:
    """The width of a full line of running text (90th percentile of prose line widths)."""
    lines = [p.text.rstrip() for p in pieces if p.text.strip()]
    prose = [line for line in lines if PROSE_PUNCTUATION.search(line)] or lines
    widths = sorted(_width(line) for line in prose)
    return widths[int(0.9 * (len(widths) - 1))] if widths else 0


def _plain_block(path: str, kind: str, group: list[_Piece]) -> Block | None:
    if kind == ROW:
        return _table([_space_row(path, piece) for piece in group], INFERRED_CONFIDENCE)
    text_span = _text_span(path, group)
    return Paragraph(text_span) if text_span else None


def _space_row(path: str, piece: _Piece) -> Row:
    pattern = LAYOUT_CELL if LAYOUT_GAP.search(piece.text) else WORD_CELL
    return _row([_cell(path, piece, m.start(), m.end()) for m in pattern.finditer(piece.text)])

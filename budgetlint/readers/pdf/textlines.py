"""Characters to text: lines on one baseline, spacing, CJK runs, NFKC.

Works on pdfminer ``LTChar`` objects (duck-typed: ``x0 y0 x1 y1 size
get_text()``) without creating an object per character.  Spaces follow the
rules of Chinese typesetting: never inside a CJK run, kept between Latin
words, and never inside a number such as ``1,491.74``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

Char = Any  # a pdfminer LTChar
BBox = tuple[float, float, float, float]

SPACE_GAP = 0.3  # a gap wider than this share of the font size reads as a space
LINE_OVERLAP = 0.5  # chars whose vertical centres differ by less than this share of their height share a line
NUMERIC = frozenset("0123456789,.")


def is_cjk(ch: str) -> bool:
    """True for ideographs, CJK punctuation, kana, hangul and full-width forms."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0xAC00 <= o <= 0xD7AF
        or 0x20000 <= o <= 0x3FFFF
    )


def group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Chars grouped into lines, top to bottom, each sorted left to right."""
    if not chars:
        return []
    ordered = sorted(chars, key=_centre, reverse=True)
    lines: list[list[Char]] = []
    current: list[Char] = []
    ref = half = 0.0
    for ch in ordered:
        mid = (ch.y0 + ch.y1) / 2
        if current and ref - mid <= half:
            current.append(ch)
            continue
        if current:
            lines.append(current)
        current = [ch]
        ref = mid
        half = max(ch.y1 - ch.y0, 1.0) * LINE_OVERLAP
    lines.append(current)
    for line in lines:
        line.sort(key=_left)
    return _rejoin_punctuation(lines)


def _rejoin_punctuation(lines: list[list[Char]]) -> list[list[Char]]:
    """Lines of punctuation alone put back into the line of text they share a baseline with.

    Chars are grouped by their boxes, which a font's descent places; a font
    with a wrong descent puts its glyphs' boxes above or below the text they
    are set in.  A document that sets its punctuation in such a font would
    otherwise lose its marks from every line and show them as lines of their
    own (",,。"), which the page does not show.
    """
    if len(lines) < 2:
        return lines
    marks = [_punctuation_only(line) for line in lines]
    if not any(marks):
        return lines
    text_lines = [line for line, mark in zip(lines, marks, strict=True) if not mark]
    kept = []
    for line, mark in zip(lines, marks, strict=True):
        host = _baseline_host(line, text_lines) if mark else None
        if host is None:
            kept.append(line)
        else:
            host.extend(line)
            host.sort(key=_left)
    return kept


def _punctuation_only(line: Sequence[Char]) -> bool:
    """True if every char of the line that is not a space is a punctuation mark."""
    marks = False
    for ch in line:
        text = ch.get_text()
        if text.isspace():
            continue
        if unicodedata.category(text[0])[0] != "P":
            return False
        marks = True
    return marks


def _baseline_host(line: Sequence[Char], text_lines: Sequence[list[Char]]) -> list[Char] | None:
    """The text line whose baseline the punctuation's is (within a fifth of its size) and whose extent holds it."""
    mark = line[0]
    for host in text_lines:
        first = host[0]
        if abs(_baseline(first) - _baseline(mark)) <= 0.2 * mark.size and first.x0 - mark.size <= mark.x0 <= host[-1].x1 + mark.size:
            return host
    return None


def _baseline(ch: Char) -> float:
    """The y of the char's origin (pdfminer's text matrix), where the box says nothing of the baseline."""
    matrix = getattr(ch, "matrix", None)
    return matrix[5] if matrix else ch.y0


def line_text(chars: Sequence[Char]) -> str:
    """The raw text of one line of chars (sorted left to right), spaces decided by the gaps."""
    out: list[str] = []
    prev = None
    prev_text = ""
    pending_space = False
    for ch in chars:
        text = ch.get_text()
        if text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None:
            if text == prev_text and abs(ch.x0 - prev.x0) < 0.3 * (ch.x1 - ch.x0):
                continue  # the same glyph drawn twice (fake bold)
            if pending_space:
                if not (is_cjk(prev_text[-1]) and is_cjk(text[0])):
                    out.append(" ")
            elif ch.x0 - prev.x1 > SPACE_GAP * ch.size and not (is_cjk(prev_text[-1]) or is_cjk(text[0])):
                out.append(" ")
        out.append(text)
        prev = ch
        prev_text = text
        pending_space = False
    return "".join(out)


def join_lines(texts: Sequence[str]) -> tuple[str, list[int]]:
    """Wrapped lines joined into one text, with the offset where each line starts."""
    out = ""
    starts: list[int] = []
    for text in texts:
        if out and text:
            out += joiner(out[-1], text[0])
        starts.append(len(out))
        out += text
    return out, starts


def joiner(before: str, after: str) -> str:
    """What joins two wrapped lines: a space between words, none in CJK text or a number.

    A Latin word next to CJK text keeps its space (规范 and 加强), as Chinese
    text sets it; digits do not (41项).
    """
    if _latin_letter(before) or _latin_letter(after):
        return "" if before == "-" else " "
    if is_cjk(before) or is_cjk(after) or _numeric_pair(before, after) or before == "-":
        return ""
    return " "


def _latin_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def normalize(text: str) -> str:
    """NFKC, with whitespace runs collapsed to one space and none at either end."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def union(boxes: Sequence[BBox]) -> BBox:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def chars_bbox(chars: Sequence[Char]) -> BBox:
    return (
        min(c.x0 for c in chars),
        min(c.y0 for c in chars),
        max(c.x1 for c in chars),
        max(c.y1 for c in chars),
    )


def _numeric_pair(before: str, after: str) -> bool:
    return before in NUMERIC and after in NUMERIC and (before.isdigit() or after.isdigit())


def _centre(ch: Char) -> float:
    return ch.y0 + ch.y1


def _left(ch: Char) -> float:
    return ch.x0

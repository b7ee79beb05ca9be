"""Page content streams read with one regular expression instead of pdfminer's byte-state machine.

pdfminer.six spends about two thirds of a page in ``PDFContentParser``: it
walks every byte through a chain of small parse methods and logs each token.
:class:`ContentInterpreter` is pdfminer's own ``PDFPageInterpreter`` (same
graphics state, fonts, device and operators) with only the tokenizer swapped:
:func:`content_objects` yields the very objects ``PDFContentParser`` yields,
one at a time, and the operators are dispatched from a per-page table.

Parity is the contract (tests/test_pdf_content.py checks it object by object
and glyph by glyph on every PDF at hand).  A stream that may hold an inline
image, whose binary data only pdfminer's parser delimits as pdfminer does, is
handed back to pdfminer's own interpreter whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psexceptions import PSSyntaxError
from pdfminer.psparser import KWD, LIT, PSKeyword, keyword_name, literal_name
from pdfminer.utils import choplist

# One token per match, after whitespace and NUL bytes; the group that matched says which kind
# (PDF 32000-1 §7.2 lexical conventions, as pdfminer.six's PSBaseParser reads them).
TOKEN = re.compile(
    rb"[\s\x00]*(?:"
    rb"([+-]?\d+\.?\d*|[+-]?\.\d+)"  # 1 number
    rb"|/([^/%\[\]()<>{}\s]*)"  # 2 name (# escapes decoded later)
    rb"|([A-Za-z][^#/%\[\]()<>{}\s]*)"  # 3 keyword, true, false
    rb"|(\()"  # 4 literal string
    rb"|(<<|>>|[\[\]{}])"  # 5 dictionary, array, procedure brackets
    rb"|<([0-9A-Fa-f\s]*)"  # 6 hex string, ended by whatever follows it
    rb"|(%[^\r\n]*|[+-]\.?|\.|>)"  # 7 a comment, a lone sign or dot, a lone '>': nothing
    rb"|([^\s\x00])"  # 8 any other byte: a one-byte keyword
    rb")",
    re.DOTALL,
)
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{0,2})")
ESCAPE_AT_END = re.compile(rb"#[0-9A-Fa-f]{0,2}\Z")
HEX_PAIR = re.compile(rb"[0-9a-fA-F]{2}|.", re.DOTALL)
SPACE = re.compile(rb"\s")
STRING_STOP = re.compile(rb"[()\\]")
ESCAPES = {
    ord("b"): 8,
    ord("t"): 9,
    ord("n"): 10,
    ord("f"): 12,
    ord("r"): 13,
    ord("("): 40,
    ord(")"): 41,
    ord("\\"): 92,
}
OCTAL = b"01234567"
CLOSERS = {b"]": "a", b">>": "d", b"}": "p"}
OPENERS = {b"[": "a", b"<<": "d", b"{": "p"}
INLINE_IMAGE, IMAGE_DATA = KWD(b"BI"), KWD(b"ID")
DROPPED = object()


class Unsupported(Exception):
    """The stream holds an inline image: only pdfminer's own parser reads its data (see :func:`has_inline_image`)."""


def has_inline_image(data: bytes) -> bool:
    """Whether ``data`` may hold an inline image (``BI … ID … EI``); a false alarm only costs speed."""
    return b"BI" in data


def content_objects(data: bytes) -> Iterator[Any]:
    """The top-level objects and operators of a content stream, in order, as pdfminer.six's parser yields them.

    Arrays, dictionaries and procedures come out whole; an unmatched closing
    bracket is dropped, and whatever an unclosed bracket or string holds at the
    end of the stream is lost, as there.  Raises :class:`Unsupported` at an
    inline image, and ``PSSyntaxError`` where pdfminer.six fails too.
    """
    current: list[Any] = []  # the innermost open bracket's objects
    open_kinds: list[tuple[str, list[Any]]] = []  # (kind, the enclosing list) per open bracket
    kind = ""
    position, end = 0, len(data)
    match = TOKEN.match
    while position < end:
        token = match(data, position)
        if token is None:  # only trailing whitespace, or an unterminated hex string
            return
        position = token.end()
        group = token.lastindex
        if group == 1:
            value = _number(token.group(1))
        elif group == 2:
            if position == end and ESCAPE_AT_END.search(token.group(2)):
                return  # pdfminer loses a name whose # escape the stream cuts short
            value = _name(token.group(2))
        elif group == 3:
            value = _word(token.group(3))
        elif group == 4:
            parsed = _string(data, position)
            if parsed is None:
                return
            value, position = parsed
        elif group == 5:
            bracket = token.group(5)
            if bracket in OPENERS:
                open_kinds.append((kind, current))
                kind, current = OPENERS[bracket], []
                continue
            if CLOSERS[bracket] != kind:
                continue
            value = _dictionary(current) if kind == "d" else current
            kind, current = open_kinds.pop()
        elif group == 6:
            if position == end:  # not ended before the stream is
                return
            value = _hex_string(token.group(6))
        elif group == 8:
            value = KWD(token.group(8))
        else:
            continue
        if value is DROPPED:
            continue
        if open_kinds:
            current.append(value)
        else:
            yield value


def _number(text: bytes) -> Any:
    if b"." in text:
        return float(text)
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits): pdfminer drops it too
        return DROPPED


def _word(word: bytes) -> Any:
    if word == b"true" or word == b"false":
        return word == b"true"
    keyword = KWD(word)
    if keyword is INLINE_IMAGE:
        raise Unsupported("inline image")
    return DROPPED if keyword is IMAGE_DATA else keyword  # ID outside an inline image: pdfminer drops it


def _name(raw: bytes) -> Any:
    if b"#" in raw:
        raw = NAME_ESCAPE.sub(
            lambda escape: bytes((int(escape.group(1), 16),)) if escape.group(1) else b"",
            raw,
        )
    try:
        return LIT(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return LIT(raw)


def _hex_string(digits: bytes) -> bytes:
    try:
        return bytes.fromhex(digits.decode("ascii"))
    except ValueError:  # an odd digit count, or a pair split by a space: pdfminer pairs what is left
        return HEX_PAIR.sub(lambda pair: bytes((int(pair.group(0), 16),)), SPACE.sub(b"", digits))


def _dictionary(items: list[Any]) -> dict[str, Any]:
    if len(items) % 2:
        raise PSSyntaxError(f"Invalid dictionary construct: {items!r}")
    return {literal_name(key): value for key, value in choplist(2, items) if value is not None}


def _string(data: bytes, position: int) -> tuple[bytes, int] | None:
    """The literal string that starts at ``position`` (after its '(') and where it ends."""
    stop = STRING_STOP.search(data, position)
    if stop is None:
        return None
    if data[stop.start()] == 0x29:  # ')' before any '(' or '\\': the common case
        return data[position : stop.start()], stop.end()
    value = bytearray()
    depth = 1
    while stop is not None:
        value += data[position : stop.start()]
        position = stop.end()
        char = data[stop.start()]
        if char == 0x28:  # '('
            depth += 1
            value.append(char)
        elif char == 0x29:  # ')'
            depth -= 1
            if not depth:
                return bytes(value), position
            value.append(char)
        else:
            position = _escape(data, position, value)
        stop = STRING_STOP.search(data, position)
    return None


def _escape(data: bytes, position: int, value: bytearray) -> int:
    """Append what the backslash before ``position`` stands for; where reading goes on."""
    digits = 0
    while digits < 3 and position + digits < len(data) and data[position + digits] in OCTAL:
        digits += 1
    if digits:
        code = int(data[position : position + digits], 8)
        if code > 255:
            raise PSSyntaxError(f"Invalid octal {data[position : position + digits]!r} ({code})")
        value.append(code)
        return position + digits
    if position >= len(data):
        return position
    char = data[position]
    if char in ESCAPES:
        value.append(ESCAPES[char])
    elif data[position : position + 2] == b"\r\n":
        return position + 2
    return position + 1  # a line break after '\\' is a continuation; any other byte is dropped with it


class ContentInterpreter(PDFPageInterpreter):
    """pdfminer.six's page interpreter reading content streams with :func:`content_objects`."""

    def execute(self, streams: Sequence[object]) -> None:
        data = b"\n".join(stream.get_data() for stream in self._runnable(streams))
        if has_inline_image(data):
            super().execute(streams)
            return
        operators: dict[PSKeyword, tuple[Callable[..., None] | None, int]] = {}
        for obj in content_objects(data):
            if type(obj) is not PSKeyword:
                self.argstack.append(obj)  # not bound once: operators such as scn pop and rebind the stack
                continue
            operator = operators.get(obj)
            if operator is None:
                operator = operators[obj] = self._operator(obj)
            method, count = operator
            if method is None:
                continue
            if count:
                args = self.pop(count)
                if len(args) == count:
                    method(*args)
            else:
                method()

    def _runnable(self, streams: Sequence[object]) -> list[PDFStream]:
        """The page's streams, less any already running higher up (a form that draws itself) or without an id."""
        self.stream_ids.clear()
        runnable = []
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is not None and stream.objid not in self.parent_stream_ids:
                runnable.append(stream)
                self.stream_ids.add(stream.objid)
        return runnable

    def _operator(self, keyword: PSKeyword) -> tuple[Callable[..., None] | None, int]:
        name = keyword_name(keyword).replace("*", "_a").replace('"', "_w").replace("'", "_q")
        method = getattr(self, "do_" + name, None)
        if method is None:
            return None, 0
        return method, method.__code__.co_argcount - 1

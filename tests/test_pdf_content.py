"""The content-stream tokenizer and interpreter give exactly what pdfminer.six's own give."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pdfminer.layout import LTImage
from pdfminer.pdfinterp import PDFContentParser, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream
from pdfminer.psexceptions import PSEOF, PSSyntaxError

from budgetlint.readers.pdf.content import (
    ContentInterpreter,
    Unsupported,
    content_objects,
    has_inline_image,
)
from tests.helpers import SHARED, layout

# Each stream exercises one corner of PDF 32000-1 §7.2 as pdfminer.six reads it.
STREAMS = {
    "operators": b"q 1 0 0 1 72 720 cm BT /F1 12 Tf 10 20 Td (Hello) Tj ET Q",
    "numbers": b"1 -2 +3 4.5 -.5 +.5 5. 1.2.3 - . -. +-5 007 5..",
    "names": b"/A /A#20B /A# /A#4 /#e4#b8#ad /#ff /a/b /",
    "nested strings": b"(a (b) c) (()) ((x)",
    "escapes": b"(\\n\\r\\t\\b\\f\\(\\)\\\\) (\\101\\1\\12x\\0123) (a\\\nb) (a\\\r\nb) (a\\qb)",
    "hex strings": b"<41 42> <414> <4 1> <> <41>> <6 1 62>",
    "dictionaries": b"/P << /MCID 0 /A [1 2] /B << /C (x) >> /N null >> BDC EMC",
    "arrays": b"[(a) -120 (b) 3.5 (c)] TJ [1 Tj] [[1] [2]] d",
    "stray closers": b"] >> } 1 2 re",
    "procedures": b"{ 1 2 add } exec",
    "comments": b"% a comment\n1 2 m % another\r3 4 l",
    "quote operators": b"(a) ' 1 2 (b) \" T* f* B* b*",
    "bytes outside tokens": b"\x00 1\x00 2 \xe4 ; @ # *x",
    "booleans": b"true false truex",
    "no separators": b"1 0 0 1 0 0cm/F1 9Tf[(a)1(b)]TJ<41>Tj",
    "unclosed array": b"1 2 m [ (a) 3",
    "unterminated string": b"1 2 m (abc",
    "unterminated hex": b"1 2 m <4142",
    "hex at the end": b"1 2 m <",
    "empty": b"",
    "whitespace": b" \r\n\t\x0c ",
    "image data keyword alone": b"1 ID 2 [3 ID] Do",
    "name escape cut short by the end": b"/F1 1 Tf /ab#4",
    "integer too long to convert": b"1 " + b"9" * 5000 + b" 2 Td " + b"9" * 400 + b".5 Tz",
}


def pdfminer_objects(data: bytes) -> list[object]:
    parser = PDFContentParser([PDFStream({}, data)])
    objects = []
    while True:
        try:
            objects.append(parser.nextobject()[1])
        except PSEOF:
            return objects


def typed(obj: object) -> object:
    """``obj`` with the type of every part spelled out, so that 1 and 1.0 differ."""
    if isinstance(obj, list):
        return ["list", [typed(item) for item in obj]]
    if isinstance(obj, dict):
        return ["dict", {key: typed(value) for key, value in obj.items()}]
    return [type(obj).__name__, repr(obj)]


@pytest.mark.parametrize("data", STREAMS.values(), ids=STREAMS.keys())
def test_objects_equal_pdfminers(data):
    assert typed(list(content_objects(data))) == typed(pdfminer_objects(data))


PIECES = [
    b" ", b"\n", b"\r", b"\x00", b"0", b"7", b"42", b".", b"-", b"+", b"/", b"#", b"e4", b"(", b")", b"\\",
    b"<", b">", b"[", b"]", b"{", b"}", b"%", b"Tj", b"TJ", b"T*", b"true", b"null", b"'", b'"', b"\xe4", b"A",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join))
def test_any_short_stream_reads_as_pdfminer_reads_it(data):
    """Streams shorter than pdfminer's 4 KB buffer: its reads have no buffer-boundary quirks there."""
    assume(not has_inline_image(data))
    try:
        expected = typed(pdfminer_objects(data))
    except (AssertionError, PSSyntaxError):
        with pytest.raises(PSSyntaxError):
            list(content_objects(data))
        return
    assert typed(list(content_objects(data))) == expected


def test_an_inline_image_is_left_to_pdfminer():
    data = b"q 20 0 0 20 100 500 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI Q"
    assert has_inline_image(data)
    with pytest.raises(Unsupported):
        list(content_objects(data))


@pytest.mark.parametrize("data", [b"(\\777) Tj", b"<< /A >> BDC"], ids=["octal above 255", "odd dictionary"])
def test_what_pdfminer_cannot_read_fails_here_too(data):
    with pytest.raises((AssertionError, PSSyntaxError)):  # pdfminer asserts octals below 256
        pdfminer_objects(data)
    with pytest.raises(PSSyntaxError):
        list(content_objects(data))


def test_page_with_form_and_inline_image_lays_out_as_pdfminer_does():
    reportlab = pytest.importorskip("reportlab.pdfgen.canvas")
    from PIL import Image

    buf = io.BytesIO()
    c = reportlab.Canvas(buf)
    c.beginForm("stamp")
    c.drawString(10, 10, "inside a form")
    c.endForm()
    c.setFillColorRGB(0.2, 0.4, 0.6)
    c.drawString(72, 720, "Budget (2026) \\ table")
    c.rect(70, 700, 200, 15)
    c.doForm("stamp")
    c.drawInlineImage(Image.new("L", (4, 4), 100), 100, 500, 20, 20)
    c.showPage()
    c.save()
    ours = layout(buf.getvalue(), ContentInterpreter)
    assert ours == layout(buf.getvalue(), PDFPageInterpreter)
    kinds = {kind for kind, *_ in ours[0]}
    assert {"LTChar", "LTRect", "LTFigure", LTImage.__name__} <= kinds


CORPUS = sorted((SHARED / "corpus").glob("*/*.pdf"))


@pytest.mark.skipif(not CORPUS, reason="../shared/corpus is not present")
@pytest.mark.parametrize("path", CORPUS, ids=lambda path: Path(path).stem)
def test_corpus_pdfs_lay_out_as_pdfminer_does(path, caplog):
    caplog.set_level(logging.ERROR, logger="pdfminer")
    data = path.read_bytes()
    assert layout(data, ContentInterpreter) == layout(data, PDFPageInterpreter)

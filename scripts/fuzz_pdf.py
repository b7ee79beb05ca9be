"""Coverage-guided fuzzing of the PDF reader with atheris (libFuzzer).

    python scripts/fuzz_pdf.py [libFuzzer options] [CORPUS_DIR ...]
    python scripts/fuzz_pdf.py -max_total_time=300
    python scripts/fuzz_pdf.py crash-<sha1>          # replay one input

The property: ``budgetlint.readers.pdf.read(Source(...))`` returns a
Document or raises ``ReadError`` (or ``MemoryError``, which the runner
reports as the memory ceiling); any other exception is a bug, and
libFuzzer stops there and writes the input to ``crash-<sha1>`` in the
current directory (``oom-<sha1>`` past 2 GB, like the linter's default
memory ceiling; ``timeout-<sha1>`` past 30 s for one input).  Each finding
so far is a regression test in tests/test_hostile_pdf.py.  Without a corpus directory, a seed corpus of small
reportlab PDFs (uncompressed content streams, so mutations hit operators)
is built in ``budgetlint-fuzz-pdf`` under the temporary directory.
Needs the ``fuzz`` extra (``pip install -e '.[fuzz,test]'``: atheris and reportlab).
"""

from __future__ import annotations

import io
import logging
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["budgetlint", "pdfminer"]):
    import pdfminer.converter  # noqa: F401 - imported lazily by the reader; instrumented here
    import pdfminer.pdfdocument  # noqa: F401
    import pdfminer.pdfinterp  # noqa: F401

    import budgetlint.readers.pdf.extract  # noqa: F401
    from budgetlint.readers import ReadError, Source
    from budgetlint.readers.pdf import read

CORPUS = Path(tempfile.gettempdir()) / "budgetlint-fuzz-pdf"
DEFAULTS = ["-max_len=65536", "-timeout=30", "-rss_limit_mb=2048"]


def test_one_input(data: bytes) -> None:
    try:
        read(Source("fuzz.pdf", data))
    except (ReadError, MemoryError):
        pass


def seeds() -> dict[str, bytes]:
    """Small PDFs covering what the reader handles: CJK text, ruled and unruled tables, images, rotation, encryption."""
    from PIL import Image
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rows = [("科目编码", "科目名称", "合计"), ("201", "一般公共服务支出", "1,448.10"), ("", "合计", "1,448.10")]

    def ruled(c, _page: int) -> None:
        c.setFont("STSong-Light", 14)
        c.drawString(60, 770, "2026年一般公共预算支出表")
        c.setFont("STSong-Light", 9)
        c.drawString(400, 750, "单位：万元")
        for r, row in enumerate(rows):
            c.line(60, 740 - 20 * r, 360, 740 - 20 * r)
            for k, cell in enumerate(row):
                c.drawString(64 + 100 * k, 726 - 20 * r, cell)
        c.line(60, 680, 360, 680)
        for x in (60, 160, 260, 360):
            c.line(x, 740, x, 680)

    def unruled(c, _page: int) -> None:
        c.setFont("STSong-Light", 9)
        for r, row in enumerate(rows):
            c.drawString(60, 700 - 14 * r, row[0])
            c.drawString(120, 700 - 14 * r, row[1])
            c.drawRightString(330, 700 - 14 * r, row[2])
        c.setFont("Helvetica-Bold", 12)
        c.drawString(60, 760, "Department budget")
        c.setFont("Helvetica", 10)
        c.drawString(60, 600, "Basic expenditure 1,448.10 rose by 12.5% over last year.")

    def image(c, _page: int) -> None:
        c.drawImage(ImageReader(Image.new("L", (8, 8), 128)), 50, 50, 200, 200)

    def rotated(c, _page: int) -> None:
        c.setPageRotation(90)
        c.translate(500, 100)
        c.rotate(90)
        ruled(c, _page)

    def watermark(c, page: int) -> None:
        ruled(c, page)
        c.setFillGray(0.8)
        c.rotate(30)
        c.setFont("STSong-Light", 40)
        c.drawString(300, 300, "仅供内部审核")

    drawings: dict[str, tuple[Callable, int, dict]] = {
        "ruled": (ruled, 1, {}),
        "ruled-two-pages": (ruled, 2, {}),
        "unruled": (unruled, 1, {}),
        "image": (image, 1, {}),
        "rotated": (rotated, 1, {}),
        "watermark": (watermark, 1, {}),
        "owner-password": (unruled, 1, {"encrypt": StandardEncryption("", ownerPassword="owner")}),
        "user-password": (unruled, 1, {"encrypt": StandardEncryption("secret", ownerPassword="owner")}),
    }
    built = {name: _pdf(draw, pages, **options) for name, (draw, pages, options) in drawings.items()}
    return {**built, "operators": _operators()}


def _pdf(draw: Callable, pages: int, **options: object) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pageCompression=0, invariant=1, **options)
    for page in range(pages):
        draw(c, page)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _operators() -> bytes:
    """A PDF written by hand: the text state operators, odd matrices and sizes, a form XObject, an inline image."""
    content = b"""q 1 0 0 1 50 50 cm 0.5 w 10 10 m 300 10 l S 10 10 290 100 re S 10 30 m 100 80 200 80 300 30 c S Q
BT /F1 12 Tf 60 700 Td (Hello) Tj 2 Tc 120 Tz 3 Ts [(A) -200 (B) 50 (C)] TJ 14 TL T* (next) ' 1 2 (q) " ET
BT /F1 0 Tf 60 650 Td (zero size) Tj ET
BT /F1 -12 Tf 60 600 Td (negative) Tj ET
BT 1e30 0 0 1e30 0 0 Tm /F1 12 Tf (huge) Tj ET
BT 0 1 -1 0 300 300 Tm /F1 12 Tf (turned) Tj ET
BT 0 0 0 0 300 300 Tm /F1 12 Tf (flat) Tj ET
/X1 Do
BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff\xff\x00 EI
"""
    form = b"BT /F1 9 Tf 10 10 Td (in a form) Tj ET 0 0 50 20 re S"
    resources = b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R %s >>" % resources,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /Font << /F1 5 0 R >> >> /Length %d >>"
        b"\nstream\n%s\nendstream" % (len(form), form),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def main() -> None:
    logging.disable(logging.WARNING)  # pdfminer warns about every damaged object it skips
    args = list(sys.argv)
    if not any(not arg.startswith("-") for arg in args[1:]):
        CORPUS.mkdir(exist_ok=True)
        for name, data in seeds().items():
            (CORPUS / f"seed-{name}.pdf").write_bytes(data)
        args.append(str(CORPUS))
    given = {arg.split("=", 1)[0] for arg in args[1:] if arg.startswith("-")}
    args[1:1] = [option for option in DEFAULTS if option.split("=", 1)[0] not in given]
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

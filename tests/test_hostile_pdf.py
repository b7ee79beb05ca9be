"""Hostile and broken PDFs: every file gets an answer; none crashes, hangs or is lost.

Like test_hostile.py, these run the real command in subprocesses, on PDFs
built here (reportlab, pypdf, raw bytes).  Every run is measured (wall time,
and peak resident memory of the command and all its children); the figures
are attached to each test as properties, so that
``pytest tests/test_hostile_pdf.py -o junit_family=xunit1 --junitxml=FILE``
records them (docs/reliability.md lists them).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("reportlab")
pypdf = pytest.importorskip("pypdf")

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

# The command, run by a wrapper that reports its wall time and the peak RSS of everything it started.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
code = subprocess.call(sys.argv[1:])
seconds = time.monotonic() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write("\\nMEASURED " + json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}) + "\\n")
sys.exit(code)
"""
BOMB_MB = 300  # what each decompression bomb inflates to


# --- building PDFs ------------------------------------------------------------

# A budget table whose 合计 row holds one wrong cell (项目支出 40.00): it breaks the column's sum
# and the row's, and a fully checked copy reports it once, as SUM002.
ROWS = [
    ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
    ("", "合计", "150.00", "100.00", "40.00"),
    ("201", "一般公共服务支出", "150.00", "100.00", "50.00"),
    ("20132", "组织事务", "150.00", "100.00", "50.00"),
]
WIDTHS = [70, 150, 80, 80, 80]
EXPECTED = {"SUM002"}


def budget_page(c: canvas.Canvas, _page: int) -> None:
    c.setFont(CJK, 16)
    c.drawString(60, 770, "表三 2026年预算支出总表")
    c.setFont(CJK, 10)
    c.drawString(440, 745, "单位：万元")
    xs = [50]
    for width in WIDTHS:
        xs.append(xs[-1] + width)
    top, height = 735, 20
    for r in range(len(ROWS) + 1):
        c.line(xs[0], top - height * r, xs[-1], top - height * r)
    for x in xs:
        c.line(x, top, x, top - height * len(ROWS))
    for r, row in enumerate(ROWS):
        for k, cell in enumerate(row):
            c.drawString(xs[k] + 4, top - height * r - 14, cell)


def scanned_page(c: canvas.Canvas, _page: int) -> None:
    from PIL import Image

    c.drawImage(ImageReader(Image.new("L", (40, 40), 128)), 50, 50, 500, 700)


def make_pdf(draw=budget_page, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    for page in range(pages):
        draw(c, page)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _rewrite(data: bytes, change) -> bytes:
    """``data`` read and written again by pypdf, after ``change(writer)``."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted(data: bytes, user: str) -> bytes:
    return _rewrite(data, lambda w: w.encrypt(user_password=user, owner_password="owner", algorithm="AES-256"))


def rotated(data: bytes, degrees: int) -> bytes:
    """Each page turned by /Rotate ``degrees``, its content turned back so that a viewer shows it upright."""

    def turn(writer) -> None:
        for page in writer.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            if degrees == 90:
                page.add_transformation(pypdf.Transformation().rotate(90).translate(height, 0))
            else:
                page.add_transformation(pypdf.Transformation().rotate(-90).translate(0, width))
            page.mediabox = pypdf.generic.RectangleObject([0, 0, height, width])
            page.rotation = degrees

    return _rewrite(data, turn)


def raw_pdf(*contents: tuple[bytes, str]) -> bytes:
    """A PDF written byte by byte: one page per (content stream, its filter entries), Helvetica as /F1."""
    pages = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, (content, filters) in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i)
        )
        objects.append(b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), filters.encode(), content))
    return write_pdf(objects)


def write_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1, the first the catalog), with its cross-reference table."""
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


def bomb(unit: bytes) -> bytes:
    """A page whose Flate content stream inflates to BOMB_MB of ``unit`` repeated (about 1000:1)."""
    compressor = zlib.compressobj(9)
    chunk = unit * ((1 << 20) // len(unit))
    deflated = b"".join(compressor.compress(chunk) for _ in range(BOMB_MB)) + compressor.flush()
    return raw_pdf((deflated, "/Filter /FlateDecode"))


def corrupt_offsets(data: bytes) -> bytes:
    """The cross-reference table still well-formed, but every entry pointing to the wrong place."""
    start = data.rindex(b"\nxref\n")
    table = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m[1]) * 7 % 1000), data[start:])
    return data[:start] + table


def wrong_startxref(data: bytes) -> bytes:
    """``startxref`` pointing past the end of the file: no cross-reference table can be found."""
    return data[: data.rindex(b"startxref")] + b"startxref\n999999\n%%EOF\n"


@cache
def good() -> bytes:
    return make_pdf()


@cache
def cases() -> dict[str, bytes]:
    """Every hostile input by file name (good.pdf is the one sound document)."""
    three = make_pdf(pages=3)
    return {
        "good.pdf": good(),
        "empty.pdf": b"",
        "header-only.pdf": b"%PDF-1.7\n",
        **{f"truncated-{percent}.pdf": three[: len(three) * percent // 100] for percent in (25, 50, 75)},
        "truncated-trailer.pdf": three[:-30],  # startxref and part of the trailer gone
        "no-eof-marker.pdf": good()[: good().rindex(b"%%EOF")],  # only the last line gone
        "xref-wrong-offsets.pdf": corrupt_offsets(good()),
        "xref-missing.pdf": wrong_startxref(good()),
        "random.pdf": os.urandom(8192),
        "locked.pdf": encrypted(good(), user="secret"),
        "owner-password-only.pdf": encrypted(good(), user=""),
        "scanned.pdf": make_pdf(scanned_page, pages=2),
        "rotated-90.pdf": rotated(good(), 90),
        "rotated-270.pdf": rotated(good(), 270),
        "bomb-zeros.pdf": bomb(b"\0"),
        "bomb-operators.pdf": bomb(b"0 0 m 1 1 l S\n"),
    }


# --- running the command ----------------------------------------------------------


@dataclass
class Run:
    returncode: int
    stdout: bytes
    stderr: str
    seconds: float
    peak_mb: float

    def findings(self) -> dict[str, list[dict]]:
        """Findings by path; never a traceback on the terminal."""
        assert "Traceback" not in self.stderr, self.stderr
        by_file: dict[str, list[dict]] = {}
        for finding in json.loads(self.stdout)["findings"]:
            by_file.setdefault(finding["path"], []).append(finding)
        return by_file


def budgetlint(*args: str, cwd: Path, record=None) -> Run:
    """Run the command measured; ``record`` (pytest's record_property) keeps the figures."""
    env = {**os.environ, "BUDGETLINT_NO_CACHE": "1"}
    command = [sys.executable, "-c", MEASURE, sys.executable, "-m", "budgetlint", *args]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, timeout=600)
    stderr, _, measured = result.stderr.decode(errors="replace").rpartition("\nMEASURED ")
    figures = json.loads(measured)
    if record:
        record("seconds", round(figures["seconds"], 2))
        record("peak_mb", round(figures["peak_mb"]))
    return Run(result.returncode, result.stdout, stderr, figures["seconds"], figures["peak_mb"])


def check(name: str, tmp_path: Path, *options: str, record=None) -> tuple[Run, list[dict]]:
    """``budgetlint check NAME --format json`` on the case ``name``; its findings."""
    (tmp_path / name).write_bytes(cases()[name])
    run = budgetlint("check", name, "--format", "json", "--lang", "en", *options, cwd=tmp_path, record=record)
    return run, run.findings().get(name, [])


def summary(findings: list[dict]) -> list[tuple]:
    """What identifies findings across copies of one document (not the path)."""
    return sorted((f["code"], f["message"], f["page"], f["logical_location"]) for f in findings)


def check_good(tmp_path: Path, record=None) -> list[dict]:
    run, findings = check("good.pdf", tmp_path, record=record)
    assert run.returncode == 1
    assert {f["code"] for f in findings} == EXPECTED  # fully read: the table's wrong total
    assert all(f["page"] == 1 and f["bbox"] for f in findings)
    return findings


@pytest.fixture(scope="module")
def good_findings(tmp_path_factory) -> list[dict]:
    return check_good(tmp_path_factory.mktemp("good"))


# --- one file at a time --------------------------------------------------------------


def test_the_good_pdf_is_fully_checked(tmp_path, record_property):
    check_good(tmp_path, record_property)


UNREADABLE = {
    "empty.pdf": "the file is empty",
    "header-only.pdf": "damaged PDF",
    "truncated-25.pdf": "truncated PDF",
    "truncated-50.pdf": "truncated PDF",
    "truncated-75.pdf": "truncated PDF",
    "truncated-trailer.pdf": "damaged PDF",
    "random.pdf": "not a PDF",
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_broken_pdfs_get_exactly_one_lint001(name, tmp_path, record_property):
    run, findings = check(name, tmp_path, record=record_property)
    assert run.returncode == 2
    assert [f["code"] for f in findings] == ["LINT001"]
    assert UNREADABLE[name] in findings[0]["message"]


@pytest.mark.parametrize(
    "name", ["no-eof-marker.pdf", "xref-missing.pdf", "xref-wrong-offsets.pdf", "owner-password-only.pdf"]
)
def test_recoverable_pdfs_are_read_like_the_original(name, tmp_path, record_property, good_findings):
    run, findings = check(name, tmp_path, record=record_property)
    assert run.returncode == 1
    assert summary(findings) == summary(good_findings)


def test_locked_pdf_needs_its_password(tmp_path, record_property, good_findings):
    run, findings = check("locked.pdf", tmp_path, record=record_property)
    assert run.returncode == 2
    assert [f["code"] for f in findings] == ["LINT006"]

    run, findings = check("locked.pdf", tmp_path, "--password", "wrong")
    assert run.returncode == 2
    assert [f["code"] for f in findings] == ["LINT006"]

    run, findings = check("locked.pdf", tmp_path, "--password", "secret")
    assert run.returncode == 1
    assert summary(findings) == summary(good_findings)


def test_image_only_pdf_is_one_lint003(tmp_path, record_property):
    run, findings = check("scanned.pdf", tmp_path, record=record_property)
    assert run.returncode == 2
    assert [(f["code"], f["message"]) for f in findings] == [
        ("LINT003", "Page(s) 1-2 have no extractable text (a scan?); OCR is needed first")
    ]


def _tables(name: str, cwd: Path) -> list[list[list[str]]]:
    run = budgetlint("extract", name, cwd=cwd)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    pages = json.loads(run.stdout)["document"]["pages"]
    return [
        [[cell["text"] for cell in row["cells"]] for row in block["rows"]]
        for page in pages for block in page["blocks"] if "rows" in block
    ]


@pytest.mark.parametrize("name", ["rotated-90.pdf", "rotated-270.pdf"])
def test_rotated_pages_read_upright(name, tmp_path, record_property, good_findings):
    run, findings = check(name, tmp_path, record=record_property)
    assert run.returncode == 1
    assert summary(findings) == summary(good_findings)
    for found, expected in zip(findings, good_findings):  # the same boxes, as displayed
        assert found["bbox"] == pytest.approx(expected["bbox"], abs=0.5)
    (tmp_path / "good.pdf").write_bytes(good())
    assert _tables(name, tmp_path) == _tables("good.pdf", tmp_path) == [[list(row) for row in ROWS]]


@pytest.mark.parametrize(
    "name, limits, stopped_by",
    [
        ("bomb-zeros.pdf", ("--memory-limit", "512"), "512 MB of memory"),
        ("bomb-operators.pdf", ("--timeout", "10"), "10.0 s"),
    ],
)
def test_decompression_bomb_costs_one_lint004_within_the_limits(name, limits, stopped_by, tmp_path, record_property):
    run, findings = check(name, tmp_path, *limits, record=record_property)
    assert run.returncode == 2
    assert [(f["code"], f["message"]) for f in findings] == [
        ("LINT004", f"Processing this file exceeded its limit ({stopped_by}) and was stopped")
    ]
    if "--timeout" in limits:
        assert run.seconds < 10 + 15  # killed at its deadline (plus start-up), not run to the end
    else:
        assert run.peak_mb < 512  # the ceiling held


@pytest.mark.parametrize(
    "name, limits, stopped_by",
    [("bomb-zeros.pdf", ("--memory-limit", "512"), "512 MB of memory"), ("bomb-operators.pdf", ("--timeout", "3"), "3.0 s")],
)
def test_extract_stops_at_the_same_limits(name, limits, stopped_by, tmp_path):
    (tmp_path / name).write_bytes(cases()[name])
    run = budgetlint("extract", name, *limits, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == b""
    assert f"{name}: Processing this file exceeded its limit ({stopped_by}) and was stopped" in run.stderr


# --- all of them in one folder ------------------------------------------------------------

EXPECTED_IN_FOLDER = {
    **{name: "LINT001" for name in UNREADABLE},
    "locked.pdf": "LINT006",
    "scanned.pdf": "LINT003",
    "bomb-zeros.pdf": "LINT004",
    "bomb-operators.pdf": "LINT004",
}
READ_LIKE_GOOD = ("good.pdf", "no-eof-marker.pdf", "xref-missing.pdf", "xref-wrong-offsets.pdf",
                  "owner-password-only.pdf", "rotated-90.pdf", "rotated-270.pdf")


def test_a_folder_of_every_case_with_one_good_document(tmp_path, record_property, good_findings):
    folder = tmp_path / "收到的 PDF"
    folder.mkdir()
    for name, data in cases().items():
        (folder / name).write_bytes(data)
    assert set(cases()) == set(EXPECTED_IN_FOLDER) | set(READ_LIKE_GOOD)

    run = budgetlint("check", folder.name, "--format", "json", "--lang", "en", "--timeout", "20",
                     "--memory-limit", "1024", cwd=tmp_path, record=record_property)
    assert run.returncode == 2
    by_file = run.findings()
    assert run.seconds < 3 * 20 + 30  # the two bombs stopped, not run to the end
    assert json.loads(run.stdout)["summary"]["files_checked"] == len(cases())
    assert set(by_file) == {f"{folder.name}/{name}" for name in cases()}  # every file has its answer
    for name, code in EXPECTED_IN_FOLDER.items():
        assert [f["code"] for f in by_file[f"{folder.name}/{name}"]] == [code], name
    for name in READ_LIKE_GOOD:
        assert summary(by_file[f"{folder.name}/{name}"]) == summary(good_findings), name


# --- what the fuzzer found (scripts/fuzz_pdf.py): read() returns a Document or raises ReadError ----------


def read_or_readerror(data: bytes):
    """What the fuzz property allows: a Document, or the ReadError raised."""
    from budgetlint.readers import ReadError, Source
    from budgetlint.readers.pdf import read

    try:
        return read(Source("fuzzed.pdf", data))
    except ReadError as err:
        return err


def test_a_font_named_by_a_keyword_not_a_name():
    """A flipped bit made ``/FontName /STSongStd-Light`` a bare keyword: pdfminer passes it on as the font name."""
    data = good().replace(b"/FontName /STSongStd-Light", b"/FontName oSTSongStd-Light")
    assert data != good()
    document = read_or_readerror(data)
    assert [[row.texts for row in table.rows] for table in document.tables()] == [ROWS]


def test_a_damaged_stream_is_reported_on_its_own_page():
    """The reason names the page whose content could not be decoded (it once named the page after it)."""
    text = b"BT /F1 12 Tf 60 700 Td (Department budget) Tj ET"
    assert [b.text for b in read_or_readerror(raw_pdf((text, ""))).blocks()] == ["Department budget"]
    broken = (text, "/Filter /NoSuchFilter")
    for pages, where in (([broken], ""), ([(text, ""), broken], "page 2: ")):  # a first page needs no number
        err = read_or_readerror(raw_pdf(*pages))
        assert err.code == "LINT001"
        assert err.values["reason"].startswith(f"{where}damaged PDF (PDFNotImplementedError: Unsupported filter")


INFINITE = b"9" * 400 + b".0"  # a PDF real beyond float range: pdfminer.six reads it as inf


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 " + INFINITE + b" Tf 60 700 Td (x) Tj ET",  # an infinite font size
        b"BT /F1 12 Tf " + INFINITE + b" 700 Td (x) Tj ET",  # text moved to infinity
    ],
    ids=["infinite-size", "infinite-position"],
)
def test_text_at_infinity_is_dropped(content):
    """Such chars had NaN sizes, and rounding them raised ValueError while assembling the document."""
    beside = b"BT /F1 12 Tf 60 650 Td (Department budget) Tj ET"
    document = read_or_readerror(raw_pdf((content + b"\n" + beside, "")))
    assert [b.text for b in document.blocks()] == ["Department budget"]


def test_a_glyph_taller_than_any_page_costs_nothing(tmp_path, record_property):
    """Found by the fuzzer as out-of-memory: a 3 KB file whose text matrix scales one glyph by 10^99.

    Finding rulings, each char was indexed in every 10 pt band it spans.  Run
    under a memory ceiling, so that a regression costs LINT004, not the test run.
    """
    huge = b"7" * 100
    content = b"10 10 200 1 re f BT 1 0 0 " + huge + b" 60 700 Tm /F1 12 Tf (x) Tj ET"
    content += b" BT /F1 12 Tf 60 650 Td (Department budget) Tj ET"
    (tmp_path / "tall.pdf").write_bytes(raw_pdf((content, "")))
    run = budgetlint("check", "tall.pdf", "--format", "json", "--memory-limit", "512", "--timeout", "30",
                     cwd=tmp_path, record=record_property)
    assert [f["code"] for f in run.findings()["tall.pdf"]] == ["LINT005"]  # read: just not a budget
    assert run.returncode == 0


@pytest.mark.parametrize("ring", [[b"4 0 R"], [b"5 0 R", b"4 0 R"]], ids=["itself", "two-objects"])
def test_an_object_that_refers_to_itself_is_missing(ring, tmp_path, record_property):
    """Found by the fuzzer as a timeout: pdfminer.six resolved ``4 0 obj 4 0 R`` for ever.

    Run with a short time limit, so that a regression costs LINT004, not a hung test run.
    """
    text = b"BT /F1 12 Tf 60 700 Td (Department budget) Tj ET"
    following = 4 + len(ring)
    catalog, pages = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R %d 0 R] "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (following, following + 1))
    content = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text)
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    (tmp_path / "ring.pdf").write_bytes(write_pdf([catalog, pages, page, *ring, content, font]))
    run = budgetlint("check", "ring.pdf", "--format", "json", "--timeout", "5", cwd=tmp_path, record=record_property)
    assert [f["code"] for f in run.findings()["ring.pdf"]] == ["LINT005"]  # the text read: just not a budget
    assert run.returncode == 0


UNMAPPED_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Subset /Encoding /Identity-H /DescendantFonts"
    b" [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Subset /DW 1000"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>"
)


def test_text_in_a_font_without_unicode_mapping_is_unreadable_not_garbage():
    """An Identity-H subset with no ToUnicode: pdfminer.six reads (cid:18)(cid:52)…, which is no text."""
    readable = b"BT /F1 12 Tf 60 700 Td (Department budget) Tj ET"
    unmapped = b"BT /F2 12 Tf 60 700 Td <0012003400560078> Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R 7 0 R] /Count 2 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", UNMAPPED_FONT]
    for number, content in ((6, readable), (8, unmapped)):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % number)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    document = read_or_readerror(write_pdf(objects))
    assert [b.text for b in document.blocks()] == ["Department budget"]
    assert document.notes == [("LINT003", {"pages": "2", "variant": "unmapped"})]

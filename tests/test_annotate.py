"""The annotated PDF copy (``check --annotate``), read back with pypdf."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("reportlab")
pypdf = pytest.importorskip("pypdf")

from click.testing import CliRunner  # noqa: E402
from pdfminer.high_level import extract_pages  # noqa: E402
from pdfminer.layout import LTChar, LTTextContainer  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from budgetlint.annotate import annotate, page_rect  # noqa: E402
from budgetlint.cli import main  # noqa: E402
from budgetlint.findings import Finding, Severity  # noqa: E402
from budgetlint.location import Location  # noqa: E402

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def make_pdf(path, pages: int = 2) -> None:
    """A small A4 PDF with a line of text on each page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        c.setFont("Helvetica", 12)
        c.drawString(72, 700, f"Page {number}: total 100.00")
        c.showPage()
    c.save()


def finding(code: str, message: str, loc: Location, related: tuple[Location, ...] = ()) -> Finding:
    return Finding(code, Severity.ERROR, message, loc, related=related, fingerprint=code.lower())


def highlights(path) -> dict[int, list]:
    """Page number → that page's /Highlight annotations."""
    found: dict[int, list] = {}
    for number, page in enumerate(pypdf.PdfReader(path).pages, start=1):
        annots = [a.get_object() for a in page.get("/Annots") or ()]
        found[number] = [a for a in annots if a["/Subtype"] == "/Highlight"]
    return found


def is_related(annotation) -> bool:
    return "-related-" in str(annotation["/NM"])


@pytest.fixture
def pdf(tmp_path):
    path = tmp_path / "budget.pdf"
    make_pdf(path)
    return path


def test_one_highlight_per_located_finding_on_its_page_with_the_message(pdf, tmp_path):
    path = str(pdf)
    findings = [
        finding("SUM001", "合计 100.00 不等于各项之和 90.00", Location(path, page=1, bbox=(72.0, 696.0, 230.0, 712.0))),
        finding(
            "XREF001",
            "Total differs from table 1 <b>&\"",
            Location(path, page=2, bbox=(100.0, 300.5, 180.0, 318.0)),
            related=(Location(path, page=1, bbox=(72.0, 650.0, 120.0, 662.0)),),
        ),
        finding("TXT001", "no box", Location(path, page=1)),
        finding("TXT002", "another file", Location("other.pdf", page=1, bbox=(1.0, 1.0, 2.0, 2.0))),
        finding("TXT003", "no such page", Location(path, page=9, bbox=(1.0, 1.0, 2.0, 2.0))),
    ]
    out = tmp_path / "annotated.pdf"
    assert annotate(path, findings, str(out), "en") == 2

    found = highlights(out)
    main_1 = [a for a in found[1] if not is_related(a)]
    main_2 = [a for a in found[2] if not is_related(a)]
    assert len(main_1) == 1 and len(main_2) == 1
    assert "SUM001" in main_1[0]["/Contents"] and "合计 100.00 不等于各项之和 90.00" in main_1[0]["/Contents"]
    assert main_2[0]["/Contents"] == 'XREF001 [error] Total differs from table 1 <b>&"'
    assert [float(v) for v in main_2[0]["/Rect"]] == [100.0, 300.5, 180.0, 318.0]
    assert [float(v) for v in main_2[0]["/QuadPoints"]] == [100.0, 318.0, 180.0, 318.0, 100.0, 300.5, 180.0, 300.5]
    # The related location: a lighter highlight on page 1 that names the finding.
    related = [a for a in found[1] if is_related(a)]
    assert len(related) == 1
    assert related[0]["/Contents"].startswith("Related to XREF001: ")
    assert [float(v) for v in related[0]["/C"]] != [float(v) for v in main_1[0]["/C"]]


def test_each_highlight_has_a_popup_note(pdf, tmp_path):
    path = str(pdf)
    out = tmp_path / "annotated.pdf"
    annotate(path, [finding("SUM001", "m", Location(path, page=1, bbox=(72.0, 696.0, 230.0, 712.0)))], str(out))
    annots = [a.get_object() for a in pypdf.PdfReader(out).pages[0]["/Annots"]]
    (highlight,) = [a for a in annots if a["/Subtype"] == "/Highlight"]
    (popup,) = [a for a in annots if a["/Subtype"] == "/Popup"]
    assert highlight["/Popup"].get_object() == popup
    assert popup["/Parent"].get_object() == highlight


def test_the_original_pages_are_kept(pdf, tmp_path):
    out = tmp_path / "annotated.pdf"
    annotate(str(pdf), [], str(out))
    original, copy = pypdf.PdfReader(pdf), pypdf.PdfReader(out)
    assert [p.extract_text() for p in copy.pages] == [p.extract_text() for p in original.pages]
    assert all(not p.get("/Annots") for p in copy.pages)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("origin", [(0.0, 0.0), (30.0, -40.0)])
def test_boxes_map_back_from_displayed_to_page_coordinates(tmp_path, rotate, origin):
    """A glyph's box as pdfminer (and so the PDF reader) reports it lands on the glyph."""
    source = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(source), pagesize=A4)
    c.setFont("Helvetica", 20)
    c.drawString(200, 500, "X")
    c.save()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    page = writer.pages[0]
    dx, dy = origin
    page.mediabox = pypdf.generic.RectangleObject((dx, dy, A4[0] + dx, A4[1] + dy))
    page.rotate(rotate)
    shifted = tmp_path / "shifted.pdf"
    writer.write(shifted)

    (glyph,) = _chars(shifted)
    x0, y0, x1, y1 = page_rect(glyph.bbox, pypdf.PdfReader(shifted).pages[0])
    # Drawn at (200, 500) in user space: the glyph spans about 200..213 across and 500..514 up.
    assert x0 == pytest.approx(200, abs=1.5) and x1 == pytest.approx(213.3, abs=1.5)
    assert 495 <= y0 <= 501 and 512 <= y1 <= 520


def _chars(path) -> list[LTChar]:
    chars = []
    for layout in extract_pages(str(path)):
        for item in layout:
            if isinstance(item, LTTextContainer):
                chars += [c for line in item for c in line if isinstance(c, LTChar)]
    return chars


# --- the command line ---------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_annotate_writes_highlights_for_the_pdf_reader_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    c = canvas.Canvas("doc.pdf", pagesize=A4)
    c.setFont(CJK, 12)
    c.drawString(72, 760, "部门预算说明")
    c.drawString(72, 700, "本年收入合计100.00万元。；其中一般公共预算拨款100.00万元。")
    c.save()
    result = run("check", "doc.pdf", "--select", "TXT002", "--annotate", "out.pdf", "--timeout", "0",
                 "--no-cache", "--format", "json", "-o", "report.json", "--lang", "en")
    assert result.exit_code in (0, 1), result.output
    (highlight,) = highlights(tmp_path / "out.pdf")[1]
    assert highlight["/Contents"].startswith("TXT002 [warning] ")
    x0, y0, _, y1 = (float(v) for v in highlight["/Rect"])
    assert x0 <= 80 and y0 <= 700 <= y1  # on the line drawn at (72, 700)


def test_annotate_needs_exactly_one_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pdf(tmp_path / "a.pdf")
    make_pdf(tmp_path / "b.pdf")
    (tmp_path / "c.txt").write_text("一、说明\n", encoding="utf-8")
    several = run("check", "a.pdf", "b.pdf", "--annotate", "out.pdf", "--lang", "en")
    assert several.exit_code == 2 and "one PDF input (2 given)" in several.output
    none = run("check", "c.txt", "--annotate", "out.pdf", "--lang", "en")
    assert none.exit_code == 2 and "needs a PDF input" in none.output
    assert not (tmp_path / "out.pdf").exists()


def test_annotate_without_pypdf_is_a_clear_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pdf(tmp_path / "a.pdf")
    monkeypatch.setitem(sys.modules, "pypdf", None)
    result = run("check", "a.pdf", "--annotate", "out.pdf", "--lang", "en")
    assert result.exit_code == 2 and "needs pypdf" in result.output


def test_pdf_inputs_are_recognised_by_content_not_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_pdf(tmp_path / "scan.bin.txt")
    result = run("check", "scan.bin.txt", "--annotate", "out.pdf", "--timeout", "0", "--no-cache", "--exit-zero")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF-")

"""Render the HTML report and an annotated PDF to PNG screenshots for review.

    python scripts/review_reports.py [--text FILE] [--pdf FILE] [--out DIR] [--lang en]
        [--pages N,N] [--defect OLD NEW [--defect-select CODES]]

The HTML report of ``--text`` is shot in headless Chromium (the top of the page,
and a second shot further down where the findings are); pages of ``--pdf``'s
annotated copy (``check --annotate``) are rendered with pdftoppm: ``--pages``,
or the first pages that carry a finding's highlight.  ``--defect OLD NEW``
also shoots the report of a copy of ``--text`` with OLD replaced by NEW, its
findings limited to ``--defect-select`` (default SUM): a planted error, to
show a computation and its highlighted table cells.

Needs ``chromium`` and ``poppler-utils`` (Debian packages) and the
``annotate`` extra; Pillow, if present, shrinks the PNGs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
]
WINDOW = (1280, 2000)
PDF_DPI = 80
MAX_PDF_PAGES = 3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, default=ROOT / "docs" / "examples" / "shuozhou-devzone-hr-2026-budget.txt")
    parser.add_argument("--pdf", type=Path, default=ROOT.parent / "shared" / "corpus" / "generated" / "seed-libreoffice.pdf")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", default="en", choices=["zh", "en"])
    parser.add_argument("--pages", type=lambda v: [int(n) for n in v.split(",")], default=None,
                        help="PDF pages to render (default: the first pages with a finding's highlight)")
    parser.add_argument("--defect", nargs=2, metavar=("OLD", "NEW"), help="Also report --text with OLD replaced by NEW")
    parser.add_argument("--defect-select", default="SUM", help="Rule codes or prefixes for the --defect report")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        report = work / "report.html"
        check(args.text, ROOT, "--format", "html", "-o", str(report), "--lang", args.lang)
        shoot_html(report, args.out / "html-report.png", work)
        shoot_html(report, args.out / "html-report-findings.png", work, skip=WINDOW[1] - 200)
        if args.defect:
            old, new = args.defect
            text = args.text.read_text(encoding="utf-8")
            if text.count(old) != 1:
                sys.exit(f"--defect: {old!r} occurs {text.count(old)} times in {args.text}, not once")
            planted = work / args.text.name
            planted.write_text(text.replace(old, new), encoding="utf-8")
            defect = work / "defect.html"
            check(planted, work, "--format", "html", "-o", str(defect), "--lang", args.lang, "--select", args.defect_select)
            shoot_html(defect, args.out / "html-report-defect.png", work)
        if args.pdf.is_file():
            annotated = work / "annotated.pdf"
            check(args.pdf, ROOT, "--annotate", str(annotated), "--lang", args.lang)
            for old in args.out.glob("annotated-page-*.png"):
                old.unlink()
            for page in args.pages or highlighted_pages(annotated)[:MAX_PDF_PAGES]:
                render_page(annotated, page, args.out / f"annotated-page-{page}.png", work)
        else:
            print(f"no PDF at {args.pdf}; skipped the annotated PDF", file=sys.stderr)
    for png in sorted(args.out.glob("*.png")):
        print(f"{png.relative_to(ROOT) if png.is_relative_to(ROOT) else png}  {png.stat().st_size // 1024} KB")
    return 0


def check(source: Path, cwd: Path, *options: str) -> None:
    """Run ``budgetlint check`` on ``source`` from ``cwd`` (paths show relative to it); only a crash fails."""
    source = source.resolve()
    shown = source.relative_to(cwd.resolve()) if source.is_relative_to(cwd.resolve()) else source
    command = [sys.executable, "-m", "budgetlint", "check", str(shown), "--no-cache", "--exit-zero", *options]
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
    if result.returncode not in (0, 1, 2) or "Traceback" in result.stderr:
        sys.exit(f"budgetlint failed ({result.returncode}):\n{result.stderr}")


def shoot_html(page: Path, png: Path, work: Path, skip: int = 0) -> None:
    """A WINDOW-sized screenshot of ``page``, starting ``skip`` pixels down."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium not found (apt-get install -y chromium)")
    width, height = WINDOW
    shot = work / "shot.png"
    command = [
        browser, *CHROMIUM_FLAGS, f"--user-data-dir={work / 'profile'}", f"--screenshot={shot}",
        f"--window-size={width},{height + skip}", page.as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    shrink(shot, png, crop=(0, skip, width, height + skip))


def highlighted_pages(pdf: Path) -> list[int]:
    """1-based numbers of the pages that carry a finding's highlight (not only a related one's)."""
    from pypdf import PdfReader

    pages = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        annots = [a.get_object() for a in page.get("/Annots") or ()]
        if any(a.get("/Subtype") == "/Highlight" and "-related-" not in str(a.get("/NM")) for a in annots):
            pages.append(number)
    return pages


def render_page(pdf: Path, page: int, png: Path, work: Path) -> None:
    if shutil.which("pdftoppm") is None:
        sys.exit("pdftoppm not found (apt-get install -y poppler-utils)")
    stem = work / f"page-{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(PDF_DPI), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=120,
    )
    shrink(stem.with_suffix(".png"), png)


def shrink(source: Path, target: Path, crop: tuple[int, int, int, int] | None = None) -> None:
    """Copy ``source`` to ``target``, cropped and reduced to a 256-colour palette if Pillow is there."""
    try:
        from PIL import Image
    except ImportError:
        shutil.copyfile(source, target)
        return
    with Image.open(source) as image:
        picture = image.convert("RGB")
        if crop:
            picture = picture.crop(crop)
        picture.quantize(colors=256, method=Image.Quantize.MAXCOVERAGE).save(target, optimize=True)


if __name__ == "__main__":
    sys.exit(main())

"""Evidence for reviewers from a PDF: the row or sentence quoted, related locations labelled, pages linked.

The reference document is rendered as a ruled PDF and checked once through the
CLI, writing the full format, JSON and two HTML reports (one beside the PDF,
one in the folder above) and a --report-dir.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import render
from click.testing import CliRunner
from html_dom import parse

from budgetlint.cache import Cache
from budgetlint.cli import main
from budgetlint.engine import FileResult
from budgetlint.findings import Finding, Severity
from budgetlint.location import Location
from budgetlint.quotes import Quote
from helpers import reference_text

RELATED_LABELS = ("正文表述：", "报表：", "另一张表：", "同表：", "同一行：")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """A folder holding docs/budget.pdf and the outputs of one check of it."""
    folder = tmp_path_factory.mktemp("pdf-evidence")
    (folder / "docs").mkdir()
    (folder / "docs" / "budget.pdf").write_bytes(render.render(reference_text()))
    result = CliRunner().invoke(
        main,
        [
            "check", str(folder / "docs" / "budget.pdf"), "--no-cache", "--min-severity", "info", "--format", "full",
            "-o", str(folder / "full.txt"), "--output", f"json:{folder / 'report.json'}",
            "--output", f"html:{folder / 'docs' / 'report.html'}", "--output", f"html:{folder / 'report.html'}",
            "--report-dir", str(folder / "reports"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.output
    return folder


def findings(run: Path) -> list[dict]:
    return json.loads((run / "report.json").read_text(encoding="utf-8"))["findings"]


def blocks(run: Path) -> list[tuple[dict, list[str]]]:
    """Each finding (from the JSON) with the lines under its headline in the full format, in the same order."""
    text = (run / "full.txt").read_text(encoding="utf-8")
    shown = [block.splitlines() for block in text.split("\n\n")[:-1]]
    pairs = list(zip(findings(run), shown, strict=True))
    assert all(f": {f['code']} [" in lines[0] for f, lines in pairs)
    return [(finding, lines[1:]) for finding, lines in pairs]


def related_lines(lines: list[str]) -> list[str]:
    """The lines under "相关位置:"."""
    return lines[lines.index("  相关位置:") + 1:] if "  相关位置:" in lines else []


def test_full_quotes_the_row_with_the_located_cell_marked(run):
    targets = [(f, lines) for f, lines in blocks(run) if f["code"] == "IND003"]
    assert targets
    for finding, lines in targets:
        assert lines[0].startswith("  所在行: ") and f"【{finding['evidence']['value']}】" in lines[0], lines


def test_full_quotes_the_sentence_of_a_prose_finding(run):
    (finding, lines), = [(f, lines) for f, lines in blocks(run) if f["code"] == "DOC007"]
    assert lines[0] == f"  原文: {finding['evidence']['excerpt']}"


def test_full_labels_each_related_location_and_quotes_it(run):
    related = [line for _, lines in blocks(run) for line in related_lines(lines)]
    assert len(related) == sum(len(f["related"]) for f in findings(run)) > 0
    assert all(line.startswith(tuple("    " + label for label in RELATED_LABELS)) for line in related)
    (finding, lines), = [(f, lines) for f, lines in blocks(run) if f["code"] == "TXT004"]
    (line,) = related_lines(lines)
    assert line.startswith(f"    正文表述：{finding['related'][0]['path']}:page {finding['related'][0]['page']}")
    assert f"“{finding['evidence']['head']}" in line  # the next paragraph's sentence, from the document model


def articles(page: Path) -> list:
    return parse(page.read_text(encoding="utf-8")).find_all("article")


@pytest.mark.parametrize(
    ("report", "prefix"),
    [("docs/report.html", ""), ("report.html", "docs/"), ("reports/documents/*.html", "../../docs/")],
)
def test_html_links_each_finding_to_its_page_of_the_pdf_beside_it(run, report, prefix):
    (report,) = [path.relative_to(run) for path in run.glob(report)]
    expected = Counter((f["code"], f"{prefix}budget.pdf#page={f['page']}") for f in findings(run) if f["page"])
    assert expected
    links = Counter()
    for article in articles(run / report):
        code = article.find_all("span", "code")[0].text()
        links.update((code, a.attrs["href"]) for a in article.find_all("a", "page"))
    assert links == expected


def test_html_quotes_rows_and_sentences_from_the_document_model(run):
    by_code: dict[str, list] = {}
    for article in articles(run / "report.html"):
        by_code.setdefault(article.find_all("span", "code")[0].text(), []).append(article)
    values = sorted(f["evidence"]["value"] for f in findings(run) if f["code"] == "IND003")
    assert sorted(td.text() for a in by_code["IND003"] for td in a.find_all("td", "hit")) == values
    (prose,) = by_code["DOC007"]
    assert not prose.find_all("table")  # outside any table: a quote, not a table excerpt
    assert [q.text() for q in prose.find_all("p", "quote")] == [f["evidence"]["excerpt"] for f in findings(run)
                                                                if f["code"] == "DOC007"]


def test_the_cache_keeps_the_quotes_of_a_file_checked_again_under_another_name(tmp_path):
    cache = Cache(tmp_path, "1", [])
    cell = Location("a.pdf", page=2, bbox=(72.5, 100.25, 210.0, 118.0), logical=("表一", "合计"))
    line = Location("a.pdf", page=3, bbox=(50.0, 700.0, 545.0, 712.5))
    finding = Finding("XYZ001", Severity.INFO, "m", cell, related=(line,), fingerprint="f")
    quotes = {cell: Quote(cells=("合计", "100.00"), hit=1), line: Quote(text="本年收入100.00万元。")}
    cache.put("key", FileResult("a.pdf", [finding], quotes=quotes))
    got = cache.get("key", "b.pdf")
    assert got.quotes == {replace(loc, path="b.pdf"): quote for loc, quote in quotes.items()}
    assert [got.quotes[loc] for loc in (got.findings[0].location, *got.findings[0].related)] == list(quotes.values())

"""The HTML report, parsed back with html.parser: summary, findings, highlighted cells, safety."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from html_dom import Node, parse

from budgetlint.catalogue import ui
from budgetlint.cli import main
from budgetlint.findings import Finding, Severity
from budgetlint.location import Location
from budgetlint.plugins import load_plugins
from budgetlint.report import Report
from budgetlint.reporters.html import SCRIPT, STYLE, render_html
from budgetlint.rules import Rule
from helpers import inject

TEXT = "docs/预算.txt"
PDF = "out/决算.pdf"
HOSTILE = "<script>alert(\"x\")</script>'\"><img src=x onerror=alert(1)>"
# Line 3 is the total row: "支出合计" TAB "100.00" TAB "60.00" TAB "30.10" (columns 6, 13 and 19).
SOURCE = [
    "一、收支总表",
    "项目\t合计\t一般公共预算\t政府性基金",
    "支出合计\t100.00\t60.00\t30.10",
    "（一）基本支出\t50.00\t50.00\t",
    "说明",
    "其他\t1\t2\t3",
    "本表合计与各项之和不符，详见附注。",
]
SUM = Rule(
    code="SUM001",
    name="row-sum",
    severity=Severity.ERROR,
    title={"zh": "合计不等于各项之和", "en": "Total differs from the sum of its items"},
    messages={"default": {"zh": "合计 {total} 不等于各项之和 {sum}", "en": "Total {total} differs from the sum {sum}"}},
    docs={},
)
NOTE = Rule(
    code="TXT001",
    name="stray-text",
    severity=Severity.WARNING,
    title={"zh": "多余文字", "en": "Stray text"},
    messages={"default": {"zh": "多余文字 {word}", "en": "Stray text {word}"}},
    docs={},
)


# --- reports built by hand ------------------------------------------------------------------


def sum_finding() -> Finding:
    return SUM.finding(
        Location(TEXT, line=3, column=6, end_line=3, end_column=12, logical=("表一 收支总表", "支出合计", "合计")),
        "zh",
        related=[
            Location(TEXT, line=3, column=13, end_line=3, end_column=18, logical=("表一 收支总表", "支出合计")),
            Location(TEXT, line=3, column=19, end_line=3, end_column=24),
            Location(TEXT, line=6, column=1, end_line=6, end_column=3),
        ],
        evidence={
            "formula": "合计 = 一般公共预算 + 政府性基金",
            "values": {"合计": Decimal("100.00"), "一般公共预算": Decimal("60.00"), "政府性基金": Decimal("30.10")},
            "tolerance": Decimal("0.01"),
        },
        total=Decimal("100.00"),
        sum=Decimal("90.10"),
    )


def prose_finding() -> Finding:
    return NOTE.finding(Location(TEXT, line=7, column=3, end_line=7, end_column=9), "zh", word="合计与各项之和")


def pdf_finding() -> Finding:
    loc = Location(PDF, page=3, bbox=(72.0, 100.5, 210.25, 118.0), logical=("表二 支出总表", "基本支出"))
    return NOTE.finding(loc, "zh", word="ＡＢＣ")


def make_report(findings: list[Finding] | None = None, lang: str = "zh", source=None) -> Report:
    findings = [sum_finding(), prose_finding(), pdf_finding()] if findings is None else findings
    return Report(
        findings=sorted(findings, key=Finding.sort_key),
        files=[TEXT, PDF, "clean.txt"],
        rules={r.code: r for r in (SUM, NOTE)},
        lang=lang,
        tool_version="9.9.9",
        source_lines={TEXT: SOURCE if source is None else source},
    )


def articles(root: Node) -> dict[str, Node]:
    """Each finding's article by "CODE where"."""
    return {f'{a.find_all("span", "code")[0].text()} {a.find_all("span", "where")[0].text()}': a
            for a in root.find_all("article")}


def test_html_is_a_registered_format():
    report = Report(findings=[], files=["a.txt"], rules={}, lang="en", tool_version="1")
    assert load_plugins().formats["html"].render(report) == render_html(report)


def test_summary_counts_files_severities_families_and_rules():
    root = parse(render_html(make_report(lang="en")))
    (summary,) = [n for n in root.walk() if n.attrs.get("id") == "summary"]
    cards = {" ".join(sorted(c.classes - {"card", "zero"})) or "files": c.find_all("b")[0].text() for c in summary.find_all("div", "card")}
    assert cards == {"files": "3", "error": "1", "warning": "2", "info": "0"}
    tables = summary.find_all("table", "stats")
    files = [[td.text() for td in tr.find_all("td")] for tr in tables[0].find_all("tr")[1:]]
    assert files == [[TEXT, "1", "1", "0"], [PDF, "0", "1", "0"], ["clean.txt", "0", "0", "0"]]
    families = [[td.text() for td in tr.find_all("td")] for tr in tables[1].find_all("tr")[1:]]
    assert families == [["SUM", "1"], ["TXT", "2"]]
    rules = [[td.text() for td in tr.find_all("td")] for tr in tables[2].find_all("tr")[1:]]
    assert rules == [["SUM001", "Total differs from the sum of its items", "error", "1"],
                     ["TXT001", "Stray text", "warning", "2"]]
    assert "3 findings (1 error, 2 warnings, 0 info) in 3 files" in root.find_all("header")[0].text()


def test_findings_grouped_by_document_then_table():
    root = parse(render_html(make_report()))
    documents = root.find_all("section", "document")
    assert [d.find_all("h2")[0].text() for d in documents] == [TEXT, PDF]
    assert [h.text() for h in documents[0].find_all("h3")] == ["表一 收支总表", "（不在报表内）"]
    assert [h.text() for h in documents[1].find_all("h3")] == ["表二 支出总表"]
    assert len(root.find_all("article")) == 3
    # The files table links each document with findings to its section.
    links = {a.attrs["href"] for a in root.find_all("a")}
    assert links == {f"#{d.attrs['id']}" for d in documents}


def test_a_finding_shows_code_severity_message_location_computation_and_related():
    found = articles(parse(render_html(make_report(lang="en"))))
    total = found["SUM001 line 3, column 6"]
    assert "finding" in total.classes and "error" in total.classes
    assert total.find_all("span", "badge")[0].text() == "error"
    assert total.find_all("p", "message")[0].text() == "合计 100.00 不等于各项之和 90.10"  # as the rule wrote it
    assert total.find_all("span", "where")[0].text() == "line 3, column 6"
    assert "表一 收支总表 › 支出合计 › 合计" in total.find_all("p", "logical")[0].text()
    (computation,) = total.find_all("dl", "computation")
    terms = [dt.text() for dt in computation.children if isinstance(dt, Node) and dt.tag == "dt"]
    assert terms == ["formula", "values", "tolerance"]
    text = computation.text()
    assert "合计 = 一般公共预算 + 政府性基金" in text and "30.10" in text and "0.01" in text
    related = [li.text() for li in total.find_all("ul", "related")[0].find_all("li")]
    assert related == [
        "same row: line 3, column 13 · 表一 收支总表 › 支出合计",
        "statement in the text: line 3, column 19",
        "statement in the text: line 6, column 1",
    ]


def test_pdf_finding_shows_its_page_and_no_excerpt():
    page = render_html(make_report(findings=[pdf_finding()]))
    (article,) = parse(page).find_all("article")
    assert article.find_all("span", "where")[0].text() == "第 3 页"
    assert not article.find_all("table") and not article.find_all("p", "quote")


def test_table_excerpt_highlights_the_offending_and_related_cells():
    found = articles(parse(render_html(make_report())))
    (table,) = found["SUM001 第 3 行第 6 列"].find_all("table", "rows")
    rows = table.find_all("tr")
    assert [r.find_all("th")[0].text() for r in rows if r.find_all("th")] == ["3", "6"]
    assert "gap" in rows[1].classes  # lines 4 and 5 left out
    assert [td.text() for td in table.find_all("td", "hit")] == ["100.00"]
    assert [td.text() for td in table.find_all("td", "rel")] == ["60.00", "30.10", "其他"]
    assert [td.text() for td in rows[0].find_all("td") if not td.classes] == ["支出合计"]


@pytest.mark.parametrize(
    ("line", "column", "end_column", "cell"),
    [
        ("a\t\tb", 3, None, 1),  # an empty cell between two TABs
        ("ab\tcd", 3, None, 0),  # the TAB after a cell belongs to it
        ("ab\tcd\tef", 4, 8, 1),  # a span over two cells highlights both
    ],
)
def test_the_highlighted_cell_is_the_one_whose_columns_hold_the_finding(line, column, end_column, cell):
    loc = Location(TEXT, line=1, column=column, end_line=1, end_column=end_column, logical=("表一",))
    report = make_report([NOTE.finding(loc, "zh", word="x")], source=[line])
    (table,) = parse(render_html(report)).find_all("table", "rows")
    cells = table.find_all("td")
    hits = [i for i, td in enumerate(cells) if "hit" in td.classes]
    assert hits == ([1, 2] if end_column else [cell])


def test_a_span_inside_a_long_cell_is_marked_and_the_cell_cut_around_it():
    cell = "甲" * 80 + "错别字" + "乙" * 80
    loc = Location(TEXT, line=1, column=6 + 80, end_line=1, end_column=6 + 83, logical=("表一",))  # cell at column 6
    report = make_report([NOTE.finding(loc, "zh", word="错别字")], source=["说明事项\t" + cell])
    (td,) = parse(render_html(report)).find_all("td", "hit")
    assert [m.text() for m in td.find_all("mark")] == ["错别字"]
    assert td.text().startswith("…") and td.text().endswith("…") and len(td.text()) < 80
    assert td.attrs["title"] == cell


def test_a_prose_finding_quotes_its_line_with_the_span_marked():
    found = articles(parse(render_html(make_report())))
    (quote,) = found["TXT001 第 7 行第 3 列"].find_all("p", "quote")
    assert quote.text() == "7本表合计与各项之和不符，详见附注。"
    assert [m.text() for m in quote.find_all("mark")] == ["合计与各项之"]


def hostile_report() -> Report:
    """Document text smuggling markup into every field that reaches the page."""
    path = f"docs/{HOSTILE}.txt"
    loc = Location(path, line=1, column=1, end_line=1, end_column=4, logical=(HOSTILE, HOSTILE))
    bad = Finding(
        "XYZ001", Severity.INFO, f"message {HOSTILE}\x1b[31m\u202e", loc,
        related=(Location(path, line=2, column=1, logical=(HOSTILE,)),),
        evidence={HOSTILE: HOSTILE, "values": {HOSTILE: [HOSTILE, 1]}},
        fingerprint='"><script>x</script>',
    )
    return Report(
        findings=[bad], files=[path], rules={}, lang="en", tool_version="1",
        source_lines={path: [f"{HOSTILE}\t</td></tr></table>{HOSTILE}", f"</textarea>{HOSTILE}\t1"]},
    )


def test_nothing_from_the_document_becomes_markup():
    page = render_html(hostile_report())
    root = parse(page)  # well-formed: no end tag from the document closed an element
    tags = {n.tag for n in root.walk()}
    assert not tags & {"img", "textarea", "iframe", "object", "embed", "link"}
    assert [n.text() for n in root.find_all("script")] == [SCRIPT]  # the report's own search script only
    assert not [name for n in root.walk() for name in n.attrs if name.startswith("on")]
    text = root.text()
    assert text.count(HOSTILE) >= 8  # path, table, logical, message, evidence, cells: shown as text
    assert "</td></tr></table>" in text
    assert "\x1b" not in page and "\u202e" not in page and "\\x1b[31m\\u202e" in text


def policy(root: Node) -> dict[str, str]:
    """The page's Content-Security-Policy, directive → sources."""
    (csp,) = [m for m in root.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in csp.attrs["content"].split(";"))


def test_one_inline_script_admitted_by_its_hash_and_no_remote_assets():
    root = parse(render_html(make_report()))
    (script,) = root.find_all("script")
    assert not script.attrs and not root.find_all("link") and not root.find_all("img")
    urls = [v for n in root.walk() for k, v in n.attrs.items() if k in ("href", "src", "action")]
    assert urls and all(u.startswith("#") for u in urls)
    style = "".join(n.text() for n in root.find_all("style"))
    assert "url(" not in style and "@import" not in style
    rules = policy(root)
    assert rules["default-src"] == "'none'"
    digest = base64.b64encode(hashlib.sha256(script.text().encode("utf-8")).digest()).decode("ascii")
    assert rules["script-src"] == f"'sha256-{digest}'"  # the exact text of the page's script, nothing else
    empty = parse(render_html(Report(findings=[], files=["a.txt"], rules={}, lang="en", tool_version="1")))
    assert not empty.find_all("script") and "script-src" not in policy(empty)


# --- filter and search ----------------------------------------------------------------------


def test_severity_filter_is_radio_inputs_before_the_findings_with_all_checked():
    root = parse(render_html(make_report(lang="en")))
    (section,) = [n for n in root.find_all("section") if n.attrs.get("id") == "findings"]
    children = [c for c in section.children if isinstance(c, Node)]
    radios = [c for c in children if c.tag == "input"]
    assert [r.attrs["id"] for r in radios] == ["show-all", "show-error", "show-warning"]  # no info found
    assert [r.attrs["type"] for r in radios] == ["radio"] * 3 and "checked" in radios[0].attrs
    assert not any("checked" in r.attrs for r in radios[1:])
    assert [c.classes for c in children[len(radios):]] == [{"filters"}, {"results"}]  # siblings after the radios
    labels = {label.attrs["for"]: label.text() for label in children[len(radios)].find_all("label")}
    assert labels == {"show-all": "all (3)", "show-error": "error (1)", "show-warning": "warning (2)"}
    assert len(children[-1].find_all("article")) == 3


def test_without_scripts_every_finding_is_shown_and_the_search_box_hidden():
    root = parse(render_html(make_report()))
    (search,) = [n for n in root.find_all("input") if n.attrs.get("type") == "search"]
    assert "hidden" in search.attrs
    assert not any("nomatch" in a.classes for a in root.find_all("article"))
    hiding = [rule for rule in re.findall(r"([^{}]+)\{display:none\}", STYLE) for rule in rule.split(",")]
    assert hiding
    for selector in hiding:  # hidden only by a severity chosen or a search made
        assert re.search(r"#show-(error|warning|info):checked", selector) or ".nomatch" in selector, selector
    for severity in ("error", "warning", "info"):
        assert f"#show-{severity}:checked~.results .finding:not(.{severity})" in STYLE


NODE_HARNESS = """
const texts = JSON.parse(process.argv[1]), query = process.argv[2];
const cards = texts.map(t => ({textContent: t, classes: new Set(),
  classList: {toggle(name, on) { on ? this.owner.classes.add(name) : this.owner.classes.delete(name); }}}));
cards.forEach(c => { c.classList.owner = c; });
let listener = null;
const box = {hidden: true, value: "", addEventListener(type, f) { if (type === "input") listener = f; }};
globalThis.document = {getElementById: id => id === "search" ? box : null, querySelectorAll: () => cards};
eval(require("fs").readFileSync(0, "utf8"));
box.value = query; listener();
console.log(JSON.stringify({hidden: box.hidden, shown: cards.map(c => !c.classes.has("nomatch"))}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is absent")
@pytest.mark.parametrize(
    ("query", "shown"),
    [("", [True, True, True]), ("sum001", [True, False, False]), ("txt001  第 3 页", [False, False, True])],
)
def test_search_script_hides_the_cards_lacking_a_word_typed(query, shown):
    root = parse(render_html(make_report()))
    texts = [a.text() for a in root.find_all("article")]
    result = subprocess.run(["node", "-e", NODE_HARNESS, json.dumps(texts), query], input=SCRIPT,
                            capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(result.stdout) == {"hidden": False, "shown": shown}


# --- links to the PDF page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written_to", "href"),
    [
        ("out/report.html", "%E5%86%B3%E7%AE%97.pdf#page=3"),
        ("reports/r.html", "../out/%E5%86%B3%E7%AE%97.pdf#page=3"),
        ("report.html", "out/%E5%86%B3%E7%AE%97.pdf#page=3"),
        (None, None),
    ],
)
def test_a_pdf_finding_links_to_its_page_relative_to_the_report(tmp_path, monkeypatch, written_to, href):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / PDF).write_bytes(b"%PDF-1.4\n")
    report = replace(make_report([pdf_finding()]), written_to=written_to)
    (article,) = parse(render_html(report)).find_all("article")
    links = article.find_all("a")
    assert [a.attrs["href"] for a in links] == ([href] if href else [])
    assert article.find_all("span", "where")[0].text() == "第 3 页"


def test_no_link_to_a_pdf_that_is_not_there(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = replace(make_report([pdf_finding()]), written_to="report.html")
    (article,) = parse(render_html(report)).find_all("article")
    assert not article.find_all("a")


def test_an_empty_report_says_so_in_its_language():
    report = Report(findings=[], files=["clean.txt"], rules={}, lang="en", tool_version="1")
    root = parse(render_html(report))
    assert "No findings." in root.text() and not root.find_all("article")
    assert root.find_all("html")[0].attrs["lang"] == "en"
    assert parse(render_html(make_report(lang="zh"))).find_all("html")[0].attrs["lang"] == "zh-Hans"


# --- end to end -----------------------------------------------------------------------------


def test_check_writes_an_html_report_of_a_hostile_document(tmp_path, monkeypatch):
    """The reference document with markup in a flagged table row and in its file name."""
    monkeypatch.chdir(tmp_path)
    source = tmp_path / 'budget"<i>.txt'
    source.write_text(inject("进一步规范 and 加强", f"进一步规范 and 加强{HOSTILE}"), encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "check", source.name, "--format", "html", "-o", "report.html", "--output", "json:report.json",
            "--timeout", "0", "--no-cache", "--lang", "en",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.output
    findings = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["findings"]
    root = parse((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert [n.text() for n in root.find_all("script")] == [SCRIPT] and not root.find_all("img")
    assert len(root.find_all("article")) == len(findings)
    assert sorted(a.find_all("span", "code")[0].text() for a in root.find_all("article")) == sorted(
        f["code"] for f in findings
    )
    assert root.find_all("section", "document")[0].find_all("h2")[0].text() == source.name
    stranded = [a for a in root.find_all("article") if a.find_all("span", "code")[0].text() == "TXT001"]
    (quote,) = [q for a in stranded for q in a.find_all("p", "quote") if q.find_all("mark")]
    assert [m.text() for m in quote.find_all("mark")] == ["and"]
    assert HOSTILE[:40] in quote.text()


def test_long_lists_of_related_locations_start_folded():
    few = parse(render_html(make_report([sum_finding()]))).find_all("details")
    assert len(few) == 1 and "open" in few[0].attrs
    many = sum_finding()
    many = Finding(many.code, many.severity, many.message, many.location,
                   related=tuple(Location(TEXT, line=n) for n in range(1, 8)), fingerprint="many")
    (folded,) = parse(render_html(make_report([many]))).find_all("details")
    assert "open" not in folded.attrs and len(folded.find_all("li")) == 7


def test_findings_outside_any_table_quote_their_line_not_a_table_excerpt(reference):
    result = CliRunner().invoke(
        main, ["check", reference.name, "--format", "html", "-o", "report.html", "--no-cache", "--min-severity", "info"],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.output
    lines = reference.read_text(encoding="utf-8").splitlines()
    groups = [g for doc in parse(Path("report.html").read_text(encoding="utf-8")).find_all("section", "document")
              for g in doc.children if isinstance(g, Node) and g.tag == "section"]
    outside = [a for g in groups if g.find_all("h3")[0].text() == ui("report_outside_table", "zh")
               for a in g.find_all("article")]
    assert [a for a in outside if on_row(a, lines)]  # a finding outside any table that sits on a TAB-separated line
    assert all(not a.find_all("table") and a.find_all("p", "quote") for a in outside)
    in_tables = [a for g in groups if g.find_all("h3")[0].text() != ui("report_outside_table", "zh")
                 for a in g.find_all("article") if on_row(a, lines)]
    assert in_tables and all(a.find_all("table", "rows") for a in in_tables)


def on_row(article: Node, lines: list[str]) -> bool:
    """Whether the finding's line (from "第 N 行…") is a TAB-separated table row."""
    line = re.match(r"第 (\d+) 行", article.find_all("span", "where")[0].text())
    return line is not None and "\t" in lines[int(line.group(1)) - 1]

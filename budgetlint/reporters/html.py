"""The HTML report: one self-contained page (inline CSS, one small inline script, no external asset).

A summary (files, counts by severity, by family and by rule) heads the page;
findings follow, grouped by document and then by table (the first part of the
logical location).  Each finding shows its code, severity, message, position
(a link to the page when the report is written beside the PDF), the computation
behind it (its evidence), its labelled related locations and the rows or line
it sits in with the located cells highlighted (for a PDF, the row or sentence
the document model quotes).

Above the findings, a severity filter works by CSS alone (radio inputs and
``:checked``); a search box is shown by the one inline script, which the
Content-Security-Policy admits by its SHA-256 hash and nothing else.  With
scripts off, every finding is still shown and the filter still works.

Every string from a document is escaped by :func:`el`, the one place markup is
built; the Content-Security-Policy forbids other scripts and remote loads on top.
"""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from budgetlint.catalogue import ui
from budgetlint.findings import Finding
from budgetlint.location import Location
from budgetlint.quotes import Quote
from budgetlint.report import Report
from budgetlint.reporters.common import (
    all_paths,
    escape_char,
    is_unsafe,
    labelled,
    quote_parts,
    severity_counts,
    summary_line,
)
from budgetlint.reporters.text import _evidence_label, _groups

LINE_CONTEXT = 60  # characters of a prose line kept either side of the located span
CELL_CONTEXT = 30  # characters of a table cell kept either side of a span inside it (or in all)
MAX_ROWS = 24  # table rows shown in one excerpt
OPEN_RELATED = 4  # longer lists of related locations start folded
NUMBER = re.compile(r"[-−+]?[\d,]*\.?\d+%?")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
# Shows the search box (hidden without scripts) and hides the findings whose text lacks every word typed.
SCRIPT = (
    '(function(){var box=document.getElementById("search");if(!box)return;box.hidden=false;'
    'var cards=document.querySelectorAll("article.finding");'
    'box.addEventListener("input",function(){'
    'var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean);'
    'cards.forEach(function(card){var text=card.textContent.toLowerCase();'
    'card.classList.toggle("nomatch",!words.every(function(w){return text.indexOf(w)>=0}))})})})();'
)
HTML_LANG = {"zh": "zh-Hans", "en": "en"}

STYLE = """
:root{--error:#c62828;--warning:#b26a00;--info:#1565c0;--line:#d9dde3;--muted:#5f6b7a;
--hit:#ffe082;--rel:#e3f0ff;--bg:#f6f7f9}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:#1d2430;font:15px/1.55 system-ui,-apple-system,"Segoe UI",
"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif}
header.top{background:#1f2a37;color:#fff;padding:20px 32px}
header.top h1{margin:0;font-size:22px}
header.top p{margin:4px 0 0;color:#cfd6df}
main{max-width:1180px;margin:0 auto;padding:20px 32px 48px}
h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line);word-break:break-all}
h3{font-size:16px;margin:18px 0 8px;color:#2c3a4b}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:4px 0 16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:24px}
.card.error b{color:var(--error)}.card.warning b{color:var(--warning)}.card.info b{color:var(--info)}
.card.zero b{color:var(--muted)}
.grid{display:grid;align-items:start;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
table.stats{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
table.stats th,table.stats td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
table.stats th{background:#eef1f5;font-weight:600}
table.rules{margin-top:16px}
table.stats .n{text-align:right;font-variant-numeric:tabular-nums}
td.path{word-break:break-all}
.finding{background:#fff;border:1px solid var(--line);border-left:5px solid var(--muted);border-radius:6px;
padding:8px 14px;margin:8px 0}
.finding.error{border-left-color:var(--error)}.finding.warning{border-left-color:var(--warning)}
.finding.info{border-left-color:var(--info)}
.head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.badge{font-size:12px;font-weight:700;color:#fff;border-radius:4px;padding:1px 7px;background:var(--muted)}
.badge.error{background:var(--error)}.badge.warning{background:var(--warning)}.badge.info{background:var(--info)}
.code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-weight:700}
.title,.where{color:var(--muted);font-size:13px}.where{margin-left:auto}
.message{margin:6px 0;font-size:15.5px}
.logical{color:var(--muted);font-size:13px;margin:2px 0}
dl.computation{display:grid;grid-template-columns:max-content 1fr;gap:1px 12px;margin:2px 0 6px;padding:6px 12px;
background:#f8fafc;border:1px solid var(--line);border-radius:6px;font-size:14px}
dl.computation dt{font-weight:600;color:#2c3a4b}dl.computation dd{margin:0;word-break:break-word}
dl.computation dl{display:grid;grid-template-columns:max-content 1fr;gap:0 10px;margin:0}
dl.computation dl dd{font-variant-numeric:tabular-nums}
dl.computation pre{margin:0;white-space:pre-wrap;font-size:12px}
.label{font-size:13px;font-weight:600;color:#2c3a4b;margin:6px 0 2px}
ul.related{margin:0;padding-left:20px;font-size:14px}
summary.label{cursor:pointer}
table.rows td.num{text-align:right;font-variant-numeric:tabular-nums}
.excerpt{overflow-x:auto;margin-top:6px}
table.rows{border-collapse:collapse;font-size:13px}
table.rows td,table.rows th{border:1px solid var(--line);padding:2px 8px;vertical-align:top;min-width:1.5em}
table.rows td{max-width:26em}
table.rows th{color:var(--muted);font-weight:400;background:#f3f4f6;text-align:right}
table.rows td.hit{background:var(--hit);outline:2px solid #f9a825;outline-offset:-2px}
table.rows td mark{background:#ffb300;font-weight:700}
table.rows td.rel mark{background:#90caf9}
table.rows td.rel{background:var(--rel)}
table.rows tr.gap td{border:none;color:var(--muted);text-align:center}
p.quote{font-size:14px;background:#f8fafc;border:1px solid var(--line);border-radius:6px;padding:6px 10px;margin:6px 0 0}
p.quote mark{background:var(--hit);font-weight:700}
p.quote .ln{color:var(--muted);margin-right:8px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:16px}
input.filter{position:absolute;opacity:0;pointer-events:none}
.filters{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:8px 0 4px}
.filters label{background:#fff;border:1px solid var(--line);border-radius:14px;padding:2px 12px;cursor:pointer}
.filters input[type=search]{margin-left:auto;min-width:18em;padding:4px 10px;border:1px solid var(--line);border-radius:6px;
font:inherit}
#show-all:checked~.filters label[for=show-all],#show-error:checked~.filters label[for=show-error],
#show-warning:checked~.filters label[for=show-warning],#show-info:checked~.filters label[for=show-info]
{background:#1f2a37;border-color:#1f2a37;color:#fff}
input.filter:focus-visible~.filters label{outline-offset:2px}
#show-all:focus-visible~.filters label[for=show-all],#show-error:focus-visible~.filters label[for=show-error],
#show-warning:focus-visible~.filters label[for=show-warning],#show-info:focus-visible~.filters label[for=show-info]
{outline:2px solid var(--info)}
.finding.nomatch{display:none}
#show-error:checked~.results .finding:not(.error),#show-warning:checked~.results .finding:not(.warning),
#show-info:checked~.results .finding:not(.info){display:none}
.results section:not(:has(.finding:not(.nomatch))),
#show-error:checked~.results section:not(:has(.finding.error:not(.nomatch))),
#show-warning:checked~.results section:not(:has(.finding.warning:not(.nomatch))),
#show-info:checked~.results section:not(:has(.finding.info:not(.nomatch))){display:none}
a.page{color:inherit}
ul.related .kind{font-weight:600;color:#2c3a4b}
ul.related q{color:#2c3a4b}
"""


class Markup(str):
    """Text that is already safe HTML."""


def text(value: object) -> Markup:
    """``value`` as escaped HTML text; control and format characters shown as escapes."""
    shown = "".join(escape_char(c) if is_unsafe(c) and c not in "\n\t" else c for c in str(value))
    return Markup(html.escape(shown, quote=True))


def el(tag: str, *children: object, **attrs: object) -> Markup:
    """``<tag attrs>children</tag>``; children that are not Markup are escaped, None skipped.

    ``tag`` and attribute names come from this module only; ``class_`` gives ``class``.
    """
    attributes = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{text(value)}"'
        for name, value in attrs.items()
        if value is not None
    )
    return Markup(f"<{tag}{attributes}>{_join(children)}</{tag}>")


def _join(children: Iterable[object]) -> Markup:
    parts = []
    for child in children:
        if child is None:
            continue
        if isinstance(child, (list, tuple)):
            parts.append(_join(child))
        else:
            parts.append(child if isinstance(child, Markup) else text(child))
    return Markup("".join(parts))


def render_html(report: Report) -> str:
    """The whole report as one HTML page."""
    script = SCRIPT if report.findings else None
    return page(
        report.lang, report.tool_version, summary_line(report), _summary(report), _findings(report), script=script
    )


def page(lang: str, version: str, subtitle: str, *sections: object, script: str | None = None) -> str:
    """A self-contained HTML page (inline style, no script but ``script``) with the report's header and footer.

    The Content-Security-Policy admits ``script`` by the SHA-256 hash of its exact text, and no other script.
    """
    policy = CSP
    if script is not None:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        policy += f"; script-src 'sha256-{digest}'"
    head = el(
        "head",
        Markup('<meta charset="utf-8">'),
        Markup(f'<meta http-equiv="Content-Security-Policy" content="{text(policy)}">'),
        Markup('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        el("title", ui("html_title", lang)),
        el("style", Markup(STYLE)),
    )
    body = el(
        "body",
        el("header", el("h1", ui("html_title", lang)), el("p", subtitle), class_="top"),
        el("main", *sections),
        el("footer", ui("html_generated", lang, version=version)),
        el("script", Markup(script)) if script is not None else None,
    )
    return f"<!DOCTYPE html>\n<html lang=\"{HTML_LANG.get(lang, lang)}\">\n{head}\n{body}\n</html>\n"


# --- summary --------------------------------------------------------------------------------


def _summary(report: Report) -> Markup:
    lang = report.lang
    cards = [el("div", el("b", len(report.files)), ui("html_files", lang), class_="card")]
    cards += [
        el("div", el("b", count), _severity(severity, lang), class_=f"card {severity}" + (" zero" if not count else ""))
        for severity, count in severity_counts(report).items()
    ]
    return el(
        "section",
        el("h2", ui("html_summary", lang)),
        el("div", cards, class_="cards"),
        el("div", _files_table(report), _family_table(report), class_="grid"),
        _rule_table(report) if report.findings else None,
        id="summary",
    )


def _files_table(report: Report) -> Markup:
    lang = report.lang
    per_file: dict[str, Counter[str]] = {path: Counter() for path in all_paths(report)}
    for finding in report.findings:
        per_file[finding.location.path][finding.severity.value] += 1
    order = list(severity_counts(report))
    header = el("tr", el("th", ui("html_file", lang)), [el("th", _severity(s, lang), class_="n") for s in order])
    rows = [
        el(
            "tr",
            el("td", el("a", path, href=f"#doc-{index}") if counts else path, class_="path"),
            [el("td", counts.get(s, 0), class_="n") for s in order],
        )
        for index, (path, counts) in enumerate(per_file.items())
    ]
    return el("table", header, rows, class_="stats")


def _family_table(report: Report) -> Markup:
    lang = report.lang
    families = Counter(f.family for f in report.findings)
    header = el("tr", el("th", ui("html_family", lang)), el("th", ui("html_count", lang), class_="n"))
    rows = [el("tr", el("td", family, class_="code"), el("td", n, class_="n")) for family, n in sorted(families.items())]
    return el("table", header, rows, class_="stats")


def _rule_table(report: Report) -> Markup:
    lang = report.lang
    header = el(
        "tr",
        el("th", ui("html_rule", lang)),
        el("th", ui("html_rule_title", lang)),
        el("th", ui("html_severity", lang)),
        el("th", ui("html_count", lang), class_="n"),
    )
    rows = []
    for code, count in sorted(report.by_code().items()):
        rule = report.rules.get(code)
        severities = sorted({f.severity for f in report.findings if f.code == code}, key=lambda s: -s.rank)
        rows.append(
            el(
                "tr",
                el("td", code, class_="code"),
                el("td", rule.title.get(lang, "") if rule else ""),
                el("td", ", ".join(_severity(s.value, lang) for s in severities)),
                el("td", count, class_="n"),
            )
        )
    return el("table", header, rows, class_="stats rules")


# --- findings -------------------------------------------------------------------------------


def _findings(report: Report) -> Markup:
    """The severity filter and search box, then the findings by document and table."""
    lang = report.lang
    if not report.findings:
        return el("p", ui("html_no_findings", lang))
    return el("section", _filters(report), el("div", _documents(report), class_="results"), id="findings")


def _filters(report: Report) -> Markup:
    """Radio inputs (all, then each severity found) with their labels, and the search box the script shows."""
    lang = report.lang
    shown = Counter(f.severity.value for f in report.findings)
    choices = [("all", ui("html_show_all", lang), len(report.findings))]
    choices += [(severity, _severity(severity, lang), shown[severity]) for severity in severity_counts(report)
                if shown[severity]]
    radios = [
        Markup(f'<input type="radio" name="show" id="show-{name}" class="filter"{" checked" if name == "all" else ""}>')
        for name, _, _ in choices
    ]
    labels = [el("label", f"{label} ({count})", for_=f"show-{name}") for name, label, count in choices]
    search = Markup(
        f'<input type="search" id="search" hidden placeholder="{text(ui("html_search", lang))}"'
        f' aria-label="{text(ui("html_search", lang))}">'
    )
    return Markup(_join(radios) + el("div", el("span", ui("html_show", lang), class_="label"), labels, search,
                                     class_="filters"))


def _documents(report: Report) -> Markup:
    lang = report.lang
    index = {path: i for i, path in enumerate(all_paths(report))}
    sections = []
    for path, in_file in _groups(report.findings, lambda f: f.location.path):
        tables = [
            el(
                "section",
                el("h3", table[0] if table else ui("report_outside_table", lang)),
                [_finding(f, report) for f in in_table],
            )
            for table, in_table in _groups(in_file, lambda f: f.location.logical[:1])
        ]
        sections.append(el("section", el("h2", path), tables, id=f"doc-{index[path]}", class_="document"))
    return _join(sections)


def _finding(finding: Finding, report: Report) -> Markup:
    lang = report.lang
    severity = finding.severity.value
    rule = report.rules.get(finding.code)
    title = rule.title.get(lang, "") if rule else ""
    return el(
        "article",
        el(
            "div",
            el("span", _severity(severity, lang), class_=f"badge {severity}"),
            el("span", finding.code, class_="code"),
            el("span", title, class_="title") if title else None,
            el("span", _page_link(finding.location, report), class_="where"),
            class_="head",
        ),
        el("p", finding.message, class_="message"),
        _logical(finding.location, lang),
        _computation(finding.evidence, lang),
        _related(finding, report),
        _excerpt(finding, report.source_lines.get(finding.location.path, ()), lang)
        or _quote(finding, report.quotes.get(finding.location), lang),
        class_=f"finding {severity}",
        id=f"f-{finding.fingerprint}" if finding.fingerprint else None,
    )


def _where(loc: Location, lang: str) -> str:
    """The position in words: line and column, line, page, or the whole file."""
    if loc.line is not None:
        if loc.column is not None:
            return ui("html_line_column", lang, line=loc.line, column=loc.column)
        return ui("html_line", lang, line=loc.line)
    if loc.page is not None:
        return ui("html_page", lang, page=loc.page)
    return ui("html_whole_file", lang)


def _page_link(loc: Location, report: Report) -> Markup:
    """The position in words, a link to ``file.pdf#page=N`` when the report is written where the file resolves."""
    where = _where(loc, report.lang)
    target = _page_target(loc, report.written_to)
    if target is None:
        return text(where)
    return el("a", where, href=target, class_="page", title=ui("html_open_page", report.lang, page=loc.page))


def _page_target(loc: Location, written_to: str | None) -> str | None:
    """``loc``'s file (if it exists) relative to the folder of ``written_to``, with ``#page=N``."""
    if written_to is None or loc.page is None or not os.path.isfile(loc.path):
        return None
    folder = os.path.dirname(os.path.abspath(written_to))
    try:
        relative = os.path.relpath(os.path.abspath(loc.path), folder)
    except ValueError:  # another drive
        return None
    return f"{urllib.parse.quote(PurePath(relative).as_posix())}#page={loc.page}"


def _logical(loc: Location, lang: str) -> Markup | None:
    if not loc.logical:
        return None
    return el("p", f"{ui('report_logical', lang)}: {loc.logical_text()}", class_="logical")


def _computation(evidence: Mapping[str, object], lang: str) -> Markup | None:
    """The evidence as "the computation": formula first, then values, tolerance and the rest."""
    if not evidence:
        return None
    keys = sorted(evidence, key=lambda k: (k != "formula", k != "values", k != "tolerance"))
    items = [(el("dt", _evidence_label(key, lang)), el("dd", _value(evidence[key]))) for key in keys]
    return Markup(el("div", ui("html_computation", lang), class_="label") + el("dl", items, class_="computation"))


def _value(value: object) -> Markup:
    if isinstance(value, Mapping):
        return el("dl", [(el("dt", key), el("dd", _value(item))) for key, item in value.items()])
    if isinstance(value, (list, tuple)):
        if any(isinstance(item, (Mapping, list, tuple)) for item in value):
            return el("ol", [el("li", _value(item)) for item in value])
        return Markup(", ".join(_value(item) for item in value))
    shown = str(value)
    return el("pre", shown) if "\n" in shown.strip() else text(shown)


def _related(finding: Finding, report: Report) -> Markup | None:
    """Each related location labelled with what it is, its row or sentence quoted when the report has it."""
    if not finding.related:
        return None
    lang = report.lang
    items = []
    for loc in finding.related:
        other_file = loc.path != finding.location.path
        parts = [loc.path if other_file else None, _where(loc, lang), loc.logical_text() or None]
        quote = report.quotes.get(loc)
        items.append(el(
            "li",
            labelled(finding, loc, " · ".join(p for p in parts if p), lang),
            [" · ", el("q", _quote_marked(quote))] if quote else None,
        ))
    label = f"{ui('report_related', lang)} ({len(items)})"
    return el(
        "details",
        el("summary", label, class_="label"),
        el("ul", items, class_="related"),
        open="" if len(items) <= OPEN_RELATED else None,
    )


# --- excerpts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    """Characters ``start:end`` (0-based, end exclusive; None: to the end) of one source line."""

    start: int
    end: int | None
    kind: str  # "hit" (the finding) or "rel" (a related location)


def _marks(finding: Finding, lines: Sequence[str]) -> dict[int, list[_Mark]]:
    """Source line number → the spans to highlight on it (the finding's first)."""
    marks: dict[int, list[_Mark]] = {}
    located = [(finding.location, "hit")] + [(r, "rel") for r in finding.related if r.path == finding.location.path]
    for loc, kind in located:
        if loc.line is not None and 1 <= loc.line <= len(lines):
            marks.setdefault(loc.line, []).append(_mark(loc, kind))
    return marks


def _mark(loc: Location, kind: str) -> _Mark:
    """The span of ``loc`` on its first line: the whole line without a column, to its end if it runs on."""
    if loc.column is None:
        return _Mark(0, None, kind)
    start = loc.column - 1
    if loc.end_line not in (None, loc.line):
        return _Mark(start, None, kind)
    if loc.end_column is None:
        return _Mark(start, start + 1, kind)
    return _Mark(start, max(start + 1, loc.end_column - 1), kind)


def _excerpt(finding: Finding, lines: Sequence[str], lang: str) -> Markup | None:
    """The table rows of a finding located in a table, else the quoted source line."""
    marks = _marks(finding, lines)
    line = finding.location.line
    if line not in marks:
        return None
    text_line = lines[line - 1].rstrip("\r\n")
    if "\t" in text_line and finding.location.logical:
        rows = sorted(n for n in marks if "\t" in lines[n - 1])
        return el("div", el("div", ui("html_excerpt", lang), class_="label"), _rows(rows, marks, lines), class_="excerpt")
    mark = marks[line][0]
    end = len(text_line) if mark.end is None else min(mark.end, len(text_line))
    start = min(mark.start, end)
    return el("p", el("span", line, class_="ln"), _snippet(text_line, start, end, LINE_CONTEXT), class_="quote")


def _quote(finding: Finding, quote: Quote | None, lang: str) -> Markup | None:
    """The row (in a table's layout, for a finding in a table) or sentence the document model quotes."""
    if quote is None:
        return None
    if quote.cells and finding.location.logical:
        whole = [_Mark(0, None, "hit")]
        row = [_cell(cell, 0, len(cell), whole if i == quote.hit else []) for i, cell in enumerate(quote.cells)]
        table = el("table", el("tr", row), class_="rows")
        return el("div", el("div", ui("html_excerpt", lang), class_="label"), table, class_="excerpt")
    return el("p", _quote_marked(quote), class_="quote")


def _quote_marked(quote: Quote) -> list[object]:
    """A quote on one line, its located cell marked."""
    before, hit, after = quote_parts(quote, CELL_CONTEXT)
    return [before, el("mark", hit) if hit else None, after]


def _rows(numbers: list[int], marks: dict[int, list[_Mark]], lines: Sequence[str]) -> Markup:
    """A table of the source rows ``numbers`` (line numbers first), "⋯" where rows are left out."""
    shown = numbers[:MAX_ROWS]
    cells = {n: _cells(lines[n - 1].rstrip("\r\n")) for n in shown}
    width = max(len(c) for c in cells.values())
    gap = el("tr", el("td", "⋯", colspan=width + 1), class_="gap")
    rows = []
    for previous, number in zip([None, *shown], shown):
        if previous is not None and number > previous + 1:
            rows.append(gap)
        row = [_cell(*cell, marks[number]) for cell in cells[number]]
        rows.append(el("tr", el("th", number), row, [el("td", "")] * (width - len(row))))
    if len(numbers) > len(shown):
        rows.append(gap)
    return el("table", rows, class_="rows")


def _cells(line: str) -> list[tuple[str, int, int]]:
    """The TAB-separated cells of ``line`` as (text, start, end) character offsets."""
    cells, start = [], 0
    for part in line.split("\t"):
        cells.append((part, start, start + len(part)))
        start += len(part) + 1
    return cells


def _cell(text: str, start: int, end: int, marks: list[_Mark]) -> Markup:
    """One cell: "hit" if the finding's span touches it, "rel" if a related one does.

    A span touches a cell if it overlaps it or begins at its end (the TAB after
    the cell, or an empty cell).  A span inside the cell is marked as well.
    """
    touching = sorted(
        (m for m in marks if m.start <= end and (m.end is None or m.end > start)),
        key=lambda m: m.kind != "hit",
    )
    inner = (0, 0)
    if touching:
        mark = touching[0]
        inner = (max(mark.start, start) - start, (end if mark.end is None else min(mark.end, end)) - start)
        if inner == (0, len(text)):
            inner = (0, 0)
    classes = [touching[0].kind] if touching else []
    classes += ["num"] if NUMBER.fullmatch(text.strip()) else []
    return el(
        "td",
        _snippet(text, *inner, CELL_CONTEXT),
        class_=" ".join(classes) or None,
        title=text if len(text) > CELL_CONTEXT else None,
    )


def _snippet(text: str, start: int, end: int, context: int) -> list[object]:
    """``text`` with ``text[start:end]`` marked, cut to ``context`` characters either side."""
    first, last = max(0, start - context), min(len(text), end + context)
    return [
        "…" if first else None,
        text[first:start],
        el("mark", text[start:end]) if end > start else None,
        text[end:last],
        "…" if last < len(text) else None,
    ]


# --- labels ---------------------------------------------------------------------------------


def _severity(value: str, lang: str) -> str:
    return ui(f"html_severity_{value}", lang)

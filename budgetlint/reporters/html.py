"""The HTML report: one self-contained page (inline CSS, no script, no external asset).

A summary (files, counts by severity, by family and by rule) heads the page;
findings follow, grouped by document and then by table (the first part of the
logical location).  Each finding shows its code, severity, message, position,
the computation behind it (its evidence), its related locations and, for a
text source, the rows or line it sits in with the located cells highlighted.

Every string from a document is escaped by :func:`el`, the one place markup is
built; a Content-Security-Policy forbids scripts and remote loads on top.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from budgetlint.catalogue import ui
from budgetlint.findings import Finding
from budgetlint.location import Location
from budgetlint.report import Report
from budgetlint.reporters.common import all_paths, escape_char, is_unsafe, severity_counts, summary_line
from budgetlint.reporters.text import _evidence_label, _groups

LINE_CONTEXT = 60  # characters of a prose line kept either side of the located span
CELL_CONTEXT = 30  # characters of a table cell kept either side of a span inside it (or in all)
MAX_ROWS = 24  # table rows shown in one excerpt
OPEN_RELATED = 4  # longer lists of related locations start folded
NUMBER = re.compile(r"[-−+]?[\d,]*\.?\d+%?")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
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
    return page(report.lang, report.tool_version, summary_line(report), _summary(report), _findings(report))


def page(lang: str, version: str, subtitle: str, *sections: object) -> str:
    """A self-contained HTML page (inline style, no scripts) with the report's header and footer."""
    head = el(
        "head",
        Markup('<meta charset="utf-8">'),
        Markup(f'<meta http-equiv="Content-Security-Policy" content="{text(CSP)}">'),
        Markup('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        el("title", ui("html_title", lang)),
        el("style", Markup(STYLE)),
    )
    body = el(
        "body",
        el("header", el("h1", ui("html_title", lang)), el("p", subtitle), class_="top"),
        el("main", *sections),
        el("footer", ui("html_generated", lang, version=version)),
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
    lang = report.lang
    if not report.findings:
        return el("p", ui("html_no_findings", lang))
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
            el("span", _where(finding.location, lang), class_="where"),
            class_="head",
        ),
        el("p", finding.message, class_="message"),
        _logical(finding.location, lang),
        _computation(finding.evidence, lang),
        _related(finding, lang),
        _excerpt(finding, report.source_lines.get(finding.location.path, ()), lang),
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


def _related(finding: Finding, lang: str) -> Markup | None:
    if not finding.related:
        return None
    items = []
    for loc in finding.related:
        other_file = loc.path != finding.location.path
        parts = [loc.path if other_file else None, _where(loc, lang), loc.logical_text() or None]
        items.append(el("li", " · ".join(p for p in parts if p)))
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
    if "\t" in text_line:
        rows = sorted(n for n in marks if "\t" in lines[n - 1])
        return el("div", el("div", ui("html_excerpt", lang), class_="label"), _rows(rows, marks, lines), class_="excerpt")
    mark = marks[line][0]
    end = len(text_line) if mark.end is None else min(mark.end, len(text_line))
    start = min(mark.start, end)
    return el("p", el("span", line, class_="ln"), _snippet(text_line, start, end, LINE_CONTEXT), class_="quote")


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

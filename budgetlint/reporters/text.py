"""Human-readable formats: concise, full and grouped.

Every finding's headline is ``path:line:col: CODE [severity] message`` for a
text source, ``path:page N: CODE [severity] message`` for a PDF location, or
``path: CODE [severity] message`` for the file as a whole.  The position
syntax and severity names stay fixed (editors parse the one, configuration
files use the other); labels and the summary line come from the catalogue in the
report's language.  Untrusted text is shown with control characters escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from budgetlint.catalogue import CatalogueError, ui
from budgetlint.findings import Finding
from budgetlint.location import Location
from budgetlint.quotes import Quote
from budgetlint.report import Report
from budgetlint.reporters.common import (
    char_width,
    escape_char,
    is_unsafe,
    labelled,
    locator,
    position,
    printable,
    quote_parts,
    summary_line,
)

TAB_SIZE = 4
MAX_WIDTH = 100  # display cells of a source line shown whole
CONTEXT = 40  # display cells kept either side of the span in a longer line
ELLIPSIS = "..."
COMPUTED_PLACES = 4  # decimals shown of a computed bound: two more than the usual stated 2
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


def render_concise(report: Report) -> str:
    lines = [headline(f) for f in report.findings]
    return "\n".join([*lines, summary_line(report)]) + "\n"


def render_full(report: Report) -> str:
    blocks = [
        "\n".join([
            headline(f),
            *(excerpt(f.location, report.source_lines) or quoted(f.location, report.quotes, report.lang)),
            *details(f, report.lang, report.quotes),
        ])
        for f in report.findings
    ]
    return "\n\n".join([*blocks, summary_line(report)]) + "\n"


def render_grouped(report: Report) -> str:
    blocks = []
    for path, in_file in _groups(report.findings, lambda f: f.location.path):
        lines = [printable(path)]
        for table, in_table in _groups(in_file, lambda f: f.location.logical[:1]):
            lines.append("  " + (printable(table[0]) if table else ui("report_outside_table", report.lang)))
            lines += ["    " + _grouped_line(f) for f in in_table]
        blocks.append("\n".join(lines))
    return "\n\n".join([*blocks, summary_line(report)]) + "\n"


def headline(finding: Finding) -> str:
    """``path:line:col: CODE [severity] message``."""
    return f"{printable(position(finding.location))}: {_code_and_message(finding)}"


def excerpt(loc: Location, source_lines: Mapping[str, Sequence[str]]) -> list[str]:
    """The source line of ``loc`` with a caret line under column..end_column.

    Tabs are expanded and wide (CJK) characters count two cells, so the
    carets sit under the located text in a terminal.  A line wider than
    MAX_WIDTH cells is cut to CONTEXT cells either side of the span.
    """
    lines = source_lines.get(loc.path, ())
    if loc.line is None or not 1 <= loc.line <= len(lines):
        return []
    cells = _cells(lines[loc.line - 1].rstrip("\r\n"))
    widths = [width for _, width in cells]
    start = loc.column - 1 if loc.column is not None else 0
    if loc.end_line not in (None, loc.line):
        end = len(cells)
    elif loc.end_column is not None:
        end = loc.end_column - 1
    else:
        end = start + 1
    first, last = (0, len(cells)) if sum(widths) <= MAX_WIDTH else _window(widths, start, end)
    head = ELLIPSIS if first > 0 else ""
    tail = ELLIPSIS if last < len(cells) else ""
    gutter = str(loc.line)
    shown = [f" {gutter} | {head}" + "".join(text for text, _ in cells[first:last]) + tail]
    if loc.column is not None:
        pad = len(head) + sum(widths[first:start])
        shown.append(f" {' ' * len(gutter)} | " + " " * pad + "^" * max(1, sum(widths[start:end])))
    return shown


def quoted(loc: Location, quotes: Mapping[Location, Quote], lang: str) -> list[str]:
    """The row (its located cell in 【】) or sentence ``loc`` sits in, for a source without lines."""
    quote = quotes.get(loc)
    if quote is None:
        return []
    label = ui("report_quote_row" if quote.cells else "report_quote_text", lang)
    return [f"  {label}: {printable(_quote_line(quote))}"]


def _quote_line(quote: Quote) -> str:
    before, hit, after = quote_parts(quote, CONTEXT)
    return f"{before}【{hit}】{after}" if hit else before + after


def details(finding: Finding, lang: str, quotes: Mapping[Location, Quote] | None = None) -> list[str]:
    """Indented lines: logical location, evidence, related locations (labelled, quoted when ``quotes`` has them)."""
    lines = []
    if finding.location.logical:
        lines.append(f"  {ui('report_logical', lang)}: {printable(finding.location.logical_text())}")
    if finding.evidence:
        lines.append(f"  {ui('report_evidence', lang)}:")
        for key, value in finding.evidence.items():
            first, *rest = _value_text(value, lang).splitlines() or [""]
            lines.append(f"    {_evidence_label(key, lang)}: {printable(first)}")
            lines += ["      " + printable(line) for line in rest]
    if finding.related:
        lines.append(f"  {ui('report_related', lang)}:")
        for loc in finding.related:
            quote = (quotes or {}).get(loc)
            parts = [position(loc), loc.logical_text(), quote and f"“{_quote_line(quote)}”"]
            lines.append("    " + printable(labelled(finding, loc, "  ".join(p for p in parts if p), lang)))
    return lines


def _value_text(value: object, lang: str) -> str:
    """Evidence as text, keys labelled in ``lang``; Decimals keep their stated digits, computed ones at most four."""
    if isinstance(value, Mapping):
        return ", ".join(f"{_evidence_label(str(key), lang)} = {_value_text(item, lang)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(item, lang) for item in value)
    if isinstance(value, bool):
        return ui("evidence_yes" if value else "evidence_no", lang)
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent < -COMPUTED_PLACES:
        return str(value.quantize(Decimal(1).scaleb(-COMPUTED_PLACES)))
    return str(value)


def _code_and_message(finding: Finding) -> str:
    return f"{finding.code} [{finding.severity.value}] {printable(finding.message)}"


def _grouped_line(finding: Finding) -> str:
    where = locator(finding.location)
    line = f"{where}: {_code_and_message(finding)}" if where else _code_and_message(finding)
    rest = finding.location.logical[1:]
    return f"{line}  ({printable(' › '.join(rest))})" if rest else line


def _evidence_label(key: str, lang: str) -> str:
    try:
        return ui(f"evidence_{key}", lang)
    except CatalogueError:
        return printable(key)


def _cells(text: str) -> list[tuple[str, int]]:
    """Each character as (what is shown, display width)."""
    cells: list[tuple[str, int]] = []
    column = 0
    for char in text:
        if char == "\t":
            shown = " " * (TAB_SIZE - column % TAB_SIZE)
            width = len(shown)
        elif is_unsafe(char):
            shown = escape_char(char)
            width = len(shown)
        else:
            shown = char
            width = char_width(char)
        cells.append((shown, width))
        column += width
    return cells


def _window(widths: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """The character range showing ``start:end`` with up to CONTEXT cells either side."""
    first, room = start, CONTEXT
    while first > 0 and widths[first - 1] <= room:
        first -= 1
        room -= widths[first]
    last, room = max(end, start), CONTEXT
    while last < len(widths) and widths[last] <= room:
        room -= widths[last]
        last += 1
    return first, last


def _groups(items: Iterable[T], key: Callable[[T], K]) -> list[tuple[K, list[T]]]:
    """Items grouped by ``key``, groups in order of first appearance."""
    groups: dict[K, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.items())

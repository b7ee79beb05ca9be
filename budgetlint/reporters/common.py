"""Helpers shared by the output formats: positions, paths, summaries, safe text."""

from __future__ import annotations

import os
import unicodedata
from pathlib import PurePath

from budgetlint.catalogue import ui, ui_count
from budgetlint.findings import Finding, Severity
from budgetlint.location import Location
from budgetlint.quotes import Quote
from budgetlint.report import Report

# Controls, format characters (bidi overrides, zero-width spaces), line and
# paragraph separators and lone surrogates: untrusted text containing them
# could break a one-line-per-finding format, hide itself or rewrite what a
# terminal shows.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
MAX_QUOTE = 200  # characters of a quoted sentence shown (the finding's span within it is not known)


def is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in UNSAFE_CATEGORIES


def escape_char(char: str) -> str:
    """A visible escape for one character: ``\\n``, ``\\x1b``, ``\\u200b``."""
    return char.encode("unicode_escape").decode("ascii")


def char_width(char: str) -> int:
    """Terminal cells ``char`` takes: 2 for wide (CJK) characters, 0 for combining marks."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal cells ``text`` takes."""
    return sum(char_width(c) for c in text)


def printable(text: str) -> str:
    """``text`` with every unsafe character shown as an escape."""
    return "".join(escape_char(c) if is_unsafe(c) else c for c in text)


def locator(loc: Location) -> str:
    """The position inside the file: ``12:5``, ``12``, ``page 3`` or ``""`` (whole file)."""
    if loc.line is not None:
        return f"{loc.line}:{loc.column}" if loc.column is not None else str(loc.line)
    if loc.page is not None:
        return f"page {loc.page}"
    return ""


def message_with_page(finding: Finding) -> str:
    """The message, led by ``page 3:`` when the location has a page but no line (PDF)."""
    loc = finding.location
    where = locator(loc) if loc.line is None else ""
    return f"{where}: {finding.message}" if where else finding.message


def position(loc: Location) -> str:
    """``path:12:5``, ``path:page 3`` or ``path``."""
    where = locator(loc)
    return f"{loc.path}:{where}" if where else loc.path


def severity_counts(report: Report) -> dict[str, int]:
    """Findings per severity, every severity present (most severe first)."""
    counts = report.counts()
    return {s.value: counts.get(s, 0) for s in sorted(Severity, key=lambda s: -s.rank)}


def summary_line(report: Report) -> str:
    """The one-line summary from the catalogue, in the report's language."""
    lang = report.lang
    files = files_checked(report)
    total = sum(report.counts().values())
    if not total:
        return ui("summary_clean", lang, files=files)
    counts = {name: ui_count(f"count_{name}", lang, n) for name, n in severity_counts(report).items()}
    line = ui("summary", lang, findings=ui_count("count_findings", lang, total), files=files, **counts)
    hidden = sum(report.hidden.values())
    return line + ui("summary_hidden", lang, count=hidden) if hidden else line


def files_checked(report: Report) -> str:
    """``1 file``, or ``1 file (2 PDFs)`` when documents were checked in parts."""
    lang = report.lang
    files = ui_count("count_files", lang, len(report.files))
    parts = [part for path in report.files for part in report.parts.get(path, (path,))]
    if len(parts) == len(report.files):
        return files
    every_pdf = all(PurePath(part).suffix.lower() == ".pdf" for part in parts)
    counted = ui_count("count_pdfs" if every_pdf else "count_parts", lang, len(parts))
    return ui("files_in_parts", lang, files=files, parts=counted)


def all_paths(report: Report) -> list[str]:
    """The checked files, then any other file a finding or related location names."""
    paths = dict.fromkeys(report.files)
    for finding in report.findings:
        paths.update(dict.fromkeys(loc.path for loc in (finding.location, *finding.related)))
    return list(paths)


def relative_path(path: str) -> str | None:
    """``path`` relative to the working directory with ``/`` separators, or None (other drive)."""
    try:
        return PurePath(os.path.relpath(os.path.abspath(path))).as_posix()
    except ValueError:
        return None


def related_kind(finding: Finding, related: Location) -> str:
    """What ``related`` is beside the finding, by logical path: the catalogue key of its label."""
    mine, theirs = finding.location.logical, related.logical
    if not theirs:
        return "related_text"
    if not mine:
        return "related_table"
    if theirs[0] != mine[0]:
        return "related_other_table"
    if len(mine) > 1 and theirs[:2] == mine[:2]:
        return "related_same_row"
    return "related_same_table"


def labelled(finding: Finding, related: Location, where: str, lang: str) -> str:
    """``where`` led by what the related location is: ``同表：第 3 页 · …``."""
    return ui("related_item", lang, label=ui(related_kind(finding, related), lang), where=where)


def quote_parts(quote: Quote, context: int) -> tuple[str, str, str]:
    """A quote on one line as (before, located cell, after), cut to ``context`` characters around the cell.

    A row's non-empty cells are joined by `` | ``; a sentence (or a row without
    a located cell) is all "after", cut to MAX_QUOTE characters.
    """
    if quote.hit is None or not 0 <= quote.hit < len(quote.cells):
        text = " | ".join(cell for cell in quote.cells if cell.strip()) if quote.cells else quote.text
        return "", "", _head(text, MAX_QUOTE)
    cells, hit = quote.cells, quote.hit
    before = "".join(f"{cell} | " for cell in cells[:hit] if cell.strip())
    after = "".join(f" | {cell}" for cell in cells[hit + 1:] if cell.strip())
    tail = before[-context:] if len(before) > context else before
    return ("…" + tail if tail != before else tail), _head(cells[hit], 2 * context), _head(after, context)


def _head(text: str, width: int) -> str:
    """The first ``width`` characters of ``text``, "…" marking a cut."""
    return text if len(text) <= width else text[:width] + "…"

"""A corpus as a folder of HTML: one report per document and an overview that links them.

``budgetlint check corpus/ --report-dir reports/`` writes ``reports/index.html``
(every document with its kind, year, department and finding counts) and
``reports/documents/NNNN-name.html`` (that document's full report).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path, PurePath

from budgetlint.catalogue import ui
from budgetlint.report import Report
from budgetlint.reporters.common import severity_counts, summary_line
from budgetlint.reporters.html import el, page, render_html

SUBDIR = "documents"
_UNSAFE = re.compile(r"[^\w.-]+")


def write_report_dir(report: Report, directory: Path) -> Path:
    """Write the per-document reports and the overview; return the overview's path."""
    (directory / SUBDIR).mkdir(parents=True, exist_ok=True)
    links = {}
    by_file: dict[str, list] = {}
    for finding in report.findings:
        by_file.setdefault(finding.location.path, []).append(finding)
    for number, path in enumerate(report.files, start=1):
        name = f"{number:04d}-{_UNSAFE.sub('_', PurePath(path).name)[:80]}.html"
        target = directory / SUBDIR / name
        single = replace(
            report,
            files=[path],
            findings=by_file.get(path, []),
            documents={path: report.documents.get(path, {})},
            written_to=str(target),
        )
        target.write_text(render_html(single), encoding="utf-8")
        links[path] = f"{SUBDIR}/{name}"
    index = directory / "index.html"
    index.write_text(render_overview(report, links), encoding="utf-8")
    return index


def render_overview(report: Report, links: dict[str, str]) -> str:
    lang = report.lang
    severities = list(severity_counts(report))
    header = el(
        "tr",
        el("th", ui("html_file", lang)),
        el("th", ui("overview_kind", lang)),
        el("th", ui("overview_year", lang)),
        el("th", ui("overview_department", lang)),
        [el("th", ui(f"html_severity_{s}", lang), class_="n") for s in severities],
    )
    counts = Counter((f.location.path, f.severity.value) for f in report.findings)
    rows = []
    for path in report.files:
        meta = report.documents.get(path, {})
        rows.append(el(
            "tr",
            el("td", el("a", path, href=links[path]), class_="path"),
            el("td", meta.get("kind") or ""),
            el("td", meta.get("year") or ""),
            el("td", meta.get("department") or ""),
            [el("td", counts[path, s], class_="n") for s in severities],
        ))
    table = el("table", header, rows, class_="stats")
    section = el("section", el("h2", ui("overview_documents", lang)), table)
    return page(lang, report.tool_version, summary_line(report), section)

"""The built-in output formats, registered like any plugin's.

Each renderer's module is imported when its format is first used, so a run
pays only for the format it prints.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from budgetlint.hookspecs import hookimpl
from budgetlint.report import Report
from budgetlint.reporters import Format


def _lazy(module: str, function: str) -> Callable[[Report], str]:
    """``budgetlint.reporters.<module>.<function>``, imported on the first call."""

    def render(report: Report) -> str:
        return getattr(importlib.import_module(f"budgetlint.reporters.{module}"), function)(report)

    render.__qualname__ = render.__name__ = function
    return render


@hookimpl
def budgetlint_formats() -> list[Format]:
    return [
        Format("concise", "one line per finding: path:line:col: CODE [severity] message", _lazy("text", "render_concise"),
               reading=True),
        Format("full", "each finding with its source excerpt, evidence and related locations",
               _lazy("text", "render_full"), reading=True),
        Format("grouped", "findings grouped by file, then by table", _lazy("text", "render_grouped"), reading=True),
        Format("json", "one JSON document: findings and summary counts", _lazy("json", "render_json")),
        Format("jsonl", "one JSON object per finding per line", _lazy("json", "render_jsonl")),
        Format("sarif", "SARIF 2.1.0, for GitHub code scanning and other SARIF viewers", _lazy("sarif", "render_sarif")),
        Format("github", "GitHub Actions workflow commands (annotations)", _lazy("github", "render_github")),
        Format("junit", "JUnit XML, one test suite per checked file", _lazy("junit", "render_junit")),
        Format("html", "one self-contained HTML page: summary, findings by table, highlighted excerpts",
               _lazy("html", "render_html")),
        Format("corpus-csv", "counts by rule, severity, document kind, year and department (CSV)",
               _lazy("corpus", "render_corpus_csv")),
        Format("corpus-json", "the same corpus summary as JSON, with every document's metadata",
               _lazy("corpus", "render_corpus_json")),
    ]

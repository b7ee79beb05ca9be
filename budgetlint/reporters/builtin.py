"""The built-in output formats, registered like any plugin's."""

from __future__ import annotations

from budgetlint.hookspecs import hookimpl
from budgetlint.reporters import Format
from budgetlint.reporters.corpus import render_corpus_csv, render_corpus_json
from budgetlint.reporters.github import render_github
from budgetlint.reporters.html import render_html
from budgetlint.reporters.json import render_json, render_jsonl
from budgetlint.reporters.junit import render_junit
from budgetlint.reporters.sarif import render_sarif
from budgetlint.reporters.text import render_concise, render_full, render_grouped


@hookimpl
def budgetlint_formats() -> list[Format]:
    return [
        Format("concise", "one line per finding: path:line:col: CODE [severity] message", render_concise),
        Format("full", "each finding with its source excerpt, evidence and related locations", render_full),
        Format("grouped", "findings grouped by file, then by table", render_grouped),
        Format("json", "one JSON document: findings and summary counts", render_json),
        Format("jsonl", "one JSON object per finding per line", render_jsonl),
        Format("sarif", "SARIF 2.1.0, for GitHub code scanning and other SARIF viewers", render_sarif),
        Format("github", "GitHub Actions workflow commands (annotations)", render_github),
        Format("junit", "JUnit XML, one test suite per checked file", render_junit),
        Format("html", "one self-contained HTML page: summary, findings by table, highlighted excerpts", render_html),
        Format("corpus-csv", "counts by rule, severity, document kind, year and department (CSV)", render_corpus_csv),
        Format("corpus-json", "the same corpus summary as JSON, with every document's metadata", render_corpus_json),
    ]

"""Corpus summaries: finding counts by rule × document kind × year × department.

For researchers and provincial finance departments who lint thousands of
disclosures and want the pattern, not the list.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from budgetlint.report import Report

COLUMNS = ("code", "severity", "kind", "year", "department", "findings", "documents")


def summary_rows(report: Report) -> list[dict[str, object]]:
    """One row per (rule, severity, kind, year, department) with finding and document counts."""
    findings: Counter[tuple] = Counter()
    documents: dict[tuple, set[str]] = {}
    for finding in report.findings:
        meta = report.documents.get(finding.location.path, {})
        key = (finding.code, finding.severity.value, meta.get("kind") or "", meta.get("year") or "",
               meta.get("department") or "")
        findings[key] += 1
        documents.setdefault(key, set()).add(finding.location.path)
    return [dict(zip(COLUMNS, (*key, findings[key], len(documents[key])))) for key in sorted(findings, key=str)]


def render_corpus_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(summary_rows(report))
    return buffer.getvalue()


def render_corpus_json(report: Report) -> str:
    documents = [{"path": path, **meta} for path, meta in sorted(report.documents.items())]
    data = {"rows": summary_rows(report), "documents": documents}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

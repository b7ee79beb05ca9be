"""Machine-readable formats: json (one document) and jsonl (one finding per line).

Both use :meth:`Finding.to_dict`; Decimals appear as strings with their stated
digits, and text is written as UTF-8 (``ensure_ascii=False``).
"""

from __future__ import annotations

import json

from budgetlint.report import Report
from budgetlint.reporters.common import severity_counts


def render_json(report: Report) -> str:
    data = {"findings": [f.to_dict() for f in report.findings], "summary": summary(report)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(report: Report) -> str:
    return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in report.findings)


def summary(report: Report) -> dict[str, object]:
    """Counts by severity, code and file, and how many files were checked."""
    return {
        "total": len(report.findings),
        "by_severity": severity_counts(report),
        "by_code": dict(sorted(report.by_code().items())),
        "by_file": dict(report.by_file()),
        "files_checked": len(report.files),
    }

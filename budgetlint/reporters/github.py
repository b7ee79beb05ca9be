"""GitHub Actions workflow commands: one annotation per finding.

``::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message``
(``warning`` and ``notice`` for warning and info findings).  Columns are only
given for a single-line span, as GitHub annotates columns within one line.
A PDF location has no line: its annotation is on the file and the message
starts with ``page N:``.  Values are escaped as the Actions toolkit does.
"""

from __future__ import annotations

from budgetlint.findings import Finding, Severity
from budgetlint.report import Report
from budgetlint.reporters.common import message_with_page, relative_path, summary_line

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(report: Report) -> str:
    lines = [command(f) for f in report.findings]
    return "\n".join([*lines, summary_line(report)]) + "\n"


def command(finding: Finding) -> str:
    loc = finding.location
    properties: dict[str, object] = {"file": relative_path(loc.path) or loc.path}
    if loc.line is not None:
        one_line = loc.end_line in (None, loc.line)
        properties["line"] = loc.line
        if loc.column is not None and one_line:
            properties["col"] = loc.column
        if loc.end_line is not None:
            properties["endLine"] = loc.end_line
        if loc.column is not None and loc.end_column is not None and one_line:
            properties["endColumn"] = loc.end_column
    properties["title"] = finding.code
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message_with_page(finding))}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

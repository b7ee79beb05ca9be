"""JUnit XML, for CI test-report viewers (GitLab, Jenkins, Azure…).

One ``testsuite`` per checked file.  Each finding is a failed ``testcase``
named ``CODE position`` whose ``failure`` carries the message and, as its
text, the full-format detail; a file without findings has one passing
testcase, so clean files show as passed.  The tree is built with ElementTree,
and characters XML 1.0 cannot carry at all are written as escapes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from budgetlint.findings import Finding
from budgetlint.hookspecs import PROJECT
from budgetlint.report import Report
from budgetlint.reporters.common import escape_char, locator
from budgetlint.reporters.text import details, headline

# Everything outside XML 1.0's Char production (controls, surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(report: Report) -> str:
    by_file: dict[str, list[Finding]] = {path: [] for path in report.files}
    for finding in report.findings:
        by_file.setdefault(finding.location.path, []).append(finding)

    tests = sum(max(1, len(findings)) for findings in by_file.values())
    root = ET.Element("testsuites", _attrs(name=PROJECT, tests=tests, failures=len(report.findings), errors=0))
    for path, findings in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            _attrs(name=path, tests=max(1, len(findings)), failures=len(findings), errors=0, skipped=0),
        )
        for finding in findings:
            case = ET.SubElement(suite, "testcase", _attrs(name=_case_name(finding), classname=path, file=path))
            failure = ET.SubElement(case, "failure", _attrs(message=finding.message, type=finding.severity.value))
            failure.text = _xml_safe("\n".join([headline(finding), *details(finding, report.lang)]))
        if not findings:
            ET.SubElement(suite, "testcase", _attrs(name=PROJECT, classname=path, file=path))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case_name(finding: Finding) -> str:
    where = locator(finding.location)
    return f"{finding.code} {where}" if where else finding.code


def _attrs(**values: object) -> dict[str, str]:
    return {key: _xml_safe(str(value)) for key, value in values.items()}


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: escape_char(m.group()), text)

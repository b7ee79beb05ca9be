"""SARIF 2.1.0, ready for GitHub code scanning.

One run: ``tool.driver`` describes budgetlint and every rule of the report
(third-party plugins are listed as ``tool.extensions``); each finding is a
result located relative to ``%SRCROOT%`` (the working directory).  Text
locations become regions: 1-based lines, columns in Unicode code points
(``columnKind``), end column exclusive, as SARIF defines them.  A PDF
location has a page and box but no line: its result is anchored at the file
(``region.startLine`` 1, the least GitHub accepts), its message starts with
``page N:`` (viewers show the message, not properties), and the page and box
go into the result's properties and its logical location.  A finding's
fingerprint is its partial fingerprint; a repeat of the same defect in the
same file (a passage printed twice) gets ``:2``, ``:3``… appended, as the
CodeQL action numbers identical line hashes, so code scanning keeps the two
alerts apart.
"""

from __future__ import annotations

import json
import mimetypes
from collections import Counter
from collections.abc import Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError, metadata
from pathlib import Path
from urllib.parse import quote

from budgetlint import catalogue
from budgetlint.docs import doc_sections
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import PROJECT
from budgetlint.location import Location
from budgetlint.report import Report
from budgetlint.reporters.common import all_paths, message_with_page, position, relative_path
from budgetlint.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "budgetlintFingerprint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(report: Report) -> str:
    return json.dumps(sarif_log(report), ensure_ascii=False, indent=2) + "\n"


def sarif_log(report: Report) -> dict[str, object]:
    """The SARIF log of ``report`` as JSON data."""
    codes = sorted(report.rules)
    rule_index = {code: i for i, code in enumerate(codes)}
    paths = all_paths(report)
    artifact_index = {path: i for i, path in enumerate(paths)}
    checked = set(report.files)
    own_codes = {c for p in report.plugins if p.distribution == PROJECT for c in p.rule_codes}
    base = homepage()

    driver: dict[str, object] = {"name": PROJECT, "version": report.tool_version}
    if base:
        driver["informationUri"] = base
    driver["rules"] = [
        _descriptor(report.rules[code], report.lang, _help_uri(base, code) if code in own_codes else None)
        for code in codes
    ]
    tool: dict[str, object] = {"driver": driver}
    extensions = [
        {"name": p.name, **({"version": p.version} if p.version else {}),
         "properties": {"distribution": p.distribution, "rules": list(p.rule_codes)}}
        for p in report.plugins
        if p.distribution != PROJECT
    ]
    if extensions:
        tool["extensions"] = extensions

    run = {
        "tool": tool,
        "automationDetails": {"id": f"{PROJECT}/"},
        "originalUriBaseIds": {SRCROOT: {"uri": _cwd_uri()}},
        "artifacts": [_artifact(path, path in checked) for path in paths],
        "columnKind": "unicodeCodePoints",
        "results": [
            _result(f, rule_index, artifact_index, partial)
            for f, partial in zip(report.findings, _partial_fingerprints(report.findings))
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


@cache
def homepage() -> str | None:
    """The project's Homepage URL from the installed package metadata."""
    try:
        urls = metadata(PROJECT).get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "homepage":
            return url.strip()
    return None


def _help_uri(base: str | None, code: str) -> str | None:
    return f"{base}/blob/main/docs/rules/{code}.md" if base else None


def _descriptor(rule: Rule, lang: str, help_uri: str | None) -> dict[str, object]:
    title = catalogue.pick(rule.title, lang)
    sections = doc_sections(rule, lang)
    descriptor: dict[str, object] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": title},
        "fullDescription": {"text": sections[0][1] if sections else title},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family]},
    }
    if sections:
        descriptor["help"] = {
            "text": "\n\n".join(f"{heading}: {text}" for heading, text in sections),
            "markdown": "\n\n".join(f"## {heading}\n\n{text}" for heading, text in sections),
        }
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _partial_fingerprints(findings: list[Finding]) -> list[str | None]:
    """Each finding's fingerprint, its n-th repeat within one file suffixed ``:n``."""
    seen: Counter[tuple[str, str]] = Counter()
    values: list[str | None] = []
    for finding in findings:
        if not finding.fingerprint:
            values.append(None)
            continue
        key = (finding.location.path, finding.fingerprint)
        seen[key] += 1
        values.append(finding.fingerprint if seen[key] == 1 else f"{finding.fingerprint}:{seen[key]}")
    return values


def _result(
    finding: Finding, rule_index: Mapping[str, int], artifact_index: Mapping[str, int], partial: str | None
) -> dict[str, object]:
    result: dict[str, object] = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result["level"] = LEVELS[finding.severity]
    result["message"] = {"text": message_with_page(finding)}
    result["locations"] = [_location(finding.location, artifact_index)]
    if finding.related:
        result["relatedLocations"] = [
            {"id": i, **_location(loc, artifact_index), "message": {"text": loc.logical_text() or position(loc)}}
            for i, loc in enumerate(finding.related, start=1)
        ]
    if partial:
        result["partialFingerprints"] = {FINGERPRINT_KEY: partial}
    page = _page_properties(finding.location)
    if page:
        result["properties"] = page
    return result


def _location(loc: Location, artifact_index: Mapping[str, int]) -> dict[str, object]:
    """A SARIF location; page and box of a PDF location sit on its logical location."""
    location: dict[str, object] = {
        "physicalLocation": {
            "artifactLocation": {**_artifact_location(loc.path), "index": artifact_index[loc.path]},
            "region": _region(loc),
        }
    }
    page = _page_properties(loc)
    if loc.logical:
        logical: dict[str, object] = {
            "name": loc.logical[-1],
            "fullyQualifiedName": loc.logical_text(),
            "kind": "element",
        }
        if page:
            logical["properties"] = page
        location["logicalLocations"] = [logical]
    elif page:
        location["properties"] = page
    return location


def _region(loc: Location) -> dict[str, int]:
    if loc.line is None:
        return {"startLine": 1}
    region = {"startLine": loc.line}
    if loc.column is not None:
        region["startColumn"] = loc.column
    region["endLine"] = loc.end_line if loc.end_line is not None else loc.line
    if loc.column is not None and loc.end_column is not None:
        region["endColumn"] = loc.end_column
    return region


def _page_properties(loc: Location) -> dict[str, object]:
    if loc.line is not None or loc.page is None:
        return {}
    properties: dict[str, object] = {"page": loc.page}
    if loc.bbox:
        properties["bbox"] = list(loc.bbox)
    return properties


def _artifact(path: str, checked: bool) -> dict[str, object]:
    artifact: dict[str, object] = {"location": _artifact_location(path)}
    if checked:
        artifact["roles"] = ["analysisTarget"]
    mime_type = mimetypes.guess_type(path)[0]
    if mime_type:
        artifact["mimeType"] = mime_type
    return artifact


def _artifact_location(path: str) -> dict[str, str]:
    """The path relative to %SRCROOT%, or an absolute file URI when it has none."""
    relative = relative_path(path)
    if relative is None:
        return {"uri": Path(path).resolve().as_uri()}
    return {"uri": quote(relative), "uriBaseId": SRCROOT}


def _cwd_uri() -> str:
    uri = Path.cwd().as_uri()
    return uri if uri.endswith("/") else uri + "/"

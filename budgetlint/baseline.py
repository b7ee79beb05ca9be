"""Baselines: accept today's findings, see only new ones, and watch the baseline shrink.

A baseline records findings by fingerprint (which survives re-pagination and
renamed files), each with an optional reason.  Findings it records are
hidden; entries for checked files that no longer match anything are reported
(LINT007), so a fixed defect leaves the baseline instead of lingering.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from budgetlint.findings import Finding
from budgetlint.location import Location
from budgetlint.rules import Rule

FORMAT = "budgetlint-baseline/1"


class BaselineError(ValueError):
    """The baseline file is missing, not a baseline, or malformed.

    ``key`` names the reason in the core catalogue (catalogue/ui.toml), ``values`` fill it.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key, values)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    code: str
    path: str
    message: str
    reason: str = ""
    line: int = 0


def read(path: Path) -> list[Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise BaselineError("baseline_wrong_format", format=data.get("format"))
        entries = data["findings"]
        return [
            Entry(e["fingerprint"], e["code"], e["path"], e.get("message", ""), e.get("reason", ""), number)
            for number, e in enumerate(entries, start=_first_entry_line(path))
        ]
    except FileNotFoundError as exc:
        raise BaselineError("not_found") from exc
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        if isinstance(exc, BaselineError):
            raise
        raise BaselineError("baseline_malformed", error=f"{type(exc).__name__}: {exc}") from exc


def _first_entry_line(path: Path) -> int:
    """Entries are written one per line after the header, so line numbers can point at them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((n for n, line in enumerate(lines, start=1) if '"fingerprint"' in line), 1)


def write(path: Path, findings: list[Finding], previous: list[Entry]) -> int:
    """Record ``findings``, keeping the reasons already given for the same fingerprints."""
    reasons = {e.fingerprint: e.reason for e in previous if e.reason}
    rows = [
        {"fingerprint": f.fingerprint, "code": f.code, "path": f.location.path, "message": f.message,
         "reason": reasons.get(f.fingerprint, "")}
        for f in findings
        if not f.code.startswith("LINT")
    ]
    body = ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in rows)
    path.write_text(f'{{\n  "format": "{FORMAT}",\n  "findings": [\n{body}\n  ]\n}}\n', encoding="utf-8")
    return len(rows)


def apply(findings: list[Finding], entries: list[Entry], checked: set[str]) -> tuple[list[Finding], list[Entry]]:
    """The findings the baseline does not hide, and its stale entries for the checked files.

    Matching counts: two identical findings need two entries.
    """
    available = Counter((e.fingerprint, e.code) for e in entries)
    kept = []
    for finding in findings:
        key = (finding.fingerprint, finding.code)
        if available[key] > 0:
            available[key] -= 1
        else:
            kept.append(finding)
    stale = []
    for entry in entries:
        key = (entry.fingerprint, entry.code)
        if available[key] > 0 and entry.path in checked:
            available[key] -= 1
            stale.append(entry)
    return kept, stale


def stale_findings(stale: list[Entry], rule: Rule, lang: str, baseline_path: str) -> list[Finding]:
    """LINT007 findings pointing at the stale entries' lines in the baseline file."""
    return [
        rule.finding(Location(baseline_path, line=e.line), lang, key=[e.fingerprint], code=e.code,
                     message=e.message, file=e.path)
        for e in stale
    ]

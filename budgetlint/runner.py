"""Lint a batch of files into one report."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from budgetlint import __version__
from budgetlint.engine import FileResult, Linter
from budgetlint.findings import Severity
from budgetlint.inputs import STDIN
from budgetlint.report import Report


@dataclass
class RunOutcome:
    report: Report
    failed: bool

    def exit_code(self, fail_on: Severity, exit_zero: bool = False) -> int:
        """2 if any input could not be fully checked, else 1 if a finding reaches ``fail_on``."""
        if self.failed:
            return 2
        if exit_zero:
            return 0
        return int(any(f.severity.rank >= fail_on.rank for f in self.report.findings))


def run(linter: Linter, files: Sequence[str], lang: str) -> RunOutcome:
    """Lint ``files`` one after another; a failing file never stops the rest."""
    results = [_lint_one(linter, path) for path in files]
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
    report = Report(
        findings=findings,
        files=[r.path for r in results],
        rules=linter.plugins.rules,
        lang=lang,
        tool_version=__version__,
        plugins=list(linter.plugins.info.values()),
        source_lines={r.path: r.source_lines for r in results if r.source_lines},
    )
    return RunOutcome(report, failed=any(r.failed for r in results))


def _lint_one(linter: Linter, path: str) -> FileResult:
    if path == STDIN:
        return linter.lint_path(path, data=sys.stdin.buffer.read())
    return linter.lint_path(path)

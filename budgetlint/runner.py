"""Lint a batch of files into one report.

Per file: read its bytes, look in the cache, otherwise lint it through the
executor (in a child process, under the per-file limits).  A file that fails
in any way costs that file only; results are merged in input order, so the
report is identical whatever the number of jobs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from budgetlint import __version__, diagnostics
from budgetlint.catalogue import ui
from budgetlint.checker import Task
from budgetlint.engine import FileResult, Linter
from budgetlint.executors import Executor, InProcessExecutor
from budgetlint.findings import Severity
from budgetlint.inputs import STDIN
from budgetlint.isolation import Limits, Outcome
from budgetlint.report import Report
from budgetlint.spec import LintSpec, check_document

Progress = Callable[[int, int, str], None]
OnResult = Callable[[int, int, FileResult], None]


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


def run(
    spec: LintSpec,
    files: Sequence[str | tuple[str, ...]],
    lang: str,
    executor: Executor | None = None,
    on_result: OnResult | None = None,
) -> RunOutcome:
    """Lint ``files`` (a path, or a tuple of paths read as one document); a failing file never stops the rest.

    With an executor that reads locally, cache hits are served here without
    starting any work; otherwise the workers read and consult the cache.
    """
    linter = spec.linter()
    checker = spec.checker()
    executor = executor or InProcessExecutor()
    results: list[FileResult | None] = [None] * len(files)

    def done(index: int, result: FileResult) -> None:
        results[index] = result
        if on_result:
            on_result(sum(r is not None for r in results), len(files), result)

    def tasks() -> Iterator[Task]:
        for index, item in enumerate(files):
            paths = item if isinstance(item, tuple) else (item,)
            datas = (sys.stdin.buffer.read(),) if paths == (STDIN,) else None
            task = Task(index, paths, datas)
            prepared = checker.prepare(task) if executor.reads_locally else task
            if isinstance(prepared, FileResult):
                done(index, prepared)
            else:
                yield prepared

    for outcome in executor.map(partial(check_document, spec), tasks()):
        done(outcome.task.index, outcome.result or _failure(linter, outcome, spec.limits))
    parts = {result.path: item for result, item in zip(results, files) if result and isinstance(item, tuple)}
    return _outcome(linter, [r for r in results if r is not None], lang, parts)


def _failure(linter: Linter, outcome: Outcome, limits: Limits) -> FileResult:
    path = outcome.task.path
    lang = linter.resolver.for_path(path).lang
    if outcome.failure == "time":
        return linter.diagnostic(path, diagnostics.TIME_LIMIT, limit=ui("limit_seconds", lang, seconds=limits.seconds))
    if outcome.failure == "memory":
        return linter.diagnostic(path, diagnostics.TIME_LIMIT, limit=ui("limit_memory", lang, mb=limits.memory_mb))
    return linter.diagnostic(path, diagnostics.UNREADABLE, reason=_crash_reason(outcome.failure, lang))


def _crash_reason(failure: str, lang: str) -> str:
    """``crash`` (the child died), ``crash: Error: …`` or ``worker: Error: …``, worded in ``lang``."""
    kind, _, error = failure.partition(": ")
    if kind not in ("crash", "worker"):
        return failure
    return ui("worker_failed", lang, error=error) if error else ui("worker_died", lang)


def _outcome(linter: Linter, results: list[FileResult], lang: str, parts: dict[str, tuple[str, ...]]) -> RunOutcome:
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
    report = Report(
        findings=findings,
        files=[r.path for r in results],
        rules=linter.plugins.rules,
        lang=lang,
        tool_version=__version__,
        plugins=list(linter.plugins.info.values()),
        source_lines={r.path: r.source_lines for r in results if r.source_lines},
        quotes={loc: quote for r in results for loc, quote in r.quotes.items()},
        documents={r.path: r.metadata for r in results},
        parts=parts,
    )
    return RunOutcome(report, failed=any(r.failed for r in results))

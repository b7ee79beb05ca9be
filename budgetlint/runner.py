"""Lint a batch of files into one report.

Per file: read its bytes, look in the cache, otherwise lint it through the
executor (in a child process, under the per-file limits).  A file that fails
in any way costs that file only; results are merged in input order, so the
report is identical whatever the number of jobs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from budgetlint import __version__, diagnostics
from budgetlint.cache import Cache
from budgetlint.catalogue import ui
from budgetlint.engine import FileResult, Linter
from budgetlint.executors import Executor, InProcessExecutor
from budgetlint.findings import Severity
from budgetlint.inputs import STDIN
from budgetlint.isolation import Limits, Outcome
from budgetlint.report import Report

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Task:
    """One document to check: its file(s), and their bytes and cache key once read.

    A disclosure published in parts (``--document a.pdf,b.pdf``) is one task
    whose ``paths`` hold every part.
    """

    index: int
    paths: tuple[str, ...]
    datas: tuple[bytes, ...] | None = field(default=None, repr=False)
    key: str | None = None

    @property
    def path(self) -> str:
        return self.paths[0]


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


class FileChecker:
    """Checks one file: cache lookup, lint, cache store.  Runs in the parent and in workers."""

    def __init__(self, linter: Linter, cache: Cache | None = None) -> None:
        self.linter = linter
        self.cache = cache

    def prepare(self, task: Task) -> Task | FileResult:
        """Read the files; return the cached result, or the task with its bytes and cache key."""
        datas = task.datas
        if datas is None:
            try:
                datas = tuple(Path(path).read_bytes() for path in task.paths)
            except OSError:
                return self.linter.lint_parts(task.paths, [None] * len(task.paths))  # says why
        key = self.cache.key(b"\0".join(datas), self._context(task.path)) if self.cache else None
        cached = self.cache.get(key, task.path) if self.cache and key else None
        return cached or Task(task.index, task.paths, datas, key)

    def check(self, task: Task) -> FileResult:
        prepared = self.prepare(task) if task.datas is None else task
        if isinstance(prepared, FileResult):
            return prepared
        result = self.linter.lint_parts(prepared.paths, prepared.datas or ())
        if self.cache and prepared.key:
            self.cache.put(prepared.key, result)
        return result

    def _context(self, path: str) -> str:
        settings = self.linter.resolver.for_path(path)
        return repr(settings) + repr(sorted(self.linter.read_options.items()))


def run(
    linter: Linter,
    files: Sequence[str | tuple[str, ...]],
    lang: str,
    executor: Executor | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> RunOutcome:
    """Lint ``files`` (a path, or a tuple of paths read as one document); a failing file never stops the rest."""
    checker = FileChecker(linter, cache)
    executor = executor or InProcessExecutor()
    results: list[FileResult | None] = [None] * len(files)

    def done(index: int, result: FileResult) -> None:
        results[index] = result
        if progress:
            progress(sum(r is not None for r in results), len(files), result.path)

    def tasks() -> Iterator[Task]:
        for index, item in enumerate(files):
            paths = item if isinstance(item, tuple) else (item,)
            datas = (sys.stdin.buffer.read(),) if paths == (STDIN,) else None
            prepared = checker.prepare(Task(index, paths, datas))
            if isinstance(prepared, FileResult):
                done(index, prepared)
            else:
                yield prepared

    for outcome in executor.map(checker.check, tasks()):
        done(outcome.task.index, outcome.result or _failure(linter, outcome, limits or Limits()))
    return _outcome(linter, [r for r in results if r is not None], lang)


def _failure(linter: Linter, outcome: Outcome, limits: Limits) -> FileResult:
    path = outcome.task.path
    lang = linter.resolver.for_path(path).lang
    if outcome.failure == "time":
        return linter.diagnostic(path, diagnostics.TIME_LIMIT, limit=ui("limit_seconds", lang, seconds=limits.seconds))
    if outcome.failure == "memory":
        return linter.diagnostic(path, diagnostics.TIME_LIMIT, limit=ui("limit_memory", lang, mb=limits.memory_mb))
    return linter.diagnostic(path, diagnostics.UNREADABLE, reason=outcome.failure)


def _outcome(linter: Linter, results: list[FileResult], lang: str) -> RunOutcome:
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

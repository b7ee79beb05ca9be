"""The executor seam: who runs the per-file work.

The batch runner hands every file to an executor, which yields outcomes as
they finish.  The local executor forks one child per file, at most ``jobs``
at a time, with the per-file limits; other executors (e.g. a Dask cluster)
implement the same ``map``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

from budgetlint.isolation import Limits, Outcome, run_all

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[Outcome[T, R]]:
        """Run ``function`` over ``tasks``; yield each outcome as soon as it is known."""


@dataclass(frozen=True)
class LocalExecutor:
    """Child processes on this machine: ``jobs`` at a time, each under ``limits``."""

    jobs: int = 1
    limits: Limits = Limits()

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[Outcome[T, R]]:
        return run_all(function, tasks, self.jobs, self.limits)


@dataclass(frozen=True)
class InProcessExecutor:
    """No children and no limits: for embedding and debugging (``--timeout 0``)."""

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[Outcome[T, R]]:
        for task in tasks:
            yield Outcome(task, function(task))

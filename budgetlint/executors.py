"""The executor seam: who runs the per-document work.

The batch runner hands every document to an executor, which yields outcomes
as they finish.  Local executors read files in the parent (so cache hits cost
nothing); the Dask executor lets workers read documents where they live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

from budgetlint.catalogue import ui
from budgetlint.isolation import Limits, Outcome, run_all

T = TypeVar("T")
R = TypeVar("R")


class ExecutorError(RuntimeError):
    """The executor cannot start (e.g. Dask is not installed, or the scheduler is unreachable).

    ``key`` names the message in the core catalogue (catalogue/ui.toml), ``values`` fill it.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key, values)
        self.key = key
        self.values = values

    def text(self, lang: str) -> str:
        return ui(self.key, lang, **self.values)


class Executor(Protocol):
    reads_locally: bool

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[Outcome[T, R]]:
        """Run ``function`` over ``tasks``; yield each outcome as soon as it is known."""


@dataclass(frozen=True)
class InProcessExecutor:
    """No children and no limits: for embedding and debugging (``--timeout 0``)."""

    reads_locally = True

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[Outcome[T, R]]:
        for task in tasks:
            yield Outcome(task, function(task))


@dataclass(frozen=True)
class LocalExecutor:
    """Forked children on this machine: ``jobs`` at a time, each under ``limits``."""

    jobs: int = 1
    limits: Limits = Limits()
    reads_locally = True

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[Outcome[T, R]]:
        return run_all(function, tasks, self.jobs, self.limits)


def isolated_call(function: Callable[[T], R], task: T, limits: Limits) -> Outcome[T, R]:
    """On a worker: run one task in a forked child under ``limits``."""
    return next(iter(run_all(function, [task], 1, limits)))


class DaskExecutor:
    """A Dask distributed cluster: ``scheduler`` address, or a LocalCluster of ``workers`` processes.

    Each document is one task; on its worker it runs in a forked child under
    the per-document limits.  A worker that dies is retried by Dask on another
    worker; a document that keeps killing workers becomes a failure outcome.
    """

    reads_locally = False

    def __init__(self, limits: Limits, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutorError("executor_needs_dask") from exc
        self.limits = limits
        try:
            if scheduler:
                self.cluster = None
                self.client = Client(scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None)
                self.client = Client(self.cluster)
        except OSError as exc:
            raise ExecutorError("executor_unreachable", scheduler=scheduler, error=exc) from exc

    def map(self, function: Callable[[T], R], tasks: Iterable[T]) -> Iterator[Outcome[T, R]]:
        from distributed import as_completed

        futures = {}
        for task in tasks:
            future = self.client.submit(isolated_call, function, task, self.limits, pure=False)
            futures[future] = task
        for future in as_completed(futures):
            task = futures.pop(future)
            try:
                yield future.result()
            except Exception as exc:  # KilledWorker, a lost connection…: that document only
                yield Outcome(task, failure=f"worker: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

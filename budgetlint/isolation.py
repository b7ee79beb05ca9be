"""Run work in child processes that can be stopped: per-file time and memory limits.

Each task runs in a forked child, so a pathological file (a decompression
bomb, a parser stuck in a loop) costs that file only: the child is killed
at its deadline or dies at its memory ceiling, and the parent reports it.
Forking also means plugins loaded in the parent need no reloading.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CAN_FORK = hasattr(os, "fork")


@dataclass(frozen=True)
class Limits:
    """Per-task limits; ``seconds`` or ``memory_mb`` of 0 means none."""

    seconds: float = 60.0
    memory_mb: int = 2048


@dataclass(frozen=True)
class Outcome(Generic[T, R]):
    """What became of one task: its result, or why it has none ("time", "memory", "crash")."""

    task: T
    result: R | None = None
    failure: str = ""


def run_all(function: Callable[[T], R], tasks: Iterable[T], jobs: int, limits: Limits) -> Iterator[Outcome[T, R]]:
    """Run ``function`` on each task in up to ``jobs`` children; yield outcomes as they finish.

    Children are plain ``os.fork`` processes (not multiprocessing ones), so this
    also works inside daemonic processes such as Dask workers.
    """
    if not CAN_FORK:
        for task in tasks:  # no fork (e.g. Windows): in-process, without limits
            yield Outcome(task, function(task))
        return
    pending = iter(tasks)
    running: dict[int, _Child] = {}
    exhausted = False
    while running or not exhausted:
        while not exhausted and len(running) < max(1, jobs):
            task = next(pending, _END)
            if task is _END:
                exhausted = True
                break
            child = _Child.start(function, task, limits)
            running[child.fd] = child
        if running:
            yield from _collect(running)


_END = object()


@dataclass
class _Child:
    task: object
    pid: int
    fd: int
    deadline: float
    chunks: list[bytes]

    @classmethod
    def start(cls, function: Callable, task: object, limits: Limits) -> _Child:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(write_end, function, task, limits.memory_mb)
        os.close(write_end)
        deadline = time.monotonic() + limits.seconds if limits.seconds else float("inf")
        return cls(task, pid, read_end, deadline, [])

    def finish(self) -> Outcome:
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        try:
            kind, payload = pickle.loads(b"".join(self.chunks))
        except Exception:
            kind, payload = "failure", "memory" if os.WIFSIGNALED(status) else "crash"
        return Outcome(self.task, payload) if kind == "result" else Outcome(self.task, failure=payload)

    def kill(self) -> Outcome:
        os.kill(self.pid, signal.SIGKILL)
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        return Outcome(self.task, failure="time")


def _collect(running: dict[int, _Child]) -> Iterator[Outcome]:
    """Read what children wrote; yield those that finished or ran out of time."""
    timeout = min(child.deadline for child in running.values()) - time.monotonic()
    ready = wait(list(running), timeout=None if timeout == float("inf") else max(0.0, timeout))
    for fd in ready:
        child = running[fd]
        chunk = os.read(fd, 1 << 20)
        if chunk:
            child.chunks.append(chunk)
        else:
            del running[fd]
            yield child.finish()
    now = time.monotonic()
    for fd, child in list(running.items()):
        if now >= child.deadline:
            del running[fd]
            yield child.kill()


def _child(fd: int, function: Callable, task: object, memory_mb: int) -> None:
    status = 0
    sys.unraisablehook = _drop_unraisable
    try:
        _limit_memory(memory_mb)
        try:
            message = ("result", function(task))
        except MemoryError:
            message = ("failure", "memory")
        except BaseException as exc:  # reported by the parent; never a traceback on the terminal
            message = ("failure", f"crash: {type(exc).__name__}: {exc}")
        try:
            payload = pickle.dumps(message)
        except MemoryError:
            payload = pickle.dumps(("failure", "memory"))
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _drop_unraisable(_unraisable: object) -> None:
    """Silence errors Python cannot raise, such as a generator that fails to close after a MemoryError.

    The child's outcome already says what went wrong; a traceback would only reach the user's terminal.
    """


def _limit_memory(memory_mb: int) -> None:
    if not memory_mb:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return
    limit = memory_mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))

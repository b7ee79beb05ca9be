"""Run work in child processes that can be stopped: per-file time and memory limits.

Each task runs in a forked child, so a pathological file (a decompression
bomb, a parser stuck in a loop) costs that file only: the child is killed
at its deadline or dies at its memory ceiling, and the parent reports it.
Forking also means plugins loaded in the parent need no reloading.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


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
    """Run ``function`` on each task in up to ``jobs`` children; yield outcomes as they finish."""
    if not CAN_FORK:
        for task in tasks:  # no fork (e.g. Windows): in-process, without limits
            yield Outcome(task, function(task))
        return
    context = multiprocessing.get_context("fork")
    pending = iter(tasks)
    running: dict[Connection, tuple[T, multiprocessing.process.BaseProcess, float]] = {}
    exhausted = False
    while running or not exhausted:
        while not exhausted and len(running) < max(1, jobs):
            task = next(pending, _END)
            if task is _END:
                exhausted = True
                break
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(sender, function, task, limits.memory_mb), daemon=True)
            process.start()
            sender.close()
            deadline = time.monotonic() + limits.seconds if limits.seconds else float("inf")
            running[receiver] = (task, process, deadline)
        if not running:
            break
        yield from _collect(running)


_END = object()


def _collect(running: dict) -> Iterator[Outcome]:
    now = time.monotonic()
    timeout = max(0.0, min(deadline for _, _, deadline in running.values()) - now)
    ready = wait(list(running), timeout=None if timeout == float("inf") else timeout)
    for receiver in ready:
        task, process, _ = running.pop(receiver)
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            process.join()
            kind, payload = "failure", "memory" if process.exitcode and process.exitcode < 0 else "crash"
        receiver.close()
        process.join()
        yield Outcome(task, payload) if kind == "result" else Outcome(task, failure=payload)
    now = time.monotonic()
    for receiver, (task, process, deadline) in list(running.items()):
        if now >= deadline:
            process.kill()
            process.join()
            receiver.close()
            del running[receiver]
            yield Outcome(task, failure="time")


def _child(sender: Connection, function: Callable, task: object, memory_mb: int) -> None:
    _limit_memory(memory_mb)
    try:
        message = ("result", function(task))
    except MemoryError:
        message = ("failure", "memory")
    except BaseException as exc:  # reported by the parent; never a traceback on the terminal
        message = ("failure", f"crash: {type(exc).__name__}: {exc}")
    try:
        sender.send(message)
    except MemoryError:
        sender.send(("failure", "memory"))
    finally:
        sender.close()
        os._exit(0)


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

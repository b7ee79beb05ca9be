"""The work for one document: read its bytes, consult the cache, lint, store.

It runs wherever the executor puts it: in the parent (cache lookups), in a
forked child, or on a Dask worker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetlint.cache import Cache
from budgetlint.engine import FileResult, Linter
from budgetlint.inputs import read_bytes
from budgetlint.readers import Source


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
                datas = tuple(read_bytes(path) for path in task.paths)
            except OSError:
                return self.linter.lint_parts(task.paths, [None] * len(task.paths))  # says why
        key = self.cache.key(b"\0".join(datas), self._context(task.paths, datas)) if self.cache else None
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

    def _context(self, paths: tuple[str, ...], datas: tuple[bytes, ...]) -> str:
        """What besides the bytes shapes the result: the settings, the read options, the reader of each part."""
        settings = self.linter.resolver.for_path(paths[0])
        readers = [self._reader(path, data) for path, data in zip(paths, datas)]
        return repr(settings) + repr(sorted(self.linter.read_options.items())) + repr(readers)

    def _reader(self, path: str, data: bytes) -> str | None:
        """The name of the reader that would read ``data`` at ``path`` (suffix first, then sniffing)."""
        reader = self.linter.reader_for(Source(path, data))
        return reader.name if reader else None

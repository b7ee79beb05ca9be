"""A lint run's recipe: everything needed to build the same linter in any process.

The command line builds one ``LintSpec``; local children inherit the linter it
builds, and workers on other machines (Dask) rebuild it from the spec, which
pickles.  ``check_document`` is the per-document work every executor runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from budgetlint import __version__
from budgetlint.cache import Cache
from budgetlint.config import ConfigResolver, Overrides
from budgetlint.engine import FileResult, Linter
from budgetlint.isolation import Limits
from budgetlint.plugins import AUTOLOAD_ENV, load_plugins
from budgetlint.checker import FileChecker, Task


@dataclass(frozen=True)
class LintSpec:
    plugin_options: tuple[str, ...] = ()
    autoload: bool = field(default_factory=lambda: not os.environ.get(AUTOLOAD_ENV))
    overrides: Overrides = Overrides()
    config_path: str | None = None
    read_options: tuple[tuple[str, str], ...] = ()
    cache_dir: str | None = None
    limits: Limits = Limits()

    def linter(self) -> Linter:
        return _linter(self)

    def checker(self) -> FileChecker:
        return _checker(self)


@lru_cache(maxsize=4)
def _linter(spec: LintSpec) -> Linter:
    plugins = load_plugins(spec.plugin_options, spec.autoload)
    resolver = ConfigResolver(spec.overrides, Path(spec.config_path) if spec.config_path else None, plugins.rules)
    return Linter(plugins, resolver, dict(spec.read_options))


@lru_cache(maxsize=4)
def _checker(spec: LintSpec) -> FileChecker:
    linter = spec.linter()
    cache = Cache(Path(spec.cache_dir), __version__, linter.plugins.info.values()) if spec.cache_dir else None
    return FileChecker(linter, cache)


def check_document(spec: LintSpec, task: Task) -> FileResult:
    """Check one document (cache lookup, lint, cache store) with the linter ``spec`` describes."""
    return spec.checker().check(task)

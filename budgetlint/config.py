"""Configuration: ``[tool.budgetlint]`` in pyproject.toml, or budgetlint.toml.

The nearest configuration file above a checked file applies to it, unless
``--config`` names one.  Command-line options win over the file.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

from budgetlint.catalogue import LANGUAGES, tomllib, ui
from budgetlint.findings import Severity

CONFIG_FILES = ("budgetlint.toml", "pyproject.toml")

# (where it was given, the codes, whether each must be a whole rule code rather than a prefix)
Selectors = list[tuple[str, tuple[str, ...], bool]]


class ConfigError(ValueError):
    """A configuration problem; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    lang: str = "zh"
    plugins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    documents: tuple[tuple[str, ...], ...] = ()
    root: Path | None = None
    source: str | None = None

    def is_selected(self, code: str, path: str | None = None) -> bool:
        """Whether ``code`` is enabled (for ``path``), by code or prefix."""
        chosen = self.select is None or _matches(code, self.select) or _matches(code, self.extend_select)
        if not chosen or _matches(code, self.ignore):
            return False
        return not (path and _matches(code, self.ignored_for(path)))

    def selectors(self) -> Selectors:
        """Every code or prefix this configuration names, with the key that names it."""
        where = f"{self.source}: " if self.source else ""
        found = [
            (f"{where}select", self.select or (), False),
            (f"{where}extend-select", self.extend_select, False),
            (f"{where}ignore", self.ignore, False),
            (f"{where}severity", tuple(self.severity), True),
        ]
        return found + [(f"{where}per-file-ignores.{glob!r}", codes, False) for glob, codes in self.per_file_ignores]

    def ignored_for(self, path: str) -> tuple[str, ...]:
        relative = _relative(path, self.root)
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(PurePath(relative).name, pattern):
                codes.extend(ignored)
        return tuple(codes)


def _matches(code: str, prefixes: Iterable[str]) -> bool:
    return any(p == "ALL" or code.startswith(p) for p in prefixes)


def check_selectors(selectors: Selectors, known: Collection[str], lang: str) -> None:
    """Raise :class:`ConfigError` for a code or prefix that names no known rule, with the nearest known ones.

    A selection that matches nothing would silently turn rules off (or do
    nothing) and look like a clean result.
    """
    for where, codes, exact in selectors:
        for code in codes:
            if code not in known and (exact or not (code == "ALL" or any(k.startswith(code) for k in known))):
                key = "unknown_code" if exact else "unknown_selector"
                raise ConfigError(ui(key, lang, where=where, code=code) + _nearest(code, known, lang))


def _nearest(code: str, known: Collection[str], lang: str) -> str:
    """The known codes and families closest to ``code``, or else every family, as a parenthesised hint."""
    families = sorted({k.rstrip("0123456789") for k in known})
    close = difflib.get_close_matches(code, sorted(set(known) | set(families)), n=3, cutoff=0.6)
    if close:
        return ui("nearest_codes", lang, codes=", ".join(close))
    return ui("known_families", lang, families=", ".join(families))


def _relative(path: str, root: Path | None) -> str:
    if root is None:
        return path
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return path


def find_config(start: Path) -> Path | None:
    """The nearest budgetlint.toml, or pyproject.toml with a [tool.budgetlint] table."""
    directory = start if start.is_dir() else start.parent
    for folder in [directory.resolve(), *directory.resolve().parents]:
        found = _config_in(folder)
        if found:
            return found
    return None


@lru_cache(maxsize=None)
def _config_in(folder: Path) -> Path | None:
    for name in CONFIG_FILES:
        candidate = folder / name
        if not candidate.is_file():
            continue
        if name == "budgetlint.toml" or "budgetlint" in _read(candidate).get("tool", {}):
            return candidate
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc


@lru_cache(maxsize=None)
def load_config(path: Path) -> Settings:
    """Parse and validate one configuration file."""
    data = _read(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("budgetlint", {})
    return parse_settings(data, str(path), root=path.parent.resolve())


def parse_settings(data: Mapping[str, Any], where: str, root: Path | None = None) -> Settings:
    """Validate a configuration table; unknown or ill-typed keys are errors."""
    settings = Settings(root=root, source=where)
    parsers = {**_PARSERS, "documents": lambda value: _documents(value, root or Path.cwd())}
    for key, value in data.items():
        parse = parsers.get(key)
        if parse is None:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(parsers))})")
        try:
            settings = replace(settings, **{key.replace("-", "_"): parse(value)})
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: key {key!r}: {exc}") from exc
    return settings


def _codes(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError("expected a list of rule codes or prefixes")
    return tuple(v.strip().upper() for v in value)


def _per_file(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise TypeError("expected a table of glob = [codes]")
    return tuple((glob, _codes(codes)) for glob, codes in value.items())


def _severity_map(value: Any) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise TypeError("expected a table of CODE = \"error\"|\"warning\"|\"info\"")
    return {code.upper(): Severity.parse(str(level)) for code, level in value.items()}


def _lang(value: Any) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"expected one of {', '.join(LANGUAGES)}")
    return value


def _plugins(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise TypeError("expected a table of plugin-name = { settings }")
    return value


def _documents(value: Any, root: Path) -> tuple[tuple[str, ...], ...]:
    """Groups of files that form one disclosure, relative to the configuration file."""
    if not isinstance(value, list) or not all(
        isinstance(group, list) and group and all(isinstance(p, str) for p in group) for group in value
    ):
        raise TypeError("expected a list of lists of file paths")
    return tuple(tuple(str(root / part) for part in group) for group in value)


_PARSERS = {
    "select": _codes,
    "extend-select": _codes,
    "ignore": _codes,
    "per-file-ignores": _per_file,
    "severity": _severity_map,
    "fail-on": lambda v: Severity.parse(str(v)),
    "lang": _lang,
    "plugins": _plugins,
}


@dataclass(frozen=True)
class Overrides:
    """What the command line said; None means "not given"."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    lang: str | None = None

    def selectors(self) -> Selectors:
        """Every code or prefix given on the command line, with its option."""
        return [("--select", self.select or (), False), ("--extend-select", self.extend_select, False),
                ("--ignore", self.ignore, False)]

    def apply(self, settings: Settings) -> Settings:
        return replace(
            settings,
            select=self.select if self.select is not None else settings.select,
            extend_select=settings.extend_select + self.extend_select,
            ignore=settings.ignore + self.ignore,
            fail_on=self.fail_on or settings.fail_on,
            lang=self.lang or settings.lang,
        )


class ConfigResolver:
    """Settings for each checked file: ``--config`` or the nearest file, then the command line.

    Given the ``known`` rule codes, every code or prefix the command line or
    the configuration names must select one of them (:func:`check_selectors`).
    """

    def __init__(self, overrides: Overrides, explicit: Path | None = None, known: Collection[str] | None = None) -> None:
        self.overrides = overrides
        self.explicit = load_config(explicit) if explicit else None
        self.known = frozenset(known) if known is not None else None

    def for_path(self, path: str) -> Settings:
        if self.explicit is not None:
            base = self.explicit
        else:
            found = find_config(Path(path)) if path != "-" else find_config(Path.cwd())
            base = load_config(found) if found else Settings()
        settings = self.overrides.apply(base)
        if self.known is not None:
            check_selectors(self.overrides.selectors() + base.selectors(), self.known, settings.lang)
        return settings

    def global_settings(self) -> Settings:
        """Settings not tied to one file (language, fail level) for the whole run."""
        return self.for_path(str(Path.cwd() / "budgetlint.toml"))

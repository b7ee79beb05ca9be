"""The vocabularies of budget semantics, loaded from the rule packs in rules/."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import regex

from budgetlint import catalogue

RULES_PACKAGE = "budgetlint_rules"
# Seconds one pattern may spend on one text before it is given up on.
PATTERN_TIMEOUT = 1.0


class PatternTimeout(RuntimeError):
    """A pattern from a rule pack ran longer than PATTERN_TIMEOUT on one text."""


def pack(name: str) -> Mapping[str, Any]:
    """A built-in rule pack by file name (``tables.toml``…), parsed once."""
    return catalogue.load(RULES_PACKAGE, name)


def has_any(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


@cache
def compile_pattern(pattern: str, where: str) -> regex.Pattern[str]:
    """Compile a pattern given as data (once); ``where`` (file and key) names it in the error."""
    try:
        return regex.compile(pattern)
    except (regex.error, TypeError) as exc:
        raise catalogue.CatalogueError(f"{where}: invalid pattern {pattern!r}: {exc}") from exc


def find_all(pattern: regex.Pattern[str], text: str) -> list[regex.Match[str]]:
    """Every match of ``pattern`` in ``text``, or :class:`PatternTimeout` if that takes too long."""
    try:
        return list(pattern.finditer(text, timeout=PATTERN_TIMEOUT))
    except TimeoutError as exc:
        raise PatternTimeout(f"pattern {pattern.pattern!r} took over {PATTERN_TIMEOUT}s on one text") from exc

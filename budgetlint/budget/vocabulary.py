"""The vocabularies of budget semantics, loaded from the rule packs in rules/."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from budgetlint import catalogue

RULES_PACKAGE = "budgetlint_rules"


def pack(name: str) -> Mapping[str, Any]:
    """A built-in rule pack by file name (``tables.toml``…), parsed once."""
    return catalogue.load(RULES_PACKAGE, name)


def has_any(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)

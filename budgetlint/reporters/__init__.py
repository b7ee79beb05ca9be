"""Output formats: each renders a finished report to text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from budgetlint.report import Report


@dataclass(frozen=True)
class Format:
    """An output format as a plugin registers it (``--format NAME``).

    A ``reading`` format is for people at a terminal: it shows warnings and
    errors unless ``--min-severity info`` asks for more (the summary counts
    every finding); the others are for tools and carry every finding.
    """

    name: str
    description: str
    render: Callable[[Report], str]
    reading: bool = False

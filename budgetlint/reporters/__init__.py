"""Output formats: each renders a finished report to text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from budgetlint.report import Report


@dataclass(frozen=True)
class Format:
    """An output format as a plugin registers it (``--format NAME``)."""

    name: str
    description: str
    render: Callable[[Report], str]

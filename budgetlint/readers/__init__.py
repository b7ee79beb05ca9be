"""Readers turn source bytes into the document model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from budgetlint.document import Document


class ReadError(Exception):
    """The source cannot be read.

    ``code`` is the LINT rule to report (LINT001 unreadable, LINT006 password
    required…) and ``values`` fills its message.
    """

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code, values)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Source:
    """Bytes to read, with the path reports should show and reader options."""

    path: str
    data: bytes
    options: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Reader:
    """A reader as a plugin registers it.

    ``suffixes`` are lower-case with the dot (".txt").  ``sniff`` looks at the
    first bytes of a source whose suffix no reader claims.
    """

    name: str
    suffixes: tuple[str, ...]
    sniff: Callable[[bytes], bool]
    read: Callable[[Source], Document]

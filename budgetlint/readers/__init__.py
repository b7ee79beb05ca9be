"""Readers turn source bytes into the document model."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from budgetlint.catalogue import ui
from budgetlint.document import Document


@dataclass(frozen=True)
class Reason:
    """Why a source cannot be read, worded later in the run's language.

    ``key`` names a string of the core catalogue (catalogue/ui.toml); ``args``
    fill it, and may themselves be reasons.
    """

    key: str
    args: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return ui(self.key, lang, **worded(self.args, lang))


def worded(values: Mapping[str, object], lang: str) -> dict[str, object]:
    """``values`` with every :class:`Reason` replaced by its text in ``lang``."""
    return {k: v.text(lang) if isinstance(v, Reason) else v for k, v in values.items()}


class ReadError(Exception):
    """The source cannot be read.

    ``code`` is the LINT rule to report (LINT001 unreadable, LINT006 password
    required…) and ``values`` fills its message; a value may be a
    :class:`Reason`, worded by :meth:`values_in`.
    """

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code, values)
        self.code = code
        self.values = values

    def values_in(self, lang: str) -> dict[str, object]:
        """The message values, worded in ``lang``."""
        return worded(self.values, lang)


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

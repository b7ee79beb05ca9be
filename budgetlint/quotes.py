"""The text a location sits in, taken from the document model: a table row or a sentence.

Reports quote the source line of a text source; a source without lines (a
PDF) is quoted from here instead.  A location is matched to the cell, row,
heading line or paragraph line it was taken from, whatever logical path a
rule gave it, so reporters never look at the source format.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from budgetlint.budget.narrative import sentences
from budgetlint.document import Document, Table, TextSpan
from budgetlint.location import Location


@dataclass(frozen=True)
class Quote:
    """A table row (``cells``, the located one at ``hit``) or a sentence of prose (``text``)."""

    text: str = ""
    cells: tuple[str, ...] = ()
    hit: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "cells": list(self.cells), "hit": self.hit}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Quote:
        """The inverse of :meth:`to_dict`."""
        return cls(str(data.get("text", "")), tuple(data.get("cells", ())), data.get("hit"))


def quotes(document: Document, locations: Iterable[Location]) -> dict[Location, Quote]:
    """The quote of each of ``locations`` the document model holds."""
    wanted: dict[tuple[object, ...], list[Location]] = {}
    for loc in locations:
        wanted.setdefault(loc.place, []).append(loc)
    found: dict[Location, Quote] = {}
    for key, quote in _candidates(document, wanted):
        for loc in wanted.pop(key):
            found[loc] = quote()
        if not wanted:
            break
    return found


def _candidates(document: Document, keys: Container[tuple]) -> Iterator[tuple[tuple, Callable[[], Quote]]]:
    """The cells, rows and prose lines of ``document`` at ``keys``, each with its quote, cells before their rows."""
    for block in document.blocks():
        if isinstance(block, Table):
            for row in block.rows:
                for index, cell in enumerate(row.cells):
                    if (key := cell.location.place) in keys:
                        yield key, partial(Quote, cells=row.texts, hit=index)
                if (key := row.location.place) in keys:
                    yield key, partial(Quote, cells=row.texts)
        else:
            for index, line in enumerate(block.span.line_locations):
                if (key := line.place) in keys:
                    yield key, partial(_sentences_quote, block.span, index)


def _sentences_quote(span: TextSpan, index: int) -> Quote:
    return Quote(text=_sentences_on(span, index))


def _sentences_on(span: TextSpan, index: int) -> str:
    """The sentences that line ``index`` of ``span`` holds part of, whitespace collapsed."""
    start = span.line_starts[index]
    end = span.line_starts[index + 1] if index + 1 < len(span.line_starts) else len(span.text)
    touching = [(s, e) for s, e in sentences(span.text) if s < max(end, start + 1) and e > start]
    if not touching:
        return ""
    return " ".join(span.text[touching[0][0]:touching[-1][1]].split())

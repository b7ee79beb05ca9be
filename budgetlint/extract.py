"""``budgetlint extract``: the parsed document and its budget model as plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path

from budgetlint.budget.crossref import cross_references
from budgetlint.budget.model import BudgetModel
from budgetlint.document import Document
from budgetlint.engine import Linter
from budgetlint.location import Location
from budgetlint.readers import ReadError, Source


class ExtractError(Exception):
    """The file could not be read; the message says why."""


def extract(linter: Linter, path: str, data: bytes | None = None) -> dict[str, object]:
    document = read_document(linter, (path,), data)
    budget = linter.build_budget(document)
    return {"document": plain(document), "budget": plain(budget), "quantities": quantities(budget, document)}


def quantities(budget: BudgetModel, document: Document) -> list[dict[str, object]]:
    """Each amount the cross-references compare (table cells, narrative amounts) with its quantity key."""
    xr = cross_references(budget, document)
    narrative = [link.subject for link in xr.links if link.subject.table is None and link.subject.quantity]
    return [
        {"where": f"{a.owner} › {a.name}", "value": a.shown, "key": str(a.quantity), "location": plain(a.location)}
        for a in [entry.amount for entry in xr.entries] + narrative
    ]


def read_document(linter: Linter, paths: Sequence[str], data: bytes | None = None) -> Document:
    """The document the files ``paths`` form together (``data``: the bytes of a single one, e.g. stdin)."""
    parts = []
    for path in paths:
        try:
            content = data if data is not None else Path(path).read_bytes()
        except OSError as exc:
            raise ExtractError(f"{path}: {exc.strerror or exc}") from exc
        try:
            parts.append(linter.read(Source(path, content, dict(linter.read_options)), "en"))
        except ReadError as exc:
            rule = linter.plugins.rules[exc.code]
            raise ExtractError(f"{path}: {rule.message('en', **exc.values_in('en'))}") from exc
    return Document.combine(parts)


def extract_or_error(linter: Linter, path: str, data: bytes | None = None) -> dict[str, object] | ExtractError:
    """:func:`extract`, with its error returned rather than raised (to cross from a child process)."""
    try:
        return extract(linter, path, data)
    except ExtractError as exc:
        return exc


def plain(value: object) -> object:
    """Dataclasses, enums and Decimals as JSON-ready data; locations compact."""
    if isinstance(value, Location):
        return {k: v for k, v in value.to_dict().items() if v not in (None, "")}
    if isinstance(value, Document):
        return {
            "path": value.path,
            "source_kind": value.source_kind,
            "encoding": value.encoding,
            "notes": plain(value.notes),
            "pages": plain(value.pages),
        }
    if is_dataclass(value) and not isinstance(value, type):
        data = {f.name: plain(getattr(value, f.name)) for f in fields(value) if f.repr}
        data["type"] = type(value).__name__
        return data
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value

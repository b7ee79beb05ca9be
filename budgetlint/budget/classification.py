"""The 政府收支分类科目 by year: each code's name in force for a document's year.

The data is ``rules/classification-codes.tsv`` (written by
``scripts/generate_classification.py``): one row per code and name, with the
years the name is known to be in force.  A code outside the data, or a year
before the first one the data knows for the code, is not judged.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from budgetlint.budget.vocabulary import RULES_PACKAGE, pack

DATA = "classification-codes.tsv"
# A level marker ending a name: 一般公共服务支出（类）, 行政运行(项).
_LEVEL_MARK = regex.compile(r"\((?:类|款|项)\)$")
_SPENDING = "支出"
# A function code (类 3 digits, 款 5, 项 7) or an economic one (部门 301-399, 政府 501-599; 类 3, 款 5).
_CLASSIFIED = regex.compile(r"2\d{2}(?:\d{2}(?:\d{2})?)?|[35]\d{2}(?:\d{2})?")


@dataclass(frozen=True)
class Name:
    """A code's name in force from ``since`` to ``until`` (inclusive; None: open)."""

    code: str
    name: str
    since: int | None
    until: int | None

    def in_force(self, year: int) -> bool:
        return (self.since is None or self.since <= year) and (self.until is None or year <= self.until)

    def years(self) -> str:
        """The span as written in messages: 2019–, –2018, 2017–2018."""
        return f"{self.since or ''}–{self.until or ''}"


def canonical(name: str) -> str:
    """A name as compared: NFKC, no whitespace, punctuation unified, no trailing （类）/（款）/（项）."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    text = text.translate(_punctuation())
    return _LEVEL_MARK.sub("", text)


@cache
def _punctuation() -> dict[int, str]:
    return str.maketrans(pack("name.toml")["punctuation"])


def same_name(printed: str, official: str) -> bool:
    """Whether a printed name reads as the official one.

    Canonical forms equal; either the start of the other (a name cut at a
    cell's edge, or a wrapped line run into it); or equal once a trailing 支出
    is dropped (其他一般公共服务 for 其他一般公共服务支出).
    """
    a, b = _stem(canonical(printed)), _stem(canonical(official))
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def _stem(name: str) -> str:
    return name[: -len(_SPENDING)] if name.endswith(_SPENDING) and len(name) > len(_SPENDING) else name


def is_classified(code: str) -> bool:
    """A function or economic classification code of the data's shape (not an income code, not a unit's)."""
    return bool(_CLASSIFIED.fullmatch(code))


@cache
def names() -> dict[str, tuple[Name, ...]]:
    """code → its names, oldest first."""
    found: dict[str, list[Name]] = defaultdict(list)
    text = resources.files(RULES_PACKAGE).joinpath(DATA).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, since, until = line.split("\t")
        found[code].append(Name(code, name, int(since) if since else None, int(until) if until else None))
    return {code: tuple(sorted(rows, key=lambda n: n.since or 0)) for code, rows in found.items()}


def in_force(code: str, year: int) -> Name | None:
    """The code's name in force in ``year``, or None when the data does not know it."""
    return next((n for n in names().get(code, ()) if n.in_force(year)), None)


def renamed_from(name: str, year: int) -> list[Name]:
    """The names of other years that ``name`` is exactly (canonical forms equal), for codes renamed by ``year``.

    Empty when ``name`` is a name in force in ``year``: a name no longer in
    force is recognised without its code only when no code still bears it.
    """
    if codes_named(name, year):
        return []
    rows = _rows_by_name().get(canonical(name), ())
    return [n for n in rows if not n.in_force(year) and in_force(n.code, year) is not None]


@cache
def _rows_by_name() -> dict[str, tuple[Name, ...]]:
    """canonical name → every row, of any year, bearing it."""
    found: dict[str, list[Name]] = defaultdict(list)
    for rows in names().values():
        for row in rows:
            found[canonical(row.name)].append(row)
    return {name: tuple(rows) for name, rows in found.items()}


def other_years(code: str, year: int) -> list[Name]:
    """The code's names in force in other years than ``year``."""
    return [n for n in names().get(code, ()) if not n.in_force(year)]


def codes_named(name: str, year: int) -> tuple[str, ...]:
    """The codes whose name in force in ``year`` is ``name`` (canonical forms equal)."""
    return _by_name(year).get(canonical(name), ())


@cache
def _by_name(year: int) -> dict[str, tuple[str, ...]]:
    """canonical name → the codes it names in ``year``."""
    found: dict[str, list[str]] = defaultdict(list)
    for code in sorted(names()):
        if (name := in_force(code, year)) is not None:
            found[canonical(name.name)].append(code)
    return {name: tuple(codes) for name, codes in found.items()}


def names_a_relative(code: str, name: str, year: int) -> bool:
    """Whether ``name`` is the name in ``year`` of a code above or below ``code`` (20808 named 死亡抚恤, 2080801's).

    A row carrying its parent's or child's name is a code column read at the
    wrong level (a 项 part lost), not a naming slip.
    """
    return any(other != code and (other.startswith(code) or code.startswith(other)) for other in codes_named(name, year))

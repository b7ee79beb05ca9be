"""Equations: the sums a document states, as intervals, and how they are judged.

A stated value is the interval ±½ unit of its last decimal; a sum holds when
the interval of its parts overlaps the interval of its total (XBRL
Calculations 1.1), so a rounding tail never fails.  A term whose cell did not
parse is unknown, never zero: an equation with an unknown term abstains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from budgetlint.location import Location
from budgetlint.numbers import ZERO, Interval, format_decimal, total

MINUS_ONE = Decimal(-1)


class Status(Enum):
    HOLDS = "holds"
    FAILS = "fails"
    UNKNOWN = "unknown"  # a term did not parse: the equation says nothing


@dataclass(frozen=True)
class Term:
    """One number of a sum.

    ``amount`` None is a blank cell, exactly 0, unless ``unknown`` (the cell
    holds text that is not an amount).  ``place`` identifies the cell (for
    finding the one wrong cell behind several failures); it defaults to the
    location.  A ``negated`` term is subtracted (年末 = 年初 + 收入 − 支出).
    """

    label: str
    amount: Decimal | None
    location: Location
    exact: bool = False  # counts of people or projects are exact, not rounded
    row: object | None = field(default=None, repr=False)  # identifies the table row the number sits in, if any
    unknown: bool = False
    negated: bool = False

    @property
    def place(self) -> object:
        """Where a wrong number would be: the cell (row and location)."""
        return (self.row, self.location) if self.row is not None else self.location

    @property
    def interval(self) -> Interval:
        if self.amount is None:
            return Interval.exact(ZERO)
        stated = Interval.exact(self.amount) if self.exact else Interval.stated(self.amount)
        return stated.scale(MINUS_ONE) if self.negated else stated

    @property
    def value(self) -> Decimal:
        value = self.amount if self.amount is not None else ZERO
        return -value if self.negated else value

    @property
    def text(self) -> str:
        return format_decimal(self.value)


@dataclass(frozen=True)
class Equation:
    """``total`` = Σ ``parts``.

    ``kind`` says which relation of the document it is (subtotal, total_row,
    column_sum, balance, project_group, form_sum, breakdown); ``table`` is the
    table it lives in (None for the narrative and forms).  ``partial`` parts
    may be an incomplete list, so only an excess counts; a shortfall is
    certain only when ``certain_shortfall``.
    """

    kind: str
    subject: str
    total: Term
    parts: tuple[Term, ...]
    confident: bool
    table: object | None = field(default=None, repr=False)
    variant: str = "default"
    partial: bool = False
    certain_shortfall: bool = True

    @property
    def terms(self) -> tuple[Term, ...]:
        return (self.total, *self.parts)

    @property
    def signed(self) -> bool:
        """Some part is subtracted: the parts may cancel, so no part need be smaller than the total."""
        return any(part.negated for part in self.parts)

    @property
    def computed(self) -> Interval:
        return total(part.interval for part in self.parts)

    @property
    def stated_parts(self) -> list[Term]:
        """The parts that state an amount (not blank, not zero)."""
        return [part for part in self.parts if part.value != 0]

    @property
    def tolerance(self) -> Decimal:
        """How far the stated difference may stray by rounding alone: the widths of total and sum together."""
        return self.computed.hi - self.computed.lo + self.total.interval.hi - self.total.interval.lo

    @property
    def stated_sum(self) -> Decimal:
        return sum((part.value for part in self.parts), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.total.value - self.stated_sum

    @property
    def trivial(self) -> bool:
        return self.total.value == 0 and all(part.value == 0 for part in self.parts)

    @property
    def excess(self) -> bool:
        return self.computed.lo > self.total.interval.hi

    @property
    def status(self) -> Status:
        if any(term.unknown for term in self.terms):
            return Status.UNKNOWN
        if self.partial:
            return Status.FAILS if self.excess else Status.HOLDS
        return Status.HOLDS if self.computed.overlaps(self.total.interval) else Status.FAILS

    @property
    def holds(self) -> bool:
        return self.status is Status.HOLDS

    @property
    def fails(self) -> bool:
        return self.status is Status.FAILS

    @property
    def tail(self) -> bool:
        """Holds only thanks to rounding: the stated numbers do not add up exactly."""
        return self.holds and not self.partial and self.stated_sum != self.total.value

    @property
    def certain(self) -> bool:
        """A failure that can only be a wrong number (not an incomplete list or an uncertain structure)."""
        return self.confident and (self.excess or self.certain_shortfall)

    @property
    def slight(self) -> bool:
        """Off by no more than one unit of the last stated decimal per term: rounding done carelessly, not a wrong figure.

        A stated zero says nothing of the precision, so the unit is the widest of the other terms'.
        """
        unit = max((t.interval.hi - t.interval.lo for t in self.terms if t.value != 0), default=ZERO)
        return abs(self.difference) <= unit * len(self.terms)


@dataclass(frozen=True)
class Withheld:
    """A table whose arithmetic was not checked, because it was not understood.

    ``reason`` names the signature of the misreading (see
    :mod:`budgetlint.budget.reconcile`); ``equations`` are the ones not checked.
    """

    table: object
    reason: str
    equations: tuple[Equation, ...]
    example: Equation


@dataclass(frozen=True)
class Defect:
    """One wrong number and the equations it breaks, the first the one to report it by.

    ``culprit`` is the cell all the equations share, when there are several.
    """

    equations: tuple[Equation, ...]
    culprit: Term | None = None

    @property
    def primary(self) -> Equation:
        return self.equations[0]


@dataclass
class Arithmetic:
    """Every equation of a document, judged: the defects found, and the tables withheld as misread."""

    equations: list[Equation] = field(default_factory=list)
    defects: list[Defect] = field(default_factory=list)
    withheld: list[Withheld] = field(default_factory=list)

    @property
    def checked(self) -> list[Equation]:
        """The equations judged: not withheld, not all zero, with every term known."""
        return [e for e in self.equations if e.status is not Status.UNKNOWN]

    def defects_of(self, kind: str) -> list[Defect]:
        """The defects reported by an equation of ``kind``."""
        return [d for d in self.defects if d.primary.kind == kind]

    @property
    def tails(self) -> list[Equation]:
        return [e for e in self.checked if e.tail]

"""Reading a table by arithmetic consensus: of several possible readings, keep the one the sums confirm.

A table may be read several ways: which column holds which quantity, where
a 类/款/项 code starts, whether a row is a sub-row, whether the table has one
section or two halves, how a continuation page's columns map to the page
before.  Published tables almost always add up, so the reading under which
the most of the table's own equations hold is the right one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from budgetlint.budget.arithmetic import Status
from budgetlint.budget.equations import table_equations
from budgetlint.budget.model import BudgetTable, Section
from budgetlint.budget.rowtree import carryover_levels, indent_levels, opening_levels, sum_levels


def score(table: BudgetTable, department: str) -> tuple[int, int]:
    """(holding − failing, holding) over the table's non-trivial equations with every term known."""
    holding, failing = _counts(table, department)
    return holding - failing, holding


def _counts(table: BudgetTable, department: str) -> tuple[int, int]:
    """(holding, failing) over the table's non-trivial equations with every term known."""
    holding = failing = 0
    for equation in table_equations(table, department):
        if equation.trivial or equation.status is Status.UNKNOWN:
            continue
        holding += equation.holds
        failing += equation.fails
    return holding, failing


def best_reading(candidates: Sequence[BudgetTable], department: str) -> BudgetTable:
    """The candidate under which the most equations hold; a tie goes to the earlier candidate."""
    scores = [score(candidate, department) for candidate in candidates]
    return candidates[max(range(len(candidates)), key=lambda i: (scores[i], -i))]


def readings(table: BudgetTable, department: str) -> list[BudgetTable]:
    """``table`` as read, then the other readings worth scoring: row levels from indentation, a year's
    whole over its side's rows, a carryover's breakdown below it, and their combinations; last, rows
    under the row they add up to, a reading the sums themselves suggest, so kept only where every sum holds."""
    found = [table]
    for alternative in (indent_levels, opening_levels, carryover_levels):
        found += [other for candidate in found if (other := _relevelled(candidate, alternative)) is not None]
    nested = [other for candidate in found if (other := _relevelled(candidate, sum_levels)) is not None]
    return found + [candidate for candidate in nested if _counts(candidate, department)[1] == 0]


def _relevelled(table: BudgetTable, alternative: Callable[[Section], dict[int, int]]) -> BudgetTable | None:
    """``table`` with the row levels ``alternative`` gives its sections; None if it gives none."""
    levels = [alternative(section) for section in table.sections]
    if not any(levels):
        return None
    sections = [
        replace(section, items=[replace(item, level=found.get(item.row_index, item.level)) for item in section.items])
        for section, found in zip(table.sections, levels, strict=True)
    ]
    return replace(table, sections=sections)

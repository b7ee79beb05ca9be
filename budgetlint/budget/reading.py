"""Reading a table by arithmetic consensus: of several possible readings, keep the one the sums confirm.

A table may be read several ways: which column holds which quantity, where
a 类/款/项 code starts, whether a row is a sub-row, whether the table has one
section or two halves, how a continuation page's columns map to the page
before.  Published tables almost always add up, so the reading under which
the most of the table's own equations hold is the right one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import chain

from budgetlint.budget.arithmetic import Status
from budgetlint.budget.equations import PROJECT_KINDS, balance_equations, subtotal_equations, total_row_equations
from budgetlint.budget.model import BudgetTable, Section
from budgetlint.budget.rowtree import carryover_levels, indent_levels, opening_levels, sum_levels


def score(table: BudgetTable) -> tuple[int, int]:
    """(holding − failing, holding) over the equations the row levels decide."""
    holding, failing = _counts(table)
    return holding - failing, holding


def _counts(table: BudgetTable) -> tuple[int, int]:
    """(holding, failing) over the non-trivial equations, every term known, that the row levels decide.

    Column sums hold or fail whatever the levels, so they are not counted.
    """
    holding = failing = 0
    for section in table.sections:
        for equation in chain(subtotal_equations(table, section), total_row_equations(table, section),
                              balance_equations(table, section)):
            if equation.trivial or equation.status is Status.UNKNOWN:
                continue
            holding += equation.holds
            failing += equation.fails
    return holding, failing


def read_by_sums(table: BudgetTable) -> BudgetTable:
    """``table`` under the reading its equations confirm best, each alternative taken only where it scores higher.

    The alternatives, in turn: row levels from indentation, a year's whole over
    its side's rows, a carryover's breakdown below it; last, rows under the row
    they add up to, a reading the sums themselves suggest, so taken only where
    every sum then holds.
    """
    if table.kind in PROJECT_KINDS:  # read by group rows, not by levels
        return table
    best, best_score = table, None
    for alternative in (indent_levels, opening_levels, carryover_levels, sum_levels):
        other = _relevelled(best, alternative)
        if other is None:
            continue
        best_score = best_score or score(best)
        holding, failing = _counts(other)
        if (holding - failing, holding) > best_score and (alternative is not sum_levels or failing == 0):
            best, best_score = other, (holding - failing, holding)
    return best


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

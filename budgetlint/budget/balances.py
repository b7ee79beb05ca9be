"""The balance of each scope of funds in a final account: 年末 = 年初 + 本年收入 − 本年支出.

年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余 holds for every scope of
funds a 决算 reports:

- row by row, in a table whose columns are those four (政府性基金预算财政拨款
  收入支出决算表: 年初结转和结余 | 本年收入 | 本年支出 小计, 基本, 项目 | 年末结转和结余),
  for each group of such columns;
- fund by fund, in a two-sided 财政拨款收入支出决算总表: the income row of the
  fund (一、一般公共预算财政拨款) and its line of the 年初财政拨款结转和结余
  breakdown, against the fund's column of 本年支出合计 and 年末财政拨款结转和结余.

An amount that cannot be placed (no breakdown of a non-zero 年初, two rows of
one fund, a column besides the four in a group) withholds the equation.
The vocabulary is rules/arithmetic.toml [fund_balance].
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import takewhile
from typing import Any

from budgetlint.budget.arithmetic import Equation, Term
from budgetlint.budget.model import BudgetTable, Column, Item, Section
from budgetlint.budget.rowtree import parents, region, vocab
from budgetlint.budget.tables import column_key
from budgetlint.budget.text import clean
from budgetlint.budget.vocabulary import has_any

ROLES = ("opening", "income", "spending", "closing")
CellTerm = Callable[[Item, Column], Term]


def words() -> Mapping[str, Any]:
    return vocab()["fund_balance"]


def fund_balances(table: BudgetTable, cell: CellTerm) -> Iterator[Equation]:
    """The balance equations of ``table`` (``cell`` makes a cell's term, as the other equations do)."""
    for section in table.sections:
        yield from _column_balances(table, section, cell)
    yield from _fund_balances(table, cell)


def balance(table: BudgetTable, closing: Term, opening: Term, income: Term, spending: Term) -> Equation:
    """年末 = 年初 + 本年收入 − 本年支出, reported under SUM004 as a fund's balance."""
    return Equation(
        "balance", closing.label, closing, (opening, income, replace(spending, negated=True)),
        table.confident, table, variant="fund",
    )


def role_of(text: str) -> str:
    """Which of the four amounts a header or row label names, '' if none."""
    text = clean(text)
    return next((role for role in ROLES if has_any(text, words()[role])), "")


# --- a table of the four columns ---------------------------------------------------


def _column_balances(table: BudgetTable, section: Section, cell: CellTerm) -> Iterator[Equation]:
    """Each row of each column group with 年初 | 本年收入 | 本年支出 | 年末 and nothing else."""
    for columns in _column_groups(section.columns):
        for item in section.items:
            terms = {role: cell(item, column) for role, column in columns.items()}
            yield balance(table, terms["closing"], terms["opening"], terms["income"], terms["spending"])


def _column_groups(columns: Sequence[Column]) -> list[dict[str, Column]]:
    """Per header group (the header above the role words), the column of each role; groups with other columns are left out."""
    groups: dict[tuple[str, ...], dict[str, list[tuple[int, Column]]]] = defaultdict(lambda: defaultdict(list))
    strays: set[tuple[str, ...]] = set()
    for column in columns:
        depth = next((d for d, text in enumerate(column.header) if role_of(text)), None)
        if depth is None:
            strays.add(column.header[:-1])
            continue
        groups[column.header[:depth]][role_of(column.header[depth])].append((depth, column))
    found = []
    for prefix, roles in groups.items():
        chosen = {role: _role_column(roles.get(role, [])) for role in ROLES}
        if prefix not in strays and all(chosen.values()):
            found.append({role: column for role, column in chosen.items() if column is not None})
    return found


def _role_column(candidates: Sequence[tuple[int, Column]]) -> Column | None:
    """The one column standing for a role: itself, or the 小计 of the columns under it."""
    if len(candidates) == 1:
        return candidates[0][1]
    totals = [c for depth, c in candidates if c.key == "total" and len(c.header) == depth + 2]
    return totals[0] if len(totals) == 1 else None


# --- a two-sided 财政拨款收入支出决算总表 -------------------------------------------------


def _fund_balances(table: BudgetTable, cell: CellTerm) -> Iterator[Equation]:
    """Per fund column of the expense side: the fund's income and 年初 rows against its 本年支出 and 年末."""
    sides = {s.side: s for s in table.sections if s.side}
    income, expense = sides.get("income"), sides.get("expense")
    if income is None or expense is None or len(income.columns) != 1:
        return
    amount = income.columns[0]
    funds = _income_rows(income)
    spent = [i for i in expense.items if i.role == "total"][:1]
    closing = [i for i in expense.items if role_of(i.label) == "closing"]
    if not funds or len(spent) != 1 or len(closing) != 1:
        return
    for column in expense.columns:
        rows = funds.get(column.key)
        if column.key in words()["funds"] and rows is not None:
            received, opened, opening = rows
            start = cell(opened, amount)
            if opened is not opening:  # name the breakdown line by its 年初 row
                start = replace(start, label=f"{opening.label} › {start.label}")
            yield balance(table, cell(closing[0], column), start, cell(received, amount), cell(spent[0], column))


def _income_rows(section: Section) -> dict[str, tuple[Item, Item, Item]]:
    """Fund → (its income row, its line of the 年初 breakdown or the whole 年初 row when that is zero, the 年初 row),
    for the funds placed once."""
    positions = [n for n, item in enumerate(section.items) if item.role == "total"]
    if len(positions) != 1:
        return {}
    received = _by_fund(region(section, section.items[:positions[0]], parents(section)).tops)
    after = section.items[positions[0] + 1:]
    openings = [n for n, item in enumerate(after) if role_of(item.label) == "opening"]
    if len(openings) != 1:
        return {}
    opening = after[openings[0]]
    breakdown = list(takewhile(lambda i: i.role == "item", after[openings[0] + 1:]))
    opened = _by_fund(breakdown)
    nothing = bool(opening.values) and all(v.amount in (None, 0) and not v.unknown for v in opening.values.values())
    found = {}
    for fund, row in received.items():
        if fund in opened:
            found[fund] = (row, opened[fund], opening)
        elif nothing and not breakdown:
            found[fund] = (row, opening, opening)  # nothing carried over: 0 for every fund
    return found


def _by_fund(rows: Sequence[Item]) -> dict[str, Item]:
    """The rows naming one fund each (一般公共预算财政拨款 → general); a fund named twice is left out."""
    named: dict[str, list[Item]] = defaultdict(list)
    for row in rows:
        named[column_key(row.label)].append(row)
    return {fund: found[0] for fund, found in named.items() if fund in words()["funds"] and len(found) == 1}

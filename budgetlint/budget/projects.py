"""Projects of the 项目支出表: the project rows, and the group rows that subtotal them."""

from __future__ import annotations

from budgetlint.budget.model import BudgetTable, Column, Project


def read_projects(table: BudgetTable, department: str) -> list[Project]:
    """Projects of a 项目支出表: its item rows that are not group rows (department or unit subtotals)."""
    if "上年结转" in table.title or not table.sections:
        return []
    section = table.sections[0]
    total = amount_column(table)
    groups = group_rows(table, department)
    return [
        Project(item.label, item.value(total) if total else None, table.unit, item.location, table)
        for item in section.items
        if item.role == "item" and item.row_index not in groups
    ]


def amount_column(table: BudgetTable) -> Column | None:
    """A project table's amount column: its 合计 column, else its first value column."""
    section = table.sections[0]
    return section.column("total") or (section.columns[0] if section.columns else None)


def group_rows(table: BudgetTable, department: str) -> set[int]:
    """Rows of a project table that subtotal the projects below them.

    A row is a group row when it names the department, or when its amount
    equals the sum of the rows below it up to the next group (two or more).
    """
    section = table.sections[0]
    total = amount_column(table)
    if total is None:
        return set()
    groups: set[int] = set()
    running = None
    parts = 0
    for item in reversed(section.items):
        value = item.value(total)
        if value is None or item.role != "item":
            continue
        named = bool(department) and item.label == department
        if named or (running is not None and parts >= 2 and value.interval.overlaps(running)):
            groups.add(item.row_index)
            running = value.interval  # the group row stands for its rows: the count of parts goes on
            continue
        running = value.interval if running is None else running + value.interval
        parts += 1
    return groups

"""Projects of the 项目支出表: the project rows, and the group rows that subtotal them."""

from __future__ import annotations

from budgetlint.budget.model import BudgetTable, Column, Project, Section
from budgetlint.budget.rowtree import indent_steps


def read_projects(table: BudgetTable, groups: set[int]) -> list[Project]:
    """Projects of a 项目支出表: its item rows that are not ``groups`` (department or unit subtotals)."""
    if "上年结转" in table.title or not table.sections:
        return []
    section = table.sections[0]
    total = amount_column(table)
    return [
        Project(item.label, item.value(total) if total else None, table.unit, item.location, table)
        for item in section.items
        if item.role == "item" and item.row_index not in groups
    ]


def amount_column(table: BudgetTable) -> Column | None:
    """A project table's amount column: its 合计 column, else its first value column."""
    section = table.sections[0]
    return section.column("total") or (section.columns[0] if section.columns else None)


def group_rows(table: BudgetTable, department: str, least: int = 2) -> set[int]:
    """Rows of a project table that subtotal the projects below them.

    A row is a group row when it names the department, or when its amount
    equals the sum of the rows below it: of ``least`` or more up to the next
    group (a unit and its projects), or of two or more to the end, each group
    standing for its rows (a department over its units).  A row the layout
    indents as a project (see ``_indented_projects``) is never a group, whatever
    its amount: a chance sum does not outrank the template's structure.
    """
    section = table.sections[0]
    total = amount_column(table)
    if total is None:
        return set()
    groups: set[int] = set()
    projects = _indented_projects(section)
    running = own = None
    parts = own_parts = 0
    for item in reversed(section.items):
        value = item.value(total)
        if value is None or item.role != "item":
            continue
        named = bool(department) and item.label == department
        if named or item.row_index not in projects and any(
            sum_ is not None and count >= fewest and value.interval.overlaps(sum_)
            for sum_, count, fewest in ((running, parts, 2), (own, own_parts, least))
        ):
            groups.add(item.row_index)  # it stands for its rows, already counted in the running sum
            running = value.interval if running is None else running
            own, own_parts = None, 0
            continue
        running = value.interval if running is None else running + value.interval
        own = value.interval if own is None else own + value.interval
        parts += 1
        own_parts += 1
    return groups


def _indented_projects(section: Section) -> set[int]:
    """Rows indented deepest of two or more steps (广州: units flush, their projects indented): projects only."""
    rows = [item for item in section.items if item.role == "item"]
    steps = indent_steps([item.indent for item in rows])
    deepest = max(steps.values(), default=0)
    return {item.row_index for item in rows if deepest and steps[item.indent] == deepest}

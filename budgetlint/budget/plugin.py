"""The built-in recogniser: fills the budget model from the document model."""

from __future__ import annotations

from budgetlint.budget import metadata, narrative, performance, tables
from budgetlint.budget.model import BudgetModel, BudgetTable, Column, Project
from budgetlint.budget.text import clean
from budgetlint.budget.vocabulary import pack
from budgetlint.document import Document
from budgetlint.hookspecs import hookimpl

FORM_SCOPES = {"performance_project": "project", "performance_department": "department"}


@hookimpl(tryfirst=True)
def budgetlint_enrich(document: Document, budget: BudgetModel) -> None:
    blocks = list(document.blocks())
    budget.metadata = metadata.read_metadata(blocks)
    titled = [(context, tables.find_title(context)[0]) for context in tables.contexts(blocks)]
    for context, title in tables.join_repeats(titled):
        kind = tables.classify(title)
        if not kind:
            continue
        if kind in FORM_SCOPES:
            budget.forms.append(performance.read_form(context.table, title, FORM_SCOPES[kind]))
            continue
        table = tables.read_table(context, title, kind, tables.find_unit(context))
        if kind == "basic_economic":
            _economic_levels(table)
        budget.tables.append(table)
    budget.projects = [p for t in budget.tables_of("project_expense") for p in _projects(t, budget)]
    budget.facts = narrative.read_facts(list(document.paragraphs()), budget.metadata.department)


def _economic_levels(table: BudgetTable) -> None:
    """Without codes, economic 类 rows are known by name; the rest are 款."""
    classes = {clean(name) for name in pack("classification.toml")["economic_classes"]}
    for _, item in table.items():
        if not item.code and item.role == "item":
            item.level = 1 if item.label in classes else 2


def _projects(table: BudgetTable, budget: BudgetModel) -> list[Project]:
    """Projects of a 项目支出表: its item rows that are not group rows (department or unit subtotals)."""
    if "上年结转" in table.title or not table.sections:
        return []
    section = table.sections[0]
    total = amount_column(table)
    groups = group_rows(table, budget.metadata.department)
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
            running, parts = value.interval, parts
            continue
        running = value.interval if running is None else running + value.interval
        parts += 1
    return groups

"""The built-in recogniser: fills the budget model from the document model."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from budgetlint.budget import lineitems, metadata, narrative, performance, projects, reading, tables
from budgetlint.budget.equations import project_groups
from budgetlint.budget.model import BudgetModel, BudgetTable, Item
from budgetlint.budget.reconcile import reconcile
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
            budget.unrecognised.append(context.table)
            continue
        if kind in FORM_SCOPES:
            previous = budget.forms[-1] if budget.forms else None
            unit = tables.find_unit(context)
            budget.forms += performance.read_forms(context.table, title, FORM_SCOPES[kind], previous, unit)
            continue
        table = tables.read_table(context, title, kind, tables.find_unit(context))
        if kind in ("basic_economic", "basic_expense"):
            _economic_levels(table)
        budget.tables.append(reading.read_by_sums(table))
    department = budget.metadata.department
    budget.projects = [p for t in budget.tables_of("project_expense") for p in projects.read_projects(t, project_groups(t, department))]
    budget.facts = narrative.read_facts(list(document.paragraphs()), budget.metadata.department)
    budget.arithmetic = reconcile(budget)
    budget.line_items = lineitems.read_items(list(document.paragraphs()), budget.metadata.year)
    lineitems.tie(budget.line_items, budget.understood_tables, budget.metadata.final_account)


def _economic_levels(table: BudgetTable) -> None:
    """Without codes, economic 类 rows are known by name; the rest are 款.

    Where the 类 repeat under each unit (广州's 基本支出预算表: a unit's row, then
    its 工资福利支出, 商品和服务支出…), every other row opening such a run is a
    unit over its 类.  A 基本支出总表 of another shape keeps the levels it was read with.
    """
    classes = {clean(name) for name in pack("classification.toml")["economic_classes"]}
    for section in table.sections:
        items = [item for item in section.items if not item.code and item.role == "item"]
        coded = any(item.code for item in section.items if item.role == "item")  # levels from codes: leave them
        by_unit = not coded and _classes_by_unit(items, classes)
        if table.kind != "basic_economic" and not by_unit:
            continue
        class_level, other_level = (2, 1) if by_unit else (1, 2)
        for item in items:
            item.level = class_level if item.label in classes else other_level


def _classes_by_unit(items: list[Item], classes: set[str]) -> bool:
    """The 类 repeat, and each other row opens a run of them: the table lists units, each over its 类."""
    named = Counter(item.label for item in items if item.label in classes)
    if not named or max(named.values()) < 2:
        return False
    opening_runs = all(following.label in classes for item, following in pairwise(items) if item.label not in classes)
    return opening_runs and items[-1].label in classes

"""The built-in recogniser: fills the budget model from the document model."""

from __future__ import annotations

from budgetlint.budget import metadata, narrative, performance, projects, tables
from budgetlint.budget.model import BudgetModel, BudgetTable
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
            budget.forms.append(performance.read_form(context.table, title, FORM_SCOPES[kind]))
            continue
        table = tables.read_table(context, title, kind, tables.find_unit(context))
        if kind == "basic_economic":
            _economic_levels(table)
        budget.tables.append(table)
    department = budget.metadata.department
    budget.projects = [p for t in budget.tables_of("project_expense") for p in projects.read_projects(t, department)]
    budget.facts = narrative.read_facts(list(document.paragraphs()), budget.metadata.department)
    budget.arithmetic = reconcile(budget)


def _economic_levels(table: BudgetTable) -> None:
    """Without codes, economic 类 rows are known by name; the rest are 款."""
    classes = {clean(name) for name in pack("classification.toml")["economic_classes"]}
    for _, item in table.items():
        if not item.code and item.role == "item":
            item.level = 1 if item.label in classes else 2

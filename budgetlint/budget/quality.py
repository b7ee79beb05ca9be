"""How well the budget model understood a document: the model-quality report.

Counts what was read (pages, tables, amount cells), what was recognised,
and how much of it the document's own arithmetic confirms: the equations
checked, holding, failing and withheld, and the share of amount cells that
at least one holding equation, or a restatement that agrees, covers.  ``budgetlint stats`` prints it;
benchmarks/model_quality.py runs it over the corpus.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields

from budgetlint.budget.arithmetic import Arithmetic, Status
from budgetlint.budget.crossref import cross_references
from budgetlint.budget.equations import additive_columns
from budgetlint.budget.model import BudgetModel
from budgetlint.document import Document


@dataclass
class Quality:
    """The model-quality figures of one document (or, summed, of many)."""

    documents: int = 1
    pages: int = 0
    tables: int = 0
    recognised: int = 0
    forms: int = 0
    amount_cells: int = 0
    unparsed_cells: int = 0
    covered_cells: int = 0
    equations: int = 0
    holding: int = 0
    failing: int = 0
    unknown: int = 0
    withheld_equations: int = 0
    withheld_tables: int = 0
    item_amounts: int = 0  # the narrative line items' own amounts (预算数, 预算安排; 决算数)
    tied_item_amounts: int = 0  # those of items tied to a table row
    kinds: Counter[str] = field(default_factory=Counter)
    uncovered: Counter[str] = field(default_factory=Counter)  # amount cells no holding equation covers, by cause
    uncovered_kinds: Counter[str] = field(default_factory=Counter)  # the same cells by table kind

    def __add__(self, other: Quality) -> Quality:
        summed = Quality(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})
        return summed

    @property
    def holding_share(self) -> float:
        judged = self.holding + self.failing
        return self.holding / judged if judged else 1.0

    @property
    def coverage(self) -> float:
        return self.covered_cells / self.amount_cells if self.amount_cells else 1.0

    @property
    def tied_item_share(self) -> float:
        return self.tied_item_amounts / self.item_amounts if self.item_amounts else 1.0

    @property
    def withheld_share(self) -> float:
        return self.withheld_tables / self.recognised if self.recognised else 0.0


def measure(document: Document, budget: BudgetModel) -> Quality:
    """The model-quality figures of ``document`` as ``budget`` reads it."""
    arithmetic = budget.arithmetic
    checked = arithmetic.checked
    holding = [e for e in checked if e.holds]
    covered = {term.location for e in holding for term in e.terms} | _restated(document, budget)
    quality = Quality(
        pages=len(document.pages),
        tables=len(budget.tables) + len(budget.forms) + len(budget.unrecognised),
        recognised=len(budget.tables),
        forms=len(budget.forms),
        equations=len(arithmetic.equations),
        holding=len(holding),
        failing=sum(1 for e in checked if e.fails),
        unknown=len(arithmetic.equations) - len(checked),
        withheld_equations=sum(len(w.equations) for w in arithmetic.withheld),
        withheld_tables=len({id(w.table) for w in arithmetic.withheld}),
        kinds=Counter(t.kind for t in budget.tables),
    )
    for line_item in budget.line_items:
        amounts = len(line_item.own_amounts(budget.metadata.final_account))
        quality.item_amounts += amounts
        quality.tied_item_amounts += amounts if line_item.row is not None else 0
    causes = _causes(arithmetic)
    for table in budget.tables:
        withheld = any(w.table is table for w in arithmetic.withheld)
        for section in table.sections:
            columns = additive_columns(table, section)
            for item in section.items:
                for column in columns:
                    value = item.value(column)
                    if value is None or value.is_blank and not value.unknown:
                        continue
                    if value.unknown:
                        quality.unparsed_cells += 1
                        continue
                    quality.amount_cells += 1
                    if value.location in covered:
                        quality.covered_cells += 1
                        continue
                    cause = "withheld" if withheld else causes.get(value.location, "zero" if value.amount == 0 else "alone")
                    quality.uncovered[cause] += 1
                    quality.uncovered_kinds[table.kind] += 1
    return quality


def _causes(arithmetic: Arithmetic) -> dict[object, str]:
    """Why a cell that some stated equation holds is not covered: its equations fail, or have an unknown term.

    A cell in no stated equation is "zero" (its sums state nothing: every term
    zero) or "alone" (no sum was read over it); one in a withheld table is "withheld".
    """
    found: dict[object, str] = {}
    for equation in arithmetic.equations:
        cause = {Status.FAILS: "failing", Status.UNKNOWN: "unknown"}.get(equation.status)
        for term in equation.terms if cause else ():
            found.setdefault(term.location, cause)
    return found


def _restated(document: Document, budget: BudgetModel) -> set[object]:
    """The places of amounts another statement repeats and agrees with."""
    agreeing = [link for link in cross_references(budget, document).links if link.status == "agree"]
    return {amount.location for link in agreeing for amount in (link.subject, *link.references)}

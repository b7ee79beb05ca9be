"""Judging a document's equations: which hold, which fail, which say nothing.

The equations of one table are judged together.  A formula that fails on
most rows of a table, in ways no single wrong row explains, means the
structure was misread: those equations are withheld rather than reported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from budgetlint.budget.arithmetic import Arithmetic, Equation, Withheld
from budgetlint.budget.breakdowns import breakdown_equations
from budgetlint.budget.equations import form_equations, table_equations
from budgetlint.budget.model import BudgetModel


def reconcile(budget: BudgetModel) -> Arithmetic:
    """All equations of ``budget``, judged."""
    stated: list[Equation] = []
    for table in budget.tables:
        stated += table_equations(table, budget.metadata.department)
    for form in budget.forms:
        stated += form_equations(form)
    stated += breakdown_equations(budget)
    return judge(stated)


def judge(equations: Iterable[Equation]) -> Arithmetic:
    """Non-trivial equations, without the groups whose formula fails as a misread structure would.

    A group (one kind of equation in one table) is withheld when most of its
    equations fail and no single row takes part in every failure (one wrong
    row breaks the sums above and below it, in every column; a misread table
    breaks unrelated sums everywhere).
    """
    groups: dict[tuple[str, int], list[Equation]] = defaultdict(list)
    result = Arithmetic()
    for equation in equations:
        if equation.trivial:
            continue
        if equation.table is None:
            result.equations.append(equation)
        else:
            groups[(equation.kind, id(equation.table))].append(equation)
    for members in groups.values():
        failures = [e for e in members if e.fails]
        if len(failures) * 2 > len(members) and not _one_culprit(failures):
            result.withheld.append(Withheld(members[0].table, "misread", tuple(members)))
        else:
            result.equations += members
    return result


def _one_culprit(failures: Sequence[Equation]) -> bool:
    rows = Counter(
        row for e in failures for row in {t.row or t.location for t in e.terms if t.amount is not None}
    )
    return bool(rows) and rows.most_common(1)[0][1] == len(failures)

"""Judging a document's equations: which hold, which fail, and what a failure means.

Published documents almost always add up, so a table whose equations fail
the way a misreading fails was misread, and its arithmetic is withheld
rather than reported.  The signatures of a misreading:

- a sum exactly k times its total (k ≥ 2): a total counted with its own parts;
- a total read as blank or zero while its parts are not;
- rows that exceed their total by exactly one of them (a sub-row read as
  a row of its own level, and so counted twice);
- rows over their total among which one equals the sum of the rows right
  after it (a row and its own sub-rows read as peers);
- a difference equal to a total of the table (a whole row or column left out
  or counted twice);
- more failing equations than one wrong cell can explain.

What remains are defects: one wrong cell, and every equation it breaks (a
row sum, a column sum…).  A defect is reported once, at that cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from budgetlint.budget.arithmetic import Arithmetic, Defect, Equation, Status, Term, Withheld
from budgetlint.budget.breakdowns import breakdown_equations
from budgetlint.budget.equations import form_equations, table_equations
from budgetlint.budget.model import BudgetModel, BudgetTable
from budgetlint.numbers import Interval, total

MULTIPLES = range(2, 5)
ZERO_INTERVAL = Interval.exact(Decimal(0))


def reconcile(budget: BudgetModel) -> Arithmetic:
    """All equations of ``budget``, judged table by table."""
    result = Arithmetic()
    for table in budget.tables:
        _judge_table(table, table_equations(table, budget.metadata.department), result)
    loose = [e for form in budget.forms for e in form_equations(form)] + list(breakdown_equations(budget))
    for equation in _stated(loose):
        result.equations.append(equation)
        if equation.fails:
            result.defects.append(Defect((equation,)))
    return result


def _stated(equations: Iterable[Equation]) -> list[Equation]:
    """The equations that say something: not every term zero."""
    return [e for e in equations if not e.trivial]


def _judge_table(table: BudgetTable, equations: Iterable[Equation], result: Arithmetic) -> None:
    stated = _stated(equations)
    failures = [e for e in stated if e.status is Status.FAILS]
    signature = misreading(table, failures)
    if signature:
        reason, example = signature
        result.withheld.append(Withheld(table, reason, tuple(stated), example))
        return
    result.equations += stated
    result.defects += defects(failures)


def misreading(table: BudgetTable, failures: Sequence[Equation]) -> tuple[str, Equation] | None:
    """The signature of a misread table among its failing equations, and the equation that shows it.

    None when the failures can be defects.
    """
    totals = _total_cells(table)
    signatures = (
        ("multiple", _multiple),
        ("lost_total", _lost_total),
        ("double_count", _double_count),
        ("nested_parts", _nested_parts),
        ("whole_difference", lambda e: _whole_difference(e, totals)),
    )
    for reason, shows in signatures:
        example = next((e for e in failures if shows(e)), None)
        if example is not None:
            return reason, example
    if len(failures) > 1 and not _common_places(failures) and not _common_rows(failures):
        return "unexplained", failures[0]
    return None


def _multiple(equation: Equation) -> bool:
    """The parts add up to k times the total: the total (or its parts) counted k times."""
    return equation.total.value != 0 and any(
        equation.computed.overlaps(equation.total.interval.scale(k)) for k in MULTIPLES
    )


def _lost_total(equation: Equation) -> bool:
    """The total is blank or zero while several of its parts are not."""
    return equation.total.value == 0 and not equation.partial and not equation.signed and len(equation.stated_parts) > 1


def _double_count(equation: Equation) -> bool:
    """Rows over their total by exactly one of them: a sub-row read as a row of its own level, counted twice."""
    stated = equation.stated_parts
    if equation.kind not in ("subtotal", "total_row") or len(stated) < 3 or not equation.excess:
        return False
    return any(abs(equation.difference + t.value) <= equation.tolerance for t in stated)


def _nested_parts(equation: Equation) -> bool:
    """Rows over their total, one of which is the sum of the rows right after it: a row with its sub-rows.

    In a summary table it may be a carryover row counted with its own
    breakdown; in a 项目支出表 a unit's row, read as a project of the unit
    before it; project lists hold many round amounts, so there the excess must
    also be such rows' own amount, once or twice (counted with its projects, and
    again as a unit of the department).
    """
    if equation.kind not in ("subtotal", "total_row", "balance", "project_group") or equation.signed or not equation.excess:
        return False
    parents = _sums_of_followers(equation.stated_parts)
    if equation.kind != "project_group":
        return bool(parents)
    excess = Interval.exact(-equation.difference)
    slack = equation.tolerance
    candidates = [Interval(p.interval.lo - slack, p.interval.hi + slack) for p in parents]
    together = total(candidates)
    counted = [c.scale(Decimal(k)) for c in [*candidates, together] for k in (1, 2)] if candidates else []
    return any(c.overlaps(excess) for c in counted)


def _sums_of_followers(parts: Sequence[Term]) -> list[Term]:
    """The parts that equal the sum of one or more of the parts right after them."""
    found = []
    for i, parent in enumerate(parts):
        following = ZERO_INTERVAL
        for child in parts[i + 1:]:
            following = following + child.interval
            if following.overlaps(parent.interval):
                found.append(parent)
                break
            if following.lo > parent.interval.hi:
                break
    return found


def _total_cells(table: BudgetTable) -> list[Term]:
    """The whole columns' totals: every amount in the table's total rows."""
    cells = []
    for section in table.sections:
        for item in section.items:
            if item.role not in ("total", "grand_total"):
                continue
            for column in section.columns:
                value = item.value(column)
                if value is not None and value.amount:
                    cells.append(Term("", value.amount, value.location))
    return cells


def _whole_difference(equation: Equation, totals: Sequence[Term]) -> bool:
    """The difference is a whole column's total, not one of the equation's own numbers: a column missed or doubled."""
    gap = abs(equation.difference)
    own = {t.location for t in equation.terms}
    return any(abs(gap - abs(t.value)) <= equation.tolerance for t in totals if t.location not in own)


def _common_places(equations: Sequence[Equation]) -> list[object]:
    """The cells every one of ``equations`` contains, in the order of the first one's terms."""
    shared = set.intersection(*({t.place for t in e.terms} for e in equations))
    return [t.place for t in equations[0].terms if t.place in shared]


def _common_rows(equations: Sequence[Equation]) -> set[object]:
    """The table rows every one of ``equations`` has a number in: one row wrong in each of its columns."""
    return set.intersection(*({t.row for t in e.terms if t.row is not None} for e in equations))


def defects(failures: Sequence[Equation]) -> list[Defect]:
    """The failures of one table as defects: one wrong cell common to them all, or each on its own."""
    if len(failures) < 2:
        return [Defect((e,)) for e in failures]
    culprit = _culprit(failures)
    primary = next((e for e in failures if e.total.place == culprit.place), failures[0])
    ordered = (primary, *(e for e in failures if e is not primary))
    return [Defect(ordered, culprit)]


def _culprit(failures: Sequence[Equation]) -> Term:
    """The cell all ``failures`` share, or else a cell of the row they share; of several, a total most often."""
    places = _common_places(failures)
    if not places:
        rows = _common_rows(failures)
        places = [t.place for t in failures[0].terms if t.row in rows]
    as_total: dict[object, int] = defaultdict(int)
    terms: dict[object, Term] = {}
    for equation in failures:
        as_total[equation.total.place] += 1
        as_total[equation.total.row] += 1
        for term in equation.terms:
            terms.setdefault(term.place, term)
    return terms[max(places, key=lambda p: (as_total[p], as_total[terms[p].row], -places.index(p)))]

"""SUM: arithmetic within the tables, and breakdowns stated in the narrative.

SUM001 a row differs from the sum of its sub-rows (功能分类 类 = Σ款 = Σ项,
经济分类 类 = Σ款, 公务用车购置及运行费 = 购置费 + 运行维护费);
SUM002 a total row differs from the sum of the top-level rows;
SUM003 a total column differs from the sum of its component columns
(合计 = 基本支出 + 项目支出, 基本 = 人员 + 公用, 合计 = Σ funding sources);
SUM004 a summary table does not balance (收入总计 = 本年收入合计 + 上年结转,
支出 likewise, 收入总计 = 支出总计);
SUM005 a group row of a project table differs from the sum of its projects;
SUM006 a sum inside the department performance form (head counts, funds);
SUM007 a breakdown in the narrative (总额…，其中：…) does not reach its total;
SUM008 (info) the rounding tails seen, grouped, when the document does not explain them.

The equations are the budget model's (:mod:`budgetlint.budget.equations`,
judged by :mod:`budgetlint.budget.reconcile`): this module only reports
the ones that fail.  A stated value is the interval ±½ unit of its last
decimal; a sum is consistent when the intervals overlap (XBRL Calculations
1.1), so a rounding tail is never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from budgetlint.budget.arithmetic import Equation
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.numbers import format_decimal
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

SHOWN_TAILS = 3
SHOWN_PARTS = 8
KIND_CODES = {
    "subtotal": "SUM001",
    "total_row": "SUM002",
    "column_sum": "SUM003",
    "balance": "SUM004",
    "project_group": "SUM005",
    "form_sum": "SUM006",
    "breakdown": "SUM007",
}


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks: dict[str, Callable[[RuleContext], Iterable[Finding]] | None] = {
        code: _checker(kind) for kind, code in KIND_CODES.items()
    }
    checks["SUM008"] = check_rounding_tails
    return rules_from_catalogue("budgetlint_plugins", "sum.toml", checks)


def report(ctx: RuleContext, equation: Equation) -> Finding:
    shown = [p for p in equation.parts if p.value != 0] or list(equation.parts[:1])
    texts = [p.text for p in shown] or ["0"]
    if len(texts) > SHOWN_PARTS:
        texts = [*texts[: SHOWN_PARTS - 2], "…", texts[-1]]
    expression = " + ".join(texts)
    difference = abs(equation.total.value - equation.stated_sum)
    total_interval, computed = equation.total.interval, equation.computed
    return ctx.report(
        equation.total.location,
        variant=equation.variant,
        related=[p.location for p in shown if p.location != equation.total.location],
        severity=Severity.ERROR if equation.certain else Severity.WARNING,
        evidence={
            "values": {"total": {equation.total.label: equation.total.value},
                       "parts": {p.label: p.value for p in equation.parts}},
            "formula": f"{equation.total.label} = " + " + ".join(p.label for p in equation.parts),
            "computed": {"lo": computed.lo, "hi": computed.hi},
            "tolerance": (total_interval.hi - total_interval.lo + computed.hi - computed.lo) / 2,
        },
        subject=equation.subject,
        total=equation.total.text,
        expression=expression,
        computed=format_decimal(equation.stated_sum),
        difference=format_decimal(difference),
    )


def _checker(kind: str) -> Callable[[RuleContext], Iterable[Finding]]:
    def check(ctx: RuleContext) -> Iterable[Finding]:
        for equation in ctx.budget.arithmetic.failures(kind):
            yield report(ctx, equation)

    check.__name__ = f"check_{KIND_CODES[kind].lower()}"
    return check


def check_rounding_tails(ctx: RuleContext) -> Iterable[Finding]:
    """One info finding naming the rounding tails, unless the document explains them (尾差 note)."""
    if ctx.budget.metadata.rounding_note:
        return
    tails = ctx.budget.arithmetic.tails
    if not tails:
        return
    examples = "；".join(f"{e.subject}: {e.total.text} ≈ {format_decimal(e.stated_sum)}" for e in tails[:SHOWN_TAILS])
    yield ctx.report(
        tails[0].total.location,
        related=[e.total.location for e in tails[1:]],
        key=[len(tails)],
        evidence={"tails": [{"rule": KIND_CODES[e.kind], "subject": e.subject, "total": e.total.value,
                             "sum": e.stated_sum} for e in tails]},
        count=str(len(tails)),
        examples=examples,
    )

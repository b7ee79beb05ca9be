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
SUM008 (info) the rounding tails seen, grouped, when the document does not explain them;
SUM009 a change row differs from the difference of its two years (增减变化金额 = 2026年 − 2025年).

The equations are the budget model's (:mod:`budgetlint.budget.equations`,
judged by :mod:`budgetlint.budget.reconcile`): this module only reports
the ones that fail.  A stated value is the interval ±½ unit of its last
decimal; a sum is consistent when the intervals overlap (XBRL Calculations
1.1), so a rounding tail is never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from budgetlint.budget.arithmetic import Defect, Equation
from budgetlint.catalogue import ui
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.numbers import format_decimal
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

_SHOWN_TAILS = 3
_SHOWN_PARTS = 8
_SHOWN_OTHERS = 3
_KIND_CODES = {
    "subtotal": "SUM001",
    "total_row": "SUM002",
    "column_sum": "SUM003",
    "balance": "SUM004",
    "project_group": "SUM005",
    "form_sum": "SUM006",
    "breakdown": "SUM007",
    "change": "SUM009",
}


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks: dict[str, Callable[[RuleContext], Iterable[Finding]] | None] = {
        code: _checker(kind) for kind, code in _KIND_CODES.items()
    }
    checks["SUM008"] = _check_rounding_tails
    return rules_from_catalogue("budgetlint_plugins", "sum.toml", checks)


def _report(ctx: RuleContext, defect: Defect) -> Finding:
    """One finding for a defect: the first equation it breaks, the others named after it, at the wrong cell."""
    equation = defect.primary
    shown = equation.stated_parts or list(equation.parts[:1])
    computed, expression = equation.computed, _expression(equation)
    at = defect.culprit.location if defect.culprit else equation.total.location
    others = defect.equations[1:]
    related = [p.location for p in shown] + [e.total.location for e in others]
    return ctx.report(
        at,
        variant=equation.variant,
        related=[r for r in dict.fromkeys(related) if r != at],
        severity=Severity.ERROR if equation.certain and not equation.slight else Severity.WARNING,
        evidence={
            "values": {"total": {equation.total.label: equation.total.value},
                       "parts": {p.label: p.value for p in equation.parts}},
            "formula": f"{equation.total.label} = " + _joined([(p.negated, p.label) for p in equation.parts]),
            "computed": {"lo": computed.lo, "hi": computed.hi},
            "tolerance": equation.tolerance / 2,
            "also_breaks": [_arithmetic(e) for e in others],
        },
        key=[equation.subject, equation.total.text, expression, len(others)],
        subject=equation.subject,
        total=equation.total.text,
        expression=expression,
        computed=format_decimal(equation.stated_sum),
        difference=format_decimal(abs(equation.difference)),
        also=_also(ctx.lang, defect),
    )


def _expression(equation: Equation) -> str:
    """The non-zero parts as a sum, shortened in the middle when long."""
    parts = equation.stated_parts or list(equation.parts[:1])
    texts = [(p.negated, format_decimal(-p.value if p.negated else p.value)) for p in parts] or [(False, "0")]
    if len(texts) > _SHOWN_PARTS:
        texts = [*texts[: _SHOWN_PARTS - 2], (False, "…"), texts[-1]]
    return _joined(texts)


def _joined(terms: list[tuple[bool, str]]) -> str:
    """Terms as a sum, a subtracted one (True) after −: ``a + b − c``."""
    return " ".join(("− " if negated else "+ ") + text for negated, text in terms).removeprefix("+ ")


def _arithmetic(equation: Equation) -> str:
    """``subject: total ≠ a + b = s``."""
    return f"{equation.subject}: {equation.total.text} ≠ {_expression(equation)} = {format_decimal(equation.stated_sum)}"


def _also(lang: str, defect: Defect) -> str:
    """The other sums the wrong cell breaks, for the message ('' when it breaks one)."""
    others = defect.equations[1:]
    if not others or defect.culprit is None:
        return ""
    same = defect.culprit.location == defect.primary.total.location
    cell = ui("defect_this_figure", lang) if same else ui("defect_cell", lang, cell=defect.culprit.label)
    return ui("defect_also", lang, cell=cell, count=len(others),
              others="；".join(_arithmetic(e) for e in others[:_SHOWN_OTHERS]))


def _checker(kind: str) -> Callable[[RuleContext], Iterable[Finding]]:
    def check(ctx: RuleContext) -> Iterable[Finding]:
        for defect in ctx.budget.arithmetic.defects_of(kind):
            yield _report(ctx, defect)

    check.__name__ = f"check_{_KIND_CODES[kind].lower()}"
    return check


def _check_rounding_tails(ctx: RuleContext) -> Iterable[Finding]:
    """One info finding naming the rounding tails, unless the document explains them (尾差 note)."""
    if ctx.budget.metadata.rounding_note:
        return
    tails = ctx.budget.arithmetic.tails
    if not tails:
        return
    examples = "；".join(f"{e.subject}: {e.total.text} ≈ {format_decimal(e.stated_sum)}" for e in tails[:_SHOWN_TAILS])
    yield ctx.report(
        tails[0].total.location,
        related=[e.total.location for e in tails[1:]],
        key=[len(tails)],
        evidence={"tails": [{"rule": _KIND_CODES[e.kind], "subject": e.subject, "total": e.total.value,
                             "sum": e.stated_sum} for e in tails]},
        count=str(len(tails)),
        examples=examples,
    )

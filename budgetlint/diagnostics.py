"""The core plugin: the linter's own diagnostics (LINT) and the default check.

It is registered directly, not through entry points, because the engine
itself reports through these rules; it cannot be blocked.
"""

from __future__ import annotations

from collections.abc import Iterable

from budgetlint.findings import Finding
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

UNREADABLE = "LINT001"
RULE_CRASHED = "LINT002"
NO_TEXT_LAYER = "LINT003"
TIME_LIMIT = "LINT004"
NOT_A_BUDGET = "LINT005"
PASSWORD_REQUIRED = "LINT006"
STALE_BASELINE = "LINT007"


def check_is_budget(context: RuleContext) -> Iterable[Finding]:
    """LINT005: no standard table or performance form was recognised (and not for want of text: LINT003).

    A document without any table is told how to join it with its tables, published apart.
    """
    document = context.document
    scanned = any(code == NO_TEXT_LAYER for code, _ in document.notes)
    if not context.budget.is_budget and document.pages and not scanned:
        variant = "default" if any(document.tables()) else "no_tables"
        yield context.report(Location(document.path), variant=variant)


@hookimpl
def budgetlint_rules() -> list[Rule]:
    codes = (UNREADABLE, RULE_CRASHED, NO_TEXT_LAYER, TIME_LIMIT, PASSWORD_REQUIRED, STALE_BASELINE)
    checks = {**dict.fromkeys(codes), NOT_A_BUDGET: check_is_budget}
    return rules_from_catalogue("budgetlint", "catalogue/lint.toml", checks)


@hookimpl(trylast=True)
def budgetlint_check(rule: Rule, context: RuleContext) -> Iterable[Finding] | None:
    if rule.check is None:
        return ()
    return rule.check(context)

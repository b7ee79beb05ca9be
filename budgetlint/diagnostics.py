"""The core plugin: the linter's own diagnostics (LINT) and the default check.

It is registered directly, not through entry points, because the engine
itself reports through these rules; ``-p no:core`` is refused.
"""

from __future__ import annotations

from collections.abc import Iterable

from budgetlint.findings import Finding
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location
from budgetlint.numbers import format_decimal
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

UNREADABLE = "LINT001"
RULE_CRASHED = "LINT002"
NO_TEXT_LAYER = "LINT003"
TIME_LIMIT = "LINT004"
NOT_A_BUDGET = "LINT005"
PASSWORD_REQUIRED = "LINT006"
STALE_BASELINE = "LINT007"
NOT_UNDERSTOOD = "LINT008"
FORMS_NOT_READ = "LINT009"


def check_is_budget(context: RuleContext) -> Iterable[Finding]:
    """LINT005: no standard table or performance form was recognised (and not for want of text: LINT003).

    A document without any table is told how to join it with its tables, published apart.
    """
    document = context.document
    scanned = any(code == NO_TEXT_LAYER for code, _ in document.notes)
    if not context.budget.is_budget and document.pages and not scanned:
        variant = "default" if any(document.tables()) else "no_tables"
        yield context.report(Location(document.path), variant=variant)


def check_tables_understood(context: RuleContext) -> Iterable[Finding]:
    """LINT008: a table whose equations fail the way a misreading fails; its arithmetic was withheld."""
    for withheld in context.budget.arithmetic.withheld:
        example = withheld.example
        failing = sum(e.fails for e in withheld.equations)
        yield context.report(
            withheld.table.title_location,
            variant=withheld.reason,
            evidence={"equations_not_checked": len(withheld.equations), "failing": failing},
            key=[withheld.table.title, withheld.reason],
            title=withheld.table.title,
            subject=example.subject,
            total=example.total.text,
            computed=format_decimal(example.stated_sum),
            failing=failing,
        )


def check_forms_read(context: RuleContext) -> Iterable[Finding]:
    """LINT009: project performance forms were recognised, but no project (a name with indicators) read from them."""
    forms = [f for f in context.budget.forms if f.scope == "project"]
    if forms and not any(f.name and f.indicators for f in forms):
        yield context.report(forms[0].location, key=[forms[0].title], title=forms[0].title)


@hookimpl
def budgetlint_rules() -> list[Rule]:
    codes = (UNREADABLE, RULE_CRASHED, NO_TEXT_LAYER, TIME_LIMIT, PASSWORD_REQUIRED, STALE_BASELINE)
    checks = {**dict.fromkeys(codes), NOT_A_BUDGET: check_is_budget, NOT_UNDERSTOOD: check_tables_understood,
              FORMS_NOT_READ: check_forms_read}
    return rules_from_catalogue("budgetlint", "catalogue/lint.toml", checks)


@hookimpl(trylast=True)
def budgetlint_check(rule: Rule, context: RuleContext) -> Iterable[Finding] | None:
    if rule.check is None:
        return ()
    return rule.check(context)

"""An example third-party plugin: flags a province's banned phrase (here: 待定) in the narrative."""

from collections.abc import Iterable

from budgetlint.findings import Finding
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import RuleContext, rules_from_catalogue

BANNED = "待定"


def check_banned_phrase(ctx: RuleContext) -> Iterable[Finding]:
    for paragraph in ctx.document.paragraphs():
        start = paragraph.text.find(BANNED)
        if start >= 0:
            yield ctx.report(paragraph.span.locate(start, start + len(BANNED)), phrase=BANNED)


@hookimpl
def budgetlint_rules():
    return rules_from_catalogue("budgetlint_example", "rules.toml", {"EXA001": check_banned_phrase})

"""A test plugin whose rule always raises, to prove rule isolation."""

from budgetlint.findings import Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import Rule
from rule_docs import DOCS


def explode(context):
    raise ZeroDivisionError("boom")


@hookimpl
def budgetlint_rules():
    return [
        Rule(
            code="CRASH001",
            name="always-crashes",
            severity=Severity.ERROR,
            title={"zh": "总是出错", "en": "Always crashes"},
            messages={"default": {"zh": "不会出现", "en": "never shown"}},
            docs=DOCS,
            check=explode,
        )
    ]

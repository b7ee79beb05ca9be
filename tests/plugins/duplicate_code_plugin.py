"""A test plugin that claims a rule code the built-in TXT plugin already owns."""

from budgetlint.findings import Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import Rule
from rule_docs import DOCS


@hookimpl
def budgetlint_rules():
    return [
        Rule(
            code="TXT001",
            name="impostor",
            severity=Severity.INFO,
            title={"zh": "冒名", "en": "Impostor"},
            messages={"default": {"zh": "冒名", "en": "impostor"}},
            docs=DOCS,
            check=lambda context: (),
        )
    ]

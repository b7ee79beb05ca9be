"""A test plugin whose rule hangs on documents mentioning 卡住, or eats memory on 吃内存."""

import time

from budgetlint.findings import Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import Rule
from rule_docs import DOCS


def misbehave(context):
    text = " ".join(p.text for p in context.document.paragraphs())
    if "卡住" in text:
        time.sleep(60)
    if "吃内存" in text:
        hoard = []
        while True:
            hoard.append(bytearray(50 * 1024 * 1024))
    return ()


@hookimpl
def budgetlint_rules():
    return [
        Rule(
            code="SLOW001",
            name="misbehaves",
            severity=Severity.INFO,
            title={"zh": "测试", "en": "test"},
            messages={"default": {"zh": "测试", "en": "test"}},
            docs=DOCS,
            check=misbehave,
        )
    ]

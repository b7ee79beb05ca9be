"""A test plugin whose rule kills the process that runs the document's child (a Dask worker).

Only on documents containing 杀死工作进程, and only where the parent is a Dask
worker (never the budgetlint command itself).
"""

import os
import signal

from budgetlint.findings import Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import Rule
from rule_docs import DOCS


def kill_worker(context):
    text = " ".join(p.text for p in context.document.paragraphs())
    if "杀死工作进程" in text and os.environ.get("BUDGETLINT_TEST_KILL_WORKERS") == "1":
        os.kill(os.getppid(), signal.SIGKILL)
    return ()


@hookimpl
def budgetlint_rules():
    return [
        Rule(
            code="KILL001",
            name="kills-its-worker",
            severity=Severity.INFO,
            title={"zh": "测试", "en": "test"},
            messages={"default": {"zh": "测试", "en": "test"}},
            docs=DOCS,
            check=kill_worker,
        )
    ]

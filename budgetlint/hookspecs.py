"""Hook specifications: every point where a plugin plugs into budgetlint.

Built-in readers, recognisers, rules and output formats are plugins too, and
load through the same ``budgetlint`` entry-point group as third-party ones.
A plugin is a module (or object) with functions marked ``@hookimpl`` whose
names match the specifications below.  Unknown ``budgetlint_*`` hook names are
an error at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from budgetlint.budget.model import BudgetModel
    from budgetlint.document import Document
    from budgetlint.findings import Finding
    from budgetlint.readers import Reader
    from budgetlint.reporters import Format
    from budgetlint.rules import Rule, RuleContext

PROJECT = "budgetlint"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def budgetlint_readers() -> list[Reader]:
    """Return the source readers this plugin provides.

    Fires once when the plugin manager is set up.  Each reader names the file
    suffixes it claims and a ``sniff`` function over the first bytes of the
    content, used when the suffix is unknown or missing (e.g. stdin).
    """


@hookspec
def budgetlint_rules() -> list[Rule]:
    """Return the rules this plugin provides.

    Fires once when the plugin manager is set up.  Each rule carries its code
    (family prefix plus three digits), name, default severity, zh/en title,
    messages and docs, and its check.  Two plugins returning one code is an
    error.
    """


@hookspec
def budgetlint_enrich(document: Document, budget: BudgetModel) -> None:
    """Recognise budget structure in a freshly read document.

    Fires once per document that was read, lazily: when the first rule asks
    for the budget model (``ctx.budget``), or after the rules if none did (the
    engine reads the document's metadata from it).  Implementations add what
    they recognise to ``budget`` (tables, projects, narrative facts…) and
    return nothing.  The built-in recogniser runs first (``tryfirst``), so
    later plugins can refine what it found.  An exception raised here is not
    retried: the document gets one LINT finding naming the plugin, and the
    rules that need the budget model do not run on it.
    """


@hookspec(firstresult=True)
def budgetlint_check(rule: Rule, context: RuleContext) -> Iterable[Finding] | None:
    """Run one rule over one document and return its findings.

    Fires once per enabled rule per document.  The built-in implementation
    calls ``rule.check(context)``; a plugin may wrap it (``hookwrapper=True``)
    to time, filter or augment the findings of every rule.  The first non-None
    result wins; a None answer (a wrapper that returns None) runs the rule as
    the core would, so no rule is skipped silently: return ``[]`` to drop its
    findings.  The core plugin that provides this implementation cannot be
    blocked.  An exception raised here is isolated to this rule and document
    and reported as a LINT finding.
    """


@hookspec
def budgetlint_formats() -> list[Format]:
    """Return the output formats this plugin provides.

    Fires once when the plugin manager is set up.  Each format has a name (as
    given to ``--format``) and renders a finished :class:`~budgetlint.report.Report`
    to text.
    """

"""Rules and the context a rule's check runs in."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from budgetlint import catalogue
from budgetlint.document import Document
from budgetlint.findings import Finding, Severity, fingerprint
from budgetlint.location import Location

if TYPE_CHECKING:
    from budgetlint.budget.model import BudgetModel

Check = Callable[["RuleContext"], Iterable[Finding]]

DOC_SECTIONS = ("what", "why", "example", "authority")
CODE = re.compile(r"[A-Z]{2,8}\d{3}")
CODE_FORM = "2 to 8 capital letters and three digits (SHX001)"


@dataclass(frozen=True)
class Rule:
    """A rule as registered by a plugin.

    ``check`` is None for diagnostics the core itself emits (the LINT family).
    ``docs[lang]`` maps each of DOC_SECTIONS to text.  ``also`` holds the other
    severities some of its findings take (an error lowered to a warning when the
    reading is uncertain, say); a finding of any undeclared severity is refused.
    """

    code: str
    name: str
    severity: Severity
    title: Mapping[str, str]
    messages: Mapping[str, Mapping[str, str]]
    docs: Mapping[str, Mapping[str, str]]
    check: Check | None = None
    also: frozenset[Severity] = frozenset()

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    @property
    def severities(self) -> tuple[Severity, ...]:
        """Every severity this rule reports, the default first, then the others from the highest."""
        others = sorted(self.also - {self.severity}, key=lambda s: -s.rank)
        return (self.severity, *others)

    @property
    def severity_label(self) -> str:
        """``warning`` or, for a rule that reports several, ``warning/info``."""
        return "/".join(s.value for s in self.severities)

    def message(self, lang: str, variant: str = "default", **args: object) -> str:
        texts = self.messages.get(variant)
        if texts is None:
            raise catalogue.CatalogueError(f"{self.code}: no message variant {variant!r}")
        return catalogue.pick(texts, lang).format(**args)

    def finding(
        self,
        location: Location,
        lang: str,
        *,
        variant: str = "default",
        related: Iterable[Location] = (),
        evidence: Mapping[str, object] | None = None,
        key: Iterable[object] | None = None,
        severity: Severity | None = None,
        **args: object,
    ) -> Finding:
        """Build a finding of this rule; ``key`` (default: the message args) feeds the fingerprint."""
        values = key if key is not None else [args[k] for k in sorted(args)]
        severity = severity or self.severity
        if severity not in self.severities:
            raise ValueError(f"{self.code} reports {severity.value}, which its catalogue entry does not declare (also_severity)")
        return Finding(
            code=self.code,
            severity=severity,
            message=self.message(lang, variant, **args),
            location=location,
            related=tuple(related),
            evidence=dict(evidence or {}),
            fingerprint=fingerprint(self.code, location.logical, [variant, *values]),
        )


def rule_problem(rule: object) -> str | None:
    """Why ``rule`` cannot be registered (not a Rule, a bad code, no name, title, messages or docs), or None."""
    if not isinstance(rule, Rule):
        return f"{type(rule).__name__} is not a budgetlint.rules.Rule"
    if not isinstance(rule.code, str) or not CODE.fullmatch(rule.code):
        return f"a rule code is {CODE_FORM}"
    if not isinstance(rule.name, str) or not rule.name.strip():
        return "the rule has no name"
    if not _texts(rule.title, catalogue.LANGUAGES):
        return f"the rule has no title in {' or '.join(catalogue.LANGUAGES)}"
    if not isinstance(rule.messages, Mapping) or not rule.messages:
        return "the rule has no messages"
    docs = rule.docs if isinstance(rule.docs, Mapping) else {}
    if not any(_texts(docs.get(lang), DOC_SECTIONS, every=True) for lang in catalogue.LANGUAGES):
        return f"the rule has no docs: give docs.en and/or docs.zh with {', '.join(DOC_SECTIONS)}"
    return None


def _texts(table: object, keys: Iterable[str], every: bool = False) -> bool:
    """Whether ``table`` maps any (or ``every``) one of ``keys`` to non-blank text."""
    present = [isinstance(table, Mapping) and isinstance(table.get(k), str) and bool(table[k].strip()) for k in keys]
    return all(present) if every else any(present)


def rules_from_catalogue(package: str, filename: str, checks: Mapping[str, Check | None]) -> list[Rule]:
    """Build the rules named in ``checks`` from their catalogue entries."""
    data = catalogue.load(package, filename)
    missing = sorted(set(checks) - set(data))
    if missing:
        raise catalogue.CatalogueError(f"{package}/{filename}: no entry for {', '.join(missing)}")
    return [_rule(code, data[code], check, f"{package}/{filename}") for code, check in checks.items()]


def _rule(code: str, entry: Mapping[str, Any], check: Check | None, where: str) -> Rule:
    try:
        messages = entry["messages"]
        return Rule(
            code=code,
            name=entry["name"],
            severity=Severity.parse(entry["severity"]),
            title=entry["title"],
            messages=messages,
            docs=entry.get("docs", {}),
            check=check,
            also=frozenset(Severity.parse(s) for s in entry.get("also_severity", ())),
        )
    except (KeyError, ValueError) as exc:
        raise catalogue.CatalogueError(f"{where}: [{code}] {exc}") from exc


@dataclass
class RuleContext:
    """What a rule's check sees: the document, its budget model, settings.

    The budget model is built on first use and shared by every rule that
    checks the same document.
    """

    document: Document
    rule: Rule
    lang: str
    budget_factory: Callable[[], BudgetModel]
    settings: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def budget(self) -> BudgetModel:
        return self.budget_factory()

    def report(self, location: Location, **kwargs: Any) -> Finding:
        """A finding of the current rule; see :meth:`Rule.finding`."""
        return self.rule.finding(location, self.lang, **kwargs)

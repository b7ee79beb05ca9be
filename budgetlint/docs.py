"""Rule documentation, rendered from the catalogue for ``budgetlint rule`` and docs/rules/."""

from __future__ import annotations

from budgetlint import catalogue
from budgetlint.rules import DOC_SECTIONS, Rule

SECTION_TITLES = {
    "en": {"what": "What it does", "why": "Why is this bad?", "example": "Example", "authority": "Authority"},
    "zh": {"what": "规则说明", "why": "为什么要检查", "example": "示例", "authority": "依据"},
}


def rule_markdown(rule: Rule, plugin: str, lang: str) -> str:
    """The rule's docs as Markdown, in ``lang`` (falling back to the other language)."""
    titles = catalogue.pick(SECTION_TITLES, lang)
    docs = catalogue.pick(rule.docs, lang) if rule.docs else {}
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"**{catalogue.pick(rule.title, lang)}**",
        "",
        f"- severity: {rule.severity.value}",
        f"- plugin: {plugin}",
    ]
    for section in DOC_SECTIONS:
        text = docs.get(section)
        if text:
            lines += ["", f"## {titles[section]}", "", text.strip()]
    return "\n".join(lines) + "\n"


def rule_dict(rule: Rule, plugin: str) -> dict[str, object]:
    """The rule's metadata and docs in every language, for ``--format json``."""
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "severity": rule.severity.value,
        "plugin": plugin,
        "title": dict(rule.title),
        "docs": {lang: dict(sections) for lang, sections in rule.docs.items()},
    }

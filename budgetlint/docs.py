"""Rule documentation, rendered from the catalogue for ``budgetlint rule`` and docs/rules/."""

from __future__ import annotations

from budgetlint import catalogue
from budgetlint.rules import DOC_SECTIONS, Rule


def doc_sections(rule: Rule, lang: str) -> list[tuple[str, str]]:
    """(heading, text) of each documented section, in ``lang`` (falling back to the other language)."""
    docs = catalogue.pick(rule.docs, lang) if rule.docs else {}
    return [(catalogue.ui(f"rule_doc_{s}", lang), docs[s].strip()) for s in DOC_SECTIONS if docs.get(s)]


def rule_markdown(rule: Rule, plugin: str, lang: str) -> str:
    """The rule's docs as Markdown: title, severity, plugin, then its sections."""
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"**{catalogue.pick(rule.title, lang)}**",
        "",
        f"- severity: {rule.severity_label}",
        f"- plugin: {plugin}",
    ]
    for heading, text in doc_sections(rule, lang):
        lines += ["", f"## {heading}", "", text]
    return "\n".join(lines) + "\n"


def rule_dict(rule: Rule, plugin: str) -> dict[str, object]:
    """The rule's metadata and docs in every language, for ``--format json``."""
    return {
        "code": rule.code,
        "name": rule.name,
        "family": rule.family,
        "severity": rule.severity.value,
        "severities": [s.value for s in rule.severities],
        "plugin": plugin,
        "title": dict(rule.title),
        "docs": {lang: dict(sections) for lang, sections in rule.docs.items()},
    }


def rule_page(rule: Rule, plugin: str) -> str:
    """docs/rules/CODE.md: the rule's docs in English, then in Chinese."""
    return rule_markdown(rule, plugin, "en") + "\n---\n\n" + rule_markdown(rule, plugin, "zh")


def rules_index(rules: dict[str, Rule], plugins: dict[str, str]) -> str:
    """docs/rules/README.md: one line per rule."""
    lines = ["# Rules", "", "| code | name | severity | plugin | title |", "|---|---|---|---|---|"]
    for code, rule in sorted(rules.items()):
        title = f"{rule.title.get('en', '')} / {rule.title.get('zh', '')}"
        lines.append(f"| [{code}]({code}.md) | {rule.name} | {rule.severity_label} | {plugins[code]} | {title} |")
    return "\n".join(lines) + "\n"

"""Write docs/rules/: one page per built-in rule, from the catalogues, plus an index.

Run after changing a rule's catalogue entry:  python scripts/generate_rule_docs.py
(tests/test_docs.py fails while the pages are out of date).
"""

from __future__ import annotations

from pathlib import Path

from budgetlint.docs import rule_page, rules_index
from budgetlint.plugins import load_plugins

OUT = Path(__file__).resolve().parents[1] / "docs" / "rules"


def pages() -> dict[str, str]:
    """File name → content for every rule that budgetlint itself ships."""
    plugins = load_plugins(autoload=False)
    own = plugins.rules  # autoload=False: budgetlint's own plugins only
    result = {f"{code}.md": rule_page(rule, plugins.rule_plugin[code]) for code, rule in own.items()}
    result["README.md"] = rules_index(own, plugins.rule_plugin)
    return result


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("*.md"):
        stale.unlink()
    for name, content in pages().items():
        (OUT / name).write_text(content, encoding="utf-8")


if __name__ == "__main__":
    main()

"""Every rule is documented, and docs/rules/ is generated from the catalogues."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from budgetlint.plugins import load_plugins
from budgetlint.rules import DOC_SECTIONS

ROOT = Path(__file__).resolve().parents[1]
RULE_DOCS = ROOT / "docs" / "rules"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_rule_docs", ROOT / "scripts" / "generate_rule_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RULES = load_plugins(autoload=False).rules


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_is_documented_in_both_languages(code):
    rule = RULES[code]
    assert set(rule.title) == {"zh", "en"} and all(rule.title.values())
    assert all(set(texts) == {"zh", "en"} for texts in rule.messages.values())
    for section in DOC_SECTIONS:
        assert rule.docs.get("en", {}).get(section), f"{code}: no English '{section}'"
    assert rule.docs.get("zh", {}).get("what"), f"{code}: no Chinese docs"


def test_rule_pages_are_up_to_date():
    expected = _generator().pages()
    present = {p.name: p.read_text(encoding="utf-8") for p in RULE_DOCS.glob("*.md")}
    assert present == expected, "docs/rules/ is stale: run python scripts/generate_rule_docs.py"

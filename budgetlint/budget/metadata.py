"""Document metadata: budget year, department, document kind, rounding note."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import regex

from budgetlint.budget.model import Metadata
from budgetlint.budget.text import clean
from budgetlint.budget.vocabulary import has_any, pack
from budgetlint.document import Block, Heading, Paragraph

_YEAR = regex.compile(r"(20\d{2})\s*年")
_KIND = regex.compile(r"(部门|单位)(预算|决算)")
_DEPARTMENT = regex.compile(r"^(?:部门名称|编制部门|编制单位|预算主管部门|主管部门|单位名称)[:：]\s*(?:\d+-)?(.+?)(?:单位[:：].*)?$")
HEAD_BLOCKS = 20


def read_metadata(blocks: Sequence[Block]) -> Metadata:
    texts = [clean(b.text) for b in blocks if isinstance(b, (Heading, Paragraph))]
    head = texts[:HEAD_BLOCKS]
    metadata = Metadata()
    years = Counter(int(y) for text in head for y in _YEAR.findall(text) if _is_plan_year(text))
    if years:
        metadata.year = years.most_common(1)[0][0]
    kinds = Counter(m.group(0) for text in head for m in _KIND.finditer(text))
    if kinds:
        metadata.kind = kinds.most_common(1)[0][0]
        metadata.final_account = metadata.kind.endswith("决算")
    departments = Counter(m.group(1) for text in texts if (m := _DEPARTMENT.match(text)))
    if departments:
        metadata.department = departments.most_common(1)[0][0]
    metadata.rounding_note = any(has_any(t, pack("tables.toml")["rounding_notes"]) for t in texts)
    return metadata


def _is_plan_year(text: str) -> bool:
    """Title-like lines state the budget year (2026年度部门预算); dates in prose do not count."""
    return ("预算" in text or "决算" in text) and len(text) <= 40

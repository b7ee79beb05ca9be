"""Document metadata: budget year, department, document kind, rounding note."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache

import regex

from budgetlint.budget.model import Metadata
from budgetlint.budget.text import clean
from budgetlint.budget.vocabulary import has_any, pack
from budgetlint.document import Block, Heading, Paragraph

_YEAR = regex.compile(r"(20\d{2})\s*年")
_KIND = regex.compile(r"(部门|单位)(预算|决算)")
_STAGE = regex.compile(r"预算|决算")
_DATE = regex.compile(r"(20\d{2}\s*年度?)|(\d{1,2}\s*月(\s*\d{1,2}\s*日)?)|\s")
_SECTION = regex.compile(r"第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、")  # a contents or section line
HEAD_BLOCKS = 20
TITLE_LINES = 4


def read_metadata(blocks: Sequence[Block]) -> Metadata:
    texts = [clean(b.text) for b in blocks if isinstance(b, (Heading, Paragraph))]
    head = texts[:HEAD_BLOCKS]
    metadata = Metadata()
    title = _title(head)
    years = Counter(int(y) for text in [title, *head] for y in _YEAR.findall(text) if _is_plan_year(text))
    if years:
        metadata.year = years.most_common(1)[0][0]
    kinds = Counter(m.group(0) for text in head for m in _KIND.finditer(text))
    if kinds:
        metadata.kind = kinds.most_common(1)[0][0]
    elif holder := _kind_holder(head):
        metadata.kind = holder + stage[0] if (stage := _STAGE.findall(title)) else ""
    metadata.final_account = metadata.kind.endswith("决算")
    departments = Counter(name for text in texts if (name := _labelled_department(text)))
    if departments:
        metadata.department = departments.most_common(1)[0][0]
    elif title:
        metadata.department = _department_in_title(title)
    metadata.rounding_note = any(has_any(t, pack("tables.toml")["rounding_notes"]) for t in texts)
    return metadata


def _is_plan_year(text: str) -> bool:
    """Title-like lines state the budget year (2026年度部门预算); dates in prose do not count."""
    return ("预算" in text or "决算" in text) and len(text) <= 40


def vocab() -> dict:
    return pack("tables.toml")["metadata"]


@cache
def _label_pattern() -> regex.Pattern[str]:
    labels = "|".join(map(regex.escape, sorted(vocab()["department_labels"], key=len, reverse=True)))
    return regex.compile(rf"^(?:{labels})[:：]\s*(?:\d+-)?(.+?)(?:单位[:：].*)?$")


def _labelled_department(text: str) -> str:
    """The name a labelled line gives (部门名称：…, 预算单位：…), or ''."""
    match = _label_pattern().match(text)
    return match.group(1) if match else ""


def _title(head: Sequence[str]) -> str:
    """The opening lines up to the first that completes a title naming 预算 or 决算, joined ('' if none does)."""
    lines: list[str] = []
    for text in head[:TITLE_LINES]:
        if text in vocab()["contents_words"] or _labelled_department(text) or _SECTION.match(text):
            break
        lines.append(text)
        if _STAGE.search("".join(lines)):
            return "".join(lines)
    return ""


def _department_in_title(title: str) -> str:
    """The title less its years, dates and kind words: the department's name, or '' if not a name."""
    name = _DATE.sub("", title)
    for word in sorted(vocab()["title_words"], key=len, reverse=True):
        name = name.replace(word, "")
    name = regex.sub(r"(年度?|部门|单位)+$", "", name)  # 北京市教育委员会部门2026年度预算; a year printed apart
    return name if len(name) >= 3 and regex.fullmatch(r"[\p{Han}（）()]+", name) else ""


def _kind_holder(head: Sequence[str]) -> str:
    """部门 or 单位, when the opening sections name only one of them, else ''."""
    found = {who for who, words in vocab()["kind_holders"].items() if any(has_any(text, words) for text in head)}
    return found.pop() if len(found) == 1 else ""

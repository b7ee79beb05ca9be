"""Small text helpers shared by the recognisers: normalising labels and titles."""

from __future__ import annotations

import unicodedata

import regex

from budgetlint.budget.vocabulary import compile_pattern, pack

CJK_NUMERALS = "一二三四五六七八九十百零〇"
_NUMBERING = regex.compile(
    rf"^(?:(?P<l1>[{CJK_NUMERALS}]+[、.．])|(?P<l2>[（(][{CJK_NUMERALS}\d]+[)）]|\d+[、.．](?!\d))|(?P<l3>[①-⑳]|\d(?![年月日个号次人期])(?=\p{{Han}})))"
)
_CODE = regex.compile(r"^\d{3}(?:\d{2}){0,2}$")


def clean(text: str) -> str:
    """NFKC and no whitespace at all: how labels are compared."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def strip_numbering(label: str) -> tuple[str, int]:
    """Split 一、/（一）/1./① numbering off a label; return (label, level or 0)."""
    match = _NUMBERING.match(label)
    if not match:
        return label, 0
    level = 1 if match["l1"] else 2 if match["l2"] else 3
    return label[match.end():], level


def title_text(text: str) -> str:
    """A table title without its numbering (表一, 公开01表：, 预算01-1表, 附表3); '' for a bare 预算公开表1.

    The numbering styles are the ``title_numbering`` patterns of rules/tables.toml.
    """
    title = clean(text)
    while True:
        stripped = _title_numbering().sub("", title, count=1)
        if stripped == title:
            return title
        title = stripped


def _title_numbering() -> regex.Pattern[str]:
    """One pattern for a title's leading numbering, from the alternatives in rules/tables.toml."""
    patterns = pack("tables.toml")["title_numbering"]
    return compile_pattern("^(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\s*", "rules/tables.toml: title_numbering")


def is_code(text: str) -> bool:
    """A functional or economic classification code written as one string (201, 20132, 2013250)."""
    return bool(_CODE.match(text))

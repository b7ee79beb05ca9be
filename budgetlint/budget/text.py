"""Small text helpers shared by the recognisers: normalising labels and titles."""

from __future__ import annotations

import functools
import unicodedata

import regex

from budgetlint.budget.vocabulary import compile_pattern, pack

CJK_NUMERALS = "一二三四五六七八九十百零〇"
_NUMBERING = regex.compile(
    rf"^(?:(?P<l1>[{CJK_NUMERALS}]+[、.．])|(?P<l2>[（(][{CJK_NUMERALS}\d]+[)）]|\d+[、.．](?!\d))|(?P<l3>[①-⑳]|\d(?![年月日个号次人期])(?=\p{{Han}})))"
)
_CODE = regex.compile(r"^\d{3}(?:\d{2}){0,2}$")
_UNIT_CODE = regex.compile(r"^\d{3}(?:\d{3}){1,2}$")
# A code leading a name cell: [201]一般公共服务支出, 【20111】…, 2013601-行政运行, or 201 一般公共服务支出.
_LEADING_CODE = regex.compile(
    r"^\s*(?:[\[【(](?P<code>\d{3}(?:\d{2}){0,2})[\]】)]\s*|(?P<code>\d{3}(?:\d{2}){0,2})(?:\s*-\s*|\s+)(?=\p{Han}))"
)


@functools.lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """NFKC and no whitespace at all: how labels are compared (memoised: the same labels are compared over and over)."""
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


def is_unit_code(text: str) -> bool:
    """A unit's code: its department's 3 digits and 3 of its own (015001), maybe 3 more for a sub-unit."""
    return bool(_UNIT_CODE.match(text))


def split_code(text: str) -> tuple[str, str]:
    """(code, name) of a name cell's text that starts with its code (``[201]一般公共服务支出``); ('', name) if none.

    The name is cleaned (see :func:`clean`).
    """
    normal = unicodedata.normalize("NFKC", text)
    match = _LEADING_CODE.match(normal)
    if not match or not clean(normal[match.end():]):
        return "", clean(normal)
    return match["code"], clean(normal[match.end():])

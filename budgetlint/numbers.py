"""Numbers as budgets state them: parsing, units, and interval arithmetic.

A value stated to d decimals stands for the interval ±½·10⁻ᵈ around it, and
two statements are consistent when their intervals overlap (XBRL Calculations
1.1).  So 1491.73 (a sum of four rounded values) and 1491.74 agree, and a
rounding tail is never an error.  Everything is :class:`~decimal.Decimal`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

MONEY_FACTORS: dict[str, Decimal] = {"元": Decimal(1), "千元": Decimal(10) ** 3, "万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8}
COMPARATORS = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", ">": ">", "<": "<", "=": "=", "＞": ">", "＜": "<"}

_NUMBER = r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_PLAIN_NUMBER = regex.compile(_NUMBER)
_QUANTITY = regex.compile(
    rf"^\s*(?P<cmp>≥|≤|>=|<=|>|<|=)?\s*(?P<num>{_NUMBER})\s*(?P<unit>[^\d\s.,].*?)?\s*$"
)
_IN_TEXT = regex.compile(
    rf"(?<![\d.,])(?P<num>{_NUMBER})(?![\d,]|\.\d)\s*(?P<unit>亿元|万元|元|%|个|人|次|项|辆|台|套|天|日|月|年|户|家|种|场|期|名|件|平方米)?"
)


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] of exact decimals."""

    lo: Decimal
    hi: Decimal

    @classmethod
    def exact(cls, value: Decimal) -> Interval:
        return cls(value, value)

    @classmethod
    def stated(cls, value: Decimal) -> Interval:
        """The interval a value stands for, from the decimals it was written with."""
        exponent = value.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        half = Decimal(5) * Decimal(10) ** (-decimals - 1)
        return cls(value - half, value + half)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def scale(self, factor: Decimal) -> Interval:
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def divide(self, other: Interval) -> Interval | None:
        """self / other, or None when ``other`` may be zero."""
        if other.lo <= 0 <= other.hi:
            return None
        quotients = [self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi]
        return Interval(min(quotients), max(quotients))

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def distance(self, other: Interval) -> Decimal:
        """How far apart the two intervals are (0 when they overlap)."""
        return max(Decimal(0), other.lo - self.hi, self.lo - other.hi)

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


def total(intervals: Iterable[Interval]) -> Interval:
    """The sum of intervals (an empty sum is exactly zero)."""
    result = Interval.exact(Decimal(0))
    for item in intervals:
        result = result + item
    return result


def normalise(text: str) -> str:
    """NFKC, unify minus signs, drop whitespace inside the text."""
    text = unicodedata.normalize("NFKC", text).replace("−", "-")
    return "".join(text.split())


def parse_decimal(text: str) -> Decimal | None:
    """A plain number (1,491.74 · 50,000 · -3 · 0), keeping its stated decimals; else None."""
    cleaned = normalise(text)
    if not _PLAIN_NUMBER.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Quantity:
    """A stated value: comparator, number, unit (21.07万元 · ≥95% · 26400人 · 1000元/人)."""

    value: Decimal
    unit: str = ""
    comparator: str = ""

    @property
    def interval(self) -> Interval:
        return Interval.stated(self.value)

    @property
    def decimals(self) -> int:
        return decimals(self.value)

    @property
    def is_money(self) -> bool:
        return self.unit in MONEY_FACTORS or money_unit(self.unit) is not None

    def in_unit(self, unit: str) -> Interval:
        """The money interval converted to ``unit`` (元, 万元, 亿元)."""
        return self.interval.scale(MONEY_FACTORS[self.unit] / MONEY_FACTORS[unit])


def money_unit(unit: str) -> str | None:
    """The money unit a compound unit starts with (元/人 → 元), else None."""
    for name in sorted(MONEY_FACTORS, key=len, reverse=True):
        if unit.startswith(name):
            return name
    return None


def parse_quantity(text: str) -> Quantity | None:
    """Parse a whole cell or indicator value; None when it holds no leading number."""
    cleaned = normalise(text).replace("％", "%")
    match = _QUANTITY.match(cleaned)
    if not match:
        return None
    value = parse_decimal(match["num"])
    if value is None:
        return None
    return Quantity(value, match["unit"] or "", COMPARATORS.get(match["cmp"] or "", ""))


@dataclass(frozen=True)
class Mention:
    """A number found in prose, with its span in the text."""

    start: int
    end: int
    quantity: Quantity


def find_quantities(text: str) -> list[Mention]:
    """Every number in ``text`` with the unit right after it (万元, %, 个…)."""
    found = []
    for match in _IN_TEXT.finditer(text):
        value = parse_decimal(match["num"])
        if value is not None:
            found.append(Mention(match.start(), match.end(), Quantity(value, match["unit"] or "")))
    return found


BLANK_MARKS = frozenset({"", "-", "—", "——", "/", "－", "--"})


def is_blank(text: str) -> bool:
    """A cell left empty, or marked empty with a dash or slash."""
    return normalise(text) in BLANK_MARKS


def amount(text: str) -> Decimal | None:
    """A table cell's amount: blank or a dash is None, otherwise the parsed decimal (None if not a number)."""
    cleaned = normalise(text)
    if cleaned in BLANK_MARKS:
        return None
    return parse_decimal(cleaned)


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """A decimal for messages: fixed-point, optionally quantized to ``places``."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    return format(value, "f")


def decimals(value: Decimal) -> int:
    """How many decimals ``value`` was written with."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


# --- percentages as stated: a rate or share written to d decimals ------------

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def percent_interval(value: Decimal) -> Interval:
    """The interval a percentage written as ``value`` stands for: ±1 unit of its last decimal (rounded or truncated)."""
    unit = _last_unit(value)
    return Interval(value - unit, value + unit)


def slightly_off(computed: Interval, value: Decimal) -> bool:
    """Off by at most one more unit of the last decimal of a percentage written as ``value``: careless rounding."""
    return computed.distance(percent_interval(value)) <= _last_unit(value)


def quotient(numerator: Decimal, denominator: Decimal, places: int) -> str:
    """numerator ÷ denominator of the stated values, to ``places`` decimals, for messages."""
    return format_decimal(numerator / denominator, places) if denominator else "—"


def _last_unit(value: Decimal) -> Decimal:
    return Decimal(1).scaleb(-decimals(value))

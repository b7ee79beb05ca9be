"""Growth rates stated in the narrative: a rate (增长x%) with its change (增加y万元) and the amount it is from.

PCT002 checks the rate against them; the ITEM rules read the previous year's
amount from them.  Direction and comparison words are data in
``budgetlint_rules/pct.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import regex

from budgetlint.budget.model import BudgetModel, Fact
from budgetlint.budget.narrative import is_decrease, sentences
from budgetlint.budget.vocabulary import pack
from budgetlint.numbers import MONEY_FACTORS, Interval


@dataclass(frozen=True)
class Growth:
    """A rate (增长x%) with its change (增加y万元) and the current amount the change is from."""

    rate: Fact
    change: Fact
    current: Fact
    rate_down: bool
    change_down: bool
    current_before: bool = False  # the current amount was stated in the sentence before (与上年相比，…)

    @property
    def previous(self) -> Interval:
        unit = self.current.quantity.unit
        current, change = self.current.in_unit(unit), self.change.in_unit(unit)
        return current + change if self.change_down else current - change

    @property
    def change_value(self) -> Decimal:
        """The stated change in the current amount's unit."""
        factor = MONEY_FACTORS[self.change.quantity.unit] / MONEY_FACTORS[self.current.quantity.unit]
        return self.change.quantity.value * factor

    @property
    def stated_previous(self) -> Decimal:
        change = self.change_value
        return self.current.quantity.value + (change if self.change_down else -change)


def growths(budget: BudgetModel) -> list[Growth]:
    """Rates stated with their change, where the change's base is this year's amount.

    A base that names the previous year (上年, 去年, 2016年度… for a 2017
    budget) is not the current amount, and that rate is left alone.  A change
    in a sentence of its own that opens by comparing (与上年相比，…增加y万元，
    增长x%) is from the first amount of the sentence before.
    """
    paragraphs = list(budget.document.paragraphs())
    found = []
    for fact in budget.facts:
        change = fact.base
        if fact.relation != "rate" or change is None or change.relation != "change" or fact.offset < 0:
            continue
        text = paragraphs[fact.paragraph].text
        current = change.base or _stated_before(budget.facts, change, text)
        if current is None or not (current.quantity.is_money and change.quantity.is_money):
            continue
        if _previous_year(text, current, budget.metadata.year):
            continue
        found.append(Growth(fact, change, current, _down(text, fact), _down(text, change), change.base is None))
    return found


def _stated_before(facts: Sequence[Fact], change: Fact, text: str) -> Fact | None:
    """The first amount of the sentence before ``change``'s, when ``change``'s sentence opens by comparing."""
    spans = list(sentences(text))
    here = next((n for n, (start, end) in enumerate(spans) if start <= change.offset < end), 0)
    if here == 0 or not regex.match(pack("pct.toml")["comparison_opener"], text[spans[here][0]:].lstrip()):
        return None
    start, end = spans[here - 1]
    before = [f for f in facts if f.paragraph == change.paragraph and start <= f.offset < end]
    return next((f for f in before if f.relation == "amount"), None)


def _previous_year(text: str, fact: Fact, year: int | None) -> bool:
    """True if the clause before the number names the previous year."""
    clause = "".join(regex.split(r"[，,。；;：:（(）)]", text[: fact.offset])[-1].split())
    words = list(pack("pct.toml")["previous_year_words"])
    if year:
        words.append(f"{year - 1}年")
    return any(w in clause for w in words)


def _down(text: str, fact: Fact) -> bool:
    """True if the word before the number makes it a decrease (减少, 下降…)."""
    return is_decrease("".join(text[: fact.offset].split()))

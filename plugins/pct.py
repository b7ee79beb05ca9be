"""PCT: percentages in the narrative — shares, growth rates and their signs.

PCT001 a share (占x%) differs from its amount ÷ base;
PCT002 a growth rate differs from change ÷ (current − change);
PCT003 the shares of one base do not reach 100%;
PCT004 a rate or share on a zero base;
PCT005 a percentage written without its % sign (占10.19, 增长2.88).

Amounts are intervals (±½ unit of the last decimal).  A percentage is
computed from them on intervals and compared with the stated one, which
stands for ±1 unit of its last decimal: publishers round or truncate, and a
difference in the last digit is a rounding tail, never a defect.
Vocabularies are data in ``budgetlint_rules/pct.toml``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import regex

from budgetlint.budget.growths import growths
from budgetlint.budget.lineitems import gives_reason, new_item
from budgetlint.budget.model import BudgetModel, Fact
from budgetlint.budget.tables import wide_totals
from budgetlint.budget.vocabulary import pack
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.numbers import (
    HUNDRED,
    MONEY_FACTORS,
    ZERO,
    Interval,
    Quantity,
    decimals,
    format_decimal,
    percent_interval,
    quotient,
    slightly_off,
    total,
)
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

BUDGET, FINAL = "预算", "决算"


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "PCT001": _check_share,
        "PCT002": _check_growth,
        "PCT003": _check_share_list,
        "PCT004": _check_zero_base,
        "PCT005": _check_missing_sign,
    }
    return rules_from_catalogue("budgetlint_plugins", "pct.toml", checks)


def _vocab() -> Mapping[str, Any]:
    return pack("pct.toml")


def _percent(fact: Fact) -> Interval:
    """A stated percentage: ±1 unit of its last decimal (rounded or truncated)."""
    return percent_interval(fact.quantity.value)


def _slight(computed: Interval, stated: Fact) -> bool:
    """Off by at most one more unit of the stated percentage's last decimal: careless rounding, a warning."""
    return slightly_off(computed, stated.quantity.value)


def _ordered_facts(budget: BudgetModel) -> dict[int, list[Fact]]:
    """The located facts of each paragraph, in text order."""
    found: dict[int, list[Fact]] = defaultdict(list)
    for fact in budget.facts:
        if fact.offset >= 0:
            found[fact.paragraph].append(fact)
    return {n: sorted(facts, key=lambda f: f.offset) for n, facts in found.items()}


# --- shares -------------------------------------------------------------------


@dataclass(frozen=True)
class _Share:
    """A share (占x%) with the amount it is the share of, and what it is a share in.

    ``base`` is the amount the share is of: the first amount of the share's
    sentence, or, ``inherited``, that of an earlier share in the paragraph
    (…占97.07%；社会保障和就业支出24.09万元,占1.61%).  ``base_name`` is the
    base named in words (占“三公”经费的26.86%), '' when none is.
    """

    share: Fact
    amount: Fact
    base: Fact | None
    base_name: str
    inherited: bool
    from_table: bool = False  # 完成预算的x% with no budget amount stated: the 预算数 beside the table's 决算数
    completion: bool = False  # 完成…的x%: a rate of its own item's budget, not a part of one whole

    @property
    def amount_value(self) -> Decimal:
        """The stated amount in the base's unit."""
        unit = self.base.quantity.unit if self.base else self.amount.quantity.unit
        return self.amount.quantity.value * MONEY_FACTORS[self.amount.quantity.unit] / MONEY_FACTORS[unit]

    @property
    def implied(self) -> Interval | None:
        """amount ÷ base × 100, or None without a base or on a zero base."""
        if self.base is None:
            return None
        unit = self.base.quantity.unit
        quotient = self.amount.in_unit(unit).divide(self.base.in_unit(unit))
        return quotient.scale(HUNDRED) if quotient else None


_SHARE_WORD = regex.compile(r"占(?:比)?(?:为)?$")
_SHARE_OF = regex.compile(r"(?:占|完成)(?P<name>[^，,。；;：:%\d]{1,20}?)的$")  # 占“三公”经费的, 完成年初预算的
_COMPLETION = regex.compile(r"完成[^，,。；;：:%\d]{0,20}?的$")
_QUOTES = str.maketrans("", "", "“”\"'‘’《》")


def _share_base_name(text: str, fact: Fact) -> str | None:
    """'' for 占x%, the base's name for 占…的x% (or 完成…的x%: 完成年初预算的), None when the percentage is not a share."""
    if fact.quantity.unit != "%":
        return None
    before = "".join(text[: fact.offset].split())
    if fact.relation == "share" or _SHARE_WORD.search(before):
        return ""
    match = _SHARE_OF.search(before)
    return match["name"].translate(_QUOTES) if match else None


def _shares(budget: BudgetModel) -> list[_Share]:
    """Every share with the money amount right before it in its sentence."""
    paragraphs = list(budget.document.paragraphs())
    found = []
    for number, facts in _ordered_facts(budget).items():
        list_base: Fact | None = None
        for previous, fact in zip([None, *facts], facts):
            name = _share_base_name(paragraphs[number].text, fact)
            if name is None or previous is None or not _is_amount(previous) or previous.sentence != fact.sentence:
                continue
            base = next((f for f in facts if f.sentence == fact.sentence and _is_amount(f)), None)
            if base is previous or (base is not None and name and name not in base.subject.translate(_QUOTES)):
                base = None
            inherited = base is None and not name and list_base is not None
            if inherited:
                base = list_base
            elif base is not None:
                list_base = base
            from_table = base is None and BUDGET in name
            if from_table:
                base = _budget_beside(previous, budget)
            completion = bool(_COMPLETION.search("".join(paragraphs[number].text[: fact.offset].split())))
            found.append(_Share(fact, previous, base, name, inherited, from_table and base is not None, completion))
    return found


def _budget_beside(actual: Fact, budget: BudgetModel) -> Fact | None:
    """The 预算数 total of a one-row table whose 决算数 total ``actual`` restates (“三公”经费决算 beside its 预算)."""
    for table in budget.understood_tables:
        for section in table.sections:
            totals = wide_totals(section)
            planned = [(c, v) for c, v in totals if BUDGET in c.label and FINAL not in c.label and v.amount is not None]
            restated = any(
                FINAL in c.label and v.amount is not None
                and Quantity(v.amount, table.unit).interval.overlaps(actual.in_unit(table.unit))
                for c, v in totals
            )
            if restated and len(planned) == 1:
                column, value = planned[0]
                quantity = Quantity(value.amount, table.unit)
                return Fact("amount", column.label, quantity, value.location, "", actual.paragraph)
    return None


def _is_amount(fact: Fact) -> bool:
    return fact.relation == "amount" and fact.quantity.is_money


def _check_share(ctx: RuleContext) -> Iterable[Finding]:
    for entry in _shares(ctx.budget):
        implied = entry.implied
        stated = entry.share.quantity
        if entry.base is None or implied is None or implied.overlaps(_percent(entry.share)):
            continue
        yield ctx.report(
            entry.share.location,
            related=[entry.amount.location, entry.base.location],
            severity=Severity.WARNING
            if entry.inherited or entry.from_table or _slight(implied, entry.share)
            else Severity.ERROR,
            evidence={
                "values": {"share": stated.value, "amount": entry.amount.quantity.value, "base": entry.base.quantity.value},
                "formula": "share = amount / base × 100",
                "computed": {"lo": implied.lo, "hi": implied.hi},
                "base_inherited": entry.inherited,
            },
            subject=entry.amount.subject or entry.share.subject,
            share=format_decimal(stated.value),
            amount=format_decimal(entry.amount.quantity.value),
            base=format_decimal(entry.base.quantity.value),
            implied=quotient(entry.amount_value * HUNDRED, entry.base.quantity.value, max(decimals(stated.value), 2)),
        )


def _share_lists(budget: BudgetModel) -> list[list[_Share]]:
    """Shares of one base (an amount, or a name) in one paragraph, two or more, each amount counted once."""
    lists: dict[tuple[int, object], list[_Share]] = defaultdict(list)
    for entry in _shares(budget):
        if (entry.base is None and not entry.base_name) or entry.completion:
            continue
        key = (entry.share.paragraph, id(entry.base) if entry.base is not None else entry.base_name)
        if all(e.amount is not entry.amount for e in lists[key]):
            lists[key].append(entry)
    return [entries for entries in lists.values() if len(entries) >= 2]


def _wholes_in_turn(entries: Sequence[_Share]) -> bool:
    """Whether the shares run in turn to 100% more than once: one whole divided two ways (by function, then by kind)."""
    runs, running = 0, None
    for entry in entries:
        running = _percent(entry.share) if running is None else running + _percent(entry.share)
        if running.lo <= HUNDRED <= running.hi:
            runs, running = runs + 1, None
    return runs >= 2 and running is None


def _check_share_list(ctx: RuleContext) -> Iterable[Finding]:
    """Shares over 100% are wrong; under 100% only when the listed amounts make up the whole base."""
    for entries in _share_lists(ctx.budget):
        stated = total(_percent(e.share) for e in entries)
        base = entries[0].base
        amounts = total(e.amount.in_unit(base.quantity.unit) for e in entries) if base else None
        if stated.lo > HUNDRED and not _wholes_in_turn(entries):
            variant = "exceeds"
        elif stated.hi < HUNDRED and base is not None and amounts.overlaps(base.quantity.interval):
            variant = "short"
        else:
            continue
        stated_sum = sum((e.share.quantity.value for e in entries), ZERO)
        yield ctx.report(
            entries[0].share.location,
            variant=variant,
            related=[e.share.location for e in entries[1:]] + ([base.location] if base else []),
            evidence={
                "values": {e.amount.subject or str(n): e.share.quantity.value for n, e in enumerate(entries)},
                "formula": "Σ shares = 100",
                "computed": {"lo": stated.lo, "hi": stated.hi},
                "base": base.quantity.value if base else entries[0].base_name,
            },
            base_subject=base.subject if base else entries[0].base_name,
            base=format_decimal(base.quantity.value) if base else "",
            expression=" + ".join(format_decimal(e.share.quantity.value) for e in entries),
            computed=format_decimal(stated_sum),
        )


# --- growth rates ---------------------------------------------------------------


def _check_growth(ctx: RuleContext) -> Iterable[Finding]:
    for growth in growths(ctx.budget):
        rate = growth.rate.quantity
        previous = growth.previous
        unit = growth.current.quantity.unit
        args = {
            "current": format_decimal(growth.current.quantity.value),
            "change": format_decimal(growth.change.quantity.value),
            "rate": format_decimal(rate.value),
            "previous": format_decimal(growth.stated_previous),
        }
        evidence = {
            "values": {"rate": rate.value, "change": growth.change.quantity.value, "current": growth.current.quantity.value},
            "formula": "rate = change / (current − change) × 100",
        }
        related = [growth.change.location, growth.current.location]
        if growth.rate_down != growth.change_down:
            yield ctx.report(growth.rate.location, variant="direction", related=related, evidence=evidence, **args)
            continue
        computed = growth.change.in_unit(unit).divide(previous)
        if computed is None:
            continue  # a zero base: PCT004
        computed = computed.scale(HUNDRED)
        if computed.overlaps(_percent(growth.rate)):
            continue
        change = growth.change_value
        yield ctx.report(
            growth.rate.location,
            severity=Severity.WARNING if growth.current_before or _slight(computed, growth.rate) else None,
            related=related,
            evidence={**evidence, "computed": {"lo": computed.lo, "hi": computed.hi}},
            computed=quotient(change * HUNDRED, growth.stated_previous, max(decimals(rate.value), 2)),
            implied_previous=quotient(change * HUNDRED, rate.value, decimals(growth.current.quantity.value)),
            **args,
        )


# --- zero bases -----------------------------------------------------------------


def _check_zero_base(ctx: RuleContext) -> Iterable[Finding]:
    for growth in growths(ctx.budget):
        if growth.stated_previous == 0 and not growth.change_down and growth.rate.quantity.value != 0:
            yield ctx.report(
                growth.rate.location,
                variant="growth",
                severity=Severity.INFO if new_item(growth.rate.quantity.value, _reason_follows(ctx, growth.rate)) else None,
                related=[growth.change.location, growth.current.location],
                evidence={"values": {"current": growth.current.quantity.value, "change": growth.change.quantity.value,
                                     "rate": growth.rate.quantity.value}},
                rate=format_decimal(growth.rate.quantity.value),
                current=format_decimal(growth.current.quantity.value),
                change=format_decimal(growth.change.quantity.value),
            )
    for entry in _shares(ctx.budget):
        if entry.base is not None and entry.base.quantity.value == 0 and entry.share.quantity.value != 0:
            yield ctx.report(
                entry.share.location,
                variant="share",
                related=[entry.base.location],
                evidence={"values": {"share": entry.share.quantity.value, "base": entry.base.quantity.value}},
                rate=format_decimal(entry.share.quantity.value),
                subject=entry.base.subject,
            )


def _reason_follows(ctx: RuleContext, rate: Fact) -> bool:
    """The rate's paragraph gives a reason after it (主要原因是…)."""
    text = list(ctx.document.paragraphs())[rate.paragraph].text
    return gives_reason(text[rate.offset:])


# --- missing % sign -------------------------------------------------------------


def _excerpt(text: str, start: int, end: int, width: int = 8) -> str:
    """``text[start:end]`` with up to ``width`` characters before and 4 after, not cutting a number."""
    left = max(0, start - width)
    while 0 < left < start and (text[left - 1].isdigit() or text[left] in ".,"):
        left -= 1
    return " ".join(text[left: min(len(text), end + 4)].split())


def _missing_sign_pattern() -> regex.Pattern:
    words = _vocab()["missing_sign"]
    lead = "|".join(map(regex.escape, words["lead_words"]))
    share = "|".join(map(regex.escape, words["share_words"]))
    units = "|".join(map(regex.escape, sorted(words["units_after"], key=len, reverse=True)))
    return regex.compile(
        rf"(?:(?:{lead})|(?:{share})[^\d，。；;,、%％]{{0,20}}?的)(?P<num>\d+(?:\.\d+)?)(?![\d.,%％])(?!\s*(?:{units}))"
    )


def _check_missing_sign(ctx: RuleContext) -> Iterator[Finding]:
    pattern = _missing_sign_pattern()
    for paragraph in ctx.document.paragraphs():
        for match in pattern.finditer(paragraph.text):
            start, end = match.span("num")
            context = _excerpt(paragraph.text, match.start(), end)
            yield ctx.report(
                paragraph.span.locate(start, end),
                number=match["num"],
                context=context,
                evidence={"number": match["num"], "excerpt": context},
            )

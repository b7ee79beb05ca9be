"""The narrative's line items checked against their table rows and themselves.

ITEM001 an item's amount differs from its table row; ITEM002 one item states
its amount twice, differently; ITEM003 an item's previous-year amount exceeds
the department's previous total; ITEM004 a 决算 says 决算数大于/小于/等于预算数
against its own two amounts; ITEM005 an item's rate (or direction word) does not
fit its previous and current amounts (or previous amount and change); ITEM006 a
change larger than the amount it changes, or a rate from a base of 0; ITEM007
an item's rate copied with its reason from the item above; ITEM008 a sentence
comparing the document's year with that year itself or a later one (or with an
earlier one after stating the previous year's figure), or a 决算 dating its
year-end in another year.

The items come from :mod:`budgetlint.budget.lineitems`.  An amount another
narrative rule already compares (XREF002) and a rate PCT002 already checks
(current, change and rate all stated) are left to those rules; amounts apart
by a 元/万元 slip are left to UNIT.  Comparisons are on intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import regex

from budgetlint.budget.crossref import Amount, Stages, cross_references, judge, stage_named
from budgetlint.budget.growths import growths
from budgetlint.budget.lineitems import ItemAmount, LineItem, new_item, vocab
from budgetlint.budget.model import BudgetModel, BudgetTable, Column, Item, Value
from budgetlint.budget.narrative import sentences
from budgetlint.budget.text import clean, strip_numbering
from budgetlint.findings import Finding, Severity, certainty
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location
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
)
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "ITEM001": _check_row,
        "ITEM002": _check_twice,
        "ITEM003": _check_previous_total,
        "ITEM004": _check_final_comparison,
        "ITEM005": _check_rate,
        "ITEM006": _check_change_size,
        "ITEM007": _check_copied_rate,
        "ITEM008": _check_comparison_year,
    }
    return rules_from_catalogue("budgetlint_plugins", "item.toml", checks)


def _located(item: LineItem, location: Location, part: str) -> Location:
    """A location inside the item named by the item's path: fingerprints survive re-pagination."""
    return location.with_logical("narrative", item.name, part)


def stated(amount: ItemAmount, item: LineItem) -> Amount:
    """An item's amount as a cross-reference statement."""
    return Amount(amount.quantity.value, format_decimal(amount.quantity.value), amount.quantity.unit, amount.location,
                  "narrative", item.name)


# --- ITEM001 item amount against its table row ---------------------------------


def _check_row(ctx: RuleContext) -> Iterator[Finding]:
    """An item's amount against its row (in a 决算 its 年初预算 too, against a 预算数 column of the row's table);
    an item whose own amounts differ among themselves is ITEM002's."""
    budget = ctx.budget
    compared = {link.subject.location for link in cross_references(budget, ctx.document).links
                if link.kind == "narrative"}
    final = budget.metadata.final_account
    for item in budget.line_items:
        amounts = item.own_amounts(final)
        if not amounts or _restated_differently(item, amounts) is not None:
            continue
        pairs = [(amounts[0], _row_total(item), _other_statements(budget, item))]
        if final:
            pairs += [(initial, _budget_cell(item, Stages.of(budget)), []) for initial in item.of_role("initial")[:1]]
        for amount, reference, others in pairs:
            if reference is None or amount.location in compared:
                continue  # XREF002 compares it already
            finding = _row_finding(ctx, item, amount, reference, others)
            if finding is not None:
                yield finding


def _row_finding(ctx: RuleContext, item: LineItem, amount: ItemAmount, reference: Amount,
                 others: list[Amount]) -> Finding | None:
    """The finding for an item amount that matches neither its row's cell nor ``others``, None if it does."""
    subject = stated(amount, item)
    status, _, _ = judge(subject, [reference, *others])
    if status != "differ":
        return None
    gap = subject.in_yuan().distance(reference.in_yuan())
    truncated = gap <= max(_width(subject), _width(reference))
    initial = amount.role == "initial"
    column = {"column": reference.column} if initial else {}  # the 年初预算 names the column it was compared with
    return ctx.report(
        _located(item, amount.location, amount.role),
        variant="initial" if initial else "default",
        related=[reference.location],
        severity=certainty(bool(item.table and item.table.confident) and not truncated),
        evidence={"values": {"stated": subject.shown, "row": reference.shown},
                  "where": [f"narrative › {item.name}", f"{reference.owner} › {reference.name}", *column.values()],
                  "formula": f"{subject.shown} = {reference.shown}"},
        item=item.name, value=subject.shown, table=reference.owner, row=item.row_name,
        other_value=reference.shown, diff=subject.difference(reference), **column,
    )


def _width(amount: Amount) -> Decimal:
    interval = amount.in_yuan()
    return interval.hi - interval.lo


def _row_total(item: LineItem) -> Amount | None:
    """The tied row's total (合计) as a statement, None without a row, a total column or a money unit."""
    return _row_cell(item, lambda table, column: column.key == "total")


def _budget_cell(item: LineItem, stages: Stages) -> Amount | None:
    """The tied row's amount in a column its header names the 预算数 (年初预算数) of the document's year, if the
    table has one: what a 决算's 年初预算 of the item restates."""
    def budgeted(table: BudgetTable, column: Column) -> bool:
        return (stage_named(column.label) == "budget" and stages.of_column(table, column.label) == "budget"
                and stages.year_of(column.label) == stages.year)
    return _row_cell(item, budgeted)


def _row_cell(item: LineItem, fits: Callable[[BudgetTable, Column], bool]) -> Amount | None:
    """The tied row's amount in the first column that ``fits``, as a statement."""
    table, row = item.table, item.row
    if table is None or row is None or table.unit not in MONEY_FACTORS:
        return None
    for section in table.sections:
        column = next((c for c in section.columns if fits(table, c)), None)
        value = row.value(column) if column is not None and row in section.items else None
        if value is not None and value.amount is not None:
            return Amount(value.amount, value.text, table.unit, value.location, table.title, item.row_name,
                          column.label, table, table.confident)
    return None


def _other_statements(budget: BudgetModel, item: LineItem) -> list[Amount]:
    """Every amount of the item's row, and of rows with its code or label in other tables (the 收支总表's
    四、公共安全支出 when the narrative describes all funds): any may be the one meant."""
    if item.row is None:
        return []
    label = _row_label(item.row)
    found = []
    for table in budget.tables:  # a table withheld as misread may still show the amount meant: abstain
        if table.unit not in MONEY_FACTORS:
            continue
        for _, row in table.items():
            if row is item.row or (row.code and row.code == item.row.code) or _row_label(row) == label:
                found += [Amount(v.amount, v.text, table.unit, v.location, table.title, item.row_name)
                          for v in row.values.values() if v.amount is not None]
    return found


def _row_label(row: Item) -> str:
    """A row's label as compared across tables: without its numbering (四、), cleaned."""
    return clean(strip_numbering(clean(row.label))[0])


# --- ITEM002 one item, two amounts -------------------------------------------------


def _check_twice(ctx: RuleContext) -> Iterator[Finding]:
    for item in ctx.budget.line_items:
        pair = _restated_differently(item, item.own_amounts(ctx.budget.metadata.final_account))
        if pair is None:
            continue
        first, second = pair
        a, b = stated(first, item), stated(second, item)
        yield ctx.report(
            _located(item, second.location, second.role),
            related=[first.location],
            evidence={"values": {first.clause or first.role: a.shown, second.clause or second.role: b.shown},
                      "formula": f"{a.shown} = {b.shown}"},
            item=item.name, first=a.shown, second=b.shown,
        )


def _restated_differently(item: LineItem, amounts: list[ItemAmount]) -> tuple[ItemAmount, ItemAmount] | None:
    """Two of the item's own amounts that differ: (the one kept, the one reported).

    The one reported is the one its table row does not confirm, else the later one.
    """
    reference = _row_total(item)
    for first, second in zip(amounts, amounts[1:]):
        a, b = stated(first, item), stated(second, item)
        if judge(b, [a])[0] != "differ":
            continue
        if reference is not None and judge(b, [reference])[0] == "agree":
            return second, first
        return first, second
    return None


# --- ITEM003 previous amount larger than the department's previous total ------------


def _check_previous_total(ctx: RuleContext) -> Iterator[Finding]:
    budget = ctx.budget
    total = _previous_total(budget)
    if total is None:
        return
    value, where = total
    for item in budget.line_items:
        previous = _item_previous(item)
        if previous is None or previous[0].lo <= value.hi:
            continue
        interval, unit, location = previous
        shown = {"previous": _in_words(interval, unit), "total": _in_words(value, unit)}
        yield ctx.report(
            _located(item, location, "previous"),
            related=[where],
            evidence={"values": shown, "formula": "item previous ≤ department previous total"},
            item=item.name, **shown,
        )


def _in_words(interval: Interval, unit: str) -> str:
    """An interval of 元 as the middle value in ``unit``, to 2 decimals (1520.00万元)."""
    return f"{format_decimal(interval.mid / MONEY_FACTORS[unit], 2)}{unit}"


def _previous_total(budget: BudgetModel) -> tuple[Interval, Location] | None:
    """The department's previous-year total in 元, from the narrative: current ∓ change of a growth whose current
    amount is a table's total (收入总计, 支出合计…); the largest such one."""
    totals = [Quantity(value.amount, table.unit).in_unit("元") for table, value in _table_totals(budget)]
    found = []
    for growth in growths(budget):
        current = growth.current.quantity
        if current.unit in MONEY_FACTORS and any(current.in_unit("元").overlaps(t) for t in totals):
            factor = MONEY_FACTORS[current.unit]
            found.append((growth.previous.scale(factor), growth.change.location))
    return max(found, key=lambda f: f[0].hi) if found else None


# Tables whose total is the whole department's (or its whole 一般公共预算 / 财政拨款 spending).
_DEPARTMENT_KINDS = ("income_expense_summary", "income_summary", "expense_summary", "fiscal_summary", "general_expense",
                    "fiscal_expense")


def _table_totals(budget: BudgetModel) -> Iterator[tuple[BudgetTable, Value]]:
    """The totals (合计, 总计 rows in their total column) of the understood department-wide tables."""
    for table in budget.understood_tables:
        if table.unit not in MONEY_FACTORS or table.kind not in _DEPARTMENT_KINDS:
            continue
        for section in table.sections:
            column = section.column("total")
            rows = section.rows("total") + section.rows("grand_total") if column is not None else []
            for row in rows:
                value = row.value(column)
                if value is not None and value.amount:
                    yield table, value


def _item_previous(item: LineItem) -> tuple[Interval, str, Location] | None:
    """The item's previous-year amount in 元 (with the unit it was stated in): stated, or its current amount ∓ its change."""
    stated_previous = item.of_role("previous")
    if stated_previous:
        amount = stated_previous[0]
        return amount.quantity.in_unit("元"), amount.quantity.unit, amount.location
    current, change = item.of_role("current")[:1], item.of_role("change")[:1]
    if not current or not change:
        return None
    now, delta = current[0].quantity.in_unit("元"), change[0].quantity.in_unit("元")
    previous = now + delta if change[0].direction == "down" else now - delta
    return previous, current[0].quantity.unit, change[0].location


# --- ITEM004 决算数大于/小于/等于预算数 ----------------------------------------------


def _relation(final: Interval, budgeted: Interval) -> str:
    if final.lo > budgeted.hi:
        return "more"
    if final.hi < budgeted.lo:
        return "less"
    return "equal"


def _check_final_comparison(ctx: RuleContext) -> Iterator[Finding]:
    for item in ctx.budget.line_items:
        comparison = item.comparison
        initial, final = item.of_role("initial")[:1], item.of_role("final")[:1]
        if comparison is None or not initial or not final:
            continue
        actual = _relation(final[0].quantity.in_unit("元"), initial[0].quantity.in_unit("元"))
        if actual == comparison.relation:
            continue
        yield ctx.report(
            _located(item, comparison.location, "comparison"),
            related=[initial[0].location, final[0].location],
            evidence={"values": {"initial": initial[0].quantity.value, "final": final[0].quantity.value},
                      "stated": comparison.relation, "computed": actual},
            item=item.name, statement=comparison.text,
            initial=f"{format_decimal(initial[0].quantity.value)}{initial[0].quantity.unit}",
            final=f"{format_decimal(final[0].quantity.value)}{final[0].quantity.unit}",
        )


# --- ITEM005 the rate against the previous and current amounts -----------------------


def _check_rate(ctx: RuleContext) -> Iterator[Finding]:
    for item in ctx.budget.line_items:
        finding = _rate_finding(ctx, item)
        if finding is not None:
            yield finding


@dataclass(frozen=True)
class _RateBase:
    """A previous amount and what the rate compares it with: a current amount, or a change."""

    previous: ItemAmount
    other: ItemAmount
    delta: Interval  # current − previous (or the signed change), in 元

    @property
    def base(self) -> Interval:
        return self.previous.quantity.in_unit("元")

    @property
    def sign(self) -> str:
        return "up" if self.delta.lo > 0 else "down" if self.delta.hi < 0 else "flat"

    @property
    def rate(self) -> Interval | None:
        """|delta| ÷ previous × 100, None on a zero base."""
        lo = ZERO if self.delta.lo <= 0 <= self.delta.hi else min(abs(self.delta.lo), abs(self.delta.hi))
        quotient = Interval(lo, max(abs(self.delta.lo), abs(self.delta.hi))).divide(self.base)
        return quotient.scale(HUNDRED) if quotient else None


def _rate_bases(item: LineItem, final: bool) -> list[_RateBase]:
    """Each previous amount paired with each current amount, or with the change when no current one is stated."""
    currents, change = item.own_amounts(final), item.of_role("change")[:1]
    found = []
    for previous in item.of_role("previous"):
        base = previous.quantity.in_unit("元")
        for current in currents:
            found.append(_RateBase(previous, current, current.quantity.in_unit("元") - base))
        if change and not currents:
            delta = change[0].quantity.in_unit("元")
            found.append(_RateBase(previous, change[0], delta.scale(Decimal(-1)) if change[0].direction == "down" else delta))
    return found


def _rate_finding(ctx: RuleContext, item: LineItem) -> Finding | None:
    """The rate fits none of the item's (previous, current) pairs, in direction or in size.

    Items stating a current amount, a change and a rate are PCT002's; a rate word 持平 is not judged.
    """
    rate, final = item.rate, ctx.budget.metadata.final_account
    if rate is None or rate.direction == "flat" or (item.own_amounts(final) and item.of_role("change")):
        return None
    bases = _rate_bases(item, final)
    if not bases:
        return None
    first = bases[0]
    args = {"item": item.name, "word": rate.word, "previous": _shown(first.previous), "other": _shown(first.other)}
    related = [first.previous.location, first.other.location]
    if not any(b.sign in (rate.direction, "flat") for b in bases):
        return ctx.report(_located(item, rate.location, "rate"), variant="direction", related=related,
                          evidence={"stated": rate.word, "computed": first.sign}, **args)
    stated = percent_interval(rate.quantity.value)
    rates = [(b, r) for b in bases if b.sign in (rate.direction, "flat") and (r := b.rate) is not None]
    if not rates or any(r.overlaps(stated) for _, r in rates):
        return None
    closest, computed = min(rates, key=lambda pair: pair[1].distance(stated))
    delta, base = closest.delta.mid, closest.base.mid
    return ctx.report(
        _located(item, rate.location, "rate"),
        related=[closest.previous.location, closest.other.location],
        severity=Severity.WARNING if slightly_off(computed, rate.quantity.value) else None,
        evidence={"values": {"rate": rate.quantity.value}, "computed": {"lo": computed.lo, "hi": computed.hi},
                  "formula": "rate = |current − previous| / previous × 100"},
        rate=format_decimal(rate.quantity.value),
        computed=quotient(abs(delta) * HUNDRED, base, max(decimals(rate.quantity.value), 2)),
        **{**args, "previous": _shown(closest.previous), "other": _shown(closest.other)},
    )


def _shown(amount: ItemAmount) -> str:
    return f"{format_decimal(amount.quantity.value)}{amount.quantity.unit}"


# --- ITEM006 a change larger than its amount, a rate from 0 ---------------------------


def _check_change_size(ctx: RuleContext) -> Iterator[Finding]:
    reported = {g.rate.location for g in growths(ctx.budget) if g.stated_previous == 0}  # PCT004's
    for item in ctx.budget.line_items:
        finding = _oversized(ctx, item) or _from_zero(ctx, item, reported)
        if finding is not None:
            yield finding


def _oversized(ctx: RuleContext, item: LineItem) -> Finding | None:
    """An increase larger than the current amount, or a decrease larger than the previous one."""
    change = item.of_role("change")[:1]
    if not change:
        return None
    delta = change[0]
    against = item.of_role("current" if delta.direction == "up" else "previous")[:1]
    if not against or delta.quantity.in_unit("元").lo <= against[0].quantity.in_unit("元").hi:
        return None
    return ctx.report(
        _located(item, delta.location, "change"),
        related=[against[0].location],
        evidence={"values": {"change": _shown(delta), against[0].role: _shown(against[0])},
                  "formula": "change ≤ current" if delta.direction == "up" else "decrease ≤ previous"},
        variant="increase" if delta.direction == "up" else "decrease",
        item=item.name, change=_shown(delta), amount=_shown(against[0]),
    )


def _from_zero(ctx: RuleContext, item: LineItem, reported: set[Location]) -> Finding | None:
    """A rate stated on a previous amount of 0 (PCT004's cases aside); 增长100% for a new item is a note."""
    rate = item.rate
    if rate is None or rate.quantity is None or rate.quantity.value == 0 or rate.location in reported:
        return None
    zero = _zero_previous(item)
    if zero is None:
        return None
    noted = rate.direction == "up" and new_item(rate.quantity.value, bool(item.reason))
    return ctx.report(
        _located(item, rate.location, "rate"),
        variant="new" if noted else "default",
        severity=Severity.INFO if noted else None,
        related=[zero],
        evidence={"values": {"rate": rate.quantity.value, "previous": "0"}},
        item=item.name, rate=format_decimal(rate.quantity.value), word=rate.word,
    )


def _zero_previous(item: LineItem) -> Location | None:
    """Where the item says its previous amount was 0: a stated 0, or an increase equal to the current amount."""
    previous = item.of_role("previous")[:1]
    if previous:
        return previous[0].location if previous[0].quantity.value == 0 else None
    current, change = item.of_role("current")[:1], item.of_role("change")[:1]
    if not current or not change or change[0].direction != "up":
        return None
    now, delta = current[0].quantity, change[0].quantity
    return change[0].location if now.value * MONEY_FACTORS[now.unit] == delta.value * MONEY_FACTORS[delta.unit] else None


# --- ITEM007 a rate copied with its reason from the item above -------------------------


def _check_copied_rate(ctx: RuleContext) -> Iterator[Finding]:
    final = ctx.budget.metadata.final_account
    items = ctx.budget.line_items
    for above, item in zip(items, items[1:]):
        if not _copied(above, item, final):
            continue
        rate = item.rate
        own = _implied_rates(item, final)
        stated = percent_interval(rate.quantity.value)
        closest = min(own, key=lambda r: r.distance(stated))
        yield ctx.report(
            _located(item, rate.location, "rate"),
            related=[above.rate.location],
            evidence={"values": {"rate": rate.quantity.value}, "computed": {"lo": closest.lo, "hi": closest.hi},
                      "reason": item.reason, "formula": "rate = |current − previous| / previous × 100"},
            item=item.name, other=above.name, word=rate.word, rate=format_decimal(rate.quantity.value),
            computed=format_decimal(closest.mid, max(decimals(rate.quantity.value), 2)),
        )


def _copied(above: LineItem, item: LineItem, final: bool) -> bool:
    """Same rate, direction and reason as the item above, the rate fitting that item's amounts only."""
    first, second = above.rate, item.rate
    if (first is None or second is None or first.quantity is None or second.quantity is None
            or first.quantity.value != second.quantity.value or first.direction != second.direction
            or not item.reason or clean(item.reason) != clean(above.reason)):
        return False
    stated = percent_interval(second.quantity.value)
    theirs, own = _implied_rates(above, final), _implied_rates(item, final)
    return bool(own) and any(r.overlaps(stated) for r in theirs) and not any(r.overlaps(stated) for r in own)


def _implied_rates(item: LineItem, final: bool) -> list[Interval]:
    """The rates (in %) the item's amounts give: from each previous amount, else from its current amount and change."""
    rates = [rate for base in _rate_bases(item, final) if (rate := base.rate) is not None]
    change, previous = item.of_role("change")[:1], _item_previous(item)
    if rates or not change or previous is None:
        return rates
    ratio = change[0].quantity.in_unit("元").divide(previous[0])
    return [ratio.scale(HUNDRED)] if ratio else []


# --- ITEM008 the year compared with ----------------------------------------------------

_YEAR_NAMED = regex.compile(r"(?<!\d)(20\d{2})\s*年")
_YEAR_SUFFIX = regex.compile(r"\G\s*年?\s*度?\s*")


def _check_comparison_year(ctx: RuleContext) -> Iterator[Finding]:
    """A sentence comparing the document's year with itself or a later year (比2026年预算 in a 2026 budget),
    or a 决算 dating its year-end in another year (截至2023年12月31日 in a 2024 决算)."""
    year, final = ctx.budget.metadata.year, ctx.budget.metadata.final_account
    if year is None:
        return
    for paragraph in ctx.document.paragraphs():
        text = paragraph.text
        for start, end in sentences(text):
            sentence = text[start:end]
            for match, expected, variant in _wrong_years(sentence, year, final):
                yield ctx.report(
                    paragraph.span.locate(start + match.start("year"), start + match.end("year"))
                    .with_logical("narrative", clean(sentence)),
                    variant=variant,
                    evidence={"stated": int(match["year"]), "document_year": year, "text": match[0]},
                    stated=match["year"], expected=str(expected), year=str(year), phrase=clean(match[0]),
                )


def _wrong_years(sentence: str, year: int, final: bool) -> Iterator[tuple[regex.Match, int, str]]:
    """(the year's match, the year expected, the message variant) of each wrong year in ``sentence``."""
    matches = list(_compared_years(sentence, year))
    compared = {int(m["year"]) for m in matches}
    for match in matches:
        after = sentence[_YEAR_SUFFIX.match(sentence, match.end("year")).end():]
        previous_stated = year - 1 not in compared and str(year - 1) in _YEAR_NAMED.findall(sentence[: match.start()])
        expected = _expected_year(year, int(match["year"]), final, after, previous_stated)
        if expected is not None:
            yield match, expected, "default"
    if final:
        for match in regex.finditer(vocab()["final_year_end"], sentence):
            if int(match["year"]) != year:
                yield match, year, "year_end"


def _compared_years(sentence: str, year: int) -> Iterator[regex.Match]:
    """The comparisons in ``sentence`` (比2025年, 与2025年相比, 上年（2025年）) whose subject is the document's year:
    the last year named before them, if any, is ``year`` (2027年比2026年 is a plan, not this year's comparison)."""
    for pattern in vocab()["comparison_year"]:
        for match in regex.finditer(pattern, sentence):
            before = _YEAR_NAMED.findall(sentence[: match.start()])
            if not before or int(before[-1]) == year:
                yield match


def _expected_year(year: int, stated: int, final: bool, after: str, previous_stated: bool) -> int | None:
    """The year the comparison should name, None when the stated one may be right.

    An earlier year is judged only when the sentence states the previous year's figure before comparing
    (2025年执行数5.57万元，2026年预算10万元，比2024年执行数增加79.53%) and compares with no other year.
    In a 决算 its own year is right unless compared as a 决算 (比2024年决算数).
    """
    if stated < year - 1:
        return year - 1 if previous_stated else None
    if stated == year - 1 or (final and stated == year and not after.startswith(tuple(vocab()["final_words"]))):
        return None
    return year - 1

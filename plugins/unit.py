"""UNIT: units and magnitudes of amounts.

UNIT001 a statement matches its counterpart only after a 元/万元 (or 亿元)
slip, UNIT002 a whole table's amounts are off by such a factor (its declared
unit is wrong), UNIT003 an amount has more decimals than its unit allows,
UNIT004 a table column mixes decimal counts.

UNIT001 and UNIT002 read the pairings of :mod:`budgetlint.budget.crossref`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal

from budgetlint.budget.crossref import (
    cross_references,
    fact_amount,
    follows,
    narrative_facts,
    section_titles,
    vocab,
)
from budgetlint.budget.model import BudgetTable, Column, Item, Value
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location
from budgetlint.numbers import MONEY_FACTORS, decimals
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

# How each kind of statement is named in UNIT001's message.
_VARIANTS = {"table": "table", "narrative": "text", "restated": "text", "form_field": "form", "project_form": "form"}
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
# A money unit followed by one of these is a rate per something.
_PER_UNIT = ("/", "每")
# Below this many amounts a column has no usual decimal count.
_MIN_COLUMN = 3
# Amounts short of their column's decimals in this many cells of one table: the table is printed in general
# format (4788320.66, 1514331.7, 5200), trailing zeros dropped, not a unit problem.
_GENERAL_FORMAT = 3


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "UNIT001": _check_slipped_statement,
        "UNIT002": _check_table_unit,
        "UNIT003": _check_too_many_decimals,
        "UNIT004": _check_mixed_decimals,
    }
    return rules_from_catalogue("budgetlint_plugins", "unit.toml", checks)


def _power(factor: Decimal) -> str:
    """How far apart a factor puts two amounts: 10⁴ for 10000 and for 0.0001."""
    return "10" + str(abs(factor.adjusted())).translate(_SUPERSCRIPTS)


def _unit_for(unit: str, factor: Decimal) -> str:
    """The unit whose amounts are ``factor`` times those of ``unit`` in yuan ('' if none)."""
    wanted = MONEY_FACTORS[unit] * factor
    return next((name for name, size in MONEY_FACTORS.items() if size == wanted), "")


# --- UNIT001 a statement off by a unit slip ---------------------------------


def _check_slipped_statement(ctx: RuleContext) -> Iterable[Finding]:
    xr = cross_references(ctx.budget, ctx.document)
    for link in xr.links:
        if link.status != "scaled" or xr.explained_by_slip(link):
            continue
        subject, reference = link.subject, link.reference
        yield ctx.report(
            subject.location,
            variant=_VARIANTS[link.kind],
            related=[r.location for r in link.references],
            evidence=link.evidence(),
            severity=Severity.ERROR if link.confident else Severity.WARNING,
            owner=subject.owner,
            subject=subject.name,
            value=subject.shown,
            other=f"{reference.owner} › {reference.name}",
            other_value=reference.shown,
            factor=_power(link.scale),
        )


# --- UNIT002 a table's declared unit against its magnitudes -------------------


def _check_table_unit(ctx: RuleContext) -> Iterable[Finding]:
    xr = cross_references(ctx.budget, ctx.document)
    for slip in xr.unit_slips.values():
        table, example = slip.table, slip.links[0]
        mine, theirs = (
            (example.subject, example.reference)
            if example.subject.table is table
            else (next(r for r in example.references if r.table is table), example.subject)
        )
        actual = _unit_for(mine.unit, slip.factor)
        yield ctx.report(
            table.title_location,
            variant="unit" if actual else "default",
            related=[(link.reference if link.subject.table is table else link.subject).location for link in slip.links],
            evidence={
                "values": {"stated": mine.shown, "compared_with": theirs.shown},
                "where": [f"{mine.owner} › {mine.name}", f"{theirs.owner} › {theirs.name}"],
                "compared": len(slip.links),
                "factor": slip.factor,
            },
            severity=Severity.ERROR
            if table.confident and all(link.confident for link in slip.links)
            else Severity.WARNING,
            table=table.title,
            unit=mine.unit,
            actual=actual,
            count=str(len(slip.links)),
            factor=_power(slip.factor),
            item=mine.name,
            value=mine.shown,
            other_value=theirs.shown,
        )


# --- UNIT003 more decimals than the unit allows --------------------------------


def _check_too_many_decimals(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    for table in budget.tables:
        for value in _stated(table):
            yield from _excess(ctx, value.amount, value.text, table.unit, value.location, table.confident)
    for form in budget.forms:
        for value in form.funds.values():
            yield from _excess(ctx, value.amount, value.text, form.unit, value.location, form.confident)
    titles = section_titles(ctx.document)
    paragraphs = list(ctx.document.paragraphs())
    for fact, _ in narrative_facts(budget, ctx.document):
        if follows(fact, paragraphs, _PER_UNIT):
            continue  # a unit price (0.125元/千瓦时) may go below the fen
        stated = fact_amount(fact, titles)
        yield from _excess(ctx, stated.value, stated.text, stated.unit, stated.location, False)


def _excess(
    ctx: RuleContext, value: Decimal | None, text: str, unit: str, location: Location, confident: bool
) -> Iterator[Finding]:
    allowed = vocab()["decimals"].get(unit)
    places = decimals(value) if value is not None else 0
    if allowed is None or places <= allowed:
        return
    yield ctx.report(
        location,
        evidence={"values": {"text": text, "unit": unit}, "decimals": places, "allowed": allowed},
        severity=Severity.ERROR if confident else Severity.WARNING,
        text=text,
        unit=unit,
        decimals=str(places),
        allowed=str(allowed),
    )


# --- UNIT004 decimal counts mixed within a column -------------------------------


def _check_mixed_decimals(ctx: RuleContext) -> Iterable[Finding]:
    for table in ctx.budget.tables:
        columns = list(_decimal_columns(table))
        general_format = sum(_short(places) for _, _, places in columns) >= _GENERAL_FORMAT
        for column, values, places in columns:
            if len(values) < _MIN_COLUMN or len(places) < 2:
                continue
            usual, count = places.most_common(1)[0]
            if count * 2 <= len(values):
                continue  # no usual count to measure the others by
            for item, value in values:
                found = decimals(value.amount)
                if found == usual or (found < usual and general_format):
                    continue
                more = found > usual and table.confident
                yield ctx.report(
                    value.location,
                    related=[v.location for _, v in values if decimals(v.amount) == usual][:3],
                    evidence={"decimals": found, "usual": usual, "column_values": len(values)},
                    severity=Severity.WARNING if more else Severity.INFO,
                    table=table.title,
                    item=item.label,
                    column=column.label,
                    text=value.text,
                    decimals=str(found),
                    usual=str(usual),
                    count=str(count),
                )


def _decimal_columns(table: BudgetTable) -> Iterator[tuple[Column, list[tuple[Item, Value]], Counter[int]]]:
    """Each column of ``table`` with its non-zero amounts and how many of them have each count of decimals."""
    for section in table.sections:
        for column in section.columns:
            values = [(item, v) for item in section.items if (v := item.value(column)) is not None and v.amount]
            if values:
                yield column, values, Counter(decimals(v.amount) for _, v in values)


def _short(places: Counter[int]) -> int:
    """How many amounts of a column have fewer decimals than the most of them."""
    usual = places.most_common(1)[0][0]
    return sum(n for count, n in places.items() if count < usual)


def _stated(table: BudgetTable) -> Iterator[Value]:
    """The non-blank cells of ``table``."""
    for item in (item for section in table.sections for item in section.items):
        yield from (value for value in item.values.values() if value.amount is not None)

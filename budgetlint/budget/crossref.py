"""Cross-references: the amounts a disclosure states more than once.

Shared by the XREF and UNIT rules.  The standard tables repeat one another
(a 类 row of the 支出总表 is the same amount as in the 收入总表 and the
一般公共预算支出表), the narrative restates table amounts, and each project's
绩效目标表 restates its line of the 项目支出表.  This module pairs every such
statement with the others of the same quantity, converts them to one unit,
and judges each: it agrees, it differs, or it agrees only after a unit slip
(a factor of 10⁴ or 10⁸ between 元, 万元 and 亿元).

Which columns carry which quantity, and how the narrative names them, is data
in ``budgetlint_rules/xref.toml``.  Amounts compare as intervals (a value
stated to d decimals is ±½·10⁻ᵈ; a stated or blank zero is exactly zero), so a
rounding tail never makes a mismatch.
"""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, cached_property
from itertools import combinations
from typing import Any

import regex

from budgetlint.budget.breakdowns import item_parts
from budgetlint.budget.model import (
    BudgetModel,
    BudgetTable,
    Column,
    Fact,
    Item,
    PerformanceForm,
    Section,
    Value,
)
from budgetlint.budget.narrative import sentences
from budgetlint.budget.projects import amount_column
from budgetlint.budget.tables import classify, column_key, wide_items, wide_totals
from budgetlint.budget.text import clean, strip_numbering
from budgetlint.budget.vocabulary import has_any, pack
from budgetlint.document import Document, Heading, Paragraph
from budgetlint.location import Location
from budgetlint.numbers import MONEY_FACTORS, ZERO, Interval, amount, decimals, format_decimal
from budgetlint.numbers import total as sum_of

FULL_STOPS = ("。", "！", "？", "!", "?")
PRIOR = -1  # the year before the document's, when the document's is not known
# Shorter narrative subjects (支出, 科目) are too vague to say which quantity they are.
MIN_SUBJECT = 3
SUMMARY_KEYS = ("current", "grand", "carryover")
SOURCE_KEYS = (
    "general",
    "fund",
    "state_capital",
    "special_account",
    "unit_funds",
    "business",
    "operating",
    "other",
    "fiscal",
)
FISCAL_SOURCES = frozenset({"general", "fund", "state_capital", "fiscal"})


def vocab() -> Mapping[str, Any]:
    return pack("xref.toml")


# --- statements and links -------------------------------------------------


@dataclass(frozen=True)
class Amount:
    """One statement of an amount: its value as written, unit and place.

    ``owner`` is the table title, form name or narrative section the
    statement belongs to, ``label`` its row label, subject or field, and
    ``column`` its column header.  ``confident`` is False when the structure
    it was read from is uncertain or its unit was not declared.
    """

    value: Decimal
    text: str
    unit: str
    location: Location
    owner: str
    label: str
    column: str = ""
    table: BudgetTable | None = field(default=None, compare=False, repr=False)
    confident: bool = True
    quantity: QuantityKey | None = field(default=None, compare=False)

    @property
    def interval(self) -> Interval:
        return Interval.exact(ZERO) if self.value == 0 else Interval.stated(self.value)

    def in_yuan(self) -> Interval:
        return self.interval.scale(MONEY_FACTORS[self.unit])

    @property
    def shown(self) -> str:
        """The amount as the document writes it, with its unit."""
        return f"{self.text or format_decimal(self.value)}{self.unit}"

    def difference(self, other: Amount) -> str:
        """|self − other| in this statement's unit, to the decimals either was written with.

        An amount of a smaller unit (元 against 万元) brings only the decimals the gap needs.
        """
        ratio = MONEY_FACTORS[other.unit] / MONEY_FACTORS[self.unit]
        gap = abs(self.value - other.value * ratio)
        places = max(decimals(self.value), decimals(other.value) - ratio.adjusted(), 0)
        if ratio < 1:
            places = max(decimals(self.value), decimals(gap.normalize()))
        return f"{format_decimal(gap, places)}{self.unit}"

    @property
    def name(self) -> str:
        """Row label and column header (or subject) as a logical path."""
        return " › ".join(part for part in (self.label, self.column) if part)

    @property
    def order(self) -> tuple[int, int, int]:
        loc = self.location
        return (loc.page or 0, loc.line or 0, loc.column or 0)


@dataclass(frozen=True)
class Link:
    """A statement judged against the other statements of the same quantity.

    ``status`` is agree, differ or scaled (agrees once multiplied by
    ``scale``); a ``part`` link (a part against its whole) is exceeds.  ``references`` are the statements it agrees with (agree), the
    ones it matches after scaling (scaled), or all it was compared with (differ).
    """

    kind: str  # table | narrative | form_field | project_form | restated | part
    subject: Amount
    references: tuple[Amount, ...]
    status: str
    scale: Decimal = Decimal(1)

    @property
    def reference(self) -> Amount:
        return self.references[0]

    @property
    def confident(self) -> bool:
        return self.subject.confident and all(r.confident for r in self.references)

    @property
    def slight(self) -> bool:
        """Apart by at most one unit of the coarser statement's last decimal (1237万元 for 12,376,671元): truncated."""
        mine, theirs = self.subject.in_yuan(), self.reference.in_yuan()
        unit = max(mine.hi - mine.lo, theirs.hi - theirs.lo)
        return mine.distance(theirs) <= unit

    def evidence(self) -> dict[str, object]:
        """The two statements, where they are, and how they were compared."""
        subject, reference = self.subject, self.reference
        scaled = f" × {self.scale}" if self.status == "scaled" else ""
        relation = "≤" if self.kind == "part" else "="
        return {
            "values": {"stated": subject.shown, "compared_with": reference.shown},
            "where": [f"{subject.owner} › {subject.name}", f"{reference.owner} › {reference.name}"],
            "keys": [str(a.quantity) for a in (subject, reference) if a.quantity is not None],
            "formula": f"{subject.shown}{scaled} {relation} {reference.shown}",
            "tolerance": "intervals overlap (a value stands for ±½ unit of its last stated decimal)",
        }


def judge(subject: Amount, references: Sequence[Amount]) -> tuple[str, Decimal, tuple[Amount, ...]]:
    """(status, scale, references kept): does ``subject`` agree with any reference?"""
    mine = subject.in_yuan()
    agreeing = tuple(r for r in references if r.in_yuan().overlaps(mine))
    if agreeing:
        return "agree", Decimal(1), agreeing
    if subject.value != 0:
        for factor in slip_factors():
            scaled = mine.scale(factor)
            hits = tuple(r for r in references if r.value != 0 and r.in_yuan().overlaps(scaled))
            if hits:
                return "scaled", factor, hits
    return "differ", Decimal(1), tuple(references)


def slip_factors() -> list[Decimal]:
    return [Decimal(10) ** (sign * power) for power in vocab()["slip_powers"] for sign in (1, -1)]


# --- table entries ----------------------------------------------------------


@dataclass(frozen=True)
class QuantityKey:
    """What an amount measures: two amounts state one fact only when their keys are equal.

    ``subject`` is the row or named total (see :class:`Entry`), ``part`` its
    composition (total, basic, project, personnel…), ``funds`` its scope of
    funds (all, fiscal, general…), ``stage`` budget, adjusted, execution or
    final, ``year`` the year it is about (None: the document's, not known;
    ``PRIOR`` last year's when the document's is not known), ``carry`` incl or
    excl (money carried over from last year) or -, ``flow`` expense or income.
    """

    subject: str
    part: str
    funds: str
    stage: str
    year: int | None
    carry: str = "-"
    flow: str = "expense"

    def __str__(self) -> str:
        year = "?" if self.year is None else "prior" if self.year == PRIOR else str(self.year)
        fields = (self.subject, self.part, f"funds {self.funds}", self.stage, year, f"carry {self.carry}", self.flow)
        return " · ".join(fields)


@dataclass(frozen=True)
class Entry:
    """A table amount and the quantity it states.

    ``key`` names the row: c:<code>, n:<类 name>, e:<economic row>, p:<project>, total,
    grand, src:<source or current/grand/carryover> and carry:<source>.
    ``part`` (total, basic, project…) and ``funds`` (all, fiscal, general…)
    name the column; ``carry`` is incl or excl (money carried over from last
    year), or - where it does not apply; ``stage``, ``year`` and ``flow``
    complete its :class:`QuantityKey`.  ``empty`` marks a table noted as
    empty or left blank: never a side of a comparison.
    """

    key: str
    part: str
    funds: str
    carry: str
    amount: Amount
    stage: str = ""
    year: int | None = None
    flow: str = "expense"
    empty: bool = False

    @property
    def quantity(self) -> QuantityKey:
        return QuantityKey(self.key, self.part, self.funds, self.stage, self.year, self.carry, self.flow)


@dataclass(frozen=True)
class Stages:
    """The stage and year an amount is about, by the words naming it, else the document's own."""

    default: str
    year: int | None

    @classmethod
    def of(cls, budget: BudgetModel) -> Stages:
        return cls("final" if budget.metadata.final_account else "budget", budget.metadata.year)

    def stage(self, *texts: str) -> str:
        """The stage the first of ``texts`` that names one names (a header, then a title), else the document's."""
        return next((found for found in map(stage_named, texts) if found), self.default)

    def of_column(self, table: BudgetTable, column: str) -> str:
        """The stage of ``table``'s column ``column``: an unqualified 预算数 is what the table's note says it is
        (预算数为“三公”经费全年预算数: adjusted), else the header's, the title's or the document's."""
        stage = self.stage(column, table.title)
        if stage != "budget" or stage_named(column) != "budget":
            return stage
        return next((found for note in table.notes if (found := noted_stage(note))), stage)

    def year_of(self, header: str) -> int | None:
        """The year a column header names (2025年预算数, 上年预算数) when not the document's, else the document's."""
        if has_any(clean(header), vocab()["previous_year_words"]):
            return self.year - 1 if self.year is not None else PRIOR
        years = {int(y) for y in _YEAR.findall(header)}
        if not years or self.year in years:
            return self.year
        return min(years)


@cache
def stage_named(text: str) -> str:
    """The stage ``text`` names (决算 → final, 预算数 → budget…), '' if none; fund names (一般公共预算) name none."""
    text = clean(text)
    for word in vocab()["stage_neutral"]:
        text = text.replace(word, "")
    return next((stage for stage, words in vocab()["stages"] if has_any(text, words)), "")


def noted_stage(note: str) -> str:
    """The stage a note under a table gives its 预算数 column (预算数为…全年预算数 → adjusted), '' if none."""
    match = regex.search(vocab()["budget_column_note"], clean(note))
    return stage_named(match["stage"]) if match else ""


def stage_only(subject: str) -> bool:
    """A subject that is a stage word and little else (年初预算, 支出决算): it names no quantity of its own."""
    if not stage_named(subject):
        return False
    text = clean(subject)
    for word in stage_words():
        text = text.replace(word, "")
    return len(text) < MIN_SUBJECT


def stage_words() -> list[str]:
    """Every word naming a stage, longest first."""
    return sorted((w for _, group in vocab()["stages"] for w in group), key=len, reverse=True)


def without_stage(subject: str) -> str:
    """``subject`` without the stage words it ends with (支出决算 → 支出, …支出年初预算 → …支出)."""
    words = stage_words()
    text = clean(subject)
    while (word := next((w for w in words if text.endswith(w) and len(text) > len(w)), None)) is not None:
        text = text[: -len(word)]
    return text


@dataclass(frozen=True)
class Scope:
    """What the document's income side says about its money.

    ``sources`` are the income sources with money, this year's or carried
    over, as an all-funds income table names them (None if none does; ``other`` when its current income
    exceeds its fiscal sources, or its income with carry-over the 财政拨款
    table's: money from sources not named), ``carryover``
    whether money is carried over (None if unknown), ``year_end`` whether
    money is left at the year's end.  They decide which differently scoped
    columns state the same amount: with only 一般公共预算 money, the
    一般公共预算支出表 repeats the 支出总表.
    """

    sources: frozenset[str] | None
    carryover: bool | None
    year_end: bool = False

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Scope:
        """The scope the all-funds income tables state.

        A 财政拨款 table says nothing of other money, unless the all-funds total
        equals its total: then its sources are all the money there is.
        """
        named: dict[int, dict[str, Interval]] = defaultdict(dict)  # per table: its sources with their amounts
        carried_sources: dict[int, set[str]] = defaultdict(set)  # per table: the sources of its carry-over
        current: dict[int, Interval] = {}  # per table: its all-funds current income
        totals: dict[str, list[Interval]] = defaultdict(list)  # the department's total, by funds
        grands: dict[str, list[Interval]] = defaultdict(list)  # its income with carry-over, by funds (fiscal: either)
        carried: bool | None = None
        year_end = False  # money left at the year's end: income and spending differ
        for entry in entries:
            head, _, name = entry.key.partition(":")
            if head == "n" and has_any(name, vocab()["year_end_rows"]):
                year_end = year_end or entry.amount.value != 0
            table = id(entry.amount.table)
            if head == "src" and name not in SUMMARY_KEYS:
                named[table][name] = entry.amount.in_yuan()
            elif head == "carry" and entry.amount.value != 0:
                carried_sources[table].add(name)  # money carried over is spent too
            elif entry.key == "src:current" and entry.funds == "all":
                current[table] = entry.amount.in_yuan()
            elif (entry.key, entry.part) == ("total", "total"):
                totals[entry.funds].append(entry.amount.in_yuan())
            if entry.key == "src:grand" or (entry.key, entry.funds) == ("src:current", "fiscal"):
                grands[entry.funds].append(entry.amount.in_yuan())
            if head == "carry" or entry.key == "src:carryover" or entry.part == "carryover":
                carried = bool(carried) or entry.amount.value != 0
        tables = [t for t in named if t in current]
        if not tables and _all_is_fiscal(totals):
            tables = list(named)
        if not tables:
            return cls(None, carried, year_end)
        sources = {name for t in tables for name, amount in named[t].items() if amount.hi > 0}
        sources |= {name for t in tables for name in carried_sources[t]}
        if any(current[t].lo > _fiscal_money(named[t]).hi for t in tables if t in current) or _exceeds(
            grands["all"], grands["fiscal"]
        ):
            sources.add("other")  # income beyond the fiscal sources named (or carried over): money from elsewhere
        return cls(frozenset(sources), carried, year_end)

    def funds(self, funds: str) -> str:
        """``funds`` widened to the broadest scope stating the same amounts here."""
        if self.sources is None:
            return funds
        if funds == "general" and "general" in self.sources and not self.sources & {"fund", "state_capital"}:
            funds = "fiscal"
        if funds == "fiscal" and self.sources <= FISCAL_SOURCES:
            funds = "all"
        return funds

    def carry(self, carry: str) -> str:
        return "-" if self.carryover is False else carry

    def flow(self, flow: str) -> str:
        """Income by classification states the spending too, unless money is left at the year's end."""
        return flow if self.year_end else "expense"

    def key(self, entry: Entry) -> QuantityKey:
        """``entry``'s key with funds, carry-over and flow widened to what states the same amounts here."""
        quantity = entry.quantity
        return _copy_with(
            quantity, funds=self.funds(quantity.funds), carry=self.carry(quantity.carry), flow=self.flow(quantity.flow)
        )


def _copy_with(value: Any, **changes: Any) -> Any:
    """``dataclasses.replace`` for this module's dataclasses (every field in ``__init__``, no cached values),
    without its look at each field: it runs for every amount of every table."""
    return type(value)(**{**value.__dict__, **changes})


def _exceeds(wider: Sequence[Interval], narrower: Sequence[Interval]) -> bool:
    """Some amount of ``wider`` is beyond every one of ``narrower`` (both stated)."""
    return bool(narrower) and any(all(w.lo > n.hi for n in narrower) for w in wider)


def _all_is_fiscal(totals: Mapping[str, list[Interval]]) -> bool:
    """The all-funds total and the 财政拨款 total are stated, and agree: all the money is fiscal."""
    stated = totals.get("all", []) + totals.get("fiscal", [])
    return bool(totals.get("all")) and bool(totals.get("fiscal")) and all(a.overlaps(b) for a in stated for b in stated)


def _fiscal_money(sources: Mapping[str, Interval]) -> Interval:
    """A table's fiscal money: its 财政拨款 row, or else the sum of the fiscal sources it names."""
    fiscal = {name: amount for name, amount in sources.items() if name in FISCAL_SOURCES}
    return fiscal.get("fiscal") or sum_of(fiscal.values())


class Units:
    """Each table's unit; a table that declares none takes the document's usual one, uncertainly."""

    def __init__(self, budget: BudgetModel):
        declared = Counter(t.unit for t in budget.tables if t.unit in MONEY_FACTORS)
        self.usual = declared.most_common(1)[0][0] if declared else ""

    def of(self, table: BudgetTable) -> tuple[str, bool]:
        if table.unit in MONEY_FACTORS:
            return table.unit, True
        return self.usual, False


def table_entries(budget: BudgetModel) -> list[Entry]:
    """Every amount of the standard tables that another statement may repeat, each with its full key."""
    units = Units(budget)
    names = class_codes(budget)
    stages = Stages.of(budget)
    tables = [t for t in budget.understood_tables if not has_any(clean(t.title), vocab()["carryover_only_titles"])]
    kinds = Counter(t.kind for t in tables)
    found: list[Entry] = []
    for table in tables:
        unit, declared = units.of(table)
        if not unit:
            continue
        cell = _cell_maker(table, unit, declared)
        of_table: list[Entry] = []
        for spec in vocab()["views"]:
            # one of several project tables (by unit, by kind…) holds only part of the total
            partial = spec.get("project_total") and kinds[table.kind] > 1
            if spec["kind"] == table.kind and not partial:
                of_table += _view_entries(table, spec, cell, names, budget.metadata.department)
                if spec.get("project_total"):
                    of_table += _project_entries(budget, table, spec, cell)
        for spec in vocab()["income_views"]:
            if spec["kind"] == table.kind:
                of_table += _income_entries(table, spec["funds"], cell)
        if table.kind == "income_summary":
            of_table += _income_summary_totals(table, cell)
        found += _keyed(table, of_table, stages)
    return found


def _keyed(table: BudgetTable, entries: Sequence[Entry], stages: Stages) -> list[Entry]:
    """``entries`` of ``table`` completed with their stage, year, flow and emptiness; one per row and key.

    A column naming a stage or a year (决算数, 2025年预算数) decides them,
    else the table's title, else the document.  The first of a row's columns
    with one key states it (a 小计 of a column group beside the row total does not).
    """
    empty = table.empty_note is not None or all(v.is_blank for _, item in table.items() for v in item.values.values())
    income = table.kind in vocab()["income_kinds"]
    keyed: dict[tuple[str, QuantityKey], Entry] = {}
    for entry in entries:
        column = entry.amount.column
        flow = "income" if income or entry.part == "income" else "expense"
        entry = _copy_with(
            entry, stage=stages.of_column(table, column), year=stages.year_of(column), flow=flow, empty=empty
        )
        if (entry.amount.label, entry.quantity) not in keyed:
            keyed[entry.amount.label, entry.quantity] = _copy_with(entry, amount=_copy_with(entry.amount, quantity=entry.quantity))
    return list(keyed.values())


def class_codes(budget: BudgetModel) -> dict[str, str]:
    """类 names → codes, from the tables that list both."""
    codes: dict[str, str] = {}
    for section in (s for table in budget.tables for s in table.sections):
        for item in section.rows("item"):
            if len(item.code) == 3:
                codes.setdefault(clean(item.label), item.code)
    return codes


CellMaker = Callable[[Value, str, str], Amount]


def _cell_maker(table: BudgetTable, unit: str, declared: bool) -> CellMaker:
    """Makes the statement of one cell of ``table`` (value, row label, column header)."""

    def cell(value: Value, label: str, header: str) -> Amount:
        return Amount(
            value.amount if value.amount is not None else ZERO,
            value.text,
            unit,
            value.location,
            table.title,
            label,
            header,
            table,
            table.confident and declared,
        )

    return cell


def _view_entries(
    table: BudgetTable, spec: Mapping[str, Any], cell: CellMaker, names: dict[str, str], department: str
) -> list[Entry]:
    title = clean(table.title)
    current_title = has_any(title, vocab()["current_only_titles"])
    title_funds = next((funds for word, funds in spec.get("title_funds", []) if word in title), None)
    found = []
    for section in table.sections:
        if spec.get("side") and section.side != spec["side"]:
            continue
        rows = _keyed_rows(section, spec, names, department)
        for key, part, funds in spec["columns"]:
            for column in (c for c in section.columns if c.key == key and not _carried_over(c)):
                carry = _carry(current_title or key == "current", column)
                for row_key, item in rows:
                    value = item.value(column)
                    if value is not None:
                        found.append(Entry(row_key, part, title_funds or funds, carry, cell(value, item.label, column.label)))
        if spec.get("economic"):
            found += _wide_entries(table, section, spec, cell, title_funds, current_title)
    return [_copy_with(e, part=_named_part(e, title, spec)) for e in found]


def _named_part(entry: Entry, title: str, spec: Mapping[str, Any]) -> str:
    """The part an amount of the table's whole column states: the whole, or the one part its total
    row (人员经费合计) or else the table's title (…基本支出表（人员经费）, 项目支出表) names."""
    if entry.part != spec["columns"][0][1]:
        return entry.part
    texts = ([clean(entry.amount.label)] if entry.key in ("total", "grand") else []) + [title]
    for text in texts:
        named = {part for word, part in spec.get("title_parts", []) if word in text}
        if len(named) == 1:
            return named.pop()
    return entry.part


def _carried_over(column: Column) -> bool:
    """A column under a carried-over group (上年结转结余 › 一般公共预算资金): last year's money."""
    return any(has_any(text, vocab()["carryover_groups"]) for text in column.header[:-1])


def _project_entries(budget: BudgetModel, table: BudgetTable, spec: Mapping[str, Any], cell: CellMaker) -> list[Entry]:
    """Each project of a 项目支出表 by its name (p:<name>), as the narrative may restate it.

    A name several units give their projects (综合管理) names none of them.
    """
    _, part, funds = spec["columns"][0]
    column = amount_column(table)
    projects = [p for p in budget.projects if p.table is table and p.amount is not None and p.name and column is not None]
    names = Counter(clean(p.name) for p in projects)
    return [
        Entry(f"p:{clean(p.name)}", part, funds, "-", cell(p.amount, p.name, column.label))
        for p in projects
        if names[clean(p.name)] == 1
    ]


def _carry(current: bool, column: Column) -> str:
    """'excl' for a column of this year's money only (a current table, a 当年 header), else 'incl'."""
    return "excl" if current or has_any(column.label, vocab()["current_headers"]) else "incl"


def _wide_entries(
    table: BudgetTable, section: Section, spec: Mapping[str, Any], cell: CellMaker, title_funds: str | None, current: bool
) -> list[Entry]:
    """The items of a table set out as one row under their names, keyed like rows of those names, and its totals.

    A column naming another table's quantity (机关运行经费 beside the 三公经费) is left out.
    """
    _, part, funds = spec["columns"][0]
    found = []
    for column, value in wide_totals(section):
        found.append(Entry("total", part, title_funds or funds, _carry(current, column), cell(value, "", column.label)))
    for item in wide_items(section):
        ((index, value),) = item.values.items()
        column = next(c for c in section.columns if c.index == index)
        if classify(column.label) not in ("", table.kind):
            continue
        entry = Entry(f"e:{clean(item.label)}", part, title_funds or funds, _carry(current, column),
                      cell(value, item.label, column.label))
        found.append(entry)
    return found


def _keyed_rows(
    section: Section, spec: Mapping[str, Any], names: dict[str, str], department: str
) -> list[tuple[str, Item]]:
    """The rows of a section with the key each is compared under (ambiguous keys dropped)."""
    if spec.get("project_total"):  # the 合计 row; the department's row when none (广州's is its own office, beside its units)
        named = [i for i in section.items if clean(i.label) == clean(department) and department]
        totals = section.rows("total") or named
        return [("total", totals[0])] if totals else []
    totals = section.rows("total")
    rows = [("total", totals[0])] if totals else []
    if spec.get("totals_only"):
        return rows
    grand = section.rows("grand_total")
    rows += [("grand", grand[0])] if grand else []
    keyed = []
    for item in [*section.rows("item"), *section.rows("carryover")]:  # 年终结转结余 tells money is left
        label = clean(item.label)
        if spec.get("economic"):
            keyed.append((f"e:{label}", item))
        elif item.code:
            keyed.append((f"c:{item.code}", item))
        elif label:
            keyed.append((f"c:{names[label]}" if label in names else f"n:{label}", item))
    counts = Counter(key for key, _ in keyed)
    return rows + [(key, item) for key, item in keyed if counts[key] == 1]


def _income_entries(table: BudgetTable, funds: str, cell: CellMaker) -> list[Entry]:
    """Source rows and totals of a summary table's income side."""
    found = []
    for section in table.sections:
        if section.side != "income":
            continue
        column = section.column("total") or (section.columns[0] if len(section.columns) == 1 else None)
        if column is None:
            continue
        carried = False
        for item in section.items:
            value = item.value(column)
            if value is None:
                continue
            if item.role == "carryover":
                carried = True
            key = {"total": "src:current", "grand_total": "src:grand", "carryover": "src:carryover"}.get(item.role)
            if key == "src:carryover" and has_any(clean(item.label), vocab()["opening_balance_rows"]):
                key = "src:opening"  # 年初结转和结余: carry-over and balances, not the 上年结转 a narrative names
            if key:
                found.append(Entry(key, "income", funds, "-", cell(value, item.label, column.label)))
            elif (source := column_key(clean(item.label))) in SOURCE_KEYS:
                found.append(
                    Entry(
                        f"{'carry' if carried else 'src'}:{source}", "income", "-", "-", cell(value, item.label, column.label)
                    )
                )
    return found


def _income_summary_totals(table: BudgetTable, cell: CellMaker) -> list[Entry]:
    """The 收入总表's total row read by source column."""
    found = []
    for section in table.sections:
        totals = section.rows("total")
        if not totals:
            continue
        for column in section.columns:
            value = totals[0].value(column)
            if value is None:
                continue
            carried = _carried_over(column)
            if column.key == "carryover" or (column.key == "total" and carried):
                key, funds = "src:carryover", "all"
            elif column.key == "total":
                current = has_any(column.label, vocab()["current_headers"])
                key, funds = ("src:current" if current else "src:grand"), "all"
            elif column.key in SOURCE_KEYS:
                key, funds = f"{'carry' if carried else 'src'}:{column.key}", "-"
            else:
                continue
            found.append(Entry(key, "income", funds, "-", cell(value, totals[0].label, column.label)))
    return found


# --- comparing the tables ---------------------------------------------------


def table_links(entries: Sequence[Entry], scope: Scope) -> list[Link]:
    """Every table amount judged against the other tables' copies of it (equal keys only), and each
    part against its whole (人员经费 no more than 基本支出)."""
    groups: dict[QuantityKey, dict[int, Amount]] = defaultdict(dict)
    for entry in entries:
        if not entry.empty:
            groups[scope.key(entry)].setdefault(id(entry.amount.table), entry.amount)
    links: list[Link] = []
    for members in groups.values():
        if len(members) >= 2:
            links += consensus("table", sorted(members.values(), key=lambda a: a.order))
    return links + composition_links(groups)


def composition_links(groups: Mapping[QuantityKey, Mapping[int, Amount]]) -> list[Link]:
    """Each part stated in one table judged against its whole stated in another: no larger than it."""
    links = []
    for key, members in groups.items():
        for part, whole in vocab()["compositions"]:
            wholes = groups.get(replace(key, part=whole)) if key.part == part else None
            if not wholes:
                continue
            subject, reference = _best(list(members.values())), _best(list(wholes.values()))
            if subject.table is not reference.table and subject.in_yuan().lo > reference.in_yuan().hi:
                links.append(Link("part", subject, (reference,), "exceeds"))
    return links


def _best(amounts: Sequence[Amount]) -> Amount:
    """The statement most others agree with (the earliest on a tie)."""
    ordered = sorted(amounts, key=lambda a: a.order)
    spans = [a.in_yuan() for a in ordered]
    return ordered[max(range(len(ordered)), key=lambda i: (sum(spans[i].overlaps(t) for t in spans), -i))]


def consensus(kind: str, amounts: Sequence[Amount]) -> list[Link]:
    """Judge each of ``amounts`` (in document order) against the best-supported value among them.

    The value most others agree with is the reference (the earliest wins a
    tie); the statements agreeing with it agree, each other one is judged
    against them.
    """
    spans = [a.in_yuan() for a in amounts]
    best = amounts.index(_best(amounts))
    agreeing = [i for i, s in enumerate(spans) if s.overlaps(spans[best])]
    links = []
    for i, subject in enumerate(amounts):
        if i in agreeing:
            others = tuple(amounts[j] for j in agreeing if j != i)
            if others:
                links.append(Link(kind, subject, others, "agree"))
            continue
        status, scale, kept = judge(subject, [amounts[j] for j in agreeing])
        links.append(Link(kind, subject, kept, status, scale))
    return links


# --- the narrative ------------------------------------------------------------


class Resolver:
    """Finds the table entries a narrative subject names: by vocabulary, else by row label."""

    def __init__(self, entries: Sequence[Entry], scope: Scope):
        self.entries = entries
        self.scope = scope
        self.targets: dict[str, int] = {}
        for number, target in enumerate(vocab()["targets"]):
            for subject in target["subjects"]:
                self.targets.setdefault(clean(subject), number)
        self.labels: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            head = entry.key.partition(":")[0]
            source_row = head in ("src", "carry") and entry.key.partition(":")[2] not in SUMMARY_KEYS
            if (head in ("c", "n", "e", "p") or source_row) and clean(entry.amount.label):
                self.labels[clean(entry.amount.label)].append(entry)

    def name(self, subject: str) -> str | None:
        """The quantity ``subject`` names: a target number or a row label; None if unknown."""
        for variant in variants(subject):
            if variant in self.targets:
                return f"target:{self.targets[variant]}"
            if variant in self.labels:
                return f"label:{variant}"
        return None

    def entries_for(self, name: str | None, funds: str = "all") -> list[Entry]:
        """The entries ``name`` names; its all-funds amounts are those of ``funds`` (a section's: 财政拨款…)."""
        if name is None:
            return []
        kind, _, value = name.partition(":")
        if kind == "label":
            return list(self.labels[value])
        cells = vocab()["targets"][int(value)]["cells"]
        return self.cells([[key, part, funds if scope == "all" else scope] for key, part, scope in cells])

    def cells(self, cells: Sequence[Sequence[str]]) -> list[Entry]:
        """Entries matching any [key, part, funds] of ``cells`` (funds compared after widening)."""
        return [
            entry
            for key, part, funds in cells
            for entry in self.entries
            if entry.key == key
            and entry.part == part
            and (funds == "*" or self.scope.funds(entry.funds) == self.scope.funds(funds))
        ]


_LEADING_YEAR = regex.compile(r"^(?:19|20)\d{2}年?度?")


def variants(subject: str) -> Iterator[str]:
    """``subject`` (without a leading year), then with leading qualifiers (本年, 部门, 涉及…) dropped one by one."""
    text = _LEADING_YEAR.sub("", clean(subject))
    yield text
    prefixes = vocab()["strip_prefixes"]
    while True:
        prefix = next((p for p in prefixes if text.startswith(p) and len(text) > len(p)), None)
        if prefix is None:
            return
        text = text[len(prefix) :]
        yield text


def count_target(subject: str) -> str | None:
    """'projects' or 'forms' when a counted subject is the number of projects or of their forms."""
    text = clean(subject)
    if text.endswith(tuple(vocab()["form_count_endings"])):
        return "forms"
    if text.endswith(tuple(vocab()["project_count_endings"])) and not text.endswith(tuple(vocab()["first_level_projects"])):
        return "projects"
    return None


def section_titles(document: Document) -> list[str]:
    """For each paragraph (in document order), the heading it sits under ('' before any)."""
    titles, current = [], ""
    for block in document.blocks():
        if isinstance(block, Heading):
            current = clean(block.text)
        elif isinstance(block, Paragraph):
            titles.append(current)
    return titles


def section_of(fact: Fact, titles: Sequence[str]) -> str:
    """The heading the paragraph of ``fact`` sits under ('' before any)."""
    return titles[fact.paragraph] if fact.paragraph < len(titles) else ""


def fact_amount(fact: Fact, titles: Sequence[str]) -> Amount:
    """A narrative money fact as a statement, located under its section and subject."""
    section = section_of(fact, titles)
    return Amount(
        fact.quantity.value,
        format_decimal(fact.quantity.value),
        fact.quantity.unit,
        fact.location.with_logical(section, fact.subject),
        section,
        fact.subject,
    )


def is_money(fact: Fact) -> bool:
    return fact.relation == "amount" and fact.quantity.unit in MONEY_FACTORS


def follows(fact: Fact, paragraphs: Sequence[Paragraph], words: Sequence[str]) -> bool:
    """True if the text right after the number and unit (a bracket aside skipped) starts with one of ``words``."""
    if fact.offset < 0 or fact.paragraph >= len(paragraphs):
        return False
    text = clean(paragraphs[fact.paragraph].text[fact.offset :])
    match = _NUMBER_AND_UNIT.match(text)
    return bool(match) and match.group("unit") == fact.quantity.unit and text[match.end() :].startswith(tuple(words))


_NUMBER_AND_UNIT = regex.compile(r"[-−]?[\d,]+(?:\.\d+)?(?P<unit>亿元|万元|元)(?:[（(][^）)]{0,8}[）)])?")
_CLAUSE_START = regex.compile(r"[，,。；;：:！？!?]")
_YEAR = regex.compile(r"(20\d{2})\s*年")


def clause_of(fact: Fact, paragraphs: Sequence[Paragraph]) -> str:
    """The words of the clause stating the fact, up to its number ('' if unknown)."""
    if fact.offset < 0 or fact.paragraph >= len(paragraphs):
        return ""
    return _CLAUSE_START.split(paragraphs[fact.paragraph].text[: fact.offset])[-1]


def other_period(fact: Fact, paragraphs: Sequence[Paragraph], year: int | None) -> bool:
    """True if the clause stating the fact names another year (2025年…, 上年预算…) than the budget's."""
    clause = clause_of(fact, paragraphs)
    if has_any(clean(clause), vocab()["other_period_words"]):
        return True
    years = {int(y) for y in _YEAR.findall(clause)}
    return year is not None and bool(years) and year not in years


def of_category(fact: Fact, paragraphs: Sequence[Paragraph]) -> bool:
    """True if the fact's sentence names a classification item (检察（款）, 住房保障支出（类）) before it."""
    return sentence_has(fact, paragraphs, vocab()["category_marks"], before=True)


def sentence_has(fact: Fact, paragraphs: Sequence[Paragraph], words: Sequence[str], before: bool = False) -> bool:
    """True if the fact's sentence (with ``before``: up to the fact) holds one of ``words`` (after NFKC)."""
    if fact.offset < 0 or fact.paragraph >= len(paragraphs):
        return False
    text = paragraphs[fact.paragraph].text
    start, end = next(((s, e) for s, e in sentences(text) if s <= fact.offset < e), (0, len(text)))
    return has_any(clean(text[start : fact.offset if before else end]), words)


def narrative_facts(budget: BudgetModel, document: Document) -> Iterator[tuple[Fact, Fact | None]]:
    """The narrative money amounts about this budget's year, each with the fact stated just before it."""
    paragraphs = list(document.paragraphs())
    previous: Fact | None = None
    for fact in budget.facts:
        if is_money(fact) and not other_period(fact, paragraphs, budget.metadata.year):
            yield fact, previous
        previous = fact


def narrative_links(budget: BudgetModel, document: Document, resolver: Resolver) -> list[Link]:
    """Each narrative money amount that names a table amount of its stage and year, judged against it."""
    titles = section_titles(document)
    paragraphs = list(document.paragraphs())
    stages = Stages.of(budget)
    links = []
    listed = item_parts(budget)
    for fact, previous in narrative_facts(budget, document):
        if _of_item(fact, listed, resolver):
            continue
        name = resolver.name(narrative_subject(fact, previous, resolver))
        if name and name.startswith("target:") and of_category(fact, paragraphs):
            continue  # 检察（款）：预算支出合计… is the 款's amount, not the department's
        if sentence_has(fact, paragraphs, vocab()["evaluation_words"]):
            continue  # 对3个项目开展评价，涉及一般公共预算支出…: the money evaluated, not a total
        quantity = (stages.stage(clause_of(fact, paragraphs)), stages.year)
        section = section_of(fact, titles)
        found = of_stage(resolver.entries_for(name, section_funds(section)), *quantity)
        if name and name.startswith("label:") and not has_any(clean(section), vocab()["basic_section_words"]):
            found = [e for e in found if e.part not in vocab()["basic_parts"]]  # a basic-spending row is a part
        if not found and _after_project_count(fact, previous):
            found = of_stage(resolver.cells(vocab()["count_amount_cells"]), *quantity)
        if found:
            amount = replace(fact_amount(fact, titles), quantity=resolver.scope.key(found[0]))  # the key they share
            links.append(_link("narrative", amount, with_carried(found, resolver.entries)))
    return _one_scope(links)


def _one_scope(links: Sequence[Link]) -> list[Link]:
    """The links but those of a quantity the narrative states with more than two values, or with two that both differ.

    A disclosure of several units may describe each in a section of its own
    (项目支出 2611.52万元 for one unit, 7169.48万元 for the next; a project name two
    units share): such statements speak of a unit, not of the table amount.
    """
    grouped: dict[object, list[Link]] = defaultdict(list)
    for link in links:
        grouped[link.subject.quantity].append(link)

    def one_scope(group: list[Link]) -> bool:
        values = len(_distinct([link.subject for link in group]))
        return values < 2 or values == 2 and any(link.status == "agree" for link in group)

    return [link for link in links if one_scope(grouped[link.subject.quantity])]


def _of_item(fact: Fact, listed: Mapping[int, Fact], resolver: Resolver) -> bool:
    """True if ``fact`` is a part of a numbered item that is a project (a row of a 项目支出表) or names no
    quantity of the tables: the part is the project's, not the department's."""
    item = listed.get(id(fact))
    if item is None:
        return False
    name = resolver.name(strip_numbering(item.subject)[0])
    return all(entry.key.startswith("p:") for entry in resolver.entries_for(name))


def with_carried(found: Sequence[Entry], entries: Sequence[Entry]) -> list[Amount]:
    """The amounts of ``found``, and each income source's with the same source's carry-over in its table
    added (a narrative's 一般公共预算收入 may count the 一般公共预算 money carried over)."""
    amounts = [e.amount for e in found]
    for entry in found:
        head, _, source = entry.key.partition(":")
        if head != "src":
            continue
        carried = [e.amount for e in entries if e.key == f"carry:{source}" and e.amount.table is entry.amount.table]
        if carried:
            value = entry.amount.value + sum(a.value for a in carried)
            column = " + ".join([entry.amount.column, *(a.column for a in carried)])
            amounts.append(replace(entry.amount, value=value, text=format_decimal(value), column=column))
    return amounts


def section_funds(section: str) -> str:
    """The funds a narrative section speaks of by its heading (三、财政拨款支出情况说明: fiscal), else all."""
    text = clean(section)
    return next((funds for word, funds in vocab()["section_funds"] if word in text), "all")


def of_stage(entries: Iterable[Entry], stage: str, year: int | None) -> list[Entry]:
    """The entries of ``stage`` and ``year`` from tables that state data (never an empty one)."""
    return [e for e in entries if e.stage == stage and e.year == year and not e.empty]


def narrative_subject(fact: Fact, previous: Fact | None, resolver: Resolver) -> str:
    """The subject a narrative amount names: its own, else without its stage words when that names a
    quantity of the vocabulary (三公经费决算数 → 三公经费); a bare one (支出决算 → 支出) takes the subject
    of the amount before it in the sentence when that ends alike (…财政拨款支出年初预算为A，支出决算为B:
    both name …财政拨款支出)."""
    if resolver.name(fact.subject) is not None:
        return fact.subject
    bare = without_stage(fact.subject)
    if len(bare) < MIN_SUBJECT and previous is not None and is_money(previous):
        same_sentence = (previous.paragraph, previous.sentence) == (fact.paragraph, fact.sentence)
        before = without_stage(previous.subject)
        bare = before if same_sentence and before.endswith(bare) else bare
    # only a named quantity (预算支出总计, 三公经费…): a row label with 预算 after it (某单位预算) is no row
    return bare if (resolver.name(bare) or "").startswith("target:") else fact.subject


def restatement_links(budget: BudgetModel, document: Document, resolver: Resolver) -> list[Link]:
    """Narrative amounts no table states, judged against the narrative's other statements of them.

    Statements group by the quantity they name (or their subject); general
    subjects (金额, 资金), short ones and thresholds (50万元以上) are left out,
    and so is a subject stated with more than two values: that is a label
    repeated down a list (预算安排…), not one quantity restated.  A sentence
    that gives one subject two values speaks of two scopes (整体支出涉及财政性资金
    A；项目涉及财政性资金合计B): such a subject is left out too.  A part after
    其中 is grouped with the parts of the same whole only.
    """
    titles = section_titles(document)
    paragraphs = list(document.paragraphs())
    groups: dict[str, list[Amount]] = defaultdict(list)
    places: dict[str, list[tuple[Fact, Interval]]] = defaultdict(list)
    listed = item_parts(budget)
    for fact, previous in narrative_facts(budget, document):
        if _of_item(fact, listed, resolver):
            continue
        name = resolver.name(fact.subject)
        if resolver.entries_for(name) or _after_project_count(fact, previous):
            continue  # a table arbitrates
        subject = next(variants(fact.subject))
        general = (len(subject) < MIN_SUBJECT or any(v in vocab()["generic_subjects"] for v in variants(subject))
                   or stage_only(subject))
        if (name is None and general) or follows(fact, paragraphs, vocab()["threshold_words"]):
            continue
        amount = fact_amount(fact, titles)
        key = f"{name or subject}/{_whole(fact, previous, paragraphs)}"
        groups[key].append(amount)
        places[key].append((fact, amount.in_yuan()))
    links: list[Link] = []
    for key, amounts in groups.items():
        if len(amounts) >= 2 and len(_distinct(amounts)) == 2 and not _two_scopes(places[key], paragraphs):
            links += consensus("restated", amounts)
    return links


def _whole(fact: Fact, previous: Fact | None, paragraphs: Sequence[Paragraph]) -> str:
    """The amount ``fact`` is a part of (…资金235万元，其中财政拨款235万元), '' if it is none's.

    Parts of different wholes are different quantities under one name.
    """
    if previous is None or not is_money(previous) or previous.paragraph != fact.paragraph:
        return ""
    between = paragraphs[fact.paragraph].text[previous.offset:fact.offset]
    return str(previous.quantity.value) if has_any(between, pack("arithmetic.toml")["breakdown"]["markers"]) else ""


def _two_scopes(places: Sequence[tuple[Fact, Interval]], paragraphs: Sequence[Paragraph]) -> bool:
    """True if one sentence (to its 。, across ；) states the subject with two values that do not overlap."""
    for (first, a), (second, b) in combinations(places, 2):
        if first.paragraph == second.paragraph and not a.overlaps(b):
            start, end = sorted((first.offset, second.offset))
            if not any(stop in paragraphs[first.paragraph].text[start:end] for stop in FULL_STOPS):
                return True
    return False


def _distinct(amounts: Sequence[Amount]) -> list[Interval]:
    """The distinct values among ``amounts`` (overlapping ones counted once)."""
    found: list[Interval] = []
    for span in (a.in_yuan() for a in amounts):
        if not any(span.overlaps(other) for other in found):
            found.append(span)
    return found


def _after_project_count(fact: Fact, previous: Fact | None) -> bool:
    """An amount such as 共计金额 right after a count of all projects (二级项目18个) in one sentence."""
    if previous is None or previous.relation != "count" or count_target(previous.subject) is None:
        return False
    same_sentence = previous.paragraph == fact.paragraph and previous.sentence == fact.sentence
    return same_sentence and any(v in vocab()["count_amounts"] for v in variants(fact.subject))


def form_field_links(budget: BudgetModel, resolver: Resolver) -> list[Link]:
    """The amounts of a 整体支出绩效目标表 (合计, 基本支出…) judged against the tables of the document's stage."""
    stages = Stages.of(budget)
    links = []
    for form in budget.forms:
        if form.scope != "department":
            continue
        declared = _declares_unit(form)
        for label, (text, location) in form.fields.items():
            value = amount(text)
            name = clean(label).removeprefix("其中:")
            if value is None:
                continue
            if name in vocab()["form_totals"]:
                found = resolver.cells(vocab()["form_total_cells"])
            else:
                found = resolver.entries_for(resolver.name(name))
            found = of_stage(found, stages.default, stages.year)
            if found:
                statement = Amount(
                    value, text, form.unit, location, form.title, name, confident=form.confident and declared
                )
                links.append(_link("form_field", statement, [e.amount for e in found]))
    return links


def _declares_unit(form: PerformanceForm) -> bool:
    """True if the form names its money unit, e.g. 资金总额(万元) or 项目资金（元）."""
    marks = (f"({form.unit})", f"（{form.unit}）")
    return any(
        mark in clean(text) or mark in label for label, (text, _) in form.fields.items() for mark in marks
    ) or any(mark in form.title for mark in marks)


def project_form_links(budget: BudgetModel) -> list[Link]:
    """Each project 绩效目标表's 年度资金总额 judged against its line in the 项目支出表 (same name only)."""
    units = Units(budget)
    by_name: dict[str, list[Amount]] = defaultdict(list)
    for project in budget.projects:
        unit, declared = units.of(project.table)
        if project.amount is None or not unit:
            continue
        value = project.amount
        by_name[clean(project.name)].append(
            Amount(
                value.amount if value.amount is not None else ZERO,
                value.text,
                unit,
                value.location,
                project.table.title,
                project.name,
                "",
                project.table,
                project.table.confident and declared,
            )
        )
    links = []
    for form in budget.forms:
        annual = form.funds.get("annual_total")
        projects = by_name.get(clean(form.name))
        if form.scope != "project" or annual is None or annual.amount is None or not projects:
            continue
        field_name = annual.location.logical[-1] if annual.location.logical else ""
        statement = Amount(
            annual.amount, annual.text, form.unit, annual.location, form.name, field_name, confident=form.confident
        )
        links.append(_link("project_form", statement, projects))
    return links


def _link(kind: str, subject: Amount, references: Sequence[Amount]) -> Link:
    unique = list({r.location: r for r in references}.values())
    status, scale, kept = judge(subject, unique)
    return Link(kind, subject, kept, status, scale)


# --- everything at once -------------------------------------------------------


@dataclass(frozen=True)
class Slip:
    """A table whose amounts all match the other statements only after ``factor``: its unit is off."""

    table: BudgetTable
    factor: Decimal
    links: tuple[Link, ...]


@dataclass
class CrossReferences:
    """Every cross-reference of one document, judged."""

    entries: list[Entry]
    scope: Scope
    resolver: Resolver
    links: list[Link]

    def of_kind(self, *kinds: str) -> list[Link]:
        return [link for link in self.links if link.kind in kinds]

    @cached_property
    def unit_slips(self) -> dict[int, Slip]:
        """Tables (by id) whose every compared amount is off by one factor: their declared unit is wrong.

        A table votes through the links it is the subject of and through the
        narrative and form statements that name it; it needs two votes, all
        scaled by the same factor (seen from the table).
        """
        votes: dict[int, list[tuple[Decimal | None, Link]]] = defaultdict(list)
        tables: dict[int, BudgetTable] = {}
        for link in self.links:
            if link.subject.value == 0 or link.kind == "part":
                continue
            if link.subject.table is not None:
                tables[id(link.subject.table)] = link.subject.table
                votes[id(link.subject.table)].append((link.scale if link.status == "scaled" else None, link))
                continue
            for ref in {id(r.table): r for r in link.references if r.table is not None}.values():
                tables[id(ref.table)] = ref.table
                votes[id(ref.table)].append((1 / link.scale if link.status == "scaled" else None, link))
        slips = {}
        for key, found in votes.items():
            factors = {factor for factor, _ in found}
            if len(found) >= 2 and len(factors) == 1 and None not in factors:
                slips[key] = Slip(tables[key], factors.pop(), tuple(link for _, link in found))
        return slips

    def explained_by_slip(self, link: Link) -> bool:
        """True if a scaled link is the doing of a table whose whole unit is off."""
        if link.subject.table is not None:
            return id(link.subject.table) in self.unit_slips
        return any(id(r.table) in self.unit_slips for r in link.references if r.table is not None)


_last: list[Any] = [None, None]


def cross_references(budget: BudgetModel, document: Document) -> CrossReferences:
    """The cross-references of ``budget``, computed once per document and shared by the rules."""
    ref, cached = _last
    if ref is not None and ref() is budget:
        return cached
    entries = table_entries(budget)
    scope = Scope.of(entries)
    resolver = Resolver(entries, scope)
    links = (
        table_links(entries, scope)
        + narrative_links(budget, document, resolver)
        + restatement_links(budget, document, resolver)
        + form_field_links(budget, resolver)
        + project_form_links(budget)
    )
    result = CrossReferences(entries, scope, resolver, links)
    _last[:] = [weakref.ref(budget), result]
    return result

"""The budget model: the recognised content of one disclosure.

Recognisers (the ``budgetlint_enrich`` hook) fill it in; rules read it and
never the source.  Every value keeps its location, whose logical path
(table title › row label › column header) names it for reviewers and for
fingerprints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import regex

from budgetlint.budget.arithmetic import Arithmetic
from budgetlint.budget.vocabulary import pack
from budgetlint.document import Document, Table
from budgetlint.location import Location
from budgetlint.numbers import MONEY_FACTORS, Interval, Quantity, is_blank

if TYPE_CHECKING:
    from budgetlint.budget.lineitems import LineItem

_ONE_YEAR = regex.compile(r"(?<!\d)1年|一年|一次性")
_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_DIGIT = regex.compile(r"\d")


@dataclass(frozen=True)
class Value:
    """One table cell read as an amount.

    ``amount`` is None for a blank cell and for one whose text is not an
    amount; the latter is ``unknown``, never zero.
    """

    amount: Decimal | None
    text: str
    location: Location

    @property
    def interval(self) -> Interval:
        """The stated interval; a blank cell is exactly zero."""
        return Interval.stated(self.amount) if self.amount is not None else Interval.exact(Decimal(0))

    @property
    def is_blank(self) -> bool:
        return self.amount is None

    @property
    def unknown(self) -> bool:
        """The cell holds text that is not an amount (two numbers run together, a word)."""
        return self.amount is None and not is_blank(self.text)


@dataclass(frozen=True)
class Column:
    """A value column: its header path (top to bottom) and semantic key (total, basic…)."""

    index: int
    header: tuple[str, ...]
    key: str

    @property
    def label(self) -> str:
        return "/".join(self.header)


@dataclass
class Item:
    """A labelled row of one section of a table.

    ``role`` is "item", "total" (合计, 本年收入合计), "grand_total" (收入总计) or
    "carryover" (上年结转).  ``code`` is a classification code when the row has
    one; ``level`` is the depth in its hierarchy (1 = 类 or a 一、 item).
    ``ordinal`` is the level its numbering alone gives (一、 1, （一） 2, ① 3; 0
    unnumbered) and ``indent`` how far its label is indented (see ``Cell.indent``).
    ``period`` is the year (2026年) or change (增减变化金额) a stacked table
    states the row for, '' in the usual table of one period.
    """

    label: str
    code: str
    level: int
    role: str
    row_index: int
    values: dict[int, Value]
    location: Location
    ordinal: int = 0
    indent: float = 0.0
    period: str = ""

    def value(self, column: Column) -> Value | None:
        return self.values.get(column.index)


@dataclass
class Section:
    """A label column with the value columns that belong to it.

    Two-sided summary tables have an income and an expense section.
    """

    side: str
    label_column: int
    columns: list[Column]
    items: list[Item] = field(default_factory=list)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def rows(self, role: str) -> list[Item]:
        return [i for i in self.items if i.role == role]


@dataclass
class BudgetTable:
    """A recognised standard table."""

    kind: str
    title: str
    title_location: Location
    unit: str
    table: Table = field(repr=False)
    header_rows: int
    sections: list[Section]
    empty_note: Location | None = None
    notes: tuple[str, ...] = ()  # the notes under the table (注：…, 说明：…)

    @property
    def has_data(self) -> bool:
        return any(not v.is_blank and v.amount != 0 for s in self.sections for i in s.items for v in i.values.values())

    @property
    def confident(self) -> bool:
        return self.table.confidence >= 1.0

    def items(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for item in section.items:
                yield section, item


@dataclass(frozen=True)
class Indicator:
    """One performance indicator: 一级 › 二级 › 三级 and its target value for one period."""

    level1: str
    level2: str
    name: str
    value: str
    quantity: Quantity | None
    period: str
    location: Location
    unit: str = ""  # a unit stated apart from the value: a 度量单位 column, or a bracket ending the 三级 name
    qualitative: bool = False  # its 指标性质 says 定性: the value is a grade (优, 良), whatever the type

    @property
    def target(self) -> str:
        """The value with its separately stated unit: ≤300 in 元/天 reads ≤300元/天."""
        if self.unit and self.quantity is not None and not self.quantity.unit:
            return f"{self.value}{self.unit}"
        return self.value


@dataclass
class PerformanceForm:
    """A 绩效目标表: a project's form, or the department-level (整体支出) form."""

    scope: str
    title: str
    location: Location
    name: str = ""
    name_location: Location | None = None
    fields: dict[str, tuple[str, Location]] = field(default_factory=dict)
    funds: dict[str, Value] = field(default_factory=dict)
    fund_parts: dict[str, dict[str, Value]] = field(default_factory=dict)  # total key → its 其中 parts by label
    goals: list[tuple[str, Location]] = field(default_factory=list)  # the 实施期 goal, then the 年度 goal
    indicators: list[Indicator] = field(default_factory=list)
    unit: str = "元"
    unit_declared: bool = False  # the unit was stated (单位：万元, 项目资金（万元）), not assumed
    listed: bool = False  # read from a table listing every project's chosen indicators, not from a template
    confident: bool = True  # False when the form's table structure was inferred (Table.confidence < 1)

    @property
    def one_year(self) -> bool:
        """A one-year project, by its 项目期/项目属性 fields (1年, 一年, 一次性项目)."""
        text = " ".join(t for label, (t, _) in self.fields.items() if "项目期" in label or "项目属性" in label)
        return bool(_ONE_YEAR.search(text))

    def within(self, year: int) -> bool:
        """The form's 实施期 (or 项目期, 起止时间) names ``year`` and no other year: the project ends with it."""
        labels = pack("indicators.toml")["period_labels"]
        text = " ".join(t for label, (t, _) in self.fields.items() if any(w in label for w in labels))
        years = {int(y) for y in _YEAR.findall(text)}
        return years == {year}

    @property
    def blank(self) -> bool:
        """A template nobody filled in: no project name, no amount, no indicator value, no figure in a field."""
        stated = any(v.amount for v in self.funds.values()) or any(i.value for i in self.indicators)
        figures = any(_DIGIT.search(text) for text, _ in self.fields.values())
        return not self.name and not stated and not figures


@dataclass(frozen=True)
class Project:
    """A project as listed in a 项目支出表."""

    name: str
    amount: Value | None
    unit: str
    location: Location
    table: BudgetTable = field(repr=False)


@dataclass(frozen=True)
class Fact:
    """A number stated in the narrative, tied to what it talks about.

    ``subject`` is the phrase the number belongs to (基本支出); ``relation`` says
    how (amount, share 占, change 增加/减少, rate 增长/下降, count).  ``base`` is
    the amount a share or change refers to, when the sentence states it.
    ``offset`` is where the number starts in its paragraph's text (-1 if unknown).
    """

    relation: str
    subject: str
    quantity: Quantity
    location: Location
    sentence: str
    paragraph: int
    base: Fact | None = None
    offset: int = -1

    def in_unit(self, unit: str) -> Interval:
        """A money fact's interval in ``unit``; other facts as stated."""
        if self.quantity.unit in MONEY_FACTORS and unit in MONEY_FACTORS:
            return self.quantity.in_unit(unit)
        return self.quantity.interval


@dataclass
class Metadata:
    year: int | None = None
    department: str = ""
    kind: str = ""
    final_account: bool = False
    rounding_note: bool = False


@dataclass
class BudgetModel:
    """What recognisers found in a document."""

    document: Document = field(repr=False)
    metadata: Metadata = field(default_factory=Metadata)
    tables: list[BudgetTable] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    forms: list[PerformanceForm] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    line_items: list[LineItem] = field(default_factory=list)  # the narrative's 类/款/项 items, tied to table rows
    arithmetic: Arithmetic = field(default_factory=Arithmetic)
    unrecognised: list[Table] = field(default_factory=list, repr=False)  # tables of no known kind

    def tables_of(self, *kinds: str) -> list[BudgetTable]:
        return [t for t in self.tables if t.kind in kinds]

    @property
    def understood_tables(self) -> list[BudgetTable]:
        """The tables whose arithmetic was not withheld as misread: the ones other checks may read from."""
        withheld = {id(w.table) for w in self.arithmetic.withheld}
        return [t for t in self.tables if id(t) not in withheld]

    @property
    def is_budget(self) -> bool:
        return bool(self.tables or self.forms)

"""SUM: arithmetic within the tables, and breakdowns stated in the narrative.

SUM001 a row differs from the sum of its sub-rows (功能分类 类 = Σ款 = Σ项,
经济分类 类 = Σ款, 公务用车购置及运行费 = 购置费 + 运行维护费);
SUM002 a total row differs from the sum of the top-level rows;
SUM003 a total column differs from the sum of its component columns
(合计 = 基本支出 + 项目支出, 基本 = 人员 + 公用, 合计 = Σ funding sources);
SUM004 a summary table does not balance (收入总计 = 本年收入合计 + 上年结转,
支出 likewise, 收入总计 = 支出总计);
SUM005 a group row of a project table differs from the sum of its projects;
SUM006 a sum inside the department performance form (head counts, funds);
SUM007 a breakdown in the narrative (总额…，其中：…) does not reach its total;
SUM008 (info) the rounding tails seen, grouped, when the document does not explain them.

A stated value is the interval ±½ unit of its last decimal; a sum is
consistent when the intervals overlap (XBRL Calculations 1.1), so a rounding
tail is never an error.  A formula that fails on most rows of a table, in
ways no single wrong cell explains, means the structure was misread: the
table is then left alone.  Vocabularies are data in ``budgetlint_rules/sum.toml``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import regex

from budgetlint.budget.model import BudgetModel, BudgetTable, Column, Fact, Item, PerformanceForm, Section
from budgetlint.budget.plugin import group_rows
from budgetlint.budget.text import clean, is_code
from budgetlint.budget.vocabulary import has_any, pack
from budgetlint.document import Block, Paragraph
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location
from budgetlint.numbers import Interval, find_quantities, format_decimal, parse_quantity, total
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

ZERO = Decimal(0)
SHOWN_TAILS = 3
SHOWN_PARTS = 8
CONTINUATION_PARAGRAPHS = 12
PROJECT_KINDS = ("project_expense",)


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {code: _checker(code) for code in GENERATORS}
    checks["SUM008"] = check_rounding_tails
    return rules_from_catalogue("budgetlint_plugins", "sum.toml", checks)


def vocab() -> Mapping[str, Any]:
    return pack("sum.toml")


# --- equations ------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One number of a sum; ``amount`` None is a blank cell, read as exactly 0."""

    label: str
    amount: Decimal | None
    location: Location
    exact: bool = False  # counts of people or projects are exact, not rounded
    row: int | None = None  # the table row the number sits in (an Item's identity), if any

    @property
    def place(self) -> object:
        """Where a wrong number would be: its table row, else its own location."""
        return self.location if self.row is None else self.row

    @property
    def interval(self) -> Interval:
        if self.amount is None:
            return Interval.exact(ZERO)
        return Interval.exact(self.amount) if self.exact else Interval.stated(self.amount)

    @property
    def value(self) -> Decimal:
        return self.amount if self.amount is not None else ZERO

    @property
    def text(self) -> str:
        return format_decimal(self.value)


@dataclass(frozen=True)
class Equation:
    """``total`` = Σ ``parts``, as one rule checks it.

    Equations of one ``group`` (a table, for one rule) are judged together;
    ``partial`` parts may be an incomplete list, so only an excess counts;
    a shortfall is an error only when ``certain_shortfall``.
    """

    code: str
    subject: str
    total: Term
    parts: tuple[Term, ...]
    confident: bool
    group: tuple[object, ...] | None = None
    variant: str = "default"
    partial: bool = False
    certain_shortfall: bool = True

    @property
    def computed(self) -> Interval:
        return total(part.interval for part in self.parts)

    @property
    def stated_sum(self) -> Decimal:
        return sum((part.value for part in self.parts), ZERO)

    @property
    def trivial(self) -> bool:
        return self.total.value == 0 and all(part.value == 0 for part in self.parts)

    @property
    def excess(self) -> bool:
        return self.computed.lo > self.total.interval.hi

    @property
    def consistent(self) -> bool:
        if self.partial:
            return not self.excess
        return self.computed.overlaps(self.total.interval)

    @property
    def tail(self) -> bool:
        """Consistent only thanks to rounding: the stated numbers do not add up exactly."""
        return self.consistent and not self.partial and self.stated_sum != self.total.value

    @property
    def severity(self) -> Severity:
        certain = self.confident and (self.excess or self.certain_shortfall)
        return Severity.ERROR if certain else Severity.WARNING


def judged(equations: Iterable[Equation]) -> list[Equation]:
    """Non-trivial equations, without the groups whose formula fails as a misread structure would.

    A group is dropped when most of its equations fail and no single row
    takes part in every failure (one wrong row breaks the sums above and
    below it, in every column; a misread table breaks unrelated sums
    everywhere).
    """
    groups: dict[tuple[object, ...], list[Equation]] = defaultdict(list)
    kept: list[Equation] = []
    for equation in equations:
        if equation.trivial:
            continue
        if equation.group is None:
            kept.append(equation)
        else:
            groups[equation.group].append(equation)
    for members in groups.values():
        failures = [e for e in members if not e.consistent]
        if len(failures) * 2 > len(members) and not _one_culprit(failures):
            continue
        kept += members
    return kept


def _one_culprit(failures: Sequence[Equation]) -> bool:
    places = Counter(
        place for e in failures for place in {t.place for t in (e.total, *e.parts) if t.amount is not None}
    )
    return bool(places) and places.most_common(1)[0][1] == len(failures)


def mismatches(equations: Iterable[Equation]) -> list[Equation]:
    return [e for e in judged(equations) if not e.consistent]


def report(ctx: RuleContext, equation: Equation) -> Finding:
    shown = [p for p in equation.parts if p.value != 0] or list(equation.parts[:1])
    texts = [p.text for p in shown] or ["0"]
    if len(texts) > SHOWN_PARTS:
        texts = [*texts[: SHOWN_PARTS - 2], "…", texts[-1]]
    expression = " + ".join(texts)
    difference = abs(equation.total.value - equation.stated_sum)
    total_interval, computed = equation.total.interval, equation.computed
    return ctx.report(
        equation.total.location,
        variant=equation.variant,
        related=[p.location for p in shown if p.location != equation.total.location],
        severity=equation.severity,
        evidence={
            "values": {"total": {equation.total.label: equation.total.value},
                       "parts": {p.label: p.value for p in equation.parts}},
            "formula": f"{equation.total.label} = " + " + ".join(p.label for p in equation.parts),
            "computed": {"lo": computed.lo, "hi": computed.hi},
            "tolerance": (total_interval.hi - total_interval.lo + computed.hi - computed.lo) / 2,
        },
        subject=equation.subject,
        total=equation.total.text,
        expression=expression,
        computed=format_decimal(equation.stated_sum),
        difference=format_decimal(difference),
    )


def _checker(code: str) -> Callable[[RuleContext], Iterable[Finding]]:
    def check(ctx: RuleContext) -> Iterable[Finding]:
        for equation in mismatches(GENERATORS[code](ctx.budget)):
            yield report(ctx, equation)

    check.__name__ = f"check_{code.lower()}"
    return check


# --- table helpers ----------------------------------------------------------


def name(item: Item) -> str:
    return " ".join(part for part in (item.code, item.label) if part)


def cell_name(item: Item, column: Column) -> str:
    """``201 一般公共服务支出 › 合计``; a one-row table's cell goes by its column alone."""
    return " › ".join(part for part in (name(item), column.label) if part)


def plain(label: str) -> str:
    """A label without its 其中 marker and colon, for vocabulary look-ups."""
    text = clean(label)
    for marker in vocab()["subset_markers"]:
        if text.startswith(marker):
            return text[len(marker):].lstrip(":：")
    return text


def is_subset(label: str) -> bool:
    return any(clean(label).startswith(m) for m in vocab()["subset_markers"])


def cell(item: Item, column: Column) -> Term:
    label = cell_name(item, column)
    value = item.value(column)
    if value is None:
        return Term(label, None, item.location, row=id(item))
    return Term(label, value.amount, value.location, row=id(item))


def additive_columns(table: BudgetTable, section: Section) -> list[Column]:
    """Columns of amounts; on a table recovered from layout, only those under a header."""
    words = vocab()["non_additive_headers"]
    return [
        c for c in section.columns
        if not any(has_any(h, words) for h in c.header) and (c.header or table.confident)
    ]


def column_equations(code: str, table: BudgetTable, section: Section, item: Item, parts: Sequence[Item]) -> Iterator[Equation]:
    """``item`` = Σ ``parts``, column by column."""
    for column in additive_columns(table, section):
        yield Equation(
            code,
            cell_name(item, column),
            cell(item, column),
            tuple(cell(part, column) for part in parts),
            table.confident,
            group=(code, id(table)),
        )


def levels(section: Section) -> dict[int, int]:
    """Row → level for the rows that add up; 其中 rows are left out unless named as parts.

    Named parts (公务用车购置费 under 公务用车购置及运行费) sit one level below
    their whole even when the table does not number them.
    """
    named = [({clean(w) for w in e["whole"]}, {clean(p) for p in e["parts"]}) for e in vocab()["named_parts"]]
    result: dict[int, int] = {}
    whole: tuple[set[str], int] | None = None
    for item in section.items:
        label = plain(item.label)
        if whole and label in whole[0]:
            result[item.row_index] = whole[1] + 1
            continue
        whole = next(((parts, item.level) for wholes, parts in named if label in wholes), None)
        if not is_subset(item.label):
            result[item.row_index] = item.level
    return result


def parents(section: Section) -> dict[int, Item | None]:
    """Each adding row's parent row (None at the top).  Non-item rows (合计, 上年结转) end a run."""
    level = levels(section)
    found: dict[int, Item | None] = {}
    stack: list[Item] = []
    for item in section.items:
        if item.role != "item":
            stack = []
            continue
        if item.row_index not in level:
            continue
        while stack and (level[stack[-1].row_index] >= level[item.row_index] or not _nests(stack[-1], item)):
            stack.pop()
        found[item.row_index] = stack[-1] if stack else None
        stack.append(item)
    return found


def _nests(parent: Item, child: Item) -> bool:
    """Classification codes nest by prefix (201 ⊃ 20132 ⊃ 2013250); rows without codes nest by level."""
    if is_code(parent.code) and is_code(child.code):
        return child.code.startswith(parent.code) and len(child.code) > len(parent.code)
    return True


@dataclass
class Region:
    """The rows between two total rows: top-level rows, and carryover rows with their breakdowns."""

    tops: list[Item]
    carryovers: list[tuple[Item, list[Item]]]


def region(section: Section, rows: Sequence[Item], tree: Mapping[int, Item | None]) -> Region:
    """Sort the top-level rows among ``rows``; those right after a 上年结转 row that
    repeat an earlier label, or sit deeper, break the carryover down."""
    result = Region([], [])
    earlier: set[str] | None = None  # labels above the open carryover row; None when none is open
    for item in rows:
        if item.role == "carryover":
            result.carryovers.append((item, []))
            earlier = {i.label for i in section.items if i.row_index < item.row_index}
            continue
        if item.role != "item" or tree.get(item.row_index, item) is not None:
            continue  # a total, a sub-row, or a 其中 row
        carryover = result.carryovers[-1][0] if earlier is not None else None
        if carryover is not None and (item.label in earlier or item.level > carryover.level):
            result.carryovers[-1][1].append(item)
        else:
            earlier = None
            result.tops.append(item)
    return result


def carryover_terms(carryovers: Sequence[tuple[Item, list[Item]]], column: Column) -> list[Term]:
    """A carryover row's value, or its breakdown when the row itself is blank."""
    terms = []
    for row, breakdown in carryovers:
        own = cell(row, column)
        if own.amount is None and breakdown:
            terms += [cell(part, column) for part in breakdown]
        else:
            terms.append(own)
    return terms


def marker_positions(section: Section) -> list[int]:
    return [n for n, item in enumerate(section.items) if item.role in ("total", "grand_total")]


def row_tables(budget: BudgetModel) -> Iterator[tuple[BudgetTable, Section]]:
    for table in budget.tables:
        if table.kind not in PROJECT_KINDS:
            for section in table.sections:
                yield table, section


# --- SUM001 sub-rows ----------------------------------------------------------


def subtotal_equations(budget: BudgetModel) -> Iterator[Equation]:
    for table, section in row_tables(budget):
        children: dict[int, list[Item]] = defaultdict(list)
        tree = parents(section)
        for item in section.items:
            parent = tree.get(item.row_index)
            if parent is not None:
                children[parent.row_index].append(item)
        for item in section.items:
            if children.get(item.row_index):
                yield from column_equations("SUM001", table, section, item, children[item.row_index])


# --- SUM002 total rows ----------------------------------------------------------


def total_row_equations(budget: BudgetModel) -> Iterator[Equation]:
    """A 合计 row = Σ the top-level rows before it (or after it, when it heads the table).

    A 总计 row with no 合计 before it also counts the carryover rows.
    """
    for table, section in row_tables(budget):
        tree = parents(section)
        markers = marker_positions(section)
        seen_total = False
        for k, position in enumerate(markers):
            item = section.items[position]
            start = markers[k - 1] + 1 if k else 0
            end = markers[k + 1] if k + 1 < len(markers) else len(section.items)
            if item.role == "grand_total" and seen_total:
                continue
            seen_total |= item.role == "total"
            rows = region(section, section.items[start:position], tree)
            if not rows.tops and item.role == "total":
                rows = region(section, section.items[position + 1:end], tree)
            if not rows.tops:
                continue
            for column in additive_columns(table, section):
                parts = [cell(top, column) for top in rows.tops]
                if item.role == "grand_total":
                    parts += carryover_terms(rows.carryovers, column)
                yield Equation(
                    "SUM002", cell_name(item, column), cell(item, column), tuple(parts),
                    table.confident, group=("SUM002", id(table)),
                )


# --- SUM003 column sums -------------------------------------------------------


def column_sums(table: BudgetTable, section: Section) -> list[tuple[Column, list[Column]]]:
    """Each total column with the columns that add up to it, read from the header paths.

    The components of a total are the columns under the same header group:
    one column per sub-group (its 小计 when it has one, else its leaves).
    A total is skipped when another total shares its group, when a
    component is unknown, or when the components mix families.
    """
    columns = additive_columns(table, section)
    sums = []
    for column in columns:
        if column.key != "total":
            continue
        prefix = column.header[:-1]
        under = [c for c in columns if c is not column and len(c.header) > len(prefix) and c.header[: len(prefix)] == prefix]
        if any(c.key == "total" and len(c.header) == len(column.header) for c in under):
            continue
        groups: dict[str, list[Column]] = defaultdict(list)
        for c in under:
            groups[c.header[len(prefix)]].append(c)
        parts: list[Column] = []
        for group, members in groups.items():
            if is_subset(group):
                continue
            parts += _group_parts(members, len(prefix) + 1)
        if parts and _one_family(parts):
            sums.append((column, parts))
    return sums


def _group_parts(members: list[Column], depth: int) -> list[Column]:
    single = [c for c in members if len(c.header) == depth]
    if single:
        return single[:1]
    subtotal = [c for c in members if c.key == "total" and len(c.header) == depth + 1]
    if subtotal:
        return subtotal[:1]
    return [
        c for c in members
        if not is_subset(c.header[-1]) and not any(o is not c and o.header[: len(c.header)] == c.header for o in members)
    ]


def _one_family(parts: list[Column]) -> bool:
    keys = {c.key for c in parts if c.key != "total"}
    return any(keys <= set(family) for family in vocab()["column_families"])


def column_sum_equations(budget: BudgetModel) -> Iterator[Equation]:
    for table in budget.tables:
        for section in table.sections:
            for column, parts in column_sums(table, section):
                for item in section.items:
                    yield Equation(
                        "SUM003",
                        cell_name(item, column),
                        cell(item, column),
                        tuple(cell(item, part) for part in parts),
                        table.confident,
                        group=("SUM003", id(table)),
                    )


# --- SUM004 summary tables -----------------------------------------------------


def balance_equations(budget: BudgetModel) -> Iterator[Equation]:
    """总计 = 本年合计 + 结转 (+ other rows between), 结转 = Σ its breakdown, 收入总计 = 支出总计."""
    for table, section in row_tables(budget):
        tree = parents(section)
        last_total: int | None = None
        for position, item in enumerate(section.items):
            if item.role == "total":
                last_total = position
            if item.role != "grand_total" or last_total is None:
                continue
            rows = region(section, section.items[last_total + 1:position], tree)
            subtotal = section.items[last_total]
            for column in additive_columns(table, section):
                parts = [cell(subtotal, column), *carryover_terms(rows.carryovers, column)]
                parts += [cell(top, column) for top in rows.tops]
                yield Equation(
                    "SUM004", cell_name(item, column), cell(item, column), tuple(parts),
                    table.confident, group=("SUM004", id(table)), variant="grand_total",
                )
            for row, breakdown in rows.carryovers:
                for column in additive_columns(table, section) if breakdown else ():
                    own = cell(row, column)
                    if own.amount is not None:  # a blank carryover row leaves the amounts to its breakdown
                        yield Equation(
                            "SUM004", cell_name(row, column), own, tuple(cell(p, column) for p in breakdown),
                            table.confident, group=("SUM004", id(table)), variant="carryover",
                        )
            last_total = None
    for table in budget.tables:
        yield from _sides_balance(table)


def _sides_balance(table: BudgetTable) -> Iterator[Equation]:
    sides = {s.side: s for s in table.sections if s.side}
    if set(sides) != {"income", "expense"}:
        return
    grands = []
    for side in ("income", "expense"):
        section = sides[side]
        column = section.column("total") or (section.columns[0] if len(section.columns) == 1 else None)
        rows = section.rows("grand_total")
        if column is None or not rows:
            return
        grands.append(cell(rows[-1], column))
    income, expense = grands
    yield Equation("SUM004", income.label, income, (expense,), table.confident, variant="sides")


# --- SUM005 project groups -----------------------------------------------------


def project_equations(budget: BudgetModel) -> Iterator[Equation]:
    """A group row (department or unit) = Σ its projects, or Σ the groups under it; 合计 = Σ the top rows."""
    for table in budget.tables_of(*PROJECT_KINDS):
        if not table.sections:
            continue
        section = table.sections[0]
        groups = group_rows(table, budget.metadata.department)
        items = [i for i in section.items if i.role == "item"]
        direct: dict[int, list[Item]] = {}
        current: int | None = None
        for item in items:
            if item.row_index in groups:
                current = item.row_index
                direct[current] = []
            elif current is not None:
                direct[current].append(item)
        grouped = {i.row_index for members in direct.values() for i in members}
        tops: list[Item] = []
        claimed: set[int] = set()
        for n, item in enumerate(items):
            if item.row_index not in groups:
                if item.row_index not in grouped:
                    tops.append(item)
                continue
            subgroups = [] if direct[item.row_index] else _subgroups(items[n + 1:], groups, direct)
            claimed |= {g.row_index for g in subgroups}
            if item.row_index not in claimed:
                tops.append(item)
            parts = direct[item.row_index] or subgroups
            if parts:
                yield from column_equations("SUM005", table, section, item, parts)
        for row in section.items:
            if row.role in ("total", "grand_total") and tops:
                yield from column_equations("SUM005", table, section, row, tops)


def _subgroups(following: Sequence[Item], groups: set[int], direct: Mapping[int, list[Item]]) -> list[Item]:
    """The groups with projects that follow a group without its own, up to the next such parent group."""
    found = []
    for item in following:
        if item.row_index not in groups:
            continue
        if not direct[item.row_index]:
            break
        found.append(item)
    return found


# --- SUM006 performance form ----------------------------------------------------


def form_equations(budget: BudgetModel) -> Iterator[Equation]:
    for form in budget.forms:
        if form.scope == "department":
            yield from _form_sums(form)


def _form_sums(form: PerformanceForm) -> Iterator[Equation]:
    """The sums of rules/sum.toml [[form_sums]] whose fields the form has, in one unit."""
    fields: dict[str, tuple[Term, str]] = {}
    for label, (text, location) in form.fields.items():
        quantity = parse_quantity(text)
        if quantity is not None and not quantity.comparator:
            counted = bool(quantity.unit) and not quantity.is_money
            fields.setdefault(plain(label), (Term(label, quantity.value, location, exact=counted), quantity.unit))

    def first(names: list[str]) -> tuple[Term, str] | None:
        return next((fields[n] for n in map(clean, names) if n in fields), None)

    for spec in vocab()["form_sums"]:
        found = first(spec["total"])
        parts = [part for names in spec["parts"] if (part := first(names)) is not None]
        if found is None or len(parts) < spec["min_parts"] or len({unit for _, unit in (found, *parts)}) > 1:
            continue
        total_term = found[0]
        yield Equation(
            "SUM006", total_term.label, total_term, tuple(t for t, _ in parts), form.confident, variant=spec["name"]
        )


# --- SUM007 narrative breakdowns ---------------------------------------------------


PART_RELATIONS = ("amount", "count")
OPENERS, CLOSERS = "（(【[", "）)】]"
CLAUSE_MARKS = "，,；;。：:"
NUMBERING = regex.compile(r"^\s*[（(]?(?:[一二三四五六七八九十]+|\d+)[)）、.．]")


def breakdown_equations(budget: BudgetModel) -> Iterator[Equation]:
    """A total stated before 其中 = Σ the amounts listed after it, unit by unit."""
    blocks = list(budget.document.blocks())
    paragraphs = list(budget.document.paragraphs())
    numbers = {id(p): n for n, p in enumerate(paragraphs)}
    facts: dict[int, list[Fact]] = defaultdict(list)
    for fact in sorted(budget.facts, key=lambda f: f.offset):
        if fact.offset >= 0:
            facts[fact.paragraph].append(fact)
    pattern = regex.compile("|".join(map(regex.escape, vocab()["breakdown"]["markers"])))
    for position, block in enumerate(blocks):
        if not isinstance(block, Paragraph):
            continue
        markers = list(pattern.finditer(block.text))
        for match in markers:
            breakdown = Breakdown(block.text, match.start(), match.end(), facts[numbers[id(block)]], markers)
            parts = breakdown.parts()
            partial = bool(parts) and breakdown.ends_partial(parts[-1])
            if parts == [] and not block.text[match.end():].strip(" :：,，"):
                parts = continuation(blocks[position + 1:], lambda p: facts[numbers[id(p)]])
                parts = parts if len(parts) >= 2 else None  # one part after a paragraph break: too loose
            if parts:
                yield from breakdown.equations(parts, partial)


@dataclass
class Breakdown:
    """One 其中 in a paragraph: the totals before it and the parts after it."""

    text: str
    start: int
    end: int
    facts: list[Fact]
    markers: list[regex.Match]

    def parts(self) -> list[Fact] | None:
        """The amounts and counts listed after the marker at its bracket level; None when ambiguous."""
        span = self._span()
        if span is None:
            return None
        depths = _depths(self.text)
        parts = [
            f for f in self.facts
            if self.end <= f.offset < span and depths[f.offset] == depths[self.start] and is_part(self.text, f)
        ]
        if self._nested(parts, span) or any(_threshold(self.text, f) for f in parts):
            return None
        return parts

    def equations(self, parts: list[Fact], partial: bool) -> Iterator[Equation]:
        """total = Σ parts for each total before the marker; a single part or a ``partial`` list may fall short."""
        for head in self._totals():
            members = [p for p in parts if _family(p) == _family(head)]
            mixed = head.quantity.is_money and any(p.quantity.is_money and p not in members for p in parts)
            if not members or mixed:
                continue  # amounts in 元 and 万元 in one list are not compared
            yield Equation(
                "SUM007",
                head.subject or " ".join(head.sentence.split()),
                _fact_term(head),
                tuple(_fact_term(p) for p in members),
                True,
                variant="breakdown",
                partial=partial or len(members) == 1,
                certain_shortfall=False,
            )

    def _span(self) -> int | None:
        """Where the list after the marker ends: the end of its sentence, or the bracket the marker sits in.

        Two markers at one level of one sentence make the lists ambiguous: None.
        """
        ends = vocab()["breakdown"]["list_ends"]
        depth, end = 0, len(self.text)
        for index in range(self.end, len(self.text)):
            char = self.text[index]
            if char in OPENERS:
                depth += 1
            elif char in CLOSERS:
                depth -= 1
                if depth < 0:
                    end = index
                    break
            elif depth == 0 and char in ends:
                end = index
                break
        depths = _depths(self.text)
        first = self._sentence_start(self.start)
        ambiguous = any(
            m.start() != self.start and first <= m.start() < end and depths[m.start()] == depths[self.start]
            for m in self.markers
        )
        return None if ambiguous else end

    def _sentence_start(self, position: int) -> int:
        ends = vocab()["breakdown"]["list_ends"]
        return max((i + 1 for i in range(position) if self.text[i] in ends), default=0)

    def _totals(self) -> list[Fact]:
        """The last amount and the last count before the marker, in its sentence or the one before.

        A change or rate between the total and the marker makes 其中 refer to
        the change: that total is dropped.  When the sentence before is itself
        a breakdown (…。其中：…。其中：…), the two break down the same total.
        """
        end = self.start
        start = self._sentence_start(end)
        while not self.text[start:end].strip(" ；;，,"):
            if start == 0:
                return []
            start = self._sentence_start(start - 1)
            earlier = [m.start() for m in self.markers if start <= m.start() < end]
            if earlier:
                end = earlier[0]
                start = self._sentence_start(end)
        heads: dict[str, Fact] = {}
        for fact in self.facts:
            if start <= fact.offset < end:
                if is_part(self.text, fact):
                    heads[_family(fact)] = fact
                elif fact.relation not in ("share", "percent"):
                    heads = {}  # a change: 其中 may break the change down
        return list(heads.values())

    def _nested(self, parts: list[Fact], span: int) -> bool:
        """A nested list (包括/含… followed by an amount before the next ；) makes the parts ambiguous."""
        nested = regex.compile("|".join(map(regex.escape, vocab()["breakdown"]["nested_markers"])))
        for match in nested.finditer(self.text, self.end, span):
            stop = next((i for i in range(match.end(), span) if self.text[i] in "；;"), span)
            if any(match.end() <= p.offset < stop for p in parts):
                return True
        return False

    def ends_partial(self, last: Fact) -> bool:
        """True if the list ends with 等 after its ``last`` part: it may be incomplete."""
        rest = self.text[_mention_end(self.text, last.offset):self._span() or len(self.text)].lstrip(" ，,")
        return rest.startswith(tuple(vocab()["breakdown"]["partial_endings"]))


def continuation(following: Sequence[Block], facts_of: Callable[[Paragraph], list[Fact]]) -> list[Fact]:
    """Parts listed one per paragraph after a paragraph that ends with 其中：.

    Each part opens a paragraph (after the list's numbering, if any, the same
    for every part); paragraphs continuing a wrapped item are passed over; the
    list ends at anything else.
    """
    ends = tuple(vocab()["breakdown"]["list_ends"]) + ("；", ";")
    parts: list[Fact] = []
    style: str | None = None
    item_open = False
    for block in following[:CONTINUATION_PARAGRAPHS]:
        if not isinstance(block, Paragraph):
            break
        text = block.text.strip()
        if item_open:
            item_open = not text.endswith(ends)
            continue
        facts = facts_of(block)
        first = facts[0] if facts else None
        if first is None or not is_part(block.text, first) or any(c in block.text[:first.offset] for c in CLAUSE_MARKS):
            break
        shape = _numbering(text)
        if style is not None and shape != style:
            break
        style = shape
        parts.append(first)
        item_open = not text.endswith(ends)
    return parts


def is_part(text: str, fact: Fact) -> bool:
    """An amount or count that is not a change (比上年增加 41.74 万元, 增加基本支出 844.15 万元, whatever the spacing)."""
    if fact.relation not in PART_RELATIONS:
        return False
    before = "".join(text[:fact.offset].split()).rstrip("了")
    clause = regex.split(f"[{CLAUSE_MARKS}]", before)[-1]
    return not has_any(clause, vocab()["breakdown"]["change_words"])


def _numbering(text: str) -> str:
    """The shape of a paragraph's list numbering: （一） → （一）, 2． → 0．, none → ''."""
    match = NUMBERING.match(text)
    if not match:
        return ""
    return regex.sub(r"\d+", "0", regex.sub("[一二三四五六七八九十]+", "一", match.group().strip()))


def _threshold(text: str, fact: Fact) -> bool:
    words = vocab()["breakdown"]
    after = text[_mention_end(text, fact.offset):].lstrip()
    return has_any(fact.subject, words["thresholds_before"]) or after.startswith(tuple(words["thresholds_after"]))


def _depths(text: str) -> list[int]:
    """Bracket depth at each character."""
    depths, depth = [], 0
    for char in text:
        if char in CLOSERS:
            depth = max(0, depth - 1)
        depths.append(depth)
        if char in OPENERS:
            depth += 1
    return depths


def _mention_end(text: str, offset: int) -> int:
    found = find_quantities(text[offset:offset + 40])
    return offset + found[0].end if found else offset


def _family(fact: Fact) -> str:
    return fact.quantity.unit


def _fact_term(fact: Fact) -> Term:
    return Term(fact.subject or fact.quantity.unit, fact.quantity.value, fact.location, exact=fact.relation == "count")


# --- SUM008 rounding tails ---------------------------------------------------------


GENERATORS: dict[str, Callable[[BudgetModel], Iterable[Equation]]] = {
    "SUM001": subtotal_equations,
    "SUM002": total_row_equations,
    "SUM003": column_sum_equations,
    "SUM004": balance_equations,
    "SUM005": project_equations,
    "SUM006": form_equations,
    "SUM007": breakdown_equations,
}


def check_rounding_tails(ctx: RuleContext) -> Iterable[Finding]:
    """One info finding naming the rounding tails, unless the document explains them (尾差 note)."""
    if ctx.budget.metadata.rounding_note:
        return
    tails = [e for generate in GENERATORS.values() for e in judged(generate(ctx.budget)) if e.tail]
    if not tails:
        return
    examples = "；".join(f"{e.subject}: {e.total.text} ≈ {format_decimal(e.stated_sum)}" for e in tails[:SHOWN_TAILS])
    yield ctx.report(
        tails[0].total.location,
        related=[e.total.location for e in tails[1:]],
        key=[len(tails)],
        evidence={"tails": [{"rule": e.code, "subject": e.subject, "total": e.total.value, "sum": e.stated_sum}
                            for e in tails]},
        count=str(len(tails)),
        examples=examples,
    )

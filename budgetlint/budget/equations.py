"""The equations a table states about itself, and those of the department form.

- subtotal: a row = Σ its sub-rows (类 = Σ款 = Σ项, named parts);
- total_row: a 合计 row = Σ the top-level rows (a 总计 with the carryovers);
- column_sum: a total column = Σ its component columns, read from the header paths
  (a group's total across a header of two dimensions too: 总计/一般公共预算 = Σ 因公出国/一般公共预算 …);
- balance: 总计 = 本年合计 + 结转, 结转 = Σ its breakdown, 收入总计 = 支出总计,
  a fund's 年末 = 年初 + 本年收入 − 本年支出 (:mod:`budgetlint.budget.balances`);
- change: a change row = the later year's row − the earlier's (增减变化金额 = 2026年 − 2025年);
- project_group: a group row of a project table = Σ its projects (groups of one read by consensus);
- form_sum: the sums of the department performance form (rules/arithmetic.toml).

Each equation is built from the model alone; judging them is
:mod:`budgetlint.budget.reconcile`'s job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import combinations

import regex

from budgetlint.budget.arithmetic import Equation, Term
from budgetlint.budget.balances import fund_balances
from budgetlint.budget.model import BudgetTable, Column, Item, PerformanceForm, Section
from budgetlint.budget.projects import group_rows
from budgetlint.budget.rowtree import (
    Region,
    cell_name,
    children,
    is_subset,
    marker_positions,
    parents,
    plain,
    region,
    vocab,
)
from budgetlint.budget.tables import is_period
from budgetlint.budget.text import clean
from budgetlint.budget.vocabulary import has_any
from budgetlint.numbers import parse_quantity

PROJECT_KINDS = ("project_expense",)
_YEAR = regex.compile(r"(?:19|20)\d\d")


def table_equations(table: BudgetTable, department: str) -> list[Equation]:
    """Every equation ``table`` states (project tables: group sums instead of a row tree)."""
    found: list[Equation] = []
    for section in table.sections:
        if table.kind not in PROJECT_KINDS:
            found += subtotal_equations(table, section)
            found += total_row_equations(table, section)
            found += balance_equations(table, section)
        found += column_sum_equations(table, section)
    if table.kind in PROJECT_KINDS:
        found += project_equations(table, department)
    found += sides_balance(table)
    found += fund_balances(table, cell)
    found += change_equations(table)
    return found


# --- terms ------------------------------------------------------------------------


def cell(item: Item, column: Column) -> Term:
    """The term of one cell (a missing cell is blank)."""
    label = cell_name(item, column)
    value = item.value(column)
    if value is None:
        return Term(label, None, item.location, row=id(item))
    return Term(label, value.amount, value.location, row=id(item), unknown=value.unknown)


def additive_columns(table: BudgetTable, section: Section) -> list[Column]:
    """Columns of amounts; on a table recovered from layout, only those under a header."""
    words = vocab()["non_additive_headers"]
    return [
        c for c in section.columns
        if not any(has_any(h, words) for h in c.header) and (c.header or table.confident)
    ]


def column_equations(
    kind: str, table: BudgetTable, section: Section, item: Item, parts: Sequence[Item], partial: bool = False
) -> Iterator[Equation]:
    """``item`` = Σ ``parts``, column by column; ``partial`` when more parts may follow beyond what was read."""
    for column in additive_columns(table, section):
        yield Equation(
            kind,
            cell_name(item, column),
            cell(item, column),
            tuple(cell(part, column) for part in parts),
            table.confident,
            table,
            partial=partial,
        )


# --- rows -------------------------------------------------------------------------


def subtotal_equations(table: BudgetTable, section: Section) -> Iterator[Equation]:
    """Each row with sub-rows = Σ its sub-rows."""
    tree = children(section)
    unclosed = open_rows(section)
    for item in section.items:
        if tree.get(item.row_index):
            yield from column_equations("subtotal", table, section, item, tree[item.row_index],
                                        partial=item.row_index in unclosed)


def open_rows(section: Section) -> set[int]:
    """Rows whose sub-rows run to the end of a section no total row closes: the list may go on past what was read.

    A table cut at a page break whose next page was not joined to it ends so,
    and only an excess can be told there, not a shortfall.
    """
    if not section.items or any(item.role in ("total", "grand_total") for item in section.items):
        return set()
    tree = parents(section)
    found: set[int] = set()
    parent = tree.get(section.items[-1].row_index)
    while parent is not None:
        found.add(parent.row_index)
        parent = tree.get(parent.row_index)
    return found


def total_row_equations(table: BudgetTable, section: Section) -> Iterator[Equation]:
    """A 合计 row = Σ the top-level rows before it (or after it, when it heads the table).

    A 总计 row with no 合计 before it also counts the carryover rows.
    """
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
                parts += carryover_terms(rows, column)
            yield Equation("total_row", cell_name(item, column), cell(item, column), tuple(parts), table.confident, table)


def carryover_terms(rows: Region, column: Column) -> list[Term]:
    """A carryover row's value, or its breakdown when the row itself is blank."""
    terms = []
    for row, breakdown in rows.carryovers:
        own = cell(row, column)
        if own.amount is None and not own.unknown and breakdown:
            terms += [cell(part, column) for part in breakdown]
        else:
            terms.append(own)
    return terms


# --- columns ----------------------------------------------------------------------


def column_sums(table: BudgetTable, section: Section) -> list[tuple[Column, list[Column]]]:
    """Each total column with the columns that add up to it, read from the header paths.

    The components of a total are the columns under the same header group:
    one column per sub-group (its 小计 when it has one, else its leaves),
    except a group of another measure (政府采购: how much of the row is procured).
    A total is skipped when another total shares its group, when a
    component is unknown, or when the components mix families.
    """
    columns = additive_columns(table, section)
    memo = vocab()["memo_column_groups"]
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
            if is_subset(group) and not _opens_breakdown(group, list(groups)) or has_any(group, memo):
                continue
            parts += _group_parts(members, len(prefix) + 1)
        if parts and _one_family(parts):
            sums.append((column, _confirmed_parts(section, column, parts)))
    return sums + crossed_sums(columns)


def crossed_sums(columns: Sequence[Column]) -> list[tuple[Column, list[Column]]]:
    """Sums across a header of two dimensions: a total group's column = Σ the same column of the groups beside it.

    深圳's 三公 table splits each expense by source: 总计/一般公共预算 =
    因公出国(境)费/一般公共预算 + 公务接待费/一般公共预算 + 公务用车购置及运行维护费/小计/一般公共预算.
    A group beside the total counts with its own 小计 when it has one.
    """
    memo = vocab()["memo_column_groups"]
    by_header = {c.header: c for c in columns}
    sums = []
    for column in columns:
        depth = next((d for d, text in enumerate(column.header[:-1]) if _totals_beside(text)), None)
        if depth is None or any(is_subset(text) for text in column.header):
            continue
        prefix, suffix = column.header[:depth], column.header[depth + 1:]
        groups = dict.fromkeys(
            c.header[depth] for c in columns
            if len(c.header) > depth + 1 and c.header[:depth] == prefix and c.header[depth] != column.header[depth]
        )
        parts = [_same_column(by_header, (*prefix, group), suffix) for group in groups
                 if not is_subset(group) and not has_any(group, memo)]
        if len(parts) > 1 and all(parts):
            sums.append((column, parts))
    return sums


def _same_column(by_header: Mapping[tuple[str, ...], Column], group: tuple[str, ...], suffix: tuple[str, ...]) -> Column | None:
    """The column ``suffix`` of ``group``, or of its 小计 sub-group."""
    found = by_header.get((*group, *suffix))
    if found is None:
        found = next((c for h, c in by_header.items() if len(h) == len(group) + len(suffix) + 1
                      and h[:len(group)] == group and h[len(group) + 1:] == suffix and _totals_beside(h[len(group)])), None)
    return found


def _totals_beside(header: str) -> bool:
    """A header naming the total of the groups beside it (总计, 小计), not a year's amount (2026年预算数)."""
    return clean(header) in {clean(word) for word in vocab()["crossed_totals"]}


def _confirmed_parts(section: Section, column: Column, parts: list[Column]) -> list[Column]:
    """``parts``, less those columns a template may count inside the others that more rows confirm left out.

    深圳's 支出总计 is 基本支出 + 项目支出, its 事业单位经营支出 lying within them;
    the standard template adds it.  Each such column is left out only if
    that confirms more rows: on a tie (an all-zero column) it stays a part.
    """
    inner_keys = set(vocab()["inner_column_keys"])
    inner = [c for c in parts if c.key in inner_keys]

    def confirmed(left_out: tuple[Column, ...]) -> int:
        kept = [p for p in parts if p not in left_out]
        equations = (
            Equation("column_sum", "", cell(item, column), tuple(cell(item, p) for p in kept), True) for item in section.items
        )
        return sum(1 for e in equations if e.holds and not e.trivial)

    choices = [left_out for n in range(len(inner) + 1) for left_out in combinations(inner, n) if len(left_out) < len(parts)]
    best = max(choices, key=lambda left_out: (confirmed(left_out), -len(left_out)))
    return [c for c in parts if c not in best]


def _opens_breakdown(group: str, groups: list[str]) -> bool:
    """A 其中 column first under its total and followed by plain ones introduces them all (广州:
    小计 | 其中：基本支出 | 项目支出); one after a plain column is that column's subset."""
    position = groups.index(group)
    return position == 0 and any(not is_subset(other) for other in groups[1:])


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


def column_sum_equations(table: BudgetTable, section: Section) -> Iterator[Equation]:
    """Each row's total column = Σ its component columns."""
    for column, parts in column_sums(table, section):
        for item in section.items:
            yield Equation(
                "column_sum",
                cell_name(item, column),
                cell(item, column),
                tuple(cell(item, part) for part in parts),
                table.confident,
                table,
            )


# --- summary tables ---------------------------------------------------------------


def balance_equations(table: BudgetTable, section: Section) -> Iterator[Equation]:
    """总计 = 本年合计 + 结转 (+ other rows between), 结转 = Σ its breakdown."""
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
            parts = [cell(subtotal, column), *carryover_terms(rows, column)]
            parts += [cell(top, column) for top in rows.tops]
            yield Equation(
                "balance", cell_name(item, column), cell(item, column), tuple(parts), table.confident, table,
                variant="grand_total",
            )
        for row, breakdown in rows.carryovers:
            for column in additive_columns(table, section) if breakdown else ():
                own = cell(row, column)
                if own.amount is not None:  # a blank carryover row leaves the amounts to its breakdown
                    yield Equation(
                        "balance", cell_name(row, column), own, tuple(cell(p, column) for p in breakdown),
                        table.confident, table, variant="carryover",
                    )
        last_total = None


def change_equations(table: BudgetTable) -> Iterator[Equation]:
    """A change row = the later year's row − the earlier's, column by column (增减变化金额 = 2026年 − 2025年).

    The periods are a stacked table's (each unit's rows of 2025年, 2026年 and
    增减变化金额, the n-th row of each period section being one unit's) or
    the row labels of a plain one.  A row is compared only where exactly two
    years and one change are stated for it.
    """
    for rows, section in _period_rows(table):
        changes = [period for period in rows if not _YEAR.search(period)]
        years = sorted((period for period in rows if _YEAR.search(period)), key=lambda p: _YEAR.search(p)[0])
        if len(changes) != 1 or len(years) != 2:
            continue
        change, earlier, later = rows[changes[0]], rows[years[0]], rows[years[1]]
        for column in additive_columns(table, section):
            yield Equation(
                "change", cell_name(change, column), cell(change, column),
                (cell(later, column), replace(cell(earlier, column), negated=True)), table.confident, table,
            )


def _period_rows(table: BudgetTable) -> Iterator[tuple[dict[str, Item], Section]]:
    """Each row label's items by period, with a section holding them."""
    stacked = [section for section in table.sections if section.items and section.items[0].period]
    for rows in zip(*(section.items for section in stacked), strict=False):
        if len({item.label for item in rows}) == 1:
            yield {item.period: item for item in rows}, stacked[0]
    for section in table.sections:
        rows = {item.label: item for item in section.items if not item.period and is_period(item.label)}
        if rows:
            yield rows, section


def sides_balance(table: BudgetTable) -> Iterator[Equation]:
    """收入总计 = 支出总计 on a two-sided summary table."""
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
    yield Equation("balance", income.label, income, (expense,), table.confident, table, variant="sides")


# --- project tables ---------------------------------------------------------------


def project_equations(table: BudgetTable, department: str) -> Iterator[Equation]:
    """A group row (department or unit) = Σ its projects, or Σ the groups under it; 合计 = Σ the top rows."""
    if table.sections:
        yield from _group_equations(table, project_groups(table, department))


def project_groups(table: BudgetTable, department: str) -> set[int]:
    """The group rows of a project table, read by consensus: groups of two or more rows, or also of one.

    A unit with a single project is a group of one (广州: 中共广州市委讲师团 60.00 over
    its one project), but so would be the first of two equal projects: the
    groups of one are taken only where the stricter reading fails and every sum then holds.
    """
    if not table.sections:
        return set()
    strict = group_rows(table, department)
    if not _fails(table, strict):
        return strict
    loose = group_rows(table, department, least=1)
    return strict if _fails(table, loose) else loose


def _fails(table: BudgetTable, groups: set[int]) -> bool:
    return any(e.fails for e in _group_equations(table, groups) if not e.trivial)


def _group_equations(table: BudgetTable, groups: set[int]) -> Iterator[Equation]:
    section = table.sections[0]
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
            yield from column_equations("project_group", table, section, item, parts)
    for row in section.items:
        if row.role in ("total", "grand_total") and tops:
            yield from column_equations("project_group", table, section, row, tops)


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


# --- the department form ----------------------------------------------------------


def form_equations(form: PerformanceForm) -> Iterator[Equation]:
    """The sums of rules/arithmetic.toml [[form_sums]] whose fields the form has, in one unit.

    A project form's funds total must not be exceeded by its 其中 parts (财政拨款, 其他资金…).
    """
    if form.scope != "department":
        yield from _project_funds(form)
        return
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
            "form_sum", total_term.label, total_term, tuple(t for t, _ in parts), form.confident, variant=spec["name"]
        )


def _project_funds(form: PerformanceForm) -> Iterator[Equation]:
    """A project form's funds totals (年度资金总额…), each with its parts: the parts may not exceed it."""
    for key, parts in form.fund_parts.items():
        total = form.funds.get(key)
        if total is None or total.is_blank or not parts:
            continue
        label = total.location.logical[-1] if total.location.logical else key
        terms = tuple(Term(name, v.amount, v.location, unknown=v.unknown) for name, v in parts.items())
        yield Equation(
            "form_sum",
            f"{form.name or form.title} › {label}",
            Term(label, total.amount, total.location, unknown=total.unknown),
            terms,
            form.confident,
            variant="project_funds",
            partial=True,
        )

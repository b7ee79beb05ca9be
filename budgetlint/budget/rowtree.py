"""The row tree of a table section: which rows add up into which.

功能分类 类 ⊃ 款 ⊃ 项 by code prefix, economic 类 ⊃ 款, numbered rows (一、 ⊃
（一） ⊃ 1.) by level, and named parts (公务用车购置费 under 公务用车购置及运行费).
其中 rows are subsets of the row above, never additive parts.  Total rows
(合计) and carryover rows (上年结转) end a run of rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from budgetlint.budget.model import Column, Item, Section
from budgetlint.budget.text import clean, is_code, is_unit_code, strip_numbering
from budgetlint.budget.vocabulary import pack

INDENT_STEP = 0.5  # indentations closer than this many characters are one step
INDENT_UNNUMBERED = 9  # an unnumbered row sorts below every numbering level of its step


def vocab() -> Mapping[str, Any]:
    return pack("arithmetic.toml")


def plain(label: str) -> str:
    """A label without its 其中 marker, colon and the numbering after them (其中：（1）购置费), for vocabulary look-ups."""
    text = clean(label)
    for marker in vocab()["subset_markers"]:
        if text.startswith(marker):
            return strip_numbering(text[len(marker):].lstrip(":："))[0]
    return text


def is_subset(label: str) -> bool:
    """True for a 其中 row or column: part of the one before it, not a sibling."""
    return any(clean(label).startswith(m) for m in vocab()["subset_markers"])


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


def indent_levels(section: Section) -> dict[int, int]:
    """Row → level read from the label column's indentation, for a section without codes; {} if it shows none.

    A hierarchy may be shown by indentation alone (深圳's 收支总表: 一、教育支出,
    then 进修及培训 flush with it, then 培训支出 indented).  Rows rank by their
    indentation step, and within one step a numbered row (一、 before （一）)
    sits above an unnumbered one.
    """
    rows = [item for item in section.items if item.role == "item"]
    if not rows or any(item.code for item in rows):
        return {}
    steps = indent_steps([item.indent for item in rows])
    if len(set(steps.values())) < 2:
        return {}
    keys = {item.row_index: (steps[item.indent], item.ordinal or INDENT_UNNUMBERED) for item in rows}
    ranks = {key: rank for rank, key in enumerate(sorted(set(keys.values())), start=1)}
    return {row: ranks[key] for row, key in keys.items()}


def opening_levels(section: Section) -> dict[int, int]:
    """Row → level 0 for the rows that open a side's year as a whole (一、本年支出 over 一、一般公共服务支出…).

    A template may number the year's whole and its 类 alike; the whole then
    sits above them.  {} when the section has no such row.
    """
    names = {clean(name) for name in pack("tables.toml")["rows"]["opening_totals"]}
    return {item.row_index: 0 for item in section.items if item.role == "item" and plain(item.label) in names}


def carryover_levels(section: Section) -> dict[int, int]:
    """Row → level for the item rows between a carryover row and the next total: its breakdown, one level deeper.

    (上年结转结余 12.72, then 一般公共预算拨款 12.72 flush with it: the breakdown of
    the carryover, not a source of the year.)  {} when there are none.
    """
    found: dict[int, int] = {}
    carryover: Item | None = None
    for item in section.items:
        if item.role == "carryover":
            carryover = item
        elif item.role != "item":
            carryover = None
        elif carryover is not None and item.level <= carryover.level:
            found[item.row_index] = carryover.level + 1
    return found


def sum_levels(section: Section) -> dict[int, int]:
    """Row → level where a row's amount is the sum of the rows of its level right after it: they are its sub-rows.

    A hierarchy may be set out in one column with nothing to show it (无锡's
    政府采购支出表: 服务, then 无锡市信访局（本级）, then its projects).  The first
    column with amounts decides; the rows found sit one level deeper, with
    their own deeper rows.  Only rows of the top level, named in the label column
    itself, are such parents: a row its own columns already place deeper
    (专项名称 | 采购品目名称 under a unit) sits where they put it, whatever its
    amount happens to equal (5.00 = 2.50 + 2.50 among a unit's projects).
    {} when no row is such a sum, or the rows have codes to nest by.
    """
    column = next((c for c in section.columns if any(i.value(c) and i.value(c).amount for i in section.items)), None)
    rows = [item for item in section.items if item.role == "item"]
    if column is None or len(rows) < 2 or any(item.code for item in rows):
        return {}
    level = {item.row_index: item.level for item in rows}
    top = min(level.values())
    signed = any(value.amount < 0 for item in rows if (value := item.value(column)) and value.amount)
    changed: dict[int, int] = {}
    for n, parent in enumerate(rows):
        value = parent.value(column)
        if value is None or not value.amount or parent.level > top:
            continue
        children = _summing_followers(rows[n + 1:], level, level[parent.row_index], value.interval, column, signed)
        for child in children:
            level[child.row_index] += 1
            changed[child.row_index] = level[child.row_index]
    return changed


def _summing_followers(following: Sequence[Item], level: Mapping[int, int], depth: int, target: Any,
                       column: Column, signed: bool) -> list[Item]:
    """The rows after a parent, up to those of its level that add up to ``target``, with their deeper rows; [] if none.

    A single row equal to the parent is its part only when it has deeper rows
    of its own (货物, then a unit with its items); a lone leaf of the same
    amount (7.30 after 7.30 in a list) is a sibling.
    """
    taken: list[Item] = []
    total = None
    for item in following:
        if level[item.row_index] < depth:
            break
        taken.append(item)
        if level[item.row_index] > depth:
            continue
        value = item.value(column)
        interval = value.interval if value is not None else None
        if interval is None:
            break
        total = interval if total is None else total + interval
        if total.overlaps(target):  # the last one's own deeper rows go with it
            deeper = list(takewhile(lambda i: level[i.row_index] > depth, following[len(taken):]))
            return taken + deeper if len(taken) > 1 or deeper else []
        if total.lo > target.hi and not signed:
            break  # past the target, and no negative amount (a change) can bring the sum back
    return []


def indent_steps(indents: Sequence[float]) -> dict[float, int]:
    """Each indentation → its step (0 flush), indentations closer than half a character being one step."""
    steps: dict[float, int] = {}
    step, previous = 0, None
    for indent in sorted(set(indents)):
        if previous is not None and indent - previous > INDENT_STEP:
            step += 1
        steps[indent] = step
        previous = indent
    return steps


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


def children(section: Section) -> dict[int, list[Item]]:
    """Each row with sub-rows → those sub-rows, in order."""
    tree = parents(section)
    found: dict[int, list[Item]] = {}
    for item in section.items:
        parent = tree.get(item.row_index)
        if parent is not None:
            found.setdefault(parent.row_index, []).append(item)
    return found


def _nests(parent: Item, child: Item) -> bool:
    """Codes nest by prefix (201 ⊃ 20132 ⊃ 2013250, a department's 015 ⊃ its unit's 015001); rows without codes nest by level."""
    if _is_full_code(parent.code) and _is_full_code(child.code):
        return child.code.startswith(parent.code) and len(child.code) > len(parent.code)
    return True


def _is_full_code(code: str) -> bool:
    return is_code(code) or is_unit_code(code)


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


def marker_positions(section: Section) -> list[int]:
    """Positions (in ``section.items``) of the total and grand-total rows."""
    return [n for n, item in enumerate(section.items) if item.role in ("total", "grand_total")]


def row_name(item: Item) -> str:
    """A row as reviewers name it: ``201 一般公共服务支出``; in a stacked table with its period (``某局 › 2026年``)."""
    name = " ".join(part for part in (item.code, item.label) if part)
    return " › ".join(part for part in (name, item.period) if part)


def cell_name(item: Item, column: Column) -> str:
    """``201 一般公共服务支出 › 合计``; a one-row table's cell goes by its column alone."""
    return " › ".join(part for part in (row_name(item), column.label) if part)

"""Read 绩效目标表 forms: project name, fields, funds and indicators.

The forms are messy in practice: columns shift from row to row, a row may
lack its 一级 label, labels repeat, and wrapped words carry spaces.  So rows
are read by content (which cells are indicator-level names) rather than by
position.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from budgetlint.budget.model import Indicator, PerformanceForm, Value
from budgetlint.budget.text import clean
from budgetlint.budget.vocabulary import pack
from budgetlint.document import Cell, Row, Table
from budgetlint.numbers import amount, parse_quantity

FUND_LABELS = {"实施期资金总额": "implementation_total", "年度资金总额": "annual_total"}
_FUND_UNIT = regex.compile(r"[(（](元|万元)[)）]")


def level2_types() -> dict[str, str]:
    """二级指标 name → indicator type (quantity, cost, satisfaction…)."""
    return {name: kind for kind, names in pack("indicators.toml")["level2"].items() for name in names}


def read_form(table: Table, title: str, scope: str) -> PerformanceForm:
    form = PerformanceForm(
        scope=scope, title=title, location=table.location.with_logical(title), confident=table.confidence >= 1.0
    )
    rows = list(table.rows)
    start = next((i for i, r in enumerate(rows) if _is_indicator_header(r)), len(rows))
    for row in rows[:start]:
        _read_fields(form, row)
    if start < len(rows):
        periods = _periods(rows[start], scope)
        _read_indicators(form, rows[start + 1:], periods)
    return form


def _nonempty(row: Row) -> list[Cell]:
    return [c for c in row.cells if clean(c.text)]


def _is_indicator_header(row: Row) -> bool:
    words = pack("indicators.toml")["header_words"]
    texts = {clean(c.text) for c in row.cells}
    return sum(1 for w in words if w in texts) >= 3


def _periods(header: Row, scope: str) -> list[str]:
    values = sum(1 for c in header.cells if clean(c.text) == "指标值")
    captions = pack("indicators.toml")["periods"]
    return captions if values >= 2 and scope == "project" else captions[-1:]


def _read_fields(form: PerformanceForm, row: Row) -> None:
    cells = _nonempty(row)
    unit = next((m.group(1) for c in cells if (m := _FUND_UNIT.search(clean(c.text)))), None)
    if unit:
        form.unit = unit
    if len(cells) % 2:
        cells = cells[1:]  # a group caption spanning rows (部门基本信息, 项目资金(元)…)
    for cell, value_cell in zip(cells[::2], cells[1::2]):
        label = clean(cell.text).rstrip(":：")
        value = clean(value_cell.text)
        if label in FUND_LABELS:
            form.funds[FUND_LABELS[label]] = Value(
                amount(value), value, value_cell.location.with_logical(form.name or form.title, label)
            )
        elif label == "项目名称" and not form.name:
            form.name, form.name_location = value, value_cell.location.with_logical(value, label)
        elif _is_field_label(label) and label not in form.fields:
            form.fields[label] = (value, value_cell.location.with_logical(form.name or form.title, label))


def _is_field_label(text: str) -> bool:
    """Short captions such as 项目期, 实际在职人员总数, 其中:在编人员数."""
    return 2 <= len(text) <= 14 and amount(text) is None and parse_quantity(text) is None


def _read_indicators(form: PerformanceForm, rows: Sequence[Row], periods: list[str]) -> None:
    """One Indicator per (row, period): each 二级 name in a row opens that period's group."""
    vocab = pack("indicators.toml")
    level1 = ""
    last_level2 = [""] * len(periods)
    owner = form.name or form.title
    for row in rows:
        cells = _nonempty(row)
        if any(w in clean(c.text) for c in cells for w in vocab["footer_words"]):
            break
        found_level1, groups = _split_row(cells)
        level1 = found_level1 or level1
        for n, (level2, group) in enumerate(groups[: len(periods)]):
            level2 = level2 or last_level2[n]
            last_level2[n] = level2
            if not group or not level2:
                continue
            name = clean(group[0].text)
            value_cell = group[1] if len(group) > 1 else None
            value = clean(value_cell.text) if value_cell else ""
            location = (value_cell or group[0]).location.with_logical(owner, periods[n], level2, name)
            form.indicators.append(Indicator(level1, level2, name, value, parse_quantity(value), periods[n], location))


def _split_row(cells: Sequence[Cell]) -> tuple[str, list[tuple[str, list[Cell]]]]:
    """A row's 一级 name (if any) and its groups of (二级 name, [三级 name, value]).

    A leading group without its own 二级 name borrows the next group's: the
    row then lacks the label only in its first period.  成本指标 is 一级 when
    a cost 二级 name (经济成本指标…) follows it, else 二级.
    """
    vocab = pack("indicators.toml")
    types = level2_types()
    texts = [clean(c.text) for c in cells]
    level1 = ""
    groups: list[tuple[str, list[Cell]]] = [("", [])]
    for index, (cell, text) in enumerate(zip(cells, texts)):
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if text in vocab["level1"] and (text not in types or types.get(following) == types[text]):
            level1 = text
        elif text in types:
            groups.append((text, []))
        elif not text.startswith("绩效"):
            groups[-1][1].append(cell)
    if not groups[0][1]:
        groups = groups[1:]
    elif len(groups) > 1:
        groups[0] = (groups[1][0], groups[0][1])
    elif len(groups[0][1]) >= 4:
        half = len(groups[0][1]) // 2  # a continuation row: [name, value] once per period
        groups = [("", groups[0][1][:half]), ("", groups[0][1][half:])]
    return level1, groups

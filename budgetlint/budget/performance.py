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
from budgetlint.numbers import MONEY_FACTORS, amount, parse_quantity

_FUND_UNIT = regex.compile(r"[(（](元|万元)[)）]")
_LEADING_OF = regex.compile(r"^其中[:：]?")


def level2_types() -> dict[str, str]:
    """二级指标 name → indicator type (quantity, cost, satisfaction…)."""
    return {name: kind for kind, names in pack("indicators.toml")["level2"].items() for name in names}


def fund_label(label: str) -> tuple[str, str] | None:
    """("total", key) for a funds total's label, ("part", name) for one of its parts, else None."""
    funds = pack("indicators.toml")["funds"]
    name = _LEADING_OF.sub("", clean(label)).rstrip(":：")
    for key in ("implementation_total", "annual_total"):
        if name in map(clean, funds[key]):
            return "total", key
    return ("part", name) if name in map(clean, funds["parts"]) else None


def read_forms(
    table: Table, title: str, scope: str, previous: PerformanceForm | None = None, unit: str = ""
) -> list[PerformanceForm]:
    """The forms of one table: one form, one per project of a listing, or none when it continues ``previous``.

    ``unit`` is the money unit declared above the table (单位：万元), if any; a
    unit in the form itself (项目资金（万元）) prevails.  Blank templates (no
    name, no amount, no value) are left out.
    """
    rows = list(table.rows)
    start = next((i for i, r in enumerate(rows) if _is_indicator_header(r)), len(rows))
    if start < len(rows) and _column(rows[start], "project_name_words") is not None:
        forms = _read_listing(table, title, scope, rows, start, unit)
    elif previous is not None and previous.scope == scope and _continues(rows, start):
        _read_indicators(previous, rows, _periods_of(previous), None)
        forms = []
    else:
        forms = [read_form(table, title, scope, unit)]
    return [f for f in forms if not f.blank]


def read_form(table: Table, title: str, scope: str, unit: str = "") -> PerformanceForm:
    form = PerformanceForm(
        scope=scope, title=title, location=table.location.with_logical(title), confident=table.confidence >= 1.0
    )
    if unit:
        form.unit, form.unit_declared = unit, True
    rows = list(table.rows)
    start = next((i for i, r in enumerate(rows) if _is_indicator_header(r)), len(rows))
    totals: list[str] = []
    for row in rows[:start]:
        _read_fields(form, row, totals)
    if start < len(rows):
        periods = _periods(rows[start], scope)
        _read_indicators(form, rows[start + 1:], periods, rows[start])
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


def _read_fields(form: PerformanceForm, row: Row, totals: list[str]) -> None:
    """A row of captions and values above the indicators; ``totals`` keeps the order of the last funds totals."""
    cells = _nonempty(row)
    unit = next((m.group(1) for c in cells if (m := _FUND_UNIT.search(clean(c.text)))), None)
    if unit:
        form.unit, form.unit_declared = unit, True
    if cells and clean(cells[0].text).rstrip(":：") in pack("indicators.toml")["goal_labels"]:
        _read_goals(form, cells[1:])
    if len(cells) % 2:
        cells = cells[1:]  # a group caption spanning rows (部门基本信息, 项目资金(元)…)
    pairs = list(zip(cells[::2], cells[1::2]))
    funds = [fund_label(clean(c.text)) if form.scope == "project" else None for c, _ in pairs]
    row_totals = [f[1] for f in funds if f and f[0] == "total"]
    if row_totals:
        totals[:] = row_totals
    parts = 0
    for (cell, value_cell), fund in zip(pairs, funds):
        label = clean(cell.text).rstrip(":：")
        value = clean(value_cell.text)
        where = value_cell.location.with_logical(form.name or form.title, label)
        if fund and fund[0] == "total":
            form.funds[fund[1]] = Value(amount(value), value, where)
            continue
        if fund and totals:
            key = totals[min(parts, len(totals) - 1)]
            if fund_label(value) is None:  # not a blank part paired with the next caption (其他资金 | 其他资金)
                form.fund_parts.setdefault(key, {}).setdefault(fund[1], Value(amount(value), value, where))
            parts += 1
        if label == "项目名称" and not form.name:
            form.name, form.name_location = value, value_cell.location.with_logical(value, label)
        elif _is_field_label(label) and label not in form.fields:
            form.fields[label] = (value, where)


def _read_goals(form: PerformanceForm, cells: Sequence[Cell]) -> None:
    """The 实施期 and 年度 goals of a goal row (or its one goal), once per form; captions are skipped."""
    captions = pack("indicators.toml")["blank_values"]
    if not form.goals:
        form.goals = [(c.text, c.location) for c in cells if clean(c.text) not in captions]


def _is_field_label(text: str) -> bool:
    """Short captions such as 项目期, 实际在职人员总数, 其中:在编人员数."""
    return 2 <= len(text) <= 14 and amount(text) is None and parse_quantity(text) is None


def _grid(row: Row) -> dict[int, Cell]:
    """The row's cells by column (a spanning cell is followed by the cells it covers)."""
    return dict(enumerate(row.cells))


def _column(row: Row, key: str, exact: bool = True) -> int | None:
    """The column of ``row`` whose cell is (or, not ``exact``, holds) one of the vocabulary's ``key`` words."""
    return _column_of(row, pack("indicators.toml")[key], exact)


def _column_of(row: Row, words: Sequence[str], exact: bool = True) -> int | None:
    """The column of ``row`` whose cell is (or, not ``exact``, holds) one of ``words``."""
    words = [clean(w) for w in words]
    for column, cell in _grid(row).items():
        text = clean(cell.text)
        if any(text == w if exact else w in text for w in words):
            return column
    return None


def _value_columns(header: Row | None) -> tuple[int | None, int | None]:
    """The 指标性质 and 度量单位 columns of an indicator header, where it has them."""
    if header is None:
        return None, None
    return _column(header, "nature_words", exact=False), _column(header, "unit_words", exact=False)


def _periods_of(form: PerformanceForm) -> list[str]:
    """The periods a form's indicators were read in (a continuation table goes on with them)."""
    captions = pack("indicators.toml")["periods"]
    seen = {i.period for i in form.indicators}
    return [p for p in captions if p in seen] or captions[-1:]


def _continues(rows: Sequence[Row], start: int) -> bool:
    """A table with no indicator header and no project name whose rows name 二级 indicators: a form's next page."""
    names = pack("indicators.toml")["project_name_words"]
    if start < len(rows) or any(_column_of(r, names) is not None for r in rows):
        return False
    types = level2_types()
    return any(clean(c.text) in types for r in rows for c in r.cells)


def _name_unit(name: str) -> str:
    """A unit given in a trailing bracket of the 三级 name (督导员劳务费（元/天）), if it is a unit."""
    vocab = pack("indicators.toml")
    match = regex.search(vocab["name_unit_pattern"], name)
    if not match:
        return ""
    unit = match["unit"]
    known = (*vocab["count_units"], *vocab["time_units"], *MONEY_FACTORS, "%", "‰")
    return unit if unit.startswith(known) else ""


def _read_indicators(form: PerformanceForm, rows: Sequence[Row], periods: list[str], header: Row | None) -> None:
    """One Indicator per (row, period): each 二级 name in a row opens that period's group."""
    vocab = pack("indicators.toml")
    nature_column, unit_column = _value_columns(header)
    level1 = ""
    last_level2 = [""] * len(periods)
    owner = form.name or form.title
    for row in rows:
        cells = _nonempty(row)
        if any(w in clean(c.text) for c in cells for w in vocab["footer_words"]):
            break
        apart = _apart(_grid(row), nature_column, unit_column)
        found_level1, groups = _split_row(cells)
        level1 = found_level1 or level1
        for n, (level2, group) in enumerate(groups[: len(periods)]):
            level2 = level2 or last_level2[n]
            last_level2[n] = level2
            if not group or not level2:
                continue
            name = clean(group[0].text)
            value, value_cell = _value(group[1:], apart)
            location = (value_cell or group[0]).location.with_logical(owner, periods[n], level2, name)
            form.indicators.append(Indicator(
                level1, level2, name, value, parse_quantity(value), periods[n], location, _name_unit(name),
                _qualitative(group[1:]),
            ))


def _qualitative(cells: Sequence[Cell]) -> bool:
    """The cells after an indicator's name mark it qualitative (指标性质 定性)."""
    return any(clean(c.text) in pack("indicators.toml")["qualitative_nature"] for c in cells)


def _apart(grid: dict[int, Cell], nature: int | None, unit: int | None) -> dict[int, str]:
    """The cells of a row in the 指标性质 and 度量单位 columns (by id), with their role."""
    return {id(grid[c]): kind for c, kind in ((nature, "nature"), (unit, "unit")) if c is not None and c in grid}


def _value(cells: Sequence[Cell], apart: dict[int, str]) -> tuple[str, Cell | None]:
    """An indicator's target from the cells after its name: the value, with its 指标性质 and 度量单位 when apart.

    ≥ | 98 | % reads ≥98%; 定性 | 优 reads 优.
    """
    vocab = pack("indicators.toml")
    comparator = unit = ""
    values: list[Cell] = []
    for cell in cells:
        text, role = clean(cell.text), apart.get(id(cell))
        if role == "unit":
            unit = text
        elif role == "nature" or text in vocab["qualitative_nature"]:
            comparator = text if text in vocab["nature_comparators"] else comparator
        else:
            values.append(cell)
    if not values:
        return "", None
    value = clean(values[0].text)
    if not apart:
        return value, values[0]
    quantity = parse_quantity(value)
    suffix = unit if quantity is not None and not quantity.unit else ""
    return f"{comparator}{value}{suffix}", values[0]


def _kinds_under(label: str, types: dict[str, str]) -> list[str]:
    """The indicator types a label covers: a category's (成本指标: cost, other_cost), else its own type."""
    return pack("indicators.toml")["required"].get(label, [types[label]])


def _refines(group: tuple[str, list[Cell]], label: str, types: dict[str, str]) -> bool:
    """An empty group opened by a 二级 label that ``label``, of the same type, restates or narrows."""
    opened, cells = group
    return bool(opened) and not cells and types[label] in _kinds_under(opened, types)


def _split_row(cells: Sequence[Cell]) -> tuple[str, list[tuple[str, list[Cell]]]]:
    """A row's 一级 name (if any) and its groups of (二级 name, [三级 name, value]).

    A leading group without its own 二级 name borrows the next group's: the
    row then lacks the label only in its first period.  成本指标 is 一级 when
    a cost 二级 name (经济成本指标…) follows it, else 二级; a 二级 label right
    after another of its type, with nothing between, stands in the 三级 column
    and narrows it.
    """
    vocab = pack("indicators.toml")
    types = level2_types()
    texts = [clean(c.text) for c in cells]
    level1 = ""
    groups: list[tuple[str, list[Cell]]] = [("", [])]
    for index, (cell, text) in enumerate(zip(cells, texts)):
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if text in vocab["level1"] and (text not in types or types.get(following) in _kinds_under(text, types)):
            level1 = text
        elif text in types and _refines(groups[-1], text, types):
            groups[-1] = (text, [])  # a 三级 cell holding a 二级 label (成本指标 | 经济成本指标 | …)
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


# --- a listing of projects (北京: one table, a project's name, funds and goal on its first row) ---------


def _read_listing(
    table: Table, title: str, scope: str, rows: Sequence[Row], start: int, unit: str
) -> list[PerformanceForm]:
    """One form per project of a table whose rows list every project's indicators, read by column."""
    header = rows[start]
    name_column, goal_column = _column(header, "project_name_words"), _column(header, "goal_words")
    level_columns = [_column_of(header, [word]) for word in pack("indicators.toml")["header_words"][:3]]
    value_columns = (
        _column(header, "nature_words", exact=False),
        _column(header, "value_words", exact=False),
        _column(header, "unit_words", exact=False),
    )
    total_column = next((c for c, cell in _grid(header).items() if _fund_kind(cell) == "total"), None)
    part_columns = _part_columns(rows[start + 1]) if start + 1 < len(rows) else {}
    body = [r for r in rows[start + 1:] if not _is_indicator_header(r) and not _part_columns(r)]
    forms = []
    for name_cell, group in _projects(body, name_column):
        form = _listed_form(table, title, scope, name_cell, unit)
        grids = [_grid(row) for row in group]
        _listed_funds(form, grids, total_column, part_columns, header)
        goals = {id(g[goal_column]): g[goal_column] for g in grids if goal_column in g and clean(g[goal_column].text)}
        if goals:
            first = next(iter(goals.values()))
            form.goals = [("".join(c.text for c in goals.values()), first.location)]
        for grid in grids:
            _listed_indicator(form, grid, level_columns, value_columns)
        forms.append(form)
    return forms


def _projects(rows: Sequence[Row], column: int | None) -> list[tuple[Cell, list[Row]]]:
    """The rows of each listed project, with the cell naming it.

    A project's name cell spans its rows (in a PDF the rows it covers share its
    location) and prints its name once, mid-height.  A span that a page break
    cut in two leaves a part without the name: a nameless part ending a page
    belongs to the project the next page opens with, any other to the one before.
    """
    spans: list[tuple[Cell, list[Row]]] = []
    for row in rows:
        cell = _grid(row).get(column) if column is not None else None
        if cell is None:
            continue
        if spans and (cell.location == spans[-1][0].location or not (clean(cell.text) or cell.rowspan > 1)):
            spans[-1][1].append(row)
        else:
            spans.append((cell, [row]))
    merged: list[tuple[Cell, list[Row]]] = []
    for index, (cell, group) in enumerate(spans):
        if clean(cell.text):
            merged.append((cell, (merged.pop()[1] if merged and not clean(merged[-1][0].text) else []) + group))
        elif index + 1 < len(spans) and spans[index + 1][0].location.page != cell.location.page:
            merged.append((cell, group))  # its project opens the next page
        elif merged:
            merged[-1][1].extend(group)
    return [(cell, group) for cell, group in merged if clean(cell.text)]


def _fund_kind(cell: Cell) -> str:
    found = fund_label(clean(cell.text))
    return found[0] if found else ""


def _part_columns(row: Row) -> dict[int, str]:
    """Columns headed by a funds part (财政资金, 其他资金): a listing's second header row."""
    found = {c: fund_label(clean(cell.text)) for c, cell in _grid(row).items()}
    return {c: f[1] for c, f in found.items() if f and f[0] == "part"}


def _listed_form(table: Table, title: str, scope: str, name_cell: Cell, unit: str) -> PerformanceForm:
    name = regex.sub(pack("indicators.toml")["name_code_pattern"], "", clean(name_cell.text))
    form = PerformanceForm(
        scope=scope, title=title, location=name_cell.location.with_logical(title), confident=table.confidence >= 1.0
    )
    form.name, form.name_location = name, name_cell.location.with_logical(name, "项目名称")
    form.listed = True
    if unit:
        form.unit, form.unit_declared = unit, True
    return form


def _listed_funds(form: PerformanceForm, grids: Sequence[dict[int, Cell]], total: int | None, parts: dict[int, str],
                  header: Row) -> None:
    """A listed project's total (项目总额) and its parts (财政资金, 其他资金): the first cell of each that is filled."""
    labels = {total: clean(_grid(header)[total].text)} if total is not None else {}
    for column, label in ({**labels, **parts}).items():
        cell = next((g[column] for g in grids if column in g and clean(g[column].text)), None)
        if cell is None:
            continue
        value = Value(amount(clean(cell.text)), clean(cell.text), cell.location.with_logical(form.name, label))
        if column == total:
            form.funds["annual_total"] = value
        else:
            form.fund_parts.setdefault("annual_total", {})[label] = value


def _listed_indicator(form: PerformanceForm, grid: dict[int, Cell], levels: list[int | None],
                      value_columns: tuple[int | None, int | None, int | None]) -> None:
    """The indicator on one row of a listing, by column: 一级, 二级, 三级, then 指标性质, 指标值, 度量单位."""
    texts = [clean(grid[c].text) if c in grid else "" for c in levels]
    if None in levels or not texts[1] or not texts[2]:
        return
    cells = [grid[c] for c in value_columns if c is not None and c in grid]
    nature, _, unit = value_columns
    value, value_cell = _value(cells, _apart(grid, nature, unit))
    annual = pack("indicators.toml")["periods"][-1]
    location = (value_cell or grid[levels[2]]).location.with_logical(form.name, annual, texts[1], texts[2])
    form.indicators.append(Indicator(
        texts[0], texts[1], texts[2], value, parse_quantity(value), annual, location, _name_unit(texts[2]),
        _qualitative(cells),
    ))

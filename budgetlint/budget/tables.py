"""Recognise the standard tables: title, kind, unit, header, sections and items.

Columns are mapped by their header text, never by position, and a table is
split into sections (a label column with its value columns) so that
two-sided summary tables and tables with code columns read the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import regex

from budgetlint.budget.model import BudgetTable, Column, Item, Section, Value
from budgetlint.budget.text import clean, is_code, is_unit_code, split_code, strip_numbering, title_text
from budgetlint.budget.vocabulary import compile_pattern, has_any, pack
from budgetlint.document import Block, Heading, Paragraph, Row, Table
from budgetlint.numbers import amount

LOOK_BACK = 6
LOOK_AHEAD = 3
_MONEY = "(亿元|万元|千元|元)"
_UNIT = regex.compile(rf"单位[:：]\s*{_MONEY}")
_HEADER_UNIT = regex.compile(rf"[（(](?:单位[:：])?{_MONEY}[)）]")
_YEAR_LINE = regex.compile(r"^[（(]?20\d{2}年度?[)）]?$")
# Rows above a table's header that may hold its title, unit or year inside the ruled grid.
LEAD_ROWS = 4
_SPLIT_CODE = regex.compile(r"^\d{2,3}$")
_COLUMN_NUMBERS = regex.compile(r"^\d{1,2}$")
_WORDS = regex.compile(r"[\p{Han}A-Za-z]")


@dataclass(frozen=True)
class TableContext:
    """A table with the text blocks just before and after it."""

    table: Table
    before: Sequence[Block]
    after: Sequence[Block]


def contexts(blocks: Sequence[Block]) -> list[TableContext]:
    """Every table with its neighbouring text blocks (never crossing another table)."""
    found = []
    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        before: list[Block] = []
        for previous in reversed(blocks[max(0, index - LOOK_BACK):index]):
            if isinstance(previous, Table):
                break
            before.append(previous)
        after: list[Block] = []
        for following in blocks[index + 1:index + 1 + LOOK_AHEAD]:
            if isinstance(following, Table):
                break
            after.append(following)
        parts = split_at_titles(block)
        found += [
            TableContext(part, before if n == 0 else [], after if n == len(parts) - 1 else [])
            for n, part in enumerate(parts)
        ]
    return found


def split_at_titles(table: Table) -> list[Table]:
    """A grid holding several tables, each under its own title row (预算07表 … then 预算08表 … below it), split apart.

    A row past the table's leading rows that holds nothing but a title of a
    known kind starts the next table; with none, [table] itself.
    """
    rows = table.rows
    starts = [0] + [n for n in range(lead_rows(rows) + 1, len(rows)) if _starts_table(rows[n])]
    if len(starts) == 1:
        return [table]
    bounds = list(pairwise([*starts, len(rows)]))
    return [replace(table, rows=rows[a:b], location=rows[a].location if a else table.location) for a, b in bounds]


def _starts_table(row: Row) -> bool:
    """A row holding only a table title that names a known kind (预算08表 国有资本经营预算支出表)."""
    texts = [t for t in _texts(row) if t]
    return len(texts) == 1 and _is_title(title := title_text(texts[0])) and bool(classify(title))


def join_repeats(found: list[tuple[TableContext, str]]) -> list[tuple[TableContext, str]]:
    """A table printed again under its repeated title and header on the next page is one table.

    Consecutive tables with the same title whose first rows repeat the first
    table's header rows are joined, without the repeated header, nor the
    total rows (合计) repeated right under it.  (Forms that share a title but
    not a header, like one 绩效目标表 per project, stay apart because their
    first rows differ.)
    """
    joined: list[tuple[TableContext, str]] = []
    for context, title in found:
        if joined and title and joined[-1][1] == title:
            previous = joined[-1][0]
            repeated = _repeated_header(previous.table.rows, context.table.rows)
            if repeated:
                repeated += _repeated_totals(previous.table.rows, context.table.rows[repeated:])
                rows = previous.table.rows + context.table.rows[repeated:]
                table = replace(previous.table, rows=rows, confidence=min(previous.table.confidence, context.table.confidence))
                joined[-1] = (TableContext(table, previous.before, context.after), title)
                continue
        joined.append((context, title))
    return joined


def _repeated_header(first: Sequence[Row], second: Sequence[Row]) -> int:
    """How many leading rows of ``second`` repeat the header rows of ``first`` (0 if none)."""
    header = _header_rows(first)
    count = 0
    while count < min(header, len(second)) and _texts(first[count]) == _texts(second[count]):
        count += 1
    return count if count == header and header else 0


def _repeated_totals(first: Sequence[Row], rest: Sequence[Row]) -> int:
    """How many leading rows of ``rest`` (a continuation past its header) repeat the total rows opening ``first``'s data."""
    data = first[_header_rows(first):]
    count = 0
    while count < min(len(data), len(rest)) and _texts(data[count]) == _texts(rest[count]) and _is_total_row(data[count]):
        count += 1
    return count


def _is_total_row(row: Row) -> bool:
    """A row labelled as a total (合计, 总计, 本年收入合计) in its first labelled cell."""
    label = next((t for t in _texts(row) if t), "")
    return row_role(strip_numbering(label)[0]) in ("total", "grand_total")


def _texts(row: Row) -> tuple[str, ...]:
    return tuple(clean(t) for t in row.texts)


def find_title(context: TableContext) -> tuple[str, Block | None]:
    """The table's title: set inside its grid (block None), else the nearest preceding heading or paragraph."""
    title = grid_title(context.table.rows)
    if title:
        return title, None
    vocab = pack("tables.toml")
    for block in context.before:
        if not isinstance(block, (Heading, Paragraph)):
            continue
        text = clean(block.text)
        if any(text.startswith(p) for p in vocab["not_title_prefixes"]):
            continue
        title = title_text(text)
        if title and _is_title(title):
            return title, block
    return "", None


def grid_title(rows: Sequence[Row]) -> str:
    """The title set in a cell of the table's own leading rows (预算01表 收支总表 inside the ruled grid), or ''."""
    for row in rows[:lead_rows(rows)]:
        for text in _texts(row):
            title = title_text(text)
            if title and _is_title(title) and not _is_note(text):
                return title
    return ""


def lead_rows(rows: Sequence[Row]) -> int:
    """How many leading rows are no part of the table proper: blank, or holding only its title, unit or year.

    Some layouts set the title (预算01表 收支总表) and the unit (金额单位：万元)
    in rows of the ruled grid above the header; they are neither header nor data.
    """
    count = 0
    while count < min(LEAD_ROWS, len(rows)) and _is_lead_row(rows[count]):
        count += 1
    return count


def _is_lead_row(row: Row) -> bool:
    """A row of nothing but blanks, notes (单位：万元, 编制部门：…, (2026年度)) and at most one table title."""
    texts = [t for t in _texts(row) if t]
    notes = [t for t in texts if _is_note(t)]
    titles = [t for t in texts if t not in notes and (title := title_text(t)) and _is_title(title)]
    return len(titles) <= 1 and len(notes) + len(titles) == len(texts)


def _is_note(text: str) -> bool:
    """A line about the table rather than of it: its unit, its compiler, or its year alone."""
    prefixes = pack("tables.toml")["not_title_prefixes"]
    labelled = any(text.startswith(p) and (p[-1] in ":：" or text[len(p):len(p) + 1] in (":", "：")) for p in prefixes)
    return labelled or bool(_UNIT.search(text) or _YEAR_LINE.match(text))


def _is_title(text: str) -> bool:
    vocab = pack("tables.toml")
    return has_any(text, vocab["title_must"]) and has_any(text, vocab["title_words"]) and len(text) <= 60


def classify(title: str) -> str:
    """The table kind for a title, from the kinds in rules/tables.toml ('' if none)."""
    for kind in pack("tables.toml")["kinds"]:
        if not all(w in title for w in kind.get("all", [])):
            continue
        if kind.get("any") and not has_any(title, kind["any"]):
            continue
        if has_any(title, kind.get("none", [])):
            continue
        return kind["id"]
    return ""


def is_two_sided(kind: str) -> bool:
    return any(k["id"] == kind and k.get("side") for k in pack("tables.toml")["kinds"])


def find_unit(context: TableContext) -> str:
    """The declared unit (元, 千元, 万元, 亿元): 单位：万元 above the table or in its leading rows, else (万元) in its header."""
    rows = context.table.rows
    top = lead_rows(rows)
    header = [t for row in rows[:top + max(1, _header_rows(rows[top:]))] for t in _texts(row)]
    texts = [clean(b.text) for b in context.before if isinstance(b, (Heading, Paragraph))] + header
    for pattern, found in ((_UNIT, texts), (_HEADER_UNIT, header)):
        match = next((m for text in found if (m := pattern.search(text))), None)
        if match:
            return match.group(1)
    return ""


def find_empty_note(context: TableContext):
    """The location of a note saying the table is empty (本表无数据), if any."""
    notes = pack("tables.toml")["empty_notes"]
    for block in context.after:
        if isinstance(block, Paragraph) and has_any(clean(block.text), notes):
            return block.location
    return None


def find_notes(context: TableContext) -> tuple[str, ...]:
    """The notes right under the table (注：本表反映…, 说明：…), as plain text."""
    prefixes = tuple(pack("tables.toml")["note_prefixes"])
    texts = (clean(block.text) for block in context.after if isinstance(block, Paragraph))
    return tuple(text for text in texts if text.startswith(prefixes))


def read_table(context: TableContext, title: str, kind: str, unit: str) -> BudgetTable:
    """Split a table into header and sections of labelled items."""
    rows = context.table.rows
    top = lead_rows(rows)
    header_count = top + _header_rows(rows[top:])
    width = max((len(r.cells) for r in rows), default=0)
    data = rows[header_count:]
    headers = [_header_path(rows[top:header_count], j) for j in range(width)]
    code_columns = [j for j in range(width) if _is_code_column(data, j, headers[j])]
    label_columns = [j for j in range(width) if j not in code_columns and _is_label_column(data, j)]
    read: list[Section] = []
    sections = _sections(data, headers, width, code_columns, label_columns, kind)
    for n, section in enumerate(sections):
        own_codes = _own_code_columns(code_columns, sections[n - 1] if n else None, section)
        attributes = _attributes(section, label_columns)
        periods = _periods(data, section.label_column, attributes[0]) if attributes else []
        for period in periods:  # a stacked table: one section per period, its rows named by the label above
            part = replace(section, columns=list(section.columns))
            part.items = _items(rows, header_count, part, own_codes, attributes[1:], title, (attributes[0], period))
            read.append(part)
        if not periods:
            section.items = _items(rows, header_count, section, own_codes, attributes, title)
            read.append(section)
    sections = read
    _spanning_labels(sections, title)
    for section in sections:
        _sole_row_total(section)
        _grand_totals(section)
    return BudgetTable(
        kind=kind,
        title=title,
        title_location=context.table.location.with_logical(title),
        unit=unit,
        table=context.table,
        header_rows=header_count,
        sections=sections,
        empty_note=find_empty_note(context),
        notes=find_notes(context),
    )


def _cell(row: Row, j: int) -> str:
    return clean(row.cells[j].text) if j < len(row.cells) else ""


def _is_data_row(row: Row) -> bool:
    texts = [clean(t) for t in row.texts]
    if not any(texts):
        return False
    label, _ = strip_numbering(texts[0])
    vocab = pack("tables.toml")["rows"]
    numbers = [t for t in texts[1:] if t and amount(t) is not None]
    if is_code(texts[0]):
        return True
    if label in vocab["total"] + vocab["grand_total"]:
        # 合计 heading a row of column names (合计 | 基本支出 | 项目支出) is a header
        return bool(numbers) or not any(_WORDS.search(t) for t in texts[1:])
    return bool(numbers) and not _is_column_numbers(row)


def _header_rows(rows: Sequence[Row]) -> int:
    """Rows before the first data row, or before a lone row label (an empty table's first item).

    A code column's sub-header (类, 款, 项) on a line of its own is no row label.
    """
    parts = pack("tables.toml")["code_parts"]
    for index, row in enumerate(rows):
        texts = [clean(t) for t in row.texts]
        lone_label = index > 0 and bool(texts[0]) and texts[0] not in parts and not any(texts[1:])
        if _is_data_row(row) or lone_label:
            return index
    return len(rows)


def _is_column_numbers(row: Row) -> bool:
    """A row numbering the columns: 1 | 2 | 3, maybe after a label such as 栏次."""
    labels = pack("tables.toml")["column_number_labels"]
    texts = [text for t in row.texts if (text := clean(t)) and text not in labels]
    return bool(texts) and all(_COLUMN_NUMBERS.match(t) for t in texts)


def _header_path(header: Sequence[Row], j: int) -> tuple[str, ...]:
    """Header texts of column ``j``, top to bottom.

    An empty cell above sub-headers inherits from the nearest cell to its left
    when that one spans sub-headers too (a group such as 财政拨款 over its
    sources); a header standing alone over its own column (支出项目类别) spans no other.
    """
    header = [row for row in header if not _is_column_numbers(row)]
    path = []
    for r, row in enumerate(header):
        text = _cell(row, j)
        if not text and any(_cell(lower, j) for lower in header[r + 1:]):
            k = next((k for k in range(j - 1, -1, -1) if _cell(row, k)), None)
            spans = k is not None and any(_cell(lower, k) for lower in header[r + 1:])
            text = _cell(row, k) if spans else ""
        if text and not _COLUMN_NUMBERS.match(text) and (not path or path[-1] != text):
            path.append(text)
    return tuple(path)


def _is_code_column(data: Sequence[Row], j: int, header: tuple[str, ...] = ()) -> bool:
    """Mostly codes (201, 20132, or split 201 | 01 | 01), under no header or a code header (科目编码, 类/款/项).

    A column headed by something else (购置费) holding a small whole amount (25)
    is not one; unit codes (015001) count only under a code header (单位编码),
    never under none, where they could be whole amounts in 元.
    """
    cells = [_cell(r, j) for r in data if _cell(r, j)]
    named = any(_column_key((h,)) == "code" or h in pack("tables.toml")["code_parts"] for h in header)
    codes = [c for c in cells if is_code(c) or _SPLIT_CODE.match(c) or (named and is_unit_code(c))]
    return bool(codes) and len(codes) >= 0.6 * len(cells) and (named or not header)


def _is_label_column(data: Sequence[Row], j: int) -> bool:
    """A column of words: more word cells than numbers, and at least two (or all rows)."""
    cells = [_cell(r, j) for r in data]
    texts = sum(1 for c in cells if _WORDS.search(c))
    numbers = sum(1 for c in cells if c and amount(c) is not None)
    return texts > numbers and texts >= min(2, len(cells))


def column_key(text: str) -> str:
    """The column key one header text (or an income row label: 一般公共预算, 单位资金…) names, '' if none."""
    return _column_key((text,))


def _column_key(header: tuple[str, ...]) -> str:
    for text in reversed(header):
        text = _HEADER_UNIT.sub("", text)  # 预算数（万元） names the column 预算数 does
        for entry in pack("tables.toml")["columns"]:
            if has_any(text, entry.get("none", [])):
                continue
            if text in entry.get("exact", []) or has_any(text, entry.get("any", [])):
                return entry["key"]
            if entry.get("pattern") and compile_pattern(entry["pattern"], "tables.toml columns").fullmatch(text):
                return entry["key"]
    return ""


def _sections(data, headers, width, code_columns, label_columns, kind) -> list[Section]:
    """One section per label column; a word column right after a label column is its attribute.

    A label column with neither amounts nor codes between it and the one
    before (科目名称 | 序号 | 项目名称) names that section's detail rows; it
    starts no section of its own.
    """
    def is_value(j: int) -> bool:
        return j not in code_columns and j not in label_columns and _column_key(headers[j]) not in ("code", "name", "row_number")

    starts = [label for n, label in enumerate(label_columns) if n == 0 or label != label_columns[n - 1] + 1] or [-1]
    labels = starts[:1]
    for label in starts[1:]:
        if any(is_value(j) or j in code_columns for j in range(labels[-1] + 1, label)):
            labels.append(label)
    sections: list[Section] = []
    for n, label in enumerate(labels):
        end = labels[n + 1] if n + 1 < len(labels) else width
        columns = [Column(j, headers[j], _column_key(headers[j])) for j in range(label + 1, end) if is_value(j)]
        sections.append(Section(side="", label_column=label, columns=columns))
    if is_two_sided(kind) and len(sections) >= 2:
        sections[0].side, sections[1].side = "income", "expense"
    return sections


def _periods(data: Sequence[Row], label_column: int, column: int) -> list[str]:
    """The periods a stacked table repeats in ``column`` under each row label, in order; [] for any other column.

    深圳's 三公 table by unit states each unit three times (预算单位 | 年度:
    2025年, 2026年, 增减变化金额), its label merged down over them: the
    column cycles through the same periods, the first of each cycle on a
    labelled row and the others on unlabelled ones.  A column of years of
    another kind (a project's 起始年度) has no such cycle.
    """
    rows = [(_cell(row, label_column), text) for row in data if (text := _cell(row, column))]
    cycle = list(dict.fromkeys(text for _, text in rows))
    if len(cycle) < 2 or len(rows) % len(cycle) or len(rows) == len(cycle) or not all(map(is_period, cycle)):
        return []
    for n, (label, text) in enumerate(rows):
        if text != cycle[n % len(cycle)] or bool(label) != (n % len(cycle) == 0):
            return []
    return cycle


def is_period(text: str) -> bool:
    """A year (2026年, 2025年预算数) or the change between years (增减变化金额) labelling a row or column."""
    rows = pack("tables.toml")["rows"]
    return text in rows["period_change"] or compile_pattern(rows["period_pattern"], "tables.toml rows").fullmatch(text) is not None


def _attributes(section: Section, label_columns: Sequence[int]) -> list[int]:
    """The word columns right after a section's label column (专项名称 | 经济科目 | 采购物品名称…)."""
    found: list[int] = []
    while section.label_column >= 0 and section.label_column + len(found) + 1 in label_columns:
        found.append(section.label_column + len(found) + 1)
    return found


def _indented(row: Row, attributes: Sequence[int]) -> tuple[str, int, int]:
    """(label, depth, column) of a row labelled in its attribute columns only, else ('', 0, -1).

    A hierarchy may be set out by columns (采购品目大类 | 专项名称 | 经济科目 |
    采购物品名称): a row with its own label blank sits as deep as its last
    filled column (a 小计 or 合计 there marks a subtotal, not a level), and is
    named by its first.
    """
    vocab = pack("tables.toml")["rows"]
    filled = [
        (depth, j) for depth, j in enumerate(attributes, start=2)
        if (text := _cell(row, j)) and text not in vocab["total"] + vocab["grand_total"] and not text.endswith(("合计", "小计"))
    ]
    if not filled:
        return "", 0, -1
    return _cell(row, filled[0][1]), filled[-1][0], filled[0][1]


def _own_code_columns(code_columns: Sequence[int], previous: Section | None, section: Section) -> list[int]:
    """The code columns of ``section``: those left of its label column and right of the previous section's.

    A table of two halves side by side (经济分类科目编码 | 科目名称 | 金额 twice)
    has a code column per half; each half reads only its own.
    """
    if section.label_column < 0:
        return list(code_columns)
    after = previous.label_column if previous is not None else -1
    return [j for j in code_columns if after < j < section.label_column]


def _items(rows, header_count, section: Section, own_codes: Sequence[int], attributes: Sequence[int], title: str,
           period: tuple[int, str] | None = None) -> list[Item]:
    """The section's rows as items; with ``period`` (column, text), only the rows of that period of a stacked table."""
    vocab = pack("tables.toml")["rows"]
    items: list[Item] = []
    above: list[str] = []
    stack_label = ""  # a stacked table's row label, merged down over its periods
    stated_for = period[1] if period is not None else ""
    value_columns = {c.index for c in section.columns}
    for index in range(header_count, len(rows)):
        row = rows[index]
        if period is not None:
            stack_label = _cell(row, section.label_column) or stack_label
            if _cell(row, period[0]) != period[1]:
                continue
        code_parts = _code_parts(_inherit([_cell(row, j) for j in own_codes], above))
        if any(_is_code_part(p) for p in code_parts):
            above = code_parts
        code_parts = _first_code(code_parts)
        raw = _cell(row, section.label_column) if section.label_column >= 0 else ""
        raw = raw or stack_label
        depth, anchor_column = 0, section.label_column
        if not raw:  # 合计 merged across 序号 | 项目名称 sits in the leftmost cell
            raw = next((t for j in range(section.label_column) if (t := _cell(row, j)) in vocab["total"] + vocab["grand_total"]), "")
        if not raw:
            raw = next((p for p in code_parts if p and not _is_code_part(p)), "")
        if not raw and not any(code_parts):
            raw, depth, anchor_column = _indented(row, attributes)
        code = "".join(p for p in code_parts if _is_code_part(p))
        if not code and raw and raw == _cell(row, section.label_column):
            code, raw = split_code(row.cells[section.label_column].text)
        label, numbering = strip_numbering(raw)
        values = {}
        for c in section.columns:
            if c.index < len(row.cells):
                j = _value_cell(row, c.index, value_columns)
                values[c.index] = Value(amount(_cell(row, j)), _cell(row, j), _cell_location(row, j, title, label, stated_for, c))
        if (not label or depth) and not code and all(v.is_blank for v in values.values()):
            continue  # an empty row, or a label wrapped onto a line of its own
        if not label and not code:
            label, depth = _detail_row(row, section, items)
        role = row_role(label)
        level = _code_level(code, len([p for p in code_parts if p])) or depth or numbering or 1
        anchor = row.cells[anchor_column] if 0 <= anchor_column < len(row.cells) else row.cells[0]
        indent = anchor.indent if anchor_column == section.label_column >= 0 else 0.0
        items.append(Item(label, code, level, role, index, values, anchor.location.with_logical(title, label or code, stated_for),
                          numbering, indent, stated_for))
    return items


def _value_cell(row: Row, j: int, values: set[int]) -> int:
    """The cell holding value column ``j``'s amount (``values``: the section's value columns): ``j``, or a
    merged cell reaching over it from the left.

    A 合计 row may merge its amount's cell with a code column before it
    (北京: 部门支出经济分类科目 | 合计); the amount, printed at the merged
    cell's right, is the first value column's that the cell covers.
    """
    if _cell(row, j):
        return j
    for k in range(j - 1, -1, -1):
        if k in values:
            return j
        if _cell(row, k):
            reaches = k + row.cells[k].colspan > j
            return k if reaches and amount(_cell(row, k)) is not None else j
    return j


def row_role(label: str) -> str:
    """A row's role by its label: grand_total (总计), total (合计, 当年收入小计), carryover (上年结转资金) or item."""
    vocab = pack("tables.toml")["rows"]
    if label in vocab["grand_total"]:
        return "grand_total"
    if label in vocab["total"] or label.endswith(("合计", "小计")):
        return "total"
    if any(label == c or label.startswith(c) and label[len(c):] in vocab["carryover_suffixes"] for c in vocab["carryover"]):
        return "carryover"
    return "item"


def _grand_totals(section: Section) -> None:
    """A total after another total, with only carryover rows between, is the grand total (福州's 收入合计).

    Most templates say 本年收入合计 … 收入总计; some say 当年收入小计 … 收入合计,
    or 本年收入合计 … 收入合计.
    """
    after_total = carried = False  # a total was seen, and a carryover row since (whose breakdown may follow)
    for item in section.items:
        if item.role == "total" and after_total:
            item.role = "grand_total"
        if item.role in ("total", "grand_total"):
            after_total, carried = True, False
        elif item.role == "carryover":
            carried = after_total
        elif not carried:
            after_total = False


def _detail_row(row: Row, section: Section, items: Sequence[Item]) -> tuple[str, int]:
    """(name, depth) of an uncoded row named right of the label column under a coded row; ('', 0) if not one.

    A table of codes may list the projects of a 项 below it, named in a
    column of their own (序号 | 项目名称): they are that row's parts, one
    level deeper.  (A name left of the label column, like the next unit's
    in 预算单位 | 科目编码 | 科目名称, is no part.)
    """
    coded = next((i for i in reversed(items) if i.code or i.role != "item"), None)
    if coded is None or not coded.code or section.label_column < 0:
        return "", 0
    name = next((t for j in range(section.label_column + 1, len(row.cells)) if _WORDS.search(t := _cell(row, j))), "")
    return (name, coded.level + 1) if name else ("", 0)


def _spanning_labels(sections: Sequence[Section], title: str) -> None:
    """A label set across two sections of one side, its amount under the second.

    A two-view expense side (功能分类 | 支出用途) may share its summary rows: the
    label (支出合计) spans both views and the amount sits in the last column.
    The amount then belongs to the label in both sections.
    """
    for left, right in pairwise(sections):
        if left.side == "income" or right.side not in ("", left.side):
            continue
        column = left.column("total") or (left.columns[0] if len(left.columns) == 1 else None)
        if column is None:
            continue
        unlabelled = {i.row_index: i for i in right.items if not i.label and not i.code}
        for item in left.items:
            other = unlabelled.get(item.row_index)
            amounts = [v for v in other.values.values() if not v.is_blank] if other else []
            if not item.label or len(amounts) != 1 or any(not v.is_blank for v in item.values.values()):
                continue
            shared = amounts[0]
            item.values[column.index] = Value(shared.amount, shared.text, shared.location.with_logical(title, item.label, column.label))
            other.label, other.role, other.level = item.label, item.role, item.level
            other.location = other.location.with_logical(title, item.label)
            headers = {c.index: c.label for c in right.columns}
            other.values = {
                j: Value(v.amount, v.text, v.location.with_logical(title, item.label, headers[j]))
                for j, v in other.values.items()
            }


def _sole_row_total(section: Section) -> None:
    """A table of one unlabelled row under its column names (合计 | 基本支出 | 项目支出) states the totals."""
    if section.label_column < 0 and len(section.items) == 1 and not section.items[0].label and not section.items[0].code:
        section.items[0].role = "total"


def wide_items(section: Section) -> list[Item]:
    """The items of a section set out as one row under their names (合计 | 因公出国(境)费 | 公务接待费…).

    Each named column but a total is an item, as a row of that name would
    be (a group's 小计 is named by its group: 公务用车购置及运行费); [] for a
    section with a label column or more than one row.
    """
    row = _only_row(section)
    if row is None:
        return []
    found = []
    for column in section.columns:
        value = row.value(column)
        subtotal = column.key == "total" and len(column.header) > 1 and not _is_whole(column)
        if value is None or (column.key == "total" and not subtotal) or not column.header:
            continue
        name = column.header[-2] if subtotal else column.header[-1]
        found.append(Item(name, "", 1, "item", row.row_index, {column.index: value}, value.location))
    return found


def wide_totals(section: Section) -> list[tuple[Column, Value]]:
    """The totals (合计) of a section set out as one row, one per header group (预算数 | 决算数)."""
    row = _only_row(section)
    if row is None:
        return []
    return [(c, value) for c in section.columns if _is_whole(c) and (value := row.value(c)) is not None]


def _only_row(section: Section) -> Item | None:
    """The one row of a section without a label column (a table set out as one row), else None."""
    return section.items[0] if section.label_column < 0 and len(section.items) == 1 else None


def _is_whole(column: Column) -> bool:
    """A total column named as the whole of its group (合计, 总计), not a sub-group's 小计."""
    vocab = pack("tables.toml")["rows"]
    return column.key == "total" and (len(column.header) <= 1 or column.header[-1] in vocab["total"] + vocab["grand_total"])


def _is_code_part(text: str) -> bool:
    """A code, one part of a split code, or a unit's code (201, 01, 2010801, 015001)."""
    return is_code(text) or bool(_SPLIT_CODE.match(text)) or is_unit_code(text)


def _inherit(parts: list[str], above: Sequence[str]) -> list[str]:
    """Code parts over 类/款/项 columns with the blank leading parts taken from the code row above.

    A table may print each part once (201 | | on the 类 row, | 08 | on its
    款 rows, | | 01 on its 项 rows): a 款 or 项 row's code starts with the
    parts of the row above it, and sits as deep as its last part.
    """
    filled = [n for n, p in enumerate(parts) if p.isdigit() and len(p) <= 3]
    if not filled:
        return parts
    blanks = [n for n in range(filled[-1]) if not parts[n]]
    if not blanks or not all(_inherits(parts, above, n) for n in blanks):
        return parts
    return [above[n] if n in blanks else p for n, p in enumerate(parts)]


def _inherits(parts: Sequence[str], above: Sequence[str], n: int) -> bool:
    """Whether blank part ``n`` can come from ``above``: it has it, and no 类 (3 digits) before it differs."""
    return (
        n < len(above)
        and _is_code_part(above[n])
        and all(len(p) < 3 or p == above[k] for k, p in enumerate(parts[:n]))
    )


def _first_code(parts: list[str]) -> list[str]:
    """The parts of the row's first code: two codes side by side (部门经济科目 301 | 01 | 政府经济科目 501 | 01) are never glued.

    A code starts at a part of three digits or more; the parts from the
    second such start on belong to the other code and are dropped (blank).
    """
    starts = [n for n, p in enumerate(parts) if p.isdigit() and len(p) >= 3]
    if len(starts) < 2:
        return parts
    return [p if n < starts[1] else "" for n, p in enumerate(parts)]


def _code_parts(parts: list[str]) -> list[str]:
    """Split code parts with a 款/项 part written without its leading zero (301 | 2) padded (301 | 02)."""
    return [
        f"0{p}" if n and p.isdigit() and len(p) == 1 and _SPLIT_CODE.match(parts[n - 1]) else p
        for n, p in enumerate(parts)
    ]


def _code_level(code: str, parts: int) -> int:
    if not code:
        return 0
    if parts > 1:
        return parts
    if is_unit_code(code):
        return len(code) // 3
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)


def _cell_location(row: Row, j: int, title: str, label: str, period: str, column: Column):
    return row.cells[j].location.with_logical(title, label, period, column.label)

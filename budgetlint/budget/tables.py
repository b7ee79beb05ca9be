"""Recognise the standard tables: title, kind, unit, header, sections and items.

Columns are mapped by their header text, never by position, and a table is
split into sections (a label column with its value columns) so that
two-sided summary tables and tables with code columns read the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from budgetlint.budget.model import BudgetTable, Column, Item, Section, Value
from budgetlint.budget.text import clean, is_code, strip_numbering, title_text
from budgetlint.budget.vocabulary import has_any, pack
from budgetlint.document import Block, Heading, Paragraph, Row, Table
from budgetlint.numbers import amount

LOOK_BACK = 6
LOOK_AHEAD = 3
_UNIT = regex.compile(r"单位[:：]\s*(亿元|万元|元)")
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
        found.append(TableContext(block, before, after))
    return found


def find_title(context: TableContext) -> tuple[str, Block | None]:
    """The nearest preceding heading or paragraph that reads as a table title."""
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
    """The declared unit (元, 万元, 亿元) from the lines above the table or its first row."""
    texts = [b.text for b in context.before if isinstance(b, (Heading, Paragraph))]
    if context.table.rows:
        texts += list(context.table.rows[0].texts)
    for text in texts:
        match = _UNIT.search(clean(text))
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


def read_table(context: TableContext, title: str, kind: str, unit: str) -> BudgetTable:
    """Split a table into header and sections of labelled items."""
    rows = context.table.rows
    header_count = _header_rows(rows)
    width = max((len(r.cells) for r in rows), default=0)
    data = rows[header_count:]
    headers = [_header_path(rows[:header_count], j) for j in range(width)]
    code_columns = [j for j in range(width) if _is_code_column(data, j)]
    label_columns = [j for j in range(width) if j not in code_columns and _is_label_column(data, j)]
    sections = _sections(data, headers, width, code_columns, label_columns, kind)
    for section in sections:
        section.items = _items(rows, header_count, section, code_columns, title)
    return BudgetTable(
        kind=kind,
        title=title,
        title_location=context.table.location.with_logical(title),
        unit=unit,
        table=context.table,
        header_rows=header_count,
        sections=sections,
        empty_note=find_empty_note(context),
    )


def _cell(row: Row, j: int) -> str:
    return clean(row.cells[j].text) if j < len(row.cells) else ""


def _is_data_row(row: Row) -> bool:
    texts = [clean(t) for t in row.texts]
    if not any(texts):
        return False
    label, _ = strip_numbering(texts[0])
    vocab = pack("tables.toml")["rows"]
    if is_code(texts[0]) or label in vocab["total"] + vocab["grand_total"]:
        return True
    numbers = [t for t in texts[1:] if t and amount(t) is not None]
    return bool(numbers) and not _is_column_numbers(row)


def _header_rows(rows: Sequence[Row]) -> int:
    """Rows before the first data row, or before a lone row label (an empty table's first item)."""
    for index, row in enumerate(rows):
        texts = [clean(t) for t in row.texts]
        lone_label = index > 0 and bool(texts[0]) and not any(texts[1:])
        if _is_data_row(row) or lone_label:
            return index
    return len(rows)


def _is_column_numbers(row: Row) -> bool:
    texts = [clean(t) for t in row.texts if clean(t)]
    return bool(texts) and all(_COLUMN_NUMBERS.match(t) for t in texts)


def _header_path(header: Sequence[Row], j: int) -> tuple[str, ...]:
    """Header texts of column ``j``, top to bottom; an empty cell above sub-headers inherits from the left."""
    header = [row for row in header if not _is_column_numbers(row)]
    path = []
    for r, row in enumerate(header):
        text = _cell(row, j)
        if not text and any(_cell(lower, j) for lower in header[r + 1:]):
            text = next((_cell(row, k) for k in range(j - 1, -1, -1) if _cell(row, k)), "")
        if text and not _COLUMN_NUMBERS.match(text) and (not path or path[-1] != text):
            path.append(text)
    return tuple(path)


def _is_code_column(data: Sequence[Row], j: int) -> bool:
    cells = [_cell(r, j) for r in data if _cell(r, j)]
    codes = [c for c in cells if is_code(c) or _SPLIT_CODE.match(c)]
    return bool(codes) and len(codes) >= 0.6 * len(cells)


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
        for entry in pack("tables.toml")["columns"]:
            if text in entry.get("exact", []) or has_any(text, entry.get("any", [])):
                return entry["key"]
            if entry.get("pattern") and regex.fullmatch(entry["pattern"], text):
                return entry["key"]
    return ""


def _sections(data, headers, width, code_columns, label_columns, kind) -> list[Section]:
    """One section per label column; a word column right after a label column is its attribute."""
    labels = [label for n, label in enumerate(label_columns) if n == 0 or label != label_columns[n - 1] + 1] or [-1]
    sections: list[Section] = []
    for n, label in enumerate(labels):
        end = labels[n + 1] if n + 1 < len(labels) else width
        columns = [
            Column(j, headers[j], _column_key(headers[j]))
            for j in range(label + 1, end)
            if j not in code_columns and j not in label_columns and _column_key(headers[j]) not in ("code", "name")
        ]
        sections.append(Section(side="", label_column=label, columns=columns))
    if is_two_sided(kind) and len(sections) >= 2:
        sections[0].side, sections[1].side = "income", "expense"
    return sections


def _items(rows, header_count, section: Section, code_columns, title: str) -> list[Item]:
    vocab = pack("tables.toml")["rows"]
    own_codes = [j for j in code_columns if j < section.label_column or section.label_column < 0]
    items: list[Item] = []
    for index in range(header_count, len(rows)):
        row = rows[index]
        code_parts = [_cell(row, j) for j in own_codes]
        raw = _cell(row, section.label_column) if section.label_column >= 0 else ""
        if not raw:
            raw = next((p for p in code_parts if p and not _SPLIT_CODE.match(p) and not is_code(p)), "")
        code = "".join(p for p in code_parts if is_code(p) or _SPLIT_CODE.match(p))
        label, numbering = strip_numbering(raw)
        values = {
            c.index: Value(amount(_cell(row, c.index)), _cell(row, c.index), _cell_location(row, c.index, title, label, c))
            for c in section.columns
            if c.index < len(row.cells)
        }
        if not label and not code and all(v.is_blank for v in values.values()):
            continue
        role = (
            "grand_total" if label in vocab["grand_total"]
            else "total" if label in vocab["total"] or label.endswith("合计")
            else "carryover" if label in vocab["carryover"]
            else "item"
        )
        level = _code_level(code, len([p for p in code_parts if p])) or numbering or 1
        anchor = row.cells[section.label_column] if 0 <= section.label_column < len(row.cells) else row.cells[0]
        items.append(Item(label, code, level, role, index, values, anchor.location.with_logical(title, label or code)))
    return items


def _code_level(code: str, parts: int) -> int:
    if not code:
        return 0
    if parts > 1:
        return parts
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0)


def _cell_location(row: Row, j: int, title: str, label: str, column: Column):
    return row.cells[j].location.with_logical(title, label, column.label)

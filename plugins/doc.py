"""DOC: structure, completeness and metadata of a disclosure.

DOC001 a required table missing, DOC002 a required narrative section
missing, DOC003 a heading or table title naming another year, DOC004 an
empty table without a note, DOC005 a table-of-contents entry with no heading
in the body, DOC006 a table left out of the table of contents, DOC007 部门/单位
wording against the document kind, DOC008 template residue, DOC009 a stated
count of 内设机构 against the list it introduces.  Which tables
and sections a kind of document needs, and every pattern, are data in
``budgetlint_rules/doc.toml``.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from budgetlint.budget.model import BudgetModel, BudgetTable
from budgetlint.budget.narrative import none_statements, zero_statements
from budgetlint.budget.tables import LOOK_AHEAD, classify, contexts, find_title
from budgetlint.budget.text import clean, title_text
from budgetlint.budget.vocabulary import compile_pattern, find_all, has_any, pack
from budgetlint.document import Block, Document, Heading, Paragraph, Row, Table
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location
from budgetlint.prose import excerpt, prose
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

_PACK = "doc.toml"
_WHERE = "budgetlint_rules/doc.toml"
_NON_WORD = regex.compile(r"[^\p{Han}\p{L}\p{N}]+")
# A body block longer than this is prose: a table-of-contents title must start it, not merely occur in it.
_SHORT_BLOCK = 80


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "DOC001": _check_required_tables,
        "DOC002": _check_required_sections,
        "DOC003": _check_title_years,
        "DOC004": _check_empty_tables,
        "DOC005": _check_toc_entries,
        "DOC006": _check_tables_in_toc,
        "DOC007": _check_wording,
        "DOC008": _check_residue,
        "DOC009": _check_division_counts,
    }
    return rules_from_catalogue("budgetlint_plugins", "doc.toml", checks)


# --- shared helpers -------------------------------------------------------


def _vocab() -> Mapping[str, Any]:
    return pack(_PACK)


def _pattern(text: str, key: str) -> regex.Pattern[str]:
    """A pattern from the pack; ``key`` names where it sits for error messages."""
    return compile_pattern(text, f"{_WHERE}: {key}")


def _entries_for(section: str, kind: str) -> list[Mapping[str, Any]]:
    """The entries of an array of tables in the pack that apply to documents of ``kind``."""
    return [entry for entry in _vocab()[section] if kind in entry["documents"]]


@dataclass(frozen=True)
class _TocEntry:
    """One line of a table of contents: its title, comparison key and numbering depth."""

    title: str
    key: str
    level: int
    location: Location


@dataclass(frozen=True)
class _Outline:
    """The document's blocks, its table of contents, and the title block of each table."""

    blocks: Sequence[Block]
    toc: Sequence[_TocEntry]
    body_start: int
    titles: Mapping[int, Block]  # id(table) → its title block

    def body(self) -> Sequence[Block]:
        return self.blocks[self.body_start:]

    def index(self, block: Block) -> int:
        """Where ``block`` stands; a table the model split or joined stands where its first row does."""
        if isinstance(block, Table) and block.rows:
            return self.span(block)[0]
        return next(i for i, b in enumerate(self.blocks) if b is block)

    def span(self, table: Table) -> tuple[int, int]:
        """Indexes of the first and last blocks holding ``table``'s rows.

        A table printed again under its repeated title on the next page is
        joined by the budget model into a new table made of its parts' rows,
        so it is found by its rows, not by identity.
        """
        first, last = table.rows[0], table.rows[-1]
        holding = [i for i, b in enumerate(self.blocks) if isinstance(b, Table) and _holds(b, first, last)]
        return holding[0], holding[-1]

    def title_of(self, table: Table) -> Block | None:
        """The title block of ``table`` (of its first part, for a joined table)."""
        return self.titles.get(id(self.blocks[self.span(table)[0]]))


def _holds(block: Table, *rows: Row) -> bool:
    return any(r is row for r in block.rows for row in rows)


_last: list[Any] = [None, None]


def _outline(document: Document) -> _Outline:
    """The outline of ``document``, computed once per document and shared by the rules."""
    ref, cached = _last
    if ref is not None and ref() is document:
        return cached
    result = _read_outline(document)
    _last[:] = [weakref.ref(document), result]
    return result


def _read_outline(document: Document) -> _Outline:
    blocks = list(document.blocks())
    toc, body_start = _read_toc(blocks)
    titles = {}
    for context in contexts(blocks):
        _, block = find_title(context)
        if block is not None:
            titles[id(context.table)] = block
    return _Outline(blocks, toc, body_start, titles)


def _normalise(text: str) -> tuple[str, int]:
    """A title's comparison key (no numbering, spaces or punctuation) and its numbering depth (1 if none)."""
    level = None
    stripped = True
    while stripped:
        stripped = False
        for entry in _vocab()["toc"]["numbering"]:
            match = next(iter(find_all(_pattern(entry["pattern"], "toc.numbering"), text)), None)
            if match and match.start() == 0 and match.end():
                text = text[match.end():]
                level = entry["level"] if level is None else level
                stripped = True
                break
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text)), 1 if level is None else level


def _narrative(outline: _Outline) -> Iterator[Heading | Paragraph]:
    """Headings and paragraphs after the table of contents."""
    for block in outline.body():
        if isinstance(block, (Heading, Paragraph)):
            yield block


def _is_table_name(text: str) -> bool:
    """A short line that names a table (2026年预算收支总表, 七、政府性基金支出预算表情况说明)."""
    settings = _vocab()["title_line"]
    cleaned = clean(text)
    return len(cleaned) <= settings["max_length"] and has_any(cleaned, settings["must"])


def _is_title_line(text: str) -> bool:
    """A table's title (2026年预算收支总表), as opposed to prose about the table."""
    ending = _pattern(_vocab()["title_line"]["pattern"], "title_line.pattern")
    return _is_table_name(text) and bool(find_all(ending, clean(text)))


def _main_title(document: Document, kind: str) -> Location:
    """Where the document states its kind (2026年度部门预算公开), else where it starts."""
    blocks = [b for b in document.blocks() if isinstance(b, (Heading, Paragraph))]
    for block in blocks[:20]:
        if kind and kind in clean(block.text):
            return block.location
    return blocks[0].location if blocks else Location(document.path)


def _uncertain(document: Document) -> bool:
    """True if some table's structure was inferred rather than stated."""
    return any(table.confidence < 1.0 for table in document.tables())


def _locate_in(block: Block, start: int, end: int) -> Location:
    if isinstance(block, (Heading, Paragraph)):
        return block.span.locate(start, end)
    return block.location


# --- table of contents ------------------------------------------------------


def _read_toc(blocks: Sequence[Block]) -> tuple[list[_TocEntry], int]:
    """The entries of the table of contents and the index of the first block after it.

    A table of contents opens with a 目录 heading (or line) and runs while
    blocks read as entries: lines with leader dots, or table rows whose
    title has leader dots or whose last cell is a page number.
    """
    titles = {clean(t) for t in _vocab()["toc"]["titles"]}
    start = next(
        (i for i, b in enumerate(blocks) if isinstance(b, (Heading, Paragraph)) and clean(b.text) in titles),
        None,
    )
    if start is None:
        return [], 0
    entries: list[_TocEntry] = []
    end = start + 1
    for index in range(start + 1, len(blocks)):
        block = blocks[index]
        found = _table_entries(block) if isinstance(block, Table) else _line_entries(block)
        if not found:
            if isinstance(block, Paragraph) and _is_page_number(block.text):
                continue
            break
        entries += found
        end = index + 1
    return entries, end if entries else 0


def _leader() -> str:
    return _vocab()["toc"]["leader"]


def _is_page_number(text: str) -> bool:
    return bool(find_all(_pattern(_vocab()["toc"]["page"], "toc.page"), text))


def _line_entries(block: Block) -> list[_TocEntry]:
    """Entries of a line such as ``一、本部门职责 ...... 1`` (several if lines were run together).

    The line must consist of titles each followed by leader dots and
    optionally a page number.
    """
    if not isinstance(block, Paragraph):
        return []
    text = block.text
    leaders = find_all(_pattern(rf"(?:{_leader()})\s*(?:\d{{1,4}}(?!\d))?\s*", "toc.leader"), text)
    if not leaders or text[leaders[-1].end():].strip():
        return []
    found, start = [], 0
    for match in leaders:
        title = text[start:match.start()]
        offset = len(title) - len(title.lstrip())
        if not title.strip():
            return []
        found.append(_entry(title, block.span.locate(start + offset, match.start())))
        start = match.end()
    return [e for e in found if e.key]


def _table_entries(table: Table) -> list[_TocEntry]:
    """Entries of a table of contents read as a table: a title cell and a page-number cell."""
    leader = _pattern(rf"\s*(?:{_leader()})\s*$", "toc.leader")
    found = []
    for row in table.rows:
        cells = [c for c in row.cells if c.text.strip()]
        if not cells:
            continue
        first = cells[0]
        trailing = find_all(leader, first.text)
        trimmed = first.text[:trailing[0].start()] if trailing else first.text
        paged = len(cells) > 1 and _is_page_number(cells[-1].text)
        if trimmed == first.text and not paged:
            return []
        entry = _entry(trimmed, first.location)
        if entry.key:
            found.append(entry)
    return found


def _entry(title: str, location: Location) -> _TocEntry:
    key, level = _normalise(title)
    title = " ".join(title.split())
    return _TocEntry(title, key, level, location.with_logical("目录", title))


def _body_keys(outline: _Outline, department: str) -> list[tuple[str, bool]]:
    """Comparison keys of the body's headings and paragraphs, with whether each is short.

    A department name in a line also reads as 部门 and 单位, since templates
    write 部门主要职能 where the body says 某某局主要职能.
    """
    keys = []
    for block in outline.body():
        if not isinstance(block, (Heading, Paragraph)):
            continue
        text = block.text
        variants = [text]
        if department and department in text:
            variants += [text.replace(department, word) for word in ("部门", "单位", "")]
        for variant in variants:
            key, _ = _normalise(variant)
            if key:
                keys.append((key, isinstance(block, Heading) or len(key) <= _SHORT_BLOCK))
    return keys


def _in_body(key: str, keys: Iterable[tuple[str, bool]]) -> bool:
    return any(key in body if short else body.startswith(key) for body, short in keys)


# --- DOC001 required tables -------------------------------------------------------


def _check_required_tables(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    kind = budget.metadata.kind
    if not budget.is_budget or not kind:
        return
    doc = _outline(ctx.document)
    lines = [title_text(clean(b.text)) for b in _narrative(doc) if _is_table_name(b.text)]
    texts = _explanations(doc)
    lowered = _uncertain(ctx.document)
    where = _main_title(ctx.document, kind)
    for entry in _entries_for("required_tables", kind):
        if _table_present(entry, budget, lines) or any(has_any(t, entry.get("explained", [])) for t in texts):
            continue  # the table, or a narrative passage on its topic where the template has no table
        if _absence_explained(entry, texts) and not any(_names_table(entry, e.title) for e in doc.toc):
            continue  # left out of the contents, and the narrative says the department has none of it
        severity = Severity.parse(entry["severity"])
        if lowered and severity is Severity.ERROR:
            severity = Severity.WARNING
        yield ctx.report(
            where.with_logical(kind, entry["name"]),
            severity=severity,
            kind=kind,
            table=entry["name"],
            evidence={"kinds": list(entry["kinds"]), "titles": list(entry.get("titles", []))},
        )


def _table_present(entry: Mapping[str, Any], budget: BudgetModel, lines: Sequence[str]) -> bool:
    kinds, titles = set(entry["kinds"]), list(entry.get("titles", []))
    if any(t.kind in kinds or has_any(t.title, titles) for t in budget.tables):
        return True
    return any(_names_table(entry, line) for line in lines)


def _names_table(entry: Mapping[str, Any], line: str) -> bool:
    """A title line (in the body or the contents) that names the required table ``entry``."""
    line = title_text(clean(line))
    return classify(line) in entry["kinds"] or has_any(line, entry.get("titles", []))


def _absence_explained(entry: Mapping[str, Any], texts: Sequence[str]) -> bool:
    """The narrative says the department has none of the table's topic (本部门无国有资本经营预算)."""
    topics = entry.get("absent", [])
    absence = [_pattern(_vocab()["absence"].replace("{topic}", regex.escape(topic)), "absence") for topic in topics]
    return any(find_all(p, text) for p in absence for text in texts)


# --- DOC002 required narrative sections ------------------------------------------


def _check_required_sections(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    kind = budget.metadata.kind
    if not budget.is_budget or not kind:
        return
    texts = _explanations(_outline(ctx.document))
    where = _main_title(ctx.document, kind)
    for entry in _entries_for("required_sections", kind):
        if any(has_any(text, entry["words"]) for text in texts) or (entry.get("covered_by_forms") and budget.forms):
            continue
        yield ctx.report(
            where.with_logical(kind, entry["name"]),
            kind=kind,
            section=entry["name"],
            evidence={"words": list(entry["words"])},
        )


def _explanations(doc: _Outline) -> list[str]:
    """The narrative's explaining text: headings and paragraphs that are no table title or glossary entry."""
    definition = _pattern(_vocab()["sections"]["definition"], "sections.definition")
    return [
        clean(b.text)
        for b in _narrative(doc)
        if not _is_title_line(b.text) and not find_all(definition, clean(b.text))
    ]


# --- DOC003 years in titles ---------------------------------------------------------


def _check_title_years(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    year = budget.metadata.year
    if not budget.is_budget or year is None:
        return
    doc = _outline(ctx.document)
    titles = [b for b in doc.blocks if isinstance(b, Heading)]
    titles += [b for b in doc.titles.values() if not any(b is t for t in titles)]
    years = _pattern(_vocab()["years"]["year"], "years.year")
    ranges = _pattern(_vocab()["years"]["range"], "years.range")
    kind = budget.metadata.kind or ("决算" if budget.metadata.final_account else "预算")
    for block in sorted(titles, key=doc.index):
        text = block.text
        spans = [m.span() for m in find_all(ranges, text)]
        found = [m for m in find_all(years, text) if not any(s <= m.start() < e for s, e in spans)]
        if any(int(m.group(1)) == year for m in found):
            continue  # the title names the budget year too: a comparison
        reported: set[str] = set()
        for match in found:
            other = match.group(1)
            if other in reported:
                continue
            reported.add(other)
            title = " ".join(text.split())
            yield ctx.report(
                _locate_in(block, match.start(1), match.end(1)).with_logical(clean(text)),
                year=other,
                budget_year=str(year),
                kind=kind,
                title=title,
                key=[other, clean(text)],
                evidence={"year": int(other), "budget_year": year},
            )


# --- DOC004 notes on empty tables -------------------------------------------------


def _check_empty_tables(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    if not budget.is_budget:
        return
    doc = _outline(ctx.document)
    empty = [t for t in budget.tables if t.confident and _columns_read(t) and not t.has_data]
    noted = {(t.kind, t.title) for t in empty if _has_empty_note(t, doc)}  # a note after a table's last page
    said_none = _said_none(ctx) if any((t.kind, t.title) not in noted for t in empty) else {}
    for table in empty:
        if (table.kind, table.title) in noted:
            continue
        title_block = doc.title_of(table.table)
        where = title_block.location if title_block is not None else table.title_location
        explained = said_none.get(table.kind)
        yield ctx.report(
            where.with_logical(table.title),
            variant="explained" if explained else "default",
            severity=Severity.INFO if explained else None,
            related=[explained[1]] if explained else [],
            table=table.title,
            statement=explained[0] if explained else "",
            evidence={"kind": table.kind, "rows": sum(1 for _ in table.items()),
                      "narrative": explained[0] if explained else None},
        )


def _said_none(ctx: RuleContext) -> dict[str, tuple[str, Location]]:
    """Table kind → the narrative's words saying the department has none of it, and where: a "none" statement
    (本部门无政府性基金预算) or an amount of zero (政府性基金预算拨款收入0万元)."""
    found: dict[str, tuple[str, Location]] = {}
    paragraphs = list(ctx.document.paragraphs())
    for statement in [*none_statements(paragraphs), *zero_statements(paragraphs)]:
        for kind in statement.kinds:
            found.setdefault(kind, (statement.words, statement.paragraph.span.locate(*statement.span)))
    return found


def _columns_read(table: BudgetTable) -> bool:
    """True if some value column was recognised, so that blank values mean no data rather than an unread table."""
    return any(column.key for section in table.sections for column in section.columns)


def _has_empty_note(table: BudgetTable, doc: _Outline) -> bool:
    """A note saying the table is empty, in its title, its cells, or the text just around it."""
    if table.empty_note is not None:
        return True
    texts = [table.title] + [cell.text for row in table.table.rows for cell in row.cells]
    start, end = doc.span(table.table)
    title_block = doc.title_of(table.table)
    if title_block is not None:
        texts += [b.text for b in doc.blocks[doc.index(title_block):start] if not isinstance(b, Table)]
    for block in doc.blocks[end + 1:end + 1 + LOOK_AHEAD]:
        if isinstance(block, Table):
            break
        texts.append(block.text)
    words = pack("tables.toml")["empty_notes"]
    notes = [_pattern(p, "empty_tables.notes") for p in _vocab()["empty_tables"]["notes"]]
    return any(has_any(clean(t), words) or any(find_all(p, clean(t)) for p in notes) for t in texts)


# --- DOC005 / DOC006 table of contents ------------------------------------------------


def _check_toc_entries(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    if not budget.is_budget:
        return
    doc = _outline(ctx.document)
    keys = _body_keys(doc, budget.metadata.department)
    found = [_in_body(entry.key, keys) for entry in doc.toc]
    for index, entry in enumerate(doc.toc):
        if found[index] or any(found[i] for i in _children(doc.toc, index)):
            continue  # a group heading whose entries are all there only groups them
        yield ctx.report(entry.location, entry=entry.title, key=[entry.key], evidence={"key": entry.key})


def _children(toc: Sequence[_TocEntry], index: int) -> range:
    """Indexes of the entries nested under entry ``index`` (deeper numbering, up to the next sibling)."""
    end = index + 1
    while end < len(toc) and toc[end].level > toc[index].level:
        end += 1
    return range(index + 1, end)


def _check_tables_in_toc(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    if not budget.is_budget:
        return
    doc = _outline(ctx.document)
    if not doc.toc:
        return
    department = budget.metadata.department
    listed = [_toc_lists(doc.toc, table, department) for table in budget.tables]
    if not any(listed):
        return  # the contents name the parts, not the tables
    for table, is_listed in zip(budget.tables, listed):
        if is_listed:
            continue
        title_block = doc.title_of(table.table)
        where = title_block.location if title_block is not None else table.title_location
        yield ctx.report(where.with_logical(table.title), table=table.title, key=[table.title])


def _toc_lists(toc: Sequence[_TocEntry], table: BudgetTable, department: str) -> bool:
    titles = [table.title] + ([table.title.replace(department, "")] if department else [])
    keys = [_normalise(t)[0] for t in titles]
    return any(entry.key and any(entry.key in key or key in entry.key for key in keys) for entry in toc)


# --- DOC007 部门/单位 wording ----------------------------------------------------------


def _check_wording(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    kind = budget.metadata.kind
    if not budget.is_budget or not kind:
        return
    doc = _outline(ctx.document)
    titles = {_title_text(doc, table) for table in budget.tables}  # the title check below covers these
    definition = _pattern(_vocab()["sections"]["definition"], "sections.definition")
    for entry in _entries_for("wording", kind):
        for unit in prose(ctx.document):
            if unit.kind == "cell" or unit.text in titles or find_all(definition, clean(unit.text)):
                continue  # a glossary entry (…结余：指本单位…) defines a term for any unit
            for start, end, word in _wrong_words(unit.text, entry):
                context = excerpt(unit.text, start, end)
                yield ctx.report(
                    unit.locate(start, end),
                    severity=Severity.parse(entry["severity"]) if "severity" in entry else None,
                    kind=kind,
                    word=word,
                    expected=entry["expected"],
                    context=context,
                    evidence={"word": word, "expected": entry["expected"], "excerpt": context},
                )
    for entry in _entries_for("title_wording", kind):
        for table in budget.tables:
            block = doc.title_of(table.table)
            text = _title_text(doc, table)
            for start, end, word in _wrong_words(text, entry):
                where = _locate_in(block, start, end) if block is not None else table.title_location
                yield ctx.report(
                    where.with_logical(table.title),
                    variant="title",
                    kind=kind,
                    word=word,
                    expected=entry["expected"],
                    title=table.title,
                    evidence={"word": word, "title": table.title},
                )


def _title_text(doc: _Outline, table: BudgetTable) -> str:
    """A table's title as its document prints it (the title block), or as the model read it."""
    block = doc.title_of(table.table)
    return block.text if block is not None else table.title


def _wrong_words(text: str, entry: Mapping[str, Any]) -> Iterator[tuple[int, int, str]]:
    """Occurrences of the entry's wrong words in ``text`` that no allowed phrase covers, one per place."""
    taken: list[tuple[int, int]] = []
    for word in entry["wrong"]:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            overlaps = any(start < e and s < end for s, e in taken)
            if not overlaps and not _covered(text, start, end, entry.get("allowed", [])):
                taken.append((start, end))
                yield start, end, word
            start = text.find(word, end)


def _covered(text: str, start: int, end: int, phrases: Iterable[str]) -> bool:
    return any(
        text.startswith(phrase, at)
        for phrase in phrases
        for at in range(max(0, end - len(phrase)), start + 1)
    )


# --- DOC008 template residue ------------------------------------------------------------


def _check_residue(ctx: RuleContext) -> Iterable[Finding]:
    if not ctx.budget.is_budget:
        return
    entries = [
        (_pattern(entry["pattern"], f"residue[{n}].pattern"), entry)
        for n, entry in enumerate(_vocab()["residue"])
    ]
    for unit in prose(ctx.document):
        if unit.kind == "cell":
            continue
        taken: list[tuple[int, int]] = []
        for compiled, entry in entries:
            for match in find_all(compiled, unit.text):
                start, end = match.span()
                if start == end or any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                context = excerpt(unit.text, start, end)
                yield ctx.report(
                    unit.locate(start, end),
                    variant=entry["variant"],
                    severity=Severity.parse(entry["severity"]),
                    text=match.group(),
                    context=context,
                    evidence={"match": match.group(), "excerpt": context, "pattern": compiled.pattern},
                )


# --- DOC009 count of 内设机构 against the list ------------------------------------------

_CJK_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
_BRACKETED = regex.compile(r"[（(][^（）()]*[）)]")
_NUMBER = r"(?P<n>\d{1,3}|[零〇一二两三四五六七八九十]{1,3})"


@dataclass(frozen=True)
class _Divisions:
    """A statement about a department's internal divisions: a count, the list it introduces, or both."""

    count: int | None
    items: tuple[str, ...] | None
    count_location: Location | None
    list_location: Location | None
    text: str


def _check_division_counts(ctx: RuleContext) -> Iterable[Finding]:
    statements = _division_statements(ctx.document)
    lists = [s for s in statements if s.items is not None]
    for statement in statements:
        if statement.count is None or statement.count_location is None:
            continue
        own = statement.items is not None
        if own:
            listed = statement
        elif len(lists) == 1 and lists[0].count is None:
            listed = lists[0]  # a count in a form or a sentence of its own against the one list
        else:
            continue
        items = listed.items or ()
        if len(items) == statement.count or listed.list_location is None:
            continue
        yield ctx.report(
            statement.count_location,
            variant="same" if own else "elsewhere",
            related=[] if own else [listed.list_location],
            count=statement.count,
            listed=len(items),
            items="、".join(items),
            context=statement.text,
            evidence={"count": statement.count, "items": list(items), "statement": statement.text},
        )


def _division_statements(document: Document) -> list[_Divisions]:
    """Counts of internal divisions (设9个内设机构, 内设职能部门数 1个) and the lists they introduce."""
    counted, named, cell = _division_patterns()
    found: list[_Divisions] = []
    for unit in prose(document, join_open=True):
        if unit.kind == "cell":
            continue
        taken: list[int] = []
        for match in counted.finditer(unit.text):
            items, span = _listed_after(unit.text, match.end())
            found.append(
                _Divisions(
                    _count_of(match),
                    items,
                    unit.locate(*match.span("n" if match.group("n") else "m")),
                    unit.locate(*span) if span else None,
                    excerpt(unit.text, match.start(), match.end()),
                )
            )
            taken.append(match.end())
        for match in named.finditer(unit.text):
            items, span = _listed_after(unit.text, match.end())
            if items is not None and span is not None and not any(match.start() <= t <= span[0] for t in taken):
                found.append(_Divisions(None, items, None, unit.locate(*span), excerpt(unit.text, *match.span())))
    return found + _form_counts(document, cell)


def _division_patterns() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    """A count with its noun (设9个内设机构, 内设机构2个), the noun alone, a form's label cell."""
    nouns = "|".join(regex.escape(noun) for noun in sorted(_vocab()["divisions"]["nouns"], key=len, reverse=True))
    number = r"(\d{1,3}|[零〇一二两三四五六七八九十]{1,3})"
    before = rf"(?P<n>{number[1:-1]})\s*个\s*(?:{nouns})"
    after = rf"(?:{nouns})(?:数|共有|共|有|为|[：:])?\s*(?P<m>{number[1:-1]})\s*个"
    where = f"{_WHERE} divisions.nouns"
    return (
        compile_pattern(f"{before}|{after}", where),
        compile_pattern(f"(?:{nouns})", where),
        compile_pattern(rf"^\s*(?:{nouns})数?\s*(?:[（(]个[)）])?\s*$", where),
    )


def _count_of(match: regex.Match[str]) -> int | None:
    """The number a count match states (digits or Chinese numerals up to 99)."""
    return _cjk_count(match.group("n") or match.group("m"))


def _cjk_count(text: str) -> int | None:
    """``9``, ``十二``, ``二十三`` as an int; None for anything else."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _CJK_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    high = _CJK_DIGITS.get(tens, -1) if tens else 1
    low = _CJK_DIGITS.get(ones, -1) if ones else 0
    return None if high < 0 or low < 0 else 10 * high + low


def _listed_after(text: str, start: int) -> tuple[tuple[str, ...] | None, tuple[int, int] | None]:
    """The divisions a statement ending at ``start`` lists (…，包括：A、B、C。), with the list's span.

    None unless the list is plain: two or more names between 、 up to the
    sentence's end, none holding a number, an 等 or a second count.
    """
    lead = _introducer().match(text, start)
    if lead is None:
        return None, None
    begin = lead.end()
    end = begin + len(regex.match(r"[^。；;\n]*", text[begin:]).group())
    if regex.search(r"[\d零〇一二两三四五六七八九十]\s*个", text[begin:end]):
        return None, None  # 康复区（2个）: one name for several divisions
    body = _BRACKETED.sub("", text[begin:end]).strip().rstrip("，,")
    items = tuple(item.strip() for item in body.split("、"))
    plain = len(items) >= 2 and all(
        item and not regex.search(r"[\d，,：:]|等$|[和及与至到]", item) and len(item) <= 20 for item in items
    )
    return (items, (begin, end)) if plain else (None, None)


def _introducer() -> regex.Pattern[str]:
    words = "|".join(regex.escape(w) for w in _vocab()["divisions"]["introducers"])
    return compile_pattern(rf"[^。；;：:]{{0,12}}?(?:{words})\s*[：:]?\s*|\s*[：:]\s*", f"{_WHERE} divisions.introducers")


_COUNT_CELL = regex.compile(r"\s*(\d{1,3})\s*个?\s*")  # a form's count cell: 3, 3个


def _form_counts(document: Document, label: regex.Pattern[str]) -> list[_Divisions]:
    """Counts given in a form's cells: a label cell (内设职能部门数) and the next cell (1个)."""
    found = []
    for table in document.tables():
        for row in table.rows:
            cells = [cell for cell in row.cells if cell.text.strip()]
            for cell, value in zip(cells, cells[1:]):
                if label.match(cell.text) and (number := _COUNT_CELL.fullmatch(value.text)):
                    text = f"{cell.text.strip()} {value.text.strip()}"
                    found.append(_Divisions(int(number.group(1)), None, value.location, None, text))
    return found

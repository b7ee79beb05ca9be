"""The narrative's line items: one 功能分类 item explained in one sentence.

"1. 公共安全支出（类）司法（款）行政运行（项）2026年预算数为862.40万元，比2025年预算减少
57.60万元，下降6.26%，主要原因是……" becomes a :class:`LineItem`: its path (names and codes
of 类/款/项, however written), every amount it states with its role (current, previous,
change, arranged 预算安排, executed 执行数, initial 年初预算, final 决算数), its rate with the
direction word, its reason, and the location of each part.  Each item is then tied to its
row of the functional table the narrative describes: by code first, then by its names.
Vocabularies are data in ``rules/lineitems.toml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import regex

from budgetlint.budget.model import BudgetTable, Item, Section
from budgetlint.budget.narrative import CHANGE_WORD, RATE_WORD, is_decrease, sentences
from budgetlint.budget.rowtree import parents
from budgetlint.budget.text import clean, is_code
from budgetlint.budget.vocabulary import pack
from budgetlint.document import Paragraph
from budgetlint.location import Location
from budgetlint.numbers import HUNDRED, MONEY_FACTORS, Quantity, find_quantities

LEVELS = ("类", "款", "项")
OWN_ROLES = {False: ("current", "arranged"), True: ("final", "current")}
_NUMBERING = regex.compile(r"\G\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）.、．]\s*)?[“\"]?\s*")
# 公共安全支出（类）, 司法（款）, 行政运行（项）: a name and its level marker.
_NAME_CHAR = r"(?:[^（()）“”\"，,。；;：:\d\s]|[（(][^（()）类款项\d]{1,6}[)）])"  # 政府办公厅（室）: a bracket in a name
_NAMED_LEVEL = regex.compile(
    rf"\G\s*(?P<name>{_NAME_CHAR}(?:{_NAME_CHAR}|\s){{0,29}}?)\s*[（(]\s*(?P<level>[类款项])\s*[)）]"
)
# （204类）（06款）（01项）: codes with level markers, the name (if any) after them.
_CODED_LEVEL = regex.compile(r"\G\s*[（(]\s*(?P<code>\d{2,3})\s*(?P<level>[类款项])\s*[)）]")
# 2040601 行政运行, 2040601-行政运行, [2040601]行政运行: a full code before its name.
_LEADING_CODE = regex.compile(r"\G\s*[\[【(（]?(?P<code>2\d{2}(?:\d{2}){0,2})[\]】)）]?\s*[-—－:：、.]?\s*(?=\p{Han})")
_NAME = regex.compile(r"\G(?P<name>[\p{Han}（）()、]{2,30}?)(?=[”\"]?\s*(?:支出|预算数?|为|[:：，,]|\d|$))")
_NAME_PATH = regex.compile(
    r"\G(?P<path>\p{Han}{2,30}?(?:\s*[-—－/／›>]\s*\p{Han}{2,30}?){1,2})(?:预算数|预算|决算数)?(?:为|是)?[”\"]?\s*(?=[:：，,]|\d)"
)
_CUT_PATH = regex.compile(r"\s*[^，,。；;]{0,30}?[（(]\s*[类款项]\s*[)）]")  # a path's end opening a paragraph
_SENTENCE_END = regex.compile(r"[。；;！？!?]")
_CLAUSE = regex.compile(r"[，,：:；;。（）()“”\"]")
_YEAR = regex.compile(r"^\d{4}年度?")


@dataclass(frozen=True)
class PathPart:
    """One level of an item's path: 类, 款 or 项, with its name and code as written ('' when not)."""

    level: str
    name: str
    code: str
    location: Location


@dataclass(frozen=True)
class ItemAmount:
    """An amount an item states, with its role and, for a change, its direction (up or down)."""

    role: str
    quantity: Quantity
    location: Location
    clause: str
    offset: int
    direction: str = ""


@dataclass(frozen=True)
class ItemRate:
    """The item's rate (下降6.26%) and its direction word: up, down or flat."""

    quantity: Quantity | None
    direction: str
    word: str
    location: Location


@dataclass(frozen=True)
class FinalComparison:
    """A 决算 statement comparing the 决算数 with the 预算数: more, less or equal."""

    relation: str
    text: str
    location: Location


@dataclass
class LineItem:
    """One line item of the narrative, tied (when found) to its table row."""

    path: tuple[PathPart, ...]
    code: str
    location: Location
    paragraph: int
    text: str
    amounts: list[ItemAmount] = field(default_factory=list)
    rate: ItemRate | None = None
    reason: str = ""
    reason_location: Location | None = None
    comparison: FinalComparison | None = None
    table: BudgetTable | None = field(default=None, repr=False)
    row: Item | None = field(default=None, repr=False)
    row_name: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(part.name for part in self.path if part.name)

    @property
    def name(self) -> str:
        """The item as reviewers name it: its code and path of names."""
        return " ".join(part for part in (self.code, "›".join(self.names)) if part)

    def of_role(self, *roles: str) -> list[ItemAmount]:
        return [a for a in self.amounts if a.role in roles]

    def own_amounts(self, final: bool) -> list[ItemAmount]:
        """The amounts stating the item's own amount for the year: 预算数 and 预算安排, or in a 决算 its 决算数."""
        return self.of_role(*OWN_ROLES[final])


def vocab() -> Mapping[str, Any]:
    return pack("lineitems.toml")


# --- reading -------------------------------------------------------------------


def read_items(paragraphs: Sequence[Paragraph], year: int | None) -> list[LineItem]:
    """Every line item of the narrative, in text order.

    An item whose paragraph ends before its sentence does (a page break after 与上年), or
    before any amount (行政运行（项）。 on a line of its own), reads on into the next
    paragraph, when that one opens no item itself.
    """
    found: list[LineItem] = []
    pending: tuple[LineItem, str] | None = None
    for number, paragraph in enumerate(paragraphs):
        heads = _heads(paragraph.text)
        items = _paragraph_items(paragraph, number, heads, year)
        if pending is not None and not heads:
            item, lead = pending
            _read_body(item, paragraph, 0, len(paragraph.text), year, lead)
            items = [] if _CUT_PATH.match(paragraph.text) else [item]  # 离退|休支出（项）: the path was cut
        elif pending is not None and _stated(pending[0]):
            found.append(pending[0])
        pending = None
        last = items[-1] if items else None
        if last is not None and (not last.amounts or not _SENTENCE_END.search(paragraph.text.rstrip()[-1:])):
            pending = (last, _clause("".join(paragraph.text.split())))
            items = items[:-1]
        found += [item for item in items if _stated(item)]
    if pending is not None and _stated(pending[0]):
        found.append(pending[0])
    return found


def _stated(item: LineItem) -> bool:
    """The item states an amount of its own (not only parts of it or figures of its reason)."""
    return any(a.role not in ("part", "reason") for a in item.amounts)


def _heads(text: str) -> list[tuple[int, tuple[list[_Part], str, int]]]:
    """(start, path) of each sentence of ``text`` that opens with an item's path."""
    return [(start, head) for start, _ in sentences(text) if (head := _head(text, start)) is not None]


def _paragraph_items(paragraph: Paragraph, number: int, heads: list, year: int | None) -> list[LineItem]:
    """The items of one paragraph: each starts a sentence with its path and runs to the next one."""
    text = paragraph.text
    items = []
    for (start, (path, code, end)), following in zip(heads, [*heads[1:], None]):
        stop = following[0] if following else len(text)
        location = paragraph.span.locate(start, end)
        located = tuple(PathPart(p.level, p.name, p.code, paragraph.span.locate(*_span(p))) for p in path)
        item = LineItem(located, code, location, number, text[start:stop])
        _read_body(item, paragraph, end, stop, year)
        items.append(item)
    return items


@dataclass(frozen=True)
class _Part:
    level: str
    name: str
    code: str
    start: int
    end: int


def _span(part: _Part) -> tuple[int, int]:
    return part.start, part.end


def _head(text: str, start: int) -> tuple[list[_Part], str, int] | None:
    """(path, full code, end of the path) when the sentence at ``start`` opens with an item's path."""
    at = _NUMBERING.match(text, start).end()
    for reader in (_named_levels, _coded_levels, _leading_code, _name_path):
        found = reader(text, at)
        if found is not None:
            return found
    return None


def _named_levels(text: str, at: int) -> tuple[list[_Part], str, int] | None:
    """公共安全支出（类）司法（款）行政运行（项）: names with their level markers, ending at a 项 or 款."""
    parts = []
    while match := _NAMED_LEVEL.match(text, at):
        parts.append(_Part(match["level"], clean(match["name"]).strip("“”\"-—－"), "", match.start("name"), match.end("name")))
        at = match.end()
    if not parts or [p.level for p in parts] != sorted((p.level for p in parts), key=LEVELS.index):
        return None
    return parts, "", _after_quote(text, at)


def _coded_levels(text: str, at: int) -> tuple[list[_Part], str, int] | None:
    """（204类）（06款）（01项）行政运行: the code is the markers' digits joined; a name may follow."""
    parts = []
    while match := _CODED_LEVEL.match(text, at):
        parts.append(_Part(match["level"], "", match["code"], match.start("code"), match.end("code")))
        at = match.end()
    if not parts or parts[0].level != "类" or len(parts[0].code) != 3:
        return None
    code = "".join(p.code.zfill(2) for p in parts)
    if not is_code(code):
        return None
    name = _NAME.match(text, at)
    if name:
        parts[-1] = _Part(parts[-1].level, clean(name["name"]), parts[-1].code, parts[-1].start, name.end())
        at = name.end()
    return parts, code, _after_quote(text, at)


def _leading_code(text: str, at: int) -> tuple[list[_Part], str, int] | None:
    """2040601 行政运行 (or 2040601-行政运行): a full code, then its name."""
    match = _LEADING_CODE.match(text, at)
    if not match:
        return None
    name = _NAME.match(text, match.end())
    if not name:
        return None
    level = LEVELS[(len(match["code"]) - 3) // 2]
    part = _Part(level, clean(name["name"]), match["code"], match.start("code"), name.end())
    return [part], match["code"], _after_quote(text, name.end())


def _name_path(text: str, at: int) -> tuple[list[_Part], str, int] | None:
    """一般公共服务支出-人大事务-行政运行: two or three names joined by a separator, levels from the top."""
    match = _NAME_PATH.match(text, at)
    if not match:
        return None
    names = [n for n in regex.split(_separators(), match["path"]) if n]
    if not 2 <= len(names) <= 3:
        return None
    parts, offset = [], match.start("path")
    for level, name in zip(LEVELS, names):
        start = text.index(name, offset)
        parts.append(_Part(level, clean(name), "", start, start + len(name)))
        offset = start + len(name)
    return parts, "", _after_quote(text, match.end("path"))


def _separators() -> str:
    return "|".join(regex.escape(s) for s in vocab()["name_separators"])


def _after_quote(text: str, at: int) -> int:
    while at < len(text) and text[at] in "”\" ":
        at += 1
    return at


def _read_body(item: LineItem, paragraph: Paragraph, start: int, stop: int, year: int | None, lead: str = "") -> None:
    """The amounts, rate, reason and 决算 comparison stated between ``start`` and ``stop``.

    ``lead`` is the unfinished clause the item's previous paragraph ended with (年 | 初预算为…).
    """
    text = paragraph.text
    body = text[start:stop]
    year = year or _latest_year(item.text + body)
    reason_at = 0 if item.reason else reason_start(body)
    for mention in find_quantities(body):
        at = start + mention.start
        location = paragraph.span.locate(at, start + mention.end)
        before = "".join((lead + body[: mention.start]).split())
        unit = mention.quantity.unit
        if unit in MONEY_FACTORS:
            role, direction = _role(before, year) if mention.start < reason_at else ("reason", "")
            item.amounts.append(ItemAmount(role, mention.quantity, location, _clause(before), at, direction))
        elif unit == "%" and item.rate is None and (word := RATE_WORD.search(before)):
            item.rate = ItemRate(mention.quantity, _direction(word[0]), word[0], location)
    item.rate = item.rate or _flat(paragraph, start, body)
    if not item.reason:
        _reason(item, paragraph, start, body)
    item.comparison = item.comparison or _final_comparison(paragraph, start, body)


def _latest_year(text: str) -> int | None:
    """The latest year an item names (2026年预算数…比2025年): its year, when the document's is unknown."""
    years = [int(y) for y in regex.findall(r"(?<!\d)(20\d{2})年", text)]
    return max(years) if years else None


def _role(before: str, year: int | None) -> tuple[str, str]:
    """(role, direction) of an amount from the words right before it.

    A role word counts only when the rest of the clause is filler (去年预算数为, 支出决算为);
    any other clause (其中基本支出, 上年结转, 用于…) makes the amount a part, never compared.
    The previous year (上年, or the year before the document's) may qualify another role
    word: 2025年当年预算执行数为 in a 2026 budget is the previous amount.
    """
    change = CHANGE_WORD.search(before)
    if change:
        return "change", _direction(change[0])
    clause = _clause(before)
    if year:
        clause = regex.sub(rf"{year}年度?", "", clause.replace(f"{year - 1}年", "上年"))
    if _YEAR.match(clause):
        return "part", ""  # another year's amount (or the year unknown): not the item's own, nor last year's

    entries = vocab()["roles"]
    role_words = [word for entry in entries for word in entry["any"]]
    for entry in entries:
        for word in (w for w in entry["any"] if w in clause):
            rest = clause.replace(word, "", 1)
            if entry["role"] == "previous":
                rest = _without(rest, role_words)
            if not _filler_left(rest):
                return entry["role"], ""
    return ("current" if not _filler_left(clause) else "part"), ""


def _without(text: str, words: Sequence[str]) -> str:
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "")
    return text


def _filler_left(clause: str) -> str:
    """What is left of a clause without its filler words (预算数, 为, 支出…)."""
    return _without(clause, vocab()["current_words"])


def _clause(before: str) -> str:
    """The text since the last clause break."""
    return _CLAUSE.split(before)[-1]


def _direction(word: str) -> str:
    return "down" if is_decrease(word) else "up"


def _flat(paragraph: Paragraph, start: int, body: str) -> ItemRate | None:
    """持平 / 与上年一致 stated without a rate."""
    for word in vocab()["flat_words"]:
        at = body.find(word)
        if at >= 0:
            return ItemRate(None, "flat", word, paragraph.span.locate(start + at, start + at + len(word)))
    return None


def reason_start(text: str) -> int:
    """Where the first reason clause (主要原因是…) opens in ``text``; its length when there is none."""
    return min((at for m in vocab()["reason_markers"] if (at := text.find(m)) >= 0), default=len(text))


def gives_reason(text: str) -> bool:
    """``text`` states a reason (主要原因是…)."""
    return any(marker in text for marker in vocab()["reason_markers"])


def _reason(item: LineItem, paragraph: Paragraph, start: int, body: str) -> None:
    for marker in vocab()["reason_markers"]:
        at = body.find(marker)
        if at >= 0:
            end = next((e for s, e in sentences(body) if s <= at < e), len(body))
            item.reason = body[at + len(marker): end].strip(" 。；;")
            item.reason_location = paragraph.span.locate(start + at, start + end)
            return


def _final_comparison(paragraph: Paragraph, start: int, body: str) -> FinalComparison | None:
    match = regex.search(vocab()["final_comparison"], body)
    if not match:
        return None
    words = vocab()["final_comparison_words"]
    relation = words.get(match["word"]) or ("equal" if match["tail"] in vocab()["final_comparison_tails"] else "")
    if not relation:
        return None
    return FinalComparison(relation, match[0], paragraph.span.locate(start + match.start(), start + match.end()))


# --- tying to table rows ----------------------------------------------------------


# The tables an item is looked for in, the one the narrative describes first; the 支出总表 after the
# functional tables; the economic tables last, for the 经济分类 items (工资福利支出（类）基本工资（款）…).
FUNCTIONAL_KINDS = {
    False: ("general_expense", "fiscal_expense", "expense_summary", "basic_economic", "fiscal_basic"),
    True: ("fiscal_expense", "general_expense", "expense_summary", "basic_economic", "fiscal_basic"),
}


def tie(items: Sequence[LineItem], tables: Sequence[BudgetTable], final: bool) -> None:
    """Each item's row in the table the narrative describes: by code, then by names."""
    ordered = [t for kind in FUNCTIONAL_KINDS[final] for t in tables if t.kind == kind]
    for item in items:
        for table in ordered:
            row = find_row(item, table)
            if row is not None:
                item.table, item.row = table, row
                item.row_name = " ".join(p for p in (row.code, row.label) if p)
                break


def find_row(item: LineItem, table: BudgetTable) -> Item | None:
    """The row of ``table`` that ``item`` explains: the one with its code, else the one its names lead to."""
    for section in table.sections:
        rows = [i for i in section.items if i.role == "item"]
        if item.code:
            coded = [r for r in rows if r.code == item.code]
            if len(coded) == 1:
                return coded[0]
        named = _by_names(item, section, rows)
        if named is not None:
            return named
    return None


def _by_names(item: LineItem, section: Section, rows: Sequence[Item]) -> Item | None:
    """The one row labelled with the item's last name whose ancestors carry its other names.

    A row whose ancestors carry only some of them (a 款 under its old name: 行政事业单位离退休 for
    行政事业单位养老支出) is taken when it is the only row of that label and one of the names fits.
    """
    names = item.names
    if not names:
        return None
    leaf = _plain(names[-1])
    tree = parents(section)
    labelled = [r for r in rows if _plain(r.label) == leaf and (not item.code or not r.code or r.code == item.code)]
    fitting = [r for r in labelled if _fit(r, names[:-1], tree) == len(names) - 1]
    if len(fitting) == 1:
        return fitting[0]
    if not fitting and len(labelled) == 1 and _fit(labelled[0], names[:-1], tree) > 0:
        return labelled[0]
    return None


def _fit(row: Item, names: Sequence[str], tree: Mapping[int, Item | None]) -> int:
    """How many of the item's other names are among the row's ancestors (all of them when it has none: a flat list)."""
    ancestors = set()
    parent = tree.get(row.row_index)
    while parent is not None:
        ancestors.add(_plain(parent.label))
        parent = tree.get(parent.row_index)
    return sum(1 for name in names if not ancestors or _plain(name) in ancestors)


def _plain(name: str) -> str:
    """A name as compared with a row label: cleaned, 其它 as 其他, without the 支出 that 类 names may drop."""
    text = clean(name).replace("其它", "其他").strip("“”\"")
    return text[:-2] if text.endswith("支出") and len(text) > 2 else text


def new_item(rate: Decimal, reason_given: bool) -> bool:
    """增长100% from nothing with its reason given: a new item, noted at info level by PCT004 and ITEM006 alike."""
    return rate == HUNDRED and reason_given

"""Breakdowns stated in the narrative: a total, then 其中 and the amounts it splits into.

"本年支出合计1000万元，其中：基本支出600万元，项目支出400万元" states the
equation 1000 = 600 + 400.  A list ending in 等 may be incomplete (only an
excess counts); thresholds (50万元以上), changes (比上年增加…), amounts compared
with (比上年预算数…) and nested lists are not parts.  Vocabularies are data in rules/arithmetic.toml [breakdown].
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import regex

from budgetlint.budget.arithmetic import Equation, Term
from budgetlint.budget.lineitems import reason_start
from budgetlint.budget.model import BudgetModel, Fact
from budgetlint.budget.narrative import CLAUSE_MARKS, LIST_MARKER, compared
from budgetlint.budget.rowtree import vocab
from budgetlint.budget.text import strip_numbering
from budgetlint.budget.vocabulary import has_any
from budgetlint.document import Block, Paragraph
from budgetlint.numbers import find_quantities

CONTINUATION_PARAGRAPHS = 12

PART_RELATIONS = ("amount", "count")
OPENERS, CLOSERS = "（(【[", "）)】]"
ITEM_ENDS = ("；", ";")
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
        """The amounts and counts listed after the marker at its bracket level; None when ambiguous.

        An amount compared with (…19,828.57万元比上年预算数20,292.85万元) is last year's, not a part.
        """
        span = self._span()
        if span is None:
            return None
        depths = _depths(self.text)
        parts = [
            f for f in self.facts
            if self.end <= f.offset < span and depths[f.offset] == depths[self.start] and is_part(self.text, f)
            and not compared(self.text, f.offset)
        ]
        if self._nested(parts, span) or any(_threshold(self.text, f) for f in parts):
            return None
        return parts

    def equations(self, parts: list[Fact], partial: bool) -> Iterator[Equation]:
        """total = Σ parts for each total before the marker; a single part or a ``partial`` list may fall short.

        Parts stated as zero (其中：上缴上级支出0万元) say what the total does not hold: a list with no
        more than one other part is a single part.
        """
        for head in self._totals():
            members = [p for p in parts if _family(p) == _family(head)]
            mixed = head.quantity.is_money and any(p.quantity.is_money and p not in members for p in parts)
            if not members or mixed:
                continue  # amounts in 元 and 万元 in one list are not compared
            yield Equation(
                "breakdown",
                head.subject or " ".join(head.sentence.split()),
                _fact_term(head),
                tuple(_fact_term(p) for p in members),
                True,
                variant="breakdown",
                partial=partial or len([p for p in members if p.quantity.value]) <= 1,  # zeros name no part
                certain_shortfall=False,
            )

    def _span(self) -> int | None:
        """Where the list after the marker ends: the end of its sentence, or the bracket the marker sits in.

        A marker inside an item of an enclosing list (主要包括：A 100万元，其中结转20万元，用于…；B 50万元…)
        lists that item's parts only: its list ends with the item, at the next ；.
        Two markers at one level of one sentence make the lists ambiguous: None.
        """
        first = self._sentence_start(self.start)
        ends = tuple(vocab()["breakdown"]["list_ends"]) + (ITEM_ENDS if self._in_item(first) else ())
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
        ambiguous = any(
            m.start() != self.start and first <= m.start() < end and depths[m.start()] == depths[self.start]
            for m in self.markers
        )
        return None if ambiguous else end

    def _in_item(self, first: int) -> bool:
        """True if an item separator (；) or an enclosing list (包括) precedes the amount the marker follows."""
        before = self.text[first:self.start]
        opener = max(before.rfind(word) for word in (*vocab()["breakdown"]["enclosing_markers"], *ITEM_ENDS))
        return opener >= 0 and any(first + opener < f.offset < self.start for f in self.facts)

    def _sentence_start(self, position: int) -> int:
        ends = vocab()["breakdown"]["list_ends"]
        return max((i + 1 for i in range(position) if self.text[i] in ends), default=0)

    def _totals(self) -> list[Fact]:
        """The last amount and the last count before the marker, in its sentence or the one before.

        A change or rate between the total and the marker makes 其中 refer to
        the change: that total is dropped, and so is a count following other
        counts in its unit.  Amounts in a reason clause (主要原因是…) explain a
        change and are no total.  When the sentence before is itself
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
        end = start + reason_start(self.text[start:end])
        heads: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            if start <= fact.offset < end:
                if is_part(self.text, fact):
                    heads[_family(fact)].append(fact)
                elif fact.relation not in ("share", "percent"):
                    heads.clear()  # a change: 其中 may break the change down
        # Several counts in one unit (会议1次，常委会议4次，主席会议12次。其中…) leave open which one 其中 splits.
        return [facts[-1] for facts in heads.values() if facts[-1].relation != "count" or len(facts) == 1]

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
    for every part) or an item after a ； in one (lines the reader joined);
    paragraphs continuing a wrapped item are passed over; the list ends at
    anything else.
    """
    ends = tuple(vocab()["breakdown"]["list_ends"]) + ITEM_ENDS
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
        items = _items(block.text, facts_of(block))
        if not items:
            break
        shape = _numbering(text)
        if style is not None and shape != style:
            break
        style = shape
        parts += items
        item_open = not text.endswith(ends)
    return parts


def item_parts(budget: BudgetModel) -> dict[int, Fact]:
    """The amounts listed under a numbered item's amount, by id, each with the item's amount.

    In "5.综合管理367.65万元，主要包括：…行政运行85.04万元…；…上年结转20.00万元" the
    paragraph opens with the item (numbering, name, amount in one clause), and
    the amounts after 包括/其中 are its parts: one project's cost or carry-over,
    not the department's quantity of that name.
    """
    paragraphs = list(budget.document.paragraphs())
    heads: dict[int, Fact | None] = {}
    found: dict[int, Fact] = {}
    for fact in sorted(budget.facts, key=lambda f: (f.paragraph, f.offset)):
        if fact.offset < 0 or fact.relation != "amount":
            continue
        text = paragraphs[fact.paragraph].text
        if fact.paragraph not in heads:
            heads[fact.paragraph] = fact if _opens_item(text, fact) else None
        head = heads[fact.paragraph]
        if head is not None and head is not fact and LIST_MARKER.search(text, head.offset, fact.offset):
            found[id(fact)] = head
    return found


def _opens_item(text: str, fact: Fact) -> bool:
    """True if ``text`` opens with numbering and a name whose amount is ``fact`` (5.综合管理367.65万元)."""
    name, level = strip_numbering(text.lstrip())
    lead = text[len(text) - len(name): fact.offset]
    return level > 0 and not any(mark in lead for mark in CLAUSE_MARKS)


def _items(text: str, facts: list[Fact]) -> list[Fact]:
    """The part each item of a paragraph opens with; a paragraph may hold several items (wrapped lines joined).

    Items end at ；.  The list stops at an item that does not open with an amount, and at a 其中 of
    the paragraph's own (a nested list).
    """
    marker = regex.search("|".join(map(regex.escape, vocab()["breakdown"]["markers"])), text)
    limit = marker.start() if marker else len(text)
    items: list[Fact] = []
    start = 0
    for end in [i for i, char in enumerate(text[:limit]) if char in "；;"] + [len(text)]:
        first = next((f for f in facts if start <= f.offset < end), None)
        if first is None and not text[start:end].strip():
            continue
        if first is None or not is_part(text, first) or any(c in text[start:first.offset] for c in CLAUSE_MARKS):
            break
        items.append(first)
        start = end + 1
    return items


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

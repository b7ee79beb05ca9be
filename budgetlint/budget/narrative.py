"""Facts stated in the narrative: amounts, shares, changes, rates and counts.

Each number in a paragraph becomes a :class:`Fact` tied to the phrase before
it (its subject) and, for shares and changes, to the amount it refers to.
Rules then compare facts with tables and with each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from budgetlint.budget.model import Fact
from budgetlint.budget.vocabulary import pack
from budgetlint.document import Paragraph
from budgetlint.numbers import MONEY_FACTORS, Mention, find_quantities

_SENTENCE_END = regex.compile(r"[。；;！？!?]")
_CLAUSE_BREAK = regex.compile(r"[，,：:、（）()“”\s]|其中|主要包括|主要用于|包括|以下方面|共计|合计为|分别为")
CHANGE_WORD = regex.compile(r"(增加|减少|增长|下降|降低|上升|提高)了?$")
RATE_WORD = regex.compile(CHANGE_WORD.pattern + r"|(增幅|降幅|减幅|涨幅|增长率|下降率)(为|达)?$")  # the change verbs, or a rate noun
_SHARE = regex.compile(r"占(比)?(为)?$")
_COMPARED = regex.compile(r"^(比|较)")  # 比2025年初预算数 20,292.85万元: the amount compared with
LIST_MARKER = regex.compile(r"其中|包括")
CLAUSE_MARKS = "，,；;。：:"
_CLAUSE_MARK = regex.compile(f"[{CLAUSE_MARKS}]")
_QUOTED_PREFIX = regex.compile(r"[“\"]([^”\"]{1,6})[”\"](?=\p{Han})")  # “三公”经费: one word, not a clause break
_FILLER = regex.compile(r"^(为|是|达|共|计|约|其中|预算数为|的)+|(为|是|达|共计|合计|约|的)+$")
COUNT_UNITS = {"个", "项", "人", "辆", "台", "套", "家", "户", "名", "件", "种", "场", "次"}
MONEY_UNITS = set(MONEY_FACTORS)


def read_facts(paragraphs: Sequence[Paragraph], department: str = "") -> list[Fact]:
    facts: list[Fact] = []
    for number, paragraph in enumerate(paragraphs):
        facts.extend(_paragraph_facts(paragraph, number, department))
    return facts


def is_decrease(words: str) -> bool:
    """True if ``words`` end on a decrease word (减少, 下降了…; the words are data in pct.toml)."""
    return words.rstrip("了").endswith(tuple(pack("pct.toml")["decrease_words"]))


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, the end including its punctuation."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        yield start, match.end()
        start = match.end()
    if start < len(text):
        yield start, len(text)


@dataclass(frozen=True)
class NoneStatement:
    """A sentence saying the department has none of something (本部门无政府性基金预算…): ``kinds`` are the
    kinds of table it speaks of, ``span`` the words saying so and ``sentence`` the sentence, in ``paragraph``."""

    kinds: tuple[str, ...]
    paragraph: Paragraph
    span: tuple[int, int]
    sentence: tuple[int, int]

    @property
    def words(self) -> str:
        return self.paragraph.text[self.span[0]:self.span[1]]


def none_statements(paragraphs: Iterable[Paragraph]) -> Iterator[NoneStatement]:
    """The "none" statements of ``paragraphs`` (the words are data in xref.toml: none_words, none_subjects)."""
    return _statements(paragraphs, _none_pattern())


def zero_statements(paragraphs: Iterable[Paragraph]) -> Iterator[NoneStatement]:
    """Amounts of zero stated for a subject (政府性基金预算拨款收入 0 万元, 国有资本经营…支出预算为 0): "none" in figures."""
    return _statements(paragraphs, _zero_pattern())


def _statements(paragraphs: Iterable[Paragraph], pattern: regex.Pattern[str]) -> Iterator[NoneStatement]:
    for paragraph in paragraphs:
        for start, end in sentences(paragraph.text):
            for match in pattern.finditer(paragraph.text, start, end):
                yield NoneStatement(subject_kinds(match["what"]), paragraph, match.span(), (start, end))


def subject_kinds(text: str) -> tuple[str, ...]:
    """The kinds of table the subject ``text`` names speaks of (政府性基金 → its tables), () if none."""
    words = pack("xref.toml")
    for entry in [*words["none_subjects"], *words["zero_subjects"]]:
        if text in entry["words"]:
            return tuple(entry["kinds"])
    return ()


@cache
def _none_pattern() -> regex.Pattern[str]:
    words = pack("xref.toml")
    subjects = [word for entry in words["none_subjects"] for word in entry["words"]]
    return regex.compile(alternatives(words["none_words"]) + r"\s*" + alternatives(subjects, "what"))


@cache
def _zero_pattern() -> regex.Pattern[str]:
    words = pack("xref.toml")
    subjects = [word for entry in [*words["none_subjects"], *words["zero_subjects"]] for word in entry["words"]]
    # the subject, a few words of the same clause, then 0 (0.00) with or without its unit, and no more digits
    return regex.compile(alternatives(subjects, "what") + r"[^，。；;,、\d]{0,16}?\s*0(?:\.0+)?\s*(?:万元|元)?(?![\d.])")


def alternatives(words: Sequence[str], name: str = "") -> str:
    """A regex group matching any of ``words`` (longest first), named ``name`` if given."""
    group = f"(?P<{name}>" if name else "(?:"
    return group + "|".join(map(regex.escape, sorted(words, key=len, reverse=True))) + ")"


def _paragraph_facts(paragraph: Paragraph, number: int, department: str) -> list[Fact]:
    text = paragraph.text
    facts: list[Fact] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        first_amount: Fact | None = None
        listed: list[Fact] = []
        previous: Fact | None = None
        for mention in find_quantities(sentence):
            changing = _changing(sentence, first_amount, listed, offset=start, at=mention.start)
            fact = _fact(paragraph, number, sentence, start, mention, department, first_amount, changing, previous)
            if fact is None:
                continue
            facts.append(fact)
            if fact.relation == "amount" and first_amount is None:
                first_amount = fact
            elif fact.relation == "amount" and _listed(sentence, first_amount, fact, start):
                listed.append(fact)
            previous = fact
    return facts


def compared(text: str, offset: int) -> bool:
    """True if the amount at ``offset`` is the one compared with (…19,828.57万元比2025年初预算数20,292.85万元).

    The words between the amount and the money amount or clause break before it open with 比 or 较.
    """
    clause = _CLAUSE_MARK.split(text[:offset])[-1]
    money = [m for m in find_quantities(clause) if m.quantity.unit in MONEY_UNITS]
    return bool(_COMPARED.match("".join(clause[money[-1].end if money else 0:].split())))


def _listed(sentence: str, first: Fact, fact: Fact, start: int) -> bool:
    """True if ``fact`` is listed after 其中/包括 following the sentence's first amount, and is not compared with."""
    offset = fact.offset - start
    return bool(LIST_MARKER.search(sentence, first.offset - start, offset)) and not compared(sentence, offset)


def _changing(sentence: str, first: Fact | None, listed: Sequence[Fact], offset: int, at: int) -> Fact | None:
    """The amount a change at ``at`` refers to: the sentence's first amount, or the part listed after it.

    A change after the only part listed (…，其中：公务用车运行费1114.17万元，比上年减少30.00万元), or in
    the same clause as the last part (其中：一般公共预算收入19,828.57万元比上年减少464.27万元), is the
    part's; after several parts (其中：本年收入1,491.74万元，上年结转0万元，比上年增加41.74万元) it is
    the total's.
    """
    if not listed:
        return first
    last = listed[-1]
    if len(listed) == 1 or not _CLAUSE_MARK.search(sentence, last.offset - offset, at):
        return last
    return first


def _fact(paragraph, number, sentence, offset, mention: Mention, department, first_amount, changing,
          previous) -> Fact | None:
    """The fact a number states; a change refers to ``changing`` (see :func:`_changing`)."""
    unit = mention.quantity.unit
    if unit not in MONEY_UNITS and unit != "%" and unit not in COUNT_UNITS or _path_marker(sentence, mention):
        return None
    before = sentence[: mention.start].rstrip()  # PDF text often sets numbers apart: 增加 1408.29 万元
    start = offset + mention.start
    location = paragraph.span.locate(start, offset + mention.end)
    if unit == "%":
        if _SHARE.search(before):
            relation, base = "share", first_amount if first_amount is not previous else None
        elif RATE_WORD.search(before):
            relation, base = "rate", previous if previous and previous.relation == "change" else None
        else:
            relation, base = "percent", None
        subject = previous.subject if previous else _subject(before, department)
        return Fact(relation, subject, mention.quantity, location, sentence, number, base, start)
    if unit in MONEY_UNITS and CHANGE_WORD.search(before):
        return Fact("change", changing.subject if changing else "", mention.quantity, location,
                    sentence, number, changing, start)
    relation = "amount" if unit in MONEY_UNITS else "count"
    return Fact(relation, _subject(before, department), mention.quantity, location, sentence, number, None, start)


def _path_marker(sentence: str, mention: Mention) -> bool:
    """（01项） after （204类）（06款）: a classification code's level marker, not a count of 1 项."""
    if mention.quantity.unit != "项" or not sentence[mention.end:].lstrip().startswith(("）", ")")):
        return False
    before = "".join(sentence[: mention.start].split())
    return before.endswith(("款）（", "款)(")) or (before.endswith(("（", "(")) and sentence[mention.start] == "0")


def _subject(before: str, department: str) -> str:
    """The phrase a number belongs to: the text since the last clause break, without filler."""
    pieces = _CLAUSE_BREAK.split(_QUOTED_PREFIX.sub(r"\1", before))
    subject = pieces[-1] if pieces else ""
    if department:
        subject = subject.replace(department, "")
    subject = regex.sub(r"^\d{4}年度?", "", subject)
    return _FILLER.sub("", subject)

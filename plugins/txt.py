"""TXT: text quality of the prose in a disclosure.

TXT001 a Latin word stranded in Chinese prose, TXT002 doubled or conflicting
punctuation, TXT003 a phrase repeated back to back, TXT004 a sentence cut off
at the end of a paragraph, TXT005 unbalanced brackets or quotes, TXT006 a
one-off homophone typo of a term the document uses often, TXT007 a character
doubled inside a name.  The vocabularies the rules rely on are data in
``budgetlint_rules/txt.toml``; the corpus statistics of TXT006 and TXT007 in
``budgetlint_rules/terms.toml`` (written by ``scripts/generate_terms.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from budgetlint import catalogue
from budgetlint.document import Block, Heading, Paragraph
from budgetlint.findings import Finding
from budgetlint.hookspecs import hookimpl
from budgetlint.prose import EXCERPT_WIDTH, SENTENCE_MARK, Prose, excerpt, prose
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

_HAN = regex.compile(r"\p{Han}")
_SPACES = " \t\u3000\u00a0"


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "TXT001": _check_latin_word,
        "TXT002": _check_doubled_punctuation,
        "TXT003": _check_repeated_phrase,
        "TXT004": _check_cut_sentence,
        "TXT005": _check_brackets,
        "TXT006": _check_frequent_term_typo,
        "TXT007": _check_doubled_character,
    }
    return rules_from_catalogue("budgetlint_plugins", "txt.toml", checks)


def _is_han(text: str, index: int) -> bool:
    return 0 <= index < len(text) and _HAN.match(text[index]) is not None


@cache
def _words_table(section: str) -> dict[str, Any]:
    """A section of ``budgetlint_rules/txt.toml``."""
    return dict(catalogue.load("budgetlint_rules", "txt.toml")[section])


@cache
def _words(section: str, key: str) -> frozenset[str]:
    """A vocabulary from ``budgetlint_rules/txt.toml`` (a string gives its characters)."""
    return frozenset(catalogue.load("budgetlint_rules", "txt.toml")[section][key])


# --- TXT001 Latin word stranded in Chinese prose ---------------------------

_LATIN_TOKEN = regex.compile(r"[A-Za-z0-9._@/:\\\-+#&%']+")
_PLAIN_WORD = regex.compile(r"[A-Za-z]{2,}")
_VOWELS = set("aeiouy")


def _check_latin_word(ctx: RuleContext) -> Iterable[Finding]:
    for unit in prose(ctx.document):
        text = unit.text
        for match in _LATIN_TOKEN.finditer(text):
            word = match.group()
            if not (_PLAIN_WORD.fullmatch(word) and _is_stray_word(word)):
                continue
            before, after = _skip_spaces(text, match.start() - 1, -1), _skip_spaces(text, match.end(), 1)
            if not (_is_han(text, before) and _is_han(text, after)):
                continue
            context = excerpt(text, match.start(), match.end())
            yield ctx.report(
                unit.locate(match.start(), match.end()),
                word=word,
                context=context,
                evidence={"word": word, "excerpt": context},
            )


def _is_stray_word(word: str) -> bool:
    """An ordinary word, as opposed to an abbreviation, unit, acronym or name.

    Only all-lower-case words with a vowel qualify (GDP, Word, km do not),
    plus English function words in lower or title case (AS in capitals is an
    acronym: 强直性脊柱炎).
    """
    lower = word.lower()
    if lower in _words("latin", "allowed"):
        return False
    if lower in _words("latin", "function_words"):
        return not word.isupper()
    return word.islower() and not _VOWELS.isdisjoint(lower)


def _skip_spaces(text: str, index: int, step: int) -> int:
    while 0 <= index < len(text) and text[index] in _SPACES:
        index += step
    return index


# --- TXT002 doubled or conflicting punctuation ----------------------------

# Point marks (GB/T 15834 点号).  The ASCII full stop is left out: it makes
# decimals, ellipses and table-of-contents leaders.
_POINT_MARKS = "。，、；：？！,;:?!"
_QUERY_MARKS = set("？！?!")
_MARK_RUN = regex.compile(rf"[{regex.escape(_POINT_MARKS)}](?:[{_SPACES}]*[{regex.escape(_POINT_MARKS)}])+")


def _check_doubled_punctuation(ctx: RuleContext) -> Iterable[Finding]:
    for unit in prose(ctx.document):
        for match in _MARK_RUN.finditer(unit.text):
            marks = "".join(ch for ch in match.group() if ch not in _SPACES)
            if set(marks) <= _QUERY_MARKS:  # ？！ and the like are allowed
                continue
            context = excerpt(unit.text, match.start(), match.end())
            yield ctx.report(
                unit.locate(match.start(), match.end()),
                marks=marks,
                context=context,
                evidence={"marks": marks, "excerpt": context},
            )


# --- TXT003 phrase repeated back to back ----------------------------------

_REPEATED_RUN = regex.compile(r"(\p{Han}{2,8})\1+")


def _check_repeated_phrase(ctx: RuleContext) -> Iterable[Finding]:
    doubled_single = regex.compile("([" + "".join(sorted(_words("repetition", "single"))) + r"])\1")
    labels = _form_labels(ctx)
    for unit in prose(ctx.document):
        text = unit.text
        if not (unit.bounded or SENTENCE_MARK.search(text)):
            continue  # layout fragments run together (表头 cells, wrapped lines) repeat by accident
        taken: list[tuple[int, int]] = []
        for match in [*_REPEATED_RUN.finditer(text), *doubled_single.finditer(text)]:
            start, end = match.span()
            overlaps = any(start < e and s < end for s, e in taken)
            if overlaps or _legitimate_repeat(text, start, end, match.group(1)):
                continue
            if not text[:start].strip() and not text[end:].strip():
                continue  # nothing but the repeat: two cells of one label read as one (产出指标产出指标)
            if _joins_labels(text, start, len(match.group(1)), labels):
                continue
            taken.append((start, end))
            context = excerpt(text, start, end)
            yield ctx.report(
                unit.locate(start, end),
                phrase=match.group(1),
                context=context,
                evidence={"phrase": match.group(1), "repeated": match.group(), "excerpt": context},
            )


def _form_labels(ctx: RuleContext) -> frozenset[str]:
    """Labels of the document's tables and forms (row labels, column headers, indicator levels).

    A repeat across two of them (在职人员 | 人员经费, 数量指标 | 指标…) is two
    cells read as one line, not a slip.
    """
    words_ = [*_words("repetition", "form_labels")]
    budget = ctx.budget
    if budget is not None:
        words_ += [item.label for table in budget.tables for _, item in table.items()]
        words_ += [part for table in budget.tables for s in table.sections for c in s.columns for part in c.header]
    return frozenset(w.strip() for w in words_ if len(w.strip()) >= 2)


def _joins_labels(text: str, start: int, size: int, labels: frozenset[str]) -> bool:
    """True if the repeat's first copy ends a longer label or its second starts one, or a form's label overlaps it."""
    middle, unit = start + size, text[start : start + size]
    longer = [label for label in labels if len(label) > size]
    ends = any(text.endswith(label, 0, middle) and label.endswith(unit) for label in longer)
    starts = any(text.startswith(label, middle) and label.startswith(unit) for label in longer)
    return ends or starts or any(_overlaps(text, label, start, middle + size) for label in _words("repetition", "form_labels"))


def _overlaps(text: str, label: str, start: int, end: int) -> bool:
    """True if an occurrence of ``label`` in ``text`` overlaps ``text[start:end]``."""
    at = text.find(label, max(0, start - len(label) + 1))
    return 0 <= at < end


def _legitimate_repeat(text: str, start: int, end: int, unit: str) -> bool:
    """Numbers (二〇二〇, 一个一个) and listed phrases (目的的, 的的确确)."""
    if unit[0] in _words("repetition", "numerals"):
        return True
    return any(
        text.startswith(phrase, at)
        for phrase in _words("repetition", "allowed")
        for at in range(max(0, end - len(phrase)), start + 1)
    )


# --- TXT004 sentence cut off at the end of a paragraph --------------------

_MIN_PROSE_LENGTH = 15
_DANGLING_MARKS = ("，", "、", ",")
# A page number left on a line of its own: page furniture, not text.
_PAGE_NUMBER = regex.compile(
    r"\s*(?:[-—–]\s*)?\d{1,4}(?:\s*[-—–])?\s*"
    r"|\s*第\s*\d{1,4}\s*页(?:\s*[，,/]\s*共\s*\d{1,4}\s*页)?\s*"
)
# Starts of list items, headings and notes: such a paragraph begins afresh.
_FRESH_START = regex.compile(
    r"[（(]?[〇零一二三四五六七八九十百\d]+[)）、.．]"
    r"|第[〇零一二三四五六七八九十百\d]+[部章节条款项篇]"
    r"|注[:：]"
)


# A heading numbered first (（一）, 1．, 一、) after 其中： is the list it announces, set as headings.
_FIRST_ITEM = regex.compile(r"\s*(?:[（(]?[一1１][)）、.．]|①|第一)")


def _check_cut_sentence(ctx: RuleContext) -> Iterable[Finding]:
    blocks = [b for b in ctx.document.blocks() if not _is_page_number(b)]
    for block, following in zip(blocks, [*blocks[1:], None]):
        if not isinstance(block, Paragraph):
            continue
        text = block.text.rstrip()
        ends_section = following is None or (isinstance(following, Heading) and not _FIRST_ITEM.match(following.text))
        if not _is_prose(text) or (_next_page(block, following) and not ends_section):
            continue  # a sentence running on to the next page is layout, not a defect
        ending = _dangling_ending(text) or (_open_introduction(text) if ends_section else None)
        if ending and following is not None and _FIRST_ITEM.match(following.text):
            continue  # …其中 / （1）…: the list it announces follows
        if ending:
            start = len(text) - len(ending)
            yield ctx.report(
                block.span.locate(start, len(text)),
                variant="dangling",
                ending=ending,
                tail=excerpt(text, start, len(text)),
                evidence={"ending": ending},
            )
        elif isinstance(following, Paragraph) and _continues(text, following):
            head = following.text.lstrip()
            offset = len(following.text) - len(head)
            yield ctx.report(
                block.span.locate(len(text) - 1, len(text)),
                variant="continued",
                tail=excerpt(text, len(text), len(text)),
                head=excerpt(head, 0, 0),
                related=[following.span.locate(offset, offset + 1)],
                evidence={"tail": text[-EXCERPT_WIDTH:], "head": head[:EXCERPT_WIDTH]},
            )


def _is_page_number(block: Block) -> bool:
    return isinstance(block, Paragraph) and _PAGE_NUMBER.fullmatch(block.text) is not None


def _is_prose(text: str) -> bool:
    return len(text) >= _MIN_PROSE_LENGTH and SENTENCE_MARK.search(text) is not None


def _dangling_ending(text: str) -> str | None:
    if text.endswith(_DANGLING_MARKS):
        return text[-1]
    return max((word for word in _words("sentence", "dangling") if text.endswith(word)), key=len, default=None)


def _open_introduction(text: str) -> str | None:
    """The introducer (其中：, 包括：) a paragraph ends on, with its colon: a list that never came."""
    if not text.endswith(("：", ":")):
        return None
    body = text[:-1].rstrip()
    word = max((w for w in _words("sentence", "introducers") if body.endswith(w)), key=len, default=None)
    return None if word is None else text[len(body) - len(word) :]


def _continues(text: str, following: Paragraph) -> bool:
    """``text`` stops on a character mid-sentence and ``following`` carries on."""
    head = following.text.lstrip()
    return _is_han(text, len(text) - 1) and _is_han(head, 0) and not _FRESH_START.match(head) and _is_prose(head)


def _next_page(block: Paragraph, following: Block | None) -> bool:
    """True if ``following`` starts on a later page than ``block`` (when pages are known)."""
    if following is None:
        return False
    here, there = block.location.page, following.location.page
    return here is not None and there is not None and there != here


# --- TXT006 one-off homophone typo of a term used often -------------------

_HAN_RUN = regex.compile(r"\p{Han}+")
_DOUBLED = regex.compile(r"(\p{Han})\1")


@cache
def _corpus_terms() -> dict[str, Any]:
    """The corpus statistics in ``budgetlint_rules/terms.toml`` (see scripts/generate_terms.py)."""
    return dict(catalogue.load("budgetlint_rules", "terms.toml"))


@cache
def _homophone_group() -> dict[str, int]:
    """Each character of the corpus with a homophone → the number of its reading."""
    return {char: n for n, group in enumerate(_corpus_terms()["homophones"]) for char in group}


def _known_bigram(pair: str) -> bool:
    """True if at least two documents of the corpus write these two characters together."""
    return len(pair) == 2 and pair[1] in _corpus_terms()["bigrams"].get(pair[0], "")


@dataclass(frozen=True)
class _Slip:
    """A character of a once-used term where the often-used term has a homophone."""

    unit: Prose
    at: int
    odd: str
    usual: str
    places: tuple[tuple[Prose, int], ...]


def _check_frequent_term_typo(ctx: RuleContext) -> Iterable[Finding]:
    for slip in _homophone_slips(list(prose(ctx.document))):
        unit, at, usual_places = slip.unit, slip.at, slip.places
        context = excerpt(unit.text, at, at + 1)
        other, where = usual_places[0]
        char, replacing = _differing(slip.odd, slip.usual)
        yield ctx.report(
            unit.locate(at, at + 1),
            related=[other.locate(where, where + len(slip.usual))],
            odd=slip.odd,
            usual=slip.usual,
            count=len(usual_places),
            char=char,
            other=replacing,
            context=context,
            key=[slip.odd, slip.usual],
            evidence={"odd": slip.odd, "usual": slip.usual, "count": len(usual_places), "excerpt": context},
        )


def _homophone_slips(units: list[Prose]) -> list[_Slip]:
    """Terms used once that differ from a term used often by one homophone in a spot no corpus writes.

    Terms are runs of ``length`` Chinese characters; the often-used one occurs
    at least ``min_count`` times.  The odd character must sit between
    neighbours it is never found beside in the corpus, so that a word of its
    own (天然气 beside 燃气) is not taken for a slip.
    """
    settings = _words_table("typo")
    length, least = settings["length"], settings["min_count"]
    grams: dict[str, list[tuple[Prose, int]]] = defaultdict(list)
    for unit in units:
        for run in _HAN_RUN.finditer(unit.text):
            for start in range(run.start(), run.end() - length + 1):
                grams[unit.text[start : start + length]].append((unit, start))
    patterns: dict[tuple[int, str], list[str]] = defaultdict(list)
    for gram, places in grams.items():
        if len(places) >= least:
            for p in range(length):
                patterns[(p, gram[:p] + "?" + gram[p + 1 :])].append(gram)
    best: dict[tuple[int, int], _Slip] = {}
    for gram, places in grams.items():
        if len(places) != 1:
            continue
        unit, start = places[0]
        for p in range(length):
            at = start + p
            for usual in patterns.get((p, gram[:p] + "?" + gram[p + 1 :]), ()):
                if not (_homophones(gram[p], usual[p]) and _unwritten(unit.text, at)):
                    continue
                slip = _Slip(unit, at, gram, usual, tuple(grams[usual]))
                kept = best.get((id(unit), at))
                if kept is None or len(slip.places) > len(kept.places):
                    best[(id(unit), at)] = slip
    return list(best.values())


def _homophones(a: str, b: str) -> bool:
    group = _homophone_group()
    return a != b and a in group and group.get(b) == group[a]


def _unwritten(text: str, at: int) -> bool:
    """True if the character at ``at`` stands beside Chinese neighbours the corpus never puts it next to."""
    pairs = [text[at - 1 : at + 1] if at else "", text[at : at + 2]]
    pairs = [pair for pair in pairs if len(pair) == 2 and _HAN_RUN.fullmatch(pair)]
    return bool(pairs) and not any(_known_bigram(pair) for pair in pairs)


def _differing(a: str, b: str) -> tuple[str, str]:
    """The characters at the one position where two equally long strings differ."""
    return next((x, y) for x, y in zip(a, b) if x != y)


# --- TXT007 character doubled inside a name -------------------------------


def _check_doubled_character(ctx: RuleContext) -> Iterable[Finding]:
    units = list(prose(ctx.document))
    everything = "\n".join(unit.text for unit in units)
    allowed = _corpus_terms()["doubled"] + "".join(_words("repetition", "single")) + "".join(
        _words("repetition", "numerals")
    )
    for unit in units:
        text = unit.text
        for match in _DOUBLED.finditer(text):
            char, start, end = match.group(1), match.start(), match.end()
            if char in allowed or (end < len(text) and text[end] == char):
                continue
            single = _written_once(text, start, end, everything)
            if single is None:
                continue  # only a name the document also writes with the character once
            context = excerpt(text, start, end)
            yield ctx.report(
                unit.locate(start, end),
                doubled=match.group(),
                single=single,
                context=context,
                evidence={"doubled": match.group(), "single": single, "excerpt": context},
            )


def _written_once(text: str, start: int, end: int, everything: str) -> str | None:
    """The doubled stretch with one character and two neighbours on one side and one on the other, if
    the document writes it so elsewhere (有效开开展 → 有效开展); else None.

    Four characters, not three: 学科科研 joins two words (学科, 科研) that a longer document also
    joins once each (教学科研), but not with the same neighbours.
    """
    char = text[start]
    for left, right in ((2, 1), (1, 2)):
        single = text[max(0, start - left) : start] + char + text[end : end + right]
        if len(single) == 4 and _HAN_RUN.fullmatch(single) and single in everything:
            return single
    return None


# --- TXT005 unbalanced brackets and quotes --------------------------------

_PAIRS = {
    "（": "）", "(": ")", "《": "》", "“": "”", "【": "】",
    "「": "」", "『": "』", "〔": "〕", "［": "］", "[": "]",
}
_OPENER_OF = {close: open_ for open_, close in _PAIRS.items()}
_ROUND = set("（(）)")  # full- and half-width forms of one bracket
# "1）" or "a)" opening a list item: a closing bracket with no opener, by design; a number's also
# right after a label whose colon a cell lost (年度目标1)建立…).
_LIST_MARKER = regex.compile(r"(?:^|(?<=[\s。；：，、;:,]))[0-9A-Za-z〇一二三四五六七八九十]{1,3}[)）]|(?<=\p{Han})\d{1,2}[)）]")


# Characters from a cell's edge within which a lone bracket may have lost its partner to the layout.
_CELL_EDGE = 6


@dataclass(frozen=True)
class _BracketFault:
    variant: str  # unclosed, unopened or mismatch
    start: int
    end: int
    mark: str
    partner: str


def _check_brackets(ctx: RuleContext) -> Iterable[Finding]:
    for unit in prose(ctx.document, join_open=True):
        for fault in _bracket_faults(unit.text):
            if unit.inferred and fault.variant != "mismatch":
                continue  # the partner may sit in a neighbouring fragment
            if _wrapped_partner(unit, fault) or _at_cell_edge(unit, fault):
                continue
            context = excerpt(unit.text, fault.start, fault.end)
            yield ctx.report(
                unit.locate(fault.start, fault.end),
                variant=fault.variant,
                mark=fault.mark,
                partner=fault.partner,
                context=context,
                evidence={"mark": fault.mark, "partner": fault.partner, "excerpt": context},
            )


def _bracket_faults(text: str) -> list[_BracketFault]:
    """The unmatched or mismatched brackets of ``text``, in text order."""
    faults: list[_BracketFault] = []
    markers = {match.end() - 1 for match in _LIST_MARKER.finditer(text)}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char in _PAIRS:
            stack.append(index)
        elif char in _OPENER_OF:
            depth = next((k for k in reversed(range(len(stack))) if text[stack[k]] == _OPENER_OF[char]), None)
            if depth is not None:
                faults += [_unclosed(text, at) for at in stack[depth + 1 :]]
                del stack[depth:]
            elif stack and {text[stack[-1]], char} <= _ROUND:
                opener = stack.pop()
                faults.append(_BracketFault("mismatch", opener, index + 1, text[opener], char))
            elif index not in markers:
                faults.append(_BracketFault("unopened", index, index + 1, char, _OPENER_OF[char]))
    faults += [_unclosed(text, at) for at in stack]
    return sorted(faults, key=lambda fault: fault.start)


def _wrapped_partner(unit: Prose, fault: _BracketFault) -> bool:
    """True if the partner of an unmatched mark sits in the cell below (or above) in its column.

    A cell whose text wraps over the table's lines, or over a page break, is
    read as two cells: （基本建 above 设）.
    """
    if fault.variant == "unclosed":
        return any(f.variant == "unopened" and f.mark == fault.partner for f in _bracket_faults(unit.below))
    if fault.variant == "unopened":
        return any(f.variant == "unclosed" and f.mark == fault.partner for f in _bracket_faults(unit.above))
    return False


def _at_cell_edge(unit: Prose, fault: _BracketFault) -> bool:
    """True if a cell's bracket opens in its last few characters or closes in its first few.

    The partner may sit in a line of the cell that was wrapped out of it or
    clipped at its edge (（每批 / 次）, 个（台、套、 / 件）): the reader cannot tell.
    """
    if unit.kind != "cell":
        return False
    if fault.variant == "unclosed":
        return len(unit.text.rstrip()) - fault.end < _CELL_EDGE
    return fault.variant == "unopened" and fault.start < _CELL_EDGE


def _unclosed(text: str, at: int) -> _BracketFault:
    return _BracketFault("unclosed", at, at + 1, text[at], _PAIRS[text[at]])

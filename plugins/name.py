"""NAME: names that must match across tables and text.

NAME001 a project named differently in the 项目支出表 and in its 绩效目标表,
NAME002 one classification code with two names, NAME003 a classification
named in the narrative differently than in the tables, NAME004 a term spelled
two ways in parallel passages, NAME005 a code printed with a name that is not
its name in the classification of the document's year.  Thresholds and
punctuation equivalents are data in ``budgetlint_rules/name.toml``, the
classification in ``budgetlint_rules/classification-codes.tsv``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

import regex

from budgetlint.budget import classification
from budgetlint.budget.lineitems import LEVELS
from budgetlint.budget.model import (
    BudgetModel,
    BudgetTable,
    Item,
    PerformanceForm,
    Project,
    Value,
)
from budgetlint.budget.tables import wide_items
from budgetlint.budget.vocabulary import pack
from budgetlint.document import Document, Paragraph, Table
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.location import Location
from budgetlint.numbers import MONEY_FACTORS, Interval
from budgetlint.prose import cell_locator
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

_HAN = regex.compile(r"\p{Han}")
_HAN_RUN = regex.compile(r"\p{Han}+")
# A list number opening a phrase: 1. / 2、 / (一) / ①.
_LIST_NUMBER = regex.compile(r"^(?:\d{1,2}\s*[.．、]|[（(][\d一二三四五六七八九十]{1,3}[)）]|[①-⑳])\s*")
# Marks that make a paragraph a sentence or a list rather than layout fragments.
_LIST_MARK = regex.compile(r"[、，。；]")
# A phrase that is only a list number (一 of 一、, 十二).
_NUMERAL_ONLY = regex.compile(r"[\d〇零一二三四五六七八九十百]+")


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "NAME001": _check_project_names,
        "NAME002": _check_code_names,
        "NAME003": _check_narrative_names,
        "NAME004": _check_spelling,
        "NAME005": _check_classification_names,
    }
    return rules_from_catalogue("budgetlint_plugins", "name.toml", checks)


# --- shared helpers -------------------------------------------------------


@cache
def _vocab() -> dict[str, Any]:
    return dict(pack("name.toml"))


def _normalise(text: str) -> str:
    """A name as compared: NFKC, no whitespace, punctuation variants unified."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return text.translate(_punctuation_table())


@cache
def _punctuation_table() -> dict[int, str]:
    return str.maketrans(_vocab()["punctuation"])


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _common_ends(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and of the common suffix, not overlapping within the shorter string."""
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def _join(texts: Iterable[str]) -> str:
    return "、".join(dict.fromkeys(texts))


# --- NAME001 project names: 项目支出表 vs 绩效目标表 -------------------------


def _check_project_names(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    forms = [f for f in budget.forms if f.scope == "project" and _normalise(f.name)]
    projects = [p for p in budget.projects if _normalise(p.name)]
    projects, forms = _unmatched(projects, forms)
    for project, form in _near_matches(projects, forms):
        agree = _amounts_agree(project, form)
        variant = {True: "agree", False: "differ", None: "unknown"}[agree]
        certain = agree and project.table.confident and form.confident and not _cut_short(
            _normalise(form.name), [_normalise(project.name)]
        )  # a form name that is the start of the project's: a cell cut at its edge, not another name
        form_value = _form_amount(form)
        yield ctx.report(
            form.name_location or form.location,
            variant=variant,
            severity=Severity.ERROR if certain else Severity.WARNING,
            related=[project.location],
            project=project.name,
            form=form.name,
            project_amount=_amount_text(project.amount, project.unit),
            form_amount=_amount_text(form_value, form.unit),
            key=[_normalise(project.name), _normalise(form.name)],
            evidence={
                "names": {"project": project.name, "form": form.name},
                "distance": _edit_distance(_normalise(project.name), _normalise(form.name)),
                "values": {
                    "project": _amount_text(project.amount, project.unit),
                    "form": _amount_text(form_value, form.unit),
                },
                "in_yuan": {
                    "project": _bounds(_in_yuan(project.amount, project.unit)),
                    "form": _bounds(_in_yuan(form_value, form.unit)),
                },
                "tolerance": "intervals of the stated precision overlap (XBRL Calculations 1.1)",
            },
        )


def _unmatched(projects: list[Project], forms: list[PerformanceForm]) -> tuple[list[Project], list[PerformanceForm]]:
    """The projects and forms left once identical names (after normalising) are paired off."""
    form_names = Counter(_normalise(f.name) for f in forms)
    project_names = Counter(_normalise(p.name) for p in projects)
    left_projects = []
    for project in projects:
        name = _normalise(project.name)
        if form_names[name]:
            form_names[name] -= 1
        else:
            left_projects.append(project)
    left_forms = []
    for form in forms:
        name = _normalise(form.name)
        if project_names[name]:
            project_names[name] -= 1
        else:
            left_forms.append(form)
    return left_projects, left_forms


def name_similarity(a: str, b: str) -> float | None:
    """How alike two normalised names are (0 to 1), or None when they are not a near match.

    A near match needs few edits relative to the longer name, with the edits
    kept to a local stretch: the names share most of their start and end.
    """
    limits = _vocab()["project"]
    distance = _edit_distance(a, b)
    longest, shortest = max(len(a), len(b)), min(len(a), len(b))
    if not shortest or distance == 0 or distance > limits["max_distance_ratio"] * longest:
        return None
    if sum(_common_ends(a, b)) < limits["min_shared_ratio"] * shortest:
        return None
    return 1 - distance / longest


def _near_matches(projects: Sequence[Project], forms: Sequence[PerformanceForm]) -> list[tuple[Project, PerformanceForm]]:
    """The optimal one-to-one pairing of near-matching names (most similar, amounts agreeing first)."""
    bonus = _vocab()["project"]["amount_bonus"]
    weights = []
    for project in projects:
        row = []
        for form in forms:
            similarity = name_similarity(_normalise(project.name), _normalise(form.name))
            row.append(0.0 if similarity is None else similarity + (bonus if _amounts_agree(project, form) else 0.0))
        weights.append(row)
    return [(projects[i], forms[j]) for i, j in max_weight_matching(weights)]


def max_weight_matching(weights: list[list[float]]) -> list[tuple[int, int]]:
    """Row/column pairs of a one-to-one assignment maximising the total weight; zero weights are no pair."""
    if not weights or not weights[0]:
        return []
    transposed = len(weights) > len(weights[0])
    matrix = [list(col) for col in zip(*weights)] if transposed else weights
    columns = _hungarian([[-w for w in row] for row in matrix])
    pairs = [(i, j) for i, j in enumerate(columns) if matrix[i][j] > 0]
    return sorted((j, i) for i, j in pairs) if transposed else pairs


def _hungarian(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment of each row to a distinct column (rows ≤ columns): the column of each row."""
    rows, cols = len(cost), len(cost[0])
    infinity = float("inf")
    u, v = [0.0] * (rows + 1), [0.0] * (cols + 1)
    owner, way = [0] * (cols + 1), [0] * (cols + 1)  # owner[j]: the row assigned to column j (1-based)
    for row in range(1, rows + 1):
        owner[0], column = row, 0
        slack, used = [infinity] * (cols + 1), [False] * (cols + 1)
        while owner[column]:
            used[column] = True
            current, delta, nearest = owner[column], infinity, 0
            for j in range(1, cols + 1):
                if used[j]:
                    continue
                reduced = cost[current - 1][j - 1] - u[current] - v[j]
                if reduced < slack[j]:
                    slack[j], way[j] = reduced, column
                if slack[j] < delta:
                    delta, nearest = slack[j], j
            for j in range(cols + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    slack[j] -= delta
            column = nearest
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    assigned = [0] * rows
    for j in range(1, cols + 1):
        if owner[j]:
            assigned[owner[j] - 1] = j - 1
    return assigned


def _form_amount(form: PerformanceForm) -> Value | None:
    value = form.funds.get("annual_total") or form.funds.get("implementation_total")
    return value if value is not None and value.amount is not None else None


def _in_yuan(value: Value | None, unit: str) -> Interval | None:
    if value is None or value.amount is None or unit not in MONEY_FACTORS:
        return None
    return value.interval.scale(MONEY_FACTORS[unit])


def _amounts_agree(project: Project, form: PerformanceForm) -> bool | None:
    """Whether the project's amount and the form's annual funds agree (None when either is unknown)."""
    stated = _in_yuan(project.amount, project.unit)
    funded = _in_yuan(_form_amount(form), form.unit)
    if stated is None or funded is None:
        return None
    return stated.overlaps(funded)


def _bounds(interval: Interval | None) -> list[Decimal] | None:
    return [interval.lo, interval.hi] if interval is not None else None


def _amount_text(value: Value | None, unit: str) -> str:
    return f"{value.text}{unit}" if value is not None and value.amount is not None else "—"


# --- NAME002 one classification code, two names -----------------------------


def _check_code_names(ctx: RuleContext) -> Iterable[Finding]:
    for code, names in _code_names(ctx.budget.tables).items():
        names = {n: uses for n, uses in names.items() if not _cut_short(n, names)}
        if len(names) < 2:
            continue
        # The odd one out is the name fewest tables use; on a tie, the one that appears last.
        order = sorted(names, key=lambda n: (-len(names[n]), _position(names[n][0][1].location)))
        table, item = names[order[-1]][0]
        others = [use for n in order[:-1] for use in names[n]]
        involved = [t for uses in names.values() for t, _ in uses]
        yield ctx.report(
            item.location,
            severity=Severity.ERROR if all(t.confident for t in involved) else Severity.WARNING,
            related=[i.location for _, i in others],
            code=code,
            label=item.label,
            table=table.title,
            other=_join(i.label for _, i in others),
            other_table=_join(t.title for t, _ in others),
            key=[code, *sorted(names)],
            evidence={"code": code, "names": {n: [t.title for t, _ in uses] for n, uses in names.items()}},
        )


def _cut_short(name: str, names: Iterable[str]) -> bool:
    """Whether ``name`` is the start of another name: a cell cut at its edge (一般行政管理事 for 一般行政管理事务)."""
    return any(other != name and other.startswith(name) for other in names)


def _code_names(tables: Sequence[BudgetTable]) -> dict[str, dict[str, list[tuple[BudgetTable, Item]]]]:
    """code → normalised name → the (table, item) rows giving the code that name.

    A code carrying two names inside one table is left out: that is a reading
    problem (a misplaced code column), not a naming one.
    """
    found: dict[str, dict[str, list[tuple[BudgetTable, Item]]]] = defaultdict(dict)
    for table in tables:
        here: dict[str, dict[str, Item]] = defaultdict(dict)
        for item in (i for section in table.sections for i in section.items):
            if item.code and item.role == "item" and _HAN.search(item.label):
                here[item.code].setdefault(_normalise(item.label), item)
        for code, labels in here.items():
            if len(labels) == 1:
                ((label, item),) = labels.items()
                found[code].setdefault(label, []).append((table, item))
    return dict(found)


def _position(location: Location) -> tuple[int, int, int]:
    return (location.page or 0, location.line or 0, location.column or 0)


# --- NAME003 classification named differently in text and table -------------


def _check_narrative_names(ctx: RuleContext) -> Iterable[Finding]:
    labels = _table_labels(ctx.budget)
    minimum = _vocab()["narrative"]["min_label_length"]
    searchable = [label for label in labels if len(label) >= minimum and _HAN_RUN.fullmatch(label)]
    known = set(labels) | {_normalise(n) for n in pack("classification.toml")["economic_classes"]}
    places: dict[tuple[str, str], list[Location]] = defaultdict(list)
    for paragraph in ctx.document.paragraphs():
        for run in _HAN_RUN.finditer(paragraph.text):
            label = near_label(run.group(), searchable, known)
            if label:
                places[run.group(), label].append(paragraph.span.locate(*run.span()))
    for (text, label), locations in places.items():
        item = labels[label]
        yield ctx.report(
            locations[0],
            severity=None if _spelling_difference(text, label) else Severity.INFO,  # 和/及/与: wording
            related=[item.location, *locations[1:]],
            text=text,
            label=item.label,
            key=[text, label],
            evidence={"text": text, "label": item.label, "occurrences": len(locations)},
        )


def _table_labels(budget: BudgetModel) -> dict[str, Item]:
    """Normalised item labels of the budget tables (projects aside) → their first item."""
    labels: dict[str, Item] = {}
    for table in budget.tables:
        if table.kind == "project_expense":
            continue
        for section in table.sections:
            # a column named by its leaf header alone may be a fragment (购置费 under 公务用车购置及运行费)
            wide = [i for i in wide_items(section) if len(i.label) >= _vocab()["narrative"]["min_label_length"]]
            for item in [*section.items, *wide]:
                if item.role == "item" and _HAN.search(item.label):
                    labels.setdefault(_normalise(item.label), item)
    return labels


def near_label(run: str, labels: Sequence[str], known: set[str]) -> str | None:
    """The label a run of Chinese text misspells by one edit, if any.

    The run stands between punctuation, numbers or paragraph edges, so it is
    a whole name.  Not a misspelling: a known name, a run holding a whole
    label plus a character, a label cut short at either end (a wrapped line),
    or a different numeral, period or side.
    """
    if run in known or any(label in run for label in known):
        return None
    verbs = _vocab()["narrative"]["verbs"]
    for label in labels:
        continued = run[-1] in verbs and label.startswith(run[:-1])  # 公务用车购置为0: the sentence goes on
        if _one_edit(run, label) and run not in (label[1:], label[:-1]) and not continued and not _distinct_difference(run, label):
            return label
    return None


def _one_edit(a: str, b: str) -> bool:
    """True if ``b`` is ``a`` with exactly one character inserted, deleted or replaced."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    shortest = min(len(a), len(b))
    needed = shortest if len(a) != len(b) else shortest - 1
    return sum(_common_ends(a, b)) >= needed


def _difference(a: str, b: str) -> str:
    """The characters edited between two strings one edit apart (both sides of a replacement)."""
    prefix, suffix = _common_ends(a, b)
    return a[prefix : len(a) - suffix] + b[prefix : len(b) - suffix]


def _distinct_difference(a: str, b: str) -> bool:
    """True if the strings differ in a character that makes a different number, ordinal, period or side."""
    distinct = _vocab()["spelling"]["distinct_characters"]
    return any(char in distinct for char in _difference(a, b))


# --- NAME005 a code's name not the one in force for the document's year ----

# The other codes a message names at most (行政运行 is the name of dozens of 项).
_SHOWN_CODES = 3


def _check_classification_names(ctx: RuleContext) -> Iterable[Finding]:
    year = ctx.budget.metadata.year
    if not year:
        return
    places: dict[tuple[classification.Name, str], list[tuple[str, Location]]] = defaultdict(list)
    for code, name, location in _named_codes(ctx.budget):
        if not code:  # a name without its code: judged only when it is a renamed subject's name of another year
            code = next((n.code for n in classification.renamed_from(name, year)), "")
        official = classification.in_force(code, year) if code else None
        if official is None or classification.same_name(name, official.name):
            continue
        if not classification.names_a_relative(code, name, year):  # a code read at the wrong level, not a name
            places[official, classification.canonical(name)].append((name, location))
    for (official, _), uses in places.items():
        name, location = uses[0]
        yield _misnamed(ctx, official, name, year, location, [loc for _, loc in uses[1:]])


def _misnamed(ctx: RuleContext, official: classification.Name, name: str, year: int, location: Location,
              related: list[Location]) -> Finding:
    """The finding for ``official``'s code printed as ``name``: an outdated name, another code's name, or neither."""
    code = official.code
    outdated = next((n for n in classification.other_years(code, year) if classification.same_name(name, n.name)), None)
    others = [c for c in classification.codes_named(name, year) if c != code]
    variant = "outdated" if outdated else "other_code" if others else "default"
    return ctx.report(
        location,
        variant=variant,
        severity=Severity.WARNING,
        related=related,
        code=code,
        name=name,
        official=official.name,
        year=year,
        years=outdated.years() if outdated else "",
        other_codes=_join(others[:_SHOWN_CODES]) + ("…" if len(others) > _SHOWN_CODES else ""),
        key=[code, classification.canonical(name)],
        evidence={
            "code": code,
            "printed": name,
            "in_force": {"name": official.name, "years": official.years()},
            "outdated": {"name": outdated.name, "years": outdated.years()} if outdated else None,
            "other_codes": others,
            "occurrences": 1 + len(related),
        },
    )


def _named_codes(budget: BudgetModel) -> Iterator[tuple[str, str, Location]]:
    """(code, name, location) of each table row and each level of a narrative line item ('' for a code not given)."""
    for table in budget.tables:
        for _, item in table.items():
            if item.role == "item" and _HAN.search(item.label) and (not item.code or classification.is_classified(item.code)):
                yield item.code, item.label, item.location
    for line_item in budget.line_items:
        for part in line_item.path:
            length = 3 + 2 * LEVELS.index(part.level)  # 类 201, 款 20101, 项 2010101
            code = line_item.code[:length]
            if part.name:
                yield code if len(code) == length else "", part.name, part.location


# --- NAME004 one term spelled two ways --------------------------------------


@dataclass(frozen=True)
class _Phrase:
    """A phrase of a passage: its text, its list neighbours, where it is.

    ``at_start``/``at_end`` mark a phrase that opens or closes its passage,
    where a wrapped line may have cut it.
    """

    text: str
    before: str
    after: str
    locate: Callable[[int, int], Location] = field(compare=False)
    order: tuple[int, int]  # (passage, start)
    end: int
    at_start: bool
    at_end: bool

    @property
    def location(self) -> Location:
        """Where the phrase is (located only when reported: a document has thousands of phrases)."""
        return self.locate(self.order[1], self.end)


def _check_spelling(ctx: RuleContext) -> Iterable[Finding]:
    by_text: dict[str, list[_Phrase]] = defaultdict(list)
    for phrase in _passage_phrases(ctx.document, _field_logicals(ctx.budget)):
        by_text[phrase.text].append(phrase)
    vocabulary = _known_vocabulary(ctx.budget)
    minimum = _vocab()["narrative"]["min_label_length"]
    labels = [label for label in _table_labels(ctx.budget) if len(label) >= minimum]
    corpus = _all_text(ctx.document)
    for a, b in one_edit_pairs(by_text):
        if (a in vocabulary and b in vocabulary) or not _spelling_difference(a, b) or _in_label(a, b, labels):
            continue
        if _list_label(a) or _list_label(b):
            continue
        shared = [(x, y) for x in by_text[a] for y in by_text[b] if _parallel(x, y) and not _cut(x, y)]
        if not shared:
            continue
        rarity_a, rarity_b = _rarity(a, b, by_text, corpus), _rarity(b, a, by_text, corpus)
        odd, usual = (a, b) if rarity_a < rarity_b else (b, a)
        odd_places = list(dict.fromkeys(x if odd == a else y for x, y in shared))
        usual_places = list(dict.fromkeys(y if odd == a else x for x, y in shared))
        first = odd_places[0]
        shared_before = first.before and any(first.before == p.before for p in usual_places)
        context = first.before if shared_before else first.after
        yield ctx.report(
            first.location,
            variant="slip" if rarity_a[0] != rarity_b[0] else "default",
            related=[p.location for p in [*usual_places, *odd_places[1:]]],
            phrase=odd,
            other=usual,
            context=context,
            key=sorted((a, b)),
            evidence={"phrase": odd, "other": usual, "context": context, "difference": _difference(a, b)},
        )


def _rarity(phrase: str, other: str, by_text: dict[str, list[_Phrase]], corpus: str) -> tuple:
    """Sort key putting the odd spelling first: rarer in the whole document, or else met later."""
    first = min(p.order for p in by_text[phrase])
    return (corpus.count(_edit_window(phrase, other)), tuple(-k for k in first))


def _edit_window(phrase: str, other: str) -> str:
    """The edited stretch of ``phrase`` with one character either side: what to count it by."""
    prefix, suffix = _common_ends(phrase, other)
    return phrase[max(0, prefix - 1) : len(phrase) - max(0, suffix - 1)]


def _passage_phrases(document: Document, logicals: dict[tuple, tuple[str, ...]]) -> list[_Phrase]:
    """The phrases of every paragraph and table cell, with their list neighbours."""
    minimum = _vocab()["spelling"]["min_phrase_length"]
    phrases: list[_Phrase] = []
    for index, (text, locate) in enumerate(_passages(document, logicals)):
        parts = _split(text)
        for k, (start, end, phrase) in enumerate(parts):
            if len(phrase) < minimum:
                continue
            before = parts[k - 1][2] if k else ""
            after = parts[k + 1][2] if k + 1 < len(parts) else ""
            at_start, at_end = not text[:start].strip(), not text[end:].strip()
            phrases.append(_Phrase(phrase, before, after, locate, (index, start), end, at_start, at_end))
    return phrases


def _passages(document: Document, logicals: dict[tuple, tuple[str, ...]]) -> Iterator[tuple[str, Callable]]:
    """Every paragraph and table cell with Chinese text, with a locator for its substrings.

    Cells of tables whose structure was inferred are left out, and so are
    paragraphs without Chinese list or sentence marks: either may be layout
    fragments run together (part of a wrapped line, two cells as one).
    """
    for block in document.blocks():
        if isinstance(block, Paragraph):
            if _LIST_MARK.search(block.text):
                yield block.text, block.span.locate
        elif isinstance(block, Table) and block.confidence >= 1.0:
            for row in block.rows:
                for cell in row.cells:
                    if _HAN.search(cell.text):
                        yield cell.text, _with_logical(cell_locator(cell), logicals.get(cell.location.place, ()))


def _all_text(document: Document) -> str:
    """Every paragraph and cell of the document, normalised: where spellings are counted."""
    paragraphs = [p.text for p in document.paragraphs()]
    cells = [c.text for t in document.tables() for r in t.rows for c in r.cells]
    return "\n".join(_normalise(t) for t in [*paragraphs, *cells])


def _with_logical(locate: Callable[[int, int], Location], logical: tuple[str, ...]) -> Callable[[int, int], Location]:
    return lambda start, end: locate(start, end).with_logical(*logical)


def _field_logicals(budget: BudgetModel) -> dict[tuple, tuple[str, ...]]:
    """Physical place of each 绩效目标表 field value → its logical path (form › field)."""
    return {loc.place: loc.logical for form in budget.forms for _, loc in form.fields.values()}


def _split(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised phrase) of each phrase with Chinese in it; list numbers are not phrases."""
    parts = []
    for match in _phrase_run().finditer(text):
        start, end = match.span()
        numbered = _LIST_NUMBER.match(text, start, end)
        if numbered:
            start = numbered.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        phrase = _normalise(text[start:end])
        if _HAN.search(phrase) and not _NUMERAL_ONLY.fullmatch(phrase):
            parts.append((start, end, phrase))
    return parts


@cache
def _phrase_run() -> regex.Pattern:
    """A run of characters between phrase separators."""
    return regex.compile(rf"[^{regex.escape(_vocab()['spelling']['separators'])}]+")


def one_edit_pairs(by_text: dict[str, list[_Phrase]]) -> Iterator[tuple[str, str]]:
    """Pairs of distinct phrases one edit apart.

    Candidates share a deletion key (the phrase with one character removed, or
    itself), so the search stays near linear.
    """
    buckets: dict[str, set[str]] = defaultdict(set)
    for text in by_text:
        buckets[text].add(text)
        for i in range(len(text)):
            buckets[text[:i] + text[i + 1 :]].add(text)
    seen: set[tuple[str, str]] = set()
    for group in buckets.values():
        for a in group:
            for b in group:
                if a < b and (a, b) not in seen:
                    seen.add((a, b))
                    if _one_edit(a, b):
                        yield a, b


def _list_label(phrase: str) -> bool:
    """True for an item label (目标5, 指标5): a few characters and a number."""
    return regex.fullmatch(_vocab()["labels"]["pattern"], phrase) is not None


def _spelling_difference(a: str, b: str) -> bool:
    """True if the edit is a spelling variant of a Chinese character.

    Not: a different numeral, ordinal, period or side; a function word added,
    dropped or swapped for another (的/地, 和/及, 等), which is wording.
    """
    difference = _difference(a, b)
    if not _HAN_RUN.fullmatch(difference) or _distinct_difference(a, b):
        return False
    return not all(char in _vocab()["spelling"]["function_characters"] for char in difference)


def _parallel(x: _Phrase, y: _Phrase) -> bool:
    """Two phrases in the same list context: a neighbour on the same side is the same phrase."""
    return bool((x.before and x.before == y.before) or (x.after and x.after == y.after))


def _cut(x: _Phrase, y: _Phrase) -> bool:
    """True if the shorter phrase is the longer cut short at the edge of its passage (a wrapped line)."""
    short, long = (x, y) if len(x.text) < len(y.text) else (y, x)
    if len(short.text) == len(long.text):
        return False
    return (short.at_end and long.text.startswith(short.text)) or (short.at_start and long.text.endswith(short.text))


def _known_vocabulary(budget: BudgetModel) -> set[str]:
    """Names a document uses by design: indicator levels, form captions, table labels and headers."""
    indicators = pack("indicators.toml")
    words = [*indicators["level1"], *indicators["header_words"], *indicators["periods"]]
    words += [name for names in indicators["level2"].values() for name in names]
    words += [name for form in budget.forms for name in form.fields]
    words += [i.name for form in budget.forms for i in form.indicators]
    words += [item.label for table in budget.tables for _, item in table.items()]
    words += [part for table in budget.tables for s in table.sections for c in s.columns for part in c.header]
    return {_normalise(w) for w in words}


def _in_label(a: str, b: str, labels: Sequence[str]) -> bool:
    """True if the edit damages a table label one phrase spells exactly (NAME003's case).

    One phrase is the other with one edit, so a label in one but not the
    other was touched by that edit.
    """
    return any((label in a) != (label in b) for label in labels)

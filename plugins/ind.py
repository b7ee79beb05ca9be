"""IND: performance indicator values that do not fit their indicator.

IND001 a value of the wrong kind for its indicator type (26400人 as a cost),
IND002 a unit with no number (template residue: 设定个), IND003 a value not
quantified (控制在年初预算内, 及时, 满意), IND004 a satisfaction rate without
a bound or over 100%, IND005 an indicator with no value, IND006 a form missing
a required indicator category, IND007 a one-year project whose 年度 target
(or goal, or funds) differs from its 实施期 one, IND008 a cost indicator
above its project's funds (or, naming the whole cost, different from them),
IND009 the narrative's count or total of the projects with targets against
the published forms.

The value grammar of each type (units, deadline words, vague words, type
words) is data in ``budgetlint_rules/indicators.toml``.  A value repeated in
the 实施期 and 年度 columns is reported once, on the 年度 cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

import regex

from budgetlint import catalogue
from budgetlint.budget.model import Fact, Indicator, PerformanceForm, Value
from budgetlint.budget.performance import level2_types
from budgetlint.budget.text import clean
from budgetlint.budget.vocabulary import has_any, pack
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.numbers import HUNDRED, MONEY_FACTORS, Interval, Quantity, find_quantities, format_decimal, parse_quantity, total
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue

_COMPARATORS = r"(?:≥|≤|>=|<=|>|<|=|＞|＜|不低于|不少于|不高于|不超过|大于|小于|达到)"
_LEADING_COMPARATOR = regex.compile(rf"^{_COMPARATORS}")
_BOUND_BEFORE = regex.compile(rf"{_COMPARATORS}$")  # 满意度≥95%
_BOUND_AFTER = regex.compile(r"以上|以下|以内|之内")  # 95%以上
_CJK_COUNT = regex.compile(r"[一二两三四五六七八九十百千万]+")
_RANGE_DASHES = ("-", "－", "—", "~", "～", "至", "到")


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "IND001": _check_value_kind,
        "IND002": _check_residue,
        "IND003": _check_unquantified,
        "IND004": _check_satisfaction_rate,
        "IND005": _check_empty,
        "IND006": _check_categories,
        "IND007": _check_one_year,
        "IND008": _check_cost_funds,
        "IND009": _check_narrative_forms,
    }
    return rules_from_catalogue("budgetlint_plugins", "ind.toml", checks)


# --- vocabulary -----------------------------------------------------------


@cache
def _vocab() -> dict[str, Any]:
    return dict(pack("indicators.toml"))


@cache
def _texts() -> dict[str, Any]:
    """Type names and expected-value descriptions for messages (zh/en)."""
    return dict(catalogue.load("budgetlint_plugins", "ind.toml")["texts"])


def text(group: str, key: str, lang: str) -> str:
    """A message word from the catalogue's ``texts`` (types, expected); unknown keys read as "other"."""
    entries = _texts()[group]
    return catalogue.pick(entries.get(key, entries["other"]), lang)


@cache
def _vague_words() -> frozenset[str]:
    return frozenset(clean(w) for w in _vocab()["vague"])


@cache
def _type_words() -> dict[str, str]:
    """Words that name another type's criterion (及时 → timeliness); merely vague words are left out."""
    return {
        clean(word): kind
        for kind, words in _vocab()["type_words"].items()
        for word in words
        if clean(word) not in _vague_words()
    }


def _contains_word(value: str, words: Iterable[str]) -> str | None:
    """The word ``value`` is, or holds when the word has two or more characters."""
    return next((w for w in words if value == w or (len(w) >= 2 and w in value)), None)


# --- reading a value ------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """What a value states: whether it has a number, the number (Arabic only), its unit and bound."""

    numeric: bool
    number: Decimal | None = None
    unit: str = ""
    comparator: str = ""

    @property
    def unit_word(self) -> str:
        """The known unit the stated unit starts with (年 of 年12月底前), else the unit as stated."""
        return next((u for u in _all_units() if self.unit.startswith(u)), self.unit)

    @property
    def unit_kind(self) -> str:
        """money, percent, time, count, none or other."""
        unit, grammar = self.unit, _vocab()
        if not unit:
            return "none"
        if any(unit.startswith(m) for m in MONEY_FACTORS) or unit.lstrip("万亿千").startswith(tuple(grammar["currencies"])):
            return "money"
        if unit.startswith(("%", "‰")):
            return "percent"
        if any(unit.startswith(u) for u in grammar["time_units"]):
            return "time"
        if any(unit.startswith(u) for u in grammar["count_units"]):
            return "count"
        return "other"


def read_value(value: str) -> _Reading:
    """Read ``value`` (already cleaned): ≥95% · 26400人 · 每人1000元 · 12月底前 · 三次 · 及时."""
    quantity = parse_quantity(value)
    if quantity is not None and not quantity.unit.startswith(_RANGE_DASHES):  # not the start of a range (600-1000万元)
        bound = quantity.comparator or _bound("", quantity.unit)
        return _Reading(True, quantity.value, quantity.unit, bound)
    mentions = find_quantities(value)
    if mentions:
        first = mentions[0]
        bound = _bound(value[: first.start], value[first.end :])
        return _Reading(True, first.quantity.value, _range_unit(value, mentions), bound)
    count = _CJK_COUNT.search(value)
    if count:
        rest = value[count.end() :]
        unit = next((u for u in _all_units() if rest.startswith(u)), "")
        if unit:
            return _Reading(True, None, unit, _bound(value[: count.start()], rest))
    return _Reading(False)


def _range_unit(value: str, mentions: Sequence[Any]) -> str:
    """The first number's unit, or for a range (800-1000元) the unit its upper end states."""
    first = mentions[0]
    if first.quantity.unit or len(mentions) < 2 or value[first.end : mentions[1].start] not in _RANGE_DASHES:
        return first.quantity.unit
    return mentions[1].quantity.unit


def _bound(before: str, after: str) -> str:
    """The comparator stated before a number (≥, 不低于) or after it (以上, 以内), if any."""
    match = _BOUND_BEFORE.search(before) or _BOUND_AFTER.search(after)
    return match.group() if match else ""


@cache
def _all_units() -> tuple[str, ...]:
    grammar = _vocab()
    units = {*grammar["count_units"], *grammar["time_units"], *MONEY_FACTORS, "%"}
    return tuple(sorted(units, key=len, reverse=True))


def _is_residue(value: str) -> bool:
    """A unit with no number: the template's placeholder left unfilled (设定个, ≥%, X人)."""
    grammar = _vocab()
    body = _LEADING_COMPARATOR.sub("", value).lstrip(grammar["placeholders"])
    if body in _all_units():
        return True
    if read_value(value).numeric:
        return False
    unit = next((u for u in sorted(grammar["residue_units"], key=len, reverse=True) if body.endswith(u)), None)
    if unit is None or len(body) == len(unit):
        return False
    return body[-len(unit) - 1] not in grammar["residue_exceptions"]


def _is_vague(value: str) -> bool:
    return _contains_word(value, _vague_words()) is not None


def _is_deadline(value: str) -> bool:
    """A date or deadline in words (12月底前, 年底, 按期), beyond a bare 前/内/完成."""
    fillers = set(_vocab()["deadline_fillers"])
    return any(m.group() not in fillers for m in regex.finditer(_vocab()["deadline_pattern"], value) if m.group())


# --- judging a value against its type --------------------------------------


@dataclass(frozen=True)
class _Issue:
    """What is wrong with one indicator value: the rule, message variant, severity and extra message args."""

    code: str
    variant: str = "default"
    severity: Severity | None = None
    args: dict[str, str] = field(default_factory=dict)


def assess(value: str, kind: str, name: str = "") -> _Issue | None:
    """The one issue (if any) of ``value`` as the target of an indicator of type ``kind`` named ``name``."""
    if not value:
        return _Issue("IND005")
    if _is_residue(value):
        return _Issue("IND002")
    reading = read_value(value)
    judge = {"cost": _cost, "quantity": _quantity, "timeliness": _timeliness, "satisfaction": _satisfaction}
    return judge.get(kind, _qualitative)(value, reading, kind, name)


def _other_type_word(value: str, kind: str) -> str | None:
    word = _contains_word(value, _type_words())
    other = _type_words().get(word) if word else None
    return other if other and other != kind else None


def _cost(value: str, reading: _Reading, kind: str, name: str) -> _Issue | None:
    if reading.numeric:
        unit_kind = reading.unit_kind
        if unit_kind in ("money", "percent"):
            return None
        if unit_kind == "none":
            return _Issue("IND001", "no_unit", Severity.WARNING)
        if reading.unit in _vocab()["magnitudes"]:
            return _Issue("IND001", "unit", Severity.INFO, {"unit": reading.unit_word})
        certain = unit_kind in ("count", "time")
        return _Issue("IND001", "unit", None if certain else Severity.WARNING, {"unit": reading.unit_word})
    other = _other_type_word(value, kind)
    if other:
        return _Issue("IND001", "word", args={"other": other})
    return _Issue("IND003", "cost")


def _quantity(value: str, reading: _Reading, kind: str, name: str) -> _Issue | None:
    if reading.numeric:
        if reading.unit_kind == "money":
            return _Issue("IND001", "unit", Severity.WARNING, {"unit": reading.unit_word})
        return None
    other = _other_type_word(value, kind)
    if other:
        return _Issue("IND001", "word", Severity.WARNING, {"other": other})
    return _Issue("IND003", "quantity")


def _timeliness(value: str, reading: _Reading, kind: str, name: str) -> _Issue | None:
    if reading.numeric:
        if reading.unit_kind == "money":
            return _Issue("IND001", "unit", Severity.WARNING, {"unit": reading.unit_word})
        return None
    if _is_deadline(value):
        return None
    other = _other_type_word(value, kind)
    if other:
        return _Issue("IND001", "word", Severity.WARNING, {"other": other})
    return _Issue("IND003", "timeliness", Severity.INFO)


def _satisfaction(value: str, reading: _Reading, kind: str, name: str) -> _Issue | None:
    if reading.numeric:
        unit_kind = reading.unit_kind
        if unit_kind in ("money", "count", "time"):
            # Complaints counted (投诉≤20件) are how many templates measure dissatisfaction: a style, not a slip.
            complaints = unit_kind == "count" and has_any(name, _vocab()["complaint_words"])
            severity = Severity.INFO if complaints else Severity.WARNING
            return _Issue("IND001", "unit", severity, {"unit": reading.unit_word})
        if unit_kind != "percent" or reading.number is None:
            return None
        if reading.number > HUNDRED:
            return _Issue("IND004", "over")
        if not reading.comparator and reading.number < HUNDRED:  # 100% needs no bound
            return _Issue("IND004", "unbounded", Severity.INFO)
        return None
    other = _other_type_word(value, kind)
    if other:
        return _Issue("IND001", "word", Severity.WARNING, {"other": other})
    return _Issue("IND003", "satisfaction")


def _qualitative(value: str, reading: _Reading, kind: str, name: str) -> _Issue | None:
    """Quality and benefit indicators may be qualitative; only vague wording is noted."""
    if not reading.numeric and _is_vague(value):
        return _Issue("IND003", "vague", Severity.INFO)
    return None


# --- grouping the periods of one indicator ---------------------------------


@dataclass(frozen=True)
class _Target:
    """One indicator value to judge, with the same indicator's identical values in other periods."""

    form: PerformanceForm
    indicator: Indicator
    kind: str
    others: tuple[Indicator, ...] = ()


def _periods(form: PerformanceForm) -> list[list[Indicator]]:
    """The form's indicators grouped across periods: [实施期 one, 年度 one] for each indicator."""
    groups: dict[tuple[str, str, int], list[Indicator]] = {}
    seen: dict[tuple[str, str, str], int] = defaultdict(int)
    for indicator in form.indicators:
        identity = (clean(indicator.level2), clean(indicator.name))
        nth = seen[(*identity, indicator.period)]
        seen[(*identity, indicator.period)] += 1
        groups.setdefault((*identity, nth), []).append(indicator)
    return list(groups.values())


def _targets(forms: Iterable[PerformanceForm]) -> Iterator[_Target]:
    """Every value to judge: once per indicator when its periods agree (on the 年度 cell), else per period."""
    annual = _vocab()["periods"][-1]
    types = level2_types()
    for form in forms:
        for group in _periods(form):
            kind = types.get(clean(group[0].level2), "")
            if len({clean(i.value) for i in group}) == 1:
                primary = next((i for i in group if i.period == annual), group[0])
                yield _Target(form, primary, kind, tuple(i for i in group if i is not primary))
            else:
                yield from (_Target(form, i, kind) for i in group)


def _named(indicator: Indicator) -> bool:
    """An indicator with a real 三级 name (not a stray number from a shifted row)."""
    return bool(regex.search(r"\p{Han}", indicator.name)) and parse_quantity(indicator.name) is None


def _stated_value(indicator: Indicator) -> bool:
    """A line that states a target, even with its 三级 name left blank (the value then reads as the name)."""
    return parse_quantity(indicator.name) is not None or bool(parse_quantity(indicator.value))


def _value_findings(ctx: RuleContext, code: str) -> Iterator[Finding]:
    """The findings of rule ``code`` among the issues of every indicator value."""
    for target in _targets(ctx.budget.forms):
        indicator = target.indicator
        if not _named(indicator):
            continue
        value = clean(indicator.target)
        issue = assess(value, "" if indicator.qualitative else target.kind, clean(indicator.name))
        if issue is None or issue.code != code:
            continue
        severity = issue.severity or ctx.rule.severity
        if severity is Severity.ERROR and not target.form.confident:
            severity = Severity.WARNING
        args = dict(issue.args)
        if "other" in args:
            args["other"] = text("types", args["other"], ctx.lang)
        yield ctx.report(
            indicator.location,
            variant=issue.variant,
            severity=severity,
            related=[i.location for i in target.others],
            level2=indicator.level2 or text("types", target.kind, ctx.lang),
            indicator=indicator.name,
            value=indicator.value,
            expected=text("expected", target.kind, ctx.lang).format(year=ctx.budget.metadata.year or "当"),
            key=[issue.variant, value],
            evidence={"type": target.kind, "value": indicator.value, "periods": [indicator.period] + [
                i.period for i in target.others
            ]},
            **args,
        )


def _check_value_kind(ctx: RuleContext) -> Iterable[Finding]:
    return _value_findings(ctx, "IND001")


def _check_residue(ctx: RuleContext) -> Iterable[Finding]:
    return _value_findings(ctx, "IND002")


def _check_unquantified(ctx: RuleContext) -> Iterable[Finding]:
    return _value_findings(ctx, "IND003")


def _check_satisfaction_rate(ctx: RuleContext) -> Iterable[Finding]:
    return _value_findings(ctx, "IND004")


def _check_empty(ctx: RuleContext) -> Iterable[Finding]:
    return _value_findings(ctx, "IND005")


# --- IND006 required categories ---------------------------------------------


def _check_categories(ctx: RuleContext) -> Iterable[Finding]:
    types = level2_types()
    for form in ctx.budget.forms:
        present = {types.get(clean(i.level2)) for i in form.indicators if _named(i) or _stated_value(i)}
        if not present - {None}:
            continue  # no indicators read: nothing to judge
        owner = form.name or form.title
        for category, kinds in _vocab()["required"].items():
            if present.isdisjoint(kinds):
                yield ctx.report(
                    form.name_location or form.location,
                    severity=Severity.INFO if form.listed else None,
                    form=owner,
                    category=category,
                    key=[owner, category],
                    evidence={"form": owner, "category": category, "types": sorted(t for t in present if t)},
                )


# --- IND007 one-year project: 年度 vs 实施期 ---------------------------------


def _check_one_year(ctx: RuleContext) -> Iterable[Finding]:
    annual = _vocab()["periods"][-1]
    budget_year = ctx.budget.metadata.year
    for form in ctx.budget.forms:
        if not (form.one_year or (budget_year and form.within(budget_year))):
            continue
        owner = form.name or form.title
        yield from _fund_mismatch(ctx, form, owner)
        yield from _goal_mismatch(ctx, form, owner)
        for group in _periods(form):
            year = next((i for i in group if i.period == annual), None)
            whole = next((i for i in group if i.period != annual), None)
            if year is None or whole is None or clean(year.value) == clean(whole.value) or not _named(year):
                continue
            yield ctx.report(
                year.location,
                variant="indicator",
                related=[whole.location],
                form=owner,
                level2=year.level2,
                indicator=year.name,
                annual=year.value,
                whole=whole.value,
                key=["indicator", clean(year.value), clean(whole.value)],
                evidence={"annual": year.value, "implementation": whole.value},
            )


def _fund_mismatch(ctx: RuleContext, form: PerformanceForm, owner: str) -> Iterator[Finding]:
    year, whole = form.funds.get("annual_total"), form.funds.get("implementation_total")
    if not (_stated(year) and _stated(whole)) or year.interval.overlaps(whole.interval):
        return
    yield ctx.report(
        year.location,
        variant="funds",
        related=[whole.location],
        form=owner,
        annual=year.text,
        whole=whole.text,
        unit=form.unit,
        key=["funds", year.amount, whole.amount],
        evidence={"values": {"annual": year.amount, "implementation": whole.amount}, "unit": form.unit},
    )


def _goal_mismatch(ctx: RuleContext, form: PerformanceForm, owner: str) -> Iterator[Finding]:
    """The 年度 goal of a one-year project cut short of, or different from, its 实施期 goal."""
    if len(form.goals) != 2:
        return
    (whole, whole_at), (year, year_at) = form.goals
    if clean(year) == clean(whole) or not clean(year) or not clean(whole):
        return
    variant = "goal_cut" if clean(whole).startswith(clean(year)) else "goal"
    yield ctx.report(
        year_at.with_logical(owner, "年度目标"),
        variant=variant,
        related=[whole_at],
        form=owner,
        annual=year,
        whole=whole,
        key=[variant, clean(year), clean(whole)],
        evidence={"annual": year, "implementation": whole},
    )


def _stated(value: Value | None) -> bool:
    return value is not None and value.amount is not None


# --- IND008 a cost indicator against its project's funds ----------------------


def _check_cost_funds(ctx: RuleContext) -> Iterable[Finding]:
    annual = _vocab()["periods"][-1]
    for target in _targets(f for f in ctx.budget.forms if f.scope == "project"):
        form, indicator = target.form, target.indicator
        key = "annual_total" if indicator.period == annual else "implementation_total"
        funds = form.funds.get(key) or form.funds.get("annual_total")
        cost = _cost_amount(target)
        if cost is None or not _stated(funds) or not form.unit_declared or form.unit not in MONEY_FACTORS:
            continue
        stated = _loosely(cost, form.unit)
        whole = _cost_scope(indicator.name) == "whole"
        ceiling = cost.comparator in ("≤", "<") and stated.lo > funds.interval.hi  # at most more than it has: holds
        if stated.overlaps(funds.interval) or (not whole and stated.lo <= funds.interval.hi) or (whole and ceiling):
            continue
        severity = Severity.ERROR if not whole and form.confident and not form.listed else Severity.WARNING
        yield ctx.report(
            indicator.location,
            variant="whole" if whole else "part",
            severity=severity,
            related=[funds.location],
            form=form.name or form.title,
            indicator=indicator.name,
            value=indicator.target,
            funds=f"{funds.text}{form.unit}",
            key=[indicator.name, clean(indicator.target), funds.amount],
            evidence={"cost": indicator.target, "funds": funds.amount, "unit": form.unit, "whole": whole},
        )


def _loosely(cost: Quantity, unit: str) -> Interval:
    """The cost in ``unit``, give or take one unit of its last decimal (445.2452 for 445.245300 is truncation)."""
    step = Decimal(1).scaleb(-cost.decimals)
    return Interval(cost.value - step, cost.value + step).scale(MONEY_FACTORS[cost.unit] / MONEY_FACTORS[unit])


def _cost_scope(name: str) -> str:
    """How a cost indicator's name reads: "unit" (a rate or standard), "whole" (the project's cost) or "part"."""
    words = _vocab()["cost"]
    if any(w in name for w in words["per_unit"]):
        return "unit"
    text = clean(name)
    while prefix := next((p for p in words["whole_prefixes"] if text.startswith(p) and text != p), None):
        text = text[len(prefix):]
    return "whole" if text in words["whole"] else "part"


def _cost_amount(target: _Target) -> Quantity | None:
    """A cost indicator's amount of money (万元, 元; not 元/人), for a name that is no unit cost."""
    if target.kind != "cost" or not _named(target.indicator) or _cost_scope(target.indicator.name) == "unit":
        return None
    quantity = parse_quantity(clean(target.indicator.target))
    if quantity is None or quantity.unit not in MONEY_FACTORS or quantity.comparator in (">", "≥"):
        return None
    return quantity


# --- IND009 the narrative's projects with targets against the forms --------------


def _check_narrative_forms(ctx: RuleContext) -> Iterable[Finding]:
    forms = [f for f in ctx.budget.forms if f.scope == "project" and f.name]
    facts = ctx.budget.facts
    if not forms:
        return
    for index, fact in enumerate(facts):
        if fact.relation != "count" or fact.quantity.comparator or not _counts_forms(fact.subject):
            continue
        total = next((f for f in facts[index + 1:] if _same_sentence(f, fact) and f.quantity.unit in MONEY_FACTORS), None)
        if fact.quantity.value != len(forms):
            yield _narrative_finding(ctx, fact, forms, "count", str(fact.quantity.value), str(len(forms)))
        elif total is not None and all(_stated(f.funds.get("annual_total")) for f in forms):
            found = _sum_in(forms, total.quantity.unit)
            if found is not None and not total.quantity.interval.overlaps(found):
                shown = format_decimal(found.lo if found.lo == found.hi else (found.lo + found.hi) / 2)
                yield _narrative_finding(ctx, total, forms, "total", format_decimal(total.quantity.value), shown)


def _counts_forms(subject: str) -> bool:
    """A counted subject that is the projects given performance targets (编报绩效目标的项目共)."""
    text = clean(subject).rstrip("共")
    return text.endswith(tuple(_vocab()["narrative"]["form_count_subjects"]))


def _same_sentence(one: Fact, other: Fact) -> bool:
    return one.paragraph == other.paragraph and one.sentence == other.sentence and one.relation == "amount"


def _sum_in(forms: Sequence[PerformanceForm], unit: str) -> Interval | None:
    """The forms' annual funds added up in ``unit``; None when a form's unit is no money unit."""
    if unit not in MONEY_FACTORS or any(f.unit not in MONEY_FACTORS or not f.unit_declared for f in forms):
        return None
    parts = [f.funds["annual_total"].interval.scale(MONEY_FACTORS[f.unit] / MONEY_FACTORS[unit]) for f in forms]
    return total(parts)


def _narrative_finding(ctx: RuleContext, fact: Fact, forms: Sequence[PerformanceForm], variant: str, stated: str,
                       found: str) -> Finding:
    return ctx.report(
        fact.location.with_logical(fact.subject),
        variant=variant,
        related=[forms[0].location],
        subject=fact.subject,
        stated=stated,
        found=found,
        unit=fact.quantity.unit,
        key=[variant, fact.subject, stated, found],
        evidence={"stated": stated, "forms": len(forms), "found": found},
    )

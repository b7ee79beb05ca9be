"""XREF: one fact stated in two places must agree.

XREF001 the same amount differs between two tables, XREF002 a narrative (or
整体绩效目标表) amount differs from the table amount it names, XREF003 a
project's 绩效目标表 and the 项目支出表 disagree on its money, XREF004 a count
in the narrative differs from the rows or forms it counts, XREF005 a table
noted as empty holds data, XREF006 the narrative says there is none of what a
table shows, XREF007 机关运行经费 differs from the 公用经费 it should equal,
XREF008 the narrative states one quantity twice with different values,
XREF009 a part stated in one table (人员经费) exceeds its whole in another (基本支出).

The pairing of statements is done once per document by
:mod:`budgetlint.budget.crossref`; amounts agreeing only after a unit slip
are left to the UNIT rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import regex

from budgetlint.budget.crossref import (
    Amount,
    Entry,
    Link,
    Stages,
    count_target,
    cross_references,
    section_titles,
    vocab,
)
from budgetlint.budget.model import BudgetModel, BudgetTable, Value
from budgetlint.budget.narrative import alternatives, none_statements
from budgetlint.budget.text import clean
from budgetlint.findings import Finding, Severity, certainty
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import Rule, RuleContext, rules_from_catalogue


@hookimpl
def budgetlint_rules() -> list[Rule]:
    checks = {
        "XREF001": _check_tables,
        "XREF002": _check_narrative,
        "XREF003": _check_project_forms,
        "XREF004": _check_counts,
        "XREF005": _check_empty_note,
        "XREF006": _check_none_statement,
        "XREF007": _check_admin_running,
        "XREF008": _check_restated,
        "XREF009": _check_parts,
    }
    return rules_from_catalogue("budgetlint_plugins", "xref.toml", checks)


def _differing(ctx: RuleContext, *kinds: str) -> list[Link]:
    return [link for link in cross_references(ctx.budget, ctx.document).of_kind(*kinds) if link.status == "differ"]


# --- XREF001 the same amount in two tables ---------------------------------


def _report_link(ctx: RuleContext, link: Link, **args: object) -> Finding:
    """A finding on a link's subject, with the other statements related and the difference named."""
    subject, reference = link.subject, link.reference
    return ctx.report(
        subject.location,
        related=[r.location for r in link.references],
        evidence=link.evidence(),
        severity=certainty(link.confident and not link.slight),
        value=subject.shown,
        other_value=reference.shown,
        diff=subject.difference(reference),
        **args,
    )


def _check_tables(ctx: RuleContext) -> Iterable[Finding]:
    for link in _differing(ctx, "table"):
        subject, reference = link.subject, link.reference
        yield _report_link(
            ctx, link, table=subject.owner, item=subject.label, column=subject.column, other_table=reference.owner
        )


# --- XREF002 narrative amount against the tables ---------------------------


def _check_narrative(ctx: RuleContext) -> Iterable[Finding]:
    for link in _differing(ctx, "narrative", "form_field"):
        subject, reference = link.subject, link.reference
        yield _report_link(
            ctx,
            link,
            variant="default" if link.kind == "narrative" else "form",
            owner=subject.owner,
            subject=subject.label,
            table=reference.owner,
            item=reference.name,
        )


# --- XREF003 绩效目标表 against the 项目支出表 -------------------------------


def _check_project_forms(ctx: RuleContext) -> Iterable[Finding]:
    for link in _differing(ctx, "project_form"):
        yield _report_link(ctx, link, project=link.subject.owner, table=link.reference.owner)


# --- XREF004 counts against rows and forms ----------------------------------


def _check_counts(ctx: RuleContext) -> Iterable[Finding]:
    budget = ctx.budget
    titles = section_titles(ctx.document)
    counted = _counted(budget)
    for fact in budget.facts:
        target = count_target(fact.subject) if fact.relation == "count" else None
        if target not in counted or fact.quantity.comparator:
            continue
        actual, where = counted[target]
        if fact.quantity.value == actual:
            continue
        section = titles[fact.paragraph] if fact.paragraph < len(titles) else ""
        yield ctx.report(
            fact.location.with_logical(section, fact.subject),
            variant=target,
            related=[where],
            evidence={
                "values": {"stated": fact.quantity.value, "counted": actual},
                "formula": f"{fact.quantity.value} = {actual}",
            },
            subject=fact.subject,
            count=str(fact.quantity.value),
            actual=str(actual),
        )


def _counted(budget: BudgetModel) -> dict[str, tuple[int, object]]:
    """How many projects the 项目支出表 lists and how many project forms are published, with where."""
    counted: dict[str, tuple[int, object]] = {}
    if budget.projects:
        counted["projects"] = (len(budget.projects), budget.projects[0].table.title_location)
    forms = [f for f in budget.forms if f.scope == "project"]
    if forms:
        counted["forms"] = (len(forms), forms[0].location)
    return counted


# --- XREF005 a table noted as empty holds data ------------------------------


def _check_empty_note(ctx: RuleContext) -> Iterable[Finding]:
    """A note that a table is empty against its columns of the document's stage (a 决算's note is
    about its 决算数, not the 预算数 beside them)."""
    stages = Stages.of(ctx.budget)
    for table in ctx.budget.tables:
        hit = _first_data([table], stages, stages.default) if table.empty_note is not None else None
        if hit is None:
            continue
        _, item, value = hit
        yield ctx.report(
            table.empty_note.with_logical(table.title),
            related=[value.location],
            evidence={"values": {value.location.logical_text(): value.text}},
            severity=certainty(table.confident),
            table=table.title,
            item=item,
            value=f"{value.text}{table.unit}",
        )


def _first_data(tables: Iterable[BudgetTable], stages: Stages, stage: str) -> tuple[BudgetTable, str, Value] | None:
    """The first non-zero cell of ``stage`` in ``tables``, with its table and row label."""
    for table in tables:
        for item, value in _data(table, stages, stage):
            return table, item, value
    return None


def _data(table: BudgetTable, stages: Stages, stage: str) -> Iterator[tuple[str, Value]]:
    """(row label, value) of each non-zero cell of ``table`` in the columns of ``stage``; an unlabelled
    row is named by the column."""
    for section, item in table.items():
        for column in section.columns:
            value = item.value(column)
            if value is None or not value.amount:
                continue
            if stages.of_column(table, column.label) == stage:
                yield item.label or "".join(value.location.logical[-1:]), value


# --- XREF006 "none" in the narrative, data in the table ----------------------


def _check_none_statement(ctx: RuleContext) -> Iterable[Finding]:
    """A "none" statement against the table columns of the stage it is about (无三公经费支出 in a 决算: the 决算数)."""
    stages = Stages.of(ctx.budget)
    notes = {table.empty_note for table in ctx.budget.tables if table.empty_note is not None}
    paragraphs = [p for p in ctx.document.paragraphs() if p.location not in notes]  # a table's own note: XREF005's
    for statement in none_statements(paragraphs):
        text, (start, end) = statement.paragraph.text, statement.sentence
        hit = _first_data(ctx.budget.tables_of(*statement.kinds), stages, stages.stage(text[start:end]))
        if hit is None:
            continue
        table, item, value = hit
        yield ctx.report(
            statement.paragraph.span.locate(*statement.span).with_logical(table.title, statement.words),
            related=[value.location],
            evidence={"values": {value.location.logical_text(): value.text}, "sentence": text[start:end]},
            statement=statement.words,
            table=table.title,
            item=item,
            value=f"{value.text}{table.unit}",
        )


# --- XREF007 机关运行经费 and 公用经费 --------------------------------------


def _check_admin_running(ctx: RuleContext) -> Iterable[Finding]:
    xr = cross_references(ctx.budget, ctx.document)
    basis = _administrative_basis(ctx, xr.entries)
    if basis is None:
        return
    admin = _total(xr.entries, "admin_running")
    public = _total(xr.entries, "public")
    if admin is None or public is None or xr.scope.funds(admin[1]) != xr.scope.funds(public[1]):
        return
    (running, _), (common, _) = admin, public
    if running.in_yuan().overlaps(common.in_yuan()):
        return
    yield ctx.report(
        running.location,
        variant=basis,
        related=[common.location],
        evidence={
            "values": {"admin_running": running.shown, "public": common.shown},
            "formula": f"{running.shown} = {common.shown}",
        },
        severity=Severity.WARNING if basis == "declared" else Severity.INFO,
        value=running.shown,
        other_value=common.shown,
        table=running.owner,
        other_table=common.owner,
    )


def _total(entries: Sequence[Entry], part: str) -> tuple[Amount, str] | None:
    """The first table total of ``part``, with its funds."""
    return next(((e.amount, e.funds) for e in entries if e.key == "total" and e.part == part), None)


def _administrative_basis(ctx: RuleContext, entries: Sequence[Entry]) -> str | None:
    """Why 机关运行经费 should equal 公用经费 here: 'declared' when the text says the unit is
    a 行政单位 or 参公 unit, 'coded' when only administrative items carry basic spending;
    None when nothing says so (a 事业单位 has no 机关运行经费)."""
    words = vocab()
    department = ctx.budget.metadata.department
    pattern = regex.compile(
        alternatives(words["self_references"] + ([department] if department else []))
        + alternatives(words["copulas"])
        + r"(?:一[个家所])?"
        + alternatives(words["administrative_types"])
    )
    if any(pattern.search(clean(p.text)) for p in ctx.document.paragraphs()):
        return "declared"
    funded = {clean(e.amount.label) for e in entries if e.part == "basic" and e.key.startswith("c:") and e.amount.value}
    administrative = {clean(name) for name in words["administrative_items"]}
    institutional = {clean(name) for name in words["institutional_items"]}
    if funded & administrative and not funded & institutional:
        return "coded"
    return None


# --- XREF008 one quantity stated twice in the narrative ----------------------


def _check_restated(ctx: RuleContext) -> Iterable[Finding]:
    for link in _differing(ctx, "restated"):
        subject, reference = link.subject, link.reference
        yield ctx.report(
            subject.location,
            related=[r.location for r in link.references],
            evidence=link.evidence(),
            subject=subject.label,
            value=subject.shown,
            other_value=reference.shown,
        )


# --- XREF009 a part larger than its whole ------------------------------------


def _check_parts(ctx: RuleContext) -> Iterable[Finding]:
    for link in cross_references(ctx.budget, ctx.document).of_kind("part"):
        subject, reference = link.subject, link.reference
        yield _report_link(
            ctx, link, table=subject.owner, item=subject.name, other_table=reference.owner, other_item=reference.name
        )

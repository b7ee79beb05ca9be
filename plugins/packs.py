"""Rule packs: pattern rules declared in TOML files, so a province can add checks without Python.

A pack file has one table per rule code, in the catalogue format (name,
severity, title, messages, docs) plus what the rule matches::

    [SHX001]
    kind = "pattern"
    name = "reason-just-work-needs"
    severity = "warning"
    title = { zh = "…", en = "…" }
    messages.default = { zh = "…“{match}”…", en = "…\"{match}\"…" }
    docs.en = { what = "…", why = "…", example = "…", authority = "…" }
    docs.zh = { what = "…", why = "…", example = "…", authority = "…" }
    pattern = '主要原因是工作需要'
    scope = ["paragraph", "heading"]   # optional; "cell" adds table cells
    documents = ["部门预算"]            # optional; default every budget document

The files are named by the environment variable BUDGETLINT_RULE_PACKS
(paths separated by ``os.pathsep``).  An installed package ships a pack by
returning :func:`rules_from_pack` from its own ``budgetlint_rules`` hook.
See docs/rule-packs.md.
"""

from __future__ import annotations

import hashlib
import os
import string
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol

import regex

from budgetlint import __version__ as budgetlint_version
from budgetlint.budget.vocabulary import compile_pattern, find_all
from budgetlint.catalogue import LANGUAGES, CatalogueError, tomllib
from budgetlint.findings import Finding, Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.prose import excerpt, prose
from budgetlint.rules import CODE, CODE_FORM, DOC_SECTIONS, Check, Rule, RuleContext

ENV = "BUDGETLINT_RULE_PACKS"
KINDS = ("pattern",)
SCOPES = ("heading", "paragraph", "cell")
DEFAULT_SCOPE = ("heading", "paragraph")
REQUIRED = ("kind", "name", "severity", "title", "messages", "docs", "pattern")
OPTIONAL = ("scope", "documents")
# Message fields every pattern rule fills in, besides the pattern's named groups.
FIELDS = ("match", "context")
# Names a pattern's groups cannot take: the fields above and the arguments of RuleContext.report.
RESERVED_GROUPS = FIELDS + ("location", "variant", "related", "evidence", "key", "severity")


class PackError(CatalogueError):
    """A pack file cannot be used; the message names the file, the rule and the key."""


class Readable(Protocol):
    """A pack file: a path, or a resource inside an installed package."""

    def read_text(self, encoding: str = ...) -> str: ...


def pack_paths(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The pack files BUDGETLINT_RULE_PACKS names, in order."""
    return [Path(part.strip()) for part in environ.get(ENV, "").split(os.pathsep) if part.strip()]


def __getattr__(name: str) -> str:
    """``__version__``: budgetlint's, plus a digest of the packs named now, so cached results follow pack edits."""
    if name == "__version__":
        return _stamp()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _stamp() -> str:
    """budgetlint's version, and a digest of the named pack files' paths and bytes when there are any."""
    paths = pack_paths()
    if not paths:
        return budgetlint_version
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    return f"{budgetlint_version}+packs.{digest.hexdigest()[:12]}"


@hookimpl
def budgetlint_rules() -> list[Rule]:
    rules: list[Rule] = []
    origin: dict[str, Path] = {}
    for path in pack_paths():
        if not path.is_file():
            raise PackError(f"{path}: no such rule pack file (named by {ENV})")
        for rule in rules_from_pack(path):
            if rule.code in origin:
                raise PackError(f"{path}: [{rule.code}] is already defined in {origin[rule.code]}")
            origin[rule.code] = path
            rules.append(rule)
    return rules


def rules_from_pack(source: Readable, name: str | None = None) -> list[Rule]:
    """The rules of one pack file; :class:`PackError` names the file and key of any problem."""
    where = name or str(source)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"{where}: cannot read rule pack: {exc}") from exc
    if not data:
        raise PackError(f"{where}: the pack defines no rules")
    return [_rule(where, code, entry) for code, entry in data.items()]


# --- validation -------------------------------------------------------------


def _rule(where: str, code: str, entry: Any) -> Rule:
    def fail(key: str, problem: str) -> PackError:
        return PackError(f"{where}: [{code}] {key}: {problem}" if key else f"{where}: [{code}] {problem}")

    if not CODE.fullmatch(code):
        raise fail("", f"a rule code is {CODE_FORM}")
    if not isinstance(entry, Mapping):
        raise fail("", "must be a table of rule settings")
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise fail(unknown[0], f"unknown key (known: {', '.join(REQUIRED + OPTIONAL)})")
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        raise fail(missing[0], "missing")
    if entry["kind"] not in KINDS:
        raise fail("kind", f"unknown kind {entry['kind']!r} (use {', '.join(KINDS)})")
    if not isinstance(entry["name"], str) or not entry["name"].strip():
        raise fail("name", "must be a non-empty string")
    try:
        severity = Severity.parse(str(entry["severity"]))
    except ValueError as exc:
        raise fail("severity", str(exc)) from None
    title = _texts(entry["title"], "title", fail)
    try:
        compiled = compile_pattern(entry["pattern"], f"{where}: [{code}] pattern")
    except CatalogueError as exc:
        raise PackError(str(exc)) from None
    reserved = sorted(set(compiled.groupindex) & set(RESERVED_GROUPS))
    if reserved:
        raise fail("pattern", f"a group cannot be named {reserved[0]!r} (reserved: {', '.join(RESERVED_GROUPS)})")
    messages = _messages(entry["messages"], set(FIELDS) | set(compiled.groupindex), fail)
    docs = _docs(entry["docs"], fail)
    scope = _words(entry.get("scope", list(DEFAULT_SCOPE)), "scope", fail, allowed=SCOPES)
    documents = _words(entry.get("documents", []), "documents", fail, empty_ok=True)
    return Rule(
        code=code,
        name=entry["name"],
        severity=severity,
        title=title,
        messages=messages,
        docs=docs,
        check=pattern_check(compiled, scope, documents),
        also=frozenset({Severity.WARNING}) if severity is Severity.ERROR else frozenset(),  # lowered in inferred text
    )


def _texts(value: Any, key: str, fail) -> dict[str, str]:
    """A { zh = …, en = … } table of non-empty strings, with at least one language."""
    if not isinstance(value, Mapping) or not value:
        raise fail(key, f"must be a table with {' and/or '.join(LANGUAGES)} texts")
    for lang, text in value.items():
        if lang not in LANGUAGES:
            raise fail(f"{key}.{lang}", f"unknown language (use {', '.join(LANGUAGES)})")
        if not isinstance(text, str) or not text.strip():
            raise fail(f"{key}.{lang}", "must be a non-empty string")
    return dict(value)


def _messages(value: Any, fields: set[str], fail) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping) or set(value) != {"default"}:
        raise fail("messages", "a pattern rule has exactly one message, messages.default")
    texts = _texts(value["default"], "messages.default", fail)
    for lang, text in texts.items():
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        except ValueError as exc:
            raise fail(f"messages.default.{lang}", f"bad placeholder: {exc}") from None
        unknown = sorted(used - fields)
        if unknown:
            raise fail(
                f"messages.default.{lang}",
                f"unknown placeholder {{{unknown[0]}}} (use {', '.join('{' + f + '}' for f in sorted(fields))})",
            )
    return {"default": texts}


def _docs(value: Any, fail) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping) or not value:
        raise fail("docs", f"must give docs.en and/or docs.zh with {', '.join(DOC_SECTIONS)}")
    docs = {}
    for lang, sections in value.items():
        if lang not in LANGUAGES:
            raise fail(f"docs.{lang}", f"unknown language (use {', '.join(LANGUAGES)})")
        if not isinstance(sections, Mapping):
            raise fail(f"docs.{lang}", f"must be a table of {', '.join(DOC_SECTIONS)}")
        for section, text in sections.items():
            if section not in DOC_SECTIONS:
                raise fail(f"docs.{lang}.{section}", f"unknown section (use {', '.join(DOC_SECTIONS)})")
            if not isinstance(text, str) or not text.strip():
                raise fail(f"docs.{lang}.{section}", "must be a non-empty string")
        if "what" not in sections:
            raise fail(f"docs.{lang}.what", "missing")
        docs[lang] = dict(sections)
    return docs


def _words(value: Any, key: str, fail, allowed: Iterable[str] = (), empty_ok: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail(key, "must be a list of strings")
    if not value and not empty_ok:
        raise fail(key, "must not be empty")
    allowed = tuple(allowed)
    wrong = [v for v in value if allowed and v not in allowed]
    if wrong:
        raise fail(key, f"unknown value {wrong[0]!r} (use {', '.join(allowed)})")
    return tuple(value)


# --- the check ----------------------------------------------------------------


def pattern_check(compiled: regex.Pattern[str], scope: tuple[str, ...], documents: tuple[str, ...]) -> Check:
    """A check reporting every match of ``compiled`` in the prose ``scope`` names.

    Budget documents only (and only the kinds in ``documents``, when given).
    A match in a table whose structure was inferred is at most a warning.
    """

    def check(ctx: RuleContext) -> Iterable[Finding]:
        budget = ctx.budget
        if not budget.is_budget or (documents and budget.metadata.kind not in documents):
            return
        for unit in prose(ctx.document):
            if unit.kind not in scope:
                continue
            for match in find_all(compiled, unit.text):
                start, end = match.span()
                if start == end:
                    continue
                context = excerpt(unit.text, start, end)
                groups = {k: v or "" for k, v in match.groupdict().items()}
                severity = None
                if unit.inferred and ctx.rule.severity is Severity.ERROR:
                    severity = Severity.WARNING
                yield ctx.report(
                    unit.locate(start, end),
                    severity=severity,
                    key=[match.group(), context],
                    evidence={"match": match.group(), "excerpt": context, "pattern": compiled.pattern},
                    match=match.group(),
                    context=context,
                    **groups,
                )

    return check

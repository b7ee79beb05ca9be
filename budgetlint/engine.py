"""The lint pipeline for one source: read → enrich → check → findings.

Every failure is contained to the file (or the rule) it happened in and
becomes a LINT finding; nothing here raises for bad input.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pluggy
import regex

from budgetlint import diagnostics
from budgetlint.budget.model import BudgetModel
from budgetlint.catalogue import ui
from budgetlint.config import ConfigResolver, Settings
from budgetlint.document import Document
from budgetlint.findings import Finding
from budgetlint.inputs import MissingExtra, is_pattern, read_bytes
from budgetlint.location import Location
from budgetlint.plugins import Plugins
from budgetlint.quotes import Quote, quotes
from budgetlint.readers import Reader, ReadError, Source
from budgetlint.rules import Rule, RuleContext

SNIFF_BYTES = 4096
DIRECTIVE = regex.compile(r"budgetlint:\s*ignore(?:\[(?P<codes>[A-Za-z0-9,\s]+)\])?")


@dataclass
class FileResult:
    """The outcome for one file.  ``failed`` means it was not fully checked (exit code 2).

    ``quotes`` holds the row or sentence of each location a finding names, for a source without lines.
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    failed: bool = False
    source_lines: tuple[str, ...] = ()
    metadata: dict[str, object] = field(default_factory=dict)
    quotes: dict[Location, Quote] = field(default_factory=dict)


class Linter:
    """Lints sources with a loaded set of plugins and per-file settings."""

    def __init__(self, plugins: Plugins, resolver: ConfigResolver, read_options: dict[str, object] | None = None):
        self.plugins = plugins
        self.resolver = resolver
        self.read_options = read_options or {}

    def lint_path(self, path: str, data: bytes | None = None) -> FileResult:
        """Read ``path`` (or use ``data``, e.g. from stdin) and lint it."""
        return self.lint_parts([path], [data])

    def lint_parts(self, paths: Sequence[str], datas: Sequence[bytes | None]) -> FileResult:
        """Lint the files ``paths`` as one document (a disclosure published in parts)."""
        settings = self.resolver.for_path(paths[0])
        documents = []
        for path, data in zip(paths, datas):
            if data is None:
                try:
                    data = read_bytes(path)
                except OSError as exc:
                    return self._unreadable(path, settings, _os_reason(exc, path, settings.lang))
            try:
                documents.append(self.read(Source(path, data, dict(self.read_options)), settings.lang))
            except ReadError as exc:
                return self._diagnostic(path, settings, exc.code, exc.values_in(settings.lang))
            except MemoryError:
                raise  # the memory ceiling: reported by the runner as LINT004
            except Exception as exc:  # a reader bug must cost this file only
                return self._unreadable(path, settings, f"{type(exc).__name__}: {exc}")
        return self.lint_document(Document.combine(documents), settings)

    def lint_document(self, document: Document, settings: Settings) -> FileResult:
        result = FileResult(document.path, source_lines=tuple(document.source_lines))
        for code, args in document.notes:
            result.findings.append(self._lint_finding(code, Location(document.path), settings, **args))
            result.failed |= self.plugins.rules[code].severity.value == "error"

        budget = BudgetBuilder(lambda: self.build_budget(document))
        unchecked: list[str] = []
        for rule in self._enabled_rules(document.path, settings):
            context = RuleContext(
                document=document,
                rule=rule,
                lang=settings.lang,
                budget_factory=budget,
                settings=settings.plugins.get(self.plugins.rule_plugin[rule.code], {}),
            )
            try:
                result.findings.extend(self._check(rule, context))
            except BudgetUnavailable:
                unchecked.append(rule.code)  # reported once for the document, below
            except MemoryError:
                raise
            except Exception as exc:
                result.failed = True
                result.findings.append(self._crash(rule.code, document.path, settings, exc))
        result.metadata = self._metadata(budget)
        if budget.failure is not None:
            result.failed = True
            result.findings.append(self._enrich_crash(document.path, settings, budget.failure, unchecked))
        result.findings = self._finish(result.findings, document, settings)
        if not document.source_lines:  # no lines to quote: quote the document model
            result.quotes = quotes(document, (loc for f in result.findings for loc in (f.location, *f.related)))
        return result

    def _check(self, rule: Rule, context: RuleContext) -> Iterable[Finding]:
        """The rule's findings through the budgetlint_check hook.

        None means no implementation answered (a plugin wrapper returned None
        in place of the core's answer): the rule still runs, as the core runs it.
        """
        answer = self.plugins.hook.budgetlint_check(rule=rule, context=context)
        if answer is None:
            answer = diagnostics.budgetlint_check(rule=rule, context=context)
        return answer or ()

    @staticmethod
    def _metadata(budget: BudgetBuilder) -> dict[str, object]:
        """Document kind, year and department, for corpus summaries (empty if recognition failed)."""
        try:
            metadata = budget().metadata
        except BudgetUnavailable:
            return {}
        return {"kind": metadata.kind, "year": metadata.year, "department": metadata.department}

    def read(self, source: Source, lang: str) -> Document:
        """Parse ``source`` with the reader that claims it; raises :class:`ReadError`."""
        reader = self.reader_for(source)
        if reader is None:
            raise ReadError(diagnostics.UNREADABLE, reason=self._unsupported(source.path, lang))
        return reader.read(source)

    def _unsupported(self, path: str, lang: str) -> str:
        """Why no reader claims ``path``: its type, the supported ones, and what to do."""
        suffixes = ", ".join(sorted({s for reader in self.plugins.readers for s in reader.suffixes}))
        suffix = Path(path).suffix.lower()
        if suffix:
            return ui("unsupported", lang, suffix=suffix, suffixes=suffixes)
        return ui("unsupported_content", lang, suffixes=suffixes)

    def reader_for(self, source: Source) -> Reader | None:
        suffix = Path(source.path).suffix.lower()
        for reader in self.plugins.readers:
            if suffix and suffix in reader.suffixes:
                return reader
        head = source.data[:SNIFF_BYTES]
        return next((r for r in self.plugins.readers if r.sniff(head)), None)

    def build_budget(self, document: Document) -> BudgetModel:
        """Run every recogniser over ``document`` (the budgetlint_enrich hook)."""
        budget = BudgetModel(document)
        self.plugins.hook.budgetlint_enrich(document=document, budget=budget)
        return budget

    def _enabled_rules(self, path: str, settings: Settings):
        for code, rule in sorted(self.plugins.rules.items()):
            if rule.check is not None and settings.is_selected(code, path):
                yield rule

    def _finish(self, findings: Iterable[Finding], document: Document, settings: Settings) -> list[Finding]:
        """Selection, inline suppressions, severity overrides, de-duplication, order."""
        suppressed = suppressions(document.source_lines)
        kept: dict[tuple[str, str, Location], Finding] = {}
        for finding in findings:
            if not self._reported(finding.code, document.path, settings) or is_suppressed(finding, suppressed):
                continue
            override = settings.severity.get(finding.code)
            if override is not None:
                finding = replace(finding, severity=override)
            kept.setdefault((finding.code, finding.fingerprint, finding.location), finding)
        return sorted(kept.values(), key=Finding.sort_key)

    @staticmethod
    def _reported(code: str, path: str, settings: Settings) -> bool:
        """Selected rules are reported; LINT diagnostics always are, unless ignored by exact code."""
        if code.startswith("LINT"):
            return code not in settings.ignore
        return settings.is_selected(code, path)

    def _lint_finding(self, code: str, location: Location, settings: Settings, **args: object) -> Finding:
        return self.plugins.rules[code].finding(location, settings.lang, **args)

    def diagnostic(self, path: str, code: str, **values: object) -> FileResult:
        """A file that could not be checked: one LINT finding, and a failed result."""
        return self._diagnostic(path, self.resolver.for_path(path), code, values)

    def _diagnostic(self, path: str, settings: Settings, code: str, values: dict[str, object]) -> FileResult:
        finding = self._lint_finding(code, Location(path), settings, **values)
        return FileResult(path, [finding], failed=True)

    def _unreadable(self, path: str, settings: Settings, reason: str) -> FileResult:
        return self._diagnostic(path, settings, diagnostics.UNREADABLE, {"reason": reason})

    def _crash(self, code: str, path: str, settings: Settings, exc: Exception) -> Finding:
        rule = self.plugins.rules[diagnostics.RULE_CRASHED]
        return rule.finding(
            Location(path),
            settings.lang,
            key=[code, type(exc).__name__],
            evidence={"rule": code, "traceback": _traceback(exc)},
            rule=code,
            error=_error(exc),
        )

    def _enrich_crash(self, path: str, settings: Settings, exc: Exception, unchecked: list[str]) -> Finding:
        """One LINT002 for a budgetlint_enrich that raised, naming the plugin and the rules left unchecked."""
        hook = self.plugins.hook.budgetlint_enrich
        plugin = _raising_plugin(exc, hook) or "?"
        rule = self.plugins.rules[diagnostics.RULE_CRASHED]
        return rule.finding(
            Location(path),
            settings.lang,
            variant="enrich",
            key=[plugin, type(exc).__name__],
            evidence={"plugin": plugin, "hook": hook.name, "rules": ", ".join(unchecked), "traceback": _traceback(exc)},
            plugin=plugin,
            error=_error(exc),
        )


class BudgetUnavailable(Exception):
    """The document's budget model could not be built; the failure is reported once, not per rule."""


class BudgetBuilder:
    """Builds a document's budget model on first use, once: a failure is remembered as well as a model."""

    def __init__(self, build: Callable[[], BudgetModel]) -> None:
        self._build = build
        self._model: BudgetModel | None = None
        self.failure: Exception | None = None

    def __call__(self) -> BudgetModel:
        if self._model is None and self.failure is None:
            try:
                self._model = self._build()
            except MemoryError:
                raise
            except Exception as exc:
                self.failure = exc
        if self.failure is not None:
            raise BudgetUnavailable() from self.failure
        assert self._model is not None
        return self._model


def _raising_plugin(exc: BaseException, hook: pluggy.HookCaller) -> str | None:
    """The plugin whose implementation of ``hook`` raised ``exc`` (the innermost on the traceback)."""
    names = {
        impl.function.__code__: impl.plugin_name
        for impl in hook.get_hookimpls()
        if hasattr(impl.function, "__code__")
    }
    found = [names[frame.f_code] for frame, _ in traceback.walk_tb(exc.__traceback__) if frame.f_code in names]
    return found[-1] if found else None


def _traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _os_reason(exc: OSError, path: str, lang: str) -> str:
    """Why ``path`` could not be opened, in ``lang``."""
    if isinstance(exc, MissingExtra):
        return ui("needs_extra", lang, url=path, packages=", ".join(exc.packages), extra=exc.extra)
    if isinstance(exc, FileNotFoundError):
        return ui("no_match" if is_pattern(path) else "not_found", lang)
    if isinstance(exc, PermissionError):
        return ui("permission", lang)
    return exc.strerror or str(exc)


def suppressions(lines: Sequence[str]) -> dict[int, tuple[str, ...]]:
    """Line number → codes silenced there by a ``budgetlint: ignore[CODE,…]`` comment.

    A directive applies to its own line and to the line below it (a comment
    on a line of its own).  No codes means every code.
    """
    found: dict[int, tuple[str, ...]] = {}
    for number, line in enumerate(lines, start=1):
        match = DIRECTIVE.search(line)
        if match:
            codes = tuple(c.strip().upper() for c in (match["codes"] or "").split(",") if c.strip())
            for target in (number, number + 1):
                found[target] = found.get(target, ()) + (codes or ("",))
    return found


def is_suppressed(finding: Finding, suppressed: dict[int, tuple[str, ...]]) -> bool:
    codes = suppressed.get(finding.location.line or 0, ())
    return any(finding.code.startswith(code) for code in codes)

"""A finished run: the findings of every file, with what formats need to show them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from budgetlint.findings import Finding, Severity
from budgetlint.location import Location
from budgetlint.rules import Rule

if TYPE_CHECKING:
    from budgetlint.quotes import Quote


@dataclass(frozen=True)
class PluginInfo:
    name: str
    distribution: str
    version: str
    rule_codes: tuple[str, ...]


@dataclass
class Report:
    """Everything an output format may show.

    ``findings`` are sorted by file, position and code.  ``source_lines`` holds
    the text lines of text sources, for formats that quote the source;
    ``documents`` the metadata (kind, year, department) of each checked file;
    ``parts`` the files of each document checked in parts (``--document``);
    ``hidden`` the findings left out below the severity shown (counted in the summary);
    ``quotes`` the row or sentence of each location in a source without lines (a PDF);
    ``written_to`` the file this rendering goes to (None: standard output), for links relative to it.
    """

    findings: list[Finding]
    files: list[str]
    rules: Mapping[str, Rule]
    lang: str
    tool_version: str
    plugins: Sequence[PluginInfo] = ()
    source_lines: Mapping[str, Sequence[str]] = field(default_factory=dict)
    documents: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    parts: Mapping[str, Sequence[str]] = field(default_factory=dict)
    hidden: Counter[Severity] = field(default_factory=Counter)
    quotes: Mapping[Location, Quote] = field(default_factory=dict)
    written_to: str | None = None

    def counts(self) -> Counter[Severity]:
        """Findings per severity, those hidden included."""
        return Counter(f.severity for f in self.findings) + self.hidden

    def show_from(self, floor: Severity) -> None:
        """Keep the findings of ``floor`` and above; count the others as hidden."""
        below = [f for f in self.findings if f.severity.rank < floor.rank]
        self.hidden += Counter(f.severity for f in below)
        self.findings = [f for f in self.findings if f.severity.rank >= floor.rank]

    def by_code(self) -> Counter[str]:
        return Counter(f.code for f in self.findings)

    def by_file(self) -> Counter[str]:
        return Counter(f.location.path for f in self.findings)

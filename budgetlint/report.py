"""A finished run: the findings of every file, with what formats need to show them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from budgetlint.findings import Finding, Severity
from budgetlint.rules import Rule


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
    ``parts`` the files of each document checked in parts (``--document``).
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

    def counts(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    def by_code(self) -> Counter[str]:
        return Counter(f.code for f in self.findings)

    def by_file(self) -> Counter[str]:
        return Counter(f.location.path for f in self.findings)

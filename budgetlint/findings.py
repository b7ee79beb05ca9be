"""Findings: what a rule reports, with its evidence and a stable fingerprint."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from budgetlint.location import Location


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.lower())
        except ValueError:
            raise ValueError(f"unknown severity {text!r} (use error, warning or info)") from None


def certainty(confident: bool) -> Severity:
    """Error for a clear mismatch between statements read with certainty, else warning (severity follows size)."""
    return Severity.ERROR if confident else Severity.WARNING


@dataclass(frozen=True)
class Finding:
    """One inconsistency, located, explained and fingerprinted."""

    code: str
    severity: Severity
    message: str
    location: Location
    related: tuple[Location, ...] = ()
    evidence: Mapping[str, object] = field(default_factory=dict)
    fingerprint: str = ""

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def sort_key(self) -> tuple:
        loc = self.location
        return (
            loc.path,
            loc.page or 0,
            loc.line or 0,
            loc.column or 0,
            self.code,
            self.fingerprint,
        )

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "path": loc.path,
            "page": loc.page,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
            "bbox": list(loc.bbox) if loc.bbox else None,
            "logical_location": loc.logical_text(),
            "related": [r.to_dict() for r in self.related],
            "evidence": jsonable(self.evidence),
            "fingerprint": self.fingerprint,
        }


def finding_from_dict(data: dict[str, object]) -> Finding:
    """Rebuild a finding from :meth:`Finding.to_dict` output (evidence stays plain JSON)."""
    return Finding(
        code=str(data["code"]),
        severity=Severity(data["severity"]),
        message=str(data["message"]),
        location=Location.from_dict(data),
        related=tuple(Location.from_dict(r) for r in data.get("related", [])),
        evidence=dict(data.get("evidence") or {}),
        fingerprint=str(data["fingerprint"]),
    )


def jsonable(value: object) -> object:
    """Evidence as plain JSON data; Decimals keep their stated digits as strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def normalise_key_part(value: object) -> str:
    """Normalise one fingerprint component: NFKC, no whitespace, Decimals canonical."""
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral() else value
        return format(value, "f")
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(text.split())


def fingerprint(code: str, logical: Iterable[str], values: Iterable[object]) -> str:
    """A stable identity: rule + logical path + normalised values.

    Lines, pages and file paths never enter it, so a finding keeps its
    fingerprint when the document is re-paginated, converted to PDF or renamed.
    """
    parts = [code, *(normalise_key_part(p) for p in logical), "|"]
    parts += [normalise_key_part(v) for v in values]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]

"""The result cache: findings per file, keyed by content and everything that shapes them.

A key covers the file's bytes, budgetlint's version and the stamp of its own
source and data files (an edited rule or vocabulary in a development install
keeps the version), the active plugins
(blocked ones left out) with their versions, the settings that apply to the
file, the read options and the reader chosen for each part, so a second run
over unchanged files reads nothing but the cache, and no run is answered
with another run's results.  Entries are plain JSON in
the platform's user cache folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

from budgetlint.engine import FileResult
from budgetlint.findings import Finding, finding_from_dict
from budgetlint.location import Location
from budgetlint.quotes import Quote
from budgetlint.report import PluginInfo

DISABLE_ENV = "BUDGETLINT_NO_CACHE"
DIR_ENV = "BUDGETLINT_CACHE_DIR"
FORMAT_VERSION = "1"
OWN_PACKAGES = ("budgetlint", "budgetlint_plugins", "budgetlint_rules")


def default_directory() -> Path:
    from platformdirs import user_cache_dir

    return Path(os.environ.get(DIR_ENV) or user_cache_dir("budgetlint")) / f"v{FORMAT_VERSION}"


def disabled_by_environment() -> bool:
    return os.environ.get(DISABLE_ENV, "") not in ("", "0")


@cache
def source_stamp() -> str:
    """The stamp of budgetlint's own packages: its code, rules and catalogues as installed."""
    return files_stamp([Path(importlib.util.find_spec(name).origin).parent for name in OWN_PACKAGES])


def files_stamp(roots: Iterable[Path]) -> str:
    """A digest of the path, size and modification time of every code and data file under ``roots``."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".toml", ".tsv"):
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path, version: str, plugins: Iterable[PluginInfo]) -> None:
        self.directory = directory
        stamp = [version, source_stamp()] + sorted(f"{p.name}={p.distribution}:{p.version}" for p in plugins)
        self._stamp = "\n".join(stamp)

    def key(self, data: bytes, context: str) -> str:
        """The key for a file's bytes under a context (its settings, read options and readers, as text)."""
        digest = hashlib.sha256(self._stamp.encode())
        digest.update(b"\0" + context.encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def get(self, key: str, path: str) -> FileResult | None:
        try:
            data = json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        old = data["path"]
        findings = [_moved(finding_from_dict(f), old, path) for f in data["findings"]]
        quotes = {_move(Location.from_dict(loc), old, path): Quote.from_dict(q) for loc, q in data.get("quotes", ())}
        return FileResult(
            path, findings, failed=False, source_lines=tuple(data.get("source_lines", ())),
            metadata=data.get("metadata", {}), quotes=quotes,
        )

    def put(self, key: str, result: FileResult) -> None:
        """Store a fully checked result; failures are never cached (they may be transient)."""
        if result.failed:
            return
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            payload = {
                "path": result.path,
                "findings": [f.to_dict() for f in result.findings],
                "source_lines": list(result.source_lines),
                "metadata": result.metadata,
                "quotes": [[loc.to_dict(), quote.to_dict()] for loc, quote in result.quotes.items()],
            }
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
            temporary.replace(target)
        except OSError:
            pass  # a read-only or full cache folder must never fail a lint run

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"


def _moved(finding: Finding, old: str, new: str) -> Finding:
    """The finding with locations in file ``old`` moved to ``new`` (same content, other path)."""
    return replace(
        finding,
        location=_move(finding.location, old, new),
        related=tuple(_move(r, old, new) for r in finding.related),
    )


def _move(location: Location, old: str, new: str) -> Location:
    """``location`` in file ``new`` if it was in file ``old``."""
    return replace(location, path=new) if location.path == old else location

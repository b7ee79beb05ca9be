"""The message catalogue: every user-facing string, in zh (default) and en.

Catalogues are TOML files shipped beside the code that uses them.  A rule
catalogue has one table per rule code::

    [TXT001]
    name = "stranded-latin-word"
    severity = "warning"
    also_severity = ["info"]       # optional: other severities some findings take
    title = { zh = "…", en = "…" }
    messages.default = { zh = "…{word}…", en = "…{word}…" }
    docs.en = { what = "…", why = "…", example = "…", authority = "…" }
    docs.zh = { what = "…", why = "…", example = "…", authority = "…" }

A plain catalogue (``ui.toml``) maps a key to ``{ zh = …, en = … }``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


class CatalogueError(ValueError):
    """A catalogue file is malformed; the message names the file and key."""


@cache
def load(package: str, filename: str) -> Mapping[str, Any]:
    """Parse ``filename`` shipped inside ``package``."""
    try:
        text = resources.files(package).joinpath(filename).read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{package}/{filename}: {exc}") from exc


def pick(texts: Mapping[str, Any], lang: str) -> Any:
    """The entry for ``lang``, falling back to zh then en."""
    for candidate in (lang, DEFAULT_LANGUAGE, "en"):
        if candidate in texts:
            return texts[candidate]
    raise CatalogueError(f"no text in any of {LANGUAGES}: {dict(texts)!r}")


def ui(key: str, lang: str, **args: object) -> str:
    """A core interface string (summaries, errors), formatted with ``args``."""
    entry = load("budgetlint", "catalogue/ui.toml").get(key)
    if entry is None:
        raise CatalogueError(f"budgetlint/catalogue/ui.toml: missing key {key!r}")
    return pick(entry, lang).format(**args)


def ui_count(key: str, lang: str, n: int) -> str:
    """A counted phrase (``1 file``, ``3 files``): an entry given as [singular, plural] takes the form for ``n``."""
    entry = load("budgetlint", "catalogue/ui.toml").get(key)
    if entry is None:
        raise CatalogueError(f"budgetlint/catalogue/ui.toml: missing key {key!r}")
    text = pick(entry, lang)
    if isinstance(text, list):
        text = text[0] if n == 1 else text[-1]
    return text.format(n=n)

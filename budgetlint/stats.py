"""``budgetlint stats``: the model-quality report, one row per document and a total.

It says how much of each document the budget model understood and how much
of that the document's own arithmetic confirms (see
:mod:`budgetlint.budget.quality`).  Every change to the reader or the model
is measured with it across a corpus (benchmarks/model_quality.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from functools import partial

from budgetlint.budget.quality import Quality, measure
from budgetlint.catalogue import ui
from budgetlint.engine import Linter
from budgetlint.extract import ExtractError, read_document
from budgetlint.isolation import Limits, run_all

COLUMNS = (
    "pages", "tables", "recognised", "amount_cells", "unparsed_cells", "equations", "holding", "failing",
    "withheld_equations", "withheld_tables",
)


def measure_document(linter: Linter, paths: tuple[str, ...]) -> Quality | str:
    """The quality figures of the document ``paths`` form, or why it could not be read."""
    try:
        document = read_document(linter, paths)
    except ExtractError as exc:
        return str(exc)
    return measure(document, linter.build_budget(document))


def collect(linter: Linter, documents: Sequence[tuple[str, ...]], jobs: int, limits: Limits) -> list[tuple[str, Quality | str]]:
    """Each document's figures (or failure), in input order; documents run in forked children under ``limits``."""
    results: dict[tuple[str, ...], Quality | str] = {}
    for outcome in run_all(partial(measure_document, linter), documents, jobs, limits):
        results[outcome.task] = outcome.failure or outcome.result
    return [(",".join(paths), results[paths]) for paths in documents]


def render_table(rows: Sequence[tuple[str, Quality | str]], lang: str) -> str:
    """A plain-text table: one line per document, then the total and the shares the acceptance targets name."""
    header = [ui(f"stats_{c}", lang) for c in COLUMNS] + [ui("stats_coverage", lang), ui("stats_holding_share", lang)]
    lines = ["\t".join([ui("stats_document", lang), *header])]
    total = Quality(documents=0)
    for name, quality in rows:
        if isinstance(quality, str):
            lines.append(f"{name}\t{ui('stats_unreadable', lang, reason=quality)}")
            continue
        total = total + quality
        lines.append("\t".join([name, *_figures(quality)]))
    lines.append("\t".join([ui("stats_total", lang, documents=total.documents), *_figures(total)]))
    lines.append(ui("stats_shares", lang, holding=_percent(total.holding_share), coverage=_percent(total.coverage),
                    withheld=_percent(total.withheld_share)))
    return "\n".join(lines) + "\n"


def render_json(rows: Sequence[tuple[str, Quality | str]]) -> str:
    """The same figures as JSON: a list of documents (figures or error) and the total."""
    total = Quality(documents=0)
    documents = []
    for name, quality in rows:
        if isinstance(quality, str):
            documents.append({"document": name, "error": quality})
            continue
        total = total + quality
        documents.append({"document": name, **_plain(quality)})
    return json.dumps({"documents": documents, "total": _plain(total)}, ensure_ascii=False, indent=1) + "\n"


def _plain(quality: Quality) -> dict[str, object]:
    data = asdict(quality)
    for name in ("kinds", "uncovered", "uncovered_kinds"):
        data[name] = dict(sorted(getattr(quality, name).items()))
    data.update(holding_share=round(quality.holding_share, 4), coverage=round(quality.coverage, 4),
                withheld_share=round(quality.withheld_share, 4), tied_item_share=round(quality.tied_item_share, 4))
    return data


def _figures(quality: Quality) -> list[str]:
    return [str(getattr(quality, c)) for c in COLUMNS] + [_percent(quality.coverage), _percent(quality.holding_share)]


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"

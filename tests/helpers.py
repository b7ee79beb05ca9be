"""Shared test helpers: lint text in-process, and inject defects into the reference document."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTFigure
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from budgetlint.budget.model import BudgetModel, BudgetTable
from budgetlint.catalogue import LANGUAGES
from budgetlint.cli import main
from budgetlint.config import ConfigResolver, Overrides
from budgetlint.engine import Linter
from budgetlint.findings import Finding
from budgetlint.plugins import Plugins, load_plugins
from budgetlint.readers import Source
from budgetlint.rules import DOC_SECTIONS

DATA = Path(__file__).parent / "data"
# The reference document: the bundled example is the one copy (issue 14).
REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "shuozhou-devzone-hr-2026-budget.txt"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL = SHARED / "corpus" / "real"
# The reference document's 支出总表, as the model names it.
EXPENSE = "2026年预算支出总表"
# One line of the concise format: path, then line:column or page, then the code.
CONCISE_LINE = re.compile(r"^(?P<path>[^:]+):(?:(?P<line>\d+):(?P<col>\d+):|page \d+:)? (?P<code>[A-Z]+\d{3}) ")


def run(*args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """Run the command line in-process, exceptions not caught."""
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def codes_in(output: str) -> list[str]:
    """The rule codes of the concise format's finding lines, in order."""
    return [m["code"] for line in output.splitlines() if (m := CONCISE_LINE.match(line))]


def city(name: str) -> str:
    """The page text of ../shared/cities/``name``; skips the test without it."""
    path = SHARED / "cities" / name
    if not path.is_file():
        pytest.skip(f"{path} not available")
    return path.read_text(encoding="utf-8")


def lint_city_pdf(name: str, select: tuple[str, ...]) -> list[Finding]:
    """Findings with ``select`` codes for the PDF ../shared/cities/``name``; skips the test without it."""
    path = SHARED / "cities" / name
    if not path.is_file():
        pytest.skip(f"{path} not available")
    configured = Linter(linter().plugins, ConfigResolver(Overrides(select=select)))
    return configured.lint_path(str(path), path.read_bytes()).findings


def real_texts() -> list[Path]:
    """The page texts of the real corpus in ../shared, [] without it."""
    return sorted(REAL.glob("*.txt")) if REAL.is_dir() else []


def assert_rules_registered(plugins: Plugins, codes: tuple[str, ...], plugin: str) -> None:
    """Each of ``codes`` comes from ``plugin`` with a check, and a title, messages and full docs in every language."""
    for code in codes:
        rule = plugins.rules[code]
        assert plugins.rule_plugin[code] == plugin, code
        assert rule.check is not None, code
        assert set(rule.title) == set(LANGUAGES), code
        for texts in rule.messages.values():
            assert set(texts) == set(LANGUAGES), code
        for lang in LANGUAGES:
            assert set(rule.docs[lang]) == set(DOC_SECTIONS), (code, lang)
            assert all(rule.docs[lang][section].strip() for section in DOC_SECTIONS), (code, lang)


@cache
def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


@cache
def linter() -> Linter:
    return Linter(load_plugins(), ConfigResolver(Overrides()))


def lint(text: str, select: tuple[str, ...] | None = None, path: str = "doc.txt", lang: str = "zh") -> list[Finding]:
    """Findings for ``text`` read as a text source, with ``select`` codes or prefixes only."""
    return lint_bytes(text.encode("utf-8"), select, path, lang)


def lint_bytes(data: bytes, select: tuple[str, ...] | None = None, path: str = "doc.pdf", lang: str = "zh") -> list[Finding]:
    """Findings for the file ``data`` read as ``path`` (its suffix picks the reader), with ``select`` codes only."""
    configured = Linter(linter().plugins, ConfigResolver(Overrides(select=select, lang=lang)))
    return configured.lint_path(path, data).findings


def budget(text: str, path: str = "doc.txt") -> BudgetModel:
    """The budget model of ``text``."""
    document = linter().read(Source(path, text.encode("utf-8")), "en")
    return linter().build_budget(document)


def inject(old: str, new: str, text: str | None = None, count: int = 1) -> str:
    """The reference text (or ``text``) with ``old`` replaced by ``new``; ``old`` must occur exactly ``count`` times."""
    source = reference_text() if text is None else text
    assert source.count(old) == count, f"{old!r} occurs {source.count(old)} times, expected {count}"
    return source.replace(old, new)


def codes(findings: list[Finding]) -> list[str]:
    return sorted(f.code for f in findings)


def new_findings(before: list[Finding], after: list[Finding]) -> list[Finding]:
    """Findings in ``after`` whose fingerprint is not in ``before``."""
    seen = {f.fingerprint for f in before}
    return [f for f in after if f.fingerprint not in seen]


def inject_after(anchor: str, old: str, new: str, text: str | None = None) -> str:
    """``text`` (default: the reference) with the first ``old`` after the unique ``anchor`` replaced."""
    source = reference_text() if text is None else text
    assert source.count(anchor) == 1, f"{anchor!r} occurs {source.count(anchor)} times"
    at = source.index(old, source.index(anchor))
    return source[:at] + new + source[at + len(old) :]


def position(text: str, fragment: str, after: str = "") -> int:
    """Where the first ``fragment`` after ``after`` starts: after a table titled so (as the model names it), else
    after the text ``after``; from the start without it."""
    return text.index(fragment, _start(text, after))


def line_of(text: str, fragment: str, after: str = "") -> int:
    """The 1-based line of the first ``fragment`` after ``after`` (see :func:`position`)."""
    return text.count("\n", 0, position(text, fragment, after)) + 1


def column_of(text: str, fragment: str, after: str = "") -> int:
    """The 1-based column (in code points) of the first ``fragment`` after ``after`` (see :func:`position`)."""
    at = position(text, fragment, after)
    return at - text.rfind("\n", 0, at)


def table_start(text: str, title: str) -> int:
    """Where the title line of the table ``title`` (as the model names it) begins."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if unicodedata.normalize("NFKC", line.strip().lstrip("#").strip()) == title:
            return offset
        offset += len(line)
    raise ValueError(f"no table titled {title!r}")


def _start(text: str, after: str) -> int:
    if not after:
        return 0
    try:
        return table_start(text, after)
    except ValueError:
        return text.index(after)


def only(findings: list[Finding], code: str) -> Finding:
    """The single finding of ``findings``, which must have ``code``."""
    assert [f.code for f in findings] == [code], [(f.code, f.message) for f in findings]
    return findings[0]


def layout(
    data: bytes, interpreter: type[PDFPageInterpreter], device: type[PDFPageAggregator] = PDFPageAggregator
) -> list[list[tuple]]:
    """Every page's chars, shapes and images as the aggregator records them: (kind, bbox, text, font, colour)."""
    manager = PDFResourceManager(caching=True)
    aggregator = device(manager, laparams=None)
    run = interpreter(manager, aggregator)
    pages = []
    for page in PDFPage.get_pages(io.BytesIO(data)):
        run.process_page(page)
        pages.append(list(_flatten(aggregator.get_result())))
    return pages


def _flatten(container) -> Iterator[tuple]:
    for obj in container:
        yield (
            type(obj).__name__,
            obj.bbox,
            obj.get_text() if isinstance(obj, LTChar) else None,
            getattr(obj, "fontname", None),
            getattr(obj, "stroking_color", None),
        )
        if isinstance(obj, LTFigure):
            yield from _flatten(obj)


# --- documents built for a test, and edits of the reference ------------------------------


def document(*tables: tuple[str, list[str]], narrative: str = "", unit: str = "万元") -> str:
    """A disclosure of ``tables`` (title, tab-separated rows) and an optional narrative section."""
    parts = ["# 某部门2017年度部门预算", ""]
    for title, rows in tables:
        parts += [f"## {title}", "", f"单位：{unit}", "", *rows, ""]
    if narrative:
        parts += ["## 部门预算情况说明", "", narrative, ""]
    return "\n".join(parts)


def row(*cells: str) -> str:
    """A table row of the text format: cells separated by tabs."""
    return "\t".join(cells)


def table(text: str, title: str) -> BudgetTable:
    """The table of ``text``'s budget model titled ``title``."""
    return next(t for t in budget(text).tables if t.title == title)


def in_table(title: str, old: str, new: str, text: str | None = None) -> str:
    """Replace the first ``old`` after the title line of the table ``title`` (or after the text ``title``)."""
    source = reference_text() if text is None else text
    at = position(source, old, title)
    return source[:at] + new + source[at + len(old):]


def shifted_total_column() -> str:
    """The reference with the 合计 column of the 支出总表 shifted down one row, as a misread layout would be."""
    lines = reference_text().split("\n")
    first = line_of(reference_text(), "合计\t\t1491.74", EXPENSE) - 1
    last = line_of(reference_text(), "2210201", EXPENSE) - 1
    rows = [line.split("\t") for line in lines[first:last + 1]]
    totals = [cells[2] for cells in rows]
    for cells, value in zip(rows, totals[-1:] + totals[:-1]):
        cells[2] = value
    lines[first:last + 1] = ["\t".join(cells) for cells in rows]
    return "\n".join(lines)

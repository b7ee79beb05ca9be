"""Write rules/classification-codes.tsv: classification codes, their names and the years of each name.

    python scripts/generate_classification.py [--observations FILE] [FOLDER ...]
        (default folders: ../shared/corpus/real and ../shared/cities)

The candidates are the code lists of ../shared/data (function-codes-seen.tsv,
economic-codes-seen.tsv: what about 250 published documents print, unofficial).
The renamed codes of rules/classification.toml are
candidates too, under their latest name.  Each is cross-checked against the tables of the development corpus (their
page texts), read by budgetlint's own model with each document's year: a code is kept unless two documents or more
of the latest year print another name, and its name is in force from the oldest year a document prints it with no
such rival name since.  A name that differs by year is kept only
when ``renames`` of rules/classification.toml records the change (with the
Ministry of Finance's catalogue as authority); otherwise the older years are
left unjudged.  ``--observations`` keeps the corpus' (code, name, year,
document) rows in a JSON file, read back instead of the corpus when present.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from model_quality import DEFAULT_FOLDERS, documents  # noqa: E402

from budgetlint.budget.classification import canonical, is_classified, same_name  # noqa: E402
from budgetlint.budget.vocabulary import pack  # noqa: E402

HAN = regex.compile(r"\p{Han}")
SHARED_DATA = ROOT.parent / "shared" / "data"
CANDIDATES = ("function-codes-seen.tsv", "economic-codes-seen.tsv")
OUT = ROOT / "rules" / "classification-codes.tsv"
# The year the candidates' names stand for when no corpus document prints the code (the lists are mostly of
# 2026 documents, see ../shared/data/README.md).
CANDIDATE_YEAR = 2026
# A code ending in 99 is its 类's or 款's catch-all, named 其他….
CATCH_ALL_CODE, CATCH_ALL_NAME = "99", "其他"
# Another name printed by this many documents of one year makes the code ambiguous.
CONFLICT_DOCUMENTS = 2
HEADER = """\
# 政府收支分类科目: classification codes and their names, by year.  Written by scripts/generate_classification.py;
# do not edit by hand (add a rename to rules/classification.toml and rerun the script).
# Columns: code, name, first year in force, last year in force (blank: open).  Function codes (支出功能分类) are
# 类 3 digits, 款 5, 项 7 (2xx); economic codes (支出经济分类) are 部门 301-399 and 政府 501-599 with 5-digit 款.
# Source: the code lists of ../shared/data (what about 250 published 部门预算/决算 of 2019-2026 print; unofficial),
# kept only where the tables of the development corpus (../shared/corpus/real, ../shared/cities: their page texts,
# read by budgetlint) agree on the name: no other name printed by two documents or more in the latest year.  A name
# is in force from the oldest year a corpus document prints it with no other name printed by two documents since
# ({candidate_year} for a code no corpus document prints); the years before are not judged.  Renames come from
# rules/classification.toml (authority: 财政部《政府收支分类科目》 of the year).
# Left out as extraction noise: a 类 or 款 with no listed code below it (21000 平方米), a code ending in 99 not named
# 其他….  Limits: not the official catalogue.  Codes a province adds (local 项), codes no document of the sample
# prints, and names changed in years the sample does not cover are missing; a missing code is never judged.
"""


def candidates() -> dict[str, str]:
    """code → name of the shared lists, for the function and economic codes of the data's shape.

    Extraction noise is left out: a 类 or 款 none of whose codes below is
    listed (21000 平方米, 330 台套), and a code ending in 99 not named 其他…
    (the classification's catch-all, in every 类 and 款).
    """
    found = {}
    for filename in CANDIDATES:
        lines = (SHARED_DATA / filename).read_text(encoding="utf-8").splitlines()[1:]
        for line in lines:
            code, name, _ = line.split("\t")
            if is_classified(code) and (not code.endswith(CATCH_ALL_CODE) or name.startswith(CATCH_ALL_NAME)):
                found[code] = name
    return {code: name for code, name in found.items() if not _has_levels_below(code) or _listed_below(code, found)}


def _has_levels_below(code: str) -> bool:
    """A 类 or 款 of the function classification, or a 类 of the economic one."""
    return len(code) < (7 if code.startswith("2") else 5)


def _listed_below(code: str, found: dict[str, str]) -> bool:
    return any(other != code and other.startswith(code) for other in found)


def observe(folders: list[Path]) -> list[tuple[str, str, int, str]]:
    """(code, name, year, document) of every coded row of the corpus tables, by budgetlint's model.

    The model reads each document's page text (the .txt beside its PDF):
    fewer tables than from the PDF, at a small part of the cost.
    """
    from budgetlint.config import ConfigResolver, Overrides
    from budgetlint.engine import Linter
    from budgetlint.extract import read_document
    from budgetlint.plugins import load_plugins

    linter = Linter(load_plugins(()), ConfigResolver(Overrides()))
    rows = []
    for pdfs in documents(folders):
        parts = [str(Path(p).with_suffix(".txt")) for p in pdfs if Path(p).with_suffix(".txt").is_file()]
        if not parts:
            continue
        try:
            budget = linter.build_budget(read_document(linter, parts))
        except Exception as exc:  # a document the model cannot read adds nothing
            print(f"{parts[0]}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        year = budget.metadata.year
        if not year:
            continue
        for table in budget.tables:
            for _, item in table.items():
                if item.role == "item" and is_classified(item.code):
                    rows.append((item.code, item.label, year, parts[0]))
        print(f"{parts[0]}: {year}", file=sys.stderr)
    return rows


def renames() -> dict[str, list[dict]]:
    """code → its recorded renames (old, new, year), from rules/classification.toml."""
    found: dict[str, list[dict]] = defaultdict(list)
    for rename in pack("classification.toml").get("renames", []):
        found[rename["code"]].append(rename)
    return found


def names_by_year(rows: list[tuple[str, str, int, str]]) -> dict[str, dict[int, Counter[str]]]:
    """code → year → the names printed (canonical) with how many documents print each."""
    seen: dict[str, dict[int, dict[str, set[str]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))
    for code, name, year, document in rows:
        if HAN.search(name):  # not an amount read into the name column
            seen[code][year][canonical(name)].add(document)
    return {code: {year: Counter({n: len(d) for n, d in by_name.items()}) for year, by_name in years.items()}
            for code, years in seen.items()}


def rivals(printed: Counter[str], names: set[str]) -> list[str]:
    """The names of one year's documents, other than ``names``, that two documents or more print.

    Names that read as one another (a cut cell) count as one; a name printed
    by a single document is that document's slip or misreading, no rival.
    """
    merged: Counter[str] = Counter()
    for name, count in printed.most_common():
        key = next((m for m in merged if same_name(name, m)), name)
        merged[key] += count
    return [n for n, c in merged.items() if c >= CONFLICT_DOCUMENTS and not any(same_name(n, o) for o in names)]


def derive(code: str, name: str, years: dict[int, Counter[str]], recorded: list[dict]) -> list[tuple[str, int | None, int | None]]:
    """The code's rows (name, since, until), or [] when the documents disagree.

    Without a rename, the name holds back to the oldest year that prints it
    with no rival name since; a rival in the latest year makes the code
    ambiguous.  With renames, each name holds between its rename years, and
    any rival makes the code ambiguous.
    """
    if recorded:
        rows = _renamed(recorded, years)
        official = {n for n, _, _ in rows}
        contradicted = any(rivals(printed, official) for printed in years.values())
        return [] if contradicted or not same_name(name, rows[-1][0]) else rows
    since = CANDIDATE_YEAR
    for year in sorted(years, reverse=True):
        if rivals(years[year], {name}):
            if year == max(years):
                return []
            break
        if any(same_name(n, name) for n in years[year]):
            since = min(since, year)
    return [(name, since, None)]


def _renamed(recorded: list[dict], years: dict[int, Counter[str]]) -> list[tuple[str, int | None, int | None]]:
    """Rows of a renamed code, each name between its renames.

    The first name holds from the first year a document prints the code, or
    the rename's ``old_since`` (the first year the corpus shows the old name
    in documents without codes) when that is older.
    """
    recorded = sorted(recorded, key=lambda r: r["year"])
    bounds = [r["year"] for r in recorded]
    first = min([*years, recorded[0].get("old_since", bounds[0] - 1)])
    spans = zip([first, *bounds], [*(b - 1 for b in bounds), None])
    return [(name, since, until) for name, (since, until) in zip([recorded[0]["old"], *(r["new"] for r in recorded)], spans)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--observations", type=Path, help="JSON file of the corpus' coded rows (read if present)")
    args = parser.parse_args()
    if args.observations and args.observations.exists():
        rows = [tuple(r) for r in json.loads(args.observations.read_text(encoding="utf-8"))]
    else:
        rows = observe(args.folders)
        if args.observations:
            args.observations.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    years = names_by_year(rows)
    recorded = renames()
    lines, dropped = [], []
    renamed = {code: max(found, key=lambda r: r["year"])["new"] for code, found in recorded.items()}
    for code, name in sorted((candidates() | renamed).items()):
        derived = derive(code, name, years.get(code, {}), recorded.get(code, []))
        if not derived:
            dropped.append(code)
        for row_name, since, until in derived:
            lines.append(f"{code}\t{row_name}\t{since or ''}\t{until or ''}")
    OUT.write_text(HEADER.format(candidate_year=CANDIDATE_YEAR) + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(lines)} rows; dropped as ambiguous: {', '.join(dropped) or 'none'}", file=sys.stderr)


if __name__ == "__main__":
    main()

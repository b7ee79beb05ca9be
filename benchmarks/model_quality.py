"""The model-quality report over the development corpus, kept in benchmarks/model_quality.md.

    python benchmarks/model_quality.py [--out FILE] [--timeout SECONDS] [FOLDER ...]
        (default folders: ../shared/corpus/real and ../shared/cities)

Runs ``budgetlint stats`` on every PDF of the folders, a disclosure published
as several files (北京's narrative and tables, Jiangsu's part1/part2) measured
as one document, and writes the per-document table and the totals with the
acceptance targets beside them.  Run it before and after every change to the
reader or the model.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_FOLDERS = (SHARED / "corpus" / "real", SHARED / "cities")
OUT = Path(__file__).with_suffix(".md")
# Files of one disclosure share the stem left after these endings (the corpus' naming, see its SOURCES.md).
PART_ENDINGS = re.compile(r"-(?:tables|explain|part\d)$")
TARGETS = {"holding_share": 0.99, "coverage": 0.95, "tied_item_share": 0.90}
MAX_WITHHELD = 0.02
COLUMNS = ("pages", "tables", "recognised", "amount_cells", "unparsed_cells", "equations", "holding", "failing",
           "withheld_tables")


def documents(folders: list[Path]) -> list[list[str]]:
    """Each disclosure's files: one PDF, or the parts named alike (…-explain.pdf and …-tables.pdf)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for folder in folders:
        for pdf in sorted(folder.glob("*.pdf")):
            groups[str(folder / PART_ENDINGS.sub("", pdf.stem))].append(str(pdf))
    return [sorted(parts, key=lambda p: ("tables" in p, p)) for _, parts in sorted(groups.items())]


def stats(groups: list[list[str]], timeout: float) -> dict:
    args = ["--timeout", str(timeout)]
    for parts in groups:
        args += ["--document", ",".join(parts)] if len(parts) > 1 else parts
    result = subprocess.run([sys.executable, "-m", "budgetlint", "stats", "--format", "json", *args],
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"budgetlint stats failed ({result.returncode}): {result.stderr[-2000:]}")
    return json.loads(result.stdout)


def table(report: dict) -> str:
    lines = ["| document | " + " | ".join(COLUMNS) + " | coverage | holding |", "|---" * (len(COLUMNS) + 3) + "|"]
    for row in report["documents"]:
        name = Path(row["document"].split(",")[0]).stem
        if "error" in row:
            lines.append(f"| {name} | {row['error']} |")
            continue
        figures = [str(row[c]) for c in COLUMNS] + [f"{row['coverage']:.1%}", f"{row['holding_share']:.1%}"]
        lines.append(f"| {name} | " + " | ".join(figures) + " |")
    return "\n".join(lines)


def summary(total: dict) -> str:
    met = {name: total[name] >= target for name, target in TARGETS.items()}
    met["withheld_share"] = total["withheld_share"] <= MAX_WITHHELD
    verdict = {True: "met", False: "NOT met"}
    return "\n".join([
        f"- documents: {total['documents']}, pages: {total['pages']}, tables: {total['tables']}, "
        f"recognised: {total['recognised']}, forms: {total['forms']}",
        f"- amount cells: {total['amount_cells']}, unparsed: {total['unparsed_cells']}",
        f"- equations: {total['equations']}, holding: {total['holding']}, failing: {total['failing']}, "
        f"unknown: {total['unknown']}, withheld: {total['withheld_equations']}",
        f"- equations holding: {total['holding_share']:.2%} (target ≥ 99%: {verdict[met['holding_share']]})",
        f"- amount cells covered by a holding equation: {total['coverage']:.2%} "
        f"(target ≥ 95%: {verdict[met['coverage']]})",
        f"- tables withheld: {total['withheld_tables']} of {total['recognised']}, {total['withheld_share']:.2%} "
        f"(target ≤ 2%: {verdict[met['withheld_share']]})",
        f"- narrative line item amounts: {total['item_amounts']}, tied to a table row: {total['tied_item_amounts']}, "
        f"{total['tied_item_share']:.2%} (target ≥ 90%: {verdict[met['tied_item_share']]})",
    ])


CAUSES = {
    "withheld": "in a table withheld as not understood",
    "zero": "a zero in no equation that states an amount (its sums, if any, are all zeros)",
    "alone": "in no equation: no total row, total column or restatement was read over it",
    "failing": "only in failing equations",
    "unknown": "only in equations with a term that did not parse",
}


def uncovered(report: dict) -> str:
    """Where the amount cells no holding equation covers are: by cause, by table kind, by city."""
    total = report["total"]
    missing = total["amount_cells"] - total["covered_cells"]
    cities: Counter[str] = Counter()
    for row in report["documents"]:
        if "error" not in row:
            cities[Path(row["document"].split(",")[0]).stem.split("-")[2]] += row["amount_cells"] - row["covered_cells"]
    lines = [f"{missing} of {total['amount_cells']} amount cells are not covered "
             f"({missing / max(total['amount_cells'], 1):.2%}), besides {total['unparsed_cells']} cells that did not parse.",
             "", "| cause | cells | share of all amount cells |", "|---|---|---|"]
    for cause, cells in sorted(total["uncovered"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {CAUSES.get(cause, cause)} | {cells} | {cells / max(total['amount_cells'], 1):.2%} |")
    for title, counts in (("table kind", total["uncovered_kinds"]), ("city", cities)):
        lines += ["", f"| {title} | cells |", "|---|---|"]
        lines += [f"| {name} | {cells} |" for name, cells in sorted(counts.items(), key=lambda kv: -kv[1]) if cells]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--timeout", type=float, default=0, help="seconds allowed per document (0: no limit, as on a loaded machine)")
    options = parser.parse_args()
    folders = [f for f in options.folders if f.is_dir()]
    if not folders:
        raise SystemExit("no corpus folder found (expected ../shared/corpus/real and ../shared/cities)")
    report = stats(documents(folders), options.timeout)
    text = "\n\n".join([
        "# Model quality on the development corpus",
        "Written by `python benchmarks/model_quality.py`; see `budgetlint stats --help` for the figures.",
        "## Totals",
        summary(report["total"]),
        "## Amount cells not covered",
        uncovered(report),
        "## Per document",
        table(report),
    ]) + "\n"
    options.out.write_text(text, encoding="utf-8")
    print(summary(report["total"]))


if __name__ == "__main__":
    main()

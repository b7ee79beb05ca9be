"""Score the PDF reader's tables against the truth of the generated corpus.

Usage: python benchmarks/pdf_truth.py [CORPUS_DIR] [--verbose]

CORPUS_DIR defaults to ../shared/corpus/generated (beside the repository).
For each PDF there, the tables read are compared with the tables listed in
seed.truth.json (the blocks of the reference text; its table of contents is
not a table).  Texts are compared after NFKC with whitespace removed.

- rows: a read row counts when some truth row of the same table has exactly
  the same cell texts (multiset match); precision over read rows, recall over
  truth rows.
- cells: the same over (column, text) pairs of non-empty cells.
- tables: truth tables matched / tables read.  Each truth table is paired
  with the unused read table sharing the most rows.
"""

from __future__ import annotations

import json
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

from budgetlint.readers import Source
from budgetlint.readers.pdf import read

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "generated"


def key(text: str) -> str:
    text = text.replace("<b>", "").replace("</b>", "")
    return "".join(unicodedata.normalize("NFKC", text).split())


def truth_tables(corpus: Path) -> list[list[tuple[str, ...]]]:
    blocks = json.loads((corpus / "seed.truth.json").read_text(encoding="utf-8"))["blocks"]
    return [[tuple(key(c) for c in row) for row in b["rows"]] for b in blocks if b["kind"] in ("table", "form")]


def overlap(a: Counter, b: Counter) -> int:
    return sum((a & b).values())


def cells(rows: list[tuple[str, ...]]) -> Counter:
    return Counter((i, text) for row in rows for i, text in enumerate(row) if text)


def score(truth: list[list[tuple[str, ...]]], read_tables: list[list[tuple[str, ...]]]) -> dict[str, float]:
    unused = list(range(len(read_tables)))
    pairs = []
    for t in truth:
        best = max(unused, key=lambda i: overlap(Counter(t), Counter(read_tables[i])), default=None)
        if best is not None and overlap(Counter(t), Counter(read_tables[best])) > 0:
            unused.remove(best)
            pairs.append((t, read_tables[best]))
        else:
            pairs.append((t, []))
    hit_rows = sum(overlap(Counter(t), Counter(r)) for t, r in pairs)
    hit_cells = sum(overlap(cells(t), cells(r)) for t, r in pairs)
    n_truth_rows = sum(len(t) for t in truth)
    n_read_rows = sum(len(r) for r in read_tables)
    n_truth_cells = sum(sum(cells(t).values()) for t in truth)
    n_read_cells = sum(sum(cells(r).values()) for r in read_tables)
    return {
        "tables_truth": len(truth),
        "tables_read": len(read_tables),
        "tables_matched": sum(1 for _, r in pairs if r),
        "row_p": hit_rows / max(n_read_rows, 1),
        "row_r": hit_rows / max(n_truth_rows, 1),
        "cell_p": hit_cells / max(n_read_cells, 1),
        "cell_r": hit_cells / max(n_truth_cells, 1),
    }


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else DEFAULT_DIR
    if not (corpus / "seed.truth.json").exists():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    truth = truth_tables(corpus)
    print(f"{'file':34} {'tables':>11} {'row P':>6} {'row R':>6} {'cell P':>6} {'cell R':>6} {'conf<1':>6} {'secs':>5}")
    for pdf in sorted(corpus.glob("*.pdf")):
        start = time.perf_counter()
        document = read(Source(str(pdf), pdf.read_bytes()))
        secs = time.perf_counter() - start
        tables = list(document.tables())
        read_tables = [[tuple(key(c) for c in row.texts) for row in t.rows] for t in tables]
        s = score(truth, read_tables)
        uncertain = sum(1 for t in tables if t.confidence < 1)
        print(
            f"{pdf.name:34} {s['tables_matched']:>3}/{s['tables_truth']:<3}({s['tables_read']:>3}) "
            f"{s['row_p']:6.3f} {s['row_r']:6.3f} {s['cell_p']:6.3f} {s['cell_r']:6.3f} {uncertain:>6} {secs:5.1f}"
        )
        if "--verbose" in argv:
            _explain(truth, read_tables)
    return 0


def _explain(truth: list[list[tuple[str, ...]]], read_tables: list[list[tuple[str, ...]]]) -> None:
    """Print the truth rows nobody read and the read rows no truth has."""
    all_truth = Counter(row for t in truth for row in t)
    all_read = Counter(row for t in read_tables for row in t)
    for row in (all_truth - all_read).elements():
        print("   missed:", "|".join(row))
    for row in (all_read - all_truth).elements():
        print("   extra: ", "|".join(row))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""PDF speed and memory, side by side in one run: whole processes on the same file.

    python benchmarks/pdf.py [PDF] [--repeat N]     (default: the LibreOffice seed PDF, 5 repeats)

Compares ``budgetlint check FILE`` with pdfminer's own raw pass (the
``PDFPageAggregator(laparams=None)`` pass budgetlint makes, every page),
pdfminer's ``extract_text`` and pdfplumber's ``extract_tables`` (pdfplumber
is a dev extra: ``pip install -e '.[dev]'``).  Prints the median wall time and
peak memory of each, and the ratios the PDF issue sets targets for:
budgetlint ≤ 1.1 × the raw pass, ≥ 1.4 × faster than pdfplumber, peak
memory ≤ 150 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "generated" / "seed-libreoffice.pdf"

RAW_PASS = """
import sys
from pdfminer.converter import PDFPageAggregator
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
with open(sys.argv[1], "rb") as handle:
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(handle):
        interpreter.process_page(page)
        device.get_result()
"""
EXTRACT_TEXT = "import sys; from pdfminer.high_level import extract_text; extract_text(sys.argv[1])"
PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
"""
# Runs a command and reports its wall time, its CPU time (user + system, children included: steadier
# than wall time on a shared machine) and the peak RSS of it and its children.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": elapsed, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                  "code": code}))
"""


# Commands run with their bytecode cached, as an installed package has it (pip compiles it on install):
# an editable checkout under PYTHONDONTWRITEBYTECODE would otherwise compile budgetlint's sources on
# every run (0.1 s and more), which pdfminer, installed, never does.
ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], repeat: int) -> dict[str, float]:
    runs = [json.loads(subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True,
                                      text=True, check=True, env=ENVIRONMENT).stdout) for _ in range(repeat)]
    return {"seconds": statistics.median(r["seconds"] for r in runs), "cpu": statistics.median(r["cpu"] for r in runs),
            "peak_mb": max(r["peak_mb"] for r in runs), "code": runs[-1]["code"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", nargs="?", default=str(DEFAULT))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    commands = {
        "budgetlint check": [python, "-m", "budgetlint", "check", args.pdf, "--no-cache", "--jobs", "1"],
        "pdfminer raw pass": [python, "-c", RAW_PASS, args.pdf],
        "pdfminer extract_text": [python, "-c", EXTRACT_TEXT, args.pdf],
        "pdfplumber extract_tables": [python, "-c", PDFPLUMBER, args.pdf],
    }
    for command in commands.values():  # once, untimed: writes the bytecode caches
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENVIRONMENT)
    results = {}
    for _ in range(2):  # interleave so that machine load hits every command alike
        for name, command in commands.items():
            measured = measure(command, max(1, args.repeat // 2))
            previous = results.get(name)
            results[name] = measured if previous is None else {
                "seconds": min(previous["seconds"], measured["seconds"]),
                "cpu": min(previous["cpu"], measured["cpu"]),
                "peak_mb": max(previous["peak_mb"], measured["peak_mb"]),
                "code": measured["code"],
            }
    print(f"{args.pdf}")
    for name, r in results.items():
        note = "  (not installed?)" if name.startswith("pdfplumber") and r["code"] not in (0,) else ""
        print(f"  {name:28} {r['seconds']:6.2f} s wall  {r['cpu']:6.2f} s cpu   peak {r['peak_mb']:6.1f} MB{note}")
    for measure_name in ("seconds", "cpu"):
        label = "wall" if measure_name == "seconds" else "cpu"
        ours, raw = results["budgetlint check"][measure_name], results["pdfminer raw pass"][measure_name]
        print(f"  {label}: budgetlint / raw pass {ours / raw:.2f}x (target <= 1.1), "
              f"/ extract_text {ours / results['pdfminer extract_text'][measure_name]:.2f}x", end="")
        if results["pdfplumber extract_tables"]["code"] == 0:
            plumber = results["pdfplumber extract_tables"][measure_name]
            print(f", pdfplumber / budgetlint {plumber / ours:.2f}x (target >= 1.4)", end="")
        print()


if __name__ == "__main__":
    main()

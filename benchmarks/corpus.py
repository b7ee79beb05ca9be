"""Corpus throughput, side by side in one run: 1 job, --jobs 2, Dask LocalCluster (2 workers); cold and warm cache.

    python benchmarks/corpus.py [PDF_FOLDER]      (default: ../shared/corpus/real)

Prints documents per second for each setting, the warm-cache ratio, and a
paper estimate for 300,000 documents on N workers from the measured
per-document cost and the measured per-task overhead of the Dask scheduler.
Each setting runs the real command as a fresh process, as a user would.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpus" / "real"
NATION = 300_000


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "budgetlint", "check", *args, "--format", "json"],
                            env={**os.environ, **env}, capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"budgetlint failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    return elapsed


def dask_overhead(tasks: int = 2000) -> float:
    """Seconds of scheduler overhead per task: trivial tasks through a 2-worker LocalCluster."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        client.gather(client.map(abs, range(100)))  # warm up
        start = time.perf_counter()
        client.gather(client.map(abs, range(tasks), pure=False))
        return (time.perf_counter() - start) / tasks


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    pdfs = sorted(str(p) for p in folder.glob("*.pdf"))
    if not pdfs:
        raise SystemExit(f"no PDFs in {folder}")
    no_cache = {"BUDGETLINT_NO_CACHE": "1"}
    runs = {
        "1 job": timed([*pdfs, "--jobs", "1"], no_cache),
        "--jobs 2": timed([*pdfs, "--jobs", "2"], no_cache),
        "dask LocalCluster, 2 workers": timed([*pdfs, "--executor", "dask", "--jobs", "2"], no_cache),
    }
    with tempfile.TemporaryDirectory() as cache:
        env = {"BUDGETLINT_CACHE_DIR": cache}
        cold = timed([*pdfs, "--jobs", "1"], env)
        warm = statistics.median(timed([*pdfs, "--jobs", "1"], env) for _ in range(3))

    print(f"{len(pdfs)} PDFs from {folder}")
    for name, seconds in runs.items():
        print(f"  {name:30} {seconds:7.2f} s   {len(pdfs) / seconds:6.2f} documents/s")
    print(f"  speed-up with 2 jobs: {runs['1 job'] / runs['--jobs 2']:.2f}x")
    print(f"  cache: cold {cold:.2f} s, warm {warm:.2f} s = {warm / cold:.1%} of cold")

    per_document = runs["1 job"] / len(pdfs)
    overhead = dask_overhead()
    print(f"  per-document cost {per_document:.3f} s (one core); Dask scheduler overhead {overhead * 1000:.2f} ms/task")
    for workers in (16, 64, 256, 1024):
        hours = NATION * (per_document / workers + overhead) / 3600
        print(f"  {NATION:,} documents on {workers:5} workers: about {hours:6.2f} h")


if __name__ == "__main__":
    main()

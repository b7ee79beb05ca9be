"""Corpus scale: the Dask executor, streaming results, a worker that dies, corpus summaries.

Runs the real command in subprocesses, as a researcher would.  The Dask
tests skip when Dask is not installed (an optional extra: budgetlint[dask]).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from budgetlint.reporters.html import SCRIPT
from helpers import SHARED, reference_text

PLUGINS = Path(__file__).parent / "plugins"
needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="Dask is not installed")


def budgetlint(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(PLUGINS), "BUDGETLINT_NO_CACHE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "budgetlint", "check", *map(str, args)],
        cwd=cwd, env=environment, capture_output=True, text=True, timeout=1200,
    )


def corpus(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        (folder / f"doc{n}.txt").write_text(reference_text().replace("2.88%", f"2.{n}8%"), encoding="utf-8")
    return folder


@needs_dask
def test_dask_local_cluster_matches_one_job(tmp_path):
    corpus(tmp_path / "corpus", 6)
    local = budgetlint("corpus", "--jobs", "1", "--format", "json", cwd=tmp_path)
    dask = budgetlint("corpus", "--executor", "dask", "--jobs", "2", "--format", "json", "--stream", "stream.jsonl", cwd=tmp_path)
    assert dask.returncode == local.returncode, dask.stderr
    assert dask.stdout == local.stdout
    streamed = [json.loads(line) for line in (tmp_path / "stream.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(f["fingerprint"] + f["path"] for f in streamed) == sorted(
        f["fingerprint"] + f["path"] for f in json.loads(local.stdout)["findings"]
    )


@needs_dask
def test_a_worker_killed_mid_run_costs_one_document(tmp_path):
    folder = corpus(tmp_path / "corpus", 3)
    (folder / "killer.txt").write_text("# 2026年部门预算\n\n这份文件会杀死工作进程。\n", encoding="utf-8")
    result = budgetlint(
        "corpus", "--executor", "dask", "--jobs", "2", "-p", "killer_plugin", "--format", "json",
        cwd=tmp_path, env={"BUDGETLINT_TEST_KILL_WORKERS": "1"},
    )
    assert result.returncode == 2, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [f["code"] for f in findings if f["path"] == "corpus/killer.txt"] == ["LINT001"]
    assert {f["path"] for f in findings} >= {f"corpus/doc{n}.txt" for n in range(3)}


@needs_dask
@pytest.mark.skipif(not (SHARED / "corpus" / "real").is_dir(), reason="../shared is absent")
def test_real_corpus_through_dask_is_identical_to_one_job(tmp_path):
    pdfs = sorted((SHARED / "corpus" / "real").glob("*.pdf"))
    local = budgetlint(*pdfs, "--jobs", "1", "--format", "json", cwd=tmp_path)
    dask = budgetlint(*pdfs, "--executor", "dask", "--jobs", "2", "--format", "json", cwd=tmp_path)
    assert dask.stdout == local.stdout and dask.returncode == local.returncode, dask.stderr[-2000:]


def test_corpus_summary_by_rule_kind_year_and_department(tmp_path):
    folder = corpus(tmp_path / "corpus", 2)
    unit = reference_text().replace("2026年度部门预算公开", "2026年度单位预算公开")
    (folder / "unit.txt").write_text(unit, encoding="utf-8")
    csv_out = budgetlint("corpus", "--format", "corpus-csv", cwd=tmp_path).stdout.splitlines()
    assert csv_out[0] == "code,severity,kind,year,department,findings,documents"
    rows = [line.split(",") for line in csv_out[1:]]
    name001 = {row[2]: (int(row[5]), int(row[6])) for row in rows if row[0] == "NAME001"}
    assert name001 == {"部门预算": (4, 2), "单位预算": (2, 1)}
    assert all(row[3] == "2026" and row[4] == "朔州经济开发区组织和人力资源部" for row in rows)
    data = json.loads(budgetlint("corpus", "--format", "corpus-json", cwd=tmp_path).stdout)
    assert {d["kind"] for d in data["documents"]} == {"部门预算", "单位预算"}


def test_report_dir_links_every_document_report(tmp_path):
    corpus(tmp_path / "corpus", 3)
    result = budgetlint("corpus", "--report-dir", "reports", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(documents/[^"]+)"', index)
    assert len(links) == 3 and "部门预算" in index and "2026" in index
    for link in links:
        page = (tmp_path / "reports" / link).read_text(encoding="utf-8")
        assert "NAME001" in page and page.count("<script") == 1 and f"<script>{SCRIPT}</script>" in page

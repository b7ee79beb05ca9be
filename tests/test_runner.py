"""Batch runs: parallel jobs, per-file limits, and the result cache."""

from __future__ import annotations

import json
import sys

from click.testing import CliRunner

import budgetlint.engine
from budgetlint.cli import main
from budgetlint.isolation import Limits, run_all
from helpers import reference_text


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def make_corpus(folder, count=4):
    folder.mkdir()
    text = reference_text()
    for n in range(count):
        (folder / f"doc{n}.txt").write_text(text.replace("2.88%", f"2.{n}8%"), encoding="utf-8")
    return folder


def test_parallel_jobs_give_byte_identical_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "corpus")
    one = run("check", "corpus", "--jobs", "1", "--no-cache", "--format", "json")
    two = run("check", "corpus", "--jobs", "2", "--no-cache", "--format", "json")
    assert one.stdout == two.stdout
    assert len({f["path"] for f in json.loads(one.stdout)["findings"]}) == 4


def test_a_hanging_file_costs_one_finding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "corpus", 2)
    (tmp_path / "corpus" / "stuck.txt").write_text("# 2026年部门预算\n\n这份文件会卡住。\n", encoding="utf-8")
    result = run("check", "corpus", "-p", "slow_plugin", "--timeout", "2", "--format", "json")
    assert result.exit_code == 2
    findings = json.loads(result.stdout)["findings"]
    stuck = [f for f in findings if f["path"].endswith("stuck.txt")]
    assert [f["code"] for f in stuck] == ["LINT004"]
    assert {f["path"] for f in findings} >= {"corpus/doc0.txt", "corpus/doc1.txt"}


def test_memory_ceiling(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hungry.txt").write_text("# 2026年部门预算\n\n这份文件会吃内存。\n", encoding="utf-8")
    result = run("check", "hungry.txt", "-p", "slow_plugin", "--memory-limit", "400", "--format", "json")
    assert result.exit_code == 2
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["code"] == "LINT004" and "MB" in finding["message"]


def test_second_run_reads_the_cache_and_parses_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "corpus", 2)
    cold = run("check", "corpus", "--format", "json", "--timeout", "0")

    def no_parsing(*args, **kwargs):
        raise AssertionError("a cached file was parsed again")

    monkeypatch.setattr(budgetlint.engine.Linter, "lint_parts", no_parsing)
    warm = run("check", "corpus", "--format", "json", "--timeout", "0")
    assert warm.stdout == cold.stdout
    (tmp_path / "corpus" / "doc1.txt").write_text(reference_text() + "\n补充。\n", encoding="utf-8")
    try:
        run("check", "corpus", "--format", "json", "--timeout", "0")
    except AssertionError as exc:
        assert "parsed again" in str(exc)  # the changed file, and only it, is parsed
    else:
        raise AssertionError("a changed file was served from the cache")


def test_no_cache_flag_and_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make_corpus(tmp_path / "corpus", 1)
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("BUDGETLINT_CACHE_DIR", str(cache_dir))
    run("check", "corpus", "--no-cache")
    assert not cache_dir.exists()
    monkeypatch.setenv("BUDGETLINT_NO_CACHE", "1")
    run("check", "corpus")
    assert not cache_dir.exists()
    monkeypatch.delenv("BUDGETLINT_NO_CACHE")
    run("check", "corpus")
    assert list(cache_dir.rglob("*.json"))


def test_a_disclosure_in_two_parts_is_one_document(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = reference_text()
    split = text.index("### 第三部分")
    (tmp_path / "tables.txt").write_text(text[:split], encoding="utf-8")
    (tmp_path / "narrative.txt").write_text(text[split:], encoding="utf-8")
    result = run("check", "--document", "tables.txt,narrative.txt", "--select", "TXT", "--format", "json", "--no-cache")
    findings = json.loads(result.stdout)["findings"]
    assert {f["path"] for f in findings} == {"narrative.txt"}  # each finding points at its own part
    assert {f["code"] for f in findings} == {"TXT001", "TXT002", "TXT004"}


def test_parts_can_be_grouped_in_the_configuration(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = reference_text()
    split = text.index("### 第三部分")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "tables.txt").write_text(text[:split], encoding="utf-8")
    (tmp_path / "docs" / "narrative.txt").write_text(text[split:], encoding="utf-8")
    (tmp_path / "budgetlint.toml").write_text('documents = [["docs/tables.txt", "docs/narrative.txt"]]\n', encoding="utf-8")
    result = run("check", "docs", "--select", "TXT,LINT", "--format", "json", "--no-cache")
    assert json.loads(result.stdout)["summary"]["files_checked"] == 1


def _drop_a_generator_that_fails_to_close(_task: int) -> str:
    def pages():
        try:
            yield 1
            yield 2
        finally:
            raise MemoryError  # as pdfminer.six's page generator does when memory ran out mid-page

    started = pages()
    next(started)
    del started  # closed here, where Python can only print the error
    return "done"


def test_a_child_prints_no_traceback_for_errors_python_cannot_raise(capfd, monkeypatch):
    monkeypatch.setattr(sys, "unraisablehook", sys.__unraisablehook__)  # Python's own, which prints; not pytest's
    outcomes = list(run_all(_drop_a_generator_that_fails_to_close, [1], jobs=1, limits=Limits(seconds=30, memory_mb=0)))
    assert [outcome.result for outcome in outcomes] == ["done"]
    assert "Traceback" not in capfd.readouterr().err

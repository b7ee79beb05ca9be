"""What a user sees when something is wrong, and in the first hour: one-line errors, one language, plain counts."""

from __future__ import annotations

import functools
import http.server
import io
import json
import re
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetlint.catalogue import tomllib
from budgetlint.cli import main
from budgetlint.inputs import REMOTE_PACKAGES
from budgetlint.reporters.builtin import budgetlint_formats
from helpers import reference_text

NARRATIVE = (
    "# 2026年度部门预算公开\n\n## 第一部分 概况\n\n"
    "本部门2026年收入预算1,491.74万元，支出预算1,491.74万元。\n\n"
    "## 第二部分 情况说明\n\n一般公共预算支出主要用于保障机构正常运转。\n"
)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["check", "--no-cache", *args], env=env, catch_exceptions=False)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A clean working directory (no config above it) holding the reference document as budget.txt."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "budget.txt").write_text(reference_text(), encoding="utf-8")
    return tmp_path


def one_line_error(result, *fragments: str) -> None:
    """Exit code 2 and a single ``Error:`` line holding ``fragments``, no traceback."""
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert all(fragment in lines[0] for fragment in fragments), lines[0]
    assert "Traceback" not in result.output


# --- errors a user should never see ---------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    [("-o", "missing/out.txt"), ("--output", "html:missing/x.html"), ("--baseline-write", "missing/b.json"),
     ("--stream", "missing/s.jsonl")],
)
def test_an_output_in_a_missing_folder_is_a_one_line_error(folder, option):
    one_line_error(run("budget.txt", "--lang", "en", *option), "Cannot write", "missing", "the folder does not exist")


def test_an_output_that_is_a_folder_is_a_one_line_error(folder):
    (folder / "out").mkdir()
    one_line_error(run("budget.txt", "--output", "json:out"), "无法写入 out：这是一个目录")


def test_a_missing_or_broken_baseline_is_a_one_line_error_in_the_chosen_language(folder):
    one_line_error(run("budget.txt", "--baseline", "none.json"), "无法使用基线 none.json：文件不存在")
    (folder / "other.json").write_text('{"format": "x"}', encoding="utf-8")
    one_line_error(run("budget.txt", "--baseline", "other.json", "--lang", "en"),
                   "Cannot use the baseline other.json: not a budgetlint baseline (format 'x')")


def test_no_path_checks_the_current_folder(folder):
    result = run("--select", "TXT002")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("budget.txt:")


def test_no_path_in_an_empty_folder_names_the_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    one_line_error(run(), "没有找到要检查的文件：.")


def test_a_glob_matching_nothing_says_so(folder):
    result = run("nothing-*.pdf", "--lang", "en")
    assert "nothing-*.pdf: LINT001 [error] Cannot read this file: no file matches this pattern" in result.stdout
    assert "file not found" not in result.stdout


def test_reader_reasons_follow_the_language(folder):
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "junk.pdf").write_bytes(b"PK\x03\x04 a zip file")
    zh = run("empty.pdf", "junk.pdf").stdout
    assert "empty.pdf: LINT001 [error] 无法读取该文件：文件是空的" in zh
    assert "junk.pdf: LINT001 [error] 无法读取该文件：不是 PDF 文件（没有 %PDF 文件头）" in zh
    en = run("empty.pdf", "--lang", "en").stdout
    assert "Cannot read this file: the file is empty" in en


@pytest.mark.parametrize("name", ["table.docx", "table.xlsx"])
def test_office_files_name_the_supported_types(folder, name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    (folder / name).write_bytes(buffer.getvalue())
    suffix = name[name.index("."):]
    en = run(name, "--lang", "en").stdout
    assert f"{suffix} files are not supported (supported: .md, .pdf, .text, .txt); save the file as PDF or text" in en
    assert f"不支持 {suffix} 文件（支持：.md, .pdf, .text, .txt），请将其另存为 PDF 或文本文件" in run(name).stdout


def test_dask_missing_is_said_in_the_chosen_language(folder, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    one_line_error(run("budget.txt", "--executor", "dask"), "--executor dask 需要 Dask")


def test_the_summary_follows_the_language_of_the_files_config(folder):
    (folder / "sub").mkdir()
    (folder / "budget.txt").rename(folder / "sub" / "budget.txt")
    (folder / "sub" / "budgetlint.toml").write_text('lang = "en"\n', encoding="utf-8")
    result = run("sub/budget.txt")
    assert " in 1 file; " in result.stdout.splitlines()[-1], result.stdout
    assert "检查了" not in result.stdout


EXITING_PLUGIN = """
import os
from budgetlint.findings import Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import Rule


def leave(context):
    os._exit(3)


@hookimpl
def budgetlint_rules():
    text = {"zh": "测试", "en": "test"}
    docs = {"en": {"what": "Exits.", "why": "To test a dying child.", "example": "-", "authority": "-"}}
    return [Rule("EXIT001", "exits", Severity.INFO, text, {"default": text}, docs, check=leave)]
"""


def test_a_child_that_dies_is_reported_in_the_chosen_language(folder, monkeypatch):
    (folder / "exiting_plugin.py").write_text(EXITING_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    result = run("budget.txt", "-p", "exiting_plugin")
    assert "budget.txt: LINT001 [error] 无法读取该文件：检查进程意外退出" in result.stdout
    assert "crash" not in result.stdout


def locked_pdf(password: str) -> bytes:
    """A one-page PDF that opens only with ``password``."""
    pypdf = pytest.importorskip("pypdf")
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    plain = io.BytesIO()
    page = canvas.Canvas(plain)
    page.drawString(60, 700, "budget")
    page.save()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(plain.getvalue())))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    return locked.getvalue()


def test_a_wrong_password_is_said_to_be_wrong(folder):
    (folder / "locked.pdf").write_bytes(locked_pdf("secret"))
    missing = run("locked.pdf", "--lang", "en").stdout
    assert "LINT006 [error] The file is encrypted and needs a password" in missing
    wrong = run("locked.pdf", "--lang", "en", "--password", "guess").stdout
    assert "LINT006 [error] The password is wrong" in wrong
    assert "密码不正确" in run("locked.pdf", "--password", "guess").stdout


def test_a_narrative_without_tables_is_told_to_join_its_tables(folder):
    (folder / "narrative.txt").write_text(NARRATIVE, encoding="utf-8")
    result = run("narrative.txt", "--lang", "en", "--min-severity", "info")
    assert "LINT005 [info] This file holds text but no tables" in result.stdout
    assert "--document narrative.pdf,tables.pdf" in result.stdout


def test_a_file_with_tables_that_are_not_a_budget_keeps_the_plain_message(folder):
    (folder / "invoice.txt").write_text("# 发票\n\n品名\t数量\t金额\n纸张\t2\t30.00\n", encoding="utf-8")
    assert "This file does not look like a budget" in run("invoice.txt", "--lang", "en", "--min-severity", "info").stdout


def test_a_url_without_the_remote_extra_names_the_extra(folder, monkeypatch):
    monkeypatch.setitem(sys.modules, "fsspec", None)
    result = run("http://127.0.0.1:9/budget.txt", "--lang", "en", "--timeout", "0")
    assert "needs fsspec, aiohttp, requests: pip install 'budgetlint[remote]'" in result.stdout


def test_the_remote_extra_brings_everything_http_needs():
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    extra = pyproject["project"]["optional-dependencies"]["remote"]
    assert {re.split(r"[<>=\[]", requirement)[0] for requirement in extra} == set(REMOTE_PACKAGES)
    assert set(REMOTE_PACKAGES) == {"fsspec", "aiohttp", "requests"}


def test_a_url_is_read_over_http_with_the_remote_extra(folder):
    for module in ("fsspec", "aiohttp", "requests"):
        pytest.importorskip(module)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/budget.txt"
        remote = json.loads(run(url, "--format", "json", "--select", "TXT").stdout)
        local = json.loads(run("budget.txt", "--format", "json", "--select", "TXT").stdout)
    finally:
        server.shutdown()
        server.server_close()
    assert remote["findings"] and [f["code"] for f in remote["findings"]] == [f["code"] for f in local["findings"]]
    assert {f["path"] for f in remote["findings"]} == {url}


# --- the first hour -----------------------------------------------------------------------


def test_statistics_print_the_statistics_only(folder):
    result = run("budget.txt", "--statistics")
    lines = result.stdout.splitlines()
    assert lines[0] == "按规则统计" and "按文件统计" in lines
    assert not [line for line in lines if line.startswith("budget.txt:")]


def test_with_an_output_file_the_summary_goes_to_stderr(folder):
    result = run("budget.txt", "-o", "out.txt")
    assert result.stdout == ""
    assert result.stderr.strip().startswith("共 ") and "检查了 1 份文件" in result.stderr
    assert (folder / "out.txt").read_text(encoding="utf-8").splitlines()[-1] == result.stderr.strip()


def test_a_document_in_parts_counts_one_document_of_two_pdfs(folder):
    (folder / "a.pdf").write_bytes(b"")
    (folder / "b.pdf").write_bytes(b"")
    zh = run("--document", "a.pdf,b.pdf").stdout.splitlines()[-1]
    assert zh.endswith("检查了 1 份文件（2 个 PDF）"), zh
    en = run("--document", "a.pdf,b.pdf", "--lang", "en").stdout.splitlines()[-1]
    assert en == "1 finding (1 error, 0 warnings, 0 info) in 1 file (2 PDFs)"


def test_english_counts_are_singular_for_one(folder):
    result = run("budget.txt", "--select", "TXT002", "--lang", "en")
    assert result.stdout.splitlines()[-1] == "1 finding (0 errors, 1 warning, 0 info) in 1 file"


def test_check_help_lists_the_formats():
    help_text = CliRunner().invoke(main, ["check", "--help"], terminal_width=400, max_content_width=400).stdout
    assert "--format FORMAT" in help_text
    assert "concise, full, grouped, json, jsonl, sarif, github, junit, html, corpus-csv, corpus-json" in help_text


def test_rules_has_a_header_and_aligned_columns():
    lines = CliRunner().invoke(main, ["rules", "--lang", "en"]).stdout.splitlines()
    assert lines[0].split() == ["code", "name", "severity", "plugin", "title"]
    starts = {line.index(line.split()[2], len(line.split()[0]) + len(line.split()[1])) for line in lines}
    assert len(starts) == 1  # the severity column starts at the same place on every line


# --- the documentation a new user reads first -------------------------------------------------

ROOT = Path(__file__).parents[1]


def test_the_readme_says_why_the_quick_start_exits_1(monkeypatch):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"budgetlint check (docs/examples/\S+)", readme)
    assert run(command[1], "--select", "IND002").exit_code == 1
    quick_start = readme[readme.index("## Quick start"):readme.index("## Sample output")]
    assert "exits with code 1" in quick_start and "0:" in quick_start and "2:" in quick_start


def test_the_readme_lists_every_builtin_format():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    formats = " ".join(readme[readme.index("Output formats:"):].split("\n\n")[0].split())
    assert [f.name for f in budgetlint_formats() if f"`{f.name}`" not in formats] == []


def test_the_configuration_docs_name_every_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "budgetlint.toml").write_text("selekt = 1\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("文字\n", encoding="utf-8")
    known = re.search(r"\(known: ([^)]*)\)", run("a.txt").stderr)[1].split(", ")
    docs = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert [key for key in known if f"| `{key}` |" not in docs] == []
    assert re.search(r"\(known: ([^)]*)\)", docs)[1].split(", ") == known

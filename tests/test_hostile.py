"""Hostile and broken input: every file gets an answer, none crashes or hangs the run.

These run the real command in a subprocess, so a traceback on the terminal
would show.  PDF inputs have their own module (test_hostile_pdf.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import reference_text


def budgetlint(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BUDGETLINT_NO_CACHE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "budgetlint", "check", *map(str, args), "--format", "json"],
        cwd=cwd, env=env, capture_output=True, timeout=300,
    )


def outcome(result: subprocess.CompletedProcess) -> dict[str, list[dict]]:
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    by_file: dict[str, list[dict]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        by_file.setdefault(finding["path"], []).append(finding)
    return by_file


CASES = {
    "empty.txt": b"",
    "garbage.txt": os.urandom(4096),
    "nul-bytes.txt": reference_text().encode("utf-8").replace("。".encode(), b"\x00", 5),
    "utf16.txt": reference_text().encode("utf-16"),
    "gb18030.txt": reference_text().encode("gb18030"),
    "bom.txt": reference_text().encode("utf-8-sig"),
    "novel.txt": ("第一章\n\n" + "他推开门，看见窗外的雪下得正紧。屋里的炉火已经熄了，桌上放着一封没有拆开的信。\n" * 40).encode(),
    "invoice.txt": "增值税普通发票\n\n购买方\t某某公司\n项目\t数量\t单价\t金额\n办公用纸\t10\t25.00\t250.00\n合计\t\t\t250.00\n".encode(),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    inputs = root / "收到的 文件"
    inputs.mkdir()
    for name, data in CASES.items():
        (inputs / name).write_bytes(data)
    (inputs / "loop").symlink_to(inputs, target_is_directory=True)
    (inputs / "dangling.txt").symlink_to(root / "nowhere.txt")
    (inputs / "a-directory.txt").mkdir()
    return root


@pytest.fixture(scope="module")
def results(folder) -> dict[str, list[dict]]:
    result = budgetlint("收到的 文件", cwd=folder)
    assert result.returncode == 2  # some inputs could not be read
    return outcome(result)


def codes(results, name) -> set[str]:
    return {f["code"] for f in results.get(f"收到的 文件/{name}", [])}


def test_every_readable_file_is_checked_and_loops_are_followed_once(results):
    assert "收到的 文件/loop/empty.txt" not in results
    assert all(not path.startswith("收到的 文件/loop/loop") for path in results)


def test_empty_and_garbage_files(results):
    assert codes(results, "empty.txt") <= {"LINT005"}
    assert codes(results, "garbage.txt") == {"LINT001"}


@pytest.mark.parametrize("name", ["nul-bytes.txt", "utf16.txt", "gb18030.txt", "bom.txt"])
def test_encodings_and_nul_bytes_read_as_the_reference(results, name):
    found = codes(results, name)
    assert "LINT001" not in found and {"NAME001", "IND001"} & found or "TXT002" in found


def test_not_budgets_get_an_info_and_no_errors(results):
    for name in ("novel.txt", "invoice.txt"):
        findings = results.get(f"收到的 文件/{name}", [])
        assert "LINT005" in {f["code"] for f in findings}
        assert not [f for f in findings if f["severity"] == "error"]


def test_unreadable_paths_are_reported(results):
    assert codes(results, "dangling.txt") == {"LINT001"}


def test_a_missing_path_and_a_good_file_together(tmp_path):
    (tmp_path / "预算 2026.txt").write_text(reference_text(), encoding="utf-8")
    result = budgetlint("预算 2026.txt", "不存在.txt", cwd=tmp_path)
    by_file = outcome(result)
    assert result.returncode == 2
    assert {f["code"] for f in by_file["不存在.txt"]} == {"LINT001"}
    assert len(by_file["预算 2026.txt"]) > 1

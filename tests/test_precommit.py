"""The pre-commit hook (.pre-commit-hooks.yaml), run by the real ``pre-commit``.

The failing case runs the configuration docs/pre-commit.md gives, verbatim but for
the repository's address, after the ``pre-commit autoupdate`` it tells users to run;
the passing case uses ``pre-commit try-repo``, as the doc's "Trying a change" does.

try-repo clones the hook repository at a commit, so the working tree (tracked
and untracked files, less what .gitignore excludes) is copied into a fresh
repository and committed there: the hook is tested as the tree stands, not as
the last commit left it.  pre-commit then builds its own virtual environment
and installs budgetlint from that copy, which needs the package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REFERENCE, codes, inject, lint, reference_text

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = "2026年部门预算.txt"
# The defect: a phrase typed twice (TXT003), made an error so that the default fail level catches it.
CONFIG = 'select = ["TXT003"]\n\n[severity]\nTXT003 = "error"\n'
DEFECT = ("其中：基本支出152.01万元", "其中：基本支出基本支出152.01万元")
PUBLISHED = "https://github.com/budgetlint/budgetlint"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not available")


def _env() -> dict[str, str]:
    """The environment without git variables that would point git at another repository."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}


def _git(*args: str, cwd: Path) -> str:
    identity = ("-c", "user.name=budgetlint tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false")
    done = subprocess.run(["git", *identity, *args], cwd=cwd, env=_env(), capture_output=True, text=True, check=True)
    return done.stdout


def _snapshot(target: Path) -> Path:
    """This working tree, copied into a new repository at ``target`` and committed."""
    try:
        listing = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    except subprocess.CalledProcessError:
        pytest.skip("the project is not a git working tree")
    for name in filter(None, listing.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "--no-verify", "-m", "working tree", cwd=target)
    return target


def _pre_commit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "pre_commit", *args, "--color", "never"]
    return subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, timeout=1200)


def _try_repo(hook_repo: Path, cwd: Path) -> subprocess.CompletedProcess:
    return _pre_commit("try-repo", str(hook_repo), "budgetlint", "--all-files", cwd=cwd)


def documented_config() -> str:
    """The first YAML block of docs/pre-commit.md: the configuration users copy."""
    text = (ROOT / "docs" / "pre-commit.md").read_text(encoding="utf-8")
    return text.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_manifest_declares_the_hook():
    identify = pytest.importorskip("identify.identify")
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "budgetlint"
    assert hook["entry"] == "budgetlint check"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert set(hook["types_or"]) <= identify.ALL_TAGS
    # The tags select exactly the files budgetlint has readers for.
    for name in ("预算.txt", "说明.md", "决算.pdf"):
        assert identify.tags_from_filename(name) & set(hook["types_or"]), name
    assert not identify.tags_from_filename("data.csv") & set(hook["types_or"])


def test_hook_fails_on_a_defect_and_passes_once_fixed(tmp_path):
    defective = inject(*DEFECT)
    # The premise, checked in-process: only the injected defect is a finding under CONFIG's selection.
    assert codes(lint(reference_text(), select=("TXT003",))) == []
    assert codes(lint(defective, select=("TXT003",))) == ["TXT003"]

    (tmp_path / "hooks").mkdir()
    hook_repo = _snapshot(tmp_path / "hooks")
    documents = tmp_path / "documents"
    documents.mkdir()
    _git("init", "-q", cwd=documents)
    (documents / "budgetlint.toml").write_text(CONFIG, encoding="utf-8")
    (documents / DOCUMENT).write_text(defective, encoding="utf-8")
    _git("add", "-A", cwd=documents)

    config = documented_config()
    assert PUBLISHED in config
    (documents / ".pre-commit-config.yaml").write_text(config.replace(PUBLISHED, str(hook_repo)), encoding="utf-8")
    updated = _pre_commit("autoupdate", cwd=documents)
    assert updated.returncode == 0, updated.stdout + updated.stderr
    head = _git("rev-parse", "HEAD", cwd=hook_repo).strip()
    (repo,) = yaml.safe_load((documents / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"]
    assert repo["rev"] == head
    _git("add", "-A", cwd=documents)

    failed = _pre_commit("run", "--all-files", cwd=documents)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "budgetlint" in output and "Failed" in output
    assert "- exit code: 1" in output  # budgetlint's own "findings at the fail level", not a usage error
    assert f"{DOCUMENT}:" in output and "TXT003 [error]" in output

    shutil.copyfile(REFERENCE, documents / DOCUMENT)
    _git("add", "-A", cwd=documents)
    passed = _try_repo(hook_repo, documents)
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "Passed" in output and "TXT003" not in output

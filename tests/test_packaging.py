"""The wheel, installed into a fresh virtual environment, works as a new user would run it.

Also installs the example third-party plugin package (tests/plugins/example_package)
into that environment and checks its rule runs, can be blocked, and is listed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "shuozhou-devzone-hr-2026-budget.txt"
PLUGIN_PACKAGE = Path(__file__).parent / "plugins" / "example_package"


def _run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    merged = {k: v for k, v in os.environ.items() if k != "BUDGETLINT_DISABLE_PLUGIN_AUTOLOAD"}
    merged.update(env or {})
    return subprocess.run([str(a) for a in args], cwd=cwd, env=merged, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    """A new virtual environment with the budgetlint wheel built from this tree installed."""
    work = tmp_path_factory.mktemp("packaging")
    wheels = work / "wheels"
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, ROOT)
    assert built.returncode == 0, built.stderr
    wheel = next(wheels.glob("budgetlint-*.whl"))
    target = work / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    installed = _run(python, "-m", "pip", "install", "--quiet", wheel)
    assert installed.returncode == 0, installed.stderr
    return target


def test_wheel_installs_and_lints_the_bundled_example(fresh_venv, tmp_path):
    result = _run(fresh_venv / "bin" / "budgetlint", "check", EXAMPLE, "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {f["code"][:3] for f in findings} >= {"TXT"}
    listing = _run(fresh_venv / "bin" / "budgetlint", "plugins").stdout
    for builtin in ("text-reader", "formats", "txt", "budget-model"):
        assert builtin in listing
    docs = _run(fresh_venv / "bin" / "budgetlint", "rule", "TXT001", "--lang", "en")
    assert docs.returncode == 0 and "What it does" in docs.stdout


def test_wheel_ships_only_budgetlint_owned_import_names(fresh_venv, tmp_path):
    python = fresh_venv / "bin" / "python"
    probe = "import importlib.util as u; print([n for n in ('plugins', 'rules') if u.find_spec(n)])"
    assert _run(python, "-c", probe, cwd=tmp_path).stdout.strip() == "[]"
    owned = (
        "import budgetlint_plugins.txt, budgetlint_rules, importlib.resources as r; "
        "print(r.files('budgetlint_rules').joinpath('tables.toml').is_file())"
    )
    assert _run(python, "-c", owned, cwd=tmp_path).stdout.strip() == "True"


def test_third_party_plugin_package(fresh_venv, tmp_path):
    pip = _run(fresh_venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--no-deps", PLUGIN_PACKAGE)
    assert pip.returncode == 0, pip.stderr
    document = tmp_path / "draft.txt"
    document.write_text("# 2026年部门预算\n\n部分支出安排待定，将另行公布。\n", encoding="utf-8")
    budgetlint = fresh_venv / "bin" / "budgetlint"

    ran = _run(budgetlint, "check", document, "--format", "json")
    assert "EXA001" in {f["code"] for f in json.loads(ran.stdout)["findings"]}, ran.stderr
    blocked = _run(budgetlint, "check", document, "--format", "json", "-p", "no:example")
    assert "EXA001" not in {f["code"] for f in json.loads(blocked.stdout)["findings"]}
    no_autoload = _run(budgetlint, "check", document, "--format", "json", env={"BUDGETLINT_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert "EXA001" not in {f["code"] for f in json.loads(no_autoload.stdout)["findings"]}
    listing = _run(budgetlint, "plugins").stdout
    assert any(line.split()[:3] == ["example", "budgetlint-example", "1.2.3"] for line in listing.splitlines())
    assert "EXA001" in listing

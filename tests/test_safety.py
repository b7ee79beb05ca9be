"""Checking untrusted files never runs code from them, nor from the folders they sit in.

Plugins load only from installed entry points and ``-p MODULE``; the
configuration file and rule packs are TOML data, and a pack's message can
name its fields but not reach into them.  (That reports escape what
documents contain is proved in test_reporters.py, test_html_report.py and
test_consumers.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from budgetlint_plugins.packs import ENV, PackError, rules_from_pack
from helpers import reference_text

COMMAND = Path(sys.executable).with_name("budgetlint")  # the installed script: no working directory on sys.path
TRAP = "from pathlib import Path\nPath(__file__).with_suffix('.ran').write_text('imported')\n"
TRAPS = ("evil.py", "conftest.py", "setup.py", "budgetlint_plugins.py", "budgetlint_evil.py", "pluggy.py")
PACK = """
[SHX001]
kind = "pattern"
name = "department-named"
severity = "info"
title = { zh = "部门名称", en = "Department named" }
messages.default = { zh = "提到“{match}”", en = "Mentions {match}" }
docs.en = { what = "x", why = "x", example = "x", authority = "Documented practice." }
pattern = '组织和人力资源部'
"""


@pytest.mark.skipif(not COMMAND.exists(), reason="budgetlint is not installed as a script")
def test_nothing_in_the_checked_folder_or_its_configuration_is_imported(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for folder in (tmp_path, inbox):
        for name in TRAPS:
            (folder / name).write_text(TRAP, encoding="utf-8")
    (inbox / "budgetlint.toml").write_text(
        '[plugins.evil]\nmodule = "evil"\npath = "evil.py"\n[plugins.conftest]\nimport = "conftest"\n', encoding="utf-8"
    )
    (inbox / "pack.toml").write_text(PACK, encoding="utf-8")
    (inbox / "预算.txt").write_text(reference_text(), encoding="utf-8")

    env = {**os.environ, "BUDGETLINT_NO_CACHE": "1", ENV: str(inbox / "pack.toml")}
    result = subprocess.run([str(COMMAND), "check", "inbox", "--format", "json"], cwd=tmp_path, env=env,
                            capture_output=True, timeout=300)
    assert result.returncode == 1, result.stderr.decode(errors="replace")
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert "SHX001" in codes  # the pack was read as data and used
    assert not sorted(tmp_path.rglob("*.ran"))  # no trap was imported


@pytest.mark.parametrize("placeholder", ["{match.__class__}", "{match[0]}", "{context.__init__.__globals__}"])
def test_a_pack_message_cannot_reach_into_its_fields(tmp_path, placeholder):
    path = tmp_path / "pack.toml"
    path.write_text(PACK.replace("Mentions {match}", f"Mentions {placeholder}"), encoding="utf-8")
    with pytest.raises(PackError, match=r"\[SHX001\] messages.default.en: unknown placeholder"):
        rules_from_pack(path)

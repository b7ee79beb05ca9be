"""Make the test plugins under tests/plugins importable for ``-p MODULE``; shared fixtures."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "plugins"))


import pytest
from helpers import reference_text


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own result cache, never the user's."""
    monkeypatch.setenv("BUDGETLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def reference(tmp_path, monkeypatch):
    """A copy of the reference document in a clean working directory (no config above it)."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "budget.txt"
    path.write_text(reference_text(), encoding="utf-8")
    return path

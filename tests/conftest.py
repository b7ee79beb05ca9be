"""Make the test plugins under tests/plugins importable for ``-p MODULE``."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "plugins"))


import pytest


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own result cache, never the user's."""
    monkeypatch.setenv("BUDGETLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))

"""The PDF renderings of the reference document give the findings of its text form.

Skipped without ../shared.  Ruled renderings must match exactly, by code and
fingerprint.  Renderings that truly lack structure (three-line tables, no
rulings) or carry only the tables degrade gracefully: fewer findings, and no
error the text form does not have.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from helpers import REFERENCE, SHARED

GENERATED = SHARED / "corpus" / "generated"
EXACT = ["seed-libreoffice", "seed-libreoffice-cairo", "seed-libreoffice-norepeat", "seed-reportlab",
         "seed-reportlab-stsong", "seed-reportlab-cells"]
DEGRADED = ["seed-reportlab-hlines", "seed-reportlab-norules", "seed-calc"]

pytestmark = pytest.mark.skipif(not GENERATED.is_dir(), reason="../shared is absent")


def findings(path) -> set[tuple[str, str, str]]:
    result = subprocess.run([sys.executable, "-m", "budgetlint", "check", str(path), "--format", "json", "--no-cache"],
                            capture_output=True, text=True, timeout=600)
    return {(f["code"], f["fingerprint"], f["severity"]) for f in json.loads(result.stdout)["findings"]}


@pytest.fixture(scope="module")
def reference() -> set[tuple[str, str, str]]:
    return findings(REFERENCE)


@pytest.mark.parametrize("name", EXACT)
def test_ruled_renderings_match_the_text_exactly(reference, name):
    assert findings(GENERATED / f"{name}.pdf") == reference


@pytest.mark.parametrize("name", DEGRADED)
def test_unstructured_renderings_degrade_without_false_errors(reference, name):
    got = findings(GENERATED / f"{name}.pdf")
    errors = {f for f in got if f[2] == "error"}
    assert errors <= reference
    assert len(got) < len(reference) or name == "seed-calc"

"""The machine-readable formats, as the tools that consume them read them.

SARIF is read by Microsoft's sarif-tools (the ``sarif`` command) and checked
against what GitHub code scanning needs; ``--format github`` is parsed by the
rules of the Actions runner (ActionCommand.TryParseV2); ``--format junit`` is
read by junitparser.  Every document comes from the real command line, and
each format is compared with the JSON output of the same run.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from junitparser import Failure, JUnitXml

from helpers import REFERENCE, SHARED, codes, inject, lint, reference_text

SCHEMA = SHARED / "sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# A doubled comma inside a passage the reference prints twice on one line: one defect, two findings
# with the same fingerprint; the context also holds a "%", which the github format must escape.
REPEATED = ("增长2.88%，主要", "增长2.88%，，主要")


def budgetlint(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    """The real command line, run in ``cwd``; findings are fine, a usage error is not."""
    done = subprocess.run([sys.executable, "-m", "budgetlint", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stderr
    return done


def sarif_tool(*args: str | Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "sarif", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def levels(log: dict) -> Counter:
    return Counter(result["level"] for run in log["runs"] for result in run["results"])


# --- SARIF: sarif-tools -------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference_sarif(tmp_path_factory) -> tuple[Path, dict, list[dict]]:
    """The SARIF and JSON of the reference document, checked from the repository root by absolute path."""
    out = tmp_path_factory.mktemp("sarif")
    root = REFERENCE.parents[2]
    budgetlint("check", REFERENCE, "--format", "sarif", "-o", out / "reference.sarif",
               "--output", f"json:{out / 'reference.json'}", cwd=root)
    log = json.loads((out / "reference.sarif").read_text(encoding="utf-8"))
    findings = json.loads((out / "reference.json").read_text(encoding="utf-8"))["findings"]
    return out / "reference.sarif", log, findings


def test_sarif_tools_summary_counts_every_level(reference_sarif):
    path, log, findings = reference_sarif
    summary = sarif_tool("summary", path)
    assert summary.returncode == 0, summary.stderr
    expected = Counter(LEVELS[f["severity"]] for f in findings)
    for level in ("error", "warning", "note"):
        assert f"{level}: {expected[level]}" in summary.stdout.splitlines()
    assert levels(log) == expected


def test_sarif_tools_reads_locations_as_the_json_gives_them(reference_sarif, tmp_path):
    path, _, findings = reference_sarif
    done = sarif_tool("csv", "-o", tmp_path / "issues.csv", path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "issues.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    read = Counter((r["Code"], r["Severity"], r["Location"], r["Line"], r["Description"]) for r in rows)
    given = Counter(
        (f["code"], LEVELS[f["severity"]], REFERENCE.relative_to(REFERENCE.parents[2]).as_posix(), str(f["line"] or 1), f["message"])
        for f in findings
    )
    assert read == given


def test_sarif_tools_shows_the_page_of_a_pdf_finding(tmp_path):
    """A PDF result sits at line 1 of the file; its message must say which page."""
    pdf = SHARED / "corpus" / "generated" / "seed-reportlab.pdf"
    if not pdf.is_file():
        pytest.skip("../shared/corpus/generated is not available")
    shutil.copyfile(pdf, tmp_path / "budget.pdf")
    budgetlint("check", "budget.pdf", "--format", "sarif", "-o", "out.sarif", "--output", "json:out.json", cwd=tmp_path)
    findings = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["findings"]
    assert any(f["line"] is None and f["page"] for f in findings)
    done = sarif_tool("csv", "-o", tmp_path / "issues.csv", tmp_path / "out.sarif")
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "issues.csv", encoding="utf-8", newline="") as handle:
        read = Counter((r["Location"], r["Line"], r["Description"]) for r in csv.DictReader(handle))
    given = Counter(
        ("budget.pdf", "1", f"page {f['page']}: {f['message']}" if f["line"] is None and f["page"] else f["message"])
        for f in findings
    )
    assert read == given


@pytest.mark.parametrize(
    "config, errors",
    [
        ('select = ["TXT003"]\n[severity]\nTXT003 = "error"\n', True),  # the injected defect, made an error
        ('select = ["TXT003"]\n', False),  # the same defect at its default level, warning
        ('select = ["TXT003"]\nignore = ["TXT003"]\n', False),  # no results at all
    ],
)
def test_sarif_tools_check_fails_exactly_on_error_results(tmp_path, config, errors):
    defective = inject("其中：基本支出152.01万元", "其中：基本支出基本支出152.01万元")
    assert codes(lint(defective, select=("TXT003",))) == ["TXT003"]
    write(tmp_path / "budgetlint.toml", config)
    write(tmp_path / "budget.txt", defective)
    budgetlint("check", "budget.txt", "--format", "sarif", "-o", "out.sarif", cwd=tmp_path)
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert (levels(log)["error"] > 0) is errors

    check = sarif_tool("--check", "error", "summary", tmp_path / "out.sarif")
    assert (check.returncode != 0) is errors, check.stderr
    # At the warning level, sarif-tools fails on any result.
    check = sarif_tool("--check", "warning", "summary", tmp_path / "out.sarif")
    assert (check.returncode != 0) is bool(log["runs"][0]["results"])


# --- SARIF: schema and GitHub code scanning -------------------------------------------------


def test_sarif_validates_against_the_schema(reference_sarif):
    if not SCHEMA.is_file():
        pytest.skip("../shared/sarif-schema-2.1.0.json is not available")
    import jsonschema

    _, log, _ = reference_sarif
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])


def _resolve(artifact_location: dict, run: dict, source_root: Path) -> Path:
    """Where GitHub's upload-sarif finds the file: the URI decoded, relative to the checkout."""
    if "uri" not in artifact_location:
        artifact_location = run["artifacts"][artifact_location["index"]]["location"]
    uri = artifact_location["uri"]
    assert artifact_location.get("uriBaseId") == "%SRCROOT%"
    assert not urlparse(uri).scheme and not uri.startswith("/"), uri
    return source_root / unquote(uri)


def test_sarif_is_ready_for_github_code_scanning(reference_sarif):
    _, log, findings = reference_sarif
    root = REFERENCE.parents[2]
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "budgetlint"
    # runAutomationDetails: the id is "category/" (upload-sarif's "category" input overrides it).
    assert run["automationDetails"]["id"].endswith("/") and run["automationDetails"]["id"] != "/"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert len(run["results"]) == len(findings)
    for result in run["results"]:
        assert result["ruleId"] in rules
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["region"]["startLine"] >= 1
        assert _resolve(physical["artifactLocation"], run, root) == REFERENCE
        for related in result.get("relatedLocations", []):
            assert _resolve(related["physicalLocation"]["artifactLocation"], run, root).is_file()
        assert result["partialFingerprints"]["budgetlintFingerprint/v1"]
    for artifact in run["artifacts"]:
        assert _resolve(artifact["location"], run, root).is_file()


def test_sarif_fingerprints_tell_apart_a_defect_repeated_in_one_file(tmp_path):
    """Equal partial fingerprints would merge two alerts into one on GitHub; repeats are numbered."""
    text = reference_text().replace(*REPEATED)
    for name in ("a.txt", "b.txt"):
        write(tmp_path / name, text)
    budgetlint("check", ".", "--select", "TXT002", "--format", "sarif", "-o", "out.sarif",
               "--output", "json:out.json", cwd=tmp_path)
    results = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    findings = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["findings"]
    per_file = Counter((f["path"], f["fingerprint"]) for f in findings)
    assert max(per_file.values()) == 2  # the premise: the same defect twice in each file
    keys = [
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["partialFingerprints"]["budgetlintFingerprint/v1"])
        for r in results
    ]
    assert len(set(keys)) == len(keys)
    # The first of each keeps the plain fingerprint, so it still matches the JSON output and baselines.
    assert {fp for _, fp in keys} >= {f["fingerprint"] for f in findings}


# --- github: the Actions runner's parser ----------------------------------------------------

RUNNER_COMMANDS = {"error", "warning", "notice"}
# ActionCommand.cs: the replacements applied, in this order, to property values and to the message.
UNESCAPE_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
UNESCAPE_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))


def _unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for escaped, char in mappings:
        text = text.replace(escaped, char)
    return text


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """A port of ActionCommand.TryParseV2 from actions/runner; None where the runner sees log text."""
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    name, _, props = info.partition(" ")
    if name not in RUNNER_COMMANDS:
        return None
    properties = {}
    for item in filter(None, props.strip().split(",")):
        pair = [part for part in item.split("=", 1) if part]
        if len(pair) == 2:
            properties[pair[0].lower()] = _unescape(pair[1], UNESCAPE_PROPERTY)
    return name, properties, _unescape(message[end + 2:], UNESCAPE_DATA)


def test_github_annotations_parse_as_the_runner_reads_them(tmp_path):
    write(tmp_path / "docs" / "预算,2026.txt", reference_text().replace(*REPEATED))  # "," must be escaped in file=
    write(tmp_path / "clean.md", "# 说明\n\n本文件没有问题。\n")
    done = budgetlint("check", "docs", "clean.md", "--format", "github", "--output", "json:out.json", cwd=tmp_path)
    findings = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["findings"]
    lines = done.stdout.split("\n")  # the runner splits the log on "\n" only
    assert lines.pop() == ""
    commands = [parse_workflow_command(line) for line in lines]
    assert commands[-1] is None  # the closing summary stays a log line
    annotations = commands[:-1]
    assert len(annotations) == len(findings) and None not in annotations
    assert any("%" in f["message"] for f in findings)

    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    for (kind, properties, message), finding in zip(annotations, findings):
        assert kind == kinds[finding["severity"]]
        assert properties["title"] == finding["code"]
        assert (tmp_path / properties["file"]).resolve() == (tmp_path / finding["path"]).resolve()
        if finding["line"] is None:  # a whole-file finding (clean.md is no budget: LINT005) annotates the file
            assert message.endswith(finding["message"]) and "line" not in properties
            continue
        assert message == finding["message"]
        assert properties["line"] == str(finding["line"])
        assert properties["endline"] == str(finding["end_line"] or finding["line"])
        if finding["end_line"] in (None, finding["line"]) and finding["column"] is not None:
            assert properties["col"] == str(finding["column"])
            assert properties["endcolumn"] == str(finding["end_column"])
        else:  # GitHub annotates columns only within one line
            assert "col" not in properties and "endcolumn" not in properties


# --- junit: junitparser ---------------------------------------------------------------------


def test_junit_reads_back_with_junitparser(tmp_path):
    write(tmp_path / "budget.txt", reference_text().replace(*REPEATED))
    write(tmp_path / "clean.md", "# 说明\n\n本文件没有问题。\n")
    budgetlint("check", "budget.txt", "clean.md", "--ignore", "LINT005", "--format", "junit", "-o", "out.xml",
               "--output", "json:out.json", cwd=tmp_path)
    findings = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["findings"]
    assert findings

    xml = JUnitXml.fromfile(str(tmp_path / "out.xml"))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {"budget.txt", "clean.md"}
    # The counts written match what junitparser counts from the test cases themselves.
    written = [(s.tests, s.failures, s.errors, s.skipped) for s in suites.values()]
    written_total = (xml.tests, xml.failures, xml.errors)
    for suite in suites.values():
        suite.update_statistics()
    xml.update_statistics()
    assert [(s.tests, s.failures, s.errors, s.skipped) for s in suites.values()] == written
    assert (xml.tests, xml.failures, xml.errors) == written_total
    assert xml.failures == len(findings)

    by_file = {name: [f for f in findings if f["path"] == name] for name in suites}
    assert by_file["clean.md"] == []
    (clean,) = suites["clean.md"]
    assert clean.is_passed
    cases = list(suites["budget.txt"])
    assert len(cases) == len(by_file["budget.txt"])
    for case, finding in zip(cases, by_file["budget.txt"]):
        assert not case.is_passed
        (failure,) = case.result
        assert isinstance(failure, Failure)
        assert failure.message == finding["message"]
        assert failure.type == finding["severity"]
        assert case.name.startswith(finding["code"])
        assert case.classname == "budget.txt"

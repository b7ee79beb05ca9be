"""The built-in output formats, rendered from hand-built reports."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest

from budgetlint.catalogue import ui
from budgetlint.findings import Finding, Severity
from budgetlint.location import Location
from budgetlint.plugins import load_plugins
from budgetlint.report import PluginInfo, Report
from budgetlint.reporters import builtin
from budgetlint.rules import Rule

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "sarif-schema-2.1.0.json"
FORMATS = {"concise", "full", "grouped", "json", "jsonl", "sarif", "github", "junit", "html", "corpus-csv", "corpus-json"}

TEXT = "docs/预算.txt"
PDF = "out/决算,2026.pdf"
CLEAN = "clean.txt"

SUM = Rule(
    code="SUM001",
    name="row-sum",
    severity=Severity.ERROR,
    title={"zh": "合计不等于各项之和", "en": "Total differs from the sum of its items"},
    messages={"default": {"zh": "合计 {total} 不等于各项之和 {sum}", "en": "Total {total} differs from the sum {sum}"}},
    docs={
        "en": {"what": "Checks totals.", "why": "Totals must add up.", "example": "`1 + 2 ≠ 4`", "authority": "预算法"},
        "zh": {"what": "检查合计数。", "why": "合计必须等于各项之和。", "example": "`1 + 2 ≠ 4`", "authority": "预算法"},
    },
)
NOTE = Rule(
    code="TXT001",
    name="stray-text",
    severity=Severity.WARNING,
    title={"zh": "多余文字", "en": "Stray text"},
    messages={"default": {"zh": "多余文字 {word}", "en": "Stray text {word}"}},
    docs={},
)
THIRD = Rule(
    code="XYZ001",
    name="third-party",
    severity=Severity.INFO,
    title={"zh": "第三方规则", "en": "Third-party rule"},
    messages={"default": {"zh": "提示：{what}", "en": "Note: {what}"}},
    docs={},
)
PLUGINS = (
    PluginInfo("formats", "budgetlint", "0.1.0", ("SUM001", "TXT001")),
    PluginInfo("acme", "acme-budget-rules", "2.0", ("XYZ001",)),
)

# Line 2 of the text source: 项 目 <tab> 合 计 <tab> 1 0 0 . 0 0 ; columns 4..6 are "合计".
SOURCE = ["一、收支总表", "项目\t合计\t100.00", "total = 100"]


def text_finding() -> Finding:
    location = Location(TEXT, line=2, column=4, end_line=2, end_column=6, logical=("表一 收支总表", "合计", "本年"))
    return SUM.finding(
        location,
        "zh",
        related=[Location(TEXT, line=3, column=9, end_line=3, end_column=12, logical=("表一 收支总表", "一般公共预算"))],
        evidence={
            "formula": "合计 = 一般公共预算 + 政府性基金",
            "values": {"合计": Decimal("100.00"), "各项之和": Decimal("90.10")},
            "tolerance": Decimal("0.01"),
        },
        total=Decimal("100.00"),
        sum=Decimal("90.10"),
    )


def pdf_finding() -> Finding:
    location = Location(PDF, page=3, bbox=(72.0, 100.5, 210.25, 118.0), logical=("表二 支出总表", "基本支出"))
    return NOTE.finding(location, "zh", word="ＡＢＣ")


def hostile_finding() -> Finding:
    """A message carrying what a document could smuggle in: newlines, escapes, markup, %, :, ,."""
    message = "行1\n行2\r<b>&\"x\"</b> 100%, a:b \x1b[31m\x0c"
    return Finding("XYZ001", Severity.INFO, message, Location(TEXT, line=3, column=1, end_line=4, end_column=2), fingerprint="f00d")


def make_report(findings: list[Finding] | None = None, lang: str = "zh") -> Report:
    findings = [text_finding(), hostile_finding(), pdf_finding()] if findings is None else findings
    return Report(
        findings=sorted(findings, key=Finding.sort_key),
        files=[TEXT, PDF, CLEAN],
        rules={r.code: r for r in (SUM, NOTE, THIRD)},
        lang=lang,
        tool_version="0.1.0",
        plugins=PLUGINS,
        source_lines={TEXT: SOURCE},
    )


def render(name: str, report: Report) -> str:
    formats = {f.name: f for f in builtin.budgetlint_formats()}
    return formats[name].render(report)


def test_every_format_is_registered_through_the_plugin_manager():
    assert {f.name for f in builtin.budgetlint_formats()} == FORMATS
    assert FORMATS <= set(load_plugins().formats)


def test_every_format_renders_an_empty_report():
    report = Report(findings=[], files=[CLEAN], rules={}, lang="en", tool_version="0.1.0")
    for name in FORMATS:
        assert isinstance(render(name, report), str)
    assert render("concise", report) == "No findings in 1 file\n"
    assert render("jsonl", report) == ""


# --- concise ------------------------------------------------------------------------------


def test_concise_lines_for_text_and_pdf_locations():
    lines = render("concise", make_report()).splitlines()
    assert lines[0] == f"{TEXT}:2:4: SUM001 [error] 合计 100.00 不等于各项之和 90.10"
    assert lines[1].startswith(f"{TEXT}:3:1: XYZ001 [info] 行1\\n行2\\r")
    assert lines[2] == f"{PDF}:page 3: TXT001 [warning] 多余文字 ＡＢＣ"
    assert lines[3] == "共 3 个问题（错误 1，警告 1，提示 1），检查了 3 份文件"
    assert len(lines) == 4


def test_concise_escapes_control_characters_and_follows_the_language():
    out = render("concise", make_report(lang="en"))
    assert "\x1b" not in out and "\x0c" not in out and "\r" not in out
    assert "\\x1b[31m\\x0c" in out
    assert out.splitlines()[-1] == "3 findings (1 error, 1 warning, 1 info) in 3 files"


def test_concise_file_level_finding_has_no_position():
    finding = Finding("XYZ001", Severity.INFO, "whole file", Location(CLEAN), fingerprint="1")
    assert render("concise", make_report([finding])).splitlines()[0] == f"{CLEAN}: XYZ001 [info] whole file"


# --- full ---------------------------------------------------------------------------------


def test_full_puts_the_caret_under_the_located_characters():
    out = render("full", make_report()).splitlines()
    start = out.index(f"{TEXT}:2:4: SUM001 [error] 合计 100.00 不等于各项之和 90.10")
    # Tabs expand to 4-column stops; each CJK character is two cells wide:
    # "项目" fills cells 0-3, the tab 4-7, so "合计" takes cells 8-11.
    assert out[start + 1] == " 2 | 项目    合计    100.00"
    assert out[start + 2] == "   | " + " " * 8 + "^^^^"


def test_full_caret_on_ascii_and_multi_line_spans():
    single = Finding("XYZ001", Severity.INFO, "m", Location(TEXT, line=3, column=9, end_line=3, end_column=12))
    lines = render("full", make_report([single])).splitlines()
    assert lines[1:3] == [" 3 | total = 100", "   |         ^^^"]
    # A span running onto the next line is underlined to the end of its first line.
    lines = render("full", make_report([hostile_finding()])).splitlines()
    assert lines[1:3] == [" 3 | total = 100", "   | " + "^" * len("total = 100")]


def test_full_cuts_a_long_line_around_the_span():
    report = make_report([Finding("XYZ001", Severity.INFO, "m", Location(TEXT, line=1, column=81, end_column=83))])
    report.source_lines = {TEXT: ["甲" * 80 + "错字" + "乙" * 80]}
    lines = render("full", report).splitlines()
    # 40 cells (20 wide characters) of context either side, marked with "...".
    assert lines[1] == " 1 | ..." + "甲" * 20 + "错字" + "乙" * 20 + "..."
    assert lines[2] == "   | " + " " * (3 + 40) + "^^^^"


def test_full_shows_evidence_logical_and_related_locations():
    out = render("full", make_report())
    assert "  逻辑位置: 表一 收支总表 › 合计 › 本年" in out
    assert "    公式: 合计 = 一般公共预算 + 政府性基金" in out
    assert "    数值: 合计 = 100.00, 各项之和 = 90.10" in out
    assert "    容差: 0.01" in out
    assert f"    同表：{TEXT}:3:9  表一 收支总表 › 一般公共预算" in out
    # No source excerpt for a PDF location, but its logical location is shown.
    pdf_block = out.split(f"{PDF}:page 3:")[1]
    assert " | " not in pdf_block.split("\n\n")[0]
    assert "逻辑位置: 表二 支出总表 › 基本支出" in pdf_block


@pytest.mark.parametrize("lang, expected", [
    ("zh", ["    计算值: 下限 = 10.1897, 上限 = 10.1905", "    基数沿用上文: 否"]),
    ("en", ["    computed: low = 10.1897, high = 10.1905", "    base taken from the sentence before: no"]),
])
def test_full_labels_evidence_for_reviewers_and_rounds_computed_bounds(lang, expected):
    evidence = {"computed": {"lo": Decimal("10.18974422572222464295171092"), "hi": Decimal("10.19048289407971254948097350")},
                "base_inherited": False}
    finding = Finding("XYZ001", Severity.INFO, "m", Location(CLEAN), evidence=evidence)
    out = render("full", make_report([finding], lang=lang))
    assert all(line in out.splitlines() for line in expected), out


def test_full_keeps_multi_line_evidence_readable():
    finding = Finding("XYZ001", Severity.INFO, "m", Location(CLEAN), evidence={"traceback": "line one\nline two"})
    out = render("full", make_report([finding], lang="en"))
    assert "    traceback: line one\n      line two" in out


# --- grouped ------------------------------------------------------------------------------


def test_grouped_by_file_then_table():
    extra = SUM.finding(Location(TEXT, line=9, column=1, logical=("表一 收支总表", "支出")), "zh", total=1, sum=2)
    out = render("grouped", make_report([text_finding(), hostile_finding(), pdf_finding(), extra]))
    blocks = out.split("\n\n")
    text_lines = blocks[0].splitlines()
    # The finding on line 9 joins its table's group although line 3 comes between.
    assert text_lines[:5] == [
        TEXT,
        "  表一 收支总表",
        "    2:4: SUM001 [error] 合计 100.00 不等于各项之和 90.10  (合计 › 本年)",
        "    9:1: SUM001 [error] 合计 1 不等于各项之和 2  (支出)",
        "  （不在报表内）",
    ]
    assert len(text_lines) == 6
    assert text_lines[5].startswith("    3:1: XYZ001 [info] 行1\\n")
    assert blocks[1].splitlines() == [PDF, "  表二 支出总表", "    page 3: TXT001 [warning] 多余文字 ＡＢＣ  (基本支出)"]
    assert blocks[2] == "共 4 个问题（错误 2，警告 1，提示 1），检查了 3 份文件\n"


# --- json / jsonl -------------------------------------------------------------------------


def test_json_document_with_summary():
    report = make_report()
    out = render("json", report)
    assert "合计" in out  # ensure_ascii=False
    data = json.loads(out)
    assert data["findings"] == [f.to_dict() for f in report.findings]
    first = data["findings"][0]
    assert first["evidence"]["values"] == {"合计": "100.00", "各项之和": "90.10"}
    assert first["evidence"]["tolerance"] == "0.01"
    assert data["findings"][1]["message"] == hostile_finding().message
    assert data["findings"][2]["bbox"] == [72.0, 100.5, 210.25, 118.0]
    assert data["summary"] == {
        "total": 3,
        "by_severity": {"error": 1, "warning": 1, "info": 1},
        "by_code": {"SUM001": 1, "TXT001": 1, "XYZ001": 1},
        "by_file": {TEXT: 2, PDF: 1},
        "files_checked": 3,
    }


def test_jsonl_one_finding_per_line():
    report = make_report()
    lines = render("jsonl", report).splitlines()
    assert len(lines) == 3
    assert [json.loads(line) for line in lines] == [f.to_dict() for f in report.findings]


# --- sarif --------------------------------------------------------------------------------


@pytest.fixture
def sarif(tmp_path, monkeypatch):
    """The SARIF of a report whose paths are absolute, rendered from ``tmp_path``."""
    monkeypatch.chdir(tmp_path)
    report = make_report()
    absolute = {TEXT: str(tmp_path / TEXT), PDF: str(tmp_path / PDF), CLEAN: str(tmp_path / CLEAN)}

    def move(loc: Location) -> Location:
        return Location(**{**vars(loc), "path": absolute[loc.path]})

    report.findings = [
        Finding(**{**vars(f), "location": move(f.location), "related": tuple(move(r) for r in f.related)})
        for f in report.findings
    ]
    report.files = [absolute[p] for p in report.files]
    return json.loads(render("sarif", report)), tmp_path


def test_sarif_validates_against_the_schema(sarif):
    if not SCHEMA.is_file():
        pytest.skip("../shared/sarif-schema-2.1.0.json is not available")
    jsonschema = pytest.importorskip("jsonschema")
    log, _ = sarif
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, "\n".join(e.message for e in errors[:5])


def test_sarif_run_and_driver(sarif):
    log, tmp_path = sarif
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "budgetlint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"] == "https://github.com/budgetlint/budgetlint"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    assert run["automationDetails"]["id"] == "budgetlint/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert [unquote(a["location"]["uri"]) for a in run["artifacts"]] == [TEXT, PDF, CLEAN]
    assert run["tool"]["extensions"] == [
        {"name": "acme", "version": "2.0", "properties": {"distribution": "acme-budget-rules", "rules": ["XYZ001"]}}
    ]


def test_sarif_rules(sarif):
    log, _ = sarif
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == {"SUM001", "TXT001", "XYZ001"}
    total = rules["SUM001"]
    assert total["name"] == "row-sum"
    assert total["shortDescription"]["text"] == "合计不等于各项之和"
    assert total["fullDescription"]["text"] == "检查合计数。"
    assert total["defaultConfiguration"]["level"] == "error"
    assert total["helpUri"] == "https://github.com/budgetlint/budgetlint/blob/main/docs/rules/SUM001.md"
    for section in ("what", "why", "example", "authority"):
        assert f"## {ui(f'rule_doc_{section}', 'zh')}" in total["help"]["markdown"]
    assert "合计必须等于各项之和。" in total["help"]["text"]
    # Without docs the title stands in; a third-party rule gets no link into budgetlint's docs.
    assert rules["TXT001"]["fullDescription"]["text"] == "多余文字"
    assert "help" not in rules["TXT001"]
    assert "helpUri" not in rules["XYZ001"]
    assert rules["XYZ001"]["defaultConfiguration"]["level"] == "note"


def test_sarif_results(sarif):
    log, _ = sarif
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    text, hostile, pdf = run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith(("/", "file:"))
        assert run["artifacts"][artifact["index"]]["location"]["uri"] == artifact["uri"]
    assert [r["level"] for r in (text, hostile, pdf)] == ["error", "note", "warning"]

    assert text["message"]["text"] == "合计 100.00 不等于各项之和 90.10"
    physical = text["locations"][0]["physicalLocation"]
    assert unquote(physical["artifactLocation"]["uri"]) == TEXT
    assert physical["region"] == {"startLine": 2, "startColumn": 4, "endLine": 2, "endColumn": 6}
    assert text["locations"][0]["logicalLocations"] == [
        {"name": "本年", "fullyQualifiedName": "表一 收支总表 › 合计 › 本年", "kind": "element"}
    ]
    assert text["partialFingerprints"] == {"budgetlintFingerprint/v1": text_finding().fingerprint}
    (related,) = text["relatedLocations"]
    assert related["id"] == 1
    assert related["message"]["text"] == "表一 收支总表 › 一般公共预算"
    assert related["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 9, "endLine": 3, "endColumn": 12}

    assert hostile["message"]["text"] == hostile_finding().message
    assert hostile["locations"][0]["physicalLocation"]["region"]["endLine"] == 4


def test_sarif_pdf_location_is_anchored_at_the_file_with_page_properties(sarif):
    log, _ = sarif
    pdf = log["runs"][0]["results"][2]
    physical = pdf["locations"][0]["physicalLocation"]
    assert unquote(physical["artifactLocation"]["uri"]) == PDF
    assert physical["artifactLocation"]["uri"] == "out/%E5%86%B3%E7%AE%97%2C2026.pdf"
    assert physical["region"] == {"startLine": 1}
    expected = {"page": 3, "bbox": [72.0, 100.5, 210.25, 118.0]}
    assert pdf["properties"] == expected
    (logical,) = pdf["locations"][0]["logicalLocations"]
    assert logical["fullyQualifiedName"] == "表二 支出总表 › 基本支出"
    assert logical["properties"] == expected


# --- github -------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    level, props, message = match.groups()
    properties = dict(item.split("=", 1) for item in props.split(","))
    return level, {k: unescape(v) for k, v in properties.items()}, unescape(message)


def test_github_annotations(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = make_report()
    lines = render("github", report).split("\n")[:-1]  # the runner splits on \n only
    assert lines[-1] == "共 3 个问题（错误 1，警告 1，提示 1），检查了 3 份文件"
    text, hostile, pdf = (parse_command(line) for line in lines[:3])
    assert text == (
        "error",
        {"file": TEXT, "line": "2", "col": "4", "endLine": "2", "endColumn": "6", "title": "SUM001"},
        "合计 100.00 不等于各项之和 90.10",
    )
    # The hostile message survives escaping intact, and cannot start a new command.
    assert hostile[0] == "notice"
    assert hostile[2] == hostile_finding().message
    assert hostile[1] == {"file": TEXT, "line": "3", "endLine": "4", "title": "XYZ001"}  # no columns across lines
    assert pdf == ("warning", {"file": PDF, "title": "TXT001"}, "page 3: 多余文字 ＡＢＣ")


def test_github_file_paths_are_relative_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    finding = Finding("XYZ001", Severity.INFO, "m", Location(str(tmp_path / "a" / "b.txt"), line=1))
    _, properties, _ = parse_command(render("github", make_report([finding])).split("\n")[0])
    assert properties["file"] == "a/b.txt"


# --- junit --------------------------------------------------------------------------------


def test_junit_counts_and_escaping():
    report = make_report()
    root = ET.fromstring(render("junit", report))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "3", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [TEXT, PDF, CLEAN]
    assert [(s.get("tests"), s.get("failures")) for s in suites.values()] == [("2", "2"), ("1", "1"), ("1", "0")]
    assert suites[CLEAN].find("testcase/failure") is None
    cases = suites[TEXT].findall("testcase")
    assert [c.get("name") for c in cases] == ["SUM001 2:4", "XYZ001 3:1"]
    failure = cases[0].find("failure")
    assert failure.get("message") == "合计 100.00 不等于各项之和 90.10"
    assert failure.get("type") == "error"
    assert "数值: 合计 = 100.00, 各项之和 = 90.10" in failure.text
    # Markup, quotes and newlines round-trip; the form feed XML cannot carry is escaped.
    hostile = cases[1].find("failure").get("message")
    assert hostile == hostile_finding().message.replace("\x0c", "\\x0c").replace("\x1b", "\\x1b")
    assert suites[PDF].find("testcase").get("name") == "TXT001 page 3"

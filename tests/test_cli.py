"""The command line, end to end in-process: inputs, options, exit codes, plugins, config."""

from __future__ import annotations

import json
import re

import pytest

from helpers import CONCISE_LINE, REFERENCE, codes_in, reference_text, run


def test_check_reference_reports_findings_and_exits_1(reference):
    result = run("check", str(reference), "--fail-on", "warning")
    assert result.exit_code == 1, result.output
    found = codes_in(result.output)
    assert "TXT002" in found and "TXT001" in found
    assert all(line.startswith("budget.txt:") for line in result.output.splitlines() if CONCISE_LINE.match(line))


def test_exit_zero_and_fail_on(reference):
    assert run("check", str(reference), "--exit-zero").exit_code == 0
    only_warnings = run("check", str(reference), "--select", "TXT", "--fail-on", "error")
    assert only_warnings.exit_code == 0
    assert run("check", str(reference), "--select", "TXT", "--fail-on", "warning").exit_code == 1


def test_select_and_ignore_by_code_and_prefix(reference):
    assert set(codes_in(run("check", str(reference), "--select", "TXT002").output)) == {"TXT002"}
    assert not [c for c in codes_in(run("check", str(reference), "--ignore", "TXT").output) if c.startswith("TXT")]
    extended = codes_in(run("check", str(reference), "--select", "TXT002", "--extend-select", "TXT001").output)
    assert set(extended) == {"TXT001", "TXT002"}


def test_json_output_file_and_extra_outputs(reference, tmp_path):
    result = run("check", str(reference), "--format", "json", "-o", "out.json", "--output", "sarif:out.sarif")
    assert result.exit_code in (0, 1) and not result.stdout
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["findings"] and {"code", "severity", "message", "path", "line", "fingerprint"} <= set(data["findings"][0])
    sarif = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"][0]["results"]) == len(data["findings"])


def test_messages_in_english_on_request(reference):
    zh = run("check", str(reference), "--select", "TXT002").output
    en = run("check", str(reference), "--select", "TXT002", "--lang", "en").output
    assert re.search(r"[\u4e00-\u9fff]{4}", zh.splitlines()[0].split("TXT002", 1)[1])
    assert "punctuation" in en.splitlines()[0].lower()


def test_missing_file_is_lint001_and_exit_2(reference):
    result = run("check", str(reference), "missing.txt")
    assert result.exit_code == 2
    assert "LINT001" in result.output and "TXT002" in result.output


def test_unknown_format_is_usage_error(reference):
    result = run("check", str(reference), "--format", "nope")
    assert result.exit_code == 2 and "nope" in result.output


def test_crashing_rule_is_isolated(reference):
    result = run("check", str(reference), "-p", "crashing_plugin")
    assert result.exit_code == 2
    found = codes_in(result.output)
    assert found.count("LINT002") == 1
    assert "TXT002" in found
    data = json.loads(run("check", str(reference), "-p", "crashing_plugin", "--format", "json").stdout)
    crash = next(f for f in data["findings"] if f["code"] == "LINT002")
    assert "ZeroDivisionError" in crash["evidence"]["traceback"] and crash["evidence"]["rule"] == "CRASH001"


def test_one_bad_file_never_stops_the_others(reference, tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\xff\xfe\x01" * 300 + bytes(range(256)) * 20)
    result = run("check", "bad.txt", str(reference))
    assert result.exit_code == 2
    assert "bad.txt" in result.output and "LINT001" in result.output and "TXT002" in result.output


def test_duplicate_rule_code_is_a_clear_error(reference):
    result = run("check", str(reference), "-p", "duplicate_code_plugin")
    assert result.exit_code == 2
    assert "TXT001" in result.output and "duplicate_code_plugin" in result.output and "txt" in result.output


def test_unknown_hook_is_an_error(reference):
    result = run("check", str(reference), "-p", "unknown_hook_plugin")
    assert result.exit_code == 2 and "budgetlint_no_such_hook" in result.output


def test_block_a_builtin_plugin(reference):
    found = codes_in(run("check", str(reference), "-p", "no:txt").output)
    assert not [c for c in found if c.startswith("TXT")]


def test_disabling_autoload_keeps_the_builtins(reference):
    env = {"BUDGETLINT_DISABLE_PLUGIN_AUTOLOAD": "1"}
    assert "TXT002" in codes_in(run("check", str(reference), env=env).output)
    assert "crash" not in run("plugins", env=env).output.lower()


def test_stdin(reference):
    result = run("check", "-", "--fail-on", "warning", input=reference.read_bytes())
    assert result.exit_code == 1
    assert any(line.startswith("-:") for line in result.output.splitlines())


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_other_encodings_give_identical_findings(reference, tmp_path, encoding):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(reference_text().encode(encoding))
    original = json.loads(run("check", str(reference), "--format", "json").stdout)["findings"]
    encoded = json.loads(run("check", str(copy), "--format", "json").stdout)["findings"]
    strip = [(f["code"], f["line"], f["column"], f["fingerprint"], f["message"]) for f in original]
    assert [(f["code"], f["line"], f["column"], f["fingerprint"], f["message"]) for f in encoded] == strip


def test_directories_and_globs(reference, tmp_path):
    folder = tmp_path / "docs" / "子目录 with space"
    folder.mkdir(parents=True)
    (folder / "预算.txt").write_text(reference_text(), encoding="utf-8")
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    by_dir = run("check", "docs", "--statistics").output
    assert "预算.txt" in by_dir and "ignored.bin" not in by_dir
    by_glob = run("check", "docs/**/*.txt").output
    assert "预算.txt" in by_glob


def test_config_file_is_found_and_command_line_wins(reference, tmp_path):
    (tmp_path / "budgetlint.toml").write_text('ignore = ["TXT002"]\nlang = "en"\n', encoding="utf-8")
    from_config = run("check", str(reference))
    assert "TXT002" not in codes_in(from_config.output) and "TXT001" in codes_in(from_config.output)
    assert "findings" in from_config.output.splitlines()[-1]
    overridden = run("check", str(reference), "--lang", "zh", "--select", "TXT002")
    assert codes_in(overridden.output) == []  # ignore from the file still applies to the selection
    assert "共" in overridden.output or "未发现" in overridden.output


def test_pyproject_config_with_severity_override_and_per_file_ignores(reference, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.budgetlint]\nseverity = { TXT001 = "error" }\nper-file-ignores = { "other*.txt" = ["TXT"] }\n',
        encoding="utf-8",
    )
    (tmp_path / "other.txt").write_text(reference_text(), encoding="utf-8")
    data = json.loads(run("check", str(reference), "other.txt", "--format", "json").stdout)
    txt001 = [f for f in data["findings"] if f["code"] == "TXT001"]
    assert txt001 and all(f["severity"] == "error" and f["path"] == "budget.txt" for f in txt001)


def test_bad_config_names_the_key(reference, tmp_path):
    (tmp_path / "budgetlint.toml").write_text('selekt = ["TXT"]\n', encoding="utf-8")
    result = run("check", str(reference))
    assert result.exit_code == 2 and "selekt" in result.output and "Traceback" not in result.output
    (tmp_path / "budgetlint.toml").write_text('fail-on = "fatal"\n', encoding="utf-8")
    result = run("check", str(reference))
    assert result.exit_code == 2 and "fail-on" in result.output


def test_rules_rule_plugins_and_version():
    listing = run("rules").output
    assert re.search(r"^TXT001\s+\S+\s+warning\s+txt", listing, re.MULTILINE)
    docs = run("rule", "TXT001", "--lang", "en").output
    for section in ("What it does", "Why is this bad?", "Example", "Authority"):
        assert section in docs
    data = json.loads(run("rule", "txt001", "--format", "json").stdout)
    assert data["code"] == "TXT001" and set(data["title"]) == {"zh", "en"}
    # A rule whose findings take several severities lists them all, its default first.
    assert re.search(r"^IND003\s+\S+\s+warning/info\s+ind", listing, re.MULTILINE)
    assert "severity: warning/info" in run("rule", "IND003").output
    assert json.loads(run("rule", "IND003", "--format", "json").stdout)["severities"] == ["warning", "info"]
    assert run("rule", "NOPE999").exit_code == 2
    plugins = run("plugins").output
    assert re.search(r"^txt\s+budgetlint \d+\.\d+\.\d+\s+TXT001", plugins, re.MULTILINE)
    version = run("--version").output
    assert version.startswith("budgetlint ") and "txt: budgetlint" in version


def test_extract_dumps_document_and_budget_model():
    data = json.loads(run("extract", str(REFERENCE)).stdout)
    assert data["document"]["source_kind"] == "text"
    assert data["budget"]["metadata"]["year"] == 2026
    kinds = {t["kind"] for t in data["budget"]["tables"]}
    assert {"income_expense_summary", "expense_summary", "project_expense"} <= kinds


def test_extract_names_each_equations_terms_without_copying_its_table():
    # an equation refers to its table; copying the table into each of its thousands of equations made
    # the dump of a 241-page disclosure exceed 2 GB of memory
    equations = json.loads(run("extract", str(REFERENCE)).stdout)["budget"]["arithmetic"]["equations"]
    assert equations and all("table" not in e for e in equations)
    assert all("row" not in term for e in equations for term in e["parts"])
    assert all(term["location"] for e in equations for term in e["parts"])


def test_extract_shows_each_amounts_quantity_key():
    quantities = json.loads(run("extract", str(REFERENCE)).stdout)["quantities"]
    keys = {q["where"]: q["key"] for q in quantities}
    # subject · part · funds · stage · year · carry-over · flow
    assert keys["2026年预算支出总表 › 一般公共服务支出 › 2026年预算数/基本支出"] == (
        "c:201 · basic · funds all · budget · 2026 · carry incl · expense"
    )
    # a narrative amount shows the key it shares with the table amounts it names: here all the money is
    # 一般公共预算 and none is carried over, so funds and carry-over widen
    assert keys["六、一般公共预算基本支出情况说明 › 人员经费"] == (
        "total · personnel · funds all · budget · 2026 · carry - · expense"
    )


def test_min_severity_hides_lower_findings(reference):
    everything = json.loads(run("check", str(reference), "--format", "json").stdout)["findings"]
    errors = json.loads(run("check", str(reference), "--format", "json", "--min-severity", "error").stdout)["findings"]
    assert {f["severity"] for f in everything} == {"error", "warning", "info"}
    assert errors == [f for f in everything if f["severity"] == "error"]


def test_the_terminal_view_leads_with_errors_and_warnings_and_counts_the_rest(reference):
    shown = run("check", str(reference))
    lines = shown.output.strip().splitlines()
    assert "[info]" not in shown.output and "[error]" in shown.output
    assert lines[-1].startswith("共 80 个问题（错误 5，警告 29，提示 46）")  # DOC007 本单位 is an info
    assert lines[-1].endswith("；其中 46 条提示未显示（加 --min-severity info 显示）")
    everything = run("check", str(reference), "--min-severity", "info")
    assert everything.output.count("[info]") == 46 and "未显示" not in everything.output
    english = run("check", str(reference), "--lang", "en").output.strip().splitlines()[-1]
    assert english.endswith("; 46 info not shown (add --min-severity info)")


def test_the_formats_tools_read_carry_every_finding(reference):
    data = json.loads(run("check", str(reference), "--format", "json").output)
    assert len(data["findings"]) == 80


def test_only_notes_are_never_summarised_as_no_findings(tmp_path):
    # a document whose one finding is an info note: hidden from the terminal view, but counted
    path = tmp_path / "note.txt"
    path.write_text("发票\n\n金额 100 元\n", encoding="utf-8")
    result = run("check", str(path), "--no-cache")
    assert "LINT005" not in result.output
    assert "未发现问题" not in result.output and "1 条提示未显示" in result.output

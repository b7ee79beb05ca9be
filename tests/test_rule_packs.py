"""Rule packs: pattern rules declared in TOML files named by BUDGETLINT_RULE_PACKS."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetlint.cli import main
from budgetlint.config import ConfigResolver, Overrides
from budgetlint.engine import Linter
from budgetlint.findings import Finding
from budgetlint.plugins import PluginError, load_plugins
from budgetlint_plugins.packs import ENV, PackError, rules_from_pack
from helpers import column_of, inject, line_of, reference_text

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rule-packs.md"

RULE = """
[PRV001]
kind = "pattern"
name = "zero-change"
severity = "warning"
title = {{ zh = "变动额为零却称增减", en = "A change of zero called an increase" }}
messages.default = {{ zh = "比上年{{direction}}0：“{{context}}”", en = "A {{direction}} of 0: {{match}}" }}
docs.en = {{ what = "Reports 比上年增加0万元.", why = "Zero is no increase.", example = "`增加0万元`", authority = "Documented practice." }}
pattern = '比上年(?P<direction>增加|减少)0(?:\\.0+)?万元'
{extra}
"""


def write_pack(folder: Path, extra: str = "", name: str = "pack.toml", body: str | None = None) -> Path:
    path = folder / name
    path.write_text(body if body is not None else RULE.format(extra=extra), encoding="utf-8")
    return path


def use_packs(monkeypatch, *paths: Path) -> None:
    monkeypatch.setenv(ENV, os.pathsep.join(str(p) for p in paths))


def lint_with(plugins, text: str, select=("PRV", "LINT")) -> list[Finding]:
    linter = Linter(plugins, ConfigResolver(Overrides(select=select)))
    return linter.lint_path("budget.txt", text.encode("utf-8")).findings


ZERO = inject("比上年增加41.74万元,增长2.88%。", "比上年增加0万元,增长2.88%。")


# --- loading and matching ---------------------------------------------------------


def test_a_pack_rule_fires_where_its_pattern_matches(tmp_path, monkeypatch):
    use_packs(monkeypatch, write_pack(tmp_path))
    plugins = load_plugins()
    assert plugins.rule_plugin["PRV001"] == "packs"
    found = lint_with(plugins, ZERO)
    assert [(f.code, f.severity.value, f.location.line, f.location.column) for f in found] == [
        ("PRV001", "warning", line_of(ZERO, "比上年增加0万元"), column_of(ZERO, "比上年增加0万元")),
    ]
    assert found[0].message.startswith("比上年增加0：“")
    assert found[0].evidence["match"] == "比上年增加0万元"
    assert lint_with(plugins, reference_text()) == []


def test_english_message_uses_the_named_group_and_match(tmp_path, monkeypatch):
    use_packs(monkeypatch, write_pack(tmp_path))
    plugins = load_plugins()
    linter = Linter(plugins, ConfigResolver(Overrides(select=("PRV",), lang="en")))
    (finding,) = linter.lint_path("budget.txt", ZERO.encode("utf-8")).findings
    assert finding.message == "A 增加 of 0: 比上年增加0万元"


def test_without_the_variable_there_are_no_pack_rules(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    plugins = load_plugins()
    assert plugins.info["packs"].rule_codes == ()


def test_scope_decides_where_to_look(tmp_path, monkeypatch):
    cell = inject("劳务派遣人员工资类费用\t799.20", "劳务派遣人员工资类费用（比上年增加0万元）\t799.20")
    use_packs(monkeypatch, write_pack(tmp_path))
    assert lint_with(load_plugins(), cell) == []  # cells are out of the default scope
    use_packs(monkeypatch, write_pack(tmp_path, 'scope = ["cell"]', name="cells.toml"))
    found = lint_with(load_plugins(), cell)
    assert [(f.location.line, f.location.column) for f in found] == [(line_of(cell, "比上年增加0万元"), column_of(cell, "比上年增加0万元"))]
    assert lint_with(load_plugins(), ZERO) == []  # and paragraphs out of this one


def test_documents_restrict_the_rule_to_kinds(tmp_path, monkeypatch):
    use_packs(monkeypatch, write_pack(tmp_path, 'documents = ["单位预算"]'))
    plugins = load_plugins()
    assert lint_with(plugins, ZERO) == []
    unit = inject("## 2026年度部门预算公开", "## 2026年度单位预算公开", ZERO)
    assert [f.code for f in lint_with(plugins, unit)] == ["PRV001"]


def test_non_budget_documents_are_not_checked(tmp_path, monkeypatch):
    use_packs(monkeypatch, write_pack(tmp_path))
    assert lint_with(load_plugins(), "# 工作总结\n\n支出比上年增加0万元。\n", select=("PRV",)) == []


def test_severity_error_in_an_inferred_table_is_a_warning(tmp_path, monkeypatch):
    body = RULE.format(extra='scope = ["cell"]').replace('severity = "warning"', 'severity = "error"')
    use_packs(monkeypatch, write_pack(tmp_path, body=body))
    plugins = load_plugins()
    plain = (
        "某局2026年度部门预算公开\n\n2026年预算收入总表\n单位：万元\n"
        "项目        合计        说明\n合计        100.00        比上年增加0万元\n"
    )
    assert [(f.code, f.severity.value) for f in lint_with(plugins, plain)] == [("PRV001", "warning")]
    marked = plain.replace("        ", "\t")
    assert [(f.code, f.severity.value) for f in lint_with(plugins, marked)] == [("PRV001", "error")]


def test_a_runaway_pattern_is_stopped_and_reported(tmp_path, monkeypatch):
    body = RULE.format(extra="").replace("比上年(?P<direction>增加|减少)0(?:\\.0+)?万元", "(?P<direction>x+x+)+y")
    use_packs(monkeypatch, write_pack(tmp_path, body=body))
    text = inject("无。\n", "x" * 5000 + "\n")
    found = lint_with(load_plugins(), text)
    assert [(f.code, f.evidence["rule"]) for f in found] == [("LINT002", "PRV001")]
    assert "PatternTimeout" in found[0].message


def test_the_version_follows_the_pack_contents(tmp_path, monkeypatch):
    path = write_pack(tmp_path)
    use_packs(monkeypatch, path)
    first = load_plugins().info["packs"].version
    path.write_text(path.read_text(encoding="utf-8").replace("warning", "info"), encoding="utf-8")
    second = load_plugins().info["packs"].version
    assert "+packs." in first and first != second


# --- validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, key",
    [
        ('severity = "warning"', 'severity = "fatal"', "severity"),
        ('kind = "pattern"', 'kind = "table"', "kind"),
        ('name = "zero-change"', 'serverity = "warning"\nname = "zero-change"', "serverity"),
        ('name = "zero-change"\n', "", "name"),
        ("'比上年(?P<direction>增加|减少)0(?:\\.0+)?万元'", "'比上年(增加'", "pattern"),
        ("en = \"A {direction} of 0: {match}\"", "en = \"A {amount} of 0\"", "messages.default.en"),
        ("messages.default", "messages.other", "messages"),
        ("title = { zh", "title = { fr = \"x\", zh", "title.fr"),
        ("docs.en = {", "docs.en = { how = \"x\",", "docs.en.how"),
        ("(?P<direction>", "(?P<key>", "pattern"),
    ],
)
def test_schema_errors_name_the_file_rule_and_key(tmp_path, old, new, key):
    text = RULE.format(extra="")
    assert text.count(old) == 1, old
    path = write_pack(tmp_path, body=text.replace(old, new))
    with pytest.raises(PackError) as caught:
        rules_from_pack(path)
    assert str(caught.value).startswith(f"{path}: [PRV001] {key}")


def test_scope_values_are_checked(tmp_path):
    path = write_pack(tmp_path, 'scope = ["footnote"]')
    with pytest.raises(PackError, match=r"\[PRV001\] scope: unknown value 'footnote'"):
        rules_from_pack(path)


def test_bad_code_and_bad_toml(tmp_path):
    path = write_pack(tmp_path, body=RULE.format(extra="").replace("[PRV001]", "[prv1]"))
    with pytest.raises(PackError, match=r"\[prv1\] a rule code is"):
        rules_from_pack(path)
    broken = write_pack(tmp_path, body="[PRV001\n", name="broken.toml")
    with pytest.raises(PackError, match=f"^{re.escape(str(broken))}: cannot read rule pack"):
        rules_from_pack(broken)


def test_load_errors_stop_start_up_and_name_the_pack(tmp_path, monkeypatch):
    good = write_pack(tmp_path)
    use_packs(monkeypatch, good, tmp_path / "missing.toml")
    with pytest.raises(PluginError, match="missing.toml: no such rule pack file.*-p no:packs"):
        load_plugins()
    use_packs(monkeypatch, good, write_pack(tmp_path, name="again.toml"))
    with pytest.raises(PluginError, match=r"again.toml: \[PRV001\] is already defined in .*pack.toml"):
        load_plugins()


def test_a_pack_cannot_take_a_builtin_code(tmp_path, monkeypatch):
    use_packs(monkeypatch, write_pack(tmp_path, body=RULE.format(extra="").replace("PRV001", "DOC001")))
    with pytest.raises(PluginError, match="DOC001 is claimed by both"):
        load_plugins()


def test_the_command_exits_2_on_a_broken_pack(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_pack(tmp_path, body=RULE.format(extra="").replace('"warning"', '"fatal"'))
    (tmp_path / "budget.txt").write_text(reference_text(), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "budget.txt", "--lang", "en"], env={ENV: "pack.toml", "BUDGETLINT_NO_CACHE": "1"})
    assert result.exit_code == 2
    assert "pack.toml: [PRV001] severity: unknown severity 'fatal'" in result.output


# --- the documented example -------------------------------------------------------------


def test_the_example_in_the_docs_works(tmp_path, monkeypatch):
    block = re.search(r"```toml\n(# province-style\.toml.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert block, "docs/rule-packs.md lost its example pack"
    use_packs(monkeypatch, write_pack(tmp_path, body=block.group(1), name="province-style.toml"))
    plugins = load_plugins()
    assert {"SHX001", "SHX002"} <= set(plugins.rules)
    text = inject("本部门无“三公”经费预算。", "本部门无三公经费预算。", ZERO)
    found = lint_with(plugins, text, select=("SHX",))
    assert sorted((f.code, f.severity.value, f.location.line) for f in found) == [
        ("SHX001", "info", line_of(text, "本部门无三公经费")),
        ("SHX002", "warning", line_of(text, "比上年增加0万元")),
    ]
    assert lint_with(plugins, reference_text(), select=("SHX",)) == []

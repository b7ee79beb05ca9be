"""Wrong results that look like clean results: each must be an error, a warning or a LINT finding.

Unknown rule codes, a blocked core, a failing budget recogniser, a result
cache answering for another run, invalid rules, unmarked hook functions and
plugins that fail to load (issue 14).
"""

from __future__ import annotations

import json
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from budgetlint import cache, spec
from budgetlint import plugins as plugin_loading
from budgetlint.catalogue import tomllib
from budgetlint.findings import Severity
from budgetlint.location import Location
from budgetlint.plugins import PluginError, load_plugins
from helpers import codes_in, run

RULE = """
from budgetlint.findings import Severity
from budgetlint.hookspecs import hookimpl
from budgetlint.rules import Rule

DOCS = {{"en": {{"what": "w", "why": "w", "example": "e", "authority": "a"}}}}

def make(code, docs=DOCS):
    return Rule(code=code, name="test-rule", severity=Severity.INFO, title={{"en": "Test"}},
                messages={{"default": {{"en": "test"}}}}, docs=docs, check=lambda context: ())

@hookimpl
def budgetlint_rules():
    return [{rules}]
"""


@pytest.fixture
def plugin_module(tmp_path, monkeypatch):
    """Write a plugin module importable for ``-p NAME``; returns its path."""
    folder = tmp_path / "plugin_modules"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))

    def write(name: str, source: str) -> Path:
        path = folder / f"{name}.py"
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write


def check_json(*args: str) -> dict:
    result = run("check", *args, "--format", "json")
    return {"exit": result.exit_code, **json.loads(result.stdout)}


# --- unknown rule codes are errors --------------------------------------------------------


@pytest.mark.parametrize(
    "option, code, nearest",
    [("--select", "FOO", "known families: DOC, IND"), ("--select", "SUMM", "nearest: SUM"),
     ("--ignore", "FOO999", "known families"), ("--extend-select", "txt9", "nearest: TXT")],
)
def test_an_unknown_code_on_the_command_line_is_an_error(reference, option, code, nearest):
    result = run("check", str(reference), option, code, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert f"{option}: unknown rule code or prefix {code.upper()}" in result.output and nearest in result.output
    assert "No findings" not in result.output and "Traceback" not in result.output


def test_an_unknown_code_in_the_configuration_is_an_error_in_its_language(reference, tmp_path):
    config = tmp_path / "budgetlint.toml"
    config.write_text('select = ["SUMM"]\n', encoding="utf-8")
    result = run("check", str(reference))
    assert result.exit_code == 2
    assert f"{config}: select：未知的规则代码或前缀 SUMM（最接近的：SUM" in result.output

    def check_with(name: str, text: str):
        (tmp_path / name).write_text(text, encoding="utf-8")
        return run("check", str(reference), "--config", name)

    result = check_with("severity.toml", 'lang = "en"\n[severity]\nXYZ003 = "info"\n')
    assert result.exit_code == 2 and "severity.toml: severity: unknown rule code XYZ003 (nearest: TXT003" in result.output
    assert check_with("prefix.toml", '[severity]\nTXT = "info"\n').exit_code == 2  # severities name whole codes
    result = check_with("per-file.toml", '[per-file-ignores]\n"*.txt" = ["NOPE"]\n')
    assert result.exit_code == 2 and "per-file-ignores.'*.txt'" in result.output


def test_known_codes_prefixes_and_all_are_accepted(reference, tmp_path):
    (tmp_path / "budgetlint.toml").write_text('select = ["ALL"]\n[severity]\nTXT001 = "error"\n', encoding="utf-8")
    assert run("check", str(reference), "--ignore", "sum,TXT002", "--extend-select", "LINT").exit_code == 1


# --- the core cannot be blocked; a None answer still runs the rule --------------------


def test_the_core_cannot_be_blocked(reference):
    assert run("check", str(reference)).exit_code == 1  # fills the cache
    result = run("check", str(reference), "-p", "no:core", "--lang", "en")
    assert result.exit_code == 2 and "the core plugin cannot be blocked" in result.output
    assert "findings" not in result.output.lower()


def test_a_check_wrapper_answering_none_does_not_skip_the_rules(reference, plugin_module):
    plugin_module("none_answer_plugin", """
        from budgetlint.hookspecs import hookimpl

        @hookimpl(wrapper=True)
        def budgetlint_check(rule, context):
            yield
            return None
    """)
    normal = check_json(str(reference), "--no-cache")
    wrapped = check_json(str(reference), "--no-cache", "-p", "none_answer_plugin")
    assert wrapped["findings"] and wrapped["findings"] == normal["findings"]


# --- a failing budgetlint_enrich: built once, reported once ---------------------------


def test_a_failing_enrich_is_called_once_and_reported_once_naming_the_plugin(reference, plugin_module, tmp_path):
    calls = tmp_path / "calls"
    plugin_module("failing_enrich_plugin", f"""
        from budgetlint.hookspecs import hookimpl

        @hookimpl
        def budgetlint_enrich(document, budget):
            with open({str(calls)!r}, "a") as handle:
                handle.write("call\\n")
            raise KeyError("no such table")
    """)
    data = check_json(str(reference), "-p", "failing_enrich_plugin", "--lang", "en")
    assert data["exit"] == 2
    crashes = [f for f in data["findings"] if f["code"] == "LINT002"]
    assert len(crashes) == 1, [f["message"] for f in crashes]
    assert crashes[0]["evidence"]["plugin"] == "failing_enrich_plugin"
    assert "Plugin failing_enrich_plugin crashed while recognising the budget structure" in crashes[0]["message"]
    assert "SUM001" in crashes[0]["evidence"]["rules"] and "KeyError" in crashes[0]["evidence"]["traceback"]
    assert calls.read_text().count("call") == 1
    assert "TXT002" in {f["code"] for f in data["findings"]}  # rules that read only the document still run


def test_a_failing_enrich_is_reported_when_no_rule_asked_for_the_budget(reference, plugin_module):
    plugin_module("failing_enrich_quiet", """
        from budgetlint.hookspecs import hookimpl

        @hookimpl
        def budgetlint_enrich(document, budget):
            raise RuntimeError("broken")
    """)
    data = check_json(str(reference), "-p", "failing_enrich_quiet", "--select", "TXT002")
    assert data["exit"] == 2
    assert [f["evidence"]["plugin"] for f in data["findings"] if f["code"] == "LINT002"] == ["failing_enrich_quiet"]


# --- the result cache never answers for another run -----------------------------------


def test_the_cache_key_holds_the_reader(reference, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert codes_in(run("check", "empty.txt", "--min-severity", "info").output) == ["LINT005"]
    result = run("check", "empty.pdf")
    assert codes_in(result.output) == ["LINT001"] and result.exit_code == 2


def test_the_cache_key_holds_the_active_plugins(reference):
    assert "TXT002" in codes_in(run("check", str(reference)).output)
    assert not [c for c in codes_in(run("check", str(reference), "-p", "no:txt").output) if c.startswith("TXT")]
    assert "txt" not in load_plugins(["no:txt"]).info  # a blocked plugin is not active
    assert "txt" in load_plugins().info


def test_the_cache_key_holds_budgetlint_s_own_files(tmp_path, monkeypatch):
    # An edited rule or vocabulary in a development install keeps the version: the key must still change.
    rules = tmp_path / "rules"
    rules.mkdir()
    vocabulary = rules / "words.toml"
    vocabulary.write_text('words = ["a"]\n', encoding="utf-8")
    before = cache.files_stamp([tmp_path])
    vocabulary.write_text('words = ["a", "b"]\n', encoding="utf-8")
    assert cache.files_stamp([tmp_path]) != before
    keys = []
    for stamp in (before, cache.files_stamp([tmp_path])):
        monkeypatch.setattr(cache, "source_stamp", lambda stamp=stamp: stamp)
        keys.append(cache.Cache(tmp_path, "1.0", []).key(b"document", "settings"))
    assert keys[0] != keys[1]


def test_the_cache_key_holds_budgetlint_s_tabular_data(tmp_path):
    # The classification codes are a TSV beside the TOML packs.
    codes = tmp_path / "codes.tsv"
    codes.write_text("201\t一般公共服务支出\n", encoding="utf-8")
    before = cache.files_stamp([tmp_path])
    codes.write_text("201\t一般公共服务支出\n202\t外交支出\n", encoding="utf-8")
    assert cache.files_stamp([tmp_path]) != before


def test_a_p_module_without_a_version_is_versioned_by_its_file(plugin_module):
    path = plugin_module("unversioned_plugin", RULE.format(rules=""))
    first = load_plugins(["unversioned_plugin"]).info["unversioned_plugin"].version
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert first and load_plugins(["unversioned_plugin"]).info["unversioned_plugin"].version != first


# --- rules are validated when they register ------------------------------------------


@pytest.mark.parametrize(
    "name, rules, problem",
    [
        ("lowercase_plugin", 'make("lowercase-code")', "invalid rule 'lowercase-code': a rule code is 2 to 8 capital"),
        ("short_code_plugin", 'make("AB12")', "invalid rule 'AB12'"),
        ("undocumented_plugin", 'make("UND001", docs={})', "invalid rule 'UND001': the rule has no docs"),
        ("half_documented_plugin", 'make("UND002", docs={"en": {"what": "w"}})', "the rule has no docs"),
        ("twice_plugin", 'make("TWO001"), make("TWO001")', "plugin 'twice_plugin' registers rule TWO001 twice"),
        ("dict_rule_plugin", '{"code": "DIC001"}', "invalid rule {'code': 'DIC001'}: dict is not a budgetlint.rules.Rule"),
    ],
)
def test_invalid_rules_stop_start_up(reference, plugin_module, name, rules, problem):
    plugin_module(name, RULE.format(rules=rules))
    for command in (["check", str(reference)], ["rules"]):
        result = run(*command, "-p", name)
        assert result.exit_code == 2 and problem in result.output and name in result.output


def test_a_valid_third_party_rule_is_listed_and_documented(plugin_module):
    plugin_module("valid_rule_plugin", RULE.format(rules='make("VAL001")'))
    assert "VAL001" in run("rules", "-p", "valid_rule_plugin").output
    assert run("rule", "VAL001", "-p", "valid_rule_plugin").exit_code == 0


# --- hook-named functions without @hookimpl -----------------------------------------


def test_unmarked_hook_functions_are_warned_about(reference, plugin_module):
    plugin_module("budgetlint_unmarked", RULE.format(rules='make("UNM001")').replace("@hookimpl\n", ""))
    result = run("check", str(reference), "-p", "budgetlint_unmarked", "--lang", "en")
    assert result.exit_code == 1  # the warning does not change the outcome
    assert "Plugin warning: plugin 'budgetlint_unmarked': budgetlint_rules() is not marked @hookimpl" in result.stderr
    assert run("rules", "-p", "budgetlint_unmarked").stderr.count("budgetlint_rules()") == 1
    assert load_plugins().warnings == []


# --- one policy for plugins that cannot be used ------------------------------------------


@pytest.fixture
def broken_entry_point(monkeypatch):
    """An installed entry point whose module does not import."""
    broken = EntryPoint(name="broken", value="no_such_module_for_budgetlint", group="budgetlint")
    real = plugin_loading.entry_points
    monkeypatch.setattr(plugin_loading, "entry_points", lambda group: [*real(group=group), broken])
    monkeypatch.setattr(plugin_loading, "_distribution", lambda ep, seen: ("budgetlint-broken", "1.0"))
    spec._linter.cache_clear()
    spec._checker.cache_clear()
    yield
    spec._linter.cache_clear()
    spec._checker.cache_clear()


def test_an_entry_point_that_fails_to_load_stops_the_run(reference, broken_entry_point):
    result = run("check", str(reference))
    assert result.exit_code == 2 and "TXT002" not in result.output
    assert "plugin 'broken' (no_such_module_for_budgetlint) failed to load" in result.output
    assert "-p no:broken" in result.output
    assert run("check", str(reference), "-p", "no:broken").exit_code == 1
    with pytest.raises(PluginError, match="broken"):
        load_plugins()


def test_a_p_module_that_fails_to_load_stops_the_run_too(reference):
    result = run("check", str(reference), "-p", "no_such_module_for_budgetlint")
    assert result.exit_code == 2 and "cannot import" in result.output and "TXT002" not in result.output


def test_a_registration_hook_that_raises_stops_the_run(reference, plugin_module):
    plugin_module("raising_rules_plugin", """
        from budgetlint.hookspecs import hookimpl

        @hookimpl
        def budgetlint_rules():
            raise OSError("rules file missing")
    """)
    result = run("check", str(reference), "-p", "raising_rules_plugin")
    assert result.exit_code == 2 and "TXT002" not in result.output  # nothing is checked with rules missing
    assert "plugin 'raising_rules_plugin' failed in budgetlint_rules: rules file missing" in result.output
    assert "-p no:raising_rules_plugin" in result.output


def test_the_built_in_plugins_load_without_warnings(reference):
    result = run("check", str(reference))
    assert result.exit_code == 1 and not result.stderr


# --- a finding of a severity its rule does not declare --------------------------------


def test_a_finding_of_an_undeclared_severity_is_refused():
    rules = load_plugins().rules
    info = Severity.INFO
    assert rules["IND003"].finding(Location("x.txt"), "en", variant="vague", severity=info, level2="a", indicator="b", value="c")
    with pytest.raises(ValueError, match="TXT001 reports info"):
        rules["TXT001"].finding(Location("x.txt"), "en", severity=info, word="x", context="y")


def test_every_severity_the_rule_data_assigns_is_declared_by_its_rule():
    rules = load_plugins().rules
    data = tomllib.loads((Path(__file__).resolve().parents[1] / "rules" / "doc.toml").read_text(encoding="utf-8"))
    assigned = {("DOC001", e["severity"]) for e in data["required_tables"]} | {("DOC008", e["severity"]) for e in data["residue"]}
    assert {(code, Severity.parse(s)) for code, s in assigned} <= {(c, s) for c, r in rules.items() for s in r.severities}

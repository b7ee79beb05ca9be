"""The UNIT (units and magnitudes) rules, run through the real plugin manager.

Each test injects one defect into a copy of the reference document and
asserts exactly which new finding appears (rule, line, logical path); the
same amount written in another unit, and decimals the unit allows, add none.
The reference itself has no UNIT finding.
"""

from __future__ import annotations

import pytest
import regex

from budgetlint.findings import Finding, Severity
from budgetlint.plugins import load_plugins
from helpers import SHARED, assert_rules_registered, inject, inject_after, line_of, lint, new_findings, only, reference_text

CODES = ("UNIT001", "UNIT002", "UNIT003", "UNIT004")
FAMILIES = ("XREF", "UNIT")
BASIC_ECONOMIC = "## 2026年一般公共预算安排基本支出分经济科目表"
GENERAL_EXPENSE = "## 2026年一般公共预算支出预算表"
PROJECTS = "## 2026年项目支出预算表（本年预算）"


@pytest.fixture(scope="module")
def baseline() -> list[Finding]:
    return lint(reference_text(), select=FAMILIES)


def added(baseline: list[Finding], text: str) -> list[Finding]:
    return new_findings(baseline, lint(text, select=FAMILIES))


def test_unit_rules_register_with_docs_in_both_languages():
    plugins = load_plugins()
    assert_rules_registered(plugins, CODES, "unit")


def test_reference_document_has_no_unit_findings(baseline):
    # Checked by hand: the 万元 tables and narrative and the 元 forms agree once converted
    # (52,800元 = 5.28万元), and every column keeps two decimals.
    assert [f for f in baseline if f.code.startswith("UNIT")] == []


# --- UNIT001 a statement off by a unit slip -----------------------------------


def test_narrative_amount_written_in_yuan_instead_of_wan(baseline):
    text = inject("公用经费5.00万元", "公用经费5.00元")
    finding = only(added(baseline, text), "UNIT001")  # a UNIT finding, not XREF002
    assert finding.severity is Severity.ERROR
    assert (finding.location.line, finding.location.logical) == (
        line_of(text, "公用经费5.00元"),
        ("六、一般公共预算基本支出情况说明", "公用经费"),
    )
    assert (
        finding.message.startswith("正文中“公用经费”为 5.00元")
        and "5.00万元" in finding.message
        and "10⁴" in finding.message
    )


def test_narrative_total_written_in_yuan(baseline):
    text = inject("预算收入总计1,491.74万元", "预算收入总计1,491.74元")
    finding = only(added(baseline, text), "UNIT001")
    assert finding.location.line == line_of(text, "1,491.74元")
    assert "收入总计" in finding.message or "本年收入合计" in finding.message


def test_form_funds_typed_in_wan_under_a_yuan_header(baseline):
    text = inject("年度资金总额:\t52,800", "年度资金总额:\t5.28")
    finding = only(added(baseline, text), "UNIT001")  # not XREF003
    assert (finding.location.line, finding.location.logical) == (
        line_of(text, "年度资金总额:\t5.28"),
        ("就业见习专项经费", "年度资金总额"),
    )
    assert "5.28元" in finding.message and "5.28万元" in finding.message


def test_one_table_cell_written_in_yuan(baseline):
    text = inject_after(GENERAL_EXPENSE, "2101102\t事业单位医疗\t7.26", "2101102\t事业单位医疗\t72600.00")
    finding = only(added(baseline, text), "UNIT001")  # the cell, not XREF001, nor UNIT002 for the table
    assert finding.location.line == line_of(text, "72600.00")
    assert finding.location.logical == (
        "2026年一般公共预算支出预算表(不含上年结转)",
        "事业单位医疗",
        "2026年预算数/合计",
    )
    assert "72600.00万元" in finding.message and "7.26万元" in finding.message and "10⁴ 倍" in finding.message


@pytest.mark.parametrize(
    "old, new",
    [
        ("公用经费5.00万元", "公用经费50,000元"),
        ("公用经费5.00万元", "公用经费0.0005亿元"),
        ("年度资金总额:\t52,800", "年度资金总额:\t52,800.00"),
    ],
)
def test_the_same_amount_in_another_unit_is_no_slip(baseline, old, new):
    assert added(baseline, inject(old, new)) == []


# --- UNIT002 a table's declared unit --------------------------------------------


def test_table_declared_in_yuan_with_wan_amounts(baseline):
    text = inject_after(BASIC_ECONOMIC, "单位：万元", "单位：元")
    finding = only(added(baseline, text), "UNIT002")  # once for the table, no UNIT001 per cell
    assert finding.severity is Severity.ERROR
    assert finding.location.logical == ("2026年一般公共预算安排基本支出分经济科目表(不含上年结转)",)
    assert finding.location.line == line_of(text, "部门预算支出经济科目名称")  # the table's first row
    assert "声明单位为元" in finding.message and "以万元计" in finding.message and "10⁴ 倍" in finding.message


def test_project_table_whose_amounts_match_the_forms_only_after_a_factor(baseline):
    # 万元 declared, but every form's 元 amount and the 支出总表 disagree by 10⁴.
    text = inject_after(PROJECTS, "单位：万元", "单位：元")
    finding = only(added(baseline, text), "UNIT002")
    assert finding.location.logical == ("2026年项目支出预算表(本年预算)",)
    assert "17 处" in finding.message  # the department total and 16 forms named like a project
    assert len(finding.related) == 17


def test_project_table_holding_yuan_amounts_under_a_wan_header(baseline):
    # The 项目支出表 keeps 单位：万元 but lists every amount in 元 (799.20 → 7992000.00):
    # its figures equal the forms' 元 amounts and are 10⁴ times the 支出总表's.
    text = reference_text()
    start = text.index(PROJECTS)
    end = text.index("## ", start + len(PROJECTS))
    block = regex.sub(r"(?<=\t)(\d+)\.(\d\d)(?=\t)", lambda m: f"{int(m[1] + m[2]) * 100}.00", text[start:end])
    text = text[:start] + block + text[end:]
    assert "就业见习专项经费\t52800.00\t52800.00" in text
    finding = only(added(baseline, text), "UNIT002")
    assert finding.location.logical == ("2026年项目支出预算表(本年预算)",)
    assert "声明单位为万元" in finding.message and "金额实为以元计" in finding.message and "17 处" in finding.message


def test_a_table_compared_once_is_no_table_slip(baseline):
    # Only one of the 机关运行经费 table's amounts is compared (none is non-zero): no UNIT002.
    text = inject_after("2026年财政拨款安排机关运行经费预算表\n", "单位：万元", "单位：元")
    assert [f for f in added(baseline, text) if f.code == "UNIT002"] == []


# --- UNIT003 more decimals than the unit allows -------------------------------------


def test_form_amount_below_the_fen(baseline):
    text = inject("年度资金总额:\t52,800", "年度资金总额:\t52,800.125")
    finding = only(added(baseline, text), "UNIT003")
    assert finding.severity is Severity.ERROR
    assert finding.location.logical == ("就业见习专项经费", "年度资金总额")
    assert "52,800.125" in finding.message and "3 位小数" in finding.message and "2 位" in finding.message


def test_table_amount_beyond_six_decimals_of_wan(baseline):
    text = inject("省校合作经费\t40.00\t40.00", "省校合作经费\t40.0000001\t40.00")
    findings = sorted(added(baseline, text), key=lambda f: f.code)
    assert [f.code for f in findings] == ["UNIT003", "UNIT004"]
    assert findings[0].severity is Severity.ERROR
    assert {f.location.line for f in findings} == {line_of(text, "40.0000001")}


def test_narrative_amount_below_the_fen_is_a_warning(baseline):
    text = inject("公用经费5.00万元", "公用经费50,000.005元")
    finding = only(added(baseline, text), "UNIT003")
    assert finding.severity is Severity.WARNING
    assert finding.location.line == line_of(text, "50,000.005")


@pytest.mark.parametrize(
    "old, new",
    [
        ("公用经费5.00万元", "公用经费5.000001万元"),  # 万元 carries six decimals
        ("政府采购预算总额15.20万元。", "政府采购预算总额15.20万元。电价按0.125元/千瓦时计。"),  # a unit price
    ],
)
def test_decimals_the_unit_allows_are_fine(baseline, old, new):
    assert [f for f in added(baseline, inject(old, new)) if f.code == "UNIT003"] == []


# --- UNIT004 mixed decimal counts in a column -------------------------------------


def test_extra_decimal_in_a_column_of_two_decimal_amounts(baseline):
    text = inject("就业见习专项经费\t5.28\t5.28", "就业见习专项经费\t5.280\t5.28")
    finding = only(added(baseline, text), "UNIT004")
    assert finding.severity is Severity.WARNING
    assert finding.location.line == line_of(text, "5.280")
    assert finding.location.logical == ("2026年项目支出预算表(本年预算)", "就业见习专项经费", "合计")
    assert "“5.280”" in finding.message and "3 位小数" in finding.message and "2 位" in finding.message


def test_missing_decimals_in_a_column_is_an_info(baseline):
    text = inject("省校合作经费\t40.00\t40.00", "省校合作经费\t40\t40.00")
    finding = only(added(baseline, text), "UNIT004")
    assert finding.severity is Severity.INFO
    assert finding.location.line == line_of(text, "省校合作经费\t40\t")


def test_a_table_in_general_format_is_no_unit_problem(baseline):
    # Whole-元 tables printed in general format drop trailing zeros: 1514331.7, 5200 among 4788320.66
    text = reference_text()
    for old, new in (("省校合作经费\t40.00\t40.00", "省校合作经费\t40\t40.00"),
                     ("就业见习专项经费\t5.28\t5.28", "就业见习专项经费\t5.28\t5.3"),
                     ("干教专项经费\t30.00\t30.00", "干教专项经费\t30.00\t30")):
        text = inject(old, new, text)
    assert [f for f in added(baseline, text) if f.code == "UNIT004"] == []
    stray = inject("劳动保障监察印刷费\t3.00\t3.00", "劳动保障监察印刷费\t3.000\t3.00", text)
    assert [f.code for f in added(baseline, stray)] == ["UNIT004"]  # more decimals are still a stray digit


def test_zeros_and_short_columns_set_no_decimal_count(baseline):
    text = inject("二、政府性基金预算\t\t二、外交支出\t\t\t\n", "二、政府性基金预算\t0\t二、外交支出\t0\t0\t\n")
    assert [f for f in added(baseline, text) if f.code == "UNIT004"] == []


# --- other documents ------------------------------------------------------------


def test_real_corpus_texts_run_without_errors_from_uncertain_tables():
    texts = sorted((SHARED / "corpus" / "real").glob("*.txt"))
    if not texts:
        pytest.skip("no real corpus")
    for path in texts:
        findings = lint(path.read_text(encoding="utf-8"), select=("UNIT", "LINT002"), path=str(path))
        assert not [f for f in findings if f.code == "LINT002"], path
        assert not [f for f in findings if f.severity is Severity.ERROR], path

"""The XREF (cross-reference) rules, run through the real plugin manager.

Every test injects one defect into a copy of the reference document and
asserts exactly which new finding appears (rule, line, logical path); near
misses (rounding tails, other years, unit conversions) must add none.  The
reference itself has no XREF finding: its tables, narrative and forms agree
(the two forms whose names differ from the project table are NAME's concern).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlint.config import ConfigResolver, Overrides
from budgetlint.engine import Linter
from budgetlint.findings import Finding, Severity
from budgetlint.plugins import load_plugins
from helpers import (
    SHARED,
    assert_rules_registered,
    codes,
    inject,
    inject_after,
    line_of,
    lint,
    lint_city_pdf,
    new_findings,
    only,
    reference_text,
)

CODES = tuple(f"XREF00{n}" for n in range(1, 10))
FAMILIES = ("XREF", "UNIT")
GENERAL_EXPENSE = "## 2026年一般公共预算支出预算表"
BASIC_ECONOMIC = "## 2026年一般公共预算安排基本支出分经济科目表"
PROJECTS = "## 2026年项目支出预算表（本年预算）"
FISCAL_SUMMARY = "## 2026年财政拨款收支总表"
SUMMARY = "## 2026年预算收支总表"


@pytest.fixture(scope="module")
def baseline() -> list[Finding]:
    return lint(reference_text(), select=FAMILIES)


def added(baseline: list[Finding], text: str) -> list[Finding]:
    return new_findings(baseline, lint(text, select=FAMILIES))


# --- registration and the reference ---------------------------------------


def test_xref_rules_register_with_docs_in_both_languages():
    plugins = load_plugins()
    assert_rules_registered(plugins, CODES, "xref")


def test_reference_document_cross_references_agree(baseline):
    # Checked by hand: every table copy, narrative amount, form total and count
    # of the reference agrees; 干部专项经费/干教专项经费 and 劳动保障监察印制费/印刷费
    # differ by name (NAME's concern), and the empty 机关运行经费 table beside
    # 公用经费 5.00 is no finding: basic spending is classified 事业运行, a 事业单位's.
    assert baseline == []


# --- XREF001 the same amount in two tables ----------------------------------


def test_one_tables_copy_of_a_class_row_is_reported_against_the_others(baseline):
    text = inject_after(GENERAL_EXPENSE, "201\t一般公共服务支出\t1448.10", "201\t一般公共服务支出\t1448.20")
    finding = only(added(baseline, text), "XREF001")
    assert finding.severity is Severity.ERROR
    assert finding.location.line == line_of(text, "1448.20")
    assert finding.location.logical == (
        "2026年一般公共预算支出预算表(不含上年结转)",
        "一般公共服务支出",
        "2026年预算数/合计",
    )
    assert "1448.20万元" in finding.message and "1448.10万元" in finding.message and "0.10万元" in finding.message
    # the four other tables stating 一般公共服务支出 are the related locations
    assert [r.logical[0] for r in finding.related] == [
        "2026年预算收支总表",
        "2026年预算收入总表",
        "2026年预算支出总表",
        "2026年财政拨款收支总表",
    ]


def test_income_source_row_of_the_fiscal_summary_is_compared_with_the_other_income_tables(baseline):
    text = inject_after(FISCAL_SUMMARY, "一、一般公共预算\t1491.74", "一、一般公共预算\t1491.84")
    finding = only(added(baseline, text), "XREF001")
    assert finding.location.line == line_of(text, "1491.84")
    assert finding.location.logical[:2] == ("2026年财政拨款收支总表", "一般公共预算")


def test_basic_spending_total_of_the_economic_table_against_the_expense_tables(baseline):
    text = inject_after(BASIC_ECONOMIC, "合计\t\t152.01", "合计\t\t152.11")
    finding = only(added(baseline, text), "XREF001")
    assert finding.location.line == line_of(text, "152.11")
    assert finding.location.logical == (
        "2026年一般公共预算安排基本支出分经济科目表(不含上年结转)",
        "合计",
        "2026年预算数/合计",
    )
    assert "152.11万元" in finding.message and "152.01万元" in finding.message


def test_project_table_total_against_the_project_column_of_the_expense_tables(baseline):
    text = inject_after(
        PROJECTS, "朔州经济开发区组织和人力资源部\t1339.73\t1339.73", "朔州经济开发区组织和人力资源部\t1339.93\t1339.93"
    )
    finding = only(added(baseline, text), "XREF001")
    assert finding.location.line == line_of(text, "1339.93")
    assert finding.location.logical[:2] == ("2026年项目支出预算表(本年预算)", "朔州经济开发区组织和人力资源部")
    assert "0.20万元" in finding.message


@pytest.mark.parametrize("stated, reported", [("40.00", False), ("45.00", True)])
def test_a_project_restated_in_the_narrative_against_its_row(baseline, stated, reported):
    """省校合作经费 is 40.00万元 in the 项目支出表."""
    sentence = "特定目标类项目17个，涉及金额1,318.66万元。"
    text = inject(sentence, f"{sentence}其中省校合作经费{stated}万元。")
    found = [f for f in added(baseline, text) if f.code.startswith("XREF")]
    if not reported:
        assert found == []
        return
    finding = only(found, "XREF002")
    assert finding.location.line == line_of(text, f"省校合作经费{stated}")
    assert "40.00万元" in finding.message and "45.00万元" in finding.message


def test_a_difference_within_rounding_is_not_a_mismatch(baseline):
    # 1448.11 and 1448.10 stand for overlapping intervals (±0.005): a rounding tail.
    text = inject_after(GENERAL_EXPENSE, "201\t一般公共服务支出\t1448.10", "201\t一般公共服务支出\t1448.11")
    assert [f for f in added(baseline, text) if f.code.startswith("XREF")] == []


@pytest.mark.parametrize("fund_money, reported", [(False, True), (True, False)])
def test_general_budget_columns_repeat_the_totals_only_without_other_sources(baseline, fund_money, reported):
    # 201's 一般公共预算 copies (收入总表, 财政拨款收支总表 and 一般公共预算支出表) read 1438.10
    # while its all-funds totals read 1448.10: consistent once 政府性基金 money exists,
    # a mismatch when 一般公共预算 is the only source.
    text = inject_after(
        "## 2026年预算收入总表", "201\t一般公共服务支出\t1448.10\t1448.10", "201\t一般公共服务支出\t1448.10\t1438.10"
    )
    text = inject_after(
        FISCAL_SUMMARY, "一、一般公共服务支出\t1448.10\t1448.10", "一、一般公共服务支出\t1448.10\t1438.10", text
    )
    text = inject_after(GENERAL_EXPENSE, "201\t一般公共服务支出\t1448.10", "201\t一般公共服务支出\t1438.10", text)
    if fund_money:
        text = inject_after(
            SUMMARY, "二、政府性基金预算\t\t二、外交支出", "二、政府性基金预算\t10.00\t二、外交支出", text
        )
    about_201 = [f for f in added(baseline, text) if f.code == "XREF001" and "1438.10" in f.message]
    assert bool(about_201) is reported
    if reported:
        assert [f.location.line for f in about_201] == [line_of(text, "1438.10", after=GENERAL_EXPENSE)]


# --- XREF002 narrative against the tables -----------------------------------


def test_narrative_amount_differing_from_its_table_is_reported(baseline):
    text = inject("一般公共预算安排基本支出152.01万元", "一般公共预算安排基本支出152.10万元")
    finding = only(added(baseline, text), "XREF002")
    assert finding.severity is Severity.ERROR
    assert (finding.location.line, finding.location.logical) == (
        line_of(text, "152.10万元"),
        ("六、一般公共预算基本支出情况说明", "一般公共预算安排基本支出"),
    )
    assert "152.10万元" in finding.message and "152.01万元" in finding.message and "0.09万元" in finding.message


@pytest.mark.parametrize("stated, severity", [("152", None), ("153", Severity.WARNING), ("150", Severity.ERROR)])
def test_a_whole_amount_one_unit_off_is_a_warning(baseline, stated, severity):
    # 152.01万元 stated as whole 万元: 152 is a rounding; 153 is one unit of its last digit off (careless
    # rounding: a warning, severity follows the size); 150 is a wrong figure
    text = inject("一般公共预算安排基本支出152.01万元", f"一般公共预算安排基本支出{stated}万元")
    found = [f for f in added(baseline, text) if f.code == "XREF002"]
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_narrative_class_amount_is_matched_by_row_label(baseline):
    text = inject("住房保障支出12.28万元等", "住房保障支出12.38万元等")
    finding = only(added(baseline, text), "XREF002")
    assert finding.location.line == line_of(text, "12.38万元")
    assert finding.location.logical[-1] == "住房保障支出"


def test_amount_after_a_project_count_is_the_project_total(baseline):
    text = inject("共计金额1,339.73万元", "共计金额1,393.73万元")
    finding = only(added(baseline, text), "XREF002")
    assert finding.location.line == line_of(text, "1,393.73")
    assert "54.00万元" in finding.message


def test_narrative_subject_with_a_qualifier_is_matched(baseline):
    text = inject("本年预算安排1,491.74万元", "本年预算安排1,497.14万元")
    finding = only(added(baseline, text), "XREF002")
    assert finding.location.line == line_of(text, "1,497.14")


@pytest.mark.parametrize(
    "old, new",
    [
        ("公用经费5.00万元", "公用经费5.01万元"),  # a rounding tail (touching intervals)
        ("公用经费5.00万元", "公用经费5.0万元"),  # fewer decimals, same amount
        ("公用经费5.00万元", "公用经费50,000元"),  # the same amount in 元
        ("人员经费147.01万元", "人员经费1,470,100元"),
        ("本年收入1,491.74万元，上年结转0万元", "本年收入1,491.74万元，上年结转0.00万元"),
    ],
)
def test_narrative_near_misses_are_not_reported(baseline, old, new):
    assert added(baseline, inject(old, new)) == []


def test_amounts_of_another_year_are_not_compared(baseline):
    sentence = "其中：基本支出152.01万元，占10.19%；"
    for extra in ("2025年预算收入总计1,450.00万元，", "上年预算收入总计1,450.00万元，"):
        assert added(baseline, inject(sentence, extra + sentence)) == []


def test_department_form_total_against_the_tables(baseline):
    text = inject(
        "\t其中:一般公共预算资金\t1491.74\t其中:基本支出\t152.01",
        "\t其中:一般公共预算资金\t1491.74\t其中:基本支出\t125.01",
    )
    finding = only(added(baseline, text), "XREF002")
    assert finding.location.line == line_of(text, "125.01")
    assert finding.location.logical[-1] == "其中:基本支出"
    assert finding.message.startswith("县(区)级预算部门(单位)整体支出绩效目标申报表中“基本支出”为 125.01万元")


# --- XREF003 绩效目标表 against the 项目支出表 -------------------------------


def test_form_annual_funds_differing_from_the_project_line(baseline):
    text = inject("年度资金总额:\t52,800", "年度资金总额:\t62,800")
    finding = only(added(baseline, text), "XREF003")
    assert finding.severity is Severity.ERROR
    assert (finding.location.line, finding.location.logical) == (
        line_of(text, "62,800"),
        ("就业见习专项经费", "年度资金总额"),
    )
    assert "62,800元" in finding.message and "5.28万元" in finding.message and "10000元" in finding.message
    assert finding.related[0].line == line_of(text, "就业见习专项经费\t5.28")


@pytest.mark.parametrize(
    "old, new",
    [
        ("年度资金总额:\t52,800", "年度资金总额:\t52,800.00"),
        ("年度资金总额:\t52,800", "年度资金总额:\t52,804"),  # within 5.28万元's rounding (±50元)
        ("年度资金总额:\t\t300,000", "年度资金总额:\t\t400,000"),  # 干部专项经费: no project of that name
    ],
)
def test_form_near_misses_are_not_reported(baseline, old, new):
    assert [f for f in added(baseline, inject(old, new)) if f.code == "XREF003"] == []


def test_project_line_differing_from_its_form(baseline):
    text = inject("省校合作经费\t40.00\t40.00", "省校合作经费\t41.00\t41.00")
    finding = only(added(baseline, text), "XREF003")
    assert finding.location.logical == ("省校合作经费", "年度资金总额")
    assert "400,000元" in finding.message and "41.00万元" in finding.message


# --- XREF004 counts -----------------------------------------------------------


def test_project_count_differing_from_the_project_table(baseline):
    text = inject("二级项目18个", "二级项目17个")
    finding = only(added(baseline, text), "XREF004")
    assert finding.severity is Severity.WARNING
    assert finding.location.line == line_of(text, "17个")
    assert finding.location.logical == ("2、项目绩效目标", "纳入绩效目标管理的二级项目")
    assert "17" in finding.message and "18 个项目" in finding.message


def test_published_form_count_differing_from_the_forms(baseline):
    text = inject("公开项目绩效目标18个", "公开项目绩效目标19个")
    finding = only(added(baseline, text), "XREF004")
    assert finding.location.line == line_of(text, "19个")
    assert "18 张" in finding.message


def test_a_count_of_first_level_projects_is_not_the_project_tables(baseline):
    # 涉及一级预算项目3个: the 一级 projects group the 二级 ones the table lists.
    assert added(baseline, inject("二级项目18个", "一级预算项目3个")) == []
    assert added(baseline, inject("二级项目18个", "二级预算项目3个")) != []


def test_sub_counts_are_not_compared(baseline):
    assert added(baseline, inject("其中：其他运转类项目1个，涉及金额", "其中：其他运转类项目2个，涉及金额")) == []


# --- XREF005 and XREF006 "no data" against data --------------------------------


def test_data_in_a_table_noted_empty_and_denied_by_the_text(baseline):
    text = inject("公务接待费\t\t\t\t\n", "公务接待费\t1.00\t1.00\t\t\t\n")
    findings = sorted(added(baseline, text), key=lambda f: f.code)
    assert [f.code for f in findings] == ["XREF005", "XREF006"]
    note, statement = findings
    assert note.severity is Severity.ERROR
    assert note.location.line == line_of(text, "注：本表无数据", after="公务接待费\t1.00")
    assert note.related[0].line == line_of(text, "公务接待费\t1.00")
    assert "公务接待费" in note.message and "1.00万元" in note.message
    assert statement.severity is Severity.WARNING
    assert (statement.location.line, statement.location.column) == (line_of(text, "本部门无“三公”经费预算"), 4)
    assert statement.location.logical == ("2026年财政拨款安排“三公”经费支出预算表", "无“三公”经费")


def test_data_in_the_admin_running_table_against_its_note_and_the_text(baseline):
    text = inject("部门合计\t\t\t\t\n", "部门合计\t3.00\t3.00\t\t\t\n")
    findings = sorted(added(baseline, text), key=lambda f: f.code)
    assert [f.code for f in findings] == ["XREF005", "XREF006"]
    assert findings[1].location.line == line_of(text, "本单位无机关运行经费")


def test_a_column_number_row_is_no_data(baseline):
    # 栏次 1 2 3 4 numbers the columns of an empty table; the text's 无机关运行经费 still holds
    text = inject("\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算\n部门合计",
                  "\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算\n栏次\t1\t2\t3\t4\n部门合计")
    assert added(baseline, text) == []
    data = inject("部门合计\t\t\t\t\n", "部门合计\t3.00\t3.00\t\t\t\n", text)
    assert sorted(f.code for f in added(baseline, data)) == ["XREF005", "XREF006"]


def test_explicit_zeros_are_no_data(baseline):
    assert added(baseline, inject("公务接待费\t\t\t\t\n", "公务接待费\t0.00\t0.00\t\t\t\n")) == []


# --- XREF007 机关运行经费 and 公用经费 --------------------------------------


def test_declared_administrative_unit_with_empty_admin_running_table(baseline):
    text = inject("本部门无“三公”经费预算。", "本部门无“三公”经费预算。本单位为行政单位。")
    finding = only(added(baseline, text), "XREF007")
    assert finding.severity is Severity.WARNING
    assert finding.location.logical == ("2026年财政拨款安排机关运行经费预算表", "部门合计", "2026预算数/合计")
    assert "0万元" in finding.message and "5.00万元" in finding.message
    assert finding.related[0].line == line_of(text, "合计\t\t152.01\t147.01\t5.00")


def test_administrative_classification_alone_gives_an_info(baseline):
    text = reference_text()
    for old, new in (("事业运行", "行政运行"), ("事业单位离退休", "行政单位离退休"), ("事业单位医疗", "行政单位医疗")):
        text = inject(old, new, text, count=text.count(old))
    finding = only(added(baseline, text), "XREF007")
    assert finding.severity is Severity.INFO


def test_admin_running_equal_to_public_funds_is_fine(baseline):
    text = inject("本部门无“三公”经费预算。", "本部门无“三公”经费预算。本单位为行政单位。")
    text = inject("部门合计\t\t\t\t\n", "部门合计\t5.00\t5.00\t\t\t\n", text)
    assert [f for f in added(baseline, text) if f.code == "XREF007"] == []


def test_definition_of_admin_running_funds_is_no_declaration():
    # The reference's 名词解释 defines 机关运行经费 for 行政单位: that says nothing about this unit.
    assert "指行政单位和参照公务员法管理的事业单位" in reference_text()
    assert [f for f in lint(reference_text(), select=("XREF007",))] == []


# --- XREF008 one quantity stated twice ------------------------------------------


def test_narrative_amount_restated_with_another_value(baseline):
    text = inject("政府采购预算总额15.20万元。", "政府采购预算总额15.20万元。本年政府采购预算总额16.20万元。")
    finding = only(added(baseline, text), "XREF008")
    assert finding.severity is Severity.WARNING
    assert finding.location.line == line_of(text, "16.20万元")
    assert finding.location.column == text.splitlines()[finding.location.line - 1].index("16.20") + 1
    assert finding.related[0].line == finding.location.line
    assert "16.20万元" in finding.message and "15.20万元" in finding.message


def test_the_value_stated_most_often_wins(baseline):
    text = inject(
        "政府采购预算总额15.20万元。",
        "政府采购预算总额16.20万元。政府采购预算总额15.20万元。据此，政府采购预算总额15.20万元。",
    )
    finding = only(added(baseline, text), "XREF008")
    assert "16.20万元" in finding.message
    assert finding.location.column == text.splitlines()[finding.location.line - 1].index("16.20") + 1


def test_one_sentence_giving_a_subject_two_values_speaks_of_two_scopes(baseline):
    # 整体…涉及财政性资金A；项目…涉及财政性资金合计B: the whole and its projects, not a slip.
    sentence = "政府采购预算总额15.20万元；本年政府采购预算总额12.20万元。"
    assert added(baseline, inject("政府采购预算总额15.20万元。", sentence)) == []
    text = inject("政府采购预算总额15.20万元。", sentence.replace("；", "。"))  # two sentences: a restatement
    assert "12.20万元" in only(added(baseline, text), "XREF008").message


def test_parts_of_different_wholes_are_different_quantities(baseline):
    # …预算资金235万元，其中财政拨款235万元。…预算资金75万元，其中财政拨款75万元: two scopes.
    lead = "政府采购预算总额15.20万元。"
    parts = "项目预算资金235.00万元，其中专项财政拨款235.00万元。评价项目预算资金75.00万元，其中专项财政拨款{}万元。"
    assert added(baseline, inject(lead, lead + parts.format("75.00"))) == []
    slip = lead + parts.format("75.00").replace("评价项目预算资金75.00", "评价项目预算资金235.00")
    assert "75.00万元" in only(added(baseline, inject(lead, slip)), "XREF008").message  # one whole, two values


def test_labels_repeated_down_a_list_are_not_one_quantity(baseline):
    # 预算安排 (or any subject) taking three different values is a list, not a restatement.
    text = inject(
        "政府采购预算总额15.20万元。",
        "政府采购预算总额15.20万元。甲项目预算安排3.00万元，乙项目预算安排4.00万元，丙项目预算安排5.00万元。",
    )
    assert added(baseline, text) == []


@pytest.mark.parametrize(
    "item, reported",
    [
        ("1.省校合作经费40.00万元", []),  # a project of the 项目支出表: its carry-over and costs are its own
        ("1.专家服务项目40.00万元", []),  # a numbered item no table names
        ("1.预算支出总计1,491.74万元", ["XREF002", "XREF002"]),  # the department's total: its parts are its own
    ],
)
def test_the_parts_of_a_numbered_project_are_not_the_departments(baseline, item, reported):
    # 上年结转10.00万元 is not the department's 上年结转 (0), 事业运行5.00万元 not the row 2013250 (108.37)
    paragraph = f"{item}，主要包括：专家讲座费25.00万元，上年结转10.00万元，用于专家服务；事业运行5.00万元，用于后勤保障。\n"
    anchor = "（项目绩效目标表公开情况见附件）\n"
    assert codes(added(baseline, inject(anchor, anchor + "\n" + paragraph))) == reported


def test_a_real_project_paragraph_states_its_own_parts():
    """深圳口岸办 p8: "5.综合管理367.65万元,主要包括:…行政运行85.04万元…" and "3.上级转移支付项目…上年结转564.09万元"
    are one project's lines, not the function row 行政运行 (3,053.34) or the department's 上年结余、结转 (753.13)."""
    assert lint_city_pdf("2026-guangdong-shenzhen-renminzhengfukouanbangongshi-dept-budget.pdf", ("XREF002",)) == []


# --- layouts of published disclosures ---------------------------------------------


def disclosure(*blocks: str) -> str:
    """A small document in the reference's marked form: # headings, tab-separated rows."""
    return "\n\n".join(["# 某部门2025年度部门预算", *blocks]) + "\n"


ECONOMIC_RECEPTION = """## 2025年部门一般公共预算基本支出部门预算经济分类预算表

单位：万元

科目编码\t科目名称\t合计
\t合计\t68.50
302\t商品和服务支出\t68.50
30201\t办公费\t50.00
30217\t公务接待费\t18.50"""

WIDE_THREE_PUBLIC = """## 2025年部门“三公”经费和机关运行经费预算表

单位：万元

“三公”经费预算数\t\t\t\t\t\t机关运行经费预算数
合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\t\t\t
\t\t\t小计\t购置费\t运行费\t
867.50\t839.00\t28.50\t\t\t\t213.28"""


@pytest.mark.parametrize("stated, reported", [("28.50", False), ("30.00", True)])
def test_a_three_public_item_is_compared_with_its_column_of_a_one_row_table(stated, reported):
    # 公务接待费 of the 三公 table (28.50, basic and project spending) is not its basic-spending
    # economic row (18.50); a narrative amount agreeing with either is no mismatch.
    text = disclosure(ECONOMIC_RECEPTION, WIDE_THREE_PUBLIC, f"## 其他相关情况说明\n\n（三）公务接待费{stated}万元。")
    found = lint(text, select=("XREF",))
    if not reported:
        assert found == []
        return
    finding = only(found, "XREF002")
    assert finding.location.line == line_of(text, stated)
    assert {r.logical for r in finding.related} >= {
        ("2025年部门“三公”经费和机关运行经费预算表", "“三公”经费预算数/公务接待费"),
    }


def test_an_amount_without_a_subject_names_no_unlabelled_row():
    # a row the model could not label is no quantity a subject-less number could name
    table = (
        "## 一般公共预算基本支出经济分类预算表\n\n单位：万元\n\n"
        "科目编码\t科目名称\t合计\n\t合计\t300.00\n301\t工资福利支出\t200.00\n\t\t100.00"
    )
    text = disclosure(table, "## 情况说明\n\n本部门各项经费安排如下，150.00万元。")
    assert lint(text, select=("XREF",)) == []


FISCAL_BY_CLASS = """## 一、财政拨款收支预算总表

单位：万元

收入\t\t支出\t
项目名称\t金额\t项目名称\t金额
一、一般公共预算\t300.00\t一、基本支出\t250.00
\t\t二、项目支出\t50.00
收入合计\t300.00\t支出合计\t300.00"""


@pytest.mark.parametrize(
    "sentence, reported",
    [
        ("（一）公共安全支出（类）检察（款）：2025年预算支出合计200.00万元。", False),
        ("住房改革支出(款): 2025年预算支出合计100.00万元。", False),
        ("2025年预算支出合计200.00万元。", True),  # the department's own total
    ],
)
def test_a_total_named_after_a_classification_item_is_that_items(sentence, reported):
    text = disclosure(FISCAL_BY_CLASS, f"## 三、财政拨款支出预算情况说明\n\n{sentence}")
    found = lint(text, select=("XREF",))
    assert [f.code for f in found] == (["XREF002"] if reported else [])


SUMMARY_WITH_OTHER_MONEY = """## 一、收支预算总表

单位：万元

收入\t\t支出\t
项目名称\t金额\t项目名称\t金额
一、财政拨款\t300.00\t一、基本支出\t260.00
二、其他资金\t{other}\t二、项目支出\t{project}
收入合计\t{total}\t支出合计\t{total}"""


@pytest.mark.parametrize("section, reported", [("一、收支预算总体情况说明", False), ("三、财政拨款支出预算情况说明", True)])
def test_a_fiscal_table_says_nothing_of_other_money(section, reported):
    # the only income table is a 财政拨款 one: the department's own total (all funds) may exceed it;
    # under a 财政拨款 heading the same words name the fiscal total, and 200.00 against 300.00 is found
    text = disclosure(FISCAL_BY_CLASS, f"## {section}\n\n2025年预算支出合计200.00万元。")
    assert [f.code for f in lint(text, select=("XREF",))] == (["XREF002"] if reported else [])


@pytest.mark.parametrize("other, project, total, reported", [("15.00", "55.00", "315.00", False), ("", "40.00", "300.00", True)])
def test_income_beyond_the_fiscal_sources_keeps_the_scopes_apart(other, project, total, reported):
    # 其他资金 15.00 (a source no vocabulary names) makes the all-funds total 315.00: its 基本支出 260.00
    # and the 财政拨款 table's 250.00 are different quantities.  With no other money they are one,
    # and 260.00 against 250.00 is a defect.
    summary = SUMMARY_WITH_OTHER_MONEY.format(other=other, project=project, total=total)
    text = disclosure(summary, FISCAL_BY_CLASS)
    assert [f.code for f in lint(text, select=("XREF",))] == (["XREF001"] * 2 if reported else [])  # 基本 and 项目


# --- the quantity key: only like is compared with like ------------------------
# Each confusion below once gave a false error: two different quantities compared as one.  With the
# keys told apart there is no finding; the same amounts under equal keys that differ are still found.

SUMMARY_WITH_CARRYOVER = """## 一、收支预算总表

单位：万元

收入\t\t支出\t
项目名称\t金额\t项目名称\t金额
一、财政拨款\t300.00\t一、基本支出\t{basic}
\t\t二、项目支出\t{project}
本年收入合计\t300.00\t本年支出合计\t{total}
上年结转\t{carried}\t\t
收入总计\t{total}\t支出总计\t{total}"""


@pytest.mark.parametrize(
    "basic, project, total, carried, reported",
    [("250.00", "70.00", "320.00", "20.00", []), ("260.00", "40.00", "300.00", "", ["XREF001"] * 2)],
)
def test_a_fiscal_total_is_not_the_all_funds_total_spent_from_other_carry_over(basic, project, total, carried, reported):
    # 20.00 carried over from money other than appropriations: the all-funds 项目支出 70.00 and total
    # 320.00 are not the 财政拨款 table's 50.00 and 300.00.  With nothing carried over all the
    # money is fiscal, and 基本 260.00 / 项目 40.00 against 250.00 / 50.00 are defects.
    summary = SUMMARY_WITH_CARRYOVER.format(basic=basic, project=project, total=total, carried=carried)
    assert codes(lint(disclosure(summary, FISCAL_BY_CLASS), select=("XREF",))) == reported


def by_class(title: str, total: str, basic: str, project: str) -> str:
    """A table of spending by class (合计 | 基本支出 | 项目支出) over one 类 › 款 › 项 line."""
    rows = ["合计\t", "201\t一般公共服务支出", "20101\t人大事务", "2010101\t行政运行"]
    lines = "\n".join(f"{row}\t{total}\t{basic}\t{project}" for row in rows)
    return f"## {title}\n\n单位：万元\n\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n{lines}"


EXPENSE_SUMMARY = by_class("2025年部门支出预算总表", "400.00", "250.00", "150.00")

PERSONNEL_ONLY = """## 2025年部门基本支出经济分类预算表{part}

单位：万元

科目编码\t科目名称\t合计\t一般公共预算
{row}\t\t{total}\t{total}
301\t工资福利支出\t{total}\t{total}
30101\t基本工资\t{total}\t{total}"""


@pytest.mark.parametrize(
    "part, row, total, reported",
    [
        ("（人员经费）", "合计", "200.00", []),  # 人员经费 200.00 of 基本支出 250.00: a part, no equality
        ("", "人员经费合计", "200.00", []),  # the total row names the part
        ("（人员经费）", "合计", "260.00", ["XREF009"]),  # a part larger than its whole
        ("", "合计", "240.00", ["XREF001"]),  # the whole 基本支出 stated as 240.00 against 250.00
    ],
)
def test_a_personnel_total_is_a_part_of_basic_spending(part, row, total, reported):
    text = disclosure(EXPENSE_SUMMARY, PERSONNEL_ONLY.format(part=part, row=row, total=total))
    found = lint(text, select=("XREF",))
    assert codes(found) == reported
    if reported:
        assert found[0].location.line == line_of(text, f"{row}\t\t{total}")


FISCAL_EXPENSE = by_class("2025年财政拨款支出预算表", "300.00", "250.00", "50.00")

FISCAL_PROJECTS_BY_CLASS = """## 2025年财政拨款项目支出预算表

单位：万元

科目编码\t科目名称\t预算数
合计\t\t{amount}
201\t一般公共服务支出\t{amount}
20101\t人大事务\t{amount}
2010101\t行政运行\t{amount}"""


@pytest.mark.parametrize("amount, reported", [("50.00", set()), ("60.00", {"XREF001"})])
def test_a_project_table_by_class_states_project_spending_not_the_total(amount, reported):
    # (上海) the 财政拨款项目支出预算表's 预算数 by class is the 项目支出 column of the 财政拨款支出预算表
    text = disclosure(FISCAL_EXPENSE, FISCAL_PROJECTS_BY_CLASS.format(amount=amount))
    assert set(codes(lint(text, select=("XREF",)))) == reported


@pytest.mark.parametrize(
    "sentence, reported",
    [("对3个项目开展了绩效评价，涉及预算支出合计200.00万元。", []), ("2025年预算支出合计200.00万元。", ["XREF002"])],
)
def test_money_covered_by_an_evaluation_is_no_total(sentence, reported):
    text = disclosure(FISCAL_BY_CLASS, f"## 三、财政拨款支出预算情况说明\n\n{sentence}")
    assert codes(lint(text, select=("XREF",))) == reported


BASIC_BY_ECONOMIC = """## 2025年部门基本支出经济分类预算表

单位：万元

科目编码\t科目名称\t合计\t人员经费\t公用经费
合计\t\t250.00\t200.00\t50.00
301\t工资福利支出\t200.00\t200.00\t
302\t商品和服务支出\t50.00\t\t50.00"""


@pytest.mark.parametrize("stated, reported", [("250.00", []), ("200.00", ["XREF002"])])
def test_narrative_basic_spending_is_compared_with_the_whole_not_the_personnel_column(stated, reported):
    narrative = f"## 三、基本支出情况说明\n\n2025年基本支出{stated}万元，其中人员经费200.00万元。"
    text = disclosure(EXPENSE_SUMMARY, BASIC_BY_ECONOMIC, narrative)
    assert codes(lint(text, select=("XREF",))) == reported


GOV_FUND_EXPENSE = """## 2025年政府性基金预算支出表

单位：万元

科目编码\t科目名称\t合计\t基本支出\t项目支出
合计\t\t{amount}\t\t{amount}
212\t城乡社区支出\t{amount}\t\t{amount}
21208\t国有土地使用权出让收入安排的支出\t{amount}\t\t{amount}
2120801\t征地和拆迁补偿支出\t{amount}\t\t{amount}

{note}"""


@pytest.mark.parametrize(
    "amount, note, section, reported",
    [
        ("", "注：本部门2025年无政府性基金预算支出，本表无数据。", "三、支出情况说明", []),  # noted empty
        ("", "", "三、支出情况说明", []),  # left blank
        ("120.00", "", "三、支出情况说明", []),  # all funds' 项目支出 is not the fund's
        ("120.00", "", "四、政府性基金预算支出情况说明", ["XREF002"]),  # the fund's 项目支出: 150.00 ≠ 120.00
    ],
)
def test_project_spending_is_never_compared_with_an_empty_or_other_funds_table(amount, note, section, reported):
    text = disclosure(GOV_FUND_EXPENSE.format(amount=amount, note=note), f"## {section}\n\n2025年项目支出150.00万元。")
    assert codes(lint(text, select=("XREF",))) == reported


UNIT_BASIC = """## 2025年部门基本支出预算表

单位：万元

单位名称\t合计\t人员经费\t公用经费
某部门\t250.00\t200.00\t50.00"""

UNIT_PROJECTS = """## 2025年部门项目支出预算表

单位：万元

项目名称\t合计\t一般公共预算
合计\t{amount}\t{amount}
某部门\t{amount}\t{amount}
信息化建设\t100.00\t100.00
办公楼维修\t{rest}\t{rest}"""


@pytest.mark.parametrize("amount, reported", [("150.00", []), ("160.00", ["XREF001"])])
def test_a_units_basic_row_is_not_its_project_row(amount, reported):
    # 某部门 250.00 in the 基本支出表 and 150.00 in the 项目支出表 are two quantities; the project
    # table's total against the 支出总表's 项目支出 is one
    rest = str(Decimal(amount) - 100)
    text = disclosure(EXPENSE_SUMMARY, UNIT_BASIC, UNIT_PROJECTS.format(amount=amount, rest=rest))
    assert codes(lint(text, select=("XREF",))) == reported


GENERAL_CURRENT = by_class("2025年一般公共预算支出预算表（不含上年结转）", "350.00", "250.00", "100.00")

PROJECTS_WITH_CARRYOVER = """## 2025年项目支出预算表

单位：万元

项目名称\t合计\t一般公共预算\t上年结转
合计\t120.00\t120.00\t{carried}
信息化建设\t120.00\t120.00\t{carried}
办公楼维修\t0.00\t0.00\t"""


@pytest.mark.parametrize("carried, reported", [("20.00", []), ("", ["XREF001"])])
def test_a_project_table_with_carry_over_is_not_a_current_year_table(carried, reported):
    # its 一般公共预算 120.00 includes 20.00 carried over; the current-year table's 项目支出 is 100.00
    text = disclosure(GENERAL_CURRENT, PROJECTS_WITH_CARRYOVER.format(carried=carried))
    assert codes(lint(text, select=("XREF",))) == reported


INCOME_BY_SOURCE = """## 收入总表

单位：万元

合计\t本年收入\t\t上年结转结余\t
\t小计\t一般公共预算资金\t小计\t一般公共预算资金
{grand}\t300.00\t300.00\t20.00\t20.00"""

SUMMARY_WITH_YEAR_END = """## 收支总表

单位：万元

收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t300.00\t一、一般公共服务支出\t{spent}
本年收入合计\t300.00\t本年支出合计\t{spent}
上年结转结余\t20.00\t年终结转结余\t{left}
收入总计\t320.00\t支出总计\t320.00"""


@pytest.mark.parametrize(
    "grand, spent, left, reported",
    [("320.00", "310.00", "10.00", []), ("320.00", "320.00", "", []), ("330.00", "310.00", "10.00", ["XREF001"])],
)
def test_income_with_carry_over_is_not_the_years_spending(grand, spent, left, reported):
    # 北京's 收入总表: one row, 合计 = 本年收入 + 上年结转结余 = 320.00.  With 10.00 left at the year's
    # end, 本年支出合计 is 310.00: another quantity.  Its 合计 is the 收入总计, and 330.00 is a defect.
    summary = SUMMARY_WITH_YEAR_END.format(spent=spent, left=left)
    text = disclosure(summary, INCOME_BY_SOURCE.format(grand=grand))
    assert codes(lint(text, select=("XREF",))) == reported


@pytest.mark.parametrize("stated, reported", [("320.00", []), ("300.00", []), ("330.00", ["XREF002"])])
def test_a_source_of_income_may_count_its_carry_over(stated, reported):
    # 一般公共预算收入 320.00 = this year's 300.00 + 20.00 carried over in the 收入总表's 上年结转结余 group
    summary = SUMMARY_WITH_YEAR_END.format(spent="310.00", left="10.00")
    text = disclosure(summary, INCOME_BY_SOURCE.format(grand="320.00"), f"## 二、收入预算情况说明\n\n一般公共预算收入{stated}万元。")
    assert codes(lint(text, select=("XREF",))) == reported


@pytest.mark.parametrize("section, reported", [("七、“三公”经费说明", []), ("六、基本支出情况说明", ["XREF002"])])
def test_a_basic_spending_row_is_only_the_basic_part_of_an_item(section, reported):
    # 公务接待费 28.50 (basic and project spending) against the basic-spending row 18.50: a part, unless
    # the text speaks of basic spending
    text = disclosure(ECONOMIC_RECEPTION, f"## {section}\n\n公务接待费28.50万元。")
    assert codes(lint(text, select=("XREF",))) == reported


# --- other documents ----------------------------------------------------------


def test_real_corpus_texts_run_without_errors_from_uncertain_tables():
    texts = sorted((SHARED / "corpus" / "real").glob("*.txt"))
    if not texts:
        pytest.skip("no real corpus")
    for path in texts:
        findings = lint(path.read_text(encoding="utf-8"), select=(*FAMILIES, "LINT002"), path=str(path))
        assert not [f for f in findings if f.code == "LINT002"], path
        # ITEM002 reads no table: its one error here (wanli 2024 住房公积金 350.35 then 352.67) is a true positive.
        assert not [f for f in findings if f.severity is Severity.ERROR and f.code != "ITEM002"], path


def test_reference_rendered_as_pdf_agrees_too():
    pdf = SHARED / "corpus" / "generated" / "seed-libreoffice.pdf"
    if not pdf.exists():
        pytest.skip("no generated PDF corpus")
    configured = Linter(load_plugins(), ConfigResolver(Overrides(select=FAMILIES)))
    assert configured.lint_path(str(pdf)).findings == []


def test_intervals_decide_agreement_not_the_written_digits():
    # 1491.7 (one decimal) stands for [1491.65, 1491.75] and so agrees with 1491.74.
    text = inject("本年预算安排1,491.74万元", "本年预算安排1,491.7万元")
    assert lint(text, select=("XREF002",)) == []


# --- a department of several units ------------------------------------------------


OWN_OFFICE_PROJECTS = """## 2025年部门项目支出预算表

单位：万元

单位名称（项目名称）\t合计\t一般公共预算
合计\t150.00\t150.00
某市科学技术局\t100.00\t100.00
信息化运维\t63.00\t63.00
综合管理\t37.00\t37.00
某中心\t50.00\t50.00
综合管理\t28.00\t28.00
物业管理费\t22.00\t22.00"""

OWN_OFFICE_EXPENSE = """## 2025年部门支出总表

单位：万元

科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t250.00\t100.00\t150.00
201\t一般公共服务支出\t250.00\t100.00\t150.00"""


def of_units(*narrative: str) -> list[Finding]:
    """The XREF findings of a department whose project table lists its own office (某市科学技术局) beside a unit."""
    blocks = [OWN_OFFICE_PROJECTS, OWN_OFFICE_EXPENSE, *(["## 部门预算情况说明\n\n" + "\n\n".join(narrative)] if narrative else [])]
    text = disclosure(*blocks).replace("# 某部门2025年度部门预算", "# 某市科学技术局2025年部门预算")
    return [f for f in lint(text, select=("XREF",)) if f.severity is Severity.ERROR]


def test_a_project_tables_total_row_is_its_total_not_the_departments_own_row():
    # 广州: the row named after the department is its own office's projects (100.00), the 合计 row all of them
    assert of_units() == []


def test_a_project_name_two_units_share_names_neither():
    assert of_units("综合管理28.00万元。") == []


@pytest.mark.parametrize("amounts, reported", [(("150.00",), False), (("140.00",), True), (("100.00", "50.00", "30.00"), False)])
def test_a_quantity_stated_once_per_unit_is_no_statement_of_the_whole(amounts, reported):
    # one 项目支出 per unit's section speaks of the unit, not of the department's 150.00
    found = of_units(*(f"{n}、项目支出{amount}万元。" for n, amount in zip("一二三", amounts, strict=False)))
    assert [f.code for f in found] == (["XREF002"] if reported else [])

"""The SUM (arithmetic) rules, run through the real plugin manager on the reference document.

Each test injects one defect into a copy of the reference document and
asserts exactly the findings it must add (code, severity, line and logical
path), against the clean reference; near misses (rounding tails) add none.
The expected sums in the comments were worked out by hand.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest

from budgetlint.document import Table
from budgetlint.findings import Finding
from budgetlint.plugins import load_plugins
from budgetlint.readers import Source
from budgetlint.rules import RuleContext
from helpers import (
    EXPENSE,
    assert_rules_registered,
    column_of,
    in_table,
    inject,
    line_of,
    lint,
    lint_city_pdf,
    linter,
    new_findings,
    real_texts,
    reference_text,
    shifted_total_column,
)

CODES = tuple(f"SUM00{n}" for n in range(1, 9))
SELECT = ("SUM",)

SUMMARY = "2026年预算收支总表"
INCOME = "2026年预算收入总表"
FISCAL = "2026年财政拨款收支总表"
GENERAL = "2026年一般公共预算支出预算表(不含上年结转)"
ECONOMIC = "2026年一般公共预算安排基本支出分经济科目表(不含上年结转)"
THREE_PUBLIC = "2026年财政拨款安排“三公”经费支出预算表"
PROJECTS = "2026年项目支出预算表(本年预算)"
FORM = "县(区)级预算部门(单位)整体支出绩效目标申报表"
DEPARTMENT = "朔州经济开发区组织和人力资源部"
TOTAL_COLUMN = "2026年预算数/合计"
BASIC_COLUMN = "2026年预算数/基本支出"


# --- helpers ----------------------------------------------------------------


@cache
def clean_findings(select: tuple[str, ...] = SELECT) -> tuple[Finding, ...]:
    return tuple(lint(reference_text(), select=select))


def added(text: str, select: tuple[str, ...] = SELECT, lang: str = "zh") -> list[Finding]:
    """The findings ``text`` has that the reference document has not."""
    return new_findings(list(clean_findings(select)), lint(text, select=select, lang=lang))


def summary(findings: list[Finding]) -> list[tuple[str, str, int | None, tuple[str, ...]]]:
    return sorted((f.code, f.severity.value, f.location.line, f.location.logical) for f in findings)


def cell_finding(code: str, line: int, *logical: str, severity: str = "error"):
    return (code, severity, line, tuple(logical))


def one_defect(found: list[Finding], code: str, line: int, *logical: str, also: int, severity: str = "error") -> Finding:
    """The single finding of one wrong cell, at that cell, naming the ``also`` other sums it breaks."""
    assert summary(found) == [cell_finding(code, line, *logical, severity=severity)]
    assert len(found[0].evidence["also_breaks"]) == also
    return found[0]


# --- registration and the clean reference --------------------------------------


def test_sum_rules_register_with_docs_in_both_languages():
    plugins = load_plugins()
    assert_rules_registered(plugins, CODES, "sum")
    assert plugins.rules["SUM008"].severity.value == "info"


def test_reference_document_has_no_sum_findings():
    # Hand-checked: every sum of the reference holds, the differences being
    # rounding tails (1448.10 + 24.09 + 7.26 + 12.28 = 1491.73 vs 1491.74;
    # 5.75 + 12.23 + 6.12 = 24.10 vs 24.09; 108.37 + 24.09 + 7.26 + 12.28 =
    # 152.00 vs 152.01), and the document notes its rounding tails.
    assert clean_findings() == ()


# --- SUM001 sub-rows ------------------------------------------------------------


def test_sum001_item_change_breaks_its_kuan_and_its_row():
    row = "2080506\t机关事业单位职业年金缴费支出\t6.12\t6.12"
    text = in_table(EXPENSE, row, row.replace("\t6.12\t6.12", "\t7.12\t6.12"))
    # One wrong cell, 2080506's 合计 7.12, breaks two sums: its row (against 基本支出 6.12 + 项目支出
    # blank) and its 款 (20805: 24.09 against 5.75 + 12.23 + 7.12 = 25.10). One finding, at that cell.
    found = one_defect(added(text), "SUM003", line_of(text, "2080506\t", EXPENSE), EXPENSE, "机关事业单位职业年金缴费支出",
                       TOTAL_COLUMN, also=1)
    assert found.message == (
        "“2080506 机关事业单位职业年金缴费支出 › 2026年预算数/合计”为 7.12，与各组成列之和 6.12 = 6.12 不符（相差 1.00）"
        "；此数同时使另外 1 处加总不成立：20805 行政事业单位养老支出 › 2026年预算数/合计: 24.09 ≠ 5.75 + 12.23 + 7.12 = 25.10"
    )
    [english] = [f.message for f in added(text, lang="en")]
    assert english == (
        "\"2080506 机关事业单位职业年金缴费支出 › 2026年预算数/合计\" is 7.12, but its component columns add up to 6.12 = 6.12"
        " (off by 1.00); this figure also breaks 20805 行政事业单位养老支出 › 2026年预算数/合计: 24.09 ≠ 5.75 + 12.23 + 7.12 = 25.10"
    )


def test_sum001_kuan_change_breaks_the_sums_above_and_below_it():
    row = "20805\t行政事业单位养老支出\t24.09\t24.09\t"
    text = in_table(GENERAL, row, "20805\t行政事业单位养老支出\t24.09\t25.09\t")
    # 25.09 breaks its own sum (vs 24.10 below it), its 类's (208: 24.09 vs 25.09) and its row's (24.09 vs 25.09 + 0)
    one_defect(added(text), "SUM001", line_of(text, "20805\t", GENERAL), GENERAL, "行政事业单位养老支出", BASIC_COLUMN, also=2)


def test_sum001_economic_class_is_the_sum_of_the_rows_after_it():
    # 工资福利支出 141.26 against 42.10 + 5.80 + 34.84 + 12.23 + 6.12 + 7.26 + 12.28 + 21.63 = 142.26
    text = inject("基本工资\t工资福利支出\t41.10\t41.10", "基本工资\t工资福利支出\t42.10\t42.10")
    # one wrong row (基本工资, in both columns) breaks 工资福利支出 in each column: one finding
    line = line_of(text, "工资福利支出\t\t141.26")
    one_defect(added(text), "SUM001", line, ECONOMIC, "工资福利支出", TOTAL_COLUMN, also=1)


@pytest.mark.parametrize("value, severity", [("6.13", None), ("6.14", "warning"), ("6.30", "error")])
def test_sum001_rounding_tail_is_not_an_error(value, severity):
    # 5.75 + 12.23 + 6.13 = 24.11 vs 24.09: three parts and the total each stand for ±0.005,
    # so up to 0.02 is a rounding tail; 6.14 (off by 0.03, within a unit per term: truncated
    # rather than rounded) is a warning; 6.30 (off by 0.19) is an error.
    row = "2080506\t机关事业单位职业年金缴费支出\t6.12\t6.12"
    text = in_table(EXPENSE, row, row.replace("6.12", value))
    found = added(text)
    if severity is None:
        assert found == []
    else:
        line = line_of(text, "20805\t", EXPENSE)
        one_defect(found, "SUM001", line, EXPENSE, "行政事业单位养老支出", TOTAL_COLUMN, also=1, severity=severity)


THREE_PUBLIC_ROWS = ("因公出国（境）费", "公务接待费", "公务用车购置及运行费", "①公务用车购置费", "②公务用车运行维护费", "合计")


def three_public(values: dict[str, str], labels: dict[str, str] | None = None) -> str:
    """The reference with the (empty) 三公 table filled: 合计 and 一般公共预算 columns set to ``values``."""
    text = reference_text()
    for label in THREE_PUBLIC_ROWS:
        amount = values[label]
        new_label = (labels or {}).get(label, label)
        text = in_table(THREE_PUBLIC, f"\n{label}\t\t\t\t", f"\n{new_label}\t{amount}\t{amount}\t\t", text)
    return text


CONSISTENT_THREE_PUBLIC = {
    "因公出国（境）费": "2.00", "公务接待费": "3.00", "公务用车购置及运行费": "5.00",
    "①公务用车购置费": "1.00", "②公务用车运行维护费": "4.00", "合计": "10.00",
}


@pytest.mark.parametrize("labels", [None, {"①公务用车购置费": "其中：公务用车购置费", "②公务用车运行维护费": "公务用车运行维护费"}])
def test_sum001_three_public_car_costs_are_purchase_plus_running(labels):
    # Numbered (①②) or not, the car rows are parts of 公务用车购置及运行费, not top-level rows.
    assert added(three_public(CONSISTENT_THREE_PUBLIC, labels)) == []
    text = three_public({**CONSISTENT_THREE_PUBLIC, "②公务用车运行维护费": "4.50"}, labels)
    line = line_of(text, "公务用车购置及运行费\t5.00")
    one_defect(added(text), "SUM001", line, THREE_PUBLIC, "公务用车购置及运行费", "2026年预算数/合计", also=1)


# --- SUM002 total rows ----------------------------------------------------------


@pytest.mark.parametrize("label", ["合计", "总计"])  # a 总计 with no 合计 before it totals the items too
def test_sum002_three_public_total_is_the_sum_of_the_three_items(label):
    text = three_public({**CONSISTENT_THREE_PUBLIC, "合计": "11.00"}, {"合计": label})  # 2.00 + 3.00 + 5.00 = 10.00
    line = line_of(text, f"{label}\t11.00")
    one_defect(added(text), "SUM002", line, THREE_PUBLIC, label, "2026年预算数/合计", also=1)


def test_sum002_year_total_of_the_summary_table():
    text = in_table(SUMMARY, "本年收入合计\t1491.74", "本年收入合计\t1481.74")
    # 1481.74 breaks its own sum (一般公共预算 1491.74 + four blank sources) and 收入总计's
    # (1491.74 against 1481.74 + 上年结转, blank)
    sum002 = one_defect(added(text), "SUM002", line_of(text, "本年收入合计"), SUMMARY, "本年收入合计", "收入/2026年", also=1)
    assert sum002.evidence["values"]["total"] == {"本年收入合计 › 收入/2026年": Decimal("1481.74")}
    assert "1481.74" in sum002.message and "1491.74" in sum002.message and "10.00" in sum002.message


def test_sum002_total_row_over_classes_and_sum003_across_columns():
    text = in_table(EXPENSE, "合计\t\t1491.74\t152.01\t1339.73", "合计\t\t1491.74\t153.01\t1339.73")
    # 153.01 against 108.37 + 24.09 + 7.26 + 12.28 = 152.00; it also breaks 1491.74 = 153.01 + 1339.73
    line = line_of(text, "合计\t\t1491.74\t153.01")
    one_defect(added(text), "SUM002", line, EXPENSE, "合计", BASIC_COLUMN, also=1)


# --- SUM003 column sums ---------------------------------------------------------


def test_sum003_basic_expenditure_is_personnel_plus_public():
    text = inject("合计\t\t152.01\t147.01\t5.00", "合计\t\t152.01\t148.01\t5.00")
    # 148.01 against 141.26 + 5.75 = 147.01; it also breaks 152.01 = 148.01 + 5.00
    line = line_of(text, "合计\t\t152.01\t148.01")
    one_defect(added(text), "SUM002", line, ECONOMIC, "合计", "2026年预算数/人员经费", also=1)


def test_sum003_project_total_is_the_sum_of_its_funding_sources():
    text = inject("干教专项经费\t30.00\t30.00", "干教专项经费\t30.00\t31.00")
    # 31.00 breaks its row (合计 30.00) and the unit row above it (1339.73 against 1340.73 in that column)
    one_defect(added(text), "SUM003", line_of(text, "干教专项经费"), PROJECTS, "干教专项经费", "2026年财政拨款/一般公共预算",
               also=1)


def test_sum003_carryover_counts_when_the_header_groups_it_with_the_total():
    # 收支总表: 2026年合计 = 当年预算安排 + 上年结转安排 (one header group)
    text = in_table(SUMMARY, "一、一般公共服务支出\t1448.10\t1448.10\t", "一、一般公共服务支出\t1448.10\t1448.10\t1.00")
    # 1.00 breaks its column's total (本年支出合计, blank) and its row's (1448.10 against 1448.10 + 1.00)
    line = line_of(text, "一般公共服务支出\t1448.10")
    one_defect(added(text), "SUM002", line, SUMMARY, "一般公共服务支出", "支出/上年结转安排", also=1)


def test_sum003_carryover_outside_the_total_group_is_not_a_component():
    # 收入总表: 合计 sits under 本年收入, 上年结转 beside it: a carryover does not enter 合计.
    row = "2210201\t住房公积金\t12.28\t12.28\t\t\t\t\t"
    text = in_table(INCOME, row, row + "1.00")
    assert summary(added(text)) == [
        # only the hierarchy of the 上年结转 column breaks: 22102 (blank) against 1.00
        cell_finding("SUM001", line_of(text, "22102\t", INCOME), INCOME, "住房改革支出", "上年结转"),
    ]


# --- SUM004 summary tables ------------------------------------------------------


def test_sum004_grand_total_and_both_sides():
    text = in_table(SUMMARY, "收入总计\t1491.74", "收入总计\t1492.74")
    line = line_of(text, "收入总计\t1492.74")
    found = one_defect(added(text), "SUM004", line, SUMMARY, "收入总计", "收入/2026年", also=1)
    assert found.message == (
        "总计“收入总计 › 收入/2026年”为 1492.74，与本年合计加结转 1491.74 = 1491.74 不符（相差 1.00）"
        "；此数同时使另外 1 处加总不成立：收入总计 › 收入/2026年: 1492.74 ≠ 1491.74 = 1491.74"
    )


def test_sum004_carryover_row_and_its_breakdown():
    text = in_table(FISCAL, "上年财政拨款结转\t\t", "上年财政拨款结转\t5.00\t")
    # 上年财政拨款结转 5.00 against 一般公共预算 + 政府性基金预算 + 国有资本经营预算 (blank);
    # it also breaks 收入总计 (1491.74 against 1491.74 + 5.00)
    one_defect(added(text), "SUM004", line_of(text, "上年财政拨款结转"), FISCAL, "上年财政拨款结转", "收入/金额", also=1)


def test_sum004_blank_carryover_row_counts_its_breakdown():
    text = in_table("上年财政拨款结转", "一、一般公共预算\t\t", "一、一般公共预算\t5.00\t")
    assert summary(added(text)) == [
        cell_finding("SUM004", line_of(text, "收入总计", FISCAL), FISCAL, "收入总计", "收入/金额"),
    ]


# --- SUM005 project groups ------------------------------------------------------


def test_sum005_unit_row_is_the_sum_of_its_projects():
    text = inject("省校合作经费\t40.00\t40.00", "省校合作经费\t41.00\t41.00")
    line = line_of(text, f"{DEPARTMENT}\t1339.73", PROJECTS) + 1  # the second (unit) group row
    found = one_defect(added(text), "SUM005", line, PROJECTS, DEPARTMENT, "合计", also=1)  # one wrong row, two columns
    assert "1340.73" in found.message and "1.00" in found.message


def test_sum005_department_row_is_the_sum_of_its_units():
    first = f"{DEPARTMENT}\t1339.73\t1339.73"
    text = in_table(PROJECTS, first, f"{DEPARTMENT}\t1338.73\t1338.73")
    line = line_of(text, first.replace("1339.73", "1338.73"))
    one_defect(added(text), "SUM005", line, PROJECTS, DEPARTMENT, "合计", also=1)


@pytest.mark.parametrize("total, reported", [("1339.73", False), ("1349.73", True)])
def test_sum005_total_row_is_the_sum_of_the_top_groups(total, reported):
    header = "1\t2\t3\t4\t5\t6\t7\n"
    text = in_table(PROJECTS, header, f"{header}合计\t{total}\t{total}\t\t\t\t\n")
    line = line_of(text, f"合计\t{total}")
    if reported:
        one_defect(added(text), "SUM005", line, PROJECTS, "合计", "合计", also=1)
    else:
        assert added(text) == []


# --- SUM006 performance form -----------------------------------------------------


def test_sum006_head_count_is_staff_plus_others():
    text = inject("其他人员数\t\t\t11人", "其他人员数\t\t\t12人")
    found = added(text)
    assert summary(found) == [cell_finding("SUM006", line_of(text, "实际在职人员总数"), FORM, "实际在职人员总数")]
    assert "20" in found[0].message and "9 + 12 = 21" in found[0].message


def test_sum006_head_counts_that_add_up_are_quiet():
    text = inject("实际在职人员总数\t20人", "实际在职人员总数\t21人")
    text = inject("其他人员数\t\t\t11人", "其他人员数\t\t\t12人", text)
    assert added(text) == []


def test_sum006_funds_total_is_basic_plus_project():
    text = inject("其中:基本支出\t152.01", "其中:基本支出\t153.01")
    found = added(text)
    assert summary(found) == [cell_finding("SUM006", line_of(text, "\t合计\t1491.74"), FORM, "合计")]
    assert "153.01 + 1339.73 = 1492.74" in found[0].message


# --- SUM007 narrative breakdowns -------------------------------------------------


def narrative_finding(text: str, number: str, after: str, severity: str = "error"):
    return ("SUM007", severity, line_of(text, number, after), column_of(text, number, after))


def located(findings: list[Finding]) -> list[tuple[str, str, int | None, int | None]]:
    return sorted((f.code, f.severity.value, f.location.line, f.location.column) for f in findings)


def test_sum007_parts_exceeding_the_total_are_an_error():
    text = inject("政府采购货物预算11.20万元", "政府采购货物预算12.20万元")  # 12.20 + 0 + 4.00 = 16.20 > 15.20
    found = added(text)
    assert located(found) == [narrative_finding(text, "15.20", "政府采购预算总额")]
    assert "15.20" in found[0].message and "12.20 + 4.00 = 16.20" in found[0].message


def test_sum007_parts_falling_short_are_a_warning():
    text = inject("政府采购货物预算11.20万元", "政府采购货物预算10.20万元")  # 14.20 < 15.20: the list may be partial
    assert located(added(text)) == [narrative_finding(text, "15.20", "政府采购预算总额", "warning")]


def test_sum007_counts_break_down_like_amounts():
    text = inject("其中：其他运转类项目1个，涉及金额21.07万元", "其中：其他运转类项目2个，涉及金额21.07万元")
    assert located(added(text)) == [narrative_finding(text, "18", "二级项目")]  # 2 + 17 = 19 > 18


def test_sum007_a_count_after_other_counts_in_its_unit_is_no_total():
    # 一级项目2个，二级项目18个。其中… may split either count (全体会议1次，常委会议4次，主席会议12次。其中…)
    text = inject("其中：其他运转类项目1个，涉及金额21.07万元", "其中：其他运转类项目2个，涉及金额21.07万元")
    assert added(inject("管理的二级项目18个", "管理的一级项目2个，二级项目18个", text)) == []


def test_sum007_parts_over_the_following_paragraphs():
    # 基本支出152.01万元,其中: ¶ 人员经费148.01万元… ¶ 公用经费5.00万元…: 153.01 > 152.01
    text = inject("人员经费147.01万元", "人员经费148.01万元")
    assert located(added(text)) == [narrative_finding(text, "152.01", "一般公共预算安排基本支出152.01")]


@pytest.mark.parametrize("staff, reported", [("147.01", False), ("148.01", True)])
def test_sum007_parts_of_wrapped_lines_joined_into_one_paragraph(staff, reported):
    # The reader joins wrapped lines: two items (…等;公用经费5.00万元…) in one paragraph after 其中:
    text = inject("职业年金缴费等;\n\n公用经费5.00万元", "职业年金缴费等;公用经费5.00万元")
    text = inject("人员经费147.01万元", f"人员经费{staff}万元", text)
    expected = [narrative_finding(text, "152.01", "一般公共预算安排基本支出152.01")] if reported else []
    assert located(added(text)) == expected


def test_sum007_changes_are_not_parts_but_carryovers_are():
    # 本年收入1,491.74万元，上年结转1.00万元，比上年增加41.74万元: the change is not a part
    text = inject("本年收入1,491.74万元，上年结转0万元", "本年收入1,491.74万元，上年结转1.00万元")
    assert located(added(text)) == [narrative_finding(text, "1,491.74", "预算收入总计")]


def test_sum007_bracketed_breakdown_is_checked_on_its_own():
    sentence = "其中基本支出152.01万元，项目支出1339.73万元。"
    nested = "其中基本支出152.01万元（其中人员经费147.01万元，公用经费5.00万元），项目支出1339.73万元。"
    assert added(inject(sentence, nested)) == []
    text = inject(sentence, nested.replace("公用经费5.00", "公用经费6.00"))  # 147.01 + 6.00 = 153.01 > 152.01
    assert located(added(text)) == [narrative_finding(text, "152.01", "涉及部门预算资金")]


@pytest.mark.parametrize(
    "old, new",
    [
        ("政府采购服务预算4.00万元。", "政府采购服务预算3.00万元等。"),  # a list ending in 等 may be partial
        ("其中基本支出152.01万元，项目支出1339.73万元。", "其中基本支出152.01万元。"),  # one part: a subset
        ("其中基本支出152.01万元，项目支出1339.73万元。",  # a nested list (包括…) is ambiguous
         "其中基本支出152.01万元，包括人员经费147.01万元、公用经费5.00万元；项目支出1339.73万元。"),
        ("其中：政府采购货物预算11.20万元", "其中：单价小于50万元的货物预算11.20万元"),  # a threshold
    ],
)
def test_sum007_near_misses(old, new):
    assert added(inject(old, new)) == []


@pytest.mark.parametrize("goods, reported", [("0", False), ("1.00", True)])
def test_sum007_parts_stated_as_zero_leave_a_single_part(goods, reported):
    # 其中：货物0万元、工程0万元、服务4.00万元 against 15.20: the zeros say what the total does not hold,
    # so the one other part is a subset, not a list falling short; with two parts stated it is one.
    text = inject("政府采购货物预算11.20万元", f"政府采购货物预算{goods}万元")
    expected = [narrative_finding(text, "15.20", "政府采购预算总额", "warning")] if reported else []
    assert located(added(text)) == expected


@pytest.mark.parametrize("change", ["增加基本支出20.00万元", "主要是减少了公用经费20.00万元"])
def test_sum007_an_amount_named_as_a_change_is_no_total(change):
    # …原因，增加基本支出20.00万元。其中：(一)收入预算总计… lists the year's totals, not parts of the change
    text = inject(
        "政府采购预算总额15.20万元。其中：",
        f"政府采购预算总额15.20万元。主要原因是政策性调整，{change}。其中：预算收入15.20万元、预算支出15.20万元。"
        "政府采购预算总额15.20万元。其中：",
    )
    assert added(text) == []


def test_sum007_amounts_compared_with_are_not_parts():
    # 其中基本支出152.01万元比2025年初预算数150.00万元增加2.01万元: 150.00 is last year's, not a part
    sentence = "其中基本支出152.01万元，项目支出1339.73万元。"
    compared = ("其中基本支出152.01万元比2025年初预算数150.00万元增加2.01万元，"
                "项目支出1339.73万元比2025年初预算数1,300.00万元增加39.73万元。")
    assert added(inject(sentence, compared)) == []
    text = inject(sentence, compared.replace("项目支出1339.73", "项目支出1349.73"))  # 152.01 + 1349.73 > 1491.74
    assert located(added(text)) == [narrative_finding(text, "1491.74", "涉及部门预算资金")]


def test_sum007_amounts_in_a_reason_are_no_total():
    # …比上年增加5.20万元，主要原因是设备采购5.20万元。其中：… breaks down the year's 15.20, not the reason's 5.20
    total = "政府采购预算总额15.20万元。其中："
    text = inject(total, "政府采购预算总额15.20万元，比上年增加5.20万元，主要原因是设备采购5.20万元。其中：")
    assert added(text) == []


@pytest.mark.parametrize("carried, reported", [("10.00", False), ("160.00", True)])
def test_sum007_a_breakdown_of_one_item_ends_with_the_item(carried, reported):
    # 主要包括：基本支出152.01万元，其中结转结余10.00万元，用于…；项目支出1339.73万元…: 项目支出 is a peer of
    # 基本支出, not a part of it; a carry-over above its item (160.00 > 152.01) is still an excess
    sentence = "其中基本支出152.01万元，项目支出1339.73万元。"
    text = inject(sentence, f"主要包括：基本支出152.01万元，其中结转结余{carried}万元，用于保障机构运转；"
                            "项目支出1339.73万元，用于履行职能。")
    expected = [narrative_finding(text, "152.01", "主要包括：")] if reported else []
    assert located(added(text)) == expected


def test_sum007_real_breakdowns_of_one_project_item():
    """深圳公安局 pp7, 9: "…；履职工作经费4,754.51万元，其中结转结余390.00万元，用于…；…" lists one item's carry-over."""
    found = lint_city_pdf("2026-guangdong-shenzhen-gonganju-dept-budget.pdf", ("SUM007",))
    assert [f for f in found if f.severity.value == "error"] == []


# --- SUM008 rounding tails --------------------------------------------------------


NOTE = "注：本套报表因取数时四舍五入，部分金额可能存在尾差\n"


def test_sum008_groups_the_rounding_tails_when_the_document_has_no_note():
    text = inject(NOTE, "")
    found = added(text)
    assert [(f.code, f.severity.value) for f in found] == [("SUM008", "info")]
    # By hand: 20805 = 5.75 + 12.23 + 6.12 (24.10 vs 24.09) in two columns of three tables (6);
    # the 类 totals 1491.74 vs 1491.73 and 152.01 vs 152.00 in two columns of five tables (10).
    assert "16" in found[0].message
    assert len(found[0].evidence["tails"]) == 16
    # reported at the first tail in document order: the 收支总表's 本年支出合计
    assert found[0].location.logical[:2] == (SUMMARY, "本年支出合计")
    assert found[0].location.line == line_of(text, "本年支出合计", SUMMARY)


def test_sum008_is_quiet_with_a_rounding_note():
    assert not [f for f in clean_findings(("SUM008",))]


# --- uncertain structure and the real corpus ----------------------------------


def test_a_table_whose_sums_fail_on_most_rows_is_left_alone():
    # 合计 = 基本支出 + 项目支出 now fails on most rows, each for a different row.
    assert added(shifted_total_column(), select=("SUM003",)) == []
    # the same formulas still catch one wrong cell in that table, once
    assert len(added(in_table(EXPENSE, "1339.73\t\t1339.73", "1339.73\t\t1338.73"), select=("SUM001", "SUM003"))) == 1



def test_a_withheld_table_says_it_was_not_checked_and_feeds_no_cross_reference():
    text = shifted_total_column()
    [note] = added(text, select=("LINT008",))
    assert (note.severity.value, note.location.line) == ("info", line_of(text, "项目\t", EXPENSE))  # the table's first row
    assert note.message.startswith(f"未能读懂表格“{EXPENSE}”，其加总未作核对：")
    assert note.evidence["failing"] > 1
    # the misread 合计 column restates nothing: no XREF finding compares it with the other tables
    assert added(text, select=("XREF",)) == []


def test_a_total_counted_with_its_own_parts_is_withheld_as_a_multiple():
    # the 类 row 201 read as a 款 under 合计 as well: 合计 1491.74 against a sum holding 1448.10 twice
    text = in_table(EXPENSE, "201\t一般公共服务支出\t1448.10", "20100\t一般公共服务支出\t1448.10")
    findings = added(text, select=("SUM", "LINT008"))
    assert [f.code for f in findings] == ["LINT008"]
    assert "恰为其整数倍" in findings[0].message


def test_uncertain_table_structure_yields_warnings_not_errors():
    text = in_table(EXPENSE, "2080506\t机关事业单位职业年金缴费支出\t6.12", "2080506\t机关事业单位职业年金缴费支出\t7.12")
    document = linter().read(Source("doc.txt", text.encode("utf-8")), "zh")
    for page in document.pages:
        page.blocks = [replace(b, confidence=0.5) if isinstance(b, Table) else b for b in page.blocks]
    plugins = load_plugins()
    found = []
    for code in ("SUM001", "SUM003"):
        rule = plugins.rules[code]
        context = RuleContext(document, rule, "zh", lambda: linter().build_budget(document))
        found += list(rule.check(context))
    assert len(found) == 1  # one wrong cell, one finding
    assert found[0].severity.value == "warning"


@pytest.mark.skipif(not real_texts(), reason="real corpus (../shared/corpus/real) not available")
@pytest.mark.parametrize("path", real_texts(), ids=lambda p: p.stem)
def test_real_corpus_runs_without_crashes_or_errors_from_inferred_tables(path):
    findings = lint(path.read_text(encoding="utf-8"), select=SELECT, path=path.name)
    assert not [f for f in findings if f.code == "LINT002"]  # a rule crashed
    model = linter().build_budget(linter().read(Source(path.name, path.read_bytes()), "zh"))
    if all(not table.confident for table in model.tables):
        table_rules = {"SUM001", "SUM002", "SUM003", "SUM004", "SUM005"}
        assert not [f for f in findings if f.code in table_rules and f.severity.value == "error"]

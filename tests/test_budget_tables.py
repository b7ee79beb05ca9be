"""How the budget model reads table layouts seen in published disclosures.

Each test builds a small document in the reference's marked form (# headings,
tab-separated rows) reproducing one layout, checks what the model reads
from it, and that the rules it misled before stay quiet on it (or still
catch a defect planted in it).
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from budgetlint.budget.arithmetic import Equation, Term
from budgetlint.budget.reconcile import misreading
from budgetlint.budget.tables import classify, wide_items
from budgetlint.budget.text import split_code, title_text
from budgetlint.findings import Severity
from budgetlint.location import Location
from budgetlint.readers import Source
from helpers import SHARED, budget, document, lint, linter, row, table


def amounts(items, column: int) -> dict[str, Decimal | None]:
    return {i.label: i.values[column].amount for i in items if column in i.values}


FISCAL_SUMMARY = (
    "二、财政拨款收支预算总表",
    [
        row("收入", "", "支出", ""),
        row("项目名称", "金额", "项目名称", "金额"),
        row("一、一般公共预算", "300.00", "一、基本支出", "250.00"),
        row("二、政府性基金预算", "", "二、项目支出", "50.00"),
        row("收入合计", "300.00", "支出合计", "300.00"),
    ],
)


# --- a summary row labelled across both expense views ---------------------------


TWO_VIEW_SUMMARY = (
    "一、收支预算总表",
    [
        row("收入", "", "支出", "", "", ""),
        row("项目名称", "金额", "功能分类", "", "支出用途", ""),
        row("", "", "功能科目名称", "金额", "项目名称", "金额"),
        row("一、财政拨款", "300.00", "一、一般公共服务支出", "200.00", "一、基本支出", "250.00"),
        row("1.一般公共预算", "300.00", "二、住房保障支出", "100.00", "二、项目支出", "50.00"),
        row("当年收入小计", "300.00", "当年支出小计", "", "", "300.00"),
        row("收入合计", "300.00", "支出合计", "", "", "300.00"),
    ],
)


def test_a_summary_label_spanning_two_expense_views_takes_the_amount_in_both():
    # 支出合计 is set across the 功能分类 and 支出用途 views, its amount under the last column.
    summary = table(document(TWO_VIEW_SUMMARY), "收支预算总表")
    functional, purpose = summary.sections[1], summary.sections[2]
    assert amounts(functional.items, 3) == {
        "一般公共服务支出": Decimal("200.00"),
        "住房保障支出": Decimal("100.00"),
        "当年支出小计": Decimal("300.00"),
        "支出合计": Decimal("300.00"),
    }
    assert [(i.label, i.role) for i in purpose.items][-2:] == [("当年支出小计", "total"), ("支出合计", "grand_total")]
    total = functional.rows("grand_total")[0].values[3]
    assert total.location.logical == ("收支预算总表", "支出合计", "支出/功能分类/金额")
    assert purpose.rows("grand_total")[0].values[5].location.logical == ("收支预算总表", "支出合计", "支出/支出用途/金额")


def test_the_expense_total_of_a_two_view_summary_agrees_with_the_fiscal_summary():
    # read as blank, the 功能分类 支出合计 was 0 against 300.00 in the 财政拨款收支预算总表
    assert lint(document(TWO_VIEW_SUMMARY, FISCAL_SUMMARY), select=("XREF",)) == []


def test_an_income_label_is_never_given_an_expense_amount():
    rows = [*TWO_VIEW_SUMMARY[1][:-1], row("收入合计", "", "", "", "", "300.00")]
    summary = table(document(("一、收支预算总表", rows)), "收支预算总表")
    income = summary.sections[0].rows("grand_total")[0]
    assert income.label == "收入合计" and income.values[1].amount is None


# --- a header row that starts with 合计, and 其他资金 as an income source -----------


OTHER_FUNDS = document(
    (
        "一、收支预算总表",
        [
            row("收入", "", "支出", ""),
            row("项目名称", "金额", "项目名称", "金额"),
            row("一、财政拨款", "300.00", "一、一般公共服务支出", "315.00"),
            row("二、其他资金", "15.00", "", ""),
            row("收入合计", "315.00", "支出合计", "315.00"),
        ],
    ),
    ("二、支出预算总表", [row("合计", "基本支出", "项目支出"), row("315.00", "265.00", "50.00")]),
    (
        "三、财政拨款收支预算总表",
        [
            row("收入", "", "支出", ""),
            row("项目名称", "金额", "项目名称", "金额"),
            row("一、一般公共预算", "300.00", "一、基本支出", "250.00"),
            row("", "", "二、项目支出", "50.00"),
            row("收入合计", "300.00", "支出合计", "300.00"),
        ],
    ),
    narrative="本部门2017年基本支出265.00万元，项目支出50.00万元。",
)


def test_a_row_of_column_names_starting_with_heji_is_the_header():
    expense = table(OTHER_FUNDS, "支出预算总表")
    assert expense.header_rows == 1
    [section] = expense.sections
    assert [(c.header, c.key) for c in section.columns] == [
        (("合计",), "total"),
        (("基本支出",), "basic"),
        (("项目支出",), "project"),
    ]
    # its one unlabelled row states the totals
    [only] = section.items
    assert only.role == "total"
    assert amounts([only], 1) == {"": Decimal("265.00")}


def test_other_funds_keep_the_summary_apart_from_the_fiscal_tables():
    # 其他资金 15.00 is money beyond 财政拨款: the 收支预算总表 totals (315.00) are not the
    # 财政拨款 totals (300.00), and the narrative's 基本支出 265.00 is the 支出预算总表's
    # (all funds), not the 财政拨款 250.00.
    assert lint(OTHER_FUNDS, select=("XREF",)) == []


# --- the 一般公共预算基本支出预算表 lists economic classes ------------------------------


GENERAL_BASIC = (
    "三、一般公共预算基本支出预算表",
    [
        row("科目编码", "科目名称", "金额"),
        row("", "合计", "250.00"),
        row("301", "工资福利支出", "200.00"),
        row("30101", "基本工资", "200.00"),
        row("302", "商品和服务支出", "50.00"),
        row("30201", "办公费", "50.00"),
    ],
)


def test_the_general_budget_basic_spending_table_is_read_as_economic():
    text = document(FISCAL_SUMMARY, GENERAL_BASIC)
    assert table(text, "一般公共预算基本支出预算表").kind == "basic_economic"
    # its 合计 is basic spending (250.00), not the 财政拨款 total (300.00)
    assert lint(text, select=("XREF",)) == []


def test_the_general_budget_basic_total_is_still_checked_against_basic_spending():
    expense = ("一、支出预算总表", [row("合计", "基本支出", "项目支出"), row("300.00", "250.00", "50.00")])
    assert lint(document(expense, FISCAL_SUMMARY, GENERAL_BASIC), select=("XREF",)) == []
    rows = [r.replace("\t250.00", "\t260.00") if r.startswith("\t合计") else r for r in GENERAL_BASIC[1]]
    [finding] = lint(document(expense, FISCAL_SUMMARY, (GENERAL_BASIC[0], rows)), select=("XREF",))
    assert (finding.code, finding.severity) == ("XREF001", Severity.ERROR)
    assert finding.location.logical == ("一般公共预算基本支出预算表", "合计", "金额")


# --- a one-row table under its column names -----------------------------------------


THREE_PUBLIC = (
    "部门“三公”经费和机关运行经费预算表",
    [
        row("2024年“三公”经费预算数", "", "", "", "", "", "2024年机关运行经费预算数"),
        row("合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", "", "", ""),
        row("", "", "", "小计", "购置费", "运行费", ""),
        row("47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"),
    ],
)


def test_a_whole_number_under_an_amount_header_is_no_code():
    [section] = table(document(THREE_PUBLIC), THREE_PUBLIC[0]).sections
    assert [c.index for c in section.columns] == [0, 1, 2, 3, 4, 5, 6]
    [only] = section.items
    assert (only.code, only.role, only.values[4].amount) == ("", "total", Decimal(25))


def test_the_columns_of_a_one_row_table_are_its_items():
    [section] = table(document(THREE_PUBLIC), THREE_PUBLIC[0]).sections
    assert {i.label: i.values[next(iter(i.values))].amount for i in wide_items(section)} == {
        "因公出国(境)费": Decimal(0),
        "公务接待费": Decimal("1.35"),
        "公务用车购置及运行费": Decimal("46.56"),  # a group's 小计 is named by its group
        "购置费": Decimal(25),
        "运行费": Decimal("21.56"),
        "2024年机关运行经费预算数": Decimal("443.18"),
    }


def test_a_table_noted_empty_names_the_column_of_its_unlabelled_data():
    rows = [*THREE_PUBLIC[1], "", "注：本部门无“三公”经费和机关运行经费预算，故本表为空表。"]
    [finding] = lint(document((THREE_PUBLIC[0], rows)), select=("XREF005",))
    assert "“2024年“三公”经费预算数/合计”为 47.91万元" in finding.message


# --- a hierarchy set out in columns (政府采购预算表) -------------------------------------


PROCUREMENT = (
    "政府采购预算表",
    [
        row("采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"),
        row("合计", "", "", "", "", "110.00"),
        row("一、货物A", "", "", "", "", "60.00"),
        row("", "办公设备购置费", "办公设备购置", "", "", "40.00"),
        row("", "", "", "台式计算机", "分散自行组织", "30.00"),
        row("", "", "", "打印设备", "分散自行组织", "10.00"),
        row("", "", "印刷费", "", "", "20.00"),
        row("", "", "", "印刷品", "分散自行组织", "20.00"),
        row("二、服务C", "", "", "", "", "50.00"),
        row("", "会议专项", "会议费", "", "", "50.00"),
        row("", "", "会议服", "", "", ""),
        row("", "", "", "会议服务", "分散自行组织", "50.00"),
    ],
)


def test_a_row_labelled_in_a_later_column_sits_as_deep_as_its_last_label():
    [section] = table(document(PROCUREMENT), "政府采购预算表").sections
    # a label wrapped onto a line of its own (会议服) is no row
    assert [(i.label, i.level) for i in section.items] == [
        ("合计", 1),
        ("货物A", 1),
        ("办公设备购置费", 3),
        ("台式计算机", 5),
        ("打印设备", 5),
        ("印刷费", 3),
        ("印刷品", 5),
        ("服务C", 1),
        ("会议专项", 3),
        ("会议服务", 5),
    ]


def test_a_hierarchy_in_columns_adds_up():
    # read flat, every row was a top-level row and 合计 110.00 fell far short of their sum
    assert lint(document(PROCUREMENT), select=("SUM",)) == []


def test_a_wrong_leaf_of_a_hierarchy_in_columns_is_reported_on_its_parent():
    rows = [r.replace("打印设备\t分散自行组织\t10.00", "打印设备\t分散自行组织\t15.00") for r in PROCUREMENT[1]]
    [finding] = lint(document((PROCUREMENT[0], rows)), select=("SUM",))
    assert (finding.code, finding.severity) == ("SUM001", Severity.ERROR)
    assert finding.location.logical == ("政府采购预算表", "办公设备购置费", "总计")


# --- split codes written without a leading zero ------------------------------------


ECONOMIC_SPLIT = (
    "一般公共预算基本支出部门预算经济分类预算表",
    [
        row("项目", "", "", "一般公共预算基本支出", "", ""),
        row("部门预算经济分类科目编码", "", "经济分类科目名称", "合计", "人员经费", "公用经费"),
        row("类", "款", "", "", "", ""),
        row("301", "", "工资福利支出", "300", "300", "0"),
        row("301", "01", "基本工资", "100", "100", "0"),
        row("301", "2", "津贴补贴", "200", "200", "0"),
        row("302", "", "商品和服务支出", "50", "0", "50"),
        row("302", "01", "办公费", "50", "0", "50"),
        row("合计", "", "", "350", "300", "50"),
    ],
)


def test_a_kuan_code_without_its_leading_zero_is_padded():
    [section] = table(document(ECONOMIC_SPLIT, unit="元"), ECONOMIC_SPLIT[0]).sections
    assert [(i.code, i.level) for i in section.items if i.role == "item"] == [
        ("301", 1),
        ("30101", 2),
        ("30102", 2),
        ("302", 1),
        ("30201", 2),
    ]
    # 津贴补贴 was read as a class of its own, outside 工资福利支出
    assert lint(document(ECONOMIC_SPLIT, unit="元"), select=("SUM",)) == []


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("公开表一", ""),
        ("预算公开表1", ""),
        ("公开01表：收支预算总表", "收支预算总表"),
        ("表一2026年预算收支总表", "2026年预算收支总表"),
        ("表十三2026年项目支出预算表（上年结转）", "2026年项目支出预算表(上年结转)"),
        ("2026年预算收支总表", "2026年预算收支总表"),
    ],
)
def test_title_numbering_is_stripped_but_not_the_year(raw, title):
    assert title_text(raw) == title


def test_a_table_repeated_under_its_title_on_the_next_page_is_one_table():
    header = "项目\t金额\n"
    first = "# 2026年政府采购预算表\n\n单位：万元\n\n" + header + "合计\t30.00\n服务类\t30.00\n办公服务\t10.00\n"
    second = "\n# 2026年政府采购预算表\n\n单位：万元\n\n" + header + "物业服务\t20.00\n"
    model = budget("# 2026年部门预算\n\n" + first + second)
    [table] = model.tables_of("procurement")
    assert [i.label for s in table.sections for i in s.items] == ["合计", "服务类", "办公服务", "物业服务"]


def repeated_with_total(last: str) -> str:
    """A coded table whose next page repeats its title, header and 合计 row before the rows that follow."""
    header = "科目编码\t科目名称\t金额\n"
    total = "\t合计\t150.00\n"
    first = "# 收入决算表\n\n单位：万元\n\n" + header + total + "208\t社会保障和就业支出\t50.00\n214\t交通运输支出\t40.00\n"
    second = "\n# 收入决算表\n\n单位：万元\n\n" + header + total + f"221\t住房保障支出\t{last}\n"
    return "# 2026年部门决算\n\n" + first + second


def test_a_total_row_repeated_on_the_next_page_is_no_new_total():
    # 150.00 = 50.00 + 40.00 + 60.00: the repeated 合计 closes nothing, the page's rows join the first
    model = budget(repeated_with_total("60.00"))
    [table] = model.tables_of("income_summary")
    assert [i.label for s in table.sections for i in s.items] == ["合计", "社会保障和就业支出", "交通运输支出", "住房保障支出"]
    assert judged(repeated_with_total("60.00")) == ([], [])
    assert judged(repeated_with_total("66.00")) == ([], ["total_row"])


# --- a project table numbered in a 序号 column ---------------------------------------


def numbered_projects(last: str) -> str:
    return document((
        "项目支出预算表",
        [
            row("序号", "项目名称", "合计", "一般公共预算"),
            row("合计", "", "150.00", "150.00"),
            row("1", "学生资助专项经费", "100.00", "100.00"),
            row("2", "教师培训经费", "30.00", "30.00"),
            row("3", "校舍维修经费", last, last),
        ],
    ))


def test_a_total_merged_across_the_number_and_name_columns_is_the_total_row():
    projects = table(numbered_projects("20.00"), "项目支出预算表")
    [section] = projects.sections
    assert [column.label for column in section.columns] == ["合计", "一般公共预算"]  # 序号 holds no amounts
    assert [(item.label, item.role) for item in section.items] == [
        ("合计", "total"), ("学生资助专项经费", "item"), ("教师培训经费", "item"), ("校舍维修经费", "item"),
    ]
    assert [f.code for f in lint(numbered_projects("25.00"), select=("SUM",))] == ["SUM005"]  # one wrong row


# --- two halves side by side, each with its own code column --------------------------


BASIC_HALVES = (
    "一般公共预算财政拨款基本支出决算表",
    [
        row("人员经费", "", "", "公用经费", "", ""),
        row("经济分类科目编码", "科目名称", "金额", "经济分类科目编码", "科目名称", "金额"),
        row("301", "工资福利支出", "70.00", "302", "商品和服务支出", "9.00"),
        row("30101", "基本工资", "50.00", "30201", "办公费", "4.00"),
        row("30102", "津贴补贴", "20.00", "30202", "印刷费", "5.00"),
        row("人员经费合计", "", "70.00", "公用经费合计", "", "9.00"),
    ],
)


def test_each_half_reads_its_own_codes():
    halves = table(document(BASIC_HALVES), "一般公共预算财政拨款基本支出决算表").sections
    assert [[i.code for i in half.items if i.role == "item"] for half in halves] == [
        ["301", "30101", "30102"], ["302", "30201", "30202"],
    ]
    assert lint(document(BASIC_HALVES), select=("SUM",)) == []


def test_a_defect_in_the_second_half_is_found_at_its_row():
    text = document(BASIC_HALVES).replace("\t办公费\t4.00", "\t办公费\t6.00")
    found = lint(text, select=("SUM",))
    assert [(f.code, f.location.logical[1]) for f in found] == [("SUM001", "商品和服务支出")]


# --- judging: a misread table is withheld, an open list checked for excess only ----------------


def expense_table(*rows: str) -> str:
    return document(("一般公共预算支出表", [row("科目编码", "科目名称", "合计"), *rows]))


def judged(text: str) -> tuple[list[str], list[str]]:
    """The withheld tables' reasons, and the kinds of the defects found."""
    arithmetic = budget(text).arithmetic
    return [w.reason for w in arithmetic.withheld], [d.primary.kind for d in arithmetic.defects]


def test_a_sub_row_read_as_its_parents_peer_is_withheld_as_counted_twice():
    # 其中 row read as a 类 of its own: 合计 100.00 against 60.00 + 30.00 + 40.00 + 10.00 = 140.00,
    # over by exactly one of the rows (40.00)
    rows = [row("", "合计", "100.00"), row("201", "一般公共服务支出", "60.00"), row("205", "教育支出", "30.00"),
            row("", "公用经费", "40.00"), row("208", "社会保障和就业支出", "10.00")]
    assert judged(expense_table(*rows)) == (["double_count"], [])
    # the same table with a real wrong total (over by no row's amount) is a defect, reported
    rows[0] = row("", "合计", "125.00")
    assert judged(expense_table(*rows)) == ([], ["total_row"])


def test_a_row_read_as_a_peer_of_its_own_sub_rows_is_withheld():
    # 广州's 三公 table: （二）公务用车购置及运行费 60.00 and its 1. 购置费 20.00 and 2. 运行费 40.00 read
    # as peers (and （一） lost): 100.00 against 60.00 + 20.00 + 40.00 + 30.00 = 150.00
    rows = [row("", "合计", "100.00"), row("", "公务用车购置及运行费", "60.00"), row("", "购置费", "20.00"),
            row("", "运行费", "40.00"), row("", "公务接待费", "30.00")]
    assert judged(expense_table(*rows)) == (["nested_parts"], [])
    rows[2] = row("", "购置费", "25.00")  # no row is the sum of those after it: a defect
    assert judged(expense_table(*rows)) == ([], ["total_row"])


def test_a_group_row_read_as_a_project_is_withheld():
    # 广州's 项目支出表: a second unit's row (its name wrapped, so read as a project) and its projects all
    # counted under the first unit: 100.00 against 30.00 + 20.00 + 50.00 + 20.00 + 30.00
    def term(amount: str) -> Term:
        return Term(amount, Decimal(amount), Location("t.txt", line=len(amount)))

    parts = tuple(term(a) for a in ("30.00", "20.00", "50.00", "20.00", "30.00"))
    group = Equation("project_group", "某市某局 › 合计", term("100.00"), parts, True)
    assert misreading(SimpleNamespace(sections=[]), [group])[0] == "nested_parts"
    # 北京's 收支总表: the carryover row counted with its own breakdown (上年结转 12.72 = 12.72)
    carried = tuple(term(a) for a in ("44156.64", "12.72", "12.72"))
    balance = Equation("balance", "收入总计 › 收入/预算数", term("44169.36"), carried, True)
    assert misreading(SimpleNamespace(sections=[]), [balance])[0] == "nested_parts"


@pytest.mark.parametrize("title, kind", [
    ("一般公共预算支出情况表(按功能分类科目)", "general_expense"),
    ("一般公共预算项目支出情况表(按经济分类科目)", "project_economic"),  # the project part only, by economic class (广州)
    ("部门预算项目支出及其他支出预算表", "project_expense"),
])
def test_a_general_budget_table_of_projects_is_no_general_expense_table(title, kind):
    assert classify(title) == kind


def test_economic_classes_repeated_under_each_unit_nest_under_it():
    # 广州's 部门预算基本支出预算表: each unit's row, then its 类 by name, no codes
    def basic_by_unit(office: str) -> str:
        return document(("部门预算基本支出预算表", [
            row("单位名称", "总计"), row("合计", "100.00"), row("某局(本级)", office),
            row("工资福利支出", "50.00"), row("商品和服务支出", "20.00"),
            row("某局信息中心", "30.00"), row("工资福利支出", "25.00"), row("商品和服务支出", "5.00"),
        ]))

    assert judged(basic_by_unit("70.00")) == ([], [])  # read as units over their 类, every sum holds
    assert judged(basic_by_unit("75.00")) == ([], ["subtotal"])  # the unit's own row is off: one defect


def summary_page(*rows: str) -> str:
    return document(("财政拨款收支总表", [row("项目", "预算数"), row("一、本年支出", "100.00"), *rows]))


def test_a_list_that_runs_to_the_end_of_an_unclosed_table_is_checked_for_excess_only():
    # the table stops on its page's last 类 (its 总计 on a page not read): a shortfall says nothing
    assert judged(summary_page(row("（一）一般公共服务支出", "60.00"), row("（二）教育支出", "30.00"))) == ([], [])
    assert judged(summary_page(row("（一）一般公共服务支出", "60.00"), row("（二）教育支出", "50.00"))) == ([], ["subtotal"])
    # closed by its 总计, the same shortfall is a defect
    closed = summary_page(row("（一）一般公共服务支出", "60.00"), row("（二）教育支出", "30.00"), row("支出总计", "100.00"))
    assert judged(closed)[1] == ["subtotal"]


# --- codes over 类/款/项 columns, each part printed once -----------------------------


PARTIAL_CODES = (
    "一般公共预算支出情况表",
    [
        row("科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"),
        row("类", "款", "项", "", "", "", ""),
        row("", "", "", "合计", "300.00", "250.00", "50.00"),
        row("201", "", "", "一般公共服务支出", "200.00", "150.00", "50.00"),
        row("", "08", "", "审计事务", "200.00", "150.00", "50.00"),
        row("", "", "01", "行政运行", "150.00", "150.00", "0.00"),
        row("", "", "04", "审计业务", "50.00", "0.00", "50.00"),
        row("221", "", "", "住房保障支出", "100.00", "100.00", "0.00"),
        row("", "02", "", "住房改革支出", "100.00", "100.00", "0.00"),
        row("", "", "01", "住房公积金", "100.00", "100.00", "0.00"),
    ],
)


def test_kuan_and_xiang_rows_inherit_the_code_of_the_rows_above():
    [section] = table(document(PARTIAL_CODES), PARTIAL_CODES[0]).sections
    assert [(i.code, i.level) for i in section.items if i.role == "item"] == [
        ("201", 1), ("20108", 2), ("2010801", 3), ("2010804", 3), ("221", 1), ("22102", 2), ("2210201", 3),
    ]
    # each 类 was summed with its own 款 and 项 into the 合计: three times the total
    assert lint(document(PARTIAL_CODES), select=("SUM",)) == []


def test_a_defect_under_partial_codes_is_found_at_its_row():
    text = document(PARTIAL_CODES).replace("审计业务\t50.00\t0.00", "审计业务\t60.00\t0.00")
    found = lint(text, select=("SUM",))
    assert [f.location.logical[1] for f in found] == ["审计业务"]


# --- codes inside the name cell, no code column ---------------------------------------


CODES_IN_NAMES = (
    "一般公共预算支出情况表",
    [
        row("功能科目名称", "一般公共预算支出", "", ""),
        row("", "小计", "其中：基本支出", "项目支出"),
        row("合计", "300.00", "250.00", "50.00"),
        row("[201]一般公共服务支出", "200.00", "150.00", "50.00"),
        row(" [20103]政府办公厅（室）及相关机构事务", "200.00", "150.00", "50.00"),
        row("  [2010301]行政运行", "150.00", "150.00", "0.00"),
        row("  [2010302]一般行政管理事务", "50.00", "0.00", "50.00"),
        row("221 住房保障支出", "100.00", "100.00", "0.00"),
        row("22102 住房改革支出", "100.00", "100.00", "0.00"),
        row("2210201 住房公积金", "100.00", "100.00", "0.00"),
    ],
)


def test_a_code_leading_the_name_cell_gives_the_row_its_code_and_level():
    [section] = table(document(CODES_IN_NAMES), CODES_IN_NAMES[0]).sections
    assert [(i.code, i.label, i.level) for i in section.items if i.role == "item"] == [
        ("201", "一般公共服务支出", 1),
        ("20103", "政府办公厅(室)及相关机构事务", 2),
        ("2010301", "行政运行", 3),
        ("2010302", "一般行政管理事务", 3),
        ("221", "住房保障支出", 1),
        ("22102", "住房改革支出", 2),
        ("2210201", "住房公积金", 3),
    ]
    assert lint(document(CODES_IN_NAMES), select=("SUM",)) == []


def test_a_year_leading_a_name_is_no_code():
    rows = [row("项目", "金额"), row("2026年 结转项目", "10.00"), row("合计", "10.00")]
    [section] = table(document(("项目支出情况表", rows)), "项目支出情况表").sections
    assert [(i.code, i.label) for i in section.items] == [("", "2026年结转项目"), ("", "合计")]


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("[201]一般公共服务支出", ("201", "一般公共服务支出")),
        ("  【20111】纪检监察事务", ("20111", "纪检监察事务")),
        ("2013601-行政运行", ("2013601", "行政运行")),
        ("30101 基本工资", ("30101", "基本工资")),
        ("2026年 结转项目", ("", "2026年结转项目")),
        ("110指挥中心运维", ("", "110指挥中心运维")),
        ("[201]", ("", "[201]")),
    ],
)
def test_a_code_is_split_off_the_start_of_a_name_only_when_set_apart(text, split):
    assert split_code(text) == split


# --- a unit-code tree: a department (3 digits) over its units (6 digits) ---------------


UNIT_CODES = (
    "部门收入预算总表",
    [
        row("单位编码", "单位名称", "合计", "一般公共预算", "其他收入"),
        row("", "合计", "300.00", "280.00", "20.00"),
        row("015", "某委员会", "300.00", "280.00", "20.00"),
        row("015001", "某委员会", "200.00", "190.00", "10.00"),
        row("015002", "某服务中心", "100.00", "90.00", "10.00"),
    ],
)


def test_units_sit_under_their_department_by_code():
    [section] = table(document(UNIT_CODES), UNIT_CODES[0]).sections
    assert [(i.code, i.level) for i in section.items if i.role == "item"] == [("015", 1), ("015001", 2), ("015002", 2)]
    # the department was summed with its own units: twice the total
    assert lint(document(UNIT_CODES), select=("SUM",)) == []


def test_a_defect_in_a_unit_is_found_at_its_row():
    text = document(UNIT_CODES).replace("某服务中心\t100.00", "某服务中心\t110.00")
    found = lint(text, select=("SUM",))
    assert [f.location.logical[1] for f in found] == ["某服务中心"]


def test_six_digit_whole_amounts_under_no_header_are_no_unit_codes():
    rows = [row("项目", "金额", ""), row("办公费", "150000", "150000"), row("印刷费", "250000", "250000")]
    [section] = table(document(("部门支出总表", rows), unit="元"), "部门支出总表").sections
    assert [c.index for c in section.columns] == [1, 2]


# --- two code columns side by side: never one glued code -----------------------------


TWO_CODES = (
    "一般公共预算基本支出情况表",
    [
        row("部门经济科目编码", "", "政府经济科目编码", "", "科目名称", "合计", "人员经费", "公用经费"),
        row("类", "款", "类", "款", "", "", "", ""),
        row("", "", "", "", "合计", "300.00", "250.00", "50.00"),
        row("301", "", "501", "", "工资福利支出", "250.00", "250.00", "0.00"),
        row("301", "01", "501", "01", "基本工资", "100.00", "100.00", "0.00"),
        row("301", "02", "501", "01", "津贴补贴", "150.00", "150.00", "0.00"),
        row("302", "", "502", "", "商品和服务支出", "50.00", "0.00", "50.00"),
        row("", "01", "", "01", "办公费", "50.00", "0.00", "50.00"),
    ],
)


def test_two_code_columns_side_by_side_are_not_glued():
    [section] = table(document(TWO_CODES), TWO_CODES[0]).sections
    assert [(i.code, i.level) for i in section.items if i.role == "item"] == [
        ("301", 1), ("30101", 2), ("30102", 2), ("302", 1), ("30201", 2),
    ]
    assert lint(document(TWO_CODES), select=("SUM",)) == []


# --- a code column's sub-headers (类, 款) set on lines of their own -------------------


STACKED_CODE_HEADER = (
    "一般公共预算基本支出情况表",
    [
        row("经济分类科目编码", "", "科目名称", "合计", "人员经费", "公用经费"),
        row("类", "", "", "", "", ""),
        row("", "款", "", "", "", ""),
        row("", "", "合计", "300.00", "250.00", "50.00"),
        row("301", "", "工资福利支出", "250.00", "250.00", "0.00"),
        row("", "01", "基本工资", "250.00", "250.00", "0.00"),
        row("302", "", "商品和服务支出", "50.00", "0.00", "50.00"),
        row("", "01", "办公费", "50.00", "0.00", "50.00"),
    ],
)


def test_a_sub_header_on_a_line_of_its_own_is_no_data_row():
    read = table(document(STACKED_CODE_HEADER), STACKED_CODE_HEADER[0])
    assert read.header_rows == 3
    assert [(i.code, i.label) for i in read.sections[0].items] == [
        ("", "合计"), ("301", "工资福利支出"), ("30101", "基本工资"), ("302", "商品和服务支出"), ("30201", "办公费"),
    ]
    # 合计 was checked against the header rows 类 and 款 above it, which add up to 0
    assert lint(document(STACKED_CODE_HEADER), select=("SUM",)) == []


# --- projects listed under their 项, named in a column of their own -------------------


PROJECTS_UNDER_CODES = (
    "预算单位财政拨款项目支出预算表",
    [
        row("功能分类科目编码", "", "", "功能分类科目名称", "序号", "项目名称", "预算数"),
        row("类", "款", "项", "", "", "", ""),
        row("201", "", "", "一般公共服务支出", "", "", "270"),
        row("201", "13", "", "商贸事务", "", "", "270"),
        row("201", "13", "02", "一般行政管理事务", "", "", "200"),
        row("", "", "", "", "1", "产业发展专项", "200"),
        row("201", "13", "99", "其他商贸事务支出", "", "", "70"),
        row("", "", "", "", "2", "展会服务", "70"),
        row("合计", "", "", "", "", "", "270"),
    ],
)


def test_projects_under_a_xiang_are_its_parts():
    [section] = table(document(PROJECTS_UNDER_CODES, unit="元"), PROJECTS_UNDER_CODES[0]).sections
    assert [(i.code, i.label, i.level) for i in section.items if i.role == "item"][2:] == [
        ("2011302", "一般行政管理事务", 3), ("", "产业发展专项", 4), ("2011399", "其他商贸事务支出", 3), ("", "展会服务", 4),
    ]
    # the projects were top-level rows beside 201, so the 合计 came out twice the total
    assert lint(document(PROJECTS_UNDER_CODES, unit="元"), select=("SUM",)) == []


def test_an_unnamed_row_after_codes_stays_outside_the_tree():
    rows = [*UNIT_CODES[1][:-1], row("", "", "300.00", "280.00", "20.00")]
    items = table(document((UNIT_CODES[0], rows)), UNIT_CODES[0]).sections[0].items
    assert (items[-1].label, items[-1].level) == ("", 1)


UNITS_THEN_CODES = (
    "部门支出总表",
    [
        row("预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"),
        row("某局(本级)", "", "", "200.00", "150.00", "50.00"),
        row("", "201", "一般公共服务支出", "200.00", "150.00", "50.00"),
        row("", "20101", "人大事务", "200.00", "150.00", "50.00"),
        row("某服务中心", "", "", "100.00", "50.00", "50.00"),
        row("", "201", "一般公共服务支出", "100.00", "50.00", "50.00"),
        row("", "20101", "人大事务", "100.00", "50.00", "50.00"),
    ],
)


def test_the_next_unit_named_left_of_the_codes_is_no_part_of_the_code_above():
    found = lint(document(UNITS_THEN_CODES), select=("SUM",))
    assert [f for f in found if f.code == "SUM001"] == []


# 深圳's 收支总表: the hierarchy is shown by indentation only (一、类, then its 款 flush with it, then its
# 项 indented by a character or two); read as peers, the 本年支出合计 came out three times the total.
INDENTED_SUMMARY = (
    "收支总表",
    [
        row("收入", "", "支出", ""),
        row("项目", "2026年预算数", "项目", "2026年预算数"),
        row("一、财政拨款", "300.00", "一、教育支出", "100.00"),
        row("\u30001.一般公共预算拨款", "300.00", "进修及培训", "100.00"),
        row("二、单位资金", "0.00", "\u3000\u3000培训支出", "100.00"),
        row("", "", "二、社会保障和就业支出", "200.00"),
        row("", "", "民政管理事务", "200.00"),
        row("", "", "\u3000\u3000行政运行", "150.00"),
        row("", "", "\u3000\u3000一般行政管理事务", "50.00"),
        row("本年收入合计", "300.00", "本年支出合计", "300.00"),
        row("收入总计", "300.00", "支出总计", "300.00"),
    ],
)


def pdf_budget(text: str):
    """The budget model of ``text`` rendered as a ruled PDF and read back."""
    render = pytest.importorskip("tests.render")
    return linter().build_budget(linter().read(Source("doc.pdf", render.render(text)), "en"))


@pytest.mark.parametrize("reader", ["text", "pdf"])
def test_a_hierarchy_shown_by_indentation_nests(reader):
    model = (budget if reader == "text" else pdf_budget)(document(INDENTED_SUMMARY))
    expense = model.tables[0].sections[1]
    assert [(i.label, i.level) for i in expense.items if i.role == "item"] == [
        ("教育支出", 1), ("进修及培训", 2), ("培训支出", 3),
        ("社会保障和就业支出", 1), ("民政管理事务", 2), ("行政运行", 3), ("一般行政管理事务", 3),
    ]
    assert model.arithmetic.withheld == [] and model.arithmetic.defects == []


def test_a_wrong_cell_under_indentation_is_found_at_its_row():
    text = document(INDENTED_SUMMARY).replace("一般行政管理事务\t50.00", "一般行政管理事务\t40.00")
    found = lint(text, select=("SUM",))
    assert [(f.code, f.location.logical[-2]) for f in found] == [("SUM001", "民政管理事务")]


def test_indentation_that_breaks_the_sums_is_not_read_as_a_hierarchy():
    # a flat list whose labels happen to be indented alike adds up only as peers: the flat reading stays
    rows = [row("项目", "金额"), row("基本支出", "60.00"), row("\u3000\u3000项目支出", "40.00"), row("合计", "100.00")]
    model = budget(document(("支出总表", rows)))
    assert [i.level for i in model.tables[0].sections[0].items if i.role == "item"] == [1, 1]
    assert model.arithmetic.withheld == [] and model.arithmetic.defects == []


def summary_sides(income: list[str], expense: list[str]) -> str:
    """A two-sided 收支总表 of ``income`` and ``expense`` rows ("label amount"), side by side."""
    rows = [row("收入", "", "支出", ""), row("项目", "预算数", "项目", "预算数")]
    width = max(len(income), len(expense))
    for left, right in zip(income + [""] * (width - len(income)), expense + [""] * (width - len(expense)), strict=True):
        rows.append(row(*(left.split(" ") if left else ["", ""]), *(right.split(" ") if right else ["", ""])))
    return document(("收支总表", rows))


def test_a_total_after_the_years_total_and_the_carryover_is_the_grand_total():
    # 福州: 本年收入合计 … 上年结转结余 … 收入合计; Jiangsu: 当年收入小计 … 上年结转资金 … 收入合计
    text = summary_sides(
        ["一般公共预算拨款收入 300.00", "当年收入小计 300.00", "上年结转资金 50.00", "收入合计 350.00"],
        ["一般公共服务支出 350.00", "本年支出合计 350.00", "结转下年支出 0.00", "支出合计 350.00"],
    )
    income, expense = budget(text).tables[0].sections
    assert [(i.label, i.role) for i in income.items] == [
        ("一般公共预算拨款收入", "item"), ("当年收入小计", "total"), ("上年结转资金", "carryover"), ("收入合计", "grand_total"),
    ]
    assert [i.role for i in expense.items] == ["item", "total", "carryover", "grand_total"]
    assert judged(text) == ([], [])
    assert judged(text.replace("收入合计\t350.00", "收入合计\t360.00")) == ([], ["balance"])


def test_the_second_numbered_part_after_a_qizhong_part_is_its_sibling():
    # 福州's 三公 table: only （1） carries 其中, （2） is its sibling, both parts of 3、公务用车购置及运行费
    rows = [row("项目", "预算数"), row("合计", "1354.68"), row("1、因公出国（境）费用", "5.38"), row("2、公务接待费", "14.09"),
            row("3、公务用车购置及运行费", "1335.21"), row("其中：（1）公务用车购置费", "221.04"), row("（2）公务用车运行费", "1114.17")]
    text = document(("一般公共预算“三公”经费支出预算表", rows))
    assert judged(text) == ([], [])
    assert judged(text.replace("1114.17", "1104.17")) == ([], ["subtotal"])


def test_the_years_whole_numbered_like_its_rows_sits_above_them():
    # 北京's 财政拨款收支总表: 一、本年支出 then 一、一般公共服务支出… numbered alike
    text = summary_sides(
        ["一、本年收入 300.00", "（一）一般公共预算资金 300.00", "二、上年结转 0.00", "收入总计 300.00"],
        ["一、本年支出 300.00", "一、一般公共服务支出 200.00", "五、教育支出 100.00", "二、年终结转结余 0.00", "支出总计 300.00"],
    )
    expense = budget(text).tables[0].sections[1]
    assert [(i.label, i.level) for i in expense.items if i.role == "item"] == [("本年支出", 0), ("一般公共服务支出", 1), ("教育支出", 1)]
    assert judged(text) == ([], [])
    assert judged(text.replace("教育支出\t100.00", "教育支出\t90.00")) == ([], ["subtotal"])


def test_the_rows_after_a_carryover_flush_with_it_are_its_breakdown():
    # 北京's 财政拨款收支总表: 上年结转结余 12.72, then 一般公共预算拨款 12.72 at the same indentation
    text = summary_sides(
        ["一般公共预算资金 300.00", "本年收入合计 300.00", "上年结转结余 12.72", "一般公共预算拨款 12.72", "收入总计 312.72"],
        ["一般公共服务支出 312.72", "本年支出合计 312.72", "年终结转结余 0.00", "", "支出总计 312.72"],
    )
    assert judged(text) == ([], [])
    assert judged(text.replace("一般公共预算拨款\t12.72", "一般公共预算拨款\t10.72")) == ([], ["balance"])


def test_a_qizhong_column_first_under_its_total_introduces_all_that_follow():
    # 广州's 一般公共预算支出情况表: 小计 | 其中：基本支出 | 项目支出; the 其中 covers both
    rows = [row("科目编码", "科目名称", "一般公共预算支出", "", ""), row("", "", "小计", "其中：基本支出", "项目支出"),
            row("", "合计", "300.00", "200.00", "100.00"), row("201", "一般公共服务支出", "300.00", "200.00", "100.00")]
    text = document(("一般公共预算支出情况表（按功能分类科目）", rows))
    assert judged(text) == ([], [])
    assert judged(text.replace("300.00\t200.00\t100.00", "300.00\t200.00\t90.00", 1)) == ([], ["total_row"])
    # after a plain column it is that column's subset: 合计 | 财政拨款 | 其中：一般公共预算 | 其他资金
    rows = [row("项目", "合计", "财政拨款", "其中：一般公共预算", "其他资金"), row("合计", "300.00", "200.00", "150.00", "100.00")]
    assert judged(document(("收入总表", rows))) == ([], [])


# 无锡's 政府采购支出表: 服务, then the unit, then its projects named in the 专项名称 column, all in one column
# set out with nothing to show the hierarchy but the sums.
PROCUREMENT_BY_SUMS = (
    "政府采购支出表",
    [
        row("采购品目大类", "专项名称", "采购品目名称", "一般公共预算资金", "总计"),
        row("合计", "", "", "225.52", "225.52"),
        row("服务", "", "", "225.52", "225.52"),
        row("无锡市信访局（本级）", "", "", "225.52", "225.52"),
        row("", "运行费增额及矛调业务经费", "保安服务", "154.42", "154.42"),
        row("", "物业及运行经费", "保安服务", "71.10", "71.10"),
    ],
)


def test_rows_under_the_row_they_add_up_to_nest_under_it():
    text = document(PROCUREMENT_BY_SUMS)
    assert judged(text) == ([], [])
    items = budget(text).tables[0].sections[0].items
    assert [i.level for i in items if i.role == "item"][:2] == [1, 2]
    # with a wrong project amount the sums no longer confirm the nesting: the table is withheld, never an error
    withheld, found = judged(text.replace("71.10\t71.10", "61.10\t61.10"))
    assert withheld and found == []


def test_rows_placed_by_their_columns_never_nest_under_an_equal_sum_of_their_peers():
    # 5.00 = 2.50 + 2.50 among the projects is chance: their own columns place them, under their unit
    rows = [
        row("采购品目大类", "专项名称", "采购品目名称", "一般公共预算资金", "总计"),
        row("合计", "", "", "25.00", "25.00"),
        row("货物", "", "", "10.00", "10.00"),
        row("某市某局（本级）", "", "", "10.00", "10.00"),
        row("", "办公设备购置", "打印机", "5.00", "5.00"),
        row("", "办公费", "复印纸", "2.50", "2.50"),
        row("", "办公费", "墨粉盒", "2.50", "2.50"),
        row("服务", "", "", "15.00", "15.00"),
        row("某市某局（本级）", "", "", "15.00", "15.00"),
        row("", "物业及运行经费", "物业管理服务", "15.00", "15.00"),
    ]
    text = document(("政府采购支出表", rows))
    assert judged(text) == ([], [])
    items = budget(text).tables[0].sections[0].items
    levels = [i.level for i in items if i.role == "item"]
    assert levels[:2] == [1, 2] and len(set(levels[2:5])) == 1 and levels[2] > 2


def test_a_project_after_one_of_the_same_amount_is_its_sibling():
    # 无锡: 1.40 + 7.30 + 7.30 + 7.30 = 23.30; the second 7.30 is no part of the first
    rows = [
        *PROCUREMENT_BY_SUMS[1][:2],
        row("服务", "", "", "23.30", "23.30"),
        row("无锡市住房和城乡建设局（本级）", "", "", "23.30", "23.30"),
        row("", "公用经费定额", "物业管理服务", "1.40", "1.40"),
        row("", "信息化测评", "信息技术服务", "7.30", "7.30"),
        row("", "等保测评（信用管理系统）", "信息技术服务", "7.30", "7.30"),
        row("", "等保测评（实名制管理平台）", "信息技术服务", "7.30", "7.30"),
    ]
    rows[1] = row("合计", "", "", "23.30", "23.30")
    assert judged(document((PROCUREMENT_BY_SUMS[0], rows))) == ([], [])


# --- the real documents -------------------------------------------------------------


SHENZHEN = SHARED / "cities" / "2026-guangdong-shenzhen-minzhengju-dept-budget.pdf"


@pytest.mark.skipif(not SHENZHEN.is_file(), reason="../shared/cities is not present")
def test_shenzhen_summaries_shown_by_indentation_are_understood():
    document = linter().read(Source(str(SHENZHEN), SHENZHEN.read_bytes()), "en")
    model = linter().build_budget(document)
    summaries = [t for t in model.tables if t.kind in ("income_expense_summary", "fiscal_summary")]
    assert len(summaries) == 2
    withheld = {id(w.table) for w in model.arithmetic.withheld}
    assert [t.title for t in summaries if id(t) in withheld] == []
    # 二、社会保障和就业支出 ⊃ 民政管理事务 ⊃ 行政运行, by indentation
    expense = summaries[0].sections[1]
    levels = {i.label: i.level for i in expense.items}
    assert (levels["社会保障和就业支出"], levels["民政管理事务"], levels["行政运行"]) == (1, 2, 3)

"""The equations a table states about itself, as the budget model derives them from the table's layout.

Each case is a layout of a real template (广州, 深圳) whose sums the model did
not see before; the amounts add up as the template's do.
"""

from __future__ import annotations

from decimal import Decimal

from budgetlint.budget.equations import project_groups, table_equations
from budgetlint.budget.projects import group_rows
from helpers import document, lint, row, table


def sums(title_rows: tuple[str, list[str]], kind: str, unit: str = "万元") -> dict[str, tuple[Decimal | None, ...]]:
    """The ``kind`` equations of the table: subject → (total, parts…), all holding."""
    read = table(document(title_rows, unit=unit), title_rows[0])
    found = [e for e in table_equations(read, "") if e.kind == kind and not e.trivial]
    assert all(e.holds for e in found), [e.subject for e in found if not e.holds]
    return {e.subject: (e.total.amount, *(p.amount for p in e.parts)) for e in found}


# --- the other uses of money beside 基本支出 and 项目支出 ------------------------------


EXPENSE_COLUMNS = ("科目编码", "科目名称", "合计", "基本支出", "项目支出", "事业单位经营支出", "对附属单位补助支出", "上缴上级支出")
EXPENSE_SUMMARY = (
    "本年支出总体情况表",
    [
        row(*EXPENSE_COLUMNS),
        row("", "合计", "130.00", "70.00", "30.00", "20.00", "6.00", "4.00"),
        row("201", "一般公共服务支出", "130.00", "70.00", "30.00", "20.00", "6.00", "4.00"),
    ],
)


def test_a_total_column_adds_the_operating_subsidy_and_remittance_columns():
    found = sums(EXPENSE_SUMMARY, "column_sum")
    assert found["201 一般公共服务支出 › 合计"] == tuple(Decimal(v) for v in ("130.00", "70.00", "30.00", "20.00", "6.00", "4.00"))


def test_a_total_column_read_without_the_columns_lying_within_it():
    # 深圳: 支出总计 = 基本支出 + 项目支出; its 事业单位经营支出 lies within them
    inner = (EXPENSE_SUMMARY[0], [
        row(*EXPENSE_COLUMNS),
        row("", "合计", "100.00", "70.00", "30.00", "20.00", "0.00", "0.00"),
        row("201", "一般公共服务支出", "100.00", "70.00", "30.00", "20.00", "0.00", "0.00"),
    ])
    # the all-zero 补助 and 上缴 columns fit either reading, so they stay parts as the standard template has them
    assert sums(inner, "column_sum")["201 一般公共服务支出 › 合计"] == tuple(
        Decimal(v) for v in ("100.00", "70.00", "30.00", "0.00", "0.00")
    )
    assert lint(document(inner), select=("SUM",)) == []


def test_only_the_columns_the_sums_show_inside_the_total_are_left_out():
    inner = (EXPENSE_SUMMARY[0], [
        row(*EXPENSE_COLUMNS),
        row("", "合计", "106.00", "70.00", "30.00", "20.00", "6.00", "0.00"),
        row("201", "一般公共服务支出", "106.00", "70.00", "30.00", "20.00", "6.00", "0.00"),
    ])
    assert sums(inner, "column_sum")["201 一般公共服务支出 › 合计"] == tuple(
        Decimal(v) for v in ("106.00", "70.00", "30.00", "6.00", "0.00")
    )


def test_a_total_column_adds_the_grants_from_above_and_the_remittances_from_below():
    income = (
        "收入总体情况表",
        [
            row("单位名称", "合计", "一般公共预算", "上级补助收入", "附属单位上缴收入"),
            row("合计", "10.00", "7.00", "2.00", "1.00"),
            row("某局", "10.00", "7.00", "2.00", "1.00"),
        ],
    )
    assert sums(income, "column_sum")["某局 › 合计"] == tuple(Decimal(v) for v in ("10.00", "7.00", "2.00", "1.00"))


def test_a_procurement_group_beside_the_total_is_no_part_of_it():
    procured = (
        "支出总表",
        [
            row("科目编码", "科目名称", "支出总计", "基本支出", "项目支出", "2026年政府采购项目", ""),
            row("", "", "", "", "", "小计", "其中：中小企业"),
            row("201", "一般公共服务支出", "100.00", "70.00", "30.00", "40.00", "10.00"),
        ],
    )
    assert sums(procured, "column_sum")["201 一般公共服务支出 › 支出总计"] == (
        Decimal("100.00"), Decimal("70.00"), Decimal("30.00"),
    )


def test_a_header_over_the_label_column_does_not_group_the_total_beside_it():
    # 深圳's 项目支出总表: 支出项目类别 stands over the names; 总计 is the whole of the sources, not in a group of its own
    projects = (
        "项目支出总表",
        [
            row("支出项目类别", "", "2026年预算", "", ""),
            row("", "总计", "财政拨款", "", "财政专户管理资金"),
            row("", "", "一般公共预算拨款", "政府性基金预算拨款", ""),
            row("某局(本级)", "50.00", "30.00", "15.00", "5.00"),
            row("信息化运维", "50.00", "30.00", "15.00", "5.00"),
        ],
    )
    found = sums(projects, "column_sum")
    assert found["信息化运维 › 总计"] == tuple(Decimal(v) for v in ("50.00", "30.00", "15.00", "5.00"))


def test_a_header_of_two_dimensions_sums_across_its_groups():
    # 深圳's 三公 table: each expense split by source, the 总计 group the sum of the others, source by source
    three_public = (
        "财政拨款“三公”经费支出表",
        [
            row("项目", "总计", "", "因公出国(境)费", "", "公务接待费", "", "公务用车购置及运行维护费", "", "", "", "", ""),
            row("", "", "", "", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行维护费", ""),
            row("", "一般公共预算", "政府性基金预算", "一般公共预算", "政府性基金预算", "一般公共预算", "政府性基金预算",
                "一般公共预算", "政府性基金预算", "一般公共预算", "政府性基金预算", "一般公共预算", "政府性基金预算"),
            row("2026年", "27.60", "2.00", "13.20", "0.00", "3.90", "0.00", "10.50", "2.00", "4.00", "2.00", "6.50", "0.00"),
        ],
    )
    found = sums(three_public, "column_sum")
    assert found["2026年 › 总计/一般公共预算"] == tuple(Decimal(v) for v in ("27.60", "13.20", "3.90", "10.50"))
    assert found["2026年 › 总计/政府性基金预算"] == tuple(Decimal(v) for v in ("2.00", "0.00", "0.00", "2.00"))
    assert found["2026年 › 公务用车购置及运行维护费/小计/一般公共预算"] == (Decimal("10.50"), Decimal("4.00"), Decimal("6.50"))


def test_a_year_over_its_columns_is_no_total_of_the_year_beside_it():
    years = (
        "支出总表",
        [
            row("科目编码", "科目名称", "2025年预算数", "", "2026年预算数", ""),
            row("", "", "基本支出", "项目支出", "基本支出", "项目支出"),
            row("201", "一般公共服务支出", "60.00", "30.00", "70.00", "30.00"),
        ],
    )
    assert sums(years, "column_sum") == {}


# --- project tables: a unit's row over its projects ---------------------------------


def test_a_unit_row_after_another_units_projects_is_their_group():
    # 广州: the department's own row, then units; a unit's projects are counted from the next unit up
    projects = (
        "部门预算项目支出及其他支出预算表",
        [
            row("支出项目类别（资金使用单位）", "总计", "一般公共预算"),
            row("合计", "160.00", "160.00"),
            row("某局", "100.00", "100.00"),
            row("信息化运维", "60.00", "60.00"),
            row("专项工作经费", "40.00", "40.00"),
            row("某中心", "40.00", "40.00"),
            row("物业管理费", "25.00", "25.00"),
            row("工作经费", "15.00", "15.00"),
            row("某研究院", "20.00", "20.00"),
            row("购置经费", "12.00", "12.00"),
            row("运行经费", "8.00", "8.00"),
        ],
    )
    read = table(document(projects), projects[0])
    labels = {i.row_index: i.label for i in read.sections[0].items}
    assert sorted(labels[r] for r in group_rows(read, "某局")) == ["某中心", "某局", "某研究院"]
    assert sums(projects, "project_group")["合计 › 总计"] == tuple(Decimal(v) for v in ("160.00", "100.00", "40.00", "20.00"))


def group_labels(title_rows: tuple[str, list[str]], department: str = "某局") -> list[str]:
    """The labels of the project table's group rows, sorted."""
    read = table(document(title_rows), title_rows[0])
    labels = {i.row_index: i.label for i in read.sections[0].items}
    return sorted(labels[r] for r in project_groups(read, department))


def test_an_indented_project_equal_to_the_next_two_is_no_group():
    # 广州: units flush, their projects indented; JD004 30.00 = JD005 10.00 + JD006 20.00 by chance
    projects = (
        "部门预算项目支出及其他支出预算表",
        [
            row("支出项目类别（资金使用单位）", "总计", "一般公共预算"),
            row("合计", "210.00", "210.00"),
            row("某局", "100.00", "100.00"),
            row("\u3000\u3000信息化运维", "60.00", "60.00"),
            row("\u3000\u3000专项工作经费", "40.00", "40.00"),
            row("某中心", "110.00", "110.00"),
            row("\u3000\u3000物业管理费", "50.00", "50.00"),
            row("\u3000\u3000JD004", "30.00", "30.00"),
            row("\u3000\u3000JD005", "10.00", "10.00"),
            row("\u3000\u3000JD006", "20.00", "20.00"),
        ],
    )
    assert group_labels(projects) == ["某中心", "某局"]
    assert sums(projects, "project_group")["合计 › 总计"] == tuple(Decimal(v) for v in ("210.00", "100.00", "110.00"))
    assert lint(document(projects), select=("SUM", "LINT")) == []


def single_project_unit(last: str) -> tuple[str, list[str]]:
    """广州's project table where one unit has one project (``last``: that project's amount)."""
    return (
        "部门预算项目支出及其他支出预算表",
        [
            row("支出项目类别（资金使用单位）", "总计", "一般公共预算"),
            row("合计", "140.00", "140.00"),
            row("某局", "100.00", "100.00"),
            row("信息化运维", "63.00", "63.00"),
            row("专项工作经费", "37.00", "37.00"),
            row("某中心", "30.00", "30.00"),
            row("物业管理费", "22.00", "22.00"),
            row("工作经费", "8.00", "8.00"),
            row("某讲师团", "10.00", "10.00"),
            row("理论宣讲", last, last),
        ],
    )


def test_a_unit_with_a_single_project_is_a_group_of_one():
    projects = single_project_unit("10.00")
    assert group_labels(projects) == ["某中心", "某局", "某讲师团"]
    assert sums(projects, "project_group")["合计 › 总计"] == tuple(Decimal(v) for v in ("140.00", "100.00", "30.00", "10.00"))
    assert lint(document(projects), select=("SUM",)) == []


def test_equal_projects_are_no_group_of_one_when_the_sums_hold_without():
    # 工作经费 10.00 is not a group over 培训费 10.00: with both as projects of 某中心, every sum holds
    projects = (
        "部门预算项目支出及其他支出预算表",
        [
            row("支出项目类别（资金使用单位）", "总计", "一般公共预算"),
            row("合计", "145.00", "145.00"),
            row("某局", "100.00", "100.00"),
            row("信息化运维", "60.00", "60.00"),
            row("专项工作经费", "40.00", "40.00"),
            row("某中心", "45.00", "45.00"),
            row("物业管理费", "25.00", "25.00"),
            row("工作经费", "10.00", "10.00"),
            row("培训费", "10.00", "10.00"),
        ],
    )
    assert group_labels(projects) == ["某中心", "某局"]
    assert lint(document(projects), select=("SUM",)) == []


# --- a table stacked by period: each unit's 2025年, 2026年 and 增减变化金额 --------------------


def stacked_three_public(change: str = "-3.00") -> tuple[str, list[str]]:
    """深圳's 三公 table by unit (预算单位 | 年度): the department, then its units, three periods each."""
    units = [
        ("某局", ("20.00", "12.00", "8.00"), ("17.00", "10.00", "7.00"), (change, "-2.00", "-1.00")),
        ("某局(本级)", ("15.00", "10.00", "5.00"), ("14.00", "9.00", "5.00"), ("-1.00", "-1.00", "0.00")),
        ("某中心", ("5.00", "2.00", "3.00"), ("3.00", "1.00", "2.00"), ("-2.00", "-1.00", "-1.00")),
    ]
    rows = [row("预算单位", "年度", "合计", "公务接待费", "公务用车购置及运行维护费")]
    for unit, before, now, difference in units:
        rows += [row(unit, "2025年", *before), row("", "2026年", *now), row("", "增减变化金额", *difference)]
    return "财政拨款“三公”经费支出表", rows


def test_a_stacked_table_adds_up_its_units_within_each_period():
    found = sums(stacked_three_public(), "subtotal")
    assert found["某局 › 2026年 › 合计"] == (Decimal("17.00"), Decimal("14.00"), Decimal("3.00"))
    assert found["某局 › 增减变化金额 › 合计"] == (Decimal("-3.00"), Decimal("-1.00"), Decimal("-2.00"))


def test_a_change_row_is_the_later_year_less_the_earlier():
    found = {e.subject: e for e in table_equations(table(document(stacked_three_public()), "财政拨款“三公”经费支出表"), "")
             if e.kind == "change"}
    assert len(found) == 9 and all(e.holds for e in found.values())
    equation = found["某中心 › 增减变化金额 › 公务接待费"]
    assert [(p.amount, p.negated) for p in equation.parts] == [(Decimal("1.00"), False), (Decimal("2.00"), True)]


def test_a_wrong_change_is_reported_once_at_its_cell():
    # the cell breaks its row's column sum too: one finding, naming both
    (finding,) = lint(document(stacked_three_public(change="-4.00")), select=("SUM", "LINT"), lang="en")
    assert finding.location.logical[-3:] == ("某局", "增减变化金额", "合计")
    assert "-2.00 + -1.00 = -3.00 (off by 1.00)" in finding.message and "-4.00 ≠ 17.00 − 20.00 = -3.00" in finding.message


def test_change_rows_of_one_unit_are_compared_by_their_labels():
    # 深圳's 三公 table of a department without units: the rows are the periods themselves
    plain = ("财政拨款“三公”经费支出表", [
        row("年度", "合计", "公务接待费", "公务用车购置及运行维护费"),
        row("2025年", "33.00", "15.00", "18.00"),
        row("2026年", "66.00", "61.80", "4.20"),
        row("增减变化金额", "23.00", "46.80", "-13.80"),
    ])
    plain[1][3] = row("增减变化金额", "23.00", "36.80", "-13.80")  # a wrong change whose columns still add up
    (finding,) = lint(document(plain), select=("SUM", "LINT"), lang="en")
    assert finding.code == "SUM009" and finding.location.logical[-2:] == ("增减变化金额", "合计")
    assert "66.00 − 33.00 = 33.00 (off by 10.00)" in finding.message


def test_a_column_of_years_on_labelled_rows_is_no_stack():
    # a year beside every row's own label (a project's 起始年度) is an attribute, not a period the rows repeat
    projects = ("项目支出表", [
        row("项目名称", "起始年度", "合计"),
        row("甲项目", "2025年", "10.00"),
        row("乙项目", "2026年", "5.00"),
        row("丙项目", "2025年", "3.00"),
        row("丁项目", "2026年", "2.00"),
    ])
    (section,) = table(document(projects), "项目支出表").sections
    assert [item.label for item in section.items] == ["甲项目", "乙项目", "丙项目", "丁项目"]
    assert not any(item.period for item in section.items)

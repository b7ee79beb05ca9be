"""A 部门决算 in the standard template (公开01–09表): read cleanly, its defects found.

tests/data/final-accounts.txt is a synthetic, internally consistent final
account in the text form of the reference document: tables with a 栏次 row
numbering the columns, summaries with a 行次 column numbering the rows, a
one-row "三公" table with 预算数 and 决算数 side by side, and a narrative.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from budgetlint.budget.arithmetic import Equation
from tests.helpers import DATA, budget, inject, line_of, lint, linter

FINAL = DATA / "final-accounts.txt"


@cache
def final_text() -> str:
    return FINAL.read_text(encoding="utf-8")


def found(text: str) -> list[tuple[str, str, int]]:
    return sorted((f.code, f.severity.value, f.location.line) for f in lint(text))


def test_a_consistent_final_account_has_no_findings():
    assert found(final_text()) == []


def test_final_account_tables_are_recognised_by_their_titles():
    kinds = [table.kind for table in budget(final_text()).tables]
    assert kinds == [
        "income_expense_summary", "income_summary", "expense_summary", "fiscal_summary", "fiscal_expense",
        "fiscal_basic", "gov_fund_expense", "state_capital", "three_public",
    ]


def test_column_numbers_and_row_numbers_are_no_amounts():
    summary = budget(final_text()).tables[0]
    assert summary.header_rows == 3  # 收入/支出, 项目 | 行次 | 金额, 栏次 | | 1
    assert [[column.label for column in section.columns] for section in summary.sections] == [["收入/金额"], ["支出/金额"]]


DEFECTS = [
    # a total of the 财政拨款 summary off by 10: the items, the columns and the balance all disagree,
    # and one wrong cell explains them all: one finding at that cell
    ("本年支出合计\t34\t1,200.50\t1,200.50", "本年支出合计\t34\t1,210.50\t1,200.50", ["SUM002"], ("本年支出合计\t34",)),
    # an economic class whose sub-rows fall short in both columns (one wrong row): reported once, on the class
    ("30201\t办公费\t19.00\t　\t19.00", "30201\t办公费\t18.00\t　\t18.00", ["SUM001"], ("302\t商品和服务支出",)),
    # the one-row "三公" table: 决算 合计 10.50, its parts 1.50 + 7.50 + 2.50
    ("7.50\t0.00\t7.50\t1.50\n", "7.50\t0.00\t7.50\t2.50\n", ["SUM003"], ("12.00\t2.00",)),
    # its 公务用车 小计 7.50, its parts 0.00 + 6.50
    ("1.50\t7.50\t0.00\t7.50\t1.50\n", "1.50\t7.50\t0.00\t6.50\t1.50\n", ["SUM003"], ("12.00\t2.00",)),
    # the narrative restating a table amount wrongly, and its share and breakdown with it
    ("基本支出430.50万元，占34.98%", "基本支出440.50万元，占34.98%", ["PCT001", "SUM007", "XREF002"], ("基本支出440.50",)),
    # the narrative's “三公”经费 against the one-row table's totals (预算数 12.00, 决算数 10.50)
    ("“三公”经费支出决算为10.50万元", "“三公”经费支出决算为11.50万元", ["XREF002"], ("“三公”经费支出决算为11.50",)),
    # the 预算数 stated as the 决算: a classic mix-up, told apart by the column the subject names
    ("“三公”经费支出决算为10.50万元", "“三公”经费支出决算为12.00万元", ["XREF002"], ("“三公”经费支出决算为12.00",)),
    # an execution rate: 1,200.50 ÷ 1,150.00 = 104.39%
    ("完成年初预算的104.39%", "完成年初预算的105.39%", ["PCT001"], ("完成年初预算的105.39%",)),
    # "年初预算为A，支出决算为B": B is the 一般公共预算财政拨款支出决算表's total (and the rate's numerator)
    ("支出决算为1,200.50万元", "支出决算为1,210.50万元", ["PCT001", "XREF002"], ("支出决算为1,210.50",)),
]
DEFECT_IDS = [
    "fiscal-summary-total", "economic-subrows", "three-public-total", "three-public-subtotal", "narrative",
    "three-public-narrative", "budget-as-actual", "execution-rate", "actual-of-a-budget-pair",
]


@pytest.mark.parametrize(("old", "new", "expected", "at"), DEFECTS, ids=DEFECT_IDS)
def test_defects_in_a_final_account_are_found(old, new, expected, at):
    text = inject(old, new, final_text())
    findings = found(text)
    assert [code for code, _, _ in findings] == expected
    assert {(severity, line) for _, severity, line in findings} == {("error", line_of(text, where)) for where in at}


@pytest.mark.parametrize(("old", "new", "expected", "at"), DEFECTS, ids=DEFECT_IDS)
def test_the_same_defects_are_found_in_a_pdf_rendering(old, new, expected, at):
    """The fixture drawn as a ruled PDF: its tables read as in the text, clean, and each defect found alike."""
    render = pytest.importorskip("tests.render")
    clean_pdf = linter().lint_path("final-accounts.pdf", render.render(final_text())).findings
    assert clean_pdf == []
    defective = linter().lint_path("final-accounts.pdf", render.render(inject(old, new, final_text()))).findings
    assert sorted((f.code, f.severity.value) for f in defective) == [(code, "error") for code in expected]


def test_an_execution_rate_with_no_budget_amount_is_checked_against_the_tables_budget():
    """“三公”经费支出决算为10.50万元，完成预算的x%: the 预算数 12.00 stands beside the 决算数 in the one-row table."""
    text = inject("完成预算的87.50%", "完成预算的85.50%", final_text())
    assert found(text) == [("PCT001", "warning", line_of(text, "完成预算的85.50%"))]


def test_the_budget_of_a_budget_and_actual_pair_is_compared_with_a_budget_column_only():
    """年初预算为A: no table here states the 一般公共预算 budget (预算数), so A is compared with nothing; its rate is."""
    text = inject("年初预算为1,150.00万元", "年初预算为1,200.50万元", final_text())
    assert found(text) == [("PCT001", "error", line_of(text, "年初预算为1,200.50"))]


THREE_PUBLIC_ROW = "12.00\t2.00\t8.00\t0.00\t8.00\t2.00\t10.50\t1.50\t7.50\t0.00\t7.50\t1.50"
THREE_PUBLIC_NARRATIVE = "2024年度“三公”经费支出决算为10.50万元，完成预算的87.50%，决算数小于预算数的主要原因是厉行节约。"


@pytest.mark.parametrize("actual, reported", [("0.00", False), ("1.20", True)])
def test_none_of_the_three_public_expenses_is_about_the_actual_not_the_budget(actual, reported):
    """“无三公经费支出” in a 决算, in the text or in a note under the table, is about the 决算数: a 预算数
    of 1.20 beside a 决算数 of 0 is no contradiction."""
    row = "\t".join(["1.20", "0.00", "0.00", "0.00", "0.00", "1.20", actual, "0.00", "0.00", "0.00", "0.00", actual])
    note = "\n\n注：本部门2024年度无“三公”经费支出，故本表无数据。"
    text = inject(THREE_PUBLIC_ROW, row + note, final_text())
    text = inject(THREE_PUBLIC_NARRATIVE, "本部门2024年度无“三公”经费支出。", text)
    findings = sorted((f.code, f.location.line) for f in lint(text) if f.code.startswith("XREF"))
    # the note reported once (XREF005), the text's statement once (XREF006)
    expected = [("XREF005", line_of(text, "注：本部门2024年度无")), ("XREF006", line_of(text, "本部门2024年度无“三公”经费支出。"))]
    assert findings == (expected if reported else [])


@pytest.mark.parametrize(
    "old, new",
    [("年末结转和结余\t42\t50.00", "年末结转和结余\t42\t40.00"), ("年初结转和结余\t11\t30.00", "年初结转和结余\t11\t20.00")],
)
def test_the_balance_of_opening_income_spending_and_closing_money_is_checked(old, new):
    """年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余 on the 收入支出决算总表: one side's 总计 no longer holds."""
    text = inject(old, new, final_text())
    assert found(text) == [("SUM004", "error", line_of(text, "总计\t12"))]


# --- the balance of each scope of funds: 年末 = 年初 + 本年收入 − 本年支出 ----------------------

FISCAL_CLOSING = "年末财政拨款结转和结余\t35\t20.00\t20.00"
FISCAL_BREAKDOWN = "一般公共预算财政拨款\t6\t20.00\t　\t36\t　\t　\t　\t　\n"
GOV_FUND_TOTAL = "合计\t　\t　\t　\t　\t　\t　\t　\n\n注：本部门2024年度没有使用政府性基金预算财政拨款安排的支出，故本表无数据。"


def fund_balances(text: str) -> list[Equation]:
    return [e for e in budget(text).arithmetic.equations if e.variant == "fund"]


def test_the_fiscal_summary_balances_fund_by_fund():
    """一般公共预算: 年初 20.00 + 本年收入 1,200.50 − 本年支出 1,200.50 = 年末 20.00; the funds with no money say nothing."""
    (general,) = fund_balances(final_text())
    assert general.holds
    assert [t.value for t in (general.total, *general.parts)] == [Decimal("20.00"), Decimal("20.00"),
                                                                   Decimal("1200.50"), Decimal("-1200.50")]


def test_a_fund_whose_year_end_balance_does_not_follow_is_found_once():
    """年末 25.00 in the 合计 and 一般公共预算 columns: the columns agree, the balance of the fund does not."""
    text = inject(FISCAL_CLOSING, "年末财政拨款结转和结余\t35\t25.00\t25.00", final_text())
    findings = lint(text, lang="en")
    assert [(f.code, f.severity.value, f.location.line) for f in findings] == [
        ("SUM004", "error", line_of(text, "年末财政拨款结转和结余\t35"))]
    assert "20.00 + 1200.50 − 1200.50 = 20.00" in findings[0].message


def test_a_fund_balance_is_withheld_when_the_opening_balance_is_not_broken_down():
    """A non-zero 年初财政拨款结转和结余 without its lines by fund: the fund's share is unknown, nothing is compared."""
    assert fund_balances(inject(FISCAL_BREAKDOWN, "", final_text())) == []


GOV_FUND_ROWS = (
    "合计\t　\t10.00\t50.00\t45.00\t5.00\t40.00\t15.00\n"
    "229\t其他支出\t10.00\t50.00\t45.00\t5.00\t40.00\t15.00\n"
    "22960\t彩票公益金安排的支出\t10.00\t50.00\t45.00\t5.00\t40.00\t15.00"
)


@pytest.mark.parametrize("closing, reported", [("15.00", False), ("26.00", True)])
def test_a_table_of_opening_income_spending_and_closing_balances_row_by_row(closing, reported):
    """政府性基金预算财政拨款收入支出决算表: 年初 10.00 + 本年收入 50.00 − 本年支出 45.00 = 年末 15.00 on every row."""
    rows = GOV_FUND_ROWS.rsplit("15.00", 1)[0] + closing
    text = inject(GOV_FUND_TOTAL, rows, final_text())
    equations = [e for e in fund_balances(text) if e.total.label.endswith("年末结转和结余")]
    assert len(equations) == 3
    findings = [(f.code, f.location.line) for f in lint(text, select=("SUM",))]
    assert findings == ([("SUM004", line_of(text, "22960\t"))] if reported else [])


# --- 年初预算 and 调整预算 are different stages ----------------------------------------------------

ADJUSTED_NOTE = "\n\n注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数。"


def three_public_budget(statement: str, note: str) -> str:
    """The fixture whose narrative states the “三公” budget as ``statement``, with ``note`` under the table."""
    text = inject(THREE_PUBLIC_ROW, THREE_PUBLIC_ROW + note, final_text())
    return inject(THREE_PUBLIC_NARRATIVE, f"2024年度“三公”经费支出{statement}。{THREE_PUBLIC_NARRATIVE}", text)


@pytest.mark.parametrize(
    "statement, note, reported",
    [
        # the table's 预算数 is the 全年预算 by its note: a 年初预算 of 11.00 is another amount
        ("年初预算为11.00万元", ADJUSTED_NOTE, False),
        # the same amount as 全年预算: one stage, and the amounts differ
        ("全年预算为11.00万元", ADJUSTED_NOTE, True),
        # without the note the 预算数 is the 年初预算, which the narrative misstates
        ("年初预算为11.00万元", "", True),
        ("调整预算为11.00万元", "", False),
    ],
)
def test_the_initial_and_the_adjusted_budget_are_never_compared(statement, note, reported):
    text = three_public_budget(statement, note)
    findings = [(f.code, f.location.line) for f in lint(text) if f.code.startswith("XREF")]
    assert findings == ([("XREF002", line_of(text, statement))] if reported else [])


# --- a line item's 年初预算 against a 预算数 column ---------------------------------------------

BLANK = "\u3000"  # the text form's empty cell


def rows(*cells: tuple[str, ...]) -> str:
    """Tab-separated rows, each ending in a newline."""
    return "".join("\t".join(row) + "\n" for row in cells)


GENERAL_EXPENSE_HEAD = rows(
    ("项目", BLANK, "本年支出", BLANK, BLANK), ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
    ("栏次", BLANK, "1", "2", "3"), ("合计", BLANK, "1,200.50", "400.50", "800.00"),
    ("201", "一般公共服务支出", "1,000.00", "200.00", "800.00"), ("20101", "人大事务", "1,000.00", "200.00", "800.00"),
    ("208", "社会保障和就业支出", "120.50", "120.50", BLANK), ("20805", "行政事业单位养老支出", "120.50", "120.50", BLANK),
)
WITH_BUDGET_COLUMN = rows(
    ("项目", BLANK, "年初预算数", "本年支出", BLANK, BLANK), ("科目编码", "科目名称", BLANK, "合计", "基本支出", "项目支出"),
    ("栏次", BLANK, "1", "2", "3", "4"), ("合计", BLANK, "1,150.00", "1,200.50", "400.50", "800.00"),
    ("201", "一般公共服务支出", "950.00", "1,000.00", "200.00", "800.00"),
    ("20101", "人大事务", "950.00", "1,000.00", "200.00", "800.00"),
    ("208", "社会保障和就业支出", "120.00", "120.50", "120.50", BLANK),
    ("20805", "行政事业单位养老支出", "120.00", "120.50", "120.50", BLANK),
)
ITEM_BUDGET = "行政事业单位养老支出（款）。年初预算为120.00万元"


def with_budget_column() -> str:
    """The fixture whose 一般公共预算财政拨款支出决算表 shows the 年初预算数 beside the 决算 (210 and 221 unchanged)."""
    text = inject(GENERAL_EXPENSE_HEAD, WITH_BUDGET_COLUMN, final_text())
    for row in ("210\t卫生健康支出", "21011\t行政事业单位医疗"):
        text = inject(f"{row}\t50.00\t50.00\t　\n", f"{row}\t50.00\t50.00\t50.00\t　\n", text)
    for row in ("221\t住房保障支出", "22102\t住房改革支出"):
        text = inject(f"{row}\t30.00\t30.00\t　\n", f"{row}\t30.00\t30.00\t30.00\t　\n", text)
    return text


def test_a_line_items_initial_budget_agreeing_with_the_budget_column_is_no_finding():
    assert found(with_budget_column()) == []


def test_a_line_items_initial_budget_is_compared_with_the_budget_column():
    """年初预算为119.00 against the row's 年初预算数 120.00: the 决算 120.50 still exceeds it, as the text says."""
    text = inject(ITEM_BUDGET, ITEM_BUDGET.replace("120.00", "119.00"), with_budget_column())
    findings = lint(text, lang="en")
    assert [(f.code, f.severity.value, f.location.line) for f in findings] == [
        ("ITEM001", "error", line_of(text, "行政事业单位养老支出（款）。年初预算为119.00"))]
    assert '"年初预算数"' in findings[0].message
    # without the column the same 年初预算 is compared with nothing
    assert found(inject(ITEM_BUDGET, ITEM_BUDGET.replace("120.00", "119.00"), final_text())) == []


# --- the required 决算 tables ------------------------------------------------------------------

STATE_CAPITAL_TABLE = final_text()[final_text().index("### 国有资本经营预算财政拨款支出决算表"):
                                   final_text().index("### 一般公共预算财政拨款“三公”经费支出决算表")]
STATE_CAPITAL_ABSENT = (
    "七、国有资本经营预算财政拨款支出决算情况说明\n\n"
    "本部门2024年度无国有资本经营预算财政拨款收入，也没有使用国有资本经营预算财政拨款安排的支出。\n\n"
)
CONTENTS = "## 目录\n\n一、收入支出决算总表.....\t5\n\n二、收入决算表.....\t6\n\n三、{last}.....\t7\n\n"


def without_state_capital_table(explained: bool, contents: str = "") -> str:
    """The fixture without its 国有资本经营 table; ``explained``: with the narrative saying there is none;
    ``contents``: the last line of a table of contents put before 第一部分."""
    text = inject(STATE_CAPITAL_TABLE, "", final_text())
    if explained:
        text = inject("八、预算绩效管理情况说明\n\n", STATE_CAPITAL_ABSENT + "八、预算绩效管理情况说明\n\n", text)
    if contents:
        text = inject("## 第一部分 部门概况", CONTENTS.format(last=contents) + "## 第一部分 部门概况", text)
    return text


@pytest.mark.parametrize(
    "explained, contents, reported",
    [
        (False, "", True),  # missing, and nothing says why
        (True, "", False),  # the narrative says the department has none of it
        (True, "一般公共预算财政拨款支出决算表", False),  # … and the contents do not list it
        (True, "国有资本经营预算财政拨款支出决算表", True),  # the contents promise it: missing all the same
    ],
)
def test_a_required_final_table_left_out_is_excused_only_by_the_narrative_and_the_contents(explained, contents, reported):
    text = without_state_capital_table(explained, contents)
    findings = [(f.code, f.evidence.get("titles")) for f in lint(text) if f.code == "DOC001"]
    assert findings == ([("DOC001", ["国有资本经营"])] if reported else [])


def test_a_required_final_table_present_without_data_or_note_is_reported():
    """The 国有资本经营 table left blank without its note: DOC004 at its title, once."""
    text = inject("\n注：本部门2024年度没有使用国有资本经营预算财政拨款安排的支出，故本表无数据。\n", "", final_text())
    assert [(f.code, f.location.line) for f in lint(text) if f.code.startswith("DOC")] == [
        ("DOC004", line_of(text, "### 国有资本经营预算财政拨款支出决算表"))]

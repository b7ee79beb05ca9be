"""Which table is which: titles and units as the cities set them out.

Each test builds a small document reproducing one layout seen in
../shared/cities (the title and unit as rows of the ruled grid, numbered
titles, the 总体情况表 wording, units in the grid or header) and checks what
the budget model recognises, through the text reader and, where the layout
is a grid, through a rendered PDF too.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budgetlint.budget.model import BudgetModel
from budgetlint.budget.tables import classify
from budgetlint.budget.text import title_text
from budgetlint.readers import Source
from helpers import SHARED, budget, lint, linter, row

CITIES = SHARED / "cities"


# 北京: 预算01表 收支总表 and 金额单位：万元 are cells of the ruled grid, above its header.
IN_GRID_SUMMARY = [
    row("预算01表 收支总表", "", "", ""),
    row("", "", "", "金额单位：万元"),
    row("收 入", "", "支 出", ""),
    row("项 目", "预算数", "项 目", "预算数"),
    row("一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "80.00"),
    row("二、政府性基金预算拨款收入", "20.00", "二、教育支出", "40.00"),
    row("本年收入合计", "120.00", "本年支出合计", "120.00"),
    row("收入总计", "120.00", "支出总计", "120.00"),
]
IN_GRID_EXPENSE = [
    row("预算03表 支出总表", "", "", ""),
    row("", "", "", "金额单位：万元"),
    row("功能分类科目", "合计", "基本支出", "项目支出"),
    row("合计", "120.00", "70.00", "50.00"),
    row("一般公共服务支出", "80.00", "50.00", "30.00"),
    row("教育支出", "40.00", "20.00", "20.00"),
]
THREE_PUBLIC = [
    row("项目", "合计", "因公出国(境)费", "公务接待费"),
    row("合计", "3.00", "1.00", "2.00"),
]


def grid_document(*tables: list[str], heading: str = "") -> str:
    """A tables part as 北京 publishes it: grids one after another, each its own title (and an optional heading first)."""
    parts = [heading, ""] if heading else []
    for rows in tables:
        parts += [*rows, "", "注：无。", ""]
    return "\n".join(parts)


def pdf_budget(text: str) -> BudgetModel:
    """The budget model of ``text`` rendered as a ruled PDF and read back."""
    render = pytest.importorskip("tests.render")
    document = linter().read(Source("doc.pdf", render.render(text)), "en")
    return linter().build_budget(document)


READERS = {"text": budget, "pdf": pdf_budget}


@pytest.mark.parametrize("reader", READERS)
def test_a_title_and_unit_set_inside_the_grid_name_the_table(reader):
    model = READERS[reader](grid_document(IN_GRID_SUMMARY, IN_GRID_EXPENSE))
    assert [(t.kind, t.title, t.unit) for t in model.tables] == [
        ("income_expense_summary", "收支总表", "万元"),
        ("expense_summary", "支出总表", "万元"),
    ]
    summary, expense = model.tables
    # the title and unit rows are neither header nor data
    income = [i.label for i in summary.sections[0].items]
    assert income == ["一般公共预算拨款收入", "政府性基金预算拨款收入", "本年收入合计", "收入总计"]
    assert [c.key for c in expense.sections[0].columns] == ["total", "basic", "project"]
    assert [(i.label, i.role) for i in expense.sections[0].items][0] == ("合计", "total")
    assert expense.sections[0].items[1].values[1].amount == Decimal("80.00")


# 北京: 预算07表 (empty) and 预算08表 share one ruled grid on one page.
TWO_IN_ONE_GRID = [
    row("预算07表 政府性基金预算支出表", "", "", ""),
    row("", "", "", "金额单位：万元"),
    row("科目名称", "合计", "基本支出", "项目支出"),
    row("合计", "", "", ""),
    row("预算08表 国有资本经营预算支出表", "", "", ""),
    row("", "", "", "金额单位：万元"),
    row("科目名称", "合计", "基本支出", "项目支出"),
    row("国有经济结构调整支出", "30.00", "", "30.00"),
    row("合计", "30.00", "", "30.00"),
]


@pytest.mark.parametrize("reader", READERS)
def test_a_grid_holding_two_titled_tables_is_split_at_the_second_title(reader):
    model = READERS[reader](grid_document(IN_GRID_SUMMARY, TWO_IN_ONE_GRID))
    fund, capital = model.tables_of("gov_fund_expense", "state_capital")
    assert (fund.title, capital.title) == ("政府性基金预算支出表", "国有资本经营预算支出表")
    assert [i.label for i in fund.sections[0].items] == ["合计"]
    assert [(i.label, i.values[1].amount) for i in capital.sections[0].items] == [
        ("国有经济结构调整支出", Decimal("30.00")), ("合计", Decimal("30.00")),
    ]


def test_rules_locate_a_table_split_out_of_a_grid():
    # DOC004 looks for a note around the empty 政府性基金 table, which the model cut out of a larger grid.
    text = grid_document(TWO_IN_ONE_GRID, heading="# 某部门2026年度部门预算")
    assert [f.location.logical for f in lint(text, select=("DOC004",))] == [("政府性基金预算支出表",)]


def test_a_tables_part_with_titles_in_the_grid_is_a_budget():
    text = grid_document(IN_GRID_SUMMARY, IN_GRID_EXPENSE)
    assert lint(text, select=("LINT005",)) == []


def test_tables_titled_in_their_grid_are_not_reported_missing():
    text = grid_document(
        IN_GRID_SUMMARY, IN_GRID_EXPENSE, ["九、财政拨款“三公”经费支出表", "", "单位：万元", "", *THREE_PUBLIC],
        heading="# 某部门2026年度部门预算",
    )
    missing = {f.location.logical[1] for f in lint(text, select=("DOC001",))}
    assert missing and not missing & {"收支总表", "支出总表", "“三公”经费支出表"}


def test_a_grid_row_of_words_that_is_no_title_stays_a_header():
    rows = [row("项目", "", "", ""), row("", "", "", "单位：万元"), *IN_GRID_EXPENSE[2:]]
    text = "# 2026年部门预算\n\n## 三、支出总表\n\n" + "\n".join(rows) + "\n"
    [table] = budget(text).tables
    assert table.title == "支出总表" and table.unit == "万元"
    assert [i.label for i in table.sections[0].items] == ["合计", "一般公共服务支出", "教育支出"]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("预算01表 收支总表", "income_expense_summary"),
        ("预算01-1表 收支总表", "income_expense_summary"),
        ("部门收支总体情况表", "income_expense_summary"),
        ("收入总体情况表", "income_summary"),
        ("表1-2 部门收入总体情况表", "income_summary"),
        ("本年支出总体情况表", "expense_summary"),
        ("附表3 支出总表", "expense_summary"),
        ("财政拨款收支总体情况表", "fiscal_summary"),
        ("财政拨款支出预算表（按功能分类）", "fiscal_expense"),
        ("（四）基本支出总表", "basic_expense"),
        ("部门预算基本支出预算表", "basic_expense"),
        ("基本支出预算情况表", "basic_expense"),
        ("（五）项目支出总表", "project_expense"),
        ("预算表12项目支出绩效目标表", "performance_project"),
        ("单位预算01表", ""),
    ],
)
def test_numbered_and_worded_titles_classify(raw, kind):
    assert classify(title_text(raw)) == kind


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("预算01表 收支总表", "收支总表"),
        ("单位预算01表", ""),
        ("单位预算表10", ""),
        ("公开表1-3", ""),
        ("附表1-1 收支总表", "收支总表"),
        ("表一 一般公共预算支出表", "一般公共预算支出表"),
        ("（一）收支总表", "收支总表"),
    ],
)
def test_numbering_styles_are_stripped(raw, title):
    assert title_text(raw) == title


def test_the_year_on_a_line_of_its_own_between_number_and_title():
    # 烟台: 公开表1-3, the title, then the year alone, then the unit.
    text = "\n".join([
        "# 某局2026年部门预算", "", "公开表1-3", "", "部门收支总体情况表", "", "2026年", "", "单位：万元", "",
        *IN_GRID_SUMMARY[2:], "",
    ])
    [table] = budget(text).tables
    assert (table.kind, table.title) == ("income_expense_summary", "部门收支总体情况表")


@pytest.mark.parametrize(
    ("unit_row", "header", "unit"),
    [
        (row("", "", "", "单位：千元"), "预算数", "千元"),
        (row("", "", "", "金额单位：元"), "预算数", "元"),
        (row("", "", "", ""), "预算数（万元）", "万元"),
        (row("", "", "", ""), "预算数(元)", "元"),
    ],
)
def test_the_unit_stated_in_the_grid_or_its_header(unit_row, header, unit):
    rows = [IN_GRID_SUMMARY[0], unit_row, IN_GRID_SUMMARY[2], row("项 目", header, "项 目", header), *IN_GRID_SUMMARY[4:]]
    [table] = budget(grid_document(rows)).tables
    assert table.unit == unit
    assert [c.key for c in table.sections[0].columns] == ["total"]


# --- the real documents -------------------------------------------------------------


BEIJING_TABLES = sorted(CITIES.glob("2026-beijing-*-tables.pdf")) if CITIES.is_dir() else []


@pytest.mark.skipif(not BEIJING_TABLES, reason="../shared/cities is not present")
def test_beijing_tables_parts_have_their_standard_tables_recognised():
    path = BEIJING_TABLES[0]
    document = linter().read(Source(str(path), path.read_bytes()), "en")
    kinds = {t.kind for t in linter().build_budget(document).tables}
    assert {"income_expense_summary", "income_summary", "expense_summary", "fiscal_summary", "general_expense"} <= kinds


# --- a grid continued on the next page without the sliver its title rows left -------------


def sliver_grid_pdf() -> bytes:
    """Two pages of one ruled table, as 北京's tables PDFs draw it.

    On the first page the title and unit rows sit inside the grid and their
    rulings leave a 6pt column at the left; the continuation page has no
    title rows and no such column.
    """
    render = pytest.importorskip("tests.render")
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pages = [
        ([50, 56, 250, 350, 450], [
            ["", "预算03表 支出总表", "", "", ""], ["", "", "", "", "金额单位：万元"],
            ["", "科目名称", "合计", "基本支出", "项目支出"], ["", "合计", "90.00", "60.00", "30.00"],
            ["", "一般公共服务支出", "50.00", "40.00", "10.00"],
        ]),
        ([56, 250, 350, 450], [["教育支出", "40.00", "20.00", "20.00"]]),
    ]
    for xs, rows in pages:
        top = 780.0
        pdf.setFont(render.FONT, 9)
        for cells in rows:
            for x0, x1, text in zip(xs, [*xs[1:], xs[-1] + 100], cells[-len(xs):]):
                pdf.rect(x0, top - 18, x1 - x0, 18, stroke=1, fill=0)
                pdf.drawString(x0 + 3, top - 13, text)
            top -= 18
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_a_grid_continued_without_its_title_sliver_is_one_table():
    document = linter().read(Source("doc.pdf", sliver_grid_pdf()), "en")
    [table] = linter().build_budget(document).tables
    assert (table.kind, table.title) == ("expense_summary", "支出总表")
    assert [(i.label, i.values[max(i.values)].amount) for i in table.sections[0].items] == [
        ("合计", Decimal("30.00")), ("一般公共服务支出", Decimal("10.00")), ("教育支出", Decimal("20.00")),
    ]

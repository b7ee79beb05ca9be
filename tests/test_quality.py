"""The model-quality report: what the budget model read, and how much of it the document's arithmetic confirms."""

from __future__ import annotations

import json

from click.testing import CliRunner

from budgetlint.budget.quality import measure
from budgetlint.cli import main
from budgetlint.readers import Source
from helpers import EXPENSE, document, in_table, linter, reference_text, row, shifted_total_column


def quality(text: str):
    document_ = linter().read(Source("doc.txt", text.encode("utf-8")), "zh")
    return measure(document_, linter().build_budget(document_))


def test_stats_reports_the_reference_document_as_fully_understood(tmp_path):
    path = tmp_path / "budget.txt"
    path.write_text(reference_text(), encoding="utf-8")
    run = CliRunner().invoke(main, ["stats", str(path), "--format", "json"])
    assert run.exit_code == 0, run.output
    [figures] = json.loads(run.output)["documents"]
    assert figures["recognised"] == 13 and figures["forms"] == 19
    assert figures["equations"] == figures["holding"] > 0
    assert (figures["failing"], figures["withheld_tables"], figures["coverage"]) == (0, 0, 1.0)


def test_a_wrong_cell_makes_the_equations_it_breaks_fail():
    row_ = "2080506\t机关事业单位职业年金缴费支出\t6.12\t6.12"
    text = in_table(EXPENSE, row_, row_.replace("\t6.12\t6.12", "\t7.12\t6.12"))
    figures = quality(text)
    assert figures.failing == 2  # its row and its 款
    assert figures.holding_share < 1


def test_a_misread_table_counts_as_withheld():
    figures = quality(shifted_total_column())
    assert figures.withheld_tables == 1 and figures.withheld_equations > 0
    assert figures.failing == 0  # withheld equations are not judged
    assert figures.uncovered["withheld"] == figures.amount_cells - figures.covered_cells > 0


def test_uncovered_cells_are_told_by_cause_and_table_kind():
    figures = quality(document(("部门支出总表", [
        row("科目编码", "科目名称", "合计", "基本支出", "上年结转"),
        row("201", "一般公共服务支出", "100.00", "100.00", "0.00"),
        row("20101", "人大事务", "100.00", "100.00", "0.00"),
    ])))
    # 201 = 20101 holds in 合计 and 基本支出; 上年结转 is in no column sum, and its 201 = 20101 is all zeros
    assert (figures.amount_cells, figures.covered_cells) == (6, 4)
    assert (dict(figures.uncovered), dict(figures.uncovered_kinds)) == ({"zero": 2}, {"expense_summary": 2})


def test_a_cell_no_equation_holds_is_covered_by_a_restatement_that_agrees():
    def restated(amount: str):
        return quality(document(("部门支出总表", [row("科目编码", "科目名称", "合计"), row("", "合计", "100.00")]),
                                narrative=f"2017年部门预算支出总计{amount}万元。"))

    agreeing, differing = restated("100.00"), restated("90.00")
    assert (agreeing.equations, agreeing.amount_cells) == (0, 1)
    assert (agreeing.covered_cells, differing.covered_cells) == (1, 0)

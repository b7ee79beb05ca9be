"""The narrative's line items: each sentence form read into the model, tied to its row, and checked.

Model tests read one sentence (or the reference document with one item
paragraph added).  Check tests inject one defect into a clean real
document — the reference, or a page text of ../shared/cities — and assert
it is found exactly once, at the right line, while the clean version adds
nothing.  Expected values in the comments were worked out by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetlint.budget.lineitems import LineItem
from budgetlint.extract import extract
from budgetlint.plugins import load_plugins
from helpers import (
    SHARED,
    assert_rules_registered,
    budget,
    city,
    inject,
    line_of,
    lint,
    linter,
    new_findings,
    reference_text,
)

CODES = ("ITEM001", "ITEM002", "ITEM003", "ITEM004", "ITEM005", "ITEM006", "ITEM007", "ITEM008")
CITIES = SHARED / "cities"
# The reference's narrative on the 一般公共预算 spending; an item paragraph is added after it.
STRUCTURE_CHART = "一般公共预算当年拨款结构图\n"


def only_item(text: str) -> LineItem:
    items = budget(text).line_items
    assert len(items) == 1, [i.name for i in items]
    return items[0]


def roles(item: LineItem) -> list[tuple[str, Decimal, str]]:
    return [(a.role, a.quantity.value, a.direction) for a in item.amounts]


def with_item(paragraph: str) -> str:
    """The reference document with ``paragraph`` added to its 一般公共预算 narrative."""
    return inject(STRUCTURE_CHART, STRUCTURE_CHART + "\n" + paragraph + "\n")


def added(text: str, clean: str, codes: tuple[str, ...] = CODES) -> list:
    return new_findings(lint(clean, select=codes), lint(text, select=codes))


# --- sentence forms -------------------------------------------------------------------


def test_named_levels_with_change_rate_and_reason():
    item = only_item("1.公共安全支出（类）司法（款）行政运行（项）2026年预算数为862.40万元，比2025年预算减少57.60万元，"
                     "下降6.26%，主要原因是人员减少。")
    assert [(p.level, p.name) for p in item.path] == [("类", "公共安全支出"), ("款", "司法"), ("项", "行政运行")]
    assert roles(item) == [("current", Decimal("862.40"), ""), ("change", Decimal("57.60"), "down")]
    assert (item.rate.quantity.value, item.rate.direction) == (Decimal("6.26"), "down")
    assert item.reason == "人员减少"


def test_coded_levels_give_the_code_and_are_no_count():
    text = "（204类）（06款）（01项）行政运行862.40万元，比上年减少57.60万元，下降6.26%。"
    item = only_item(text)
    assert (item.code, item.names) == ("2040601", ("行政运行",))
    facts = budget(text).facts
    assert [f.relation for f in facts] == ["amount", "change", "rate"]  # （01项） is not a count of 1 项


def test_leading_code():
    item = only_item("（一）2040601-行政运行 862.40 万元。主要用于机关日常运转。")
    assert (item.code, item.names, roles(item)) == ("2040601", ("行政运行",), [("current", Decimal("862.40"), "")])


def test_plain_name_path_with_previous_amount_instead_of_change():
    item = only_item("1.公共安全支出-司法-行政运行：上年预算920.00万元，本年862.40万元，减少6.26%。")
    assert item.names == ("公共安全支出", "司法", "行政运行")
    assert roles(item) == [("previous", Decimal("920.00"), ""), ("current", Decimal("862.40"), "")]
    assert (item.rate.quantity.value, item.rate.direction) == (Decimal("6.26"), "down")


SHANGHAI_ITEM = ("1.“一般公共服务支出(类）-统计信息事务（款）-统计管理（项）”2026年度预算0.12万元，2025年度预算3.84万元，"
                 "主要用于：各类统计工作。2025年当年预算执行数为3.39万元，2026年预算安排0.12万元，比2025年预算执行数减少96.46%。")


def test_previous_budget_and_execution_with_the_rate_against_either():
    item = only_item(SHANGHAI_ITEM)
    assert item.names == ("一般公共服务支出", "统计信息事务", "统计管理")
    assert [r[:2] for r in roles(item)] == [("current", Decimal("0.12")), ("previous", Decimal("3.84")),
                                            ("previous", Decimal("3.39")), ("arranged", Decimal("0.12"))]
    assert lint(SHANGHAI_ITEM, select=CODES) == []  # (3.39 − 0.12) / 3.39 = 96.46%
    wrong = SHANGHAI_ITEM.replace("减少96.46%", "减少86.46%")
    assert [f.code for f in lint(wrong, select=CODES)] == ["ITEM005"]


def test_two_amounts_and_parts():
    item = only_item("2.行政运行（项）支出35.20万元，其中基本支出30.00万元，安排5.20万元用于培训，预算安排36.8万元。")
    assert roles(item) == [("current", Decimal("35.20"), ""), ("part", Decimal("30.00"), ""), ("part", Decimal("5.20"), ""),
                           ("arranged", Decimal("36.8"), "")]


def test_final_account_item_with_comparison():
    item = only_item("1.一般公共服务支出（类）信访事务（款）行政运行（项）。年初预算为100.00万元，支出决算为120.00万元，"
                     "完成年初预算的120.00%。决算数大于预算数的主要原因是追加预算。")
    assert roles(item) == [("initial", Decimal("100.00"), ""), ("final", Decimal("120.00"), "")]
    assert item.comparison.relation == "more"
    assert item.reason == "追加预算"


def test_flat_without_rate():
    item = only_item("3.住房改革支出（款）住房公积金（项）12.28万元，与上年持平。")
    assert (item.rate.quantity, item.rate.direction) == (None, "flat")


def test_an_item_read_on_into_the_next_paragraph():
    item = only_item("2.一般公共服务（类）信访事务（款）一般行政管理事务（项）。\n\n年初预算为590.53万元，支出决算为4.70万元。")
    assert roles(item) == [("initial", Decimal("590.53"), ""), ("final", Decimal("4.70"), "")]


def test_a_path_cut_by_a_page_break_is_no_item():
    text = "1.行政事业单位离退休（类）未归口管理的行政单位离退\n\n─ 11 ─休支出（项）271.45万元，与上年相比增加14.69万元。"
    assert budget(text).line_items == []


def test_a_plain_sentence_is_no_item():
    assert budget("一般公共服务支出1,448.10万元，占97.07%。").line_items == []


# --- tying to table rows ------------------------------------------------------------------


@pytest.mark.parametrize("paragraph, row", [
    ("1.一般公共服务支出（类）组织事务（款）事业运行（项）108.37万元，主要用于机关运转。", "2013250 事业运行"),
    ("1.（201类）（32款）（50项）事业运行108.37万元，主要用于机关运转。", "2013250 事业运行"),
    ("1.2101102 事业单位医疗7.26万元，主要用于医疗保险缴费。", "2101102 事业单位医疗"),
    ("1.住房保障-住房改革支出-住房公积金：12.28万元。", "2210201 住房公积金"),
    ("1.卫生健康（类）7.26万元。", "210 卫生健康支出"),
    ("（1）基本工资（款）支出 41.10 万元。用于发放基本工资。", "基本工资"),
])
def test_items_tie_to_their_row_of_the_general_expense_table(paragraph, row):
    items = budget(with_item(paragraph)).line_items
    kind = "general_expense" if row[0].isdigit() else "basic_economic"  # an economic item: its 经济分类 table
    assert [(i.row_name, i.table.kind) for i in items] == [(row, kind)]


def test_an_item_whose_names_do_not_fit_the_rows_ancestors_is_not_tied():
    items = budget(with_item("1.农林水支出（类）林业和草原（款）事业单位离退休（项）5.75万元。")).line_items
    assert [i.row for i in items] == [None]  # 事业单位离退休 is under 社会保障和就业支出 › 行政事业单位养老支出


def test_a_kuan_under_its_old_name_ties_when_the_lei_fits():
    items = budget(with_item("1.社会保障和就业支出（类）行政事业单位离退休（款）事业单位离退休（项）5.75万元。")).line_items
    assert [i.row_name for i in items] == ["2080502 事业单位离退休"]  # 款 now 行政事业单位养老支出


# --- checks: registration and the clean reference --------------------------------------


def test_rules_register_with_docs_in_both_languages():
    assert_rules_registered(load_plugins(), CODES, "item")


def test_a_correct_item_adds_nothing():
    paragraph = "1.一般公共服务支出（类）组织事务（款）事业运行（项）2026年预算数为108.37万元，比2025年预算减少7.60万元，下降6.55%。"
    assert added(with_item(paragraph), reference_text(), (*CODES, "PCT", "XREF")) == []  # 7.60 / 115.97 = 6.55%


def test_reference_document_has_no_line_item_findings():
    assert lint(reference_text(), select=CODES) == []


# --- ITEM001 item amount against its row (reference document) ------------------------------


def test_item001_item_amount_differs_from_its_row():
    clean = with_item("1.一般公共服务支出（类）组织事务（款）事业运行（项）108.37万元，主要用于机关运转。")
    text = clean.replace("事业运行（项）108.37万元", "事业运行（项）118.37万元")
    found = added(text, clean, ("ITEM", "XREF", "PCT", "SUM", "UNIT"))
    assert [(f.code, f.severity.value, f.location.line) for f in found] == [("ITEM001", "error", line_of(text, "118.37万元"))]
    assert "118.37万元" in found[0].message and "108.37万元" in found[0].message


def test_item001_a_rounding_tail_or_another_column_is_no_finding():
    clean = with_item("1.一般公共服务支出（类）组织事务（款）其他组织事务支出（项）1339.73万元。")
    assert added(clean.replace("1339.73万元。", "1339.7万元。"), clean) == []
    assert lint(clean, select=("ITEM001",)) == []


# --- ITEM002 two amounts for one item (real page text) -------------------------------------


WUXI = "2025-jiangsu-wuxi-xinfangju-dept-budget.txt"
WUXI_ITEM = "支出 2,259.79 万元"


def test_item002_item_restated_differently():
    clean = city(WUXI)
    text = inject(WUXI_ITEM, WUXI_ITEM + "，预算安排 2295.79 万元", clean)
    found = added(text, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM002", line_of(text, "2295.79"))]
    assert added(inject(WUXI_ITEM, WUXI_ITEM + "，预算安排 2259.79 万元", clean), clean) == []


def test_item002_not_item001_for_an_item_restated_differently_reported_where_the_row_disagrees():
    clean = with_item("1.一般公共服务支出（类）组织事务（款）事业运行（项）108.37万元，主要用于机关运转，预算安排108.37万元。")
    text = clean.replace("预算安排108.37万元", "预算安排118.37万元")
    found = added(text, clean, ("ITEM", "XREF", "PCT"))
    assert [(f.code, f.location.line, f.location.column) for f in found] == [
        ("ITEM002", line_of(text, "118.37"), text.split("\n")[line_of(text, "118.37") - 1].index("118.37") + 1)]
    text = clean.replace("事业运行（项）108.37万元", "事业运行（项）118.37万元")
    found = added(text, clean, ("ITEM", "XREF", "PCT"))
    assert [(f.code, f.location.column) for f in found] == [("ITEM002", text.split("\n")[line_of(text, "118.37") - 1].index("118.37") + 1)]


# --- ITEM005 rate against previous and current (real page text) -----------------------------


WUXI_CHANGE = "与上年相比增加 19.64 万元，"
WUXI_RATE = "增长 0.88% 。"


def test_item005_rate_against_previous_and_current():
    clean = city(WUXI)
    restated = inject(WUXI_CHANGE, "上年预算 2,240.15 万元，", clean)  # 19.64 / 2240.15 = 0.88%
    assert added(restated, clean) == []
    wrong = inject(WUXI_RATE, "增长 1.88% 。", restated)
    found = added(wrong, clean)
    assert [(f.code, f.severity.value, f.location.line) for f in found] == [("ITEM005", "error", line_of(wrong, "1.88%"))]
    turned = inject(WUXI_RATE, "下降 0.88% 。", restated)
    found = added(turned, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM005", line_of(turned, "下降 0.88%"))]
    assert "下降" in found[0].message


# --- ITEM006 change larger than the amount (real page text) ----------------------------------


def test_item006_increase_larger_than_the_current_amount():
    clean = city(WUXI)
    text = inject("与上年相比增加 19.64 万元", "与上年相比增加 2319.64 万元", clean)
    found = [f for f in added(text, clean) if f.code == "ITEM006"]
    assert [(f.code, f.location.line) for f in found] == [("ITEM006", line_of(text, "2319.64"))]


NEW_ITEM = "1.一般公共服务支出（类）组织事务（款）事业运行（项）2026年预算数为108.37万元，上年预算数为0万元，增长100%"


def test_item006_growth_of_100_percent_from_nothing_is_a_note_when_the_reason_is_given():
    clean = reference_text()
    text = with_item(NEW_ITEM + "，主要原因是新设机构。")
    found = added(text, clean, ("ITEM", "PCT", "XREF"))
    assert [(f.code, f.severity.value, f.location.line) for f in found] == [("ITEM006", "info", line_of(text, "100%"))]
    text = with_item(NEW_ITEM + "。")
    assert [(f.code, f.severity.value) for f in added(text, clean, ("ITEM", "PCT", "XREF"))] == [("ITEM006", "error")]


def test_pct004_growth_of_100_percent_with_its_reason_is_a_note_too():
    old = "比上年增加41.74万元，增长2.88%，主要原因是增加了劳务派遣人员工资类费用。；本年部门预算支出总计"
    text = inject(old, old.replace("41.74万元，增长2.88%", "1,491.74万元，增长100%"))
    found = [f for f in added(text, reference_text(), ("PCT004",))]
    assert [(f.code, f.severity.value) for f in found] == [("PCT004", "info")]


# --- ITEM003 previous amount over the department's previous total (reference) ----------------


def test_item003_previous_item_amount_exceeds_the_previous_total():
    clean = with_item("1.一般公共服务支出（类）组织事务（款）事业运行（项）108.37万元，比上年减少90.00万元，下降45.37%。")
    text = clean.replace("减少90.00万元，下降45.37%", "减少1,400.00万元，下降92.82%")  # 1508.37 > 1450.00
    found = added(text, clean, ("ITEM", "XREF", "PCT"))
    assert [(f.code, f.location.line) for f in found] == [("ITEM003", line_of(text, "1,400.00"))]
    assert "1508.37万元" in found[0].message and "1450.00万元" in found[0].message  # 1491.74 − 41.74


# --- ITEM004 决算数大于/小于预算数 (real page text) -------------------------------------------


def test_item004_final_comparison_contradicts_the_amounts():
    clean = city("2024-zhongyang-zhongyang-guojiaxinfangju-dept-final.txt")
    anchor = "0.8%。决算数小于预算数"
    text = inject(anchor, "0.8%。决算数大于预算数", clean)
    found = added(text, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM004", line_of(text, "决算数大于预算数", "0.8%。"))]


# --- ITEM007 a rate copied from the item above ------------------------------------------


def test_item007_rate_copied_from_the_item_above_in_a_real_document():
    clean = city(WUXI)  # 住房公积金 114.07, +0.97, 增长0.86%; then 提租补贴 117.13, +7.38, 增长6.72%; same reason
    text = inject("增长 6.72%", "增长 0.86%", clean)  # 0.97 / 113.10 = 0.86%, 7.38 / 109.75 = 6.72%
    found = added(text, clean)
    assert [(f.code, f.severity.value, f.location.line) for f in found] == [
        ("ITEM007", "warning", line_of(text, "增长 0.86%", "提租补贴（项）"))]
    assert "提租补贴" in found[0].message and "住房公积金" in found[0].message and "6.72%" in found[0].message
    assert found[0].related[0].line == line_of(text, "增长 0.86%", "住房公积金（项）")


ORGANISATION_ITEMS = ("1.一般公共服务支出（类）组织事务（款）事业运行（项）2026年预算数为108.37万元，比2025年预算减少7.60万元，"
                      "下降6.55%，主要原因是人员减少。\n"
                      "2.一般公共服务支出（类）组织事务（款）其他组织事务支出（项）2026年预算数为1339.73万元，比2025年预算减少"
                      "50.00万元，下降3.60%，主要原因是人员减少。")  # 7.60 / 115.97 = 6.55%; 50.00 / 1389.73 = 3.60%


def test_item007_rate_copied_from_the_item_above_in_the_reference():
    clean = with_item(ORGANISATION_ITEMS)
    assert added(clean, reference_text(), (*CODES, "PCT", "XREF")) == []
    text = clean.replace("下降3.60%", "下降6.55%")
    found = added(text, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM007", line_of(text, "下降6.55%", "2.一般公共服务支出"))]


def test_item007_a_different_reason_or_a_rate_fitting_neither_is_no_copy():
    clean = with_item(ORGANISATION_ITEMS)
    other_reason = clean.replace("下降3.60%，主要原因是人员减少", "下降6.55%，主要原因是项目完成")
    assert [f.code for f in added(other_reason, clean)] == []
    assert [f.code for f in added(clean.replace("下降3.60%", "下降9.60%"), clean)] == []


# --- ITEM008 the year compared with ------------------------------------------------------

REFERENCE_CHANGE = "安排1,491.74万元，上年结转0万元，比上年增加"


def test_item008_a_budget_compared_with_its_own_year_in_the_reference():
    clean = reference_text()
    text = inject(REFERENCE_CHANGE, REFERENCE_CHANGE.replace("比上年", "比2026年"), clean)
    found = added(text, clean)
    assert [(f.code, f.severity.value, f.location.line) for f in found] == [("ITEM008", "error", line_of(text, "比2026年"))]
    assert "2026" in found[0].message and "2025" in found[0].message
    assert added(inject(REFERENCE_CHANGE, REFERENCE_CHANGE.replace("比上年", "比2025年"), clean), clean) == []


def test_item008_a_budget_compared_with_a_later_year_in_a_real_document():
    clean = city(WUXI)  # a 2025 budget
    text = inject(WUXI_CHANGE, WUXI_CHANGE.replace("上年", "2026年"), clean)
    found = added(text, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM008", line_of(text, "与2026年相比"))]
    assert added(inject(WUXI_CHANGE, WUXI_CHANGE.replace("上年", "2024年"), clean), clean) == []


def test_item008_a_plan_comparing_two_later_years_is_not_judged():
    clean = reference_text()
    plan = REFERENCE_CHANGE + "41.74万元。2027年计划比2026年增加"
    assert added(inject(REFERENCE_CHANGE + "41.74万元", plan, clean), clean) == []


PREVIOUS_EXECUTED = ("1.一般公共服务支出（类）组织事务（款）事业运行（项）2025年预算执行数为115.97万元，2026年预算安排108.37万元，"
                     "比2025年预算执行数减少6.55%。")  # 7.60 / 115.97 = 6.55%


def test_item008_an_earlier_year_compared_after_the_previous_years_figure():
    clean = with_item(PREVIOUS_EXECUTED)
    assert added(clean, reference_text(), (*CODES, "PCT", "XREF")) == []
    text = clean.replace("比2025年预算执行数", "比2024年预算执行数")
    found = added(text, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM008", line_of(text, "比2024年预算执行数"))]
    assert "2024" in found[0].message and "2025" in found[0].message
    two_years = clean.replace("减少6.55%。", "减少6.55%，比2024年预算执行数减少9.00%。")  # two comparisons: not judged
    assert added(two_years, clean) == []


FINAL = "2024-zhongyang-zhongyang-guojiaxinfangju-dept-final.txt"
FINAL_CHANGE = "比 2023 年度决算数增加 326.11"


def test_item008_a_final_account_compared_as_a_final_account_with_its_own_year():
    clean = city(FINAL)
    text = inject(FINAL_CHANGE, FINAL_CHANGE.replace("2023", "2024"), clean)
    found = added(text, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM008", line_of(text, "比 2024 年度决算数"))]
    with_budget = inject(FINAL_CHANGE, "比 2024 年度预算数增加 326.11", clean)  # its own year's 预算: right
    assert added(with_budget, clean) == []


def test_item008_a_final_account_dating_its_year_end_in_another_year():
    clean = city(FINAL)
    vehicles = "截至 2024 年 12 月 31 日，国家信访局共有车辆"
    text = inject(vehicles, vehicles.replace("2024", "2023"), clean)
    found = added(text, clean)
    assert [(f.code, f.location.line) for f in found] == [("ITEM008", line_of(text, "截至 2023 年"))]
    assert "2023" in found[0].message and "2024" in found[0].message


# --- the corpus ------------------------------------------------------------------------------


def _city_texts() -> list[Path]:
    return sorted(CITIES.glob("*.txt")) if CITIES.is_dir() else []


@pytest.mark.skipif(not _city_texts(), reason="../shared/cities not available")
@pytest.mark.parametrize("name", [WUXI, "2024-zhongyang-zhongyang-guojiaxinfangju-dept-final.txt"])
def test_clean_real_documents_get_no_line_item_findings(name):
    assert lint(city(name), select=CODES, path=name) == []


def test_extract_shows_line_items_with_their_rows():
    text = with_item("1.一般公共服务支出（类）组织事务（款）事业运行（项）108.37万元，主要用于机关运转。")
    data = extract(linter(), "doc.txt", text.encode("utf-8"))
    [item] = data["budget"]["line_items"]
    assert [p["name"] for p in item["path"]] == ["一般公共服务支出", "组织事务", "事业运行"]
    assert item["row_name"] == "2013250 事业运行"
    assert [(a["role"], a["quantity"]["value"]) for a in item["amounts"]] == [("current", "108.37")]


def test_the_real_comparison_years_of_shiquanlu_2026_are_found():
    path = SHARED / "corpus" / "real" / "2026-shanghai-putuo-shiquanlu-jiedao-unit-budget.txt"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    text = path.read_text(encoding="utf-8")
    found = lint(text, select=("ITEM008",), path=path.name)
    # "2025年当年预算执行数5.57万元，2026年预算安排10万元，比2024年预算执行数增加79.53%": (10 − 5.57) / 5.57 = 79.53%
    assert [(f.code, f.location.line) for f in found] == [("ITEM008", line_of(text, "比2024年预算执行数增加79.53%")),
                                                          ("ITEM008", line_of(text, "与2024年预算执行数持平"))]


def test_the_real_restated_item_of_wanli_2024_is_found():
    path = SHARED / "corpus" / "real" / "2024-shanghai-putuo-wanli-jiedao-dept-budget.txt"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    text = path.read_text(encoding="utf-8")
    found = [f for f in lint(text, select=CODES, path=path.name) if f.severity.value == "error"]
    # "…住房公积金（项）”350.35万元 … 2024年预算安排352.67万元，比2023年预算执行数增加0.53%": 348.52 × 1.0053 = 350.35
    assert [(f.code, f.location.line) for f in found] == [("ITEM002", line_of(text, "352.67"))]


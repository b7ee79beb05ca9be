"""Project performance forms (绩效目标表) beyond the reference layout, and the checks that read them.

Each layout is read from a text fixture and from its PDF rendering: 北京's one
table listing every project (指标性质 and 度量单位 in columns of their own), and
the one-project-a-page form with a funds block (年度资金总额 / 其中：财政拨款 /
其他资金) and 年度目标 as one long cell.  The checks (SUM006 on a form's
funds, IND007 on goals, IND008 cost against funds, IND009 the narrative
against the forms, LINT009 forms not read) get mutation tests: one defect
injected into a clean document, found once, where it was injected.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest
from render import render

from budgetlint.budget.model import BudgetModel, PerformanceForm
from budgetlint.budget.text import clean
from budgetlint.config import ConfigResolver, Overrides
from budgetlint.document import Document, Paragraph, Row, Table, TextSpan
from budgetlint.engine import Linter
from budgetlint.extract import read_document
from budgetlint.findings import Finding, Severity
from budgetlint.readers import Source
from helpers import SHARED, budget, inject, inject_after, line_of, lint, linter, only, reference_text

CHECKS = ("SUM006", "IND007", "IND008", "IND009", "LINT009")

LISTING = """# 北京市某局2026年部门预算

## 项目支出绩效目标表

金额单位：万元

项目名称\t项目总额\t其中：\t\t绩效目标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t本年绩效指标值\t绩效度量单位
\t\t财政资金\t其他资金\t\t\t\t\t\t\t
11000022T0455794-评审工作经费\t839.000000\t839.000000\t\t按时完成评审任务。\t产出指标\t数量指标\t评审项目数量\t≥\t420\t个
\t\t\t\t\t产出指标\t质量指标\t报告合格率\t≥\t98\t%
\t\t\t\t\t产出指标\t时效指标\t项目完成时间\t≤\t12\t月
\t\t\t\t\t成本指标\t经济成本指标\t专家评审费\t≤\t20\t万元
\t\t\t\t\t效益指标\t社会效益指标\t规范申报\t定性\t优\t
\t\t\t\t\t满意度指标\t服务对象满意度指标\t被评审单位满意度\t≥\t90\t%
11000022T0456725-决算管理服务\t54.320000\t50.000000\t4.320000\t组织决算会审。\t产出指标\t数量指标\t培训人数\t≥\t1500\t人次
\t\t\t\t\t产出指标\t质量指标\t验收合格率\t＝\t100\t%
\t\t\t\t\t产出指标\t时效指标\t会审完成时间\t≤\t6\t月
\t\t\t\t\t成本指标\t经济成本指标\t培训住宿费\t≤\t400\t元/天
\t\t\t\t\t效益指标\t可持续影响指标\t作用期限\t＝\t1\t年
\t\t\t\t\t满意度指标\t服务对象满意度指标\t受训学员满意度\t≥\t95\t%
"""

PAGE = """# 某区民政局2026年部门预算

## 项目支出绩效目标表

项目名称\t社区养老服务补贴\t\t\t\t
主管部门及代码\t123-某区民政局\t实施单位\t某区民政局\t\t
项目资金（万元）\t年度资金总额\t120.00\t\t\t
\t其中：财政拨款\t100.00\t\t\t
\t其他资金\t20.00\t\t\t
年度目标\t为老年人提供助餐、助浴服务。\t\t\t\t
一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位
产出指标\t数量指标\t服务人次\t≥\t1200\t人次
产出指标\t质量指标\t服务合格率\t≥\t98\t%
产出指标\t时效指标\t补贴发放完成时间\t≤\t12\t月
成本指标\t经济成本\t助餐补贴总额\t≤\t60\t万元
成本指标\t经济成本指标\t督导员劳务费（元/天）\t≤\t300\t
成本指标\t社会成本指标\t居民投诉数量\t≤\t3\t起
效益指标\t社会效益指标\t受益老年人数\t≥\t400\t人
满意度指标\t服务对象满意度指标\t老年人满意度\t≥\t95\t%
"""


CONTINUED = """# 某市财政局2026年部门预算

## 政策和项目预算绩效目标表

项目名称\t\t\t公车统管费用\t\t
主管部门及代码\t\t\t228_某市财政局\t实施单位\t某市财政局
项目资金（万元）\t\t\t年度预算资金总额：\t30.00\t
\t\t\t其中：财政拨款\t30.00\t
\t\t\t其他资金\t0.00\t
总体目标\t有效控制车辆使用成本。\t\t\t\t
\t一级指标\t二级指标\t三级指标\t指标值\t
绩效指标\t成本指标\t经济成本\t年度车辆统管费用\t≤30万元\t
绩效指标\t产出指标\t数量指标\t车辆租赁次数\t≤400次\t
绩效指标\t产出指标\t质量指标\t车辆事故率\t≤5%\t
绩效指标\t产出指标\t时效指标\t车辆归还及时率\t≥95%\t
绩效指标\t效益指标\t社会效益指标\t社会效益\t出行保障率\t≥95%

## 政策和项目预算绩效目标表

绩效指标\t满意度指标\t服务对象满意度指标\t出行人员满意度\t≥95%
"""

BLANK = """# 某区民政局2026年部门预算

## 项目支出绩效目标表

项目名称\t\t\t
项目资金（万元）\t年度资金总额\t\t
年度目标\t\t\t
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t\t
成本指标\t经济成本指标\t\t
"""

UNKNOWN = """# 某区民政局2026年部门预算

## 项目支出绩效目标表

项目\t目标\t考核内容\t目标值
社区养老服务补贴\t提供社区养老服务\t服务人次\t1200人次
"""


@cache
def pdf_document(text: str) -> Document:
    return linter().read(Source("forms.pdf", render(text)), "en")


def model(text: str, reader: str) -> BudgetModel:
    """The budget model of a fixture read as text, or through the PDF reader from its rendering."""
    return budget(text) if reader == "text" else linter().build_budget(pdf_document(text))


def checked(text: str, reader: str, select: tuple[str, ...] = ("IND", "SUM", "LINT009")) -> list[Finding]:
    if reader == "text":
        return lint(text, select=select)
    return lint_document(pdf_document(text), select)


def lint_document(document: Document, select: tuple[str, ...]) -> list[Finding]:
    configured = Linter(linter().plugins, ConfigResolver(Overrides(select=select)))
    return configured.lint_document(document, configured.resolver.for_path(document.path)).findings


def named(forms: list[PerformanceForm], name: str) -> PerformanceForm:
    return next(f for f in forms if f.name == name)


def targets(form: PerformanceForm) -> dict[str, str]:
    return {i.name: i.target for i in form.indicators}


READERS = pytest.mark.parametrize("reader", ["text", "pdf"])


# --- 北京: one table listing every project ------------------------------------------


@READERS
def test_listing_reads_each_project_with_its_funds_goal_and_indicators(reader):
    forms = [f for f in model(LISTING, reader).forms if f.scope == "project"]
    assert [f.name for f in forms] == ["评审工作经费", "决算管理服务"]  # the project code dropped
    review, accounts = forms
    assert review.unit == "万元" and review.unit_declared
    assert review.funds["annual_total"].amount == Decimal("839.000000")
    assert {k: v.amount for k, v in accounts.fund_parts["annual_total"].items()} == {
        "财政资金": Decimal("50.000000"), "其他资金": Decimal("4.320000")
    }
    assert review.goals[0][0].startswith("按时完成")
    assert len(review.indicators) == len(accounts.indicators) == 6
    assert targets(review) == {
        "评审项目数量": "≥420个", "报告合格率": "≥98%", "项目完成时间": "≤12月",
        "专家评审费": "≤20万元", "规范申报": "优", "被评审单位满意度": "≥90%",
    }
    assert targets(accounts)["验收合格率"] == "=100%"
    assert {(i.level1, i.level2) for i in accounts.indicators} >= {("成本指标", "经济成本指标"), ("产出指标", "数量指标")}


@READERS
def test_a_clean_listing_gets_no_finding(reader):
    assert checked(LISTING, reader) == []


def test_a_listed_project_may_choose_its_categories_and_grade_qualitatively():
    """A listing has no template line to leave blank: a missing category is an info; 定性 优 is a grade."""
    text = inject("\t\t\t\t\t满意度指标\t服务对象满意度指标\t被评审单位满意度\t≥\t90\t%\n", "", LISTING)
    text = inject("\t产出指标\t时效指标\t会审完成时间\t≤\t6\t月", "\t产出指标\t时效指标\t会审完成时间\t定性\t优\t", text)
    finding = only(lint(text, select=("IND",)), "IND006")
    assert finding.severity is Severity.INFO and finding.location.logical[0] == "评审工作经费"


# --- one project a page: funds block, 年度目标 in one cell, 指标性质 and 度量单位 apart ------------


@READERS
def test_page_form_reads_funds_block_goal_and_split_values(reader):
    [form] = model(PAGE, reader).forms
    assert form.name == "社区养老服务补贴" and form.unit == "万元"
    assert form.funds["annual_total"].amount == Decimal("120.00")
    assert {k: v.amount for k, v in form.fund_parts["annual_total"].items()} == {
        "财政拨款": Decimal("100.00"), "其他资金": Decimal("20.00")
    }
    assert [clean(g) for g, _ in form.goals] == [clean(PAGE.split("年度目标\t")[1].split("\t")[0])]
    assert targets(form)["服务人次"] == "≥1200人次"
    cost = next(i for i in form.indicators if i.name == "助餐补贴总额")
    assert (cost.level2, cost.value) == ("经济成本", "≤60万元")  # a cost sub-category is a 二级 label
    social = next(i for i in form.indicators if i.name == "居民投诉数量")
    assert (social.level1, social.level2, social.value) == ("成本指标", "社会成本指标", "≤3起")  # not money: no finding


@READERS
def test_a_unit_in_the_indicator_name_completes_its_value(reader):
    [form] = model(PAGE, reader).forms
    fee = next(i for i in form.indicators if i.name.startswith("督导员劳务费"))
    assert (fee.value, fee.unit, fee.target) == ("≤300", "元/天", "≤300元/天")


def test_without_the_unit_in_its_name_the_value_has_none():
    findings = lint(inject("督导员劳务费（元/天）", "督导员劳务费", PAGE), select=("IND",))
    finding = only(findings, "IND001")
    assert finding.evidence["value"] == "≤300" and "没有计量单位" in finding.message
    assert finding.location.line == line_of(PAGE, "督导员劳务费")


@READERS
def test_a_clean_page_form_gets_no_finding(reader):
    assert checked(PAGE, reader) == []


# --- a form continued on the next page; a 三级 cell holding a 二级 label -----------------


@READERS
def test_a_form_carries_on_across_tables_and_refines_its_level2(reader):
    forms = model(CONTINUED, reader).forms
    assert [f.name for f in forms] == ["公车统管费用"]
    indicators = {i.name: (i.level2, i.value) for i in forms[0].indicators}
    assert indicators["年度车辆统管费用"] == ("经济成本", "≤30万元")
    assert indicators["出行保障率"] == ("社会效益", "≥95%")
    assert indicators["出行人员满意度"] == ("服务对象满意度指标", "≥95%")
    assert checked(CONTINUED, reader) == []


# --- blank templates and forms not read ------------------------------------------------


@READERS
def test_a_blank_template_is_skipped(reader):
    assert model(BLANK, reader).forms == []
    assert checked(BLANK, reader) == []


@READERS
def test_forms_of_an_unknown_layout_are_noted_once(reader):
    finding = only(checked(UNKNOWN, reader), "LINT009")
    assert finding.severity is Severity.INFO and "项目支出绩效目标表" in finding.message


def test_the_reference_forms_are_read():
    assert not lint(reference_text(), select=("LINT009",))


# --- IND007: the goals of a one-year project --------------------------------------------

WAGES = "总体目标\t保障部门聘用人员工资的正常发放和社保缴纳\t\t\t保障部门聘用人员工资的正常发放和社保缴纳"


@pytest.mark.parametrize(("annual", "variant", "words"), [
    ("保障部门聘用人员工资的正常发放", "goal_cut", "不完整"),
    ("保障部门聘用人员的社保缴纳", "goal", "不一致"),
])
def test_one_year_project_goal_cut_short_or_different(annual, variant, words):
    text = inject(WAGES, WAGES.rsplit("\t", 1)[0] + "\t" + annual)
    found = [f for f in lint(text, select=("IND007",)) if f.evidence.get("annual") == annual]
    finding = only(found, "IND007")
    assert words in finding.message and finding.location.logical == ("聘用人员工资类经费", "年度目标")
    assert finding.location.line == line_of(text, WAGES.split("\t")[0], after="项目名称\t\t聘用人员工资类经费")


def test_a_project_ending_in_the_budget_year_is_a_one_year_project():
    """项目期 naming only the budget year makes the project one-year; a longer 项目期 does not."""
    base = inject_after("项目名称\t\t聘用人员工资类经费", "项目属性\t一次性项目(1年结束)\t\t项目期\t1年",
                        "项目属性\t延续性项目\t\t项目期\t{term}")
    base = inject(WAGES, WAGES.rsplit("\t", 1)[0] + "\t保障部门聘用人员的社保缴纳", base)
    ending = new_goals(base.replace("{term}", "2026年"))
    assert only(ending, "IND007").location.logical == ("聘用人员工资类经费", "年度目标")
    assert new_goals(base.replace("{term}", "2026-2028年")) == []


def new_goals(text: str) -> list[Finding]:
    """IND007 findings on goals that the clean reference does not have."""
    before = {f.fingerprint for f in lint(reference_text(), select=("IND007",))}
    return [f for f in lint(text, select=("IND007",)) if "annual" in f.evidence and f.fingerprint not in before
            and f.location.logical[-1] == "年度目标"]


# --- mutations of real documents (../shared) ----------------------------------------------

CITIES = SHARED / "cities"
FUZHOU = CITIES / "2026-fujian-fuzhou-gonganjuxuntejingzhidui-unit-budget.pdf"
YANTAI = CITIES / "2026-shandong-yantai-caizhengju-dept-budget.pdf"
BEIJING = CITIES / "2026-beijing-beijing-caizhengju-dept-budget-tables.pdf"
needs = pytest.mark.skipif(not CITIES.is_dir(), reason="../shared/cities not present")


@cache
def real(path: str) -> Document:
    return read_document(linter(), [path])


def edit_cell(document: Document, row_word: str, old: str, new: str, occurrence: int = 0) -> tuple[Document, int]:
    """``document`` with ``old`` → ``new`` in the one table row holding cells ``row_word`` and ``old``; its page.

    ``occurrence`` picks among cells reading ``old`` in that row (0: the first).
    """
    rows = [(page, block, row) for page in document.pages for block in page.blocks if isinstance(block, Table)
            for row in block.rows if {row_word, old} <= {clean(c.text) for c in row.cells}]
    assert len(rows) == 1, f"{row_word!r} and {old!r} share {len(rows)} rows"
    page, table, row = rows[0]
    at = [i for i, c in enumerate(row.cells) if clean(c.text) == old][occurrence]
    cells = tuple(replace(c, text=new) if i == at else c for i, c in enumerate(row.cells))
    edited = replace(table, rows=tuple(Row(cells, row.location) if r is row else r for r in table.rows))
    return _swap(document, table, edited), row.location.page


def edit_paragraph(document: Document, fragment: str, text: str) -> tuple[Document, Paragraph]:
    """``document`` with the one paragraph holding ``fragment`` replaced by ``text`` (at its location)."""
    [old] = [p for p in document.paragraphs() if fragment in clean(p.text)]
    new = Paragraph(TextSpan.single(text, old.location))
    return _swap(document, old, new), new


def _swap(document: Document, old: object, new: object) -> Document:
    pages = [replace(page, blocks=[new if b is old else b for b in page.blocks]) for page in document.pages]
    return replace(document, pages=pages)


def added(document: Document, edited: Document) -> list[Finding]:
    """The findings of the form checks on ``edited`` that ``document`` does not have."""
    before = {f.fingerprint for f in lint_document(document, CHECKS)}
    return [f for f in lint_document(edited, CHECKS) if f.fingerprint not in before]


@needs
@pytest.mark.parametrize("path", [FUZHOU, BEIJING, YANTAI], ids=["fuzhou", "beijing", "yantai"])
def test_clean_real_forms_get_no_form_finding(path):
    document = real(str(path))
    assert [f for f in linter().build_budget(document).forms if f.scope == "project" and f.name]
    assert lint_document(document, CHECKS) == []


@needs
def test_funds_part_above_its_total_in_a_real_form():
    document = real(str(FUZHOU))
    edited, page = edit_cell(document, "财政拨款", "97.84", "107.84")
    finding = only(added(document, edited), "SUM006")
    assert finding.location.page == page and finding.location.logical[0] == "警务辅助人员经费"
    assert "107.84" in finding.message and finding.severity is Severity.ERROR


@needs
def test_funds_part_above_its_total_in_a_real_listing():
    document = real(str(BEIJING))
    edited, page = edit_cell(document, "11000022T000000456725-决算管理工作服务", "54.320000", "64.320000", 1)
    finding = only(added(document, edited), "SUM006")
    assert finding.location.page == page and finding.location.logical[0] == "决算管理工作服务"


@needs
@pytest.mark.parametrize(("path", "row", "old", "new", "severity"), [
    (FUZHOU, "直升机租赁及养护费用总额", "≤600万元", "≤650万元", Severity.ERROR),  # a part above the funds
    (YANTAI, "专项经费总额", "≤315万元", "≤300万元", Severity.WARNING),  # the whole cost, not the funds
    (BEIJING, "委托专家评审服务费", "20", "900", Severity.WARNING),  # rows assigned by the span of a name
], ids=["part", "whole", "listing"])
def test_cost_indicator_against_the_funds_in_a_real_form(path, row, old, new, severity):
    document = real(str(path))
    edited, page = edit_cell(document, row, old, new)
    finding = only(added(document, edited), "IND008")
    assert finding.location.page == page and finding.location.logical[-1] == row
    assert finding.severity is severity


@needs
def test_narrative_count_and_total_of_projects_against_real_forms():
    document = real(str(FUZHOU))
    forms = [f for f in linter().build_budget(document).forms if f.scope == "project" and f.name]
    funds = sum(f.funds["annual_total"].amount for f in forms)

    def stated(count: int, total: Decimal) -> str:
        return f"2026年度，本单位编报绩效目标的项目共{count}个，涉及项目预算资金{total}万元。"

    clean_text, _ = edit_paragraph(document, "编制绩效目标并公开", stated(len(forms), funds))
    assert lint_document(clean_text, CHECKS) == []
    for text, variant in ((stated(len(forms) + 1, funds), "张"), (stated(len(forms), funds + 10), "合计")):
        edited, paragraph = edit_paragraph(document, "编制绩效目标并公开", text)
        finding = only(added(clean_text, edited), "IND009")
        assert variant in finding.message
        assert finding.location.page == paragraph.location.page


# --- mutations of the reference document ----------------------------------------------------


def reference_added(text: str) -> list[Finding]:
    before = {f.fingerprint for f in lint(reference_text(), select=CHECKS)}
    return [f for f in lint(text, select=CHECKS) if f.fingerprint not in before]


def test_cost_above_the_funds_in_the_reference():
    """聘用人员工资类经费 has 210,700元; a 工资支出 of 25.07万元 in both periods is reported once, on the 年度 cell."""
    text = inject("工资支出\t21.07万元\t成本指标\t工资支出\t21.07万元", "工资支出\t25.07万元\t成本指标\t工资支出\t25.07万元")
    finding = only(reference_added(text), "IND008")
    assert finding.location.line == line_of(text, "25.07万元")
    assert finding.location.logical == ("聘用人员工资类经费", "年度", "成本指标", "工资支出")
    assert "210,700元" in finding.message and finding.severity is Severity.ERROR


def test_funds_part_above_its_total_in_the_reference():
    text = inject("市县(区)财政资金\t210,700\t市县(区)财政资金\t210,700", "市县(区)财政资金\t210,700\t市县(区)财政资金\t230,700")
    finding = only(reference_added(text), "SUM006")
    assert finding.location.line == line_of(text, "年度资金总额", after="项目名称\t\t聘用人员工资类经费")
    assert finding.location.logical == ("聘用人员工资类经费", "年度资金总额")
    assert "为 210700" in finding.message and "230700" in finding.message


def test_a_category_stated_without_its_level3_name_is_present():
    """福州's forms leave the 三级 name of 服务对象满意度 blank and give only ≥90%: the category is there."""
    row = "满意度指标\t服务对象满意度指标\t老年人满意度\t≥\t95\t%"
    assert lint(inject(row, row.replace("老年人满意度", ""), PAGE), select=("IND006",)) == []
    assert only(lint(inject(row + "\n", "", PAGE), select=("IND006",)), "IND006").evidence["category"] == "满意度指标"

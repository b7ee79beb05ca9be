"""The IND rules (performance indicator values), run through the real plugin manager.

Most tests edit one indicator row of one 绩效目标表 in the reference document
and assert exactly the new IND findings, compared with the clean reference;
near misses must cause none.  The reference's own IND findings are listed in
full, each judged by reading the document.
"""

from __future__ import annotations

from collections import Counter

import pytest

from budgetlint.findings import Finding, Severity
from budgetlint.plugins import load_plugins
from budgetlint.rules import RuleContext
from budgetlint_plugins import ind
from helpers import SHARED, assert_rules_registered, budget, line_of, lint, new_findings, reference_text

CODES = ("IND001", "IND002", "IND003", "IND004", "IND005", "IND006", "IND007", "IND008", "IND009")
DEPARTMENT = "县(区)级预算部门(单位)整体支出绩效目标申报表"


@pytest.fixture(scope="module")
def plugins():
    return load_plugins()


@pytest.fixture(scope="module")
def baseline() -> list[Finding]:
    return lint(reference_text(), select=("IND",))


def added(baseline: list[Finding], text: str, lang: str = "zh") -> list[Finding]:
    """The IND findings of ``text`` that the clean reference does not have."""
    return new_findings(baseline, lint(text, select=("IND",), lang=lang))


def form_start(form: str, text: str) -> int:
    """The 0-based index of the 项目名称 line of ``form``."""
    lines = text.split("\n")
    return next(n for n, line in enumerate(lines) if line.startswith("项目名称") and form in line)


def row_index(form: str, label: str, text: str) -> int:
    """The 0-based index of the first line of ``form`` holding ``label``."""
    lines = text.split("\n")
    start = form_start(form, text)
    return next(n for n in range(start, len(lines)) if label in lines[n])


def edit_row(form: str, label: str, old: str, new: str, periods: str = "both", text: str | None = None) -> str:
    """``text`` (default: the reference) with ``old`` → ``new`` in the row of ``form`` holding ``label``.

    ``periods`` is "both" (the 实施期 and 年度 cells) or "annual" (the last, 年度, cell only).
    """
    text = text or reference_text()
    lines = text.split("\n")
    n = row_index(form, label, text)
    cells = lines[n].split("\t")
    hits = [i for i, cell in enumerate(cells) if cell == old]
    assert hits, (form, label, old, lines[n])
    for i in hits if periods == "both" else hits[-1:]:
        cells[i] = new
    lines[n] = "\t".join(cells)
    return "\n".join(lines)


def line_no(form: str, label: str, text: str | None = None) -> int:
    return row_index(form, label, text or reference_text()) + 1


def run_on(plugins, code: str, model) -> list[Finding]:
    rule = plugins.rules[code]
    context = RuleContext(document=model.document, rule=rule, lang="zh", budget_factory=lambda: model)
    return list(rule.check(context))


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    return findings[0]


# --- registration ---------------------------------------------------------


def test_ind_rules_register_with_messages_and_docs_in_both_languages(plugins):
    assert_rules_registered(plugins, CODES, "ind")


# --- the reference document -------------------------------------------------

# Judged by reading each form: the three errors are template residue (设定个), a
# head count as a cost (26400人) and a timeliness word as a cost (及时).
REFERENCE_ERRORS = {
    ("IND002", DEPARTMENT, "工作目标任务设定情况", "设定个"),
    ("IND001", "就业见习专项经费", "每个人费用标准", "26400人"),
    ("IND001", "劳动保障监察专项经费", "费用成本", "及时"),
}
# Costs stated as a rule rather than an amount, a quantity with no number, satisfaction as a word.
REFERENCE_WARNINGS = {
    ("IND003", DEPARTMENT, "预算支出情况", "合规"),
    ("IND003", "档案数字化后续整理维护费", "费用成本", "控制在年初预算内"),
    ("IND003", "干部专项经费", "费用成本", "控制在年初预算内"),
    ("IND003", "劳动保障监察印制费", "费用成本控制", "控制在年初预算内"),
    ("IND003", "劳动保障专项经费", "费用成本控制制度", "控制在年初预算内"),
    ("IND003", "劳动宣传、农民工接访经费", "费用成本控制", "控制在年初预算内"),
    ("IND003", "劳务派遣人员工资类费用", "成本控制制度", "按照预算标准执行"),
    ("IND003", "劳务派遣人员社保类费用", "工资支出", "按标准支出"),
    ("IND003", "聘用工程技术人员工资经费", "工资支出", "按标准支出"),
    ("IND003", "区管干部职工档案专项经费", "费用成本", "将成本控制在年初预算内"),
    ("IND003", "区内企业开展用工招聘活动费", "费用成本控制制度", "控制在年初预算内"),
    ("IND003", "人才交流服务工作经费", "费用成本控制", "控制在年初预算内"),
    ("IND003", "人才领导小组办公室公用经费", "费用成本控制制度", "控制在年初预算内"),
    ("IND003", "职工技能培训费", "培训费用支出", "控制在年初预算内"),
    ("IND003", "专家引进、服务专项经费", "费用成本控制制度", "控制在年初预算内"),
    ("IND003", "区管干部职工档案专项经费", "档案管理范围", "区管干部职工"),
    ("IND003", "档案数字化后续整理维护费", "工作人员满意度", "满意"),
    ("IND003", "区管干部职工档案专项经费", "区管干部满意度", "满意"),
    ("IND003", "区内企业开展用工招聘活动费", "招聘人员满意度", "满意"),
    ("IND003", "人才交流服务工作经费", "群众满意度", "满意"),
    ("IND003", "人才领导小组办公室公用经费", "工作人员满意度", "满意"),
}
# Quality and benefit targets that are vague words (info).
REFERENCE_VAGUE = {
    (DEPARTMENT, "年度考核任务完成情况", "完成"),
    (DEPARTMENT, "促进开发区经济增长情况", "促进增长"),
    (DEPARTMENT, "领导干部廉洁自律建设情况", "提高"),
    ("档案数字化后续整理维护费", "数字化系统稳定性", "稳定"),
    ("档案数字化后续整理维护费", "提高档案管理水平", "提高"),
    ("聘用人员工资类经费", "带动工作积极性", "逐步提高"),
    ("干部专项经费", "干部政治、文化、业务水平提高", "提高"),
    ("干部专项经费", "提高执政能力为全面建设小康社会", "提高"),
    ("干部专项经费", "加快推进社会主义现代化思想", "加快"),
    ("就业见习专项经费", "提高见习人员就业率", "提高"),
    ("劳动保障监察印制费", "公共服务水平提升度", "提升"),
    ("劳动保障专项经费", "系统正常运行保障度", "保障"),
    ("劳动保障专项经费", "推进完善实名制信息系统建设", "推进"),
    ("劳动宣传、农民工接访经费", "跨级上访减少,社会稳定", "显著"),
    ("劳务派遣人员工资类费用", "带动工作人员积极性", "积极"),
    ("劳务派遣人员社保类费用", "带动工作积极性", "逐步提高"),
    ("聘用工程技术人员工资经费", "带动工作人员积极性", "逐步提高"),
    ("区管干部职工档案专项经费", "档案管理水平是否提高", "提高"),
    ("区管干部职工档案专项经费", "保障有关人力资源各个环节", "保障"),
    ("区内企业开展用工招聘活动费", "缓解企业用工难,用工荒难题", "缓解"),
    ("人才交流服务工作经费", "为开发区发展培养引进人才", "培养"),
    ("人才领导小组办公室公用经费", "确保各项工作正常开展", "确保"),
    ("省校合作经费", "提升省校学生就业率", "提升"),
    ("职工技能培训费", "培训人员技能提升度", "提升"),
    ("职工技能培训费", "就业率提升", "提升"),
    ("专家引进、服务专项经费", "促进全区经济社会发展", "促进"),
}


def described(finding: Finding) -> tuple[str, str, str, str]:
    owner, _, _, indicator = finding.location.logical
    return (finding.code, owner, indicator, finding.evidence["value"])


def test_reference_errors_are_the_real_defects(baseline):
    errors = {described(f) for f in baseline if f.severity is Severity.ERROR}
    assert errors == REFERENCE_ERRORS


def test_reference_warnings_are_the_unquantified_targets(baseline):
    warnings = [described(f) for f in values(baseline) if f.severity is Severity.WARNING]
    assert len(warnings) == len(REFERENCE_WARNINGS) and set(warnings) == REFERENCE_WARNINGS


def test_reference_infos_are_timeliness_words_and_vague_targets(baseline):
    infos = [f for f in baseline if f.severity is Severity.INFO]
    assert {f.code for f in infos} == {"IND003"}
    timely = [f for f in infos if f.evidence["type"] == "timeliness"]
    assert {f.evidence["value"] for f in timely} == {"及时"}
    assert len(timely) == 19  # every form: 18 projects and the department
    vague = [described(f)[1:] for f in infos if f.evidence["type"] != "timeliness"]
    assert len(vague) == len(REFERENCE_VAGUE) and set(vague) == REFERENCE_VAGUE


@pytest.mark.parametrize("year", ["2026", "2025"])
def test_the_expected_deadline_example_is_in_the_documents_own_year(year):
    text = reference_text().replace("2026年", f"{year}年")
    messages = [f.message for f in lint(text, select=("IND003",)) if f.evidence["type"] == "timeliness"]
    assert messages and all(m.endswith(f"应为日期、期限、时长或完成率（如 {year}年12月底前、30个工作日、100%）") for m in messages)


def test_reference_has_no_missing_category_empty_value_or_cost_above_funds(baseline):
    assert not [f for f in baseline if f.code in ("IND004", "IND005", "IND006", "IND008", "IND009")]


def test_reference_one_year_goal_cut_short_is_its_only_period_mismatch(baseline):
    """就业见习专项经费 (项目期 1年): its 年度目标 stops at a comma, mid-sentence, where the 实施期目标 goes on."""
    finding = only([f for f in baseline if f.code == "IND007"])
    assert finding.location.logical == ("就业见习专项经费", "年度目标")
    assert finding.location.line == line_of(reference_text(), "总体目标", after="项目名称\t\t就业见习专项经费")
    assert finding.evidence["annual"].endswith("提供实践机会,")
    assert finding.evidence["implementation"].startswith(finding.evidence["annual"])
    assert "不完整" in finding.message


def values(findings: list[Finding]) -> list[Finding]:
    """The findings on indicator values (IND001–IND005), not on forms or goals."""
    return [f for f in findings if f.code in ("IND001", "IND002", "IND003", "IND004", "IND005")]


def test_each_repeated_value_is_reported_once_on_the_annual_cell(baseline):
    project = [f for f in values(baseline) if f.location.logical[0] != DEPARTMENT]
    assert project
    for finding in project:
        assert finding.location.logical[1] == "年度"
        [other] = finding.related
        owner, _, level2, indicator = finding.location.logical
        assert other.logical == (owner, "实施期", level2, indicator)
        assert other.line == finding.location.line and other.column < finding.location.column


def test_reference_error_locations(baseline):
    by_value = {f.evidence["value"]: f for f in baseline if f.severity is Severity.ERROR}
    cost = by_value["26400人"]
    line = line_no("就业见习专项经费", "每个人费用标准")
    assert cost.location.line == line
    assert cost.location.column == reference_text().splitlines()[line - 1].rindex("26400人") + 1
    assert cost.location.logical == ("就业见习专项经费", "年度", "成本指标", "每个人费用标准")
    assert cost.message == "成本指标“每个人费用标准”的指标值“26400人”单位为“人”，应为金额（如 5000元、1.5万元、800元/人）"
    residue = by_value["设定个"]
    assert residue.location.logical == (DEPARTMENT, "年度", "数量指标", "工作目标任务设定情况")
    assert residue.related == ()


# --- IND001 value of the wrong kind -------------------------------------------

SCHOOL = "省校合作经费"  # 成本指标 补贴金额 1000元/人 (a good cost)


@pytest.mark.parametrize(
    "value, severity, variant, unit",
    [
        ("1000人", Severity.ERROR, "unit", "人"),
        ("30天", Severity.ERROR, "unit", "天"),
        ("≥12次", Severity.ERROR, "unit", "次"),
        ("1000", Severity.WARNING, "no_unit", None),
        ("1000块", Severity.WARNING, "unit", "块"),
    ],
)
def test_cost_in_a_unit_that_is_not_money(baseline, value, severity, variant, unit):
    finding = only(added(baseline, edit_row(SCHOOL, "补贴金额", "1000元/人", value)))
    assert (finding.code, finding.severity) == ("IND001", severity)
    assert finding.location.line == line_no(SCHOOL, "补贴金额")
    assert finding.location.logical == (SCHOOL, "年度", "成本指标", "补贴金额")
    assert [r.logical[1] for r in finding.related] == ["实施期"]
    if unit:
        assert f"单位为“{unit}”" in finding.message


@pytest.mark.parametrize("value", ["≤1000", "1000块"])
def test_cost_as_a_bare_magnitude_is_an_info_and_other_unknown_units_stay_warnings(baseline, value):
    finding = only(added(baseline, edit_row(SCHOOL, "补贴金额", "1000元/人", value)))
    assert (finding.code, finding.severity) == ("IND001", Severity.WARNING)
    finding = only(added(baseline, edit_row(SCHOOL, "补贴金额", "1000元/人", "≤0.1万")))
    assert (finding.code, finding.severity) == ("IND001", Severity.INFO)  # 万元 with 元 left off: a slip of style
    assert "单位为“万”" in finding.message


def test_cost_given_another_types_word_is_an_error(baseline):
    finding = only(added(baseline, edit_row(SCHOOL, "补贴金额", "1000元/人", "合格")))
    assert (finding.code, finding.severity) == ("IND001", Severity.ERROR)
    assert "是质量指标的用语" in finding.message


def test_cost_given_a_merely_vague_word_is_unquantified_not_of_another_type(baseline):
    finding = only(added(baseline, edit_row(SCHOOL, "补贴金额", "1000元/人", "满意")))
    assert (finding.code, finding.severity) == ("IND003", Severity.WARNING)


@pytest.mark.parametrize("value", ["≤5万元", "2.64万元", "26,400元", "每人1000元", "≤3%", "40万元以内", "≤0.025万美元", "300欧元"])
def test_costs_in_money_are_accepted(baseline, value):
    assert added(baseline, edit_row(SCHOOL, "补贴金额", "1000元/人", value)) == []


def test_quantity_in_money_is_a_warning(baseline):
    text = edit_row("聘用人员工资类经费", "聘用人员数量", "2人", "2万元")
    finding = only(added(baseline, text))
    assert (finding.code, finding.severity) == ("IND001", Severity.WARNING)
    assert "单位为“万元”" in finding.message and "数值加计量单位" in finding.message


def test_quantity_given_a_timeliness_word_is_a_warning(baseline):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "聘用人员数量", "2人", "及时")))
    assert (finding.code, finding.severity) == ("IND001", Severity.WARNING)
    assert "是时效指标的用语" in finding.message


@pytest.mark.parametrize("value, message", [("100元", "单位为“元”"), ("合格", "是质量指标的用语")])
def test_timeliness_of_another_kind_is_a_warning(baseline, value, message):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "工资发放及时性", "及时", value)))
    assert (finding.code, finding.severity) == ("IND001", Severity.WARNING)
    assert message in finding.message


@pytest.mark.parametrize("value", ["2026年12月底前", "12月31日前", "年底前", "按期", "30个工作日", "100%", "每月10日前"])
def test_timeliness_with_a_date_deadline_duration_or_rate_is_accepted(baseline, value):
    assert added(baseline, edit_row("聘用人员工资类经费", "工资发放及时性", "及时", value)) == []


def test_satisfaction_counted_in_people_is_a_warning(baseline):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "聘用人员满意度", "≥95%", "95人")))
    assert (finding.code, finding.severity) == ("IND001", Severity.WARNING)
    assert "带界限的百分比" in finding.message


def test_satisfaction_counting_complaints_is_an_info(baseline):
    text = edit_row("聘用人员工资类经费", "聘用人员满意度", "≥95%", "≤2件")
    finding = only(added(baseline, text))
    assert (finding.code, finding.severity) == ("IND001", Severity.WARNING)  # a count of what?
    renamed = text.replace("聘用人员满意度\t≤2件", "聘用人员投诉数量\t≤2件")
    assert renamed.count("聘用人员投诉数量") == 2
    finding = only(added(baseline, renamed))
    assert (finding.code, finding.severity) == ("IND001", Severity.INFO) and "单位为“件”" in finding.message


def test_wrong_kind_message_in_english(baseline):
    before = lint(reference_text(), select=("IND",), lang="en")
    finding = only(added(before, edit_row(SCHOOL, "补贴金额", "1000元/人", "1000人"), lang="en"))
    assert finding.message == (
        '成本指标 "补贴金额": value "1000人" is in "人"; expected an amount of money (5000元, 1.5万元, 800元/人)'
    )


def test_errors_in_an_uncertain_form_become_warnings(plugins):
    model = budget(reference_text())
    for form in model.forms:
        form.confident = False
    for code in ("IND001", "IND002"):
        findings = run_on(plugins, code, model)
        assert findings and {f.severity for f in findings} == {Severity.WARNING}


# --- IND002 unit without a number ----------------------------------------------


@pytest.mark.parametrize(
    "form, label, old, new",
    [
        ("专家引进、服务专项经费", "外出联系专家次数", "≥2次", "联系次"),
        ("聘用人员工资类经费", "聘用人员满意度", "≥95%", "≥%"),
        ("聘用人员工资类经费", "聘用人员数量", "2人", "X人"),
        ("聘用人员工资类经费", "工资支出", "21.07万元", "万元"),
        ("劳动保障专项经费", "维护系统数量", "≥1个", "维护个"),
    ],
)
def test_unit_without_a_number_is_template_residue(baseline, form, label, old, new):
    finding = only(added(baseline, edit_row(form, label, old, new)))
    assert (finding.code, finding.severity) == ("IND002", Severity.ERROR)
    assert finding.location.line == line_no(form, label)
    assert f"“{new}”只有单位没有数值" in finding.message


@pytest.mark.parametrize("value, code", [("多个", "IND003"), ("若干次", "IND003"), ("各项", "IND003"), ("两个", None)])
def test_quantity_words_are_not_template_residue(baseline, value, code):
    findings = added(baseline, edit_row("劳动保障专项经费", "维护系统数量", "≥1个", value))
    assert [f.code for f in findings] == ([code] if code else [])


# --- IND003 not quantified --------------------------------------------------------


def test_cost_stated_as_a_rule_is_not_quantified(baseline):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "工资支出", "21.07万元", "严格控制")))
    assert (finding.code, finding.severity) == ("IND003", Severity.WARNING)
    assert finding.message.startswith("成本指标“工资支出”的指标值“严格控制”未量化，应为金额")


def test_quantity_without_a_number_is_a_warning(baseline):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "聘用人员数量", "2人", "聘用人员")))
    assert (finding.code, finding.severity) == ("IND003", Severity.WARNING)
    assert "没有数值" in finding.message


def test_vague_timeliness_is_an_info(baseline):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "工资发放及时性", "及时", "尽快")))
    assert (finding.code, finding.severity) == ("IND003", Severity.INFO)
    assert "没有具体时限" in finding.message


@pytest.mark.parametrize("value", ["较满意", "非常满意", "满意"])
def test_satisfaction_as_a_word_is_a_warning(baseline, value):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "聘用人员满意度", "≥95%", value)))
    assert (finding.code, finding.severity) == ("IND003", Severity.WARNING)
    assert "带界限的百分比" in finding.message


def test_vague_quality_target_is_an_info(baseline):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "人员经费保障率", "100%", "提高")))
    assert (finding.code, finding.severity) == ("IND003", Severity.INFO)


def test_qualitative_grade_for_quality_is_accepted(baseline):
    assert added(baseline, edit_row("聘用人员工资类经费", "人员经费保障率", "100%", "优")) == []


# --- IND004 satisfaction rate ---------------------------------------------------


@pytest.mark.parametrize(
    "value, severity, variant_text",
    [
        ("105%", Severity.ERROR, "超过 100%"),
        ("≥105%", Severity.ERROR, "超过 100%"),
        ("95%", Severity.INFO, "没有“≥”等界限"),
    ],
)
def test_satisfaction_rate_over_100_or_unbounded(baseline, value, severity, variant_text):
    finding = only(added(baseline, edit_row("聘用人员工资类经费", "聘用人员满意度", "≥95%", value)))
    assert (finding.code, finding.severity) == ("IND004", severity)
    assert variant_text in finding.message
    assert finding.location.logical == ("聘用人员工资类经费", "年度", "服务对象满意度", "聘用人员满意度")


@pytest.mark.parametrize("value", ["≥90%", "95%以上", "100%", "满意度≥95%", "不低于90%"])
def test_bounded_satisfaction_rates_are_accepted(baseline, value):
    assert added(baseline, edit_row("聘用人员工资类经费", "聘用人员满意度", "≥95%", value)) == []


# --- IND005 empty value ---------------------------------------------------------


def test_indicator_without_a_value_is_reported_once(baseline):
    finding = only(added(baseline, edit_row(SCHOOL, "实习大学生数量", "≥35人", "")))
    assert (finding.code, finding.severity) == ("IND005", Severity.WARNING)
    assert finding.location.logical == (SCHOOL, "年度", "数量指标", "实习大学生数量")
    assert finding.message == "数量指标“实习大学生数量”没有填写指标值"


def test_annual_value_missing_is_empty_and_differs_from_the_whole_period(baseline):
    text = edit_row(SCHOOL, "实习大学生数量", "≥35人", "", periods="annual")
    assert sorted(f.code for f in added(baseline, text)) == ["IND005", "IND007"]


# --- IND006 missing category ------------------------------------------------------

ARCHIVE = "档案数字化后续整理维护费"


def blank_row(form: str, label: str, text: str | None = None) -> str:
    """Empty the 三级 names and values of the row of ``form`` holding ``label``, keeping the 二级 names."""
    text = text or reference_text()
    lines = text.split("\n")
    n = row_index(form, label, text)
    level2 = set(ind.level2_types())
    cells = lines[n].split("\t")
    lines[n] = "\t".join(c if c in level2 or c in ("产出指标", "效益指标", "满意度指标") else "" for c in cells)
    return "\n".join(lines)


@pytest.mark.parametrize(
    "label, category",
    [("档案整理及时性", "时效指标"), ("工作人员满意度", "满意度指标"), ("提高档案管理水平", "效益指标"), ("费用成本", "成本指标")],
)
def test_form_missing_a_category(baseline, label, category):
    finding = only(added(baseline, blank_row(ARCHIVE, label)))
    assert (finding.code, finding.severity) == ("IND006", Severity.WARNING)
    assert finding.location.line == form_start(ARCHIVE, reference_text()) + 1
    assert finding.location.logical == (ARCHIVE, "项目名称")
    assert finding.message == f"绩效目标表“{ARCHIVE}”没有{category}"


def test_one_benefit_of_two_may_go(baseline):
    assert added(baseline, blank_row("干部专项经费", "提高执政能力为全面建设小康社会")) == []


def test_form_with_no_indicators_read_is_not_judged(plugins):
    model = budget(reference_text())
    form = next(f for f in model.forms if f.name == ARCHIVE)
    form.indicators = [i for i in form.indicators if i.level2 != "时效指标"]
    assert [f.evidence["category"] for f in run_on(plugins, "IND006", model)] == ["时效指标"]
    form.indicators = []
    assert run_on(plugins, "IND006", model) == []


# --- IND007 one-year project: 年度 vs 实施期 --------------------------------------

PRINTING = "劳动保障监察印制费"


def test_one_year_project_with_a_different_annual_target(baseline):
    text = edit_row(PRINTING, "印制种类", "≥2种", "≥3种", periods="annual")
    finding = only(added(baseline, text))
    assert (finding.code, finding.severity) == ("IND007", Severity.WARNING)
    assert finding.location.line == line_no(PRINTING, "印制种类")
    assert finding.location.logical == (PRINTING, "年度", "数量指标", "印制种类")
    assert [r.logical[1] for r in finding.related] == ["实施期"]
    assert finding.message == f"一次性项目“{PRINTING}”的数量指标“印制种类”年度指标值“≥3种”与实施期指标值“≥2种”不一致"


def test_differing_bad_values_are_judged_per_period(baseline):
    text = edit_row(PRINTING, "费用成本控制", "控制在年初预算内", "5000人", periods="annual")
    # The 实施期 cell keeps its vague cost, now reported on its own cell.
    assert sorted((f.code, f.location.logical[1]) for f in added(baseline, text)) == [
        ("IND001", "年度"),
        ("IND003", "实施期"),
        ("IND007", "年度"),
    ]


def test_multi_year_project_may_differ_by_year(baseline):
    text = edit_row(PRINTING, "项目属性", "一次性项目(1年结束)", "延续性项目")
    text = edit_row(PRINTING, "项目属性", "1年", "3年", text=text)
    text = edit_row(PRINTING, "印制种类", "≥2种", "≥3种", periods="annual", text=text)
    assert added(baseline, text) == []


def test_one_year_project_with_different_annual_funds(baseline):
    text = edit_row(PRINTING, "年度资金总额", "30,000", "25,000", periods="annual")
    finding = only(added(baseline, text))
    assert (finding.code, finding.severity) == ("IND007", Severity.WARNING)
    assert finding.location.logical == (PRINTING, "年度资金总额")
    assert [r.logical for r in finding.related] == [(PRINTING, "实施期资金总额")]
    assert finding.message == f"一次性项目“{PRINTING}”的年度资金总额 25,000元 与实施期资金总额 30,000元 不一致"


def test_funds_written_differently_but_equal_are_accepted(baseline):
    assert added(baseline, edit_row(PRINTING, "年度资金总额", "30,000", "30000.00", periods="annual")) == []


# --- reading values ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, kind, expected",
    [
        ("≥95%", "satisfaction", None),
        ("26400人", "cost", ("IND001", "unit")),
        ("26400人", "quantity", None),
        ("设定个", "quantity", ("IND002", "default")),
        ("设定个", "cost", ("IND002", "default")),
        ("≥1次", "quantity", None),
        ("三次", "quantity", None),
        ("优秀等次", "social", None),  # a grade (等次), not a count of 次 left unfilled
        ("优秀或第一档等次", "social", None),
        ("及时", "timeliness", ("IND003", "timeliness")),
        ("及时", "cost", ("IND001", "word")),
        ("合规", "cost", ("IND003", "cost")),
        ("控制在年初预算内", "cost", ("IND003", "cost")),
        ("满意", "satisfaction", ("IND003", "satisfaction")),
        ("", "quality", ("IND005", "default")),
        ("稳定", "quality", ("IND003", "vague")),
        ("优", "quality", None),
        ("提高就业率5%", "social", None),
        ("及时完成", "timeliness", ("IND003", "timeliness")),
        ("按时完成", "timeliness", None),
    ],
)
def test_assess(value, kind, expected):
    issue = ind.assess(value, kind)
    assert (None if issue is None else (issue.code, issue.variant)) == expected


def test_reading_numbers_units_and_bounds():
    assert ind.read_value("满意度≥95%").comparator == "≥"
    assert ind.read_value("95%以上").comparator == "以上"
    assert ind.read_value("每人1000元").unit_kind == "money"
    assert ind.read_value("两个").numeric and ind.read_value("两个").unit == "个"
    assert not ind.read_value("区管干部职工").numeric
    assert ind.read_value("2026年12月底前").unit_word == "年"


# --- the real corpus --------------------------------------------------------------


def test_real_corpus_runs_without_errors():
    texts = sorted((SHARED / "corpus" / "real").glob("*.txt")) if SHARED.exists() else []
    if not texts:
        pytest.skip("the shared corpus is not available")
    counts: Counter[str] = Counter()
    for path in texts:
        findings = lint(path.read_text(encoding="utf-8"), select=("IND", "LINT002"), path=path.name)
        assert not [f for f in findings if f.code == "LINT002"], path.name
        assert not [f for f in findings if f.severity is Severity.ERROR], path.name
        counts.update(f.code for f in findings)
    assert set(counts) <= set(CODES)

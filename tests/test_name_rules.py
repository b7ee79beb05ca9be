"""The NAME rules (names that must match across tables and text), run through the real plugin manager.

Most tests inject one defect into the reference document and assert exactly
the new NAME findings it causes, compared with the clean reference; near
misses must cause none.  The reference's own NAME findings are the real
defects listed in ``test_reference_name_findings_are_the_real_defects``.
"""

from __future__ import annotations

import dataclasses

import pytest

from budgetlint.findings import Finding, Severity
from budgetlint.plugins import load_plugins
from budgetlint.rules import RuleContext
from budgetlint_plugins import name as name_plugin
from helpers import REFERENCE, SHARED, assert_rules_registered, budget, inject, lint, new_findings, reference_text

CODES = ("NAME001", "NAME002", "NAME003", "NAME004", "NAME005")


@pytest.fixture(scope="module")
def plugins():
    return load_plugins()


@pytest.fixture(scope="module")
def baseline() -> list[Finding]:
    return lint(reference_text(), select=("NAME",))


def added(baseline: list[Finding], text: str, lang: str = "zh") -> list[Finding]:
    """The NAME findings of ``text`` that the clean reference does not have."""
    return new_findings(baseline, lint(text, select=("NAME",), lang=lang))


def line_with(fragment: str, nth: int = 1, text: str | None = None) -> int:
    """The 1-based line of the ``nth`` line of the reference (or ``text``) containing ``fragment``."""
    lines = [n for n, line in enumerate((text or reference_text()).splitlines(), 1) if fragment in line]
    return lines[nth - 1]


def column_in_line(fragment: str, line: int, text: str | None = None) -> int:
    return (text or reference_text()).splitlines()[line - 1].index(fragment) + 1


def replace_line(line: int, old: str, new: str, text: str | None = None) -> str:
    """The reference with ``old`` replaced by ``new`` on one line (``old`` must be there once)."""
    lines = (text or reference_text()).split("\n")
    assert lines[line - 1].count(old) == 1, (line, old)
    lines[line - 1] = lines[line - 1].replace(old, new)
    return "\n".join(lines)


def run_on(plugins, code: str, model) -> list[Finding]:
    """Run one rule on a (possibly edited) budget model."""
    rule = plugins.rules[code]
    context = RuleContext(document=model.document, rule=rule, lang="zh", budget_factory=lambda: model)
    return list(rule.check(context))


# --- registration ---------------------------------------------------------


def test_name_rules_register_with_messages_and_docs_in_both_languages(plugins):
    assert_rules_registered(plugins, CODES, "name")


# --- the reference document -------------------------------------------------


def test_reference_name_findings_are_the_real_defects(baseline):
    """Judged real: two projects renamed between the 项目支出表 and their forms, amounts agreeing
    (干教专项经费/干部专项经费, 劳动保障监察印刷费/劳动保障监察印制费), and two slips in the department's
    duties as repeated in the department form (招财引智/招才引智, 社会保险/社会险)."""
    found = sorted((f.code, f.severity, f.location.line) for f in baseline)
    duties = line_with("部门职责\t1、负责全区干部")
    assert found == [
        ("NAME001", Severity.ERROR, line_with("项目名称\t\t干部专项经费")),
        ("NAME001", Severity.ERROR, line_with("项目名称\t\t劳动保障监察印制费")),
        ("NAME004", Severity.WARNING, duties),
        ("NAME004", Severity.WARNING, duties),
    ]


def test_reference_project_renames_name_both_places_and_amounts(baseline):
    by_form = {f.evidence["names"]["form"]: f for f in baseline if f.code == "NAME001"}
    cadres = by_form["干部专项经费"]
    assert cadres.location.logical == ("干部专项经费", "项目名称")
    assert cadres.location.column == column_in_line("干部专项经费", cadres.location.line)
    assert [r.line for r in cadres.related] == [line_with("干教专项经费\t30.00")]
    assert cadres.related[0].logical == ("2026年项目支出预算表(本年预算)", "干教专项经费")
    assert "干教专项经费" in cadres.message and "30.00万元" in cadres.message and "300,000元" in cadres.message
    printing = by_form["劳动保障监察印制费"]
    assert [r.line for r in printing.related] == [line_with("劳动保障监察印刷费\t3.00")]
    assert printing.evidence["values"] == {"project": "3.00万元", "form": "30,000元"}


def test_reference_spelling_findings_sit_on_the_odd_spelling(baseline):
    spelling = {f.evidence["phrase"]: f for f in baseline if f.code == "NAME004"}
    duties = line_with("部门职责\t1、负责全区干部")
    dropped = spelling["社会险"]  # 社会保险 is written out elsewhere many times
    assert dropped.evidence["other"] == "社会保险"
    assert (dropped.location.line, dropped.location.column) == (duties, column_in_line("社会险", duties))
    assert dropped.location.logical == ("县(区)级预算部门(单位)整体支出绩效目标申报表", "部门职责")
    related = {r.line for r in dropped.related}
    assert line_with("2. 负责全区劳动就业、社会保险") in related  # the overview's spelling
    assert line_with("\t负责全区劳动就业、社会险") in related  # the same slip in 年度重点任务
    talent = spelling["招才引智等工作"]  # one each: the later one is reported, the other related
    assert talent.evidence["other"] == "招财引智等工作"
    assert [r.line for r in talent.related] == [line_with("招财引智")]


def test_reference_rounding_tails_and_repeated_names_are_not_name_findings(baseline):
    assert all(f.code in CODES for f in baseline)
    assert not any("组织和人力资源部" in f.message for f in baseline)  # group rows are not projects


# --- NAME001 project names ---------------------------------------------------


def test_renamed_form_with_agreeing_amount_is_an_error(baseline):
    text = inject("项目名称\t\t职工技能培训费\t", "项目名称\t\t职工技能培训经费\t")
    [finding] = added(baseline, text)
    assert (finding.code, finding.severity) == ("NAME001", Severity.ERROR)
    assert finding.location.line == line_with("项目名称\t\t职工技能培训经费", text=text)
    assert finding.location.logical == ("职工技能培训经费", "项目名称")
    assert [r.line for r in finding.related] == [line_with("职工技能培训费\t20.00", text=text)]
    assert "“职工技能培训费”（20.00万元）" in finding.message and "200,000元" in finding.message


def test_form_name_cut_at_its_cell_edge_is_a_warning(baseline):
    # The form's name is the start of the project's: the cell was too narrow, not a second name.
    text = inject("项目名称\t\t职工技能培训费\t", "项目名称\t\t职工技能培\t")
    [finding] = added(baseline, text)
    assert (finding.code, finding.severity) == ("NAME001", Severity.WARNING)
    assert finding.location.logical == ("职工技能培", "项目名称")


def test_renamed_project_with_other_amount_is_a_warning(baseline):
    text = inject("职工技能培训费\t20.00\t20.00", "职工技能培训经费\t25.00\t25.00")
    [finding] = added(baseline, text)
    assert (finding.code, finding.severity) == ("NAME001", Severity.WARNING)
    assert "金额也不一致" in finding.message and "25.00万元" in finding.message
    assert [r.line for r in finding.related] == [line_with("职工技能培训经费\t25.00", text=text)]


def test_project_name_message_in_english(baseline):
    text = inject("项目名称\t\t职工技能培训费\t", "项目名称\t\t职工技能培训经费\t")
    [finding] = added(lint(reference_text(), select=("NAME",), lang="en"), text, lang="en")
    assert finding.message.startswith('Project "职工技能培训费" (20.00万元)') and "amounts agree" in finding.message


@pytest.mark.parametrize(
    "old, new",
    [
        ("劳动宣传、农民工接访经费\t5.00", "劳动宣传，农民工接访经费\t5.00"),  # 、 and ， are one mark
        ("专家引进、服务专项经费\t2.00", "专家引进, 服务专项经费\t2.00"),  # half-width comma and a space
        ("职工技能培训费\t20.00", "职工技能 培训费\t20.00"),  # whitespace
        ("聘用人员工资类经费\t21.07", "聘用人员工资类经费\u3000\t21.07"),  # ideographic space
    ],
)
def test_names_equal_after_normalising_are_not_reported(baseline, old, new):
    assert added(baseline, inject(old, new)) == []


def test_project_without_any_counterpart_is_not_a_name_finding(baseline):
    text = inject("职工技能培训费\t20.00\t20.00", "新建信息系统运维费\t20.00\t20.00")
    assert added(baseline, text) == []


def test_two_renamed_projects_are_each_paired_with_their_own_form(baseline):
    text = inject("省校合作经费\t40.00", "省校合作专项经费\t40.00")
    text = inject("人才交流服务工作经费\t4.00", "人才交流服务经费\t4.00", text)
    found = {(f.evidence["names"]["project"], f.evidence["names"]["form"], f.severity) for f in added(baseline, text)}
    assert found == {
        ("省校合作专项经费", "省校合作经费", Severity.ERROR),
        ("人才交流服务经费", "人才交流服务工作经费", Severity.ERROR),
    }


def test_matching_is_optimal_not_greedy():
    # Greedy would pair row 0 with column 0 (0.9) and leave row 1 alone; the optimum pairs both.
    assert name_plugin.max_weight_matching([[0.9, 0.8], [0.85, 0.0]]) == [(0, 1), (1, 0)]
    assert name_plugin.max_weight_matching([[0.0, 0.7, 0.0]]) == [(0, 1)]
    assert name_plugin.max_weight_matching([[0.5], [0.9], [0.0]]) == [(1, 0)]
    assert name_plugin.max_weight_matching([[0.0, 0.0], [0.0, 0.0]]) == []


def test_amount_agreement_decides_between_equally_similar_names(plugins):
    model = budget(reference_text())
    form = next(f for f in model.forms if f.name == "干部专项经费")
    cadre = next(p for p in model.projects if p.name == "干教专项经费")
    # A second unmatched project, as close in name to the form but with another amount.
    model.projects.append(dataclasses.replace(cadre, name="干警专项经费", amount=model.projects[0].amount))
    findings = [f for f in run_on(plugins, "NAME001", model) if f.evidence["names"]["form"] == form.name]
    assert [f.evidence["names"]["project"] for f in findings] == ["干教专项经费"]


@pytest.mark.parametrize(
    "a, b, near",
    [
        ("干教专项经费", "干部专项经费", True),
        ("劳动保障监察印刷费", "劳动保障监察印制费", True),
        ("干部教育培训专项经费", "干部教育培训经费", True),
        ("劳动保障监察专项经费", "劳动保障专项经费", True),  # near, but both have their own form in practice
        ("职工技能培训费", "人才交流服务工作经费", False),
        ("档案专项经费", "见习专项补贴", False),  # edits everywhere
        ("A", "B", False),
    ],
)
def test_name_similarity(a, b, near):
    assert (name_plugin.name_similarity(a, b) is not None) is near


def test_uncertain_structure_downgrades_the_error(plugins):
    model = budget(reference_text())
    for form in model.forms:
        form.confident = False
    findings = run_on(plugins, "NAME001", model)
    assert len(findings) == 2 and {f.severity for f in findings} == {Severity.WARNING}


def test_form_without_funds_is_reported_with_amounts_unknown(plugins):
    model = budget(reference_text())
    next(f for f in model.forms if f.name == "干部专项经费").funds.clear()
    finding = next(f for f in run_on(plugins, "NAME001", model) if f.evidence["names"]["form"] == "干部专项经费")
    assert finding.severity is Severity.WARNING and "金额无法比较" in finding.message


# --- NAME002 one code, two names -----------------------------------------------

ROW = "2013250\t事业运行\t108.37\t108.37\t\n"


def test_code_named_differently_in_one_table_is_reported_there(baseline):
    text = inject(ROW, ROW.replace("事业运行", "行政运行"), count=2)  # the 支出总表 and the 一般公共预算支出表
    text = inject("2013250\t行政运行\t108.37\t108.37\t\n", ROW, text=text, count=2)
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("2013250")]
    text = replace_line(lines[1], "事业运行", "行政运行", text)  # only the 预算支出总表
    [finding] = added(baseline, text)
    assert (finding.code, finding.severity) == ("NAME002", Severity.ERROR)
    assert finding.location.line == lines[1]
    assert finding.location.logical == ("2026年预算支出总表", "行政运行")
    assert sorted(r.line for r in finding.related) == [lines[0], lines[2]]
    assert finding.message == (
        "科目编码 2013250 在“2026年预算支出总表”中名为“行政运行”，"
        "在“2026年预算收入总表、2026年一般公共预算支出预算表(不含上年结转)”中名为“事业运行”"
    )


def test_code_name_majority_decides_which_place_is_reported(baseline):
    text = inject(ROW, ROW.replace("事业运行", "行政运行"), count=2)
    [finding] = added(baseline, text)
    first = line_with("2013250\t事业运行")
    assert finding.location.line == first  # 事业运行 is now the odd name, in the 预算收入总表 only
    assert "“事业运行”" in finding.message and "“行政运行”" in finding.message


def test_code_names_differing_in_width_or_spacing_only_are_not_reported(baseline):
    text = inject(ROW, ROW.replace("事业运行", "事业 运行"), count=2)
    assert added(baseline, text) == []


def test_a_code_name_cut_at_its_cell_edge_is_not_another_name(baseline):
    # 北京 tables lose the second line of a wrapped name cell: 事业运 for 事业运行 is no naming slip.
    assert added(baseline, inject(ROW, ROW.replace("事业运行", "事业运"), count=2)) == []
    assert [f.code for f in added(baseline, inject(ROW, ROW.replace("事业运行", "事业运营"), count=2))] == ["NAME002"]


def test_code_with_two_names_inside_one_table_is_left_alone(baseline):
    # The 预算收入总表 now gives 2013250 to two rows: a misread code column, not a naming slip.
    text = inject("2013299\t其他组织事务支出\t1339.73\t1339.73\t\t\t\t\t", "2013250\t其他组织事务支出\t1339.73\t1339.73\t\t\t\t\t")
    assert [f for f in added(baseline, text) if f.code == "NAME002"] == []


def test_code_names_in_an_uncertain_table_are_a_warning(plugins):
    model = budget(inject(ROW, ROW.replace("事业运行", "行政运行"), count=2))
    table = model.tables_of("income_summary")[0]
    table.table = dataclasses.replace(table.table, confidence=0.5)
    [finding] = run_on(plugins, "NAME002", model)
    assert finding.severity is Severity.WARNING


# --- NAME003 classification named differently in the text -------------------------

SPENDING = "、社会保障和就业支出24.09万元、"


def test_classification_with_a_character_misspelt_in_the_narrative_is_a_warning(baseline):
    text = inject(SPENDING, "、社会保障和就叶支出24.09万元、")
    [finding] = added(baseline, text)
    assert (finding.code, finding.severity) == ("NAME003", Severity.WARNING)
    assert finding.location.line == line_with("社会保障和就叶支出", text=text)


def test_classification_misnamed_in_the_narrative(baseline):
    text = inject(SPENDING, "、社会保障与就业支出24.09万元、")
    [finding] = added(baseline, text)
    line = line_with("社会保障与就业支出", text=text)
    assert (finding.code, finding.severity) == ("NAME003", Severity.INFO)  # 与 for 和: wording
    assert (finding.location.line, finding.location.column) == (line, column_in_line("社会保障与就业支出", line, text))
    assert finding.location.end_column == finding.location.column + len("社会保障与就业支出")
    assert finding.message == "说明文字中的“社会保障与就业支出”与表格中的科目名称“社会保障和就业支出”不一致"
    assert "社会保障和就业支出" in reference_text().splitlines()[finding.related[0].line - 1]


def test_classification_misnamed_twice_is_one_finding_with_both_places(baseline):
    text = inject(SPENDING, "、社会保障与就业支出24.09万元、")
    text = inject("；社会保障和就业支出24.09万元", "；社会保障与就业支出24.09万元", text)
    [finding] = added(baseline, text)
    second = line_with("；社会保障与就业支出", text=text)
    assert finding.location.line == line_with("社会保障与就业支出", text=text)
    assert second in [r.line for r in finding.related]


@pytest.mark.parametrize(
    "new",
    [
        "、社会保障和就业支出24.09万元、",  # exact (control)
        "、社会保障和就业支24.09万元、",  # cut short at an edge: a wrapped line, not a spelling
        "、主要用于社会保障与就业支出方面24.09万元、",  # inside a longer phrase: not a whole name
        "、社会保障和就业支出类24.09万元、",  # the whole name plus a character
    ],
)
def test_classification_near_misses_in_the_narrative(baseline, new):
    assert [f for f in added(baseline, inject(SPENDING, new)) if f.code == "NAME003"] == []


def test_narrative_name_with_a_numeral_difference_is_not_a_misspelling():
    assert name_plugin.near_label("行政事业单位养老支出", ["行政事业单位养老支出"], set()) is None
    assert name_plugin.near_label("第二一般公共服务", ["第一一般公共服务"], set()) is None
    assert name_plugin.near_label("其它行政事业单位养老支出", ["其他行政事业单位养老支出"], set()) == "其他行政事业单位养老支出"


def test_a_name_running_on_into_its_sentence_is_not_a_misspelling(baseline):
    # 公务用车购置为0: the stem of 公务用车购置费 followed by 为, not a misspelled name
    text = inject("本部门无“三公”经费预算。", "本部门无“三公”经费预算，公务用车购置为0。")
    assert [f for f in added(baseline, text) if f.code == "NAME003"] == []


WIDE_THREE_PUBLIC = """# 某部门2025年度部门预算

## 2025年部门“三公”经费和机关运行经费预算表

单位：万元

“三公”经费预算数\t\t\t\t\t\t机关运行经费预算数
合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\t\t\t
\t\t\t小计\t购置费\t运行费\t
0.95\t\t0.95\t\t\t\t229.43

## 其他相关情况说明

（二）公务车购置及运行费0万元，与2024年预算一致。
"""


def test_a_column_of_a_one_row_table_is_a_name_the_narrative_must_match():
    # the 三公 items of a one-row table are its columns; a fragment header (运行费) is no name
    [finding] = lint(WIDE_THREE_PUBLIC, select=("NAME003",))
    assert finding.message == "说明文字中的“公务车购置及运行费”与表格中的科目名称“公务用车购置及运行费”不一致"
    assert finding.related[0].logical == ("2025年部门“三公”经费和机关运行经费预算表", "“三公”经费预算数/公务用车购置及运行费/小计")


# --- NAME004 one term spelled two ways ---------------------------------------


def form_goal_line(text: str) -> int:
    return line_with("总体目标\t按照年初计划,将干部人事档案工作", text=text)


def test_typo_in_a_repeated_form_cell_is_reported_on_the_rare_spelling(baseline):
    line = form_goal_line(reference_text())
    cells = [c for c in reference_text().splitlines()[line - 1].split("\t") if c]
    goal = cells[1]
    assert cells == ["总体目标", goal, goal]  # the 实施期 and 年度 columns repeat the goal
    text = replace_line(line, "\t\t\t" + goal, "\t\t\t" + goal.replace("做好档案数字化工作", "做好档案数子化工作"))
    [finding] = added(baseline, text)
    assert (finding.code, finding.severity) == ("NAME004", Severity.WARNING)
    assert finding.evidence["phrase"] == "做好档案数子化工作" and finding.evidence["other"] == "做好档案数字化工作"
    assert finding.location.line == line
    assert finding.location.column == column_in_line("做好档案数子化工作", line, text)
    assert line in [r.line for r in finding.related]  # the 实施期 cell of the same row
    assert "（相邻内容：“规范化”）" in finding.message
    assert finding.message.startswith("“做好档案数子化工作”疑为“做好档案数字化工作”之误")


def test_two_spellings_as_frequent_are_both_suspect(baseline):
    # The reference document writes 招财引智 once and 招才引智 once: which one slipped, counts cannot tell.
    [finding] = [f for f in baseline if f.code == "NAME004" and "引智" in f.evidence["phrase"]]
    assert {finding.evidence["phrase"], finding.evidence["other"]} == {"招财引智等工作", "招才引智等工作"}
    assert "疑为" not in finding.message and "两处必有一处有误" in finding.message


def test_typo_in_the_overview_list_is_reported(baseline):
    text = inject("职称评聘、人事档案、招财引智", "职称评骋、人事档案、招财引智")
    [finding] = added(baseline, text)
    assert finding.code == "NAME004"
    places = {finding.location.line, *(r.line for r in finding.related)}
    assert places == {line_with("职称评骋", text=text), line_with("部门职责\t1、负责全区干部", text=text)}
    assert {finding.evidence["phrase"], finding.evidence["other"]} == {"职称评骋", "职称评聘"}


def test_spelling_not_in_the_same_list_is_not_reported(baseline):
    # The same typo in an unrelated list has no neighbour in common with 职称评聘.
    text = inject("下设部门有：综合办公室、干部科", "下设部门有：综合办公室、职称评骋、干部科")
    assert added(baseline, text) == []


def test_known_vocabulary_pairs_are_not_spelling_variants(baseline):
    text = inject(
        "### 二、机构设置情况",
        "产出指标包括数量指标、时效指标、成本指标。\n\n另设质量指标、时效指标、成本指标。\n\n### 二、机构设置情况",
    )
    assert added(baseline, text) == []


@pytest.mark.parametrize(
    "a, b, variant",
    [
        ("社会保险", "社会险", True),
        ("招财引智等工作", "招才引智等工作", True),
        ("社区事务受理", "社区事物受理", True),
        ("第一部分预算", "第二部分预算", False),  # a numeral
        ("本年预算安排", "上年预算安排", False),  # a period
        ("省级财政资金", "市级财政资金", False),  # a level
        ("教育公民自觉地遵守宪法", "教育公民自觉遵守宪法", False),  # a function word dropped
        ("机构设置及预算单位", "机构设置和预算单位", False),  # function words swapped
        ("2018年预算表", "2018年度预算表", False),  # 年 / 年度
        ("预算A表", "预算B表", False),  # not a Chinese character
        ("财政拨款结余", "非财政拨款结余", False),  # a negation: another term
    ],
)
def test_spelling_difference(a, b, variant):
    assert name_plugin._spelling_difference(a, b) is variant


def test_phrases_cut_at_a_line_end_are_not_spelling_variants(baseline):
    # A wrapped line leaves 其他商品和服务支 at the end of one paragraph: a cut, not a spelling.
    text = inject(
        "### 二、机构设置情况",
        "支出包括办公费、其他商品和服务支出、差旅费等。\n\n主要用于办公费、其他商品和服务支\n\n### 二、机构设置情况",
    )
    assert added(baseline, text) == []


def test_list_numbers_are_no_shared_context(baseline):
    text = inject(
        "### 二、机构设置情况",
        "一、部门主要职能\n\n一、部门主要职责\n\n### 二、机构设置情况",
    )
    assert added(baseline, text) == []


def test_one_edit_pairs_finds_each_pair_once():
    phrases = {t: [] for t in ("社会保险", "社会险", "社会保险费", "劳动就业")}
    assert sorted(name_plugin.one_edit_pairs(phrases)) == [("社会保险", "社会保险费"), ("社会保险", "社会险")]


# --- the real corpus ------------------------------------------------------------


def test_real_corpus_runs_without_errors_from_uncertain_structure():
    texts = sorted((SHARED / "corpus" / "real").glob("*.txt")) if SHARED.exists() else []
    if not texts:
        pytest.skip("the shared corpus is not available")
    for path in texts:
        findings = lint(path.read_text(encoding="utf-8"), select=("NAME", "LINT002"), path=path.name)
        assert not [f for f in findings if f.code == "LINT002"], path.name
        assert not [f for f in findings if f.severity is Severity.ERROR], path.name


def test_reference_copy_matches_the_shared_corpus():
    shared = SHARED / "corpus" / "shuozhou-devzone-hr-2026-budget.txt"
    if not shared.exists():
        pytest.skip("the shared corpus is not available")
    assert shared.read_text(encoding="utf-8") == REFERENCE.read_text(encoding="utf-8")


def test_list_labels_are_not_spelling_variants(baseline):
    # 目标5 and 指标5 number items of two lists side by side; they are labels, not one word spelt twice
    text = inject(
        "### 二、机构设置情况",
        "目标1、目标5、完成情况。\n\n指标1、指标5、完成情况。\n\n### 二、机构设置情况",
    )
    assert added(baseline, text) == []

"""The DOC (structure, completeness, metadata) rules, on the reference document and injected defects.

Every injection test compares against the clean reference and asserts exactly
the DOC findings the defect adds (code, severity, line, logical path); line
numbers are looked up in the injected text itself.
"""

from __future__ import annotations

import string
from functools import cache

import pytest

from budgetlint.budget.vocabulary import compile_pattern, pack
from budgetlint.catalogue import LANGUAGES
from budgetlint.findings import Finding
from budgetlint.plugins import load_plugins
from helpers import (
    REAL,
    SHARED,
    assert_rules_registered,
    budget,
    document,
    inject,
    line_of,
    lint,
    new_findings,
    reference_text,
    row,
)

CODES = tuple(f"DOC00{n}" for n in range(1, 10))
TITLE = "## 2026年度部门预算公开"
THREE_PUBLIC_TITLE = "2026年财政拨款安排“三公”经费支出预算表"
ADMIN_TITLE = "2026年财政拨款安排机关运行经费预算表"
CARRYOVER_TITLE = "## 2026年项目支出预算表（上年结转）"
PROJECT_TITLE = "## 2026年项目支出预算表（本年预算）"


@cache
def before() -> tuple[Finding, ...]:
    return tuple(lint(reference_text(), select=("DOC",)))


def doc_findings(text: str) -> list[Finding]:
    return lint(text, select=("DOC",))


def added(text: str) -> list[tuple[str, str, int | None, tuple[str, ...]]]:
    """The DOC findings ``text`` has and the reference has not: (code, severity, line, logical path)."""
    found = new_findings(list(before()), doc_findings(text))
    return sorted((f.code, f.severity.value, f.location.line, f.location.logical) for f in found)


def cut(start: str, end: str, text: str | None = None) -> str:
    """``text`` (default the reference) without everything from ``start`` up to (not including) ``end``."""
    source = reference_text() if text is None else text
    assert source.count(start) == 1 and source.count(end) == 1, (start, end)
    a, b = source.index(start), source.index(end)
    assert a < b
    return source[:a] + source[b:]


def toc_line(title: str, page: int) -> str:
    return f"{title}.....\t{page}\n"


def without_three_public_table(text: str | None = None) -> str:
    text = cut(THREE_PUBLIC_TITLE + "\n", ADMIN_TITLE + "\n", text)
    return inject(toc_line("表十" + THREE_PUBLIC_TITLE, 12), "", text)


# --- registration and catalogue ---------------------------------------------


def test_doc_rules_register_with_complete_docs():
    plugins = load_plugins()
    assert_rules_registered(plugins, CODES, "doc")
    assert all(plugins.rules[code].title[lang] for code in CODES for lang in LANGUAGES)
    assert plugins.rules["DOC006"].severity.value == "info"


def test_every_residue_variant_has_a_message_and_every_pack_pattern_compiles():
    rule = load_plugins().rules["DOC008"]
    vocab = pack("doc.toml")
    for n, entry in enumerate(vocab["residue"]):
        assert entry["variant"] in rule.messages, entry
        fields = {f for _, f, _, _ in string.Formatter().parse(rule.messages[entry["variant"]]["en"]) if f}
        assert fields <= {"text", "context"}
        compile_pattern(entry["pattern"], f"residue[{n}]")
    for entry in vocab["toc"]["numbering"]:
        compile_pattern(entry["pattern"], "toc.numbering")
    for note in vocab["empty_tables"]["notes"]:
        compile_pattern(note, "empty_tables.notes")


# --- the reference document ---------------------------------------------------


def test_reference_findings_are_exactly_the_three_real_defects():
    """Judged by hand: the 2024 procurement catalogue heading in a 2026 budget (a reviewer should confirm
    it is still in force), 本单位 in a 部门预算, and the 部门基本信息 form's 内设职能部门数 1个 against the
    four 下设部门 the overview lists.  Every TOC entry has its heading, every empty table carries
    注：本表无数据, and every required table and section is there."""
    text = reference_text()
    found = sorted((f.code, f.severity.value, f.location.line, f.location.logical) for f in before())
    assert found == [
        ("DOC003", "warning", line_of(text, "## 2024年集中采购目录及采购限额标准"), ("2024年集中采购目录及采购限额标准",)),
        ("DOC007", "info", line_of(text, "本单位无机关运行经费。"), ()),
        ("DOC009", "warning", line_of(text, "内设职能部门数\t1个"), ()),
    ]
    year = next(f for f in before() if f.code == "DOC003")
    assert year.location.column == 4  # the year itself, after "## "
    assert "2024" in year.message and "2026" in year.message


def test_reference_messages_in_english():
    found = {f.code: f.message for f in lint(reference_text(), select=("DOC",), lang="en")}
    assert found["DOC007"] == 'This 部门预算 says "本单位" where it means "本部门": "本单位无机关运行经费。"'
    assert found["DOC003"].startswith("Title names the year 2024, not the 部门预算 year 2026")


def test_non_budget_documents_get_no_doc_findings():
    text = "# 工作总结\n\nXX单位2025年工作总结，主要原因是。\n\n# 目录\n\n一、概况.....\t1\n"
    assert not budget(text).is_budget
    assert doc_findings(text) == []


# --- DOC001 required tables ---------------------------------------------------


def test_missing_three_public_table_is_an_error():
    text = without_three_public_table()
    assert added(text) == [
        ("DOC001", "error", line_of(text, TITLE), ("部门预算", "“三公”经费支出表")),
    ]


def test_missing_admin_running_table_is_a_warning():
    text = cut(ADMIN_TITLE + "\n", PROJECT_TITLE + "\n")
    text = inject(toc_line("表十一" + ADMIN_TITLE, 13), "", text)
    text = text.replace("机关运行经费", "公用运行经费")  # and no narrative passage on the topic either
    assert [f for f in added(text) if f[0] in ("DOC001", "DOC002")] == [
        ("DOC001", "warning", line_of(text, TITLE), ("部门预算", "机关运行经费表")),
        ("DOC002", "warning", line_of(text, TITLE), ("部门预算", "机关运行经费")),
    ]


def test_a_narrative_section_on_admin_running_costs_stands_for_the_table():
    """Templates (Beijing's, Guangdong's) explain 机关运行经费 in the narrative and publish no table for it."""
    text = cut(ADMIN_TITLE + "\n", PROJECT_TITLE + "\n")
    text = inject(toc_line("表十一" + ADMIN_TITLE, 13), "", text)
    assert "本单位无机关运行经费。" in text
    assert [f for f in added(text) if f[0] == "DOC001"] == []


def test_a_combined_three_public_and_admin_running_table_counts_for_both():
    combined = "2026年财政拨款安排“三公”经费和机关运行经费预算表"
    text = cut(ADMIN_TITLE + "\n", PROJECT_TITLE + "\n")
    text = inject(toc_line("表十一" + ADMIN_TITLE, 13), "", text)
    text = inject(THREE_PUBLIC_TITLE + "\n", combined + "\n", text)
    text = inject("表十" + THREE_PUBLIC_TITLE, "表十" + combined, text)
    assert added(text) == []


def test_missing_table_still_listed_in_the_toc_is_reported_twice():
    text = cut(THREE_PUBLIC_TITLE + "\n", ADMIN_TITLE + "\n")
    toc = "表十" + THREE_PUBLIC_TITLE
    assert added(text) == sorted([
        ("DOC001", "error", line_of(text, TITLE), ("部门预算", "“三公”经费支出表")),
        ("DOC005", "warning", line_of(text, toc), ("目录", toc)),
    ])


def test_required_tables_follow_the_document_kind():
    # A 决算 needs no 机关运行经费 table, and names the 三公 table as a 决算表.
    final = "## 2026年度部门决算公开"
    text = cut(ADMIN_TITLE + "\n", PROJECT_TITLE + "\n")
    text = inject(toc_line("表十一" + ADMIN_TITLE, 13), "", text)
    text = inject(TITLE, final, text)
    assert budget(text).metadata.kind == "部门决算"
    assert [f for f in added(text) if f[0] == "DOC001"] == []
    text = without_three_public_table(inject(TITLE, final))
    assert [f for f in added(text) if f[0] == "DOC001"] == [
        ("DOC001", "error", line_of(text, final), ("部门决算", "“三公”经费支出决算表")),
    ]


def test_a_table_named_by_a_title_line_counts_as_present():
    # The 三公 table's rows are gone but its title is still in the body: the table may be
    # there unrecognised, so nothing is reported as missing.
    start = "项目\t2026年预算数\t\t\t\n\t合计"
    text = cut(start, "注：本表无数据\n\n" + ADMIN_TITLE)
    assert not any(t.kind == "three_public" for t in budget(text).tables)
    assert [f for f in added(text) if f[0] == "DOC001"] == []


PLAIN = """某局2026年度部门预算公开

2026年预算收入总表
单位：万元
项目        合计        一般公共预算
合计        100.00        100.00
一般公共服务支出        100.00        100.00
"""


def test_missing_tables_are_warnings_when_structure_is_inferred():
    model = budget(PLAIN)
    assert model.metadata.kind == "部门预算" and model.tables
    assert all(not t.confident for t in model.tables)
    found = [f for f in doc_findings(PLAIN) if f.code == "DOC001"]
    assert found and {f.severity.value for f in found} == {"warning"}
    assert "收入总表" not in {f.location.logical[1] for f in found}
    marked = PLAIN.replace("        ", "\t")
    assert {f.severity.value for f in doc_findings(marked) if f.code == "DOC001"} == {"error", "warning"}


# --- DOC002 required narrative sections ---------------------------------------


def test_glossary_definition_does_not_explain_admin_running_costs():
    text = cut("## 八、机关运行经费增减变动原因说明", "## 九、政府采购情况")
    toc = "八、机关运行经费增减变动原因说明"
    assert added(text) == sorted([
        ("DOC002", "warning", line_of(text, TITLE), ("部门预算", "机关运行经费")),
        ("DOC005", "warning", line_of(text, toc), ("目录", toc)),
    ])


def test_a_heading_run_into_its_first_sentence_still_explains():
    # PDFs run a heading naming a table into the sentence after it; that is prose, not a table title.
    text = cut("## 八、机关运行经费增减变动原因说明", "## 九、政府采购情况")
    text = inject("## 九、政府采购情况", "八、机关运行经费预算表说明本部门无机关运行经费。\n\n## 九、政府采购情况", text)
    toc = "八、机关运行经费增减变动原因说明"
    assert added(text) == [("DOC005", "warning", line_of(text, toc), ("目录", toc))]


def test_missing_state_assets_section():
    text = cut("## 十一、国有资产占有使用情况", "## 十二、其他说明")
    toc = "十一、国有资产占有使用情况"
    assert added(text) == sorted([
        ("DOC002", "warning", line_of(text, TITLE), ("部门预算", "国有资产占有使用情况")),
        ("DOC005", "warning", line_of(text, toc), ("目录", toc)),
    ])


def test_a_section_mentioned_only_in_the_toc_is_missing():
    # Removing the procurement section and the other mentions leaves only the TOC entry.
    text = cut("## 九、政府采购情况", "## 十、绩效管理情况")
    text = inject("在山西省政府采购电子卖场，", "在电子卖场，", text)
    text = inject("财政部《政府采购品目分类目录》", "财政部《品目分类目录》", text)
    toc = "九、政府采购情况"
    assert added(text) == sorted([
        ("DOC002", "warning", line_of(text, TITLE), ("部门预算", "政府采购情况")),
        ("DOC005", "warning", line_of(text, toc), ("目录", toc)),
    ])


def test_published_performance_forms_explain_performance():
    # Without the 绩效管理情况 section (and the one other mention, 绩效工资), the forms still cover it.
    text = cut("## 十、绩效管理情况", "## 县(区)级预算部门(单位)整体支出绩效目标申报表")
    text = inject("其他工资福利支出、绩效工资、", "其他工资福利支出、", text)
    assert budget(text).forms
    toc = "十、绩效管理情况"
    assert added(text) == [("DOC005", "warning", line_of(text, toc), ("目录", toc))]


# --- DOC003 years in titles ---------------------------------------------------


def test_heading_with_last_years_table():
    text = inject("## 2026年预算收入总表", "## 2025年预算收入总表")
    text = inject("表二2026年预算收入总表", "表二2025年预算收入总表", text)
    line = line_of(text, "## 2025年预算收入总表")
    assert added(text) == [("DOC003", "warning", line, ("2025年预算收入总表",))]
    finding = next(f for f in doc_findings(text) if f.location.line == line)
    assert finding.location.column == 4
    assert finding.message == "标题中的年份 2025 与部门预算年度 2026 不一致：“2025年预算收入总表”"


def test_table_title_paragraph_with_another_year():
    old = "\n2026年政府性基金预算收入表（不含上年结转）\n"
    text = inject(old, old.replace("2026", "2027"))
    text = inject("表七2026年政府性基金", "表七2027年政府性基金", text)
    title = "2027年政府性基金预算收入表（不含上年结转）"
    assert added(text) == [("DOC003", "warning", line_of(text, "\n" + title) + 1, ("2027年政府性基金预算收入表(不含上年结转)",))]


@pytest.mark.parametrize(
    "old, new",
    [
        ("## 2026年预算收入总表", "## 2026年预算收入总表（与2025年对比）"),  # names the budget year too
        ("### 1、车辆情况：", "### 1、截至2025年12月31日车辆情况："),  # a date
        ("## 十二、其他说明", "## 十二、其他说明（2021-2025年规划）"),  # a range
        ("截至2025年12月31日，朔州经济开发区组织和人力资源部使用的", "截至2025年底，朔州经济开发区组织和人力资源部使用的"),  # prose
    ],
)
def test_years_that_are_not_reported(old, new):
    assert added(inject(old, new)) == []


# --- DOC004 notes on empty tables ---------------------------------------------


def test_empty_table_without_note_that_the_narrative_explains():
    # the narrative's section 七 says 本部门无“三公”经费预算: the empty 三公 table misleads no one
    old = "合计\t\t\t\t\n\n注：本表无数据\n\n" + ADMIN_TITLE
    text = inject(old, "合计\t\t\t\t\n\n" + ADMIN_TITLE)
    assert added(text) == [("DOC004", "info", line_of(text, "\n" + THREE_PUBLIC_TITLE) + 1, (THREE_PUBLIC_TITLE,))]
    (finding,) = [f for f in lint(text, select=("DOC004",), lang="en") if f.severity.value == "info"]
    assert finding.message.endswith('the narrative says "无“三公”经费"')
    assert finding.related[0].line == line_of(text, "本部门无“三公”经费预算")


def test_empty_table_without_note_that_the_narrative_states_as_zero():
    text = inject("本部门无“三公”经费预算。", "本部门2026年“三公”经费预算为0万元。")
    text = inject("合计\t\t\t\t\n\n注：本表无数据\n\n" + ADMIN_TITLE, "合计\t\t\t\t\n\n" + ADMIN_TITLE, text)
    (finding,) = [f for f in lint(text, select=("DOC004",), lang="en") if f.location.logical == (THREE_PUBLIC_TITLE,)]
    assert finding.severity.value == "info" and finding.message.endswith('the narrative says "“三公”经费预算为0万元"')


def test_empty_table_without_note_nor_explanation():
    text = inject("本部门无“三公”经费预算。", "本部门“三公”经费预算情况见下表。")
    text = inject("合计\t\t\t\t\n\n注：本表无数据\n\n" + ADMIN_TITLE, "合计\t\t\t\t\n\n" + ADMIN_TITLE, text)
    assert added(text) == [("DOC004", "warning", line_of(text, "\n" + THREE_PUBLIC_TITLE) + 1, (THREE_PUBLIC_TITLE,))]


def test_an_empty_table_over_two_pages_is_explained_by_the_note_after_its_last():
    # 烟台: the title repeats over each page of the table, and the note (2026年没有使用财政拨款收入和支出) follows the last
    rows = [row("项目", "预算数", "项目", "预算数"), row("一、一般公共预算收入", "", "一、一般公共服务支出", "")]
    last = [row("项目", "预算数", "项目", "预算数"), row("本年收入合计", "", "本年支出合计", ""), "", "注：本表无数据"]
    text = document(("财政拨款收支总体情况表", rows), ("财政拨款收支总体情况表", last))
    assert lint(text, select=("DOC004",)) == []
    assert len(lint(text.replace("注：本表无数据", ""), select=("DOC004",))) == 2


def test_header_only_table_without_note():
    old = "1\t2\t3\t4\t5\n\n注：本表无数据\n"
    text = inject(old, "1\t2\t3\t4\t5\n\n")
    title = "2026年项目支出预算表(上年结转)"
    assert added(text) == [("DOC004", "warning", line_of(text, CARRYOVER_TITLE), (title,))]


def test_a_table_whose_columns_were_not_read_is_not_judged_empty():
    # A header-only table whose headers name no known column: its emptiness may be a reading failure.
    old = "项目名称\t合计\t2026年财政拨款\t\t\n\t\t一般公共预算\t政府性基金预算\t国有资本经营预算\n1\t2\t3\t4\t5\n\n注：本表无数据\n"
    text = inject(old, "收入\t支出\n\n")
    model = budget(text)
    table = next(t for t in model.tables if t.title == "2026年项目支出预算表(上年结转)")
    assert not table.has_data and table.empty_note is None
    assert added(text) == []


def test_zero_filled_table_without_note():
    rows = "因公出国（境）费\t\t\t\t\n公务接待费\t\t\t\t\n"
    text = inject(rows, "因公出国（境）费\t0.00\t0.00\t\t\n公务接待费\t0.00\t0.00\t\t\n")
    text = inject("合计\t\t\t\t\n\n注：本表无数据\n\n" + ADMIN_TITLE, "合计\t0.00\t0.00\t\t\n\n" + ADMIN_TITLE, text)
    assert [f[0] for f in added(text)] == ["DOC004"]


@pytest.mark.parametrize(
    "note",
    ["注：本部门无“三公”经费预算。", "说明：此表为空。", "注：本部门不涉及“三公”经费。"],
)
def test_other_wordings_of_the_note(note):
    old = "合计\t\t\t\t\n\n注：本表无数据\n\n" + ADMIN_TITLE
    assert added(inject(old, f"合计\t\t\t\t\n\n{note}\n\n" + ADMIN_TITLE)) == []


def test_note_before_the_table_counts():
    old = "合计\t\t\t\t\n\n注：本表无数据\n\n" + ADMIN_TITLE
    text = inject(old, "合计\t\t\t\t\n\n" + ADMIN_TITLE)
    text = inject(THREE_PUBLIC_TITLE + "\n", THREE_PUBLIC_TITLE + "\n\n注：本表无数据\n", text)
    assert added(text) == []


def test_a_neighbouring_tables_note_does_not_count():
    # The admin-running table's own note is removed; the 三公 note just before its title must not count.
    old = "部门合计\t\t\t\t\n\n注：本表无数据\n"
    text = inject(old, "部门合计\t\t\t\t\n\n")
    assert added(text) == [("DOC004", "info", line_of(text, "\n" + ADMIN_TITLE) + 1, (ADMIN_TITLE,))]


# --- DOC005 / DOC006 table of contents ---------------------------------------------


def test_toc_entry_whose_heading_was_renamed():
    text = inject("## 九、政府采购情况", "## 九、政府采购预算情况")
    toc = "九、政府采购情况"
    assert added(text) == [("DOC005", "warning", line_of(text, toc + "....."), ("目录", toc))]


def test_toc_entry_without_any_body_section():
    text = inject("## 第四部分 名词解释", "## 附录")
    assert added(text) == [("DOC005", "warning", line_of(text, "第四部分 名词解释....."), ("目录", "第四部分 名词解释"))]


@pytest.mark.parametrize(
    "old, new",
    [
        ("## 九、政府采购情况", "## 9. 政府采购情况"),  # other numbering
        ("## 九、政府采购情况", "## 九、政府采购情况："),  # punctuation
        ("## 第二部分 2026年部门预算报表", "## 预算报表"),  # a group whose tables are all there
        ("表一2026年预算收支总表.....", "1.2026年预算收支总表....."),  # half-width numbering before a year
        ("表二2026年预算收入总表.....", "2．2026年预算收入总表....."),  # full-width numbering
    ],
)
def test_toc_near_misses(old, new):
    assert added(inject(old, new)) == []


def test_department_name_in_the_body_reads_as_部门():
    text = inject("### 一、本部门职责", "### 一、朔州经济开发区组织和人力资源部职责")
    text = inject("一、本部门职责.....", "一、部门职责.....", text)
    assert added(text) == []


def test_toc_written_as_leader_dot_lines():
    """A PDF's contents come as paragraphs with leader dots; one of them names a missing section."""
    text = reference_text()
    start, end = text.index("# 目 录\n"), text.index("## 第一部分 概况")
    lines = [line.replace("<b>", "").replace("</b>", "") for line in text[start:end].splitlines()[1:] if line.strip()]
    toc = "".join(line.replace("\t", " ") + "\n\n" for line in lines)
    text = text[:start] + "# 目 录\n\n" + toc + text[end:]
    assert added(text) == []
    broken = inject("## 十、绩效管理情况", "## 十、绩效情况", text)
    assert added(broken) == [("DOC005", "warning", line_of(broken, "十、绩效管理情况....."), ("目录", "十、绩效管理情况"))]


def test_table_missing_from_the_toc_is_info():
    text = inject(toc_line("表十三2026年项目支出预算表（上年结转）", 15), "")
    title = "2026年项目支出预算表(上年结转)"
    assert added(text) == [("DOC006", "info", line_of(text, CARRYOVER_TITLE), (title,))]


def test_contents_listing_only_parts_do_not_need_the_tables():
    text = reference_text()
    for line in text.splitlines(keepends=True):
        if line.startswith("表") and ".....\t" in line:
            text = inject(line, "", text)
    assert added(text) == []


def test_no_toc_no_toc_findings():
    text = reference_text()
    start, end = text.index("# 目 录\n"), text.index("## 第一部分 概况")
    assert added(text[:start] + text[end:]) == []


# --- DOC007 部门/单位 wording -----------------------------------------------------


def test_我单位_in_a_department_budget():
    text = inject("本部门无“三公”经费预算。", "我单位无“三公”经费预算。")
    assert added(text) == [("DOC007", "info", line_of(text, "我单位无"), ())]


@pytest.mark.parametrize("wording", ["本部门（单位）", "本单位（部门）"])
def test_部门单位_together_is_legitimate(wording):
    text = inject("本单位无机关运行经费。", f"{wording}无机关运行经费。")
    found = doc_findings(text)
    assert [f for f in found if f.code == "DOC007"] == []
    assert new_findings(list(before()), found) == []


def test_本部门_in_a_unit_budget():
    text = inject(TITLE, "## 2026年度单位预算公开")
    assert budget(text).metadata.kind == "单位预算"
    found = sorted(
        (f.location.line, f.location.column, f.severity.value, f.message) for f in doc_findings(text) if f.code == "DOC007"
    )
    by_kind = "单位预算中称“年部门预算”，应为“单位预算”："
    assert found == [  # the speaker word (本部门) is an info; naming itself as the other kind stays a warning
        (line_of(text, "### 一、本部门职责"), 7, "info", "单位预算中称“本部门”，应为“本单位”：“一、本部门职责”"),
        (line_of(text, "## 第二部分 2026年部门预算报表"), 13, "warning", by_kind + "“第二部分 2026年部门预算报表”"),
        (line_of(text, "本年部门预算支出总计"), 108, "warning", by_kind + "“…人员工资类费用。；本年部门预算支出总计1,491.…”"),
        (line_of(text, "本部门无“三公”"), 1, "info", "单位预算中称“本部门”，应为“本单位”：“本部门无“三公”经费预算。”"),
    ]


def test_unit_table_title_in_a_department_budget():
    text = inject("## 2026年预算收支总表", "## 2026年单位预算收支总表")
    text = inject("表一2026年预算收支总表", "表一2026年单位预算收支总表", text)
    title = "2026年单位预算收支总表"
    assert added(text) == [("DOC007", "warning", line_of(text, "## " + title), (title,))]
    finding = next(f for f in doc_findings(text) if f.location.logical == (title,))
    assert finding.message == "部门预算的表名中出现“单位预算”，与文件类型不符：“2026年单位预算收支总表”"


def test_table_cells_are_not_checked_for_wording():
    assert "依据我单位的请示" in reference_text()  # a performance form's cell in the reference
    assert all(f.location.line != line_of(reference_text(), "依据我单位的请示") for f in before())


# --- DOC008 template residue -----------------------------------------------------------


def residue(text: str) -> list[tuple[str, str, int | None, int | None, str]]:
    found = new_findings(list(before()), doc_findings(text))
    return sorted((f.code, f.severity.value, f.location.line, f.location.column, f.message) for f in found)


def test_placeholder_xx():
    text = inject("朔州经济开发区组织和人力资源部是一个综合服务部门", "XX部门是一个综合服务部门")
    found = residue(text)
    assert [f[:4] for f in found] == [("DOC008", "error", line_of(text, "XX部门"), 1)]
    assert found[0][4].startswith("模板占位符“XX”未替换：“XX部门是一个综合服务")


def test_placeholder_某某_in_a_heading():
    text = inject("### 二、机构设置情况", "### 二、某某机构设置情况")
    assert [(f[0], f[1], f[2], f[3]) for f in residue(text)] == [
        ("DOC008", "error", line_of(text, "某某机构"), 7),
    ]


def test_fill_in_instruction():
    text = inject("见附件。", "（请填写政府购买服务指导性目录）")
    assert [(f[0], f[1], f[2], f[3]) for f in residue(text)] == [("DOC008", "error", line_of(text, "（请填写"), 1)]


def test_empty_reason():
    old = "增长2.88%，主要原因是增加了劳务派遣人员工资类费用。\n"
    text = inject(old, "增长2.88%，主要原因是。\n")
    line = line_of(text, "主要原因是。\n")
    found = residue(text)
    assert [(f[0], f[1], f[2]) for f in found] == [("DOC008", "warning", line)]
    assert found[0][4].startswith("原因或用途未填写：")


def test_empty_amounts():
    text = inject("比上年增加41.74万元,增长2.88%。", "比上年增加万元,增长%。")
    line = line_of(text, "比上年增加万元")
    assert [(f[0], f[1], f[2]) for f in residue(text)] == [("DOC008", "warning", line)] * 2


@pytest.mark.parametrize(
    "old, new",
    [
        ("本部门无“三公”经费预算。", "本部门无“三公”经费预算，这是支出减少的主要原因。"),
        ("本部门无“三公”经费预算。", "本部门无“三公”经费预算，金额单位为万元。"),
        ("本部门无“三公”经费预算。", "本部门无“三公”经费预算，不安排元旦慰问。"),
        ("本部门无“三公”经费预算。", "本部门无“三公”经费预算，采购XXL码服装。"),
        ("本部门无“三公”经费预算。", "本部门无“三公”经费预算，主要原因如下：一是无出国任务。"),
    ],
)
def test_residue_near_misses(old, new):
    assert residue(inject(old, new)) == []


def test_residue_in_table_cells_is_left_to_other_rules():
    text = inject("品目名称\t备注\nA\t货物", "品目名称\t备注\nA\tXX货物")
    assert residue(text) == []


# --- the real corpus ------------------------------------------------------------------


def test_real_corpus_never_crashes_and_never_errs():
    real = sorted((SHARED / "corpus" / "real").glob("*.txt"))
    if not real:
        pytest.skip("the shared corpus is not available")
    for path in real:
        found = lint(path.read_text(encoding="utf-8"), select=("DOC", "LINT"), path=path.name)
        assert not [f for f in found if f.code == "LINT002"], path.name  # no rule crashed
        assert not [f for f in found if f.severity.value == "error"], path.name


CARRYOVER_HEADER = "项目名称\t合计\t2026年财政拨款\t\t\n\t\t一般公共预算\t政府性基金预算\t国有资本经营预算\n1\t2\t3\t4\t5\n"


def _carryover_over_two_pages() -> str:
    """The empty carry-over table printed again under its repeated title and header (as on a page break)."""
    old = CARRYOVER_HEADER + "\n注：本表无数据\n"
    new = CARRYOVER_HEADER + "\n" + CARRYOVER_TITLE + "\n\n" + CARRYOVER_HEADER + "合计\t\t\t\t\n"
    return inject(old, new)


def test_an_empty_table_joined_across_pages_without_a_note():
    # The joined table is a new table made of its parts' rows: DOC004 used to crash on it (StopIteration).
    text = _carryover_over_two_pages()
    found = [(f.code, f.location.line) for f in doc_findings(text) if f.code in ("DOC004", "LINT002")]
    assert found == [("DOC004", line_of(text, "\n" + CARRYOVER_TITLE + "\n\n部门名称") + 1)]


# --- DOC007 a document naming itself by the other kind -------------------------------------


def test_unit_budget_calling_itself_a_department_budget():
    text = inject(TITLE, "## 2026年度单位预算公开")
    text = inject("本部门无“三公”经费预算。", "2026年部门预算安排购置车辆0辆。", text)
    found = [f for f in doc_findings(text) if f.code == "DOC007" and f.location.line == line_of(text, "部门预算安排购置")]
    assert [(f.location.column, f.evidence["word"]) for f in found] == [(5, "年部门预算")]


UNIT_REAL = REAL / "2025-shanghai-putuo-zhengfuban-unit-budget.txt"


@pytest.mark.skipif(not UNIT_REAL.is_file(), reason="real corpus (../shared/corpus/real) not available")
def test_unit_budget_calling_itself_a_department_budget_in_a_real_document():
    text = UNIT_REAL.read_text(encoding="utf-8")
    mutated = inject("单位预算安排购置单价100万元", "部门预算安排购置单价100万元", text)
    found = new_findings(lint(text, select=("DOC007",)), lint(mutated, select=("DOC007",)))
    assert [(f.code, f.location.line, f.evidence["word"]) for f in found] == [
        ("DOC007", line_of(mutated, "部门预算安排购置单价"), "部门预算安排")
    ]


def test_template_choice_left_unmade():
    text = inject("主要原因是增加了劳务派遣人员工资类费用。；", "增加（减少）的主要原因是增加了劳务派遣人员工资类费用。；")
    found = residue(text)
    assert [(f[0], f[1], f[2]) for f in found] == [("DOC008", "warning", line_of(text, "增加（减少）的主要原因"))]
    assert found[0][4].startswith("模板中的备选用语未取舍：")


# --- DOC009 count of internal divisions against the list ---------------------------------


def test_division_count_against_its_own_list_in_the_reference():
    text = inject("下设部门有：综合办公室", "下设部门5个，包括：综合办公室")
    assert added(text) == [("DOC009", "warning", line_of(text, "下设部门5个"), ())]
    finding = next(f for f in doc_findings(text) if f.code == "DOC009")
    assert finding.evidence["count"] == 5 and len(finding.evidence["items"]) == 4
    assert finding.location.column == text.splitlines()[finding.location.line - 1].index("5") + 1


WELFARE_REAL = REAL / "2024-shanghai-putuo-shehuifuliyuan-unit-budget.txt"


@pytest.mark.skipif(not WELFARE_REAL.is_file(), reason="real corpus (../shared/corpus/real) not available")
def test_division_count_against_its_list_in_a_real_document():
    text = WELFARE_REAL.read_text(encoding="utf-8")
    assert [f for f in lint(text, select=("DOC009",)) if f.code == "DOC009"] == []
    mutated = inject("设5个内设机构，包括：", "设6个内设机构，包括：", text)
    found = [f for f in lint(mutated, select=("DOC009",)) if f.code == "DOC009"]
    assert [(f.location.line, f.evidence["count"], len(f.evidence["items"])) for f in found] == [
        (line_of(mutated, "设6个内设机构"), 6, 5)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "本中心设3个内设机构，包括：办公室、康复区（2个）。",  # one name for two divisions
        "本厅设9个内设机构，包括：办公室、秘书一处至七处、财务处。",  # a range
        "本局设5个内设机构，包括：办公室、法规科等。",  # not exhaustive
        "本局设4个内设机构，包括：办公室、法规科、财务科、人事科。",  # agrees
    ],
)
def test_division_count_near_misses(sentence):
    text = inject("下设部门有：综合办公室、干部科、人事科、劳动保障科", sentence)
    assert [f for f in doc_findings(text) if f.code == "DOC009"] == []


def test_note_that_nothing_happened_this_year_marks_an_empty_table():
    empty_note = "注：本表无数据\n"
    text = reference_text()
    assert text.count(empty_note) == 6
    text = text.replace(empty_note, "注：本表本年无发生额。\n")
    assert [f for f in new_findings(list(before()), doc_findings(text)) if f.code == "DOC004"] == []


def test_a_glossary_entry_may_speak_of_the_unit():
    # 名词解释 defines a term for whoever uses it; 本单位 there is no self-reference of the department
    text = inject("本部门无“三公”经费预算。", "使用非财政拨款结余：指本单位在预计用当年的财政拨款收入以外的资金。")
    assert [f for f in added(text) if f[0] == "DOC007"] == []

"""The TXT (text quality) rules, run through the real plugin manager.

Each rule must fire on a positive example at the right column and stay quiet
on near misses; on the reference document every TXT finding must be a real
defect.
"""

from __future__ import annotations

import pytest

from budgetlint.document import Block, Cell, Document, Heading, Page, Paragraph, Row, Table, TextSpan
from budgetlint.findings import Finding
from budgetlint.location import Location
from budgetlint.plugins import load_plugins
from budgetlint.readers import Source
from budgetlint.rules import RuleContext
from helpers import REAL, REFERENCE, assert_rules_registered, column_of, inject, line_of, lint, new_findings, real_texts, reference_text

PATH = "sample.txt"
CODES = ("TXT001", "TXT002", "TXT003", "TXT004", "TXT005", "TXT006", "TXT007")


@pytest.fixture(scope="module")
def plugins():
    return load_plugins()


def span(text: str, line: int, page: int = 1, column: int = 1) -> TextSpan:
    return TextSpan.single(text, Location(PATH, page=page, line=line, column=column, end_column=column + len(text)))


def para(text: str, line: int = 1, page: int = 1) -> Paragraph:
    return Paragraph(span(text, line, page))


def heading(text: str, line: int = 1, page: int = 1) -> Heading:
    return Heading(span(text, line, page, column=3), level=2)


def table(*rows: tuple[str, ...], line: int = 1, confidence: float = 1.0, page: int = 1) -> Table:
    """A table laid out as TAB-separated source lines, one row per line from ``line``."""
    built = []
    for number, texts in enumerate(rows, start=line):
        cells, column = [], 1
        for text in texts:
            loc = Location(PATH, page=page, line=number, column=column, end_line=number, end_column=column + len(text))
            cells.append(Cell(text, loc))
            column += len(text) + 1
        built.append(Row(tuple(cells), Location(PATH, page=page, line=number)))
    return Table(tuple(built), Location(PATH, page=page, line=line), confidence=confidence)


def doc(*blocks: Block) -> Document:
    """A document whose blocks go on the page their location names."""
    pages: dict[int, Page] = {}
    for block in blocks:
        number = block.location.page or 1
        pages.setdefault(number, Page(number)).blocks.append(block)
    return Document(PATH, [pages[n] for n in sorted(pages)], source_kind="text")


def run(plugins, code: str, document: Document, lang: str = "zh") -> list[Finding]:
    rule = plugins.rules[code]
    return list(rule.check(RuleContext(document=document, rule=rule, lang=lang, budget_factory=lambda: None)))


# --- registration ---------------------------------------------------------


def test_txt_rules_register_through_the_entry_point(plugins):
    assert_rules_registered(plugins, CODES, "txt")
    assert all(plugins.rules[code].severity.value == "warning" for code in CODES)


# --- TXT001 Latin word stranded in Chinese prose ---------------------------


def test_latin_word_in_paragraph_is_located_and_named(plugins):
    text = "注重实践转化，进一步规范 and 加强干部队伍建设。"
    [finding] = run(plugins, "TXT001", doc(para(text, line=7)))
    assert finding.location.line == 7
    assert finding.location.column == column_of(text, "and")
    assert finding.location.end_column == column_of(text, "and") + 3
    assert "“and”" in finding.message and "规范 and 加强" in finding.message
    [english] = run(plugins, "TXT001", doc(para(text, line=7)), lang="en")
    assert '"and"' in english.message and "stranded" in english.message


def test_latin_word_in_table_cell_is_located_by_column(plugins):
    label, prose = "年度绩效目标", "以专项巡查为契机,进一步规范 and 加强干部队伍建设"
    [finding] = run(plugins, "TXT001", doc(table((label, prose), line=20)))
    assert finding.location.line == 20
    assert finding.location.column == len(label) + 1 + column_of(prose, "and")


@pytest.mark.parametrize(
    "text, word",
    [
        ("规范and加强管理", "and"),  # no spaces
        ("加强资金xiangmu管理", "xiangmu"),  # stray pinyin
        ("规范 The 加强", "The"),  # a function word in title case
    ],
)
def test_latin_word_variants_are_flagged(plugins, text, word):
    [finding] = run(plugins, "TXT001", doc(para(text)))
    assert finding.evidence["word"] == word


@pytest.mark.parametrize(
    "text",
    [
        "采购A4彩色打印机和3D打印机",
        "LED显示屏和PC服务器",
        "PM2.5监测设备",
        "品目A02010104服务器",
        "GDP增长和PPP项目",
        "道路每km造价",
        "使用Word编辑文件",
        "访问www.gov.cn网站",
        "发送至budget@example.com邮箱",
        "政务app平台和wifi覆盖",
        "购买iPhone手机",
        "and 加强管理",  # not between Chinese characters
        "budget and finance",
        "预算（budget）编制",  # set apart by brackets, not stranded
        "明确其改善AS的疗效",  # a function word in capitals is an acronym (强直性脊柱炎)
    ],
)
def test_latin_near_misses_are_not_flagged(plugins, text):
    assert run(plugins, "TXT001", doc(para(text), table((text,)))) == []


# --- TXT002 doubled or conflicting punctuation ----------------------------


def test_doubled_punctuation_is_located_and_named(plugins):
    text = "主要原因是增加了劳务派遣人员工资类费用。；本年部门预算支出总计1,491.74万元。"
    [finding] = run(plugins, "TXT002", doc(para(text, line=3)))
    assert (finding.location.line, finding.location.column) == (3, column_of(text, "。；"))
    assert finding.location.end_column == column_of(text, "。；") + 2
    assert "“。；”" in finding.message and "工资类费用。；本年" in finding.message


@pytest.mark.parametrize(
    "text, marks",
    [
        ("加强管理，，提高效率。", "，，"),
        ("办公费、、水费。", "、、"),
        ("完成任务，。", "，。"),
        ("完成任务。 。", "。。"),  # a space between does not separate them
        ("一是，，，二是。", "，，，"),  # one finding for the whole run
        ("金额为100万元,。", ",。"),
    ],
)
def test_doubled_punctuation_variants(plugins, text, marks):
    [finding] = run(plugins, "TXT002", doc(para(text)))
    assert finding.evidence["marks"] == marks


@pytest.mark.parametrize(
    "text",
    [
        "情况如下……具体见附件。",
        "主要用于——办公费。",
        "第一部分 概况 .....",
        "收入总计1,491.74万元，增长2.88%。",
        "这难道不值得反思吗？！",
        "其中：基本支出152.01万元。",
        "（一）政府购买服务指导性目录。",
        "“三公”经费，",
    ],
)
def test_punctuation_near_misses_are_not_flagged(plugins, text):
    assert run(plugins, "TXT002", doc(para(text), table((text, "1")))) == []


# --- TXT003 phrase repeated back to back ----------------------------------


def test_repeated_phrase_is_located_and_named(plugins):
    text = "深刻领悟会议精神，进一步提升提升党员干部的政治素质。"
    [finding] = run(plugins, "TXT003", doc(para(text, line=9)))
    assert finding.location.line == 9
    assert finding.location.column == column_of(text, "提升提升")
    assert finding.location.end_column == column_of(text, "提升提升") + 4
    assert "“提升”" in finding.message and "提升提升党员" in finding.message


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("做好我们的的工作。", "的"),
        ("提升提升提升效率。", "提升"),  # a triple is one finding
        ("完善部门组织架构部门组织架构的设计。", "部门组织架构"),
        ("完成了了任务。", "了"),
    ],
)
def test_repeated_phrase_variants(plugins, text, phrase):
    [finding] = run(plugins, "TXT003", doc(para(text), table(("x", text))))[:1]
    assert finding.evidence["phrase"] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "常常开展人人持证活动，天天学习，年年进步，谢谢。",
        "取得实实在在的成效，的的确确有提高。",
        "实现目的的手段。",
        "为了了解情况。",
        "二〇二〇年一个一个落实，一步一步推进。",
        "事业单位开展专业业务活动，费用成本控制制度，召开人民代表大会会议。",
        "进一步提升，提升效率。",  # punctuation between
        "是不是不需要。",
    ],
)
def test_repeated_phrase_near_misses_are_not_flagged(plugins, text):
    assert run(plugins, "TXT003", doc(para(text), table((text,)))) == []


def test_repeated_phrase_needs_a_sentence_outside_stated_cells_and_headings(plugins):
    # Text without sentence punctuation in a paragraph, or in a cell of an
    # inferred table, may be table cells run together by the reader.
    label = "财政拨款收入事业收入事业单位"
    assert run(plugins, "TXT003", doc(para(label), table((label,), confidence=0.5))) == []
    assert len(run(plugins, "TXT003", doc(heading(label), table((label,))))) == 2
    assert len(run(plugins, "TXT003", doc(para(label + "，经营收入。")))) == 1


# --- TXT004 sentence cut off at the end of a paragraph --------------------

CUT = "其中：当年拨款收入1,491.74万元，上年结转收入0万元。支出包"
CONTINUATION = "括：一般公共服务支出1,448.10万元、社会保障和就业支出24.09万元等。"


def test_paragraph_broken_mid_sentence_is_located_and_named(plugins):
    [finding] = run(plugins, "TXT004", doc(para(CUT, line=10), para(CONTINUATION, line=12)))
    assert (finding.location.line, finding.location.column) == (10, len(CUT))
    assert finding.location.end_column == len(CUT) + 1
    assert [(r.line, r.column) for r in finding.related] == [(12, 1)]
    assert "支出包" in finding.message and "括：一般" in finding.message
    [english] = run(plugins, "TXT004", doc(para(CUT, line=10), para(CONTINUATION, line=12)), lang="en")
    assert "mid-sentence" in english.message and "支出包" in english.message


@pytest.mark.parametrize(
    "text, ending",
    [
        ("本年预算支出1,491.74万元，主要用于以下方面，", "，"),
        ("公用经费5.00万元，主要包括：办公费、水费、", "、"),
        ("财政拨款收入预算总计21,940.96万元。其中", "其中"),
        ("差旅费按标准执行，每人每天住宿费不超过", "不超过"),
        ("公用经费5.00万元，主要用于", "主要用于"),
        # an introducer with its colon, and nothing after it in its section
        ("公用经费5.00万元，主要包括：", "包括："),
        ("机关运行经费预算12.00万元，其中：", "其中："),
    ],
)
def test_paragraph_ending_on_a_dangling_connector(plugins, text, ending):
    [finding] = run(plugins, "TXT004", doc(para(text, line=4), heading("二、收入预算情况说明", line=6)))
    assert finding.evidence["ending"] == ending
    assert finding.location.column == len(text) - len(ending) + 1
    assert f"“{ending}”" in finding.message


@pytest.mark.parametrize(
    "blocks",
    [
        # the next block is a heading, a table or a list item
        [para("朔州经济开发区组织和人力资源部是一个综合服务部门，下设部门有综合办公室"), heading("第二部分 报表", 2)],
        [para(CUT), table(("括：一般公共服务支出", "1448.10"), line=2)],
        [para(CUT), para("1. 负责全区干部、人事、机构编制、职称评聘等工作，完成任务。", 2)],
        [para(CUT), para("（一）一般公共预算当年支出规模变化情况，如下。", 2)],
        [para(CUT), para("一、部门预算收支数据变动情况，说明如下。", 2)],
        [para(CUT), para("第三部分 情况说明，包括以下内容。", 2)],
        [para(CUT), para("注：本表无数据，金额单位为万元。", 2)],
        # short labels and captions, before or after
        [para("收入预算图"), para(CONTINUATION, 2)],
        [para("部门名称：朔州经济开发区组织和人力资源部"), para(CONTINUATION, 2)],
        [para(CUT), para("预算公开表1", 2)],
        [para("1. 负责全区干部、人事、机构编制、职称评聘、人事档案等工作"), para("2. 负责全区劳动就业工作", 2)],
        # complete sentences and lead-ins
        [para(CUT + "括各项支出。"), para(CONTINUATION, 2)],
        [para("一般公共预算安排基本支出152.01万元,其中:"), para("人员经费147.01万元,主要包括:基本工资等;", 2)],
        # an introducer whose list follows: a paragraph, a table, or the next page
        [para("机关运行经费预算12.00万元，其中："), table(("办公费", "5.00"), line=2)],
        [para("机关运行经费预算12.00万元，其中：", page=1), para("办公费5.00万元，水电费7.00万元。", 2, page=2)],
        # a dangling introducer followed by the first item of its list
        [para("财政拨款收入预算总计21,940.96万元。其中"), para("（1）一般公共预算收入预算21,940.96万元，增长22%。", 2)],
        # a colon after a word that introduces no list
        [para("本部门2026年度机关运行经费情况说明如下："), heading("八、其他重要事项", 2)],
        # the next paragraph starts with a number, or the sentence runs on to the next page
        [para(CUT), para("2026年度一般公共预算当年支出1,491.74万元，增长2.88%。", 2)],
        [para(CUT, page=1), para(CONTINUATION, 2, page=2)],
        [para("本年预算支出1,491.74万元，主要用于以下方面，", page=1), para("18", 2, page=1), para(CONTINUATION, 3, page=2)],
    ],
)
def test_cut_sentence_near_misses_are_not_flagged(plugins, blocks):
    assert run(plugins, "TXT004", doc(*blocks)) == []


# --- TXT005 unbalanced brackets and quotes --------------------------------


@pytest.mark.parametrize(
    "text, fragment, variant, mark",
    [
        ("依据《预算法实施条例开展工作。", "《", "unclosed", "《"),
        ("本部门无“三公经费预算。", "“", "unclosed", "“"),
        ("外宾接待）支出。", "）", "unopened", "）"),
        ("详见【附件一。", "【", "unclosed", "【"),
        ("市县(区）财政资金", "(", "mismatch", "("),
    ],
)
def test_unbalanced_brackets_are_located_and_named(plugins, text, fragment, variant, mark):
    [finding] = run(plugins, "TXT005", doc(para(text, line=5)))
    assert finding.location.line == 5
    assert finding.location.column == column_of(text, fragment)
    assert finding.evidence["mark"] == mark
    assert finding.message == plugins.rules["TXT005"].message(
        "zh", variant, mark=mark, partner=finding.evidence["partner"], context=finding.evidence["excerpt"]
    )
    assert f"“{mark}”" in finding.message


def test_mismatched_bracket_spans_the_pair_in_a_cell(plugins):
    [finding] = run(plugins, "TXT005", doc(table(("项目资金", "市县(区）财政资金"), line=30)))
    start = len("项目资金") + 1 + column_of("市县(区）财政资金", "(")
    assert (finding.location.line, finding.location.column, finding.location.end_column) == (30, start, start + 3)


@pytest.mark.parametrize(
    "text",
    [
        "（含《中华人民共和国预算法》规定的“三公”经费）。",
        "依据财预〔2016〕143号文件【重要】「注意」。",
        "1）负责全区干部工作；2）负责劳动就业工作。",
        "2026年年度目标1)建立老年人神经信号采集平台。",
        "a) 项目名称 b) 项目金额",
        "（1）一般公共预算收入预算。",
        "项目资金(元)",
    ],
)
def test_bracket_near_misses_are_not_flagged(plugins, text):
    assert run(plugins, "TXT005", doc(para(text), table((text,)))) == []


def test_brackets_pair_across_a_paragraph_left_open(plugins):
    first, second = "公务接待费指单位按规定开支的各类公务接待（含", "外宾接待）支出。"
    assert run(plugins, "TXT005", doc(para(first, 1, page=1), para("27", 2, page=1), para(second, 3, page=2))) == []


def test_bracket_in_a_joined_paragraph_keeps_its_own_location(plugins):
    second = "主要依据《预算法实施条例开展工作。"
    [finding] = run(plugins, "TXT005", doc(para("部门名称：朔州经济开发区", 1), para(second, 3)))
    assert (finding.location.line, finding.location.column) == (3, column_of(second, "《"))


def test_brackets_split_over_rows_of_an_inferred_table_are_not_flagged(plugins):
    rows = [("台式计算机（20万以", "政府集中采购"), ("上）", "35.00")]
    assert run(plugins, "TXT005", doc(table(*rows, confidence=0.5))) == []


@pytest.mark.parametrize("confidence", [1.0, 0.5])
def test_a_bracket_left_open_in_a_cell_of_a_stated_table_is_flagged(plugins, confidence):
    rows = [("台式计算机（20万以上，含打印机等办公设备", "政府集中采购"), ("打印机", "35.00")]
    found = run(plugins, "TXT005", doc(table(*rows, confidence=confidence)))
    assert [f.evidence["mark"] for f in found] == (["（"] if confidence == 1.0 else [])


@pytest.mark.parametrize("text", ["电子标签写入信息抽检差错率（每批", "次）档案数字化抽检达标率"])
def test_a_lone_bracket_at_a_cells_edge_is_not_flagged(plugins, text):
    # The partner may be in a line of the cell wrapped out of it or clipped at its edge.
    assert run(plugins, "TXT005", doc(table((text, "≤0.1%")))) == []
    assert len(run(plugins, "TXT005", doc(para(text)))) == 1  # prose has no cell edge


def test_a_cell_wrapped_over_the_rows_of_its_column_is_one_cell(plugins):
    # A ruled cell whose text wraps is read as a cell and, below it in its column, the rest.
    top, rest = "50602-资本性支出（基本建设及大型修缮", "等维修改造工程支出）"
    rows = [(top, "20.89"), ("", "3.00"), (rest, "")]
    assert run(plugins, "TXT005", doc(table(*rows))) == []
    shifted = [(top, "20.89"), ("3.00", rest)]  # the partner in another column
    assert [f.evidence["mark"] for f in run(plugins, "TXT005", doc(table(*shifted)))] == ["（", "）"]


def test_a_cell_split_by_a_page_break_is_one_cell(plugins):
    first = table(("项目名称", "项目概述"), ("防汛保障", "全力实现“保安全、多蓄水、保供水"), page=1)
    rest = "保生态、保发展”的工作目标。"
    second = table(("", rest), ("水质监测", "按时完成"), line=3, page=2)
    assert run(plugins, "TXT005", doc(first, second)) == []
    far = table(("", rest), line=3, page=3)  # not the next page: another table
    assert [f.evidence["mark"] for f in run(plugins, "TXT005", doc(first, far))] == ["“", "”"]


# --- the reference document -----------------------------------------------


def test_reference_document_txt_findings_are_the_real_defects(plugins):
    reader = next((r for r in plugins.readers if ".txt" in r.suffixes), None)
    if reader is None or not REFERENCE.exists():
        pytest.skip("no text reader or no reference document")
    document = reader.read(Source(str(REFERENCE), REFERENCE.read_bytes()))
    lines = REFERENCE.read_text(encoding="utf-8").splitlines()

    def at(fragment: str, offset: int) -> tuple[int, int]:
        number = next(n for n, line in enumerate(lines, start=1) if fragment in line)
        return number, lines[number - 1].index(fragment) + offset + 1

    found = {
        (f.code, f.location.line, f.location.column)
        for code in CODES
        for f in run(plugins, code, document)
    }
    assert found == {
        ("TXT001", *at("规范 and 加强", 3)),  # a Latin word in a table cell
        ("TXT002", *at("工资类费用。；", 5)),  # 。； doubled
        ("TXT004", *at("。支出包", 3)),  # paragraph broken before 括：一般公共服务支出
    }


# --- the reviewer's eye: mutations of a clean real document and of the reference ----


CLEAN_REAL = REAL / "2025-shanghai-putuo-zhengfuban-unit-budget.txt"
needs_real = pytest.mark.skipif(not CLEAN_REAL.is_file(), reason="real corpus (../shared/corpus/real) not available")


def injected_once(code: str, text: str, mutated: str) -> Finding:
    """The one new finding of ``code`` that the mutation brings."""
    added = [f for f in new_findings(lint(text, select=(code,)), lint(mutated, select=(code,))) if f.code == code]
    assert len(added) == 1, [f.message for f in added]
    return added[0]


def replace_at(text: str, at: int, old: str, new: str) -> str:
    assert text[at : at + len(old)] == old
    return text[:at] + new + text[at + len(old) :]


@needs_real
def test_homophone_typo_of_a_frequent_term_in_a_real_document():
    text = CLEAN_REAL.read_text(encoding="utf-8")
    at = text.index("人民政府办公室收入预算")
    finding = injected_once("TXT006", text, replace_at(text, at, "人民政府", "人民正府"))
    assert finding.location.line == line_of(text, "人民政府办公室收入预算")
    assert finding.evidence["odd"] == "正府办公" and finding.evidence["usual"] == "政府办公"
    assert finding.evidence["count"] >= 3


def test_homophone_typo_of_a_frequent_term_in_the_reference():
    text = reference_text()
    mutated = inject("组织和人力资源部是一个综合服务部门", "组织和人力资原部是一个综合服务部门")
    finding = injected_once("TXT006", text, mutated)
    assert finding.location.line == line_of(text, "组织和人力资源部是一个综合服务部门")
    assert "“原”/“源”" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        # 年出预算 once against 年初预算 three times: the corpus writes 年出 and 出预, so it may be a word
        "年初预算安排，年初预算执行，年初预算调整，全年出预算外收入。",
        # 人力资原 once, but 人力资源 only twice: not a term the document uses often
        "人力资源部门，人力资源管理，人力资原服务。",
    ],
)
def test_homophone_typo_near_misses(plugins, text):
    assert run(plugins, "TXT006", doc(para(text))) == []


@needs_real
def test_doubled_character_inside_a_name_in_a_real_document():
    text = CLEAN_REAL.read_text(encoding="utf-8")
    anchor = "人民政府办公室收入预算"
    at = text.index(anchor)
    finding = injected_once("TXT007", text, replace_at(text, at, "人民政府", "人民政府府"))
    assert finding.location.line == line_of(text, anchor)
    assert finding.evidence["doubled"] == "府府"


def test_doubled_character_inside_a_name_in_the_reference():
    text = reference_text()
    mutated = inject("负责行使市人社局下放的41项行政职权,完成", "负责行使市人社社局下放的41项行政职权,完成")
    finding = injected_once("TXT007", text, mutated)
    assert finding.location.line == line_of(text, "负责行使市人社局下放的41项行政职权,完成")
    assert finding.evidence == {"doubled": "社社", "single": "市人社局", "excerpt": finding.evidence["excerpt"]}


@pytest.mark.parametrize(
    "text",
    [
        "推进贸易便利化，人人参与，常常检查。",  # reduplication the corpus uses
        "相关学科科研业绩，教学科研并重。",  # two words meeting (学科 + 科研), not the same neighbours
        "区人社社局统一办理。",  # a doubling the document never writes singly
    ],
)
def test_doubled_character_near_misses(plugins, text):
    assert run(plugins, "TXT007", doc(para(text))) == []


@needs_real
def test_sentence_cut_off_on_a_comparison_in_a_real_document():
    text = CLEAN_REAL.read_text(encoding="utf-8")
    old = "4.组织、协调和管理区政府系统的全区性大型活动。"
    finding = injected_once("TXT004", text, inject(old, "4.组织、协调和管理区政府系统的全区性大型活动，规模不超过", text))
    assert finding.location.line == line_of(text, old)
    assert finding.evidence["ending"] == "不超过"


def test_sentence_cut_off_before_the_next_section_in_the_reference():
    text = reference_text()
    finding = injected_once("TXT004", text, inject("公用经费5.00万元,主要包括:办公费等。", "公用经费5.00万元,主要包括:"))
    assert finding.location.line == line_of(text, "公用经费5.00万元,主要包括:办公费等。")
    assert finding.evidence["ending"] == "包括:"


@pytest.mark.skipif(not real_texts(), reason="real corpus (../shared/corpus/real) not available")
@pytest.mark.parametrize("path", real_texts(), ids=lambda p: p.stem)
def test_typo_rules_are_quiet_on_the_clean_real_corpus(path):
    findings = lint(path.read_text(encoding="utf-8"), select=("TXT006", "TXT007"), path=path.name)
    assert [f.message for f in findings if f.code in ("TXT006", "TXT007")] == []


# --- false alarms a reviewer dismisses ------------------------------------------------


@pytest.mark.parametrize(
    "blocks",
    [
        # two cells of one label read as one line
        [table(("产出指标产出指标", "数量指标"))],
        # a form's labels run together with its values
        [para("效益指标社会效益指标社会对财政行为的法制化、规范化评价较好。")],
        [para("产出指标数量指标指标选择花园式单位，群众满意。")],
    ],
)
def test_repeats_across_form_labels_are_not_flagged(plugins, blocks):
    assert run(plugins, "TXT003", doc(*blocks)) == []


def test_a_repeat_across_two_table_labels_is_two_cells():
    text = inject("本部门无“三公”经费预算。", "支出按人员类别：在职人员人员经费147.01万元，离退休人员公用经费5.00万元。")
    assert [f for f in lint(text, select=("TXT003",)) if "人员" in f.message] == []
    # the same repeat with no table label on either side is a slip
    slip = inject("本部门无“三公”经费预算。", "支出按人员类别：在职人员人员补助147.01万元，离退休职工5.00万元。")
    assert [f.evidence["phrase"] for f in lint(slip, select=("TXT003",))] == ["人员"]

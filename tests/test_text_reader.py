"""The text reader: the reference document's marked form and plain page text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetlint.document import Document, Heading, Paragraph, Table
from budgetlint.location import Location
from budgetlint.readers import ReadError, Source
from budgetlint.readers.text import budgetlint_readers, read, sniff, split_lines
from helpers import REFERENCE

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
MARKUP = re.compile(r"</?b>|\*\*")


@pytest.fixture(scope="module")
def reference_bytes() -> bytes:
    return REFERENCE.read_bytes()


@pytest.fixture(scope="module")
def reference(reference_bytes) -> Document:
    return read(Source("reference.txt", reference_bytes))


def blocks_after_heading(document: Document, text: str) -> Iterator[object]:
    blocks = list(document.blocks())
    index = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == text)
    return iter(blocks[index + 1 :])


def table_after_heading(document: Document, text: str) -> Table:
    return next(b for b in blocks_after_heading(document, text) if isinstance(b, Table))


def source_slice(document: Document, location: Location) -> str:
    assert location.line == location.end_line
    return document.source_lines[location.line - 1][location.column - 1 : location.end_column - 1]


def all_locations(document: Document) -> Iterator[tuple[object, Location]]:
    for page in document.pages:
        for block in page.blocks:
            yield block, block.location
            if isinstance(block, Table):
                for row in block.rows:
                    yield row, row.location
                    for cell in row.cells:
                        yield cell, cell.location


# --- the plugin -----------------------------------------------------------


def test_plugin_registers_the_text_reader():
    (reader,) = budgetlint_readers()
    assert reader.name == "text"
    assert set(reader.suffixes) == {".txt", ".text", ".md"}
    assert reader.read is read and reader.sniff is sniff


def test_sniff(reference_bytes):
    assert sniff(reference_bytes[:4096])
    assert sniff(reference_bytes[:4095])  # cut inside a UTF-8 character
    assert sniff(reference_bytes.decode().encode("gb18030")[:4095])
    assert not sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert not sniff(bytes(range(256)) * 16)


def test_binary_source_raises_read_error():
    with pytest.raises(ReadError) as info:
        read(Source("x.txt", bytes(range(256)) * 4))
    assert info.value.code == "LINT001"


# --- the reference document (marked form) -----------------------------------


def test_reference_metadata(reference, reference_bytes):
    assert reference.source_kind == "text"
    assert reference.encoding == "utf-8"
    assert reference.path == "reference.txt"
    assert reference.source_lines == reference_bytes.decode().splitlines()  # no \f etc. in it


def test_reference_headings(reference):
    headings = list(reference.headings())
    assert len(headings) == 43  # grep -c '^#' docs/examples/shuozhou-devzone-hr-2026-budget.txt
    first = headings[0]
    assert (first.text, first.level) == ("朔州经济开发区组织和人力资源部", 1)
    assert (headings[1].text, headings[1].level) == ("2026年度部门预算公开", 2)
    levels = {h.text: h.level for h in headings}
    assert levels["一、本部门职责"] == 3
    assert levels["一、部门预算收支数据变动情况及原因"] == 4


def test_heading_location_excludes_the_hashes(reference):
    heading = next(h for h in reference.headings() if h.text == "2026年预算收入总表")
    loc = heading.location
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (123, 4, 123, 15)
    assert source_slice(reference, loc) == "2026年预算收入总表"


def test_income_table_after_its_heading(reference):
    table = table_after_heading(reference, "2026年预算收入总表")
    assert table.confidence == 1.0
    first_cells = [row.cells[0].text for row in table.rows]
    assert first_cells[:4] == ["项目", "科目编码", "合计", "201"]
    assert {"201", "20132", "2013250", "2210201"} <= set(first_cells)
    row = next(r for r in table.rows if r.cells[0].text == "201")
    assert row.texts == ("201", "一般公共服务支出", "1448.10", "1448.10", "", "", "", "", "")
    assert row.location.line == 132


def test_cell_columns_count_code_points(reference):
    table = table_after_heading(reference, "2026年预算收入总表")
    row = next(r for r in table.rows if r.cells[0].text == "2013250")
    # "2013250\t事业运行\t108.37\t..." on line 134
    name, amount = row.cells[1].location, row.cells[2].location
    assert (name.line, name.column, name.end_column) == (134, 9, 13)
    assert (amount.column, amount.end_column) == (14, 20)
    empty = row.cells[4].location
    assert empty.column == empty.end_column == 28


def test_every_cell_location_points_at_its_text(reference):
    cells = [cell for table in reference.tables() for row in table.rows for cell in row.cells]
    assert len(cells) > 1000
    for cell in cells:
        text = source_slice(reference, cell.location)
        assert MARKUP.sub("", text) == cell.text
        if not MARKUP.search(reference.source_lines[cell.location.line - 1]):
            assert text == cell.text


def test_markup_is_stripped_from_cells(reference):
    toc = table_after_heading(reference, "目 录")
    assert toc.rows[0].texts == ("第一部分 概况 .....", "1")
    page_cell = toc.rows[0].cells[1].location
    assert source_slice(reference, page_cell) == "1"


def test_blank_line_inside_a_table_is_a_page_break(reference):
    toc = next(reference.tables())  # the contents table, lines 25-58
    lines = [row.location.line for row in toc.rows]
    assert lines[0] == 25 and lines[-1] == 58
    before = next(r for r in toc.rows if r.location.line == 50)
    after = next(r for r in toc.rows if r.location.line == 52)
    assert reference.source_lines[50] == ""  # line 51 is the blank line
    assert after.location.page == before.location.page + 1
    assert toc.pages == (1, 2)
    following = next(blocks_after_heading(reference, "第一部分 概况"))
    assert following.location.page == 2
    assert reference.pages[1].blocks[0].text == "第一部分 概况"


def test_blank_line_before_a_non_table_line_ends_the_table(reference):
    table = table_after_heading(reference, "2026年预算收支总表")
    assert table.location.end_line == 119
    assert table.pages == (2, 3)  # a page break at line 107
    note = next(b for b in blocks_after_heading(reference, "2026年预算收支总表") if isinstance(b, Paragraph))
    assert note.text == "部门名称：朔州经济开发区组织和人力资源部"


def test_paragraph_markup_is_stripped_but_located(reference):
    paragraph = next(p for p in reference.paragraphs() if p.location.line == 1136)
    assert paragraph.text.startswith("一、基本支出：指为保障机构正常运转")
    line = reference.source_lines[1135]
    assert paragraph.location.column == 3 and paragraph.location.end_column == len(line) + 1
    start = paragraph.text.index("指为保障")
    located = paragraph.span.locate(start, start + 4)
    assert source_slice(reference, located) == "指为保障"
    assert source_slice(reference, paragraph.span.locate(0, 7)) == "一、基本支出："


def test_pages_hold_the_blocks_that_start_on_them(reference):
    assert [p.number for p in reference.pages] == list(range(1, len(reference.pages) + 1))
    for page in reference.pages:
        for block in page.blocks:
            assert block.location.page == page.number
            assert block.location.path == "reference.txt"


@pytest.mark.parametrize("codec", ["gb18030", "utf-16"])
def test_reencoded_reference_reads_identically(reference, reference_bytes, codec):
    data = reference_bytes.decode("utf-8").encode(codec)
    document = read(Source("reference.txt", data))
    assert document.encoding != "utf-8"
    assert document.source_lines == reference.source_lines
    assert document.pages == reference.pages


def test_stdin_path_is_kept():
    document = read(Source("-", "# 标题\n收入\t1.00\n".encode()))
    assert all(loc.path == "-" for _, loc in all_locations(document))
    assert [type(b) for b in document.blocks()] == [Heading, Table]


# --- plain page text (form feeds) -------------------------------------------

PLAIN = (
    "某某局2025年部门预算\n"
    "一、收入预算情况\n"
    "本部门2025年收入预算总计1,491.74万元，其中财政拨款收入\n"
    "1,491.74万元，比上年增加41.74万元，主要原因是人员经费增加\n"
    "和项目支出调整。\n"
    "二、支出预算情况\n"
    "本部门支出预算主要用于基本支出和项目支出两个方面，基本支出\n"
    "主要用于人员工资福利和日常公用经费，项目支出用于专项工作。\n"
    "1\n"
    "\f2025年部门收支预算总表\n"
    "项目 预算数 项目 预算数\n"
    "一、财政拨款收入 1,491.74 一、一般公共服务支出 1,448.10\n"
    "二、事业收入 24.09 二、社会保障和就业支出 24.09\n"
    "三、其他收入 三、住房保障支出 19.55\n"
    "收入总计 1,491.74 支出总计 1,491.74\n"
    "\n"
    "项目名称      本年预算      上年预算\n"
    "基本支出      152.01      140.00\n"
    "\fNote: the amounts in this table are rounded to two\n"
    "decimal places.\n"
    "\f"
)


@pytest.fixture(scope="module")
def plain() -> Document:
    return read(Source("plain.txt", PLAIN.encode("utf-8")))


def test_plain_pages_follow_form_feeds(plain):
    assert [p.number for p in plain.pages] == [1, 2, 3]  # the trailing form feed opens no page
    assert len(plain.source_lines) == 21
    assert plain.source_lines[9] == "\f2025年部门收支预算总表"


def test_plain_wrapped_lines_join_into_paragraphs(plain):
    texts = [b.text for b in plain.pages[0].blocks]
    assert texts == [
        "某某局2025年部门预算",
        "一、收入预算情况",
        "本部门2025年收入预算总计1,491.74万元，其中财政拨款收入1,491.74万元，比上年增加41.74万元，"
        "主要原因是人员经费增加和项目支出调整。",
        "二、支出预算情况",
        "本部门支出预算主要用于基本支出和项目支出两个方面，基本支出主要用于人员工资福利和日常公用经费，"
        "项目支出用于专项工作。",
        "1",
    ]
    joined = plain.pages[0].blocks[2]
    loc = joined.location
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (3, 1, 5, 9)
    start = joined.text.index("41.74")
    assert joined.span.locate(start, start + 5).line == 4
    assert source_slice(plain, joined.span.locate(start, start + 5)) == "41.74"


def test_plain_latin_lines_join_with_a_space(plain):
    (note,) = plain.pages[2].blocks
    assert note.text == "Note: the amounts in this table are rounded to two decimal places."
    assert note.location.page == 3 and note.location.column == 2  # after the form feed


def test_plain_table_rows_are_inferred(plain):
    title, header, table, layout = plain.pages[1].blocks
    assert title.text == "2025年部门收支预算总表" and title.location.column == 2
    assert isinstance(header, Paragraph)  # no amounts: stays text
    assert isinstance(table, Table) and table.confidence == 0.5
    assert [row.texts for row in table.rows] == [
        ("一、财政拨款收入", "1,491.74", "一、一般公共服务支出", "1,448.10"),
        ("二、事业收入", "24.09", "二、社会保障和就业支出", "24.09"),
        ("三、其他收入", "三、住房保障支出", "19.55"),
        ("收入总计", "1,491.74", "支出总计", "1,491.74"),
    ]
    assert isinstance(layout, Table) and layout.confidence == 0.5
    assert [row.texts for row in layout.rows] == [("项目名称", "本年预算", "上年预算"), ("基本支出", "152.01", "140.00")]
    for row in table.rows + layout.rows:
        for cell in row.cells:
            assert source_slice(plain, cell.location) == cell.text
            assert cell.location.page == 2


def test_plain_line_endings_do_not_matter():
    crlf = read(Source("p.txt", PLAIN.replace("\n", "\r\n").encode()))
    lf = read(Source("p.txt", PLAIN.encode()))
    assert crlf.pages == lf.pages and crlf.source_lines == lf.source_lines


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared corpus not available")
def test_real_pdfplumber_text():
    path = REAL / "2025-shanghai-putuo-caizhengju-dept-budget.txt"
    if not path.exists():
        pytest.skip("corpus file missing")
    data = path.read_bytes()
    document = read(Source(str(path), data))
    assert len(document.pages) == data.decode().count("\f") + 1
    rows = [row.texts for table in document.tables() for row in table.rows]
    assert ("201", "06", "01", "行政运行", "16,231,840.80", "16,231,840.80") in rows
    assert all(t.confidence == 0.5 for t in document.tables())
    paragraphs = [p.text for p in document.paragraphs()]
    assert any(p.startswith("（一）贯彻执行") and p.endswith("政策和改革方案并组织实施。") for p in paragraphs)
    assert_locations_in_bounds(document)


# --- properties -------------------------------------------------------------

FRAGMENTS = st.sampled_from(["\t", "\n", "\r\n", "\f", " ", "  ", "#", "## ", "**", "<b>", "</b>", "。", "1,491.74", "一、"])
PRINTABLE = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn")), max_size=12)
TEXTS = st.lists(st.one_of(FRAGMENTS, PRINTABLE), max_size=40).map("".join)


def assert_locations_in_bounds(document: Document) -> None:
    for page in document.pages:
        for block in page.blocks:
            assert block.location.page == page.number
    for _, loc in all_locations(document):
        assert 1 <= loc.line <= loc.end_line <= len(document.source_lines)
        assert 1 <= loc.column
        assert loc.end_column <= len(document.source_lines[loc.end_line - 1]) + 1
        if loc.line == loc.end_line:
            assert loc.column <= loc.end_column


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_any_text_reads(text):
    document = read(Source("p.txt", text.encode("utf-8")))
    assert document.source_lines == split_lines(text)
    assert_locations_in_bounds(document)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1000))
def test_any_bytes_read_or_raise_read_error(data):
    try:
        document = read(Source("p.txt", data))
    except ReadError as exc:
        assert exc.code == "LINT001"
    else:
        assert_locations_in_bounds(document)

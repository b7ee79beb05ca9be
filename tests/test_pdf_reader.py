"""The PDF reader, on PDFs built here with reportlab (and the shared corpus when present)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("reportlab")

from pdfminer.converter import PDFPageAggregator  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from budgetlint.document import Heading, Paragraph, Table  # noqa: E402
from budgetlint.readers import ReadError, Source  # noqa: E402
from budgetlint.readers.pdf import budgetlint_readers, page_ranges, read, sniff  # noqa: E402
from tests.helpers import layout, lint_bytes  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))


# --- building PDFs ------------------------------------------------------------


def make_pdf(draw, pages: int = 1, **canvas_args) -> bytes:
    """A PDF whose page ``i`` (0-based) is drawn by ``draw(c, i)``."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, **canvas_args)
    for i in range(pages):
        draw(c, i)
        c.showPage()
    c.save()
    return buf.getvalue()


def grid(c, x0: float, top: float, widths: list[float], heights: list[float], skip=()) -> None:
    """Rulings of a grid; ``skip`` holds ("v", col_edge, row) or ("h", row_edge, col) edges left out."""
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top]
    for h in heights:
        ys.append(ys[-1] - h)
    c.setLineWidth(0.5)
    for r, y in enumerate(ys):
        for col in range(len(widths)):
            if ("h", r, col) not in skip:
                c.line(xs[col], y, xs[col + 1], y)
    for k, x in enumerate(xs):
        for r in range(len(heights)):
            if ("v", k, r) not in skip:
                c.line(x, ys[r], x, ys[r + 1])


def text(c, x: float, y: float, s: str, size: float = 10, font: str = CJK) -> None:
    c.setFont(font, size)
    c.drawString(x, y, s)


def read_bytes(data: bytes, **options) -> object:
    return read(Source("t.pdf", data, options))


def tables(document) -> list[Table]:
    return list(document.tables())


# --- plugin surface -----------------------------------------------------------


def test_reader_registration_and_sniff():
    (reader,) = budgetlint_readers()
    assert reader.name == "pdf" and reader.suffixes == (".pdf",)
    assert sniff(b"%PDF-1.7\n...") and sniff(b"\xef\xbb\xbf  %PDF-1.4")
    assert not sniff(b"hello") and not sniff(b"")


def test_pdfminer_is_imported_only_when_reading():
    code = "import sys, budgetlint.readers.pdf; print('pdfminer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_page_ranges():
    assert page_ranges([1, 2, 3, 5, 7, 8]) == "1-3, 5, 7-8"
    assert page_ranges([4]) == "4"


# --- ruled tables ---------------------------------------------------------------


def test_ruled_table_with_merged_cells_and_wrapped_cjk_cell():
    def draw(c, _):
        text(c, 60, 760, "收支预算总表", 16)
        # 3 columns x 3 rows; row 0: "收入" spans columns 0-1 (no rule between them)
        grid(c, 60, 740, [120, 80, 80], [20, 40, 20], skip={("v", 1, 0)})
        text(c, 140, 726, "收入")
        text(c, 265, 726, "金额")
        text(c, 64, 700, "一般公共预算财政")  # wrapped over two lines inside one cell
        text(c, 64, 690, "拨款收入")
        text(c, 190, 696, "1,491.")  # a number wrapped after its decimal point
        text(c, 190, 686, "74")
        text(c, 265, 696, "12.00")
        text(c, 64, 666, "合计")
        text(c, 265, 666, "1,503.74")

    doc = read_bytes(make_pdf(draw))
    (table,) = tables(doc)
    assert table.confidence == 1.0
    assert [r.texts for r in table.rows] == [
        ("收入", "", "金额"),
        ("一般公共预算财政拨款收入", "1,491.74", "12.00"),
        ("合计", "", "1,503.74"),
    ]
    merged = table.rows[0].cells[0]
    assert (merged.colspan, merged.rowspan) == (2, 1)
    cell = table.rows[1].cells[1]
    assert cell.location.page == 1 and cell.location.line is None and cell.location.column is None
    x0, y0, x1, y1 = cell.location.bbox
    assert (round(x0), round(y0), round(x1), round(y1)) == (180, 680, 260, 720)
    assert table.rows[1].location.bbox[0] == pytest.approx(60)


def _punctuation_in_a_font_of_wrong_descent() -> bytes:
    """A paragraph whose punctuation is set in a font of its own, that font's descent far too deep."""
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))

    def draw(c, _):
        text(c, 60, 780, "部门预算说明", 16)
        x = 60
        for piece in ("本部门主要职责是负责人力资源", "，", "社会保障工作", "，", "推进就业创业", "。"):
            font = "HeiseiMin-W3" if piece in "，。" else CJK
            text(c, x, 740, piece, 10, font)
            x += pdfmetrics.stringWidth(piece, font, 10)

    data = make_pdf(draw)
    descent = data.index(b"/Descent", data.index(b"/FontName /HeiseiMin-W3") - 300)
    assert data[descent:descent + 13] == b"/Descent -241"
    return data[:descent] + b"/Descent -999" + data[descent + 13:]  # same length: the xref stays right


def test_punctuation_in_a_font_of_its_own_stays_in_its_line():
    # the marks' boxes sit a whole line lower than the text's; their baseline is the text's
    data = _punctuation_in_a_font_of_wrong_descent()
    paragraphs = [b.text for b in read_bytes(data).blocks() if isinstance(b, Paragraph)]
    assert paragraphs == ["本部门主要职责是负责人力资源,社会保障工作,推进就业创业。"]
    assert lint_bytes(data, select=("TXT",)) == []


def _expense_total_merged_over_a_code_column(total: str):
    def draw(c, _):
        text(c, 60, 780, "支出总表", 16)
        text(c, 400, 765, "单位：万元")
        # 功能科目 | 经济科目 | 合计 | 基本支出 | 项目支出; the 合计 row's amount cell spans 经济科目 and 合计
        grid(c, 40, 760, [120, 120, 80, 80, 80], [20, 20, 20, 20], skip={("v", 2, 3)})
        for x, head in zip((44, 164, 284, 364, 444), ("支出功能分类科目", "经济分类科目", "合计", "基本支出", "项目支出"), strict=True):
            text(c, x, 746, head)
        for y, (code, economy, amounts) in zip((726, 706), (("2010101-行政运行", "30101-基本工资", ("20.00", "20.00", "")),
                                                           ("2010102-一般行政管理事务", "30201-办公费", ("10.00", "", "10.00"))),
                                               strict=True):
            text(c, 44, y, code)
            text(c, 164, y, economy)
            for x, value in zip((310, 390, 470), amounts, strict=True):
                text(c, x, y, value)
        text(c, 44, 686, "合计")
        text(c, 310, 686, total)  # printed under 合计, in the cell merged with 经济分类科目
        text(c, 390, 686, "20.00")
        text(c, 470, 686, "10.00")
    return make_pdf(draw)


def test_an_amount_merged_over_a_code_column_is_the_value_columns():
    # 北京 支出总表: the 合计 row's amount shares a cell with the code column left of it
    (row,) = [r for r in tables(read_bytes(_expense_total_merged_over_a_code_column("30.00")))[0].rows if r.texts[0] == "合计"]
    assert row.texts[1] == "30.00" and row.cells[1].colspan == 2
    assert lint_bytes(_expense_total_merged_over_a_code_column("30.00"), select=("SUM", "LINT")) == []
    (wrong,) = lint_bytes(_expense_total_merged_over_a_code_column("31.00"), select=("SUM", "LINT"), lang="en")
    assert wrong.code == "SUM002" and "31.00" in wrong.message and "20.00 + 10.00 = 30.00" in wrong.message


def test_box_per_cell_borders_in_short_pieces():
    """WPS/Excel style: every cell is its own box, shared edges drawn twice in pieces."""

    def draw(c, _):
        c.setLineWidth(0.5)
        xs, ys = [60, 160, 240, 320], [700, 680, 660]
        for r in range(2):
            for k in range(3):
                x0, x1, top, bottom = xs[k], xs[k + 1], ys[r], ys[r + 1]
                mid = (x0 + x1) / 2
                c.line(x0, top, mid, top)
                c.line(mid, top, x1, top)
                c.line(x0, bottom, x1, bottom)
                c.line(x0, top, x0, bottom)
                c.line(x1, top, x1, bottom)
        for r, row in enumerate([("项目", "上年", "本年"), ("基本支出", "10.00", "12.50")]):
            for k, s in enumerate(row):
                text(c, xs[k] + 4, ys[r] - 14, s)

    (table,) = tables(read_bytes(make_pdf(draw)))
    assert [r.texts for r in table.rows] == [("项目", "上年", "本年"), ("基本支出", "10.00", "12.50")]


def test_glyph_outlines_inside_text_are_not_rulings():
    """Fake-bold text drawn as outlines yields thin shapes inside the glyphs; they are no borders."""

    def draw(c, _):
        grid(c, 60, 700, [100, 100], [20, 20])
        text(c, 64, 686, "支出合计")
        c.rect(66, 689, 30, 0.9, stroke=0, fill=1)  # a "stroke" of a bold glyph, inside the text
        c.rect(70, 685, 0.9, 9, stroke=0, fill=1)
        text(c, 164, 686, "8.00")
        text(c, 64, 666, "其他")
        text(c, 164, 666, "2.00")

    (table,) = tables(read_bytes(make_pdf(draw)))
    assert [r.texts for r in table.rows] == [("支出合计", "8.00"), ("其他", "2.00")]


def test_table_over_pages_is_stitched_and_repeated_header_dropped():
    header = ("科目名称", "金额")

    def draw(c, page):
        if page == 0:
            text(c, 60, 760, "支出预算表", 16)
        rows = [header] + [(f"科目{page * 3 + i}", f"{page * 3 + i}.00") for i in range(3)]
        grid(c, 60, 700, [150, 100], [20] * len(rows))
        for r, row in enumerate(rows):
            text(c, 64, 700 - 20 * r - 14, row[0])
            text(c, 214, 700 - 20 * r - 14, row[1])
        text(c, 290, 30, str(page + 1))  # page number, not content

    doc = read_bytes(make_pdf(draw, pages=2))
    (table,) = tables(doc)
    assert [r.texts for r in table.rows] == [header] + [(f"科目{i}", f"{i}.00") for i in range(6)]
    assert [r.location.page for r in table.rows] == [1, 1, 1, 1, 2, 2, 2]
    assert table.pages == (1, 2)
    assert not doc.pages[1].blocks  # the continuation belongs to the table on page 1


def test_a_header_repeated_under_a_title_row_set_in_the_grid_is_dropped():
    """The first page's grid opens with the title row; the next page repeats only the header."""
    header = ("科目名称", "金额")

    def draw(c, page):
        rows = ([("预算05表 支出表", "")] if page == 0 else []) + [header]
        rows += [(f"科目{page * 3 + i}", f"{page * 3 + i}.00") for i in range(3)]
        grid(c, 60, 700, [150, 100], [20] * len(rows))
        for r, row in enumerate(rows):
            text(c, 64, 700 - 20 * r - 14, row[0])
            text(c, 214, 700 - 20 * r - 14, row[1])

    (table,) = tables(read_bytes(make_pdf(draw, pages=2)))
    assert [r.texts for r in table.rows] == [("预算05表支出表", ""), header] + [(f"科目{i}", f"{i}.00") for i in range(6)]


def _wide_sheet(c, page: int) -> None:
    """收入总表 too wide for a page: 合计 and 本年收入 on page 1, 上年结转结余 at the same heights on page 2."""
    parts = (
        [("合计", "本年收入", ""), ("", "小计", "财政拨款"), ("150.00", "100.00", "100.00")],
        [("上年结转结余", "", ""), ("小计", "财政拨款", "单位资金"), ("50.00", "30.00", "20.00")],
    )
    x0 = 60 if page == 0 else 150
    if page == 0:
        text(c, 60, 760, "收入总表", 16)
    grid(c, x0, 700, [90, 90, 90], [20, 20, 20])
    for r, cells in enumerate(parts[page]):
        for k, cell in enumerate(cells):
            text(c, x0 + 4 + 90 * k, 700 - 20 * r - 14, cell)


def test_columns_continued_on_the_next_page_at_the_same_heights_are_joined_beside():
    doc = read_bytes(make_pdf(_wide_sheet, pages=2))
    (table,) = tables(doc)
    assert [r.texts for r in table.rows] == [
        ("合计", "本年收入", "", "上年结转结余", "", ""),
        ("", "小计", "财政拨款", "小计", "财政拨款", "单位资金"),
        ("150.00", "100.00", "100.00", "50.00", "30.00", "20.00"),
    ]
    assert [c.location.page for c in table.rows[2].cells] == [1, 1, 1, 2, 2, 2]
    # 合计 150.00 = 本年收入 100.00 + 上年结转结余 50.00: the total column is no longer short of the next page's columns
    assert not lint_bytes(make_pdf(_wide_sheet, pages=2), select=("SUM",))


def test_two_tables_of_one_template_at_the_same_heights_stay_apart():
    """预算07表 on one page, 预算08表 (empty, its 合计 row beside the first's amounts) on the next."""

    def draw(c, page):
        x0 = 60 if page == 0 else 150
        total = ("合计", "8.46") if page == 0 else ("合计", "")
        rows = [("科目名称", "合计"), ("超长期特别国债安排的支出" if page == 0 else "", "8.46" if page == 0 else ""), total]
        grid(c, x0, 700, [120, 90], [20, 20, 20])
        for r, cells in enumerate(rows):
            for k, cell in enumerate(cells):
                text(c, x0 + 4 + 120 * k, 700 - 20 * r - 14, cell)

    assert len(tables(read_bytes(make_pdf(draw, pages=2)))) == 2


def test_table_broken_without_rules_at_the_page_break_keeps_its_edge_rows():
    """The rule at a page break is often left out: side rules alone bound the rows there.

    A 类 row last on one page and its 款 rows on the next stay in one table.
    """
    first = [
        ("科目编码", "科目名称", "金额"),
        ("301", "工资福利支出", "7,687.65"),
        ("302", "商品和服务支出", "423.60"),
    ]
    second = [("30201", "办公费", "380.00"), ("30205", "水费", "43.60")]

    def draw(c, page):
        rows = first if page == 0 else second
        open_edge = len(rows) if page == 0 else 0  # no bottom rule on page 1, no top rule on page 2
        grid(c, 60, 700, [80, 150, 100], [20] * len(rows), skip={("h", open_edge, k) for k in range(3)})
        for r, row in enumerate(rows):
            for k, s in enumerate(row):
                text(c, [64, 144, 294][k], 700 - 20 * r - 14, s)

    (table,) = tables(read_bytes(make_pdf(draw, pages=2)))
    assert [r.texts for r in table.rows] == first + second
    assert [r.location.page for r in table.rows] == [1, 1, 1, 2, 2]


def test_table_part_splitting_columns_the_first_part_merges_is_stitched():
    """A table whose first page holds only a header row merging columns the next page splits."""

    def draw(c, page):
        if page == 0:
            text(c, 60, 760, "财政拨款收支预算总表", 16)
            grid(c, 60, 100, [200, 200], [20])
            text(c, 64, 86, "收入")
            text(c, 264, 86, "支出")
            return
        grid(c, 60, 700, [100, 100, 100, 100], [20, 20])
        for k, s in enumerate(("项目", "金额", "项目", "金额")):
            text(c, 64 + 100 * k, 686, s)
        for k, s in enumerate(("一般公共预算", "28.50", "基本支出", "28.50")):
            text(c, 64 + 100 * k, 666, s)

    doc = read_bytes(make_pdf(draw, pages=2))
    (table,) = tables(doc)
    assert [r.texts for r in table.rows] == [
        ("收入", "", "支出", ""),
        ("项目", "金额", "项目", "金额"),
        ("一般公共预算", "28.50", "基本支出", "28.50"),
    ]
    assert [c.colspan for c in table.rows[0].cells] == [2, 1, 2, 1]


def test_a_running_title_over_the_continuation_does_not_part_the_table():
    """无锡's pages open with the disclosure's title; a table's last row alone on the next page still joins it."""

    def draw(c, page):
        text(c, 60, 800, "某市某局2025年度部门预算公开", 9)  # on every page
        rows = [("科目名称", "金额"), ("科目0", "0.00"), ("科目1", "1.00")] if page == 0 else [("科目2", "2.00")]
        if page == 0:
            text(c, 60, 760, "支出总表", 16)
        grid(c, 60, 700, [150, 100], [20] * len(rows))
        for r, row in enumerate(rows):
            text(c, 64, 700 - 20 * r - 14, row[0])
            text(c, 214, 700 - 20 * r - 14, row[1])

    doc = read_bytes(make_pdf(draw, pages=3))
    first, *others = tables(doc)
    assert [r.texts for r in first.rows] == [("科目名称", "金额"), ("科目0", "0.00"), ("科目1", "1.00"), ("科目2", "2.00"),
                                             ("科目2", "2.00")]
    assert others == []
    # the running title stays in the document, once per page
    assert [b.text for b in doc.blocks() if isinstance(b, Paragraph)] == ["某市某局2025年度部门预算公开"] * 3


def test_centred_page_number_above_the_margin_is_dropped_and_the_table_stitched():
    """A landscape page's running number sits higher than the usual margin, below everything else."""
    landscape = (A4[1], A4[0])

    def draw(c, page):
        c.setPageSize(landscape)
        rows = [(f"科目{page * 2 + i}", f"{page * 2 + i}.00") for i in range(2)]
        grid(c, 60, 520, [150, 100], [20] * 2)
        for r, row in enumerate(rows):
            text(c, 64, 520 - 20 * r - 14, row[0])
            text(c, 214, 520 - 20 * r - 14, row[1])
        text(c, 416, 50, str(page + 1), 9)  # 8% up the page, centred
        if page:
            text(c, 700, 75, "137", 9)  # a number off the middle is content

    doc = read_bytes(make_pdf(draw, pages=2))
    (table,) = tables(doc)
    assert [r.texts for r in table.rows] == [(f"科目{i}", f"{i}.00") for i in range(4)]
    assert [b.text for b in doc.blocks() if isinstance(b, Paragraph)] == ["137"]


def test_a_letter_spaced_page_number_is_dropped_and_the_table_stitched():
    """A page number set with its digits spaced apart (1 3) is furniture: the table goes on over it."""

    def draw(c, page):
        rows = [(f"科目{page * 2 + i}", f"{page * 2 + i}.00") for i in range(2)]
        grid(c, 60, 700, [150, 100], [20] * 2)
        for r, row in enumerate(rows):
            text(c, 64, 700 - 20 * r - 14, row[0])
            text(c, 214, 700 - 20 * r - 14, row[1])
        c.setFont(CJK, 10)
        c.drawString(292, 52, f"1{page + 3}", charSpace=6)  # centred, just above the margin

    doc = read_bytes(make_pdf(draw, pages=2))
    (table,) = tables(doc)
    assert [r.texts for r in table.rows] == [(f"科目{i}", f"{i}.00") for i in range(4)]
    assert not [b.text for b in doc.blocks() if isinstance(b, Paragraph)]


def test_a_page_number_between_dashes_never_joins_the_paragraph_it_interrupts():
    """─ 11 ─ at the foot of a page is furniture: the sentence carried over to the next page closes over it."""

    def draw(c, page):
        text(c, 60, 120, "上一段结束。" if page else "1.行政事业单位离退休（类）未归口管理的行政单位离退", 12)
        if page:
            text(c, 60, 780, "休支出（项）271.45万元，与上年相比增加14.69万元。", 12)
        text(c, 480, 70, f"─ {page + 11} ─", 9)  # at the outer edge, above the margin, below everything else

    doc = read_bytes(make_pdf(draw, pages=2))
    paragraphs = [b.text for b in doc.blocks() if isinstance(b, Paragraph)]
    assert not [p for p in paragraphs if "─" in p or "11" in p.replace("14.69", "")], paragraphs


def test_a_footnote_at_the_foot_of_the_page_never_cuts_the_paragraph_going_on_over_it():
    """A sentence carried over to the next page closes over the small-print note below it (issue 15)."""
    full = "一般公共预算当年拨款主要用于保障机关日常运转和履行职能所需的各项"  # 32 characters, to the margin

    def draw(c, page):
        if page == 0:
            for n, line in enumerate((full, full, full)):
                text(c, 60, 760 - 18 * n, line, 12)
            text(c, 60, 80, "注：本说明中金额单位为万元。", 9)
        else:
            text(c, 60, 780, "支出，包括办公费和印刷费。", 12)

    paragraphs = [b.text for b in read_bytes(make_pdf(draw, pages=2)).blocks() if isinstance(b, Paragraph)]
    assert any("所需的各项支出" in p for p in paragraphs), paragraphs
    assert [p for p in paragraphs if p.startswith("注")] == ["注:本说明中金额单位为万元。"]


def test_watermark_over_table_does_not_corrupt_cells():
    def draw(c, _):
        grid(c, 60, 700, [150, 100], [20, 20, 20])
        for r, row in enumerate([("项目", "金额"), ("工资福利支出", "141.26"), ("商品和服务支出", "5.00")]):
            text(c, 64, 700 - 20 * r - 14, row[0])
            text(c, 214, 700 - 20 * r - 14, row[1])
        c.saveState()
        c.setFillGray(0.8)
        c.translate(80, 640)
        c.rotate(30)
        text(c, 0, 0, "仅供内部审核", 40)
        c.restoreState()
        c.setFillGray(0.85)
        text(c, 70, 662, "内部", 36)  # large but upright, over the table

    doc = read_bytes(make_pdf(draw))
    (table,) = tables(doc)
    assert [r.texts for r in table.rows] == [("项目", "金额"), ("工资福利支出", "141.26"), ("商品和服务支出", "5.00")]


def test_large_header_fitting_its_cells_is_no_watermark():
    """Table systems print header cells in a font twice the body's size: that is content."""
    rows = [
        ("科目编码", "科目名称", "金额"),
        ("301", "工资福利支出", "7,687.65"),
        ("302", "商品和服务支出", "3,528.37"),
    ]

    def draw(c, _):
        grid(c, 60, 700, [100, 160, 100], [26, 16, 16])
        for r, row in enumerate(rows):
            for k, s in enumerate(row):
                text(c, [64, 164, 324][k], [680, 662, 646][r], s, 18 if r == 0 else 9)

    (table,) = tables(read_bytes(make_pdf(draw)))
    assert [r.texts for r in table.rows] == rows


def _clip(c, x: float, y: float, width: float, height: float) -> None:
    path = c.beginPath()
    path.rect(x, y, width, height)
    c.clipPath(path, stroke=0, fill=0)


def test_text_hidden_by_a_clipping_path_is_not_read():
    """A spreadsheet export draws a long cell whole and clips it, and draws the next page's text clipped away."""

    def draw(c, _):
        c.saveState()
        _clip(c, 50, 650, 300, 100)
        text(c, 60, 700, "单位预算编制说明")
        text(c, 60, 600, "下一页的内容")  # below the clip: drawn, never shown
        c.restoreState()
        text(c, 60, 560, "恢复后可见")  # the clip ended with Q
        c.saveState()
        _clip(c, 50, 400, 30, 100)
        text(c, 60, 450, "项目支出")  # centres of 支出 lie right of the clip
        c.restoreState()

    assert [b.text for b in read_bytes(make_pdf(draw)).blocks()] == ["单位预算编制说明", "恢复后可见", "项目"]


def test_a_clip_reaches_into_forms_but_never_out_of_them():
    def draw(c, _):
        c.beginForm("clipped")
        _clip(c, 50, 650, 300, 100)
        text(c, 60, 700, "表单内可见")
        text(c, 60, 600, "表单内隐藏")
        c.endForm()
        c.beginForm("plain")
        text(c, 60, 500, "表单外被裁")
        text(c, 60, 300, "表单外可见")
        c.endForm()
        c.doForm("clipped")
        text(c, 60, 400, "表单之后")  # the form's clip ended with the form
        c.saveState()
        _clip(c, 50, 250, 300, 100)
        c.doForm("plain")  # drawn under the page's clip
        c.restoreState()

    assert [b.text for b in read_bytes(make_pdf(draw)).blocks()] == ["表单内可见", "表单之后", "表单外可见"]


def test_rotated_page_reads_upright():
    def draw(c, _):
        c.setPageRotation(90)
        c.saveState()
        c.translate(500, 100)
        c.rotate(90)  # drawn so that it reads upright once the page is turned
        grid(c, 0, 300, [120, 80], [20, 20])
        text(c, 4, 286, "项目")
        text(c, 124, 286, "金额")
        text(c, 4, 266, "合计")
        text(c, 124, 266, "7.26")
        text(c, 0, 340, "国有资本经营预算支出表", 16)
        text(c, 0, 200, "本表反映部门国有资本经营预算支出情况。", 10)
        c.restoreState()

    doc = read_bytes(make_pdf(draw))
    (table,) = tables(doc)
    assert [r.texts for r in table.rows] == [("项目", "金额"), ("合计", "7.26")]
    assert any(isinstance(b, Heading) and b.text == "国有资本经营预算支出表" for b in doc.blocks())


# --- text -----------------------------------------------------------------------


@pytest.mark.parametrize("pitch", [14, 26])
def test_paragraph_lines_join_at_the_pages_own_spacing_and_a_blank_line_parts_them(pitch):
    """Double spacing (26 pt for 10 pt text) leaves gaps wider than the text: still one paragraph."""
    first = "财政拨款支出主要用于人员经费和公用经费支出，与上年相比增加"
    second = "主要原因是人员增加。"

    def draw(c, _):
        lines = [first[:14], first[14:], second, "新的一段从这里开始。"]
        for k, line in enumerate(lines):
            text(c, 60, 700 - pitch * k - (2 * pitch if k == 3 else 0), line, 10)

    doc = read_bytes(make_pdf(draw))
    assert [b.text for b in doc.blocks()] == [unicodedata.normalize("NFKC", first + second), "新的一段从这里开始。"]


def test_lines_wrap_at_their_own_pages_margin_not_at_a_wider_caption_elsewhere():
    """A caption reaching further right on another page (编制单位…单位：元) does not split this page's paragraphs."""
    sentence = "财政拨款支出主要用于人员经费和公用经费支出，与上年相比增加，主要原因是人员增加。"

    def draw(c, page):
        if page == 0:
            lines = [sentence[:22], sentence[22:] + sentence[:4], "同比增长。"]
            for k, line in enumerate(lines):
                text(c, 60, 700 - 14 * k, line, 10)
        else:
            text(c, 60, 700, "编制单位：某某区人力资源和社会保障局　　　　　　　　　　　　　单位：元", 10)
            text(c, 60, 400, "注：本表无数据。", 10)

    doc = read_bytes(make_pdf(draw, pages=2))
    paragraphs = [b.text for b in doc.blocks() if isinstance(b, Paragraph)]
    assert paragraphs[0] == unicodedata.normalize("NFKC", sentence + sentence[:4] + "同比增长。")


def test_headings_paragraphs_and_normalisation():
    long_line = "本部门是一个综合服务部门负责全区干部人事机构编制职称评聘人事档案等工作"

    def draw(c, _):
        text(c, 150, 780, "部门预算公开", 22)
        text(c, 60, 740, "第一部分 概况", 16)
        text(c, 60, 715, "一、本部门职责", 14)
        text(c, 84, 690, long_line[:20] + "ＡＢＣ（一）", 12)
        text(c, 60, 672, long_line[20:], 12)
        text(c, 84, 640, "2. 负责行使下放的41项行政职权", 12)
        text(c, 60, 610, "Bold summary", 12, font="Helvetica-Bold")
        text(c, 60, 580, "Plain budget text with the amount 1,491.74 stated in the line", 12, font="Helvetica")
        text(c, 60, 562, "and a second wrapped line of the same size.", 12, font="Helvetica")

    doc = read_bytes(make_pdf(draw))
    blocks = list(doc.blocks())
    headings = [(b.level, b.text) for b in blocks if isinstance(b, Heading)]
    assert headings == [(1, "部门预算公开"), (2, "第一部分概况"), (3, "一、本部门职责"), (3, "Bold summary")]
    paragraphs = [b for b in blocks if isinstance(b, Paragraph)]
    first = paragraphs[0]
    # wrapped CJK lines join without a space; NFKC turns full-width forms into ASCII
    assert first.text == long_line[:20] + "ABC(一)" + long_line[20:]
    assert len(first.span.line_locations) == 2
    assert all(loc.page == 1 and loc.bbox and loc.line is None for loc in first.span.line_locations)
    assert first.span.locate(len(first.text) - 2, len(first.text)).bbox == first.span.line_locations[1].bbox
    assert paragraphs[1].text == "2. 负责行使下放的41项行政职权"
    assert paragraphs[2].text == (
        "Plain budget text with the amount 1,491.74 stated in the line and a second wrapped line of the same size."
    )
    assert not tables(doc)


def test_slanted_number_in_another_font_mid_sentence_is_kept():
    """Word processors set digits in a Latin font, often slanted (synthetic italics): that is text, no watermark."""

    def draw(c, _):
        text(c, 60, 700, "支出预算总计增加1463.8万元，增长", 12)
        slanted = c.beginText()
        slanted.setTextTransform(1, 0, 0.33, 1, 266, 700)
        slanted.setFont("Helvetica", 11)
        slanted.textOut("8.85")
        c.drawText(slanted)
        text(c, 290, 700, "%。主要是人员增加。", 12)

    doc = read_bytes(make_pdf(draw))
    (paragraph,) = doc.blocks()
    assert paragraph.text == "支出预算总计增加1463.8万元,增长8.85%。主要是人员增加。"


def test_unruled_numeric_table_is_recovered_with_low_confidence():
    rows = [
        ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
        ("201", "一般公共服务支出", "1,448.10", "108.37", "1,339.73"),
        ("20132", "组织事务", "1,448.10", "108.37", "1,339.73"),
        ("2013250", "事业运行", "108.37", "108.37", ""),
        ("208", "社会保障和就业支出", "24.09", "24.09", ""),
    ]
    lefts = [60, 120, 0, 0, 0]
    rights = [0, 0, 330, 410, 490]

    def draw(c, _):
        text(c, 60, 760, "一般公共预算支出表", 16)
        text(c, 60, 735, "单位：万元", 10)
        for r, row in enumerate(rows):
            y = 710 - 18 * r
            for k, s in enumerate(row):
                if not s:
                    continue
                if lefts[k]:
                    text(c, lefts[k], y, s, 9)
                else:
                    c.setFont(CJK, 9)
                    c.drawRightString(rights[k], y, s)
        text(c, 60, 600, "注：本表金额单位为万元，部分合计数存在尾差。", 10)

    doc = read_bytes(make_pdf(draw))
    (table,) = tables(doc)
    assert table.confidence < 1
    assert [r.texts for r in table.rows] == rows
    assert any(isinstance(b, Paragraph) and b.text.startswith("注:") for b in doc.blocks())



def test_unruled_table_columns_from_right_edges_headers_and_an_empty_last_column():
    """A column-number row right-aligned under centred headers, and a last column only its header fills.

    "4" starts 2 pt right of the 单位资金 above it: too narrow a gap to part two
    columns.  上年结转 sits on a line of its own, beyond every amount: a column.
    """

    def draw(c, _):
        c.setFont(CJK, 9)
        for s, centre in (("项目名称", 100), ("合计", 200), ("一般公共预算", 255), ("单位资金", 321)):
            c.drawCentredString(centre, 700, s)
        c.drawCentredString(390, 706, "上年结转")
        for r, row in enumerate((("1", "2", "3", "4"), ("干教专项经费", "30.00", "30.00", ""), ("省校合作经费", "40.00", "40.00", ""))):
            y = 682 - 18 * r
            text(c, 60, y, row[0], 9)
            for s, right in zip(row[1:], (219, 287, 345), strict=True):
                c.drawRightString(right, y, s)
        text(c, 60, 600, "注：本表金额单位为万元。", 10)

    (table,) = tables(read_bytes(make_pdf(draw)))
    assert table.confidence < 1
    assert [r.texts for r in table.rows] == [
        ("项目名称", "合计", "一般公共预算", "单位资金", "上年结转"),
        ("1", "2", "3", "4", ""),
        ("干教专项经费", "30.00", "30.00", "", ""),
        ("省校合作经费", "40.00", "40.00", "", ""),
    ]

def test_form_without_rulings_gets_no_invented_table():
    lines = [
        ("项目名称:", "档案数字化后续整理维护费"),
        ("主管部门:", "组织和人力资源部"),
        ("年度资金总额:", "50,000"),
        ("其中:财政资金:", "50,000"),
        ("其他资金:", "0"),
        ("项目概况:", "对档案进行数字化扫描及后台系统更新维护"),
    ]

    def draw(c, _):
        for r, (label, value) in enumerate(lines):
            text(c, 60, 700 - 18 * r, label, 9)
            text(c, 200, 700 - 18 * r, value, 9)

    doc = read_bytes(make_pdf(draw))
    assert not tables(doc)
    assert "档案数字化后续整理维护费" in " ".join(b.text for b in doc.blocks())


# --- failures and special files ------------------------------------------------


def _simple(c, _):
    text(c, 60, 700, "Department budget", 12, font="Helvetica")


def test_encrypted_with_empty_user_password_is_read():
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = make_pdf(_simple, encrypt=StandardEncryption("", ownerPassword="owner", canPrint=0))
    assert b"/Encrypt" in data
    assert [b.text for b in read_bytes(data).blocks()] == ["Department budget"]


def test_encrypted_with_user_password():
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = make_pdf(_simple, encrypt=StandardEncryption("secret", ownerPassword="owner"))
    with pytest.raises(ReadError) as err:
        read_bytes(data)
    assert err.value.code == "LINT006"
    with pytest.raises(ReadError) as err:
        read_bytes(data, password="wrong")
    assert err.value.code == "LINT006"
    assert [b.text for b in read_bytes(data, password="secret").blocks()] == ["Department budget"]


def test_scanned_pages_are_noted():
    from PIL import Image

    image = ImageReader(Image.new("L", (40, 40), 128))

    def draw(c, page):
        if page == 1:
            text(c, 60, 700, "第二页有文字", 12)
        else:
            c.drawImage(image, 50, 50, 500, 700)

    doc = read_bytes(make_pdf(draw, pages=4))
    assert doc.notes == [("LINT003", {"pages": "1, 3-4"})]


def test_blank_file_without_any_text_is_noted():
    doc = read_bytes(make_pdf(lambda c, i: None, pages=2))
    assert doc.notes == [("LINT003", {"pages": "1-2"})]


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"PK\x03\x04 a zip file", "not a PDF"),
        (b"%PDF-1.4\n" + bytes(range(256)) * 8, "PDF"),
    ],
)
def test_broken_input_raises_lint001(data, reason):
    with pytest.raises(ReadError) as err:
        read_bytes(data)
    assert err.value.code == "LINT001"
    assert reason in err.value.values_in("en")["reason"]


def test_truncated_pdf_never_leaks_a_pdfminer_exception():
    data = make_pdf(lambda c, i: text(c, 60, 700, f"第{i + 1}页", 12), pages=3)
    for cut in (len(data) // 3, len(data) // 2, len(data) - 40):
        try:
            doc = read_bytes(data[:cut])
        except ReadError as err:
            assert err.code == "LINT001" and err.values_in("en")["reason"]
        else:
            assert doc.source_kind == "pdf"


# --- the shared corpus (skipped when ../shared is absent) -------------------------


def _key(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s.replace("<b>", "").replace("</b>", "")).split())


@pytest.mark.parametrize("name", ["seed-libreoffice.pdf", "seed-reportlab-cells.pdf", "seed-libreoffice-cairo.pdf"])
def test_generated_ruled_pdfs_match_the_truth(name):
    pdf = SHARED / "generated" / name
    if not pdf.exists():
        pytest.skip("shared corpus not available")
    truth = json.loads((SHARED / "generated" / "seed.truth.json").read_text(encoding="utf-8"))["blocks"]
    expected = [[tuple(_key(c) for c in row) for row in b["rows"]] for b in truth if b["kind"] == "table"]
    doc = read(Source(str(pdf), pdf.read_bytes()))
    got = [[tuple(_key(c) for c in row.texts) for row in t.rows] for t in doc.tables()]
    assert got == expected


@pytest.fixture(scope="module")
def real_documents() -> dict[str, object]:
    """Every real PDF of the shared corpus, read once: file name → document."""
    real = sorted((SHARED / "real").glob("*.pdf")) if (SHARED / "real").exists() else []
    if not real:
        pytest.skip("shared corpus not available")
    return {pdf.name: read(Source(str(pdf), pdf.read_bytes())) for pdf in real}


def test_every_real_pdf_reads(real_documents):
    for name, doc in real_documents.items():
        assert doc.pages and any(doc.blocks()), name
        for table in doc.tables():
            assert any(table.rows[0].texts), (name, table.location.page)  # no header lost, no stray empty edge
            for row in table.rows:
                assert row.location.page and row.location.bbox, name


def test_real_pdfs_keep_every_digit_pdfplumber_sees_unless_clipped(real_documents):
    """Per page, the digits of pdfplumber's text (bar lone page numbers) are all read, or hidden by a clipping path.

    pdfplumber, like pdfminer.six, reads text that a clipping path hides; the
    reader drops it.  What it drops is measured apart, by a pass with and one
    without clipping.
    """
    lost = []
    for txt in sorted((SHARED / "real").glob("*.txt")):
        parts = sorted(name for name in real_documents if name.startswith(txt.stem + "-part")) or [txt.stem + ".pdf"]
        if parts[0] not in real_documents:
            continue  # a text without a PDF
        pages = [page for name in parts for page in _page_texts(real_documents[name])]
        hidden = [page for name in parts for page in _clipped_digits((SHARED / "real" / name).read_bytes())]
        theirs = txt.read_text(encoding="utf-8").split("\f")
        for number, (ours, page, clipped) in enumerate(zip(pages, theirs, hidden, strict=False), start=1):
            kept = [line for line in page.splitlines() if not LONE_NUMBER.fullmatch(line)]
            missing = _digits(" ".join(kept)) - _digits(ours) - clipped
            if missing:
                lost.append((txt.stem, number, "".join(sorted(missing.elements()))))
    assert lost == []


def _clipped_digits(data: bytes) -> list[Counter]:
    """Per page, the digits that clipping paths hide."""
    from budgetlint.readers.pdf.clipping import ClippedAggregator, ClippingInterpreter

    def digits(device) -> list[Counter]:
        return [_digits("".join(text for kind, _, text, *_ in page if kind == "LTChar"))
                for page in layout(data, ClippingInterpreter, device)]

    return [everything - shown for everything, shown in zip(digits(PDFPageAggregator), digits(ClippedAggregator))]


LONE_NUMBER = re.compile(r"[-—─\s]*\d{1,3}[-—─\s]*")  # 5, - 5 -, ─ 5 ─


def _digits(text: str) -> Counter:
    return Counter(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


def _page_texts(doc) -> list[str]:
    """The text of each page: paragraph lines and cells by the page they lie on (a stitched table spans pages)."""
    texts: dict[int, list[str]] = {page.number: [] for page in doc.pages}
    for block in doc.blocks():
        if isinstance(block, Table):
            for row in block.rows:
                texts[row.location.page] += row.texts
        else:
            ends = [*block.span.line_starts[1:], len(block.text)]
            for start, end, location in zip(block.span.line_starts, ends, block.span.line_locations, strict=True):
                texts[location.page].append(block.text[start:end])
    return [" ".join(texts[n]) for n in sorted(texts)]


def test_an_open_line_runs_on_when_the_next_lines_first_number_would_not_fit_before_the_margin():
    """Ragged prose wraps before a number that does not fit (…服务预算 / 1234.56万元。): the line ends three
    characters short of the margin, yet its sentence goes on.  Where the number would have fitted, or the
    next line starts with a Chinese character that would have, the short line ends its paragraph."""
    full = "本部门在职人员经费主要用于保障基本运转和各项工作顺利开展并按规定足额保障"

    def draw(c, _):
        for k in range(4):  # tight prose: the margin is measured where these lines wrap (x = 492)
            text(c, 60, 760 - 16 * k, full, 12)
        text(c, 60, 696, "已全部完成。", 12)
        text(c, 60, 670, full[:-3], 12)  # 36 points short of the margin: "1234.56" needs about 42
        text(c, 60, 654, "1234.56万元。", 12)
        text(c, 60, 624, full[:-3], 12)
        text(c, 60, 608, "二是加强预算管理。", 12)
        text(c, 60, 578, full[:-6], 12)  # 72 points short: "1.5" would have fitted
        text(c, 60, 562, "1.5万元。", 12)

    paragraphs = [b.text for b in read_bytes(make_pdf(draw)).blocks() if isinstance(b, Paragraph)]
    assert full[:-3] + "1234.56万元。" in paragraphs
    assert full[:-3] in paragraphs and "二是加强预算管理。" in paragraphs
    assert full[:-6] in paragraphs and "1.5万元。" in paragraphs


def test_a_line_reaching_the_margin_open_runs_on_into_the_next():
    """Justified prose wraps mid-word (退休 / 费) and mid-clause (参公单位1家， / 具体包括：): a line that
    fills the page's measured width and ends on no closing mark continues its paragraph, even when the
    next line sits further below (wide spacing) or starts indented; a short line or a closed one may end it."""
    full = "本部门在职人员经费主要用于保障基本运转和各项工作顺利开展并按规定足额保障"
    assert len(full) == 36  # 432 points at 12 points a character: the lines end near x = 520

    def draw(c, _):
        # a block of tight prose: the margin is measured where these lines wrap
        for k in range(4):
            text(c, 60, 760 - 16 * k, full + "，持续", 12)
        text(c, 60, 696, "已全部完成。", 12)
        # wide spacing: the line ends on 退休 at the margin, 费 starts the next line 30 points below
        text(c, 60, 660, full + "退休", 12)
        text(c, 60, 630, "费等支出已按标准列支。", 12)
        # an indented line after a full line ending on a comma
        text(c, 60, 600, full + "家，", 12)
        text(c, 84, 584, "具体包括：办公室。", 12)
        # a short line ends its paragraph; the indented line after it starts another
        text(c, 60, 554, "上述事项说明完毕。", 12)
        text(c, 84, 538, "二是加强预算管理。", 12)

    paragraphs = [b.text for b in read_bytes(make_pdf(draw)).blocks() if isinstance(b, Paragraph)]
    assert full + "退休费等支出已按标准列支。" in paragraphs
    assert full + "家,具体包括:办公室。" in paragraphs
    assert "上述事项说明完毕。" in paragraphs and "二是加强预算管理。" in paragraphs

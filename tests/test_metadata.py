"""Document metadata read from the opening lines: year, kind and department (budget/metadata.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from budgetlint.cli import main
from helpers import budget

BODY = "\n目录\n第一部分 部门概况\n一、主要职能\n"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.parametrize("opening, year, kind, department", [
    # A title printed over two lines that names no kind: the opening sections say 部门.
    ("2018 年度江苏省高级\n人民法院预算公开\n2018 年 2 月 24 日", 2018, "部门预算", "江苏省高级人民法院"),
    # The year printed apart from the title, after it; the contents give it.
    ("江苏省人民检察院\n年部门预算\n2017\n目 录\n第二部分 江苏省人民检察院 2017 年度部门预算表", 2017, "部门预算", "江苏省人民检察院"),
    # A title cut inside its kind word, with a (本级) qualifier.
    ("2026年深圳市民政局(本级)部门预\n算", 2026, "部门预算", "深圳市民政局(本级)"),
    ("2026年度\n福州市鼓楼生态环境局\n单位预算", 2026, "单位预算", "福州市鼓楼生态环境局"),
    ("北京市文化和旅游局2026年度\n部门预算信息公开", 2026, "部门预算", "北京市文化和旅游局"),
    ("国家信访局\n2024年度部门决算\n二〇二五年七月", 2024, "部门决算", "国家信访局"),
    # A labelled line names the department outright and wins over the title.
    ("上海市普陀区2026年区级单位预算\n预算单位:上海市普陀区人民政府石泉路街道办事处(本级)", 2026, "单位预算",
     "上海市普陀区人民政府石泉路街道办事处(本级)"),
])
def test_the_title_gives_year_kind_and_department(opening, year, kind, department):
    cover = opening.replace("\n", "\n\n")  # a cover page: each line a paragraph of its own
    metadata = budget(cover + "\n" + BODY).metadata
    assert (metadata.year, metadata.kind, metadata.department) == (year, kind, department)


def test_a_document_opening_with_its_contents_names_no_department():
    metadata = budget("第一部分 2026 年度部门预算情况说明\n一、部门情况说明\n二、收入预算情况说明\n").metadata
    assert metadata.department == "" and metadata.kind == "部门预算"


def test_corpus_output_names_the_2018_court_document():
    pdf = SHARED / "corpus" / "real" / "2018-jiangsu-province-gaojifayuan-dept-budget.pdf"
    if not pdf.exists():
        pytest.skip("../shared/corpus/real is not available")
    result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "corpus-csv", str(pdf)])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and {(r["kind"], r["year"], r["department"]) for r in rows} == {("部门预算", "2018", "江苏省高级人民法院")}

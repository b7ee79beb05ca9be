"""NAME005: a code printed with a name that is not its name in the classification of the document's year.

The classification is data (rules/classification-codes.tsv, written by
scripts/generate_classification.py); the tests inject a defect into the
reference document (2026) or a real one, and assert the new findings.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from budgetlint.budget import classification
from budgetlint.findings import Finding, Severity
from helpers import SHARED, inject, line_of, lint, new_findings, reference_text

ROOT = Path(__file__).resolve().parents[1]
CODE = ("NAME005",)
CITIES = SHARED / "cities"
# The reference's 210 row, in its three tables by 功能分类.
HEALTH = "210\t卫生健康支出\t7.26\t7.26"
OLD_HEALTH = "210\t医疗卫生与计划生育支出\t7.26\t7.26"
# A real 2026 budget whose page text the model reads with its 项 rows.
GUANGZHOU = "2026-guangdong-guangzhou-gongyehexinxihuaju-dept-budget.txt"


def found(text: str, lang: str = "zh") -> list[Finding]:
    return lint(text, select=CODE, lang=lang)


def in_year(text: str, year: int) -> str:
    """The text dated ``year`` rather than 2026 (its title, and so its metadata year)."""
    return text.replace("2026年", f"{year}年")


def test_the_data_knows_the_health_rename():
    assert classification.in_force("210", 2018).name == "医疗卫生与计划生育支出"
    assert classification.in_force("210", 2026).name == "卫生健康支出"
    assert classification.in_force("210", 1990) is None  # before the data's first year: not judged
    assert classification.in_force("2999999", 2026) is None


@pytest.mark.parametrize(("printed", "official", "same"), [
    ("一般公共服务支出（类）", "一般公共服务支出", True),
    ("一般公共服务 支出", "一般公共服务支出", True),
    ("政府办公厅(室)及相关机构事", "政府办公厅（室）及相关机构事务", True),  # cut at the cell's edge
    ("其他一般公共服务", "其他一般公共服务支出", True),
    ("行政运行", "一般行政管理事务", False),
    ("卫生健康支出", "医疗卫生与计划生育支出", False),
])
def test_same_name(printed, official, same):
    assert classification.same_name(printed, official) is same


def test_reference_has_no_finding():
    assert found(reference_text()) == []


def test_outdated_name_in_a_2026_budget_is_a_warning_naming_both_years():
    text = inject(HEALTH, OLD_HEALTH, count=3)
    [finding] = found(text)
    assert (finding.code, finding.severity) == ("NAME005", Severity.WARNING)
    assert finding.location.line == line_of(text, OLD_HEALTH)
    rows = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(OLD_HEALTH)]
    assert (len(rows), [r.line for r in finding.related]) == (3, rows[1:])  # one finding for the three rows
    since = classification.in_force("210", 2018).since
    assert finding.message == (f"“医疗卫生与计划生育支出”是科目 210 {since}–2018 年的名称，"
                               "2026年《政府收支分类科目》中为“卫生健康支出”")
    [english] = found(text, lang="en")
    assert english.message == (f"\"医疗卫生与计划生育支出\" is the name of code 210 in {since}–2018; "
                               "in the 2026 classification it is \"卫生健康支出\"")


def test_outdated_name_in_its_own_year_is_not_reported():
    dated = in_year(inject(HEALTH, OLD_HEALTH, count=3), 2018)
    assert "医疗卫生与计划生育支出" not in {f.evidence["printed"] for f in found(dated)}
    assert "医疗卫生与计划生育支出" in {f.evidence["printed"] for f in found(inject(HEALTH, OLD_HEALTH, count=3))}


def test_the_current_names_in_an_older_year_are_reported():
    # The 2018 reference prints the 2019 names: 210 with its code, 207 and 220 in the 收支总表's list of 类.
    findings = found(in_year(reference_text(), 2018))
    assert sorted(f.evidence["code"] for f in findings) == ["207", "210", "220"]
    assert {f.evidence["outdated"]["years"] for f in findings} == {"2019–"}


def test_another_codes_name_is_a_warning_naming_that_code():
    row = "2080505\t机关事业单位基本养老保险缴费支出\t12.23\t12.23"
    text = inject(row, row.replace("基本养老保险缴费支出", "职业年金缴费支出"), count=3)
    [finding] = found(text)
    assert finding.severity is Severity.WARNING
    assert finding.message == ("科目编码 2080505 的名称印为“机关事业单位职业年金缴费支出”，这是2026年科目 2080506 的名称；"
                               "2080505 应为“机关事业单位基本养老保险缴费支出”")


def test_a_name_of_no_code_is_reported_plainly():
    row = "2080505\t机关事业单位基本养老保险缴费支出\t12.23\t12.23"
    [finding] = found(inject(row, row.replace("基本养老保险缴费支出", "养老补贴"), count=3))
    assert finding.message == ("科目编码 2080505 的名称印为“机关事业单位养老补贴”，"
                               "2026年《政府收支分类科目》中 2080505 为“机关事业单位基本养老保险缴费支出”")


def test_a_document_without_a_year_is_not_judged():
    text = inject(HEALTH, OLD_HEALTH, count=3).replace("2026年", "")
    assert found(text) == []


LINE_ITEM = "\n“医疗卫生与计划生育支出(类）-行政事业单位医疗（款）-事业单位医疗（项）”7.26万元，主要用于医疗保险缴费。\n"
ANCHOR = "一般公共预算当年拨款结构图\n"


def test_an_outdated_name_written_without_its_code_is_recognised():
    text = inject(ANCHOR, ANCHOR + LINE_ITEM)
    [finding] = found(text)
    assert finding.location.line == line_of(text, "“医疗卫生与计划生育支出(类）")
    assert (finding.evidence["code"], finding.evidence["outdated"]["name"]) == ("210", "医疗卫生与计划生育支出")
    assert new_findings(found(in_year(reference_text(), 2018)), found(in_year(text, 2018))) == []  # its own year


def test_a_current_name_without_its_code_is_not_judged():
    assert found(inject(ANCHOR, ANCHOR + LINE_ITEM.replace("医疗卫生与计划生育支出", "卫生健康支出"))) == []


def test_a_line_item_of_the_narrative_is_checked():
    anchor = "一般公共预算当年拨款结构图\n"
    text = inject(anchor, anchor + "\n1.2101102-行政单位医疗 7.26万元，主要用于医疗保险缴费。\n")
    [finding] = found(text)
    assert finding.location.line == line_of(text, "1.2101102-行政单位医疗")
    assert finding.evidence["other_codes"] == ["2101101"]


@pytest.mark.skipif(not (CITIES / GUANGZHOU).is_file(), reason="../shared/cities not available")
def test_a_project_row_renamed_in_a_real_budget_is_found_once_at_its_row():
    text = (CITIES / GUANGZHOU).read_text(encoding="utf-8")
    row = "2080501           行政单位离退休"
    mutated = inject(row, row.replace("行政单位离退休", "事业单位离退休"), text=text)
    [finding] = new_findings(lint(text, select=CODE, path=GUANGZHOU), lint(mutated, select=CODE, path=GUANGZHOU))
    assert finding.location.line == line_of(mutated, "2080501           事业单位离退休")
    assert finding.evidence["other_codes"] == ["2080502"]


def test_a_row_named_as_its_parent_or_child_is_a_misread_code_not_a_name():
    # 2101102 read as 21011 (its 项 part lost): the row's name is its child's, not a wrong name.
    text = inject("21011\t行政事业单位医疗\t7.26\t7.26", "21011\t事业单位医疗\t7.26\t7.26", count=3)
    assert found(text) == []


# --- the data's derivation (scripts/generate_classification.py) ------------------------------


@pytest.fixture(scope="module")
def generator():
    spec = importlib.util.spec_from_file_location("generate_classification", ROOT / "scripts" / "generate_classification.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_name_holds_back_to_the_oldest_year_without_a_rival(generator):
    years = {2026: Counter({"行政运行": 5}), 2025: Counter({"行政运行": 2, "一般行政管理事务": 1}), 2024: Counter({"机关服务": 2})}
    assert generator.derive("2010301", "行政运行", years, []) == [("行政运行", 2025, None)]


def test_a_rival_name_of_the_latest_year_makes_the_code_ambiguous(generator):
    years = {2026: Counter({"行政运行": 5, "机关服务": 2})}
    assert generator.derive("2010301", "行政运行", years, []) == []


def test_a_code_no_document_prints_holds_from_the_candidates_year(generator):
    assert generator.derive("2010301", "行政运行", {}, []) == [("行政运行", generator.CANDIDATE_YEAR, None)]


def test_a_recorded_rename_gives_both_names_their_years(generator):
    rename = {"code": "210", "old": "医疗卫生与计划生育支出", "new": "卫生健康支出", "year": 2019, "old_since": 2017}
    years = {2026: Counter({"卫生健康支出": 9, "医疗卫生与计划生育支出": 2})}  # documents with the old name: no rival
    assert generator.derive("210", "卫生健康支出", years, [rename]) == [
        ("医疗卫生与计划生育支出", 2017, 2018), ("卫生健康支出", 2019, None)]


def test_extraction_noise_is_no_candidate(generator):
    found = generator.candidates() if generator.SHARED_DATA.is_dir() else pytest.skip("../shared/data not available")
    assert "21000" not in found and "330" not in found  # 平方米, 台套: no code listed below them
    assert "2101599" not in found  # a 99 code named 办公家具、设备、耗材购置
    assert found["2101102"] == "事业单位医疗"

"""The PCT (percentage) rules, run through the real plugin manager on the reference document.

Each test injects one defect into a copy of the reference document and
asserts exactly the findings it must add (code, severity, line, column),
against the clean reference; near misses (rounding or truncation in the last
digit) add none.  Expected values in the comments were worked out by hand.
"""

from __future__ import annotations

from functools import cache

import pytest

from budgetlint.findings import Finding
from budgetlint.plugins import load_plugins
from helpers import assert_rules_registered, city, inject, lint, new_findings, real_texts, reference_text

CODES = tuple(f"PCT00{n}" for n in range(1, 6))
SELECT = ("PCT",)

# Anchors: unique text just before the numbers the tests look at.
EXPENSE = "支出预算1491.74万元，其中"  # 基本支出152.01万元，占10.19%；项目支出1339.73万元，占89.81%。
STRUCTURE = "主要用于以下方面"  # 一般公共服务支出1,448.10万元,占97.07%；…
GROWTH = "一般公共预算当年支出1,491.74万元,比上年增加41.74万元,"  # 增长2.88%。


@cache
def clean_findings() -> tuple[Finding, ...]:
    return tuple(lint(reference_text(), select=SELECT))


def added(text: str, lang: str = "zh") -> list[Finding]:
    return new_findings(list(clean_findings()), lint(text, select=SELECT, lang=lang))


def at(text: str, fragment: str, after: str) -> tuple[int, int]:
    """(line, column) of the first ``fragment`` after the unique text ``after``."""
    assert text.count(after) == 1, after
    index = text.index(fragment, text.index(after))
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def located(findings: list[Finding]) -> list[tuple[str, str, int | None, int | None]]:
    return sorted((f.code, f.severity.value, f.location.line, f.location.column) for f in findings)


def expect(code: str, severity: str, text: str, fragment: str, after: str) -> tuple[str, str, int, int]:
    return (code, severity, *at(text, fragment, after))


# --- registration and the clean reference --------------------------------------


def test_pct_rules_register_with_docs_in_both_languages():
    plugins = load_plugins()
    assert_rules_registered(plugins, CODES, "pct")


def test_reference_document_has_no_pct_findings():
    # Hand-checked: 152.01 / 1491.74 = 10.19%, 1339.73 / 1491.74 = 89.81%, 1448.10 / 1491.74 = 97.07%,
    # 24.09 / 1491.74 = 1.61%, 7.26 / 1491.74 = 0.49%, 12.28 / 1491.74 = 0.82% (sum 99.99%, list ends in 等),
    # 41.74 / (1491.74 − 41.74) = 2.88%, and 1491.74 of 1491.74 is 100.00%.
    assert clean_findings() == ()


# --- PCT001 shares ----------------------------------------------------------------


def test_pct001_share_against_its_sentence_base_is_an_error():
    text = inject("基本支出152.01万元，占10.19%", "基本支出152.01万元，占11.19%")
    found = added(text)
    assert located(found) == sorted([
        expect("PCT001", "error", text, "11.19", EXPENSE),
        expect("PCT003", "error", text, "11.19", EXPENSE),  # 11.19 + 89.81 = 101.00%
    ])
    share = next(f for f in found if f.code == "PCT001")
    assert share.message == "“基本支出”占比写为 11.19%，但 152.01 ÷ 1491.74 = 10.19%"


def test_pct001_share_against_an_inherited_base_is_a_warning():
    # 项目支出's sentence (split at ；) states no base: it is the list's 支出预算 1491.74.
    text = inject("项目支出1339.73万元，占89.81%", "项目支出1339.73万元，占88.81%")
    assert located(added(text)) == sorted([
        expect("PCT001", "warning", text, "88.81", EXPENSE),
        # the amounts 152.01 + 1339.73 make up 1491.74, yet the shares make 10.19 + 88.81 = 99.00%
        expect("PCT003", "error", text, "10.19", EXPENSE),
    ])


def test_pct001_english_message():
    text = inject("基本支出152.01万元，占10.19%", "基本支出152.01万元，占11.19%")
    [share] = [f for f in added(text, lang="en") if f.code == "PCT001"]
    assert share.message == 'Share of "基本支出" stated as 11.19%, but 152.01 / 1491.74 = 10.19%'


@pytest.mark.parametrize("share, severity", [("10.18", None), ("10.20", None), ("10.17", "warning"), ("11.19", "error")])
def test_pct001_last_digit_is_a_rounding_tail(share, severity):
    # 152.01 / 1491.74 = 10.1902%: 10.18 or 10.20 differ in the last digit only (rounding or truncation);
    # 10.17 is one more unit off (a warning: severity follows the size); 11.19 is a wrong figure.
    text = inject("基本支出152.01万元，占10.19%", f"基本支出152.01万元，占{share}%")
    found = [f for f in added(text) if f.code == "PCT001"]
    assert located(found) == ([expect("PCT001", severity, text, share, EXPENSE)] if severity else [])


def test_pct001_and_pct003_on_a_list_ending_in_deng():
    text = inject("一般公共服务支出1,448.10万元,占97.07%", "一般公共服务支出1,448.10万元,占97.70%")
    assert located(added(text)) == sorted([
        expect("PCT001", "error", text, "97.70", STRUCTURE),
        expect("PCT003", "error", text, "97.70", STRUCTURE),  # 97.70 + 1.61 + 0.49 + 0.82 = 100.62%
    ])


# --- PCT002 growth rates ------------------------------------------------------------


def test_pct002_rate_that_does_not_follow_from_the_change():
    text = inject("比上年增加41.74万元,增长2.88%。", "比上年增加41.74万元,增长3.88%。")
    found = added(text)
    assert located(found) == [expect("PCT002", "error", text, "3.88", GROWTH)]
    # previous year 1491.74 − 41.74 = 1450.00; 41.74 / 1450.00 = 2.88%; 41.74 / 3.88% = 1075.77
    assert found[0].message == (
        "增减率 3.88% 与金额不符：本年 1491.74、增减 41.74 意味着上年为 1450.00，"
        "41.74 ÷ 1450.00 = 2.88%；按 3.88% 推算上年应为 1075.77"
    )


@pytest.mark.parametrize("rate, severity", [("2.87", None), ("2.89", "warning"), ("2.86", "warning"), ("2.98", "error")])
def test_pct002_last_digit_is_a_rounding_tail(rate, severity):
    # 41.74 / 1450.00 = 2.8786%: 2.87 is the truncation; 2.89 and 2.86 are more than a unit of the
    # last digit away but within two (a warning); 2.98 is a wrong figure.
    text = inject("比上年增加41.74万元,增长2.88%。", f"比上年增加41.74万元,增长{rate}%。")
    assert located(added(text)) == ([expect("PCT002", severity, text, rate, GROWTH)] if severity else [])


def test_pct002_change_and_rate_going_opposite_ways():
    text = inject("比上年增加41.74万元,增长2.88%。", "比上年增加41.74万元,下降2.88%。")
    found = added(text)
    assert located(found) == [expect("PCT002", "error", text, "2.88", GROWTH)]
    assert "一为增加、一为减少" in found[0].message


def test_pct002_decrease_is_measured_against_the_larger_previous_year():
    # 1491.74 + 41.74 = 1533.48 last year; 41.74 / 1533.48 = 2.72%
    assert added(inject("比上年增加41.74万元,增长2.88%。", "比上年减少41.74万元,下降2.72%。")) == []
    text = inject("比上年增加41.74万元,增长2.88%。", "比上年减少41.74万元,下降2.88%。")
    assert located(added(text)) == [("PCT002", "error", *at(text, "2.88", "比上年减少41.74万元,"))]


@pytest.mark.parametrize(
    ("opening", "rate", "reported"),
    [("与上年相比", "2.88", False), ("与上年相比", "3.88", True), ("与2025年度相比，", "3.88", True), ("其中", "3.88", False)],
)
def test_pct002_change_in_the_next_sentence_is_from_the_amount_before(opening, rate, reported):
    """与上年相比，增加y万元，增长x% refers back to the amount stated in the sentence before; a warning, not an error."""
    sentence = f"一般公共预算当年支出1,491.74万元。{opening}增加41.74万元,增长{rate}%。"
    text = inject("一般公共预算当年支出1,491.74万元,比上年增加41.74万元,增长2.88%。", sentence)
    expected = [("PCT002", "warning", *at(text, rate, opening))] if reported else []
    assert located(added(text)) == expected


@pytest.mark.parametrize("word", ["降幅", "降幅为", "减幅"])
def test_pct002_rate_named_by_a_decline_noun(word):
    # 41.74 / 1533.48 = 2.72%: 降幅 2.72% is right, 降幅 0.27% (a slipped digit) is not
    decrease = "比上年减少41.74万元,"
    assert added(inject("比上年增加41.74万元,增长2.88%。", f"{decrease}{word}2.72%。")) == []
    text = inject("比上年增加41.74万元,增长2.88%。", f"{decrease}{word}0.27%。")
    assert located(added(text)) == [("PCT002", "error", *at(text, "0.27", decrease))]


def test_pct002_base_naming_the_previous_year_is_not_the_current_amount():
    # (2025年度支出为1,450.00万元)，增加41.74万元，增长2.88%: 41.74 / 1450.00 = 2.88%, correct as stated.
    sentence = "一般公共预算当年支出1,491.74万元,比上年增加41.74万元,增长2.88%。"
    assert added(inject(sentence, "与2025年度相比（2025年度支出为1,450.00万元），增加41.74万元,增长2.88%。")) == []


@pytest.mark.parametrize(
    ("part", "rate", "reported"),
    [
        # 2.01 / (152.01 − 2.01) = 1.34%: the rate is 基本支出's, the one part listed before the change
        ("其中：基本支出152.01万元,比上年增加2.01万元,增长{rate}%", "1.34", False),
        ("其中：基本支出152.01万元,比上年增加2.01万元,增长{rate}%", "2.34", True),
        ("包括基本支出152.01万元,比上年增加2.01万元,增长{rate}%", "1.34", False),
        # in one clause with the part, after the amount it is compared with (150.00 is last year's)
        ("其中：基本支出152.01万元比2025年初预算数150.00万元增加2.01万元,增长{rate}%", "1.34", False),
        ("其中：基本支出152.01万元比2025年初预算数150.00万元增加2.01万元,增长{rate}%", "2.34", True),
        # after two parts in clauses of their own, the change is the total's: 41.74 / 1450.00 = 2.88%
        ("其中：基本支出152.01万元,项目支出1339.73万元,比上年增加41.74万元,增长{rate}%", "2.88", False),
    ],
)
def test_pct002_a_change_after_a_listed_part_is_the_parts(part, rate, reported):
    sentence = f"一般公共预算当年支出1,491.74万元,{part.format(rate=rate)}。"
    text = inject("一般公共预算当年支出1,491.74万元,比上年增加41.74万元,增长2.88%。", sentence)
    expected = [("PCT002", "error", *at(text, rate, sentence))] if reported else []
    assert located(added(text)) == expected


def test_pct002_a_real_rate_of_a_listed_part():
    """福州交管支队: "1335.21 万元，其中：公务用车运行费 1114.17 万元，比上年减少 30.00 万元，下降 2.62%": 30 / 1144.17."""
    name = "2026-fujian-fuzhou-gonganjujiaotongguanlizhidui-unit-budget.txt"
    clean = city(name)
    assert lint(clean, select=("PCT002",), path=name) == []
    text = inject("下降 2.62%", "下降 3.62%", clean)
    found = lint(text, select=("PCT002",), path=name)
    assert located(found) == [("PCT002", "error", *at(text, "3.62", "其中：公务用车运行费"))]


# --- PCT003 shares of one base ------------------------------------------------------


def test_pct003_partial_list_falling_short_is_quiet():
    # Dropping 住房保障支出 leaves 97.07 + 1.61 + 0.49 = 99.17%, but the amounts listed
    # (1479.45) do not make up the base (1491.74) either: a partial list.
    text = inject("；住房保障支出12.28万元,占0.82%等。", "等。")
    assert added(text) == []


def test_pct003_shares_named_by_their_base_must_not_exceed_100():
    sentence = "政府采购预算总额15.20万元。其中：政府采购货物预算11.20万元、政府采购工程预算0万元、政府采购服务预算4.00万元。"
    shares = "政府采购预算总额15.20万元。其中：货物11.20万元，占政府采购预算的73.68%；服务4.00万元，占政府采购预算的36.32%。"
    text = inject(sentence, shares)  # 73.68 + 36.32 = 110.00%
    assert located(added(text)) == [expect("PCT003", "error", text, "73.68", "货物11.20万元")]
    assert added(inject(sentence, shares.replace("36.32", "26.32"))) == []  # 11.20 / 15.20 = 73.68%, 4.00 / 15.20 = 26.32%


def test_pct003_one_whole_divided_two_ways_in_turn_is_two_lists():
    # A 决算 divides its spending by function, then by kind (基本/项目): each run reaches 100%.
    sentence = "政府采购预算总额15.20万元。其中：政府采购货物预算11.20万元、政府采购工程预算0万元、政府采购服务预算4.00万元。"
    two_ways = ("政府采购预算总额15.20万元。其中：货物11.20万元，占政府采购预算的73.68%；服务4.00万元，占政府采购预算的26.32%；"
                "集中采购12.00万元，占政府采购预算的78.95%；分散采购3.20万元，占政府采购预算的21.05%。")
    assert added(inject(sentence, two_ways)) == []
    wrong = two_ways.replace("26.32", "36.32")  # the first run no longer closes at 100%: one list of 210%
    assert located(added(inject(sentence, wrong))) == [expect("PCT003", "error", inject(sentence, wrong), "73.68", "货物11.20万元")]


def test_pct003_rates_of_completion_are_not_shares_of_one_whole():
    # Each item's 完成预算的x% is of its own budget: three of them may add up beyond 100%.
    sentence = "政府采购预算总额15.20万元。其中：政府采购货物预算11.20万元、政府采购工程预算0万元、政府采购服务预算4.00万元。"
    rates = ("政府采购预算总额15.20万元。其中：货物支出决算11.20万元，完成预算的93.33%；"
             "服务支出决算4.00万元，完成预算的80.00%。")
    assert [f for f in added(inject(sentence, rates)) if f.code == "PCT003"] == []


# --- PCT004 zero bases ---------------------------------------------------------------


def test_pct004_growth_from_zero():
    text = inject("比上年增加41.74万元,增长2.88%。", "比上年增加1,491.74万元,增长100%。")  # last year: 0
    found = added(text)
    assert located(found) == [("PCT004", "error", *at(text, "100", "比上年增加1,491.74万元,"))]
    assert "上年为 0" in found[0].message


def test_pct004_share_of_a_zero_base():
    text = inject("支出预算1491.74万元，其中", "支出预算0万元，其中")
    anchor = "支出预算0万元，其中"
    assert located(added(text)) == sorted([
        ("PCT004", "error", *at(text, "10.19", anchor)),
        ("PCT004", "error", *at(text, "89.81", anchor)),
    ])


# --- PCT005 missing % sign --------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, number, after",
    [
        ("基本支出152.01万元，占10.19%；", "基本支出152.01万元，占10.19；", "10.19", EXPENSE),
        ("比上年增加41.74万元,增长2.88%。", "比上年增加41.74万元,增长2.88。", "2.88", GROWTH),
        ("项目支出1339.73万元，占89.81%。", "项目支出1339.73万元，占支出预算的89.81。", "89.81", EXPENSE),
    ],
)
def test_pct005_percentage_without_its_sign(old, new, number, after):
    text = inject(old, new)
    found = added(text)
    assert located(found) == [("PCT005", "warning", *at(text, number, after))]
    assert number in found[0].message


@pytest.mark.parametrize(
    "old, new",
    [
        ("比上年增加41.74万元,增长2.88%。", "比上年增加41.74万元,增长2.88个百分点。"),
        ("比上年增加41.74万元,增长2.88%。", "比上年增加41.74万元,增长2倍。"),
        ("比上年增加41.74万元,增长2.88%。", "比上年增加41.74万元,增长41.74万。"),
    ],
)
def test_pct005_numbers_with_their_own_unit_are_quiet(old, new):
    assert [f for f in added(inject(old, new)) if f.code == "PCT005"] == []


# --- the real corpus ----------------------------------------------------------------------


@pytest.mark.skipif(not real_texts(), reason="real corpus (../shared/corpus/real) not available")
@pytest.mark.parametrize("path", real_texts(), ids=lambda p: p.stem)
def test_real_corpus_runs_without_crashes(path):
    findings = lint(path.read_text(encoding="utf-8"), select=SELECT, path=path.name)
    assert not [f for f in findings if f.code == "LINT002"]  # a rule crashed

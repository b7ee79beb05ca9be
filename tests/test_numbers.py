"""Number parsing, units and interval comparison."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budgetlint.numbers import Interval, Quantity, amount, find_quantities, parse_decimal, parse_quantity, total

D = Decimal


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator"),
    [
        ("1,491.74", "1491.74", "", ""),
        ("50,000", "50000", "", ""),
        ("21.07万元", "21.07", "万元", ""),
        ("≥95%", "95", "%", "≥"),
        ("≥ 95 ％", "95", "%", "≥"),
        ("26400人", "26400", "人", ""),
        ("1000元/人", "1000", "元/人", ""),
        ("0", "0", "", ""),
        ("<3%", "3", "%", "<"),
        ("-12.50", "-12.50", "", ""),
    ],
)
def test_parse_quantity(text, value, unit, comparator):
    quantity = parse_quantity(text)
    assert quantity == Quantity(D(value), unit, comparator)
    assert str(quantity.value) == value  # stated decimals are kept


@pytest.mark.parametrize("text", ["", "及时", "设定个", "控制在年初预算内", "1,49,1", "12.3.4"])
def test_not_a_quantity(text):
    assert parse_quantity(text) is None


def test_blank_cells_are_not_amounts():
    assert amount("") is None and amount(" - ") is None and amount("—") is None
    assert amount("0.00") == D("0.00") and amount("1,339.73") == D("1339.73")


def test_stated_interval_follows_decimals():
    assert Interval.stated(D("1491.74")) == Interval(D("1491.735"), D("1491.745"))
    assert Interval.stated(D("50000")) == Interval(D("49999.5"), D("50000.5"))
    assert Interval.stated(D("0.5")) == Interval(D("0.45"), D("0.55"))


def test_rounding_tail_is_consistent_but_a_real_gap_is_not():
    parts = [Interval.stated(D(x)) for x in ("1448.10", "24.09", "7.26", "12.28")]  # 1491.73
    assert Interval.stated(D("1491.74")).overlaps(total(parts))
    assert not Interval.stated(D("1491.84")).overlaps(total(parts))
    assert Interval.stated(D("1491.84")).distance(total(parts)) == D("0.085")


def test_unit_conversion_keeps_intervals():
    yuan = parse_quantity("300,000").interval
    wan = parse_quantity("30.00万元").in_unit("元")
    assert wan == Interval(D("299950.00"), D("300050.00"))
    assert wan.overlaps(yuan)
    assert not parse_quantity("3.00万元").in_unit("元").overlaps(yuan)


def test_division_and_zero():
    share = Interval.stated(D("152.01")).divide(Interval.stated(D("1491.74")))
    assert share.lo < D("0.1019") < share.hi
    assert Interval.exact(D(1)).divide(Interval.stated(D("0"))) is None


def test_find_quantities_in_prose():
    text = "基本支出152.01万元，占10.19%；比上年增加41.74万元，增长2.88%，二级项目18个。"
    found = [(text[m.start:m.end], m.quantity.unit) for m in find_quantities(text)]
    assert found == [("152.01万元", "万元"), ("10.19%", "%"), ("41.74万元", "万元"), ("2.88%", "%"), ("18个", "个")]


@given(st.text())
def test_parsers_never_crash(text):
    parse_quantity(text)
    parse_decimal(text)
    amount(text)
    for mention in find_quantities(text):
        assert 0 <= mention.start < mention.end <= len(text)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9))
def test_round_trip_with_thousands_separators(value):
    written = f"{value:,.2f}"
    assert parse_decimal(written) == value
    assert parse_quantity(written + "万元") == Quantity(D(f"{value:.2f}"), "万元", "")


@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_sum_of_rounded_parts_is_consistent_with_rounded_total(parts):
    exact = sum(parts, D(0))
    rounded_total = exact.quantize(D("0.1"))  # stated to fewer decimals: its interval must still overlap
    assert Interval.stated(rounded_total).overlaps(total(Interval.stated(p) for p in parts))

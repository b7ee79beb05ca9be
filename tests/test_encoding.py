"""Decoding text sources: BOMs, UTF-16 by NUL pattern, UTF-8, GB18030, garbage."""

from __future__ import annotations

import codecs
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgetlint.encoding import decode
from budgetlint.readers import ReadError

SAMPLE = "2026年预算收入总表\n科目编码\t科目名称\t合计\n201\t一般公共服务支出\t1448.10\n"


def test_utf8():
    assert decode(SAMPLE.encode("utf-8")) == (SAMPLE, "utf-8")


def test_utf8_with_bom_drops_the_bom():
    assert decode(codecs.BOM_UTF8 + SAMPLE.encode("utf-8")) == (SAMPLE, "utf-8-sig")


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_gbk_family_decodes_as_gb18030(codec):
    data = SAMPLE.encode(codec)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test is only meaningful if UTF-8 fails
    assert decode(data) == (SAMPLE, "gb18030")


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_bom(bom, codec):
    assert decode(bom + SAMPLE.encode(codec)) == (SAMPLE, codec)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_found_by_its_nul_pattern(codec):
    text = "Budget 2026\nTotal\t1491.74\n合计\t1491.74\n"
    assert decode(text.encode(codec)) == (text, codec)


def test_nul_bytes_are_stripped_from_otherwise_valid_text():
    assert decode("预算\x00收入\n".encode()) == ("预算收入\n", "utf-8")
    padded = SAMPLE.encode("utf-8") + b"\x00" * 7
    assert decode(padded) == (SAMPLE, "utf-8")


def test_other_encodings_fall_back_to_detection():
    text = "Бюджетные расходы на образование выросли. Доходы бюджета составили тысячу рублей.\n" * 3
    data = text.encode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb18030")
    assert decode(data) == (text, "cp1251")


def test_empty_input_is_empty_text():
    assert decode(b"") == ("", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(2026).randbytes(4096),
        bytes(range(256)) * 8,
        b"\x00" * 64,
        b"\x01\x02\x03\x04\x05\x06" * 50 + b"text",
        codecs.BOM_UTF16_LE + b"\x00\xd8",  # a lone surrogate
    ],
    ids=["random", "all-bytes", "all-nul", "control-characters", "broken-utf16"],
)
def test_binary_or_garbage_is_unreadable(data):
    with pytest.raises(ReadError) as info:
        decode(data)
    assert info.value.code == "LINT001"
    reason = info.value.values_in("en")["reason"]
    assert isinstance(reason, str) and reason.isascii() and len(reason) > 10


@settings(deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_read_error(data):
    try:
        text, encoding = decode(data)
    except ReadError as exc:
        assert exc.code == "LINT001"
    else:
        assert "\x00" not in text
        assert encoding

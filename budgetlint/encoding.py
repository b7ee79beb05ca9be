"""Decoding text sources: byte-order marks, UTF-16 by NUL pattern, UTF-8, GB18030.

Chinese government text often comes in GBK, so after strict UTF-8 we try
strict GB18030 (a superset of GBK) and only then charset-normalizer's guess.
Bytes that decode to nothing sensible raise ``ReadError("LINT001")``.
"""

from __future__ import annotations

import codecs
import unicodedata

from budgetlint.readers import ReadError, Reason

UNREADABLE = "LINT001"
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
SAMPLE_BYTES = 4096
MAX_UNPRINTABLE = 0.02  # share of control/unassigned characters text may hold
TEXT_CONTROLS = "\t\n\r\f\v"


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to text; return (text, encoding name).

    NUL characters are dropped from the result.  Raises ``ReadError`` for
    binary or undecodable bytes.
    """
    text, encoding = _decode_bom(data) or _decode_utf16_by_nuls(data) or _decode_ascii_compatible(data)
    text = text.replace("\x00", "")
    if _unprintable_share(text) > MAX_UNPRINTABLE:
        raise ReadError(UNREADABLE, reason=Reason("read_binary_controls"))
    return text, encoding


def _decode_bom(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding.removesuffix("-sig")), encoding
            except UnicodeDecodeError:
                raise ReadError(UNREADABLE, reason=Reason("read_bad_bom", {"encoding": encoding})) from None
    return None


def _decode_utf16_by_nuls(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: ASCII characters leave NULs on one byte parity only."""
    encoding = _utf16_by_nuls(data[:SAMPLE_BYTES])
    if encoding is None:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


def _utf16_by_nuls(sample: bytes) -> str | None:
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    pairs = len(sample) // 2
    if max(even, odd) < max(2, pairs / 10) or min(even, odd) > max(even, odd) / 10:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def _decode_ascii_compatible(data: bytes) -> tuple[str, str]:
    """Strict UTF-8, then strict GB18030, then charset-normalizer's best guess (NUL bytes dropped)."""
    if data.count(0) * 2 > len(data):
        raise ReadError(UNREADABLE, reason=Reason("read_binary_nul"))
    data = data.replace(b"\x00", b"")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    # imported only for text that is neither UTF-8 nor GB18030
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ReadError(UNREADABLE, reason=Reason("read_unknown_encoding"))
    return str(best), best.encoding


def _unprintable_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch not in TEXT_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs", "Cn"))
    return bad / len(text)

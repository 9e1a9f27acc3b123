"""Encoding detection for Chinese CSV exports: UTF-8 (with or without BOM) or GB18030/GBK."""

from __future__ import annotations

import codecs
from pathlib import Path

__all__ = ["detect_encoding", "utf8_evidence"]

# Enough bytes to see many rows of Chinese text; a file shorter than this is read whole.
_SAMPLE_BYTES = 1 << 20
# #e: a UTF-8 export with one stray byte must stay UTF-8 (the bad row is rejected, not the
# file). GBK text decodes as valid UTF-8 only by accident, for roughly one character in
# seven, so valid multi-byte sequences outnumber invalid ones only in real UTF-8. Eight to
# one keeps a wide margin on both sides.
_VALID_PER_INVALID = 8


def utf8_evidence(sample: bytes) -> tuple[int, int]:
    """Count ``(valid non-ASCII characters, invalid byte sequences)`` when reading ``sample`` as UTF-8.

    One C-speed decode with replacement: each invalid sequence becomes one U+FFFD, and
    U+FFFD characters that were genuinely in the file (``EF BF BD``) are subtracted.
    """
    text = sample.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd")
    invalid = replaced - sample.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return non_ascii - replaced, invalid


def _trim_cut_character(sample: bytes) -> bytes:
    """Drop a multi-byte sequence cut at the sample's end (back to the last ASCII byte)."""
    for back in range(1, 5):
        if back > len(sample):
            break
        if sample[-back] < 0x80:
            return sample[: len(sample) - back + 1]
    return sample[:-4] if len(sample) > 4 else sample


def detect_encoding(path: Path) -> str:
    """Return ``utf-8-sig``, ``utf-16`` or ``gb18030`` (a superset of GBK and GB2312).

    UTF-8 wins when its valid multi-byte characters clearly outnumber its invalid byte
    sequences across the sample, so a few bad bytes do not switch a whole UTF-8 file to
    GB18030 (they become U+FFFD and only their rows are rejected). GB18030 decodes almost
    any byte string, so it is the fallback rather than something to test for.
    """
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
        if fh.read(1):
            sample = _trim_cut_character(sample)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    valid, invalid = utf8_evidence(sample)
    if invalid == 0 or valid >= _VALID_PER_INVALID * invalid:
        return "utf-8-sig"
    return "gb18030"

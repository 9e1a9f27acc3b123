"""Encoding detection for Chinese CSV exports: UTF-8 (with or without BOM) or GB18030/GBK."""

from __future__ import annotations

import codecs
from pathlib import Path

__all__ = ["detect_encoding"]

# Enough bytes to see many rows of Chinese text; a file shorter than this is read whole.
_SAMPLE_BYTES = 1 << 20


def detect_encoding(path: Path) -> str:
    """Return ``utf-8-sig``, ``utf-16`` or ``gb18030`` (a superset of GBK and GB2312).

    UTF-8 is tried first because GB18030 decodes almost any byte string without error;
    a sample that is not valid UTF-8 (ignoring a sequence cut at the sample's end) is GB18030.
    """
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"

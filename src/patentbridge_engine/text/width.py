"""Full-width → half-width folding and whitespace clean-up for Chinese records."""

from __future__ import annotations

import re

__all__ = ["normalize_text", "to_halfwidth"]

_SPACES = re.compile(r"[\s\u3000\u00a0]+")


def to_halfwidth(text: str) -> str:
    """Fold full-width ASCII (Ｆ２５Ｂ, １２３) and the ideographic space to half-width."""
    out = []
    for ch in text:
        code = ord(ch)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def normalize_text(text: str | None) -> str:
    """Collapse runs of whitespace and strip; ``None`` becomes ``""``. CJK punctuation is kept."""
    if not text:
        return ""
    return _SPACES.sub(" ", text).strip()

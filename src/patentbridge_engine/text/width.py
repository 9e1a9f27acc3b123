"""Full-width → half-width folding and whitespace clean-up for Chinese records."""

from __future__ import annotations

import re

__all__ = ["normalize_text", "to_halfwidth"]

_SPACES = re.compile(r"[\s\u3000\u00a0]+")


# One translation table (C speed): a per-character Python loop cost ~0.1 ms per abstract, which
# added up to most of the time spent explaining search hits.
_HALFWIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(text: str) -> str:
    """Fold full-width ASCII (Ｆ２５Ｂ, １２３) and the ideographic space to half-width."""
    return text.translate(_HALFWIDTH)


def normalize_text(text: str | None) -> str:
    """Collapse runs of whitespace and strip; ``None`` becomes ``""``. CJK punctuation is kept."""
    if not text:
        return ""
    return _SPACES.sub(" ", text).strip()

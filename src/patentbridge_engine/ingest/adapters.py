"""Source-specific value fixes applied before header mapping."""

from __future__ import annotations

from typing import Any

__all__ = ["adapt_row"]

# PatSnap numeric LEGAL codes as observed in the hthp export (its SOURCE.md): 1 published,
# 2 under substantive examination, 3 granted; other codes are secondary events of unknown meaning.
_PATSNAP_LEGAL = {"3": "授权", "2": "实质审查", "1": "公开"}


def adapt_row(values: dict[str, Any]) -> dict[str, Any]:
    """Rewrite PatSnap-style rows (``PN``/``APN``/``LEGAL`` keys) into the common vocabulary."""
    legal = values.get("LEGAL")
    if "APN" in values and isinstance(legal, list):
        codes = [str(c) for c in legal]
        status = next((_PATSNAP_LEGAL[c] for c in ("3", "2", "1") if c in codes), "")
        adapted = dict(values)
        adapted["LEGAL"] = [f"PatSnap法律状态代码{c}" for c in codes]
        adapted["法律状态"] = status
        return adapted
    return values

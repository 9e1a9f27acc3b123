"""Search normalisation: width folding, traditional → simplified Chinese, case."""

from __future__ import annotations

import threading
from functools import lru_cache

from patentbridge_engine.text.width import to_halfwidth

__all__ = ["normalize_for_search", "to_simplified"]

_lock = threading.Lock()
# Character → simplified character, filled lazily: converting a whole text with OpenCC costs
# ~150 µs, while most texts are already simplified and only need a dictionary look-up per char.
_T2S: dict[int, str] = {}
_SEEN: set[str] = set()


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters replaced by simplified ones (character level)."""
    new = {c for c in text if c >= "\u4e00" and c not in _SEEN}
    if new:
        converter = _converter()
        with _lock:
            for char in new:
                simplified = converter.convert(char)  # type: ignore[attr-defined]
                if simplified != char and len(simplified) == 1:
                    _T2S[ord(char)] = simplified
                _SEEN.add(char)
    return text.translate(_T2S) if _T2S else text


def normalize_for_search(text: str) -> str:
    """Half-width, simplified, lower-case text for indexing and queries."""
    return to_simplified(to_halfwidth(text or "")).lower()

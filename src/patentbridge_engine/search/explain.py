"""Why a document matched: shared terms and the best-matching sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["best_sentence", "matched_terms"]

_SENTENCE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")


def matched_terms(query_words: Sequence[str], doc_words: Sequence[str], limit: int = 8) -> list[str]:
    """Query words that occur in the document, longest first; single characters (中, 肥) help
    retrieval but explain nothing, so they are left out of the explanation."""
    doc = set(doc_words)
    seen: list[str] = []
    for word in query_words:
        if len(word) > 1 and word in doc and word not in seen:
            seen.append(word)
    return sorted(seen, key=lambda w: (-len(w), seen.index(w)))[:limit]


def best_sentence(text: str, terms: Sequence[str], max_chars: int = 160) -> str:
    """The sentence of ``text`` containing the most matched terms (then the longest ones)."""
    best, best_score = "", (-1, -1)
    for sentence in _SENTENCE.findall(text or ""):
        present = [t for t in terms if t in sentence]
        score = (len(present), sum(len(t) for t in present))
        if score > best_score:
            best, best_score = sentence.strip(), score
    return best[:max_chars]

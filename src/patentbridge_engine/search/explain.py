"""Why a document matched: shared terms and the best-matching sentence.

Both are shown to people (need pages, search results), so both must read as language: terms are
whole words — entries of the patent term dictionary or of jieba's dictionary, or Latin tokens such
as "CBN" — never a character bigram or a segmenter guess ("解液", "温循", "命的"); the sentence is a
whole sentence of the abstract or the claim, never a clause cut at a semicolon or mid-word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = ["best_sentence", "is_readable_term", "matched_terms", "sentences"]

# Sentence ends only: a semicolon separates clauses of one sentence (claims are full of them).
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
_LATIN = re.compile(r"[a-z0-9][a-z0-9.\-+]*[a-z0-9]", re.IGNORECASE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Clause ends where an over-long sentence may be shortened without cutting a word.
_CLAUSE_END = "，,；;：:、"
# A sentence with fewer CJK characters than this is a figure label or OCR debris ("20(角度)").
_MIN_CJK = 6


def is_readable_term(word: str, known: Callable[[str], bool] | None = None) -> bool:
    """True for a word a person can read as a reason: two or more characters and either a Latin
    token or, when ``known`` is given, a dictionary word."""
    if len(word) < 2:
        return False
    if _LATIN.fullmatch(word):
        return any(c.isalpha() for c in word)
    return known is None or known(word)


def matched_terms(
    query_words: Sequence[str],
    doc_words: Sequence[str],
    limit: int = 8,
    *,
    known: Callable[[str], bool] | None = None,
) -> list[str]:
    """Query words that occur in the document, longest first. Single characters (中, 肥) help
    retrieval but explain nothing, and with ``known`` (a dictionary check) words the segmenter
    guessed are left out too."""
    doc = set(doc_words)
    seen: list[str] = []
    for word in query_words:
        if word in doc and word not in seen and is_readable_term(word, known):
            seen.append(word)
    return sorted(seen, key=lambda w: (-len(w), seen.index(w)))[:limit]


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split at 。！？ and line ends), without figure-label debris."""
    out = []
    for raw in _SENTENCE.findall(text or ""):
        sentence = raw.strip()
        if len(_CJK.findall(sentence)) >= _MIN_CJK:
            out.append(sentence)
    return out


def _shorten(sentence: str, terms: Sequence[str], max_chars: int) -> str:
    """An over-long sentence cut at a clause end, keeping the first matched term in view."""
    if len(sentence) <= max_chars:
        return sentence
    first = min((sentence.find(t) for t in terms if t in sentence), default=0)
    start = 0
    if first + 20 > max_chars:
        # Start at the clause that holds the first matched term.
        start = max((i + 1 for i in range(first) if sentence[i] in _CLAUSE_END), default=0)
    cut = sentence[start : start + max_chars]
    end = max((i for i, c in enumerate(cut) if c in _CLAUSE_END), default=-1)
    body = cut[:end] if end > max_chars // 2 else cut
    return ("…" if start else "") + body + "…"


def best_sentence(text: str, terms: Sequence[str], max_chars: int = 160, *, claims: str = "") -> str:
    """The sentence of ``text`` (then of ``claims``) containing the most matched terms (then the
    longest ones); ties go to the earlier sentence, abstract before claim."""
    best, best_score = "", (-1, -1)
    for sentence in sentences(text) + sentences(claims):
        present = [t for t in terms if t in sentence]
        score = (len(present), sum(len(t) for t in present))
        if score > best_score:
            best, best_score = sentence, score
    if not best:
        best = (text or claims or "").strip()
    return _shorten(best, terms, max_chars)

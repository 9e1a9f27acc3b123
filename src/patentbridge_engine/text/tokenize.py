"""Tokenisation for retrieval: jieba words (Rust jieba) plus CJK character bigrams.

Words carry meaning; bigrams give recall where segmentation splits a technical term
differently in a query and a document ("正极材料" vs "正极 / 材料"). Stop words (patent
boilerplate such as 所述, 其特征在于) and punctuation are dropped from words.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from patentbridge_engine.text.data import text_data_path
from patentbridge_engine.text.normalize import normalize_for_search

__all__ = ["Tokenizer", "cjk_bigrams", "default_tokenizer"]

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]")


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping character bigrams of every CJK run (a single character stays a unigram)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass
class Tokenizer:
    """Normalise, segment, drop stop words. Thread-safe after construction."""

    stopwords: frozenset[str] = field(default_factory=frozenset)
    user_words: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        import rjieba

        for word in self.user_words:
            rjieba.add_word(word, None, None)
        self._cut = rjieba.cut
        self._has_word = rjieba.has_word

    def is_dictionary_word(self, word: str) -> bool:
        """True when ``word`` is in jieba's dictionary or the patent term dictionary; False for the
        words jieba's HMM guesses from unknown character runs ("温循", "命的"), which retrieval can
        use but a person should not be shown as a reason."""
        return bool(self._has_word(word))

    def words(self, text: str, *, normalized: bool = False) -> list[str]:
        """Content words of ``text`` in order (duplicates kept)."""
        norm = text if normalized else normalize_for_search(text)
        return [w for w in self._cut(norm) if _WORD.search(w) and w.strip() and w not in self.stopwords]

    def tokens(self, text: str) -> tuple[list[str], list[str]]:
        """(words, bigrams) of one text, normalised once."""
        norm = normalize_for_search(text)
        return self.words(norm, normalized=True), cjk_bigrams(norm)

    def many(self, texts: Iterable[str]) -> list[tuple[list[str], list[str]]]:
        return [self.tokens(t) for t in texts]


@lru_cache(maxsize=1)
def default_tokenizer() -> Tokenizer:
    """The shared tokenizer: patent and need-language stop words; the patent term dictionary as user words."""
    with gzip.open(text_data_path("patent_stopwords_2024.txt.gz"), "rt", encoding="utf-8") as fh:
        stop = {line.strip() for line in fh if line.strip()}
    with text_data_path("need_stopwords.txt").open(encoding="utf-8") as fh:
        stop |= {line.strip() for line in fh if line.strip() and not line.startswith("#")}
    with gzip.open(text_data_path("patent_term_dict.txt.gz"), "rt", encoding="utf-8") as fh:
        terms = tuple(line.strip() for line in fh if len(line.strip()) >= 2)
    return Tokenizer(stopwords=frozenset(stop), user_words=terms)

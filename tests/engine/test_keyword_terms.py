"""Query clauses of the keyword index: weighted_terms (the engine's weights) and search_terms
(explicit clauses, used by the ranking ablations)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from patentbridge_engine.retrieval.keyword import KeywordIndex, weighted_terms


def test_weighted_terms_follow_field_boost_and_query_repetition() -> None:
    """Words weigh 2, bigrams 1, each times 1 + ln(count in the query)."""
    terms = weighted_terms(["热泵", "热泵", "干燥"], ["热泵", "泵干"])
    assert ("words", "热泵", pytest.approx(2.0 * (1 + math.log(2)))) in terms
    assert ("words", "干燥", 2.0) in terms
    assert ("bigrams", "泵干", 1.0) in terms
    assert len(terms) == 4


def test_weighted_terms_options_drop_a_field_and_cap_the_terms() -> None:
    """A zero boost leaves a field out; max_terms keeps the most repeated terms of each field."""
    assert all(f == "words" for f, _, _ in weighted_terms(["热泵"], ["热泵"], bigram_boost=0.0))
    capped = weighted_terms(["甲", "乙", "乙", "丙", "丙", "丙"], [], max_terms=2)
    assert [t for _, t, _ in capped] == ["丙", "乙"]


def test_search_terms_equals_search_for_the_engine_clauses(tmp_path: Path) -> None:
    """search() is search_terms() over weighted_terms(); an extra clause can change the order."""
    index = KeywordIndex(tmp_path / "kw")
    index.add(
        [
            ("hp", ["热泵", "干燥", "装置"], ["热泵", "泵干"]),
            ("cold", ["热泵", "冷库", "制冷"], ["热泵", "冷库"]),
        ]
    )
    index.commit()
    words, bigrams = ["热泵", "干燥"], ["热泵"]
    assert index.search(words, bigrams, 5) == index.search_terms(weighted_terms(words, bigrams), 5)
    assert index.search(words, bigrams, 5)[0][0] == "hp"
    boosted = index.search_terms([*weighted_terms(words, bigrams), ("words", "冷库", 10.0)], 5)
    assert boosted[0][0] == "cold"
    assert index.search_terms([], 5) == []

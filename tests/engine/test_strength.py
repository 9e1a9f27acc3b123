"""Hit strength: calibrated boundaries, Chinese labels and explanations, the weak flag, has_strong."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from patentbridge_engine.search.hit import Hit
from patentbridge_engine.search.hybrid import SearchIndex
from patentbridge_engine.search.strength import (
    DEFAULT_THRESHOLDS,
    STRENGTH_EXPLANATIONS,
    STRENGTH_LABELS,
    Strength,
    classify_strength,
    has_strong,
)

T = DEFAULT_THRESHOLDS
STRONG = Hit(
    id="a",
    score=1.0,
    keyword_rank=T.strong_rank,
    match_weight=T.strong_weight,
    title_coverage=T.strong_title_coverage,
    query_match=T.strong_query_match,
)


def test_strong_exactly_at_every_threshold() -> None:
    """A hit meeting each strong cut-off exactly is strong (the bounds are inclusive)."""
    assert STRONG.strength is Strength.STRONG
    assert STRONG.strength_label == "强相关"
    assert STRONG.strength_explanation.startswith("强相关：")


@pytest.mark.parametrize(
    "change",
    [
        {"keyword_rank": T.strong_rank + 1},
        {"match_weight": T.strong_weight - 0.01},
        {"title_coverage": T.strong_title_coverage - 0.01},
        {"query_match": T.strong_query_match - 0.01},
    ],
)
def test_missing_any_strong_condition_drops_to_possible(change: dict[str, float]) -> None:
    """Strong needs rank, query match, title coverage and shared specific words together; any one short of
    its cut-off (with the others still solid) is only possible."""
    hit = dataclasses.replace(STRONG, **change)
    assert hit.strength is Strength.POSSIBLE
    assert hit.strength_label == "可能相关" and not hit.weak


def test_meaning_only_hits_are_weak_whatever_the_evidence() -> None:
    """A hit that the keyword retriever did not find is never more than 弱相关."""
    hit = dataclasses.replace(STRONG, keyword_rank=None, semantic_rank=1)
    assert hit.strength is Strength.WEAK and hit.weak and hit.strength_label == "弱相关"


def test_little_shared_vocabulary_is_weak() -> None:
    """Below both possible cut-offs a keyword hit is weak, so existing `weak` callers still flag it."""
    hit = Hit(
        id="b",
        score=0.1,
        keyword_rank=1,
        match_weight=T.possible_weight - 0.01,
        title_coverage=T.possible_title_coverage - 0.01,
    )
    assert classify_strength(hit) is Strength.WEAK and hit.weak


def test_every_level_has_a_chinese_explanation_starting_with_its_label() -> None:
    """The UI shows one explanation per level; each opens with the level's own name."""
    for level in Strength:
        assert STRENGTH_EXPLANATIONS[level].startswith(STRENGTH_LABELS[level] + "：")
    assert set(STRENGTH_LABELS.values()) == {"强相关", "可能相关", "弱相关"}


def test_has_strong_tells_an_honest_no_good_match() -> None:
    """A result list without any strong hit is reported as such; one strong hit is enough."""
    weak = dataclasses.replace(STRONG, keyword_rank=None)
    assert not has_strong([weak, weak])
    assert not has_strong([])
    assert has_strong([weak, STRONG])


def test_search_hits_carry_strength_evidence(tmp_path: Path) -> None:
    """Hits from a real index carry title coverage and match weight, and the title-named patent
    of a query is rated above an unrelated one."""
    index = SearchIndex.create(tmp_path / "idx")
    index.add(
        [
            {
                "id": "hp",
                "title": "一种高温热泵干燥装置",
                "abstract": "热泵干燥装置包括压缩机、冷凝器和干燥室。",
            },
            {
                "id": "bat",
                "title": "一种锂离子电池正极材料",
                "abstract": "正极材料通过表面包覆提高循环寿命。",
            },
        ]
    )
    index.save()
    hits = SearchIndex.open(tmp_path / "idx").search("需要高温热泵干燥装置，用于烘干谷物", 2, mode="keyword")
    assert hits[0].id == "hp"
    assert hits[0].title_coverage > 0.5 and hits[0].match_weight > 0
    assert hits[0].strength is not Strength.WEAK


def test_unknown_query_match_is_judged_on_the_other_evidence() -> None:
    """A hit explained without ranking (query_match None) is not demoted for the missing number,
    and a weak query match alone cannot make a hit strong."""
    assert dataclasses.replace(STRONG, query_match=None).strength is Strength.STRONG
    assert dataclasses.replace(STRONG, query_match=0.0).strength is Strength.POSSIBLE
    assert dataclasses.replace(STRONG, query_match=1.0, title_coverage=0.0).strength is Strength.POSSIBLE


def test_query_match_is_the_keyword_score_over_the_query_self_score(tmp_path: Path) -> None:
    """query_match = the hit's BM25 score / the score of an average-length document holding every
    query term once (Σ weight × IDF); the exact-title patent answers more of the query than a
    patent sharing one word, and the semantic-only hit has no query match."""
    index = SearchIndex.create(tmp_path / "idx")
    index.add(
        [
            {"id": "hp", "title": "热泵干燥装置", "abstract": "热泵干燥装置用于烘干谷物。"},
            {"id": "dry", "title": "谷物烘干塔", "abstract": "烘干塔的进料结构。"},
            {"id": "bat", "title": "锂电池正极材料", "abstract": "正极材料包覆。"},
        ]
    )
    index.save()
    index = SearchIndex.open(tmp_path / "idx")
    query = "热泵干燥装置"
    words, bigrams = index.tokenizer.tokens(query)
    searcher = index.keyword._index.searcher()
    n = searcher.num_docs
    # Independent self-score: words weigh 2, bigrams 1 (each used once), times tantivy's IDF.
    expected = sum(
        weight * math.log(1 + (n - df + 0.5) / (df + 0.5))
        for field, terms, weight in (("words", set(words), 2.0), ("bigrams", set(bigrams), 1.0))
        for term in terms
        if (df := searcher.doc_freq(field, term))
    )
    assert index.keyword.self_score(words, bigrams) == pytest.approx(expected)
    scores = dict(index.keyword.search(words, bigrams, 10))
    hits = {h.id: h for h in index.search(query, 3)}
    assert hits["hp"].query_match == pytest.approx(scores["hp"] / expected, abs=1e-4)
    assert hits["hp"].query_match is not None and hits["hp"].query_match > 0.5
    matched = [h for h in hits.values() if h.keyword_rank is None]
    assert all(h.query_match is None for h in matched)
    explained = index.explain(query, "hp")
    assert explained is not None and explained.query_match is None


def test_self_score_of_a_query_without_known_terms_is_zero(tmp_path: Path) -> None:
    """Terms that no document holds add nothing (nothing could match them)."""
    index = SearchIndex.create(tmp_path / "idx")
    index.add([{"id": "a", "title": "热泵", "abstract": "热泵。"}])
    index.save()
    index = SearchIndex.open(tmp_path / "idx")
    assert index.keyword.self_score(["量子纠缠"], ["量子"]) == 0.0
    assert index.keyword.self_score([], []) == 0.0

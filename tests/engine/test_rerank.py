"""The optional E5 re-rank of the top hybrid candidates (search/rerank.py, retrieval/passages.py)."""

import numpy as np
import pytest

from engine.test_search import CORPUS
from patentbridge_engine.retrieval.passages import PassageVectors, passage_text
from patentbridge_engine.search.hybrid import SearchIndex
from patentbridge_engine.search.rerank import RerankSettings, fuse_rerank


class _TopicEncoder:
    """Stands in for E5: a passage naming ``favourite`` is close to every query, others are far;
    records what it encodes so caching can be checked."""

    name, dim = "topic", 3

    def __init__(self, favourite: str) -> None:
        self.favourite = favourite
        self.documents: list[str] = []
        self.queries: list[str] = []

    def encode_documents(self, texts):
        self.documents.extend(texts)
        return np.array(
            [[1.0, 0.0, 0.0] if self.favourite in t else [0.0, 1.0, 0.0] for t in texts], np.float32
        )

    def encode_queries(self, texts):
        self.queries.extend(texts)
        return np.array([[1.0, 0.0, 0.0] for _ in texts], np.float32)


@pytest.fixture()
def index(tmp_path):
    built = SearchIndex.create(tmp_path / "idx")
    built.add(CORPUS)
    built.save()
    return SearchIndex.open(tmp_path / "idx")


QUERY = "高温 热泵 余热回收 蒸汽"


def test_fuse_rerank_orders_the_head_by_fused_score_and_keeps_the_tail():
    ranked = [("a", 0.22), ("b", 0.20), ("c", 0.19), ("d", 0.10), ("e", 0.05)]
    cosines = {"a": 0.1, "b": 0.2, "c": 0.9}
    out = fuse_rerank(ranked, cosines, RerankSettings(depth=3, weight=1.0, constant=5.0))
    # c: 0.19 + 1/6 = 0.357, a: 0.22 + 1/8 = 0.345, b: 0.20 + 1/7 = 0.343
    assert [d for d, _ in out] == ["c", "a", "b", "d", "e"]
    assert out[0][1] == pytest.approx(0.19 + 1 / 6)
    assert out[3:] == ranked[3:]
    assert {d for d, _ in out} == {d for d, _ in ranked}
    # the re-scored head stays above the untouched tail, whatever E5 says
    assert min(s for _, s in out[:3]) > max(s for _, s in out[3:])


def test_fuse_rerank_is_deterministic_and_a_missing_cosine_ranks_last_by_e5():
    ranked = [("a", 0.2), ("b", 0.2), ("c", 0.1)]
    settings = RerankSettings(depth=3, weight=0.5)
    first = fuse_rerank(ranked, {"a": 0.5, "b": 0.5}, settings)
    assert first == fuse_rerank(list(ranked), {"b": 0.5, "a": 0.5}, settings)
    assert first[-1][0] == "c"
    # a zero weight leaves the hybrid order as it was
    assert [d for d, _ in fuse_rerank(ranked, {"c": 1.0}, RerankSettings(depth=3, weight=0.0))] == [
        "a",
        "b",
        "c",
    ]


def test_search_rerank_is_off_by_default_and_spends_no_e5(index):
    e5 = _TopicEncoder("无人机")
    index.use_query_encoder(e5)
    plain = index.search(QUERY, 3)
    assert e5.documents == [] and e5.queries == []
    assert not (index.path / "e5_passages.sqlite3").exists()
    assert plain[0].id == "hp"


def test_search_rerank_orders_by_the_fused_score_and_keeps_the_candidates(index):
    e5 = _TopicEncoder("无人机")
    index.use_query_encoder(e5)
    plain = index.search(QUERY, 10)
    settings = RerankSettings(depth=10, weight=1.0)
    reranked = index.search(QUERY, 10, rerank=settings)
    assert {h.id for h in reranked} == {h.id for h in plain}
    # expected: hybrid score + weight / (constant + E5 rank); only uav is E5-close to the query
    by_e5 = sorted(plain, key=lambda h: (0 if h.id == "uav" else 1, h.id))
    e5_rank = {h.id: r for r, h in enumerate(by_e5, start=1)}
    expected = sorted(plain, key=lambda h: (-(h.score + 1.0 / (5.0 + e5_rank[h.id])), h.id))
    assert [h.id for h in reranked] == [h.id for h in expected]
    big = index.search(QUERY, 10, rerank=RerankSettings(depth=10, weight=50.0))
    assert big[0].id == "uav" and plain[0].id != "uav"
    assert index.search(QUERY, 10, rerank=settings) == reranked
    # strength evidence is the hybrid one: re-ranking moves hits, it does not relabel them
    assert {h.id: h.strength for h in reranked} == {h.id: h.strength for h in plain}


def test_search_rerank_depth_limits_what_e5_reads_and_vectors_are_cached(index):
    e5 = _TopicEncoder("无人机")
    index.use_query_encoder(e5)
    settings = RerankSettings(depth=2, weight=1.0)
    plain = index.search(QUERY, 3)
    reranked = index.search(QUERY, 3, rerank=settings)
    assert len(e5.documents) == 2
    assert reranked[2].id == plain[2].id  # below the depth nothing moves
    index.search(QUERY, 3, rerank=settings)
    assert len(e5.documents) == 2  # second time from the cache beside the index
    again = SearchIndex.open(index.path)
    again.use_query_encoder(e5)
    again.search(QUERY, 3, rerank=settings)
    assert len(e5.documents) == 2  # and persisted for other processes


def test_changed_or_deleted_documents_are_re_encoded(index):
    e5 = _TopicEncoder("无人机")
    index.use_query_encoder(e5)
    settings = RerankSettings(depth=3, weight=1.0)
    index.search(QUERY, 3, rerank=settings)
    encoded = len(e5.documents)
    index.add([{**CORPUS[1], "title": "一种高温热泵系统（改进）"}])
    index.save()
    index.search(QUERY, 3, rerank=settings)
    assert len(e5.documents) == encoded + 1 and "改进" in e5.documents[-1]
    index.delete(["uav"])
    index.save()
    assert len(index.passages) == 2


def test_passage_cache_notices_text_changed_elsewhere(tmp_path):
    """Another process replaced the document: the digest differs, so the vector is recomputed."""
    store = PassageVectors(tmp_path / "p.sqlite3")
    e5 = _TopicEncoder("无人机")
    first = store.vectors(["x"], lambda ids: {"x": "无人机 盒"}, e5)
    assert first["x"][0] == 1.0
    second = store.vectors(["x", "gone"], lambda ids: {"x": "热泵"}, e5)
    assert second["x"][1] == 1.0 and "gone" not in second and e5.documents == ["无人机 盒", "热泵"]


def test_passage_text_is_title_and_abstract_opening():
    assert passage_text({"title": "标题", "abstract": "摘要内容"}, 5) == "标题。摘要"
    assert passage_text({"title": "", "abstract": "仅有摘要的记录"}, 4) == "仅有摘要"


def test_vectors_put_from_elsewhere_are_used_without_encoding(tmp_path):
    store = PassageVectors(tmp_path / "p.sqlite3")
    store.put([("x", "热泵", np.array([0.0, 0.0, 1.0], np.float32))])
    e5 = _TopicEncoder("无人机")
    got = store.vectors(["x"], lambda ids: {"x": "热泵"}, e5)
    assert got["x"][2] == 1.0 and e5.documents == []

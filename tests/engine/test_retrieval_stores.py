"""The retrieval building blocks on tiny inputs: DocStore, the BM25 KeywordIndex and the vector store.

The keyword index is fed hand-made token lists (not the tokenizer), so every expectation follows
from BM25 and the index's own weighting rules rather than from jieba's segmentation.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pytest

from patentbridge_engine.retrieval.docstore import DocStore
from patentbridge_engine.retrieval.keyword import KeywordIndex
from patentbridge_engine.retrieval.vectors import NumpyVectorStore

# ---------------------------------------------------------------------------------------------
# DocStore
# ---------------------------------------------------------------------------------------------


def test_docstore_put_replaces_a_document_with_the_same_id(tmp_path):
    """``put`` is an upsert: the second version of an id replaces the first, never duplicates it."""
    store = DocStore(tmp_path / "d.sqlite3")
    store.put([{"id": "a", "title": "旧标题", "abstract": "旧摘要", "ipc": ["H01M4/131"]}])
    store.put([{"id": "a", "title": "新标题", "abstract": "新摘要", "ipc": ["F25B30/02", "F22B1/00"]}])
    store.commit()
    assert len(store) == 1
    assert store.get("a") == {"title": "新标题", "abstract": "新摘要", "ipc": ["F25B", "F22B"]}


def test_docstore_many_reads_more_ids_than_one_sql_statement_holds(tmp_path):
    """``many`` splits long id lists into parts: 1,234 ids all come back, missing ids are left out."""
    store = DocStore(tmp_path / "d.sqlite3")
    ids = [f"p{n:05d}" for n in range(1234)]
    store.put({"id": i, "title": f"标题{i}"} for i in ids)
    store.commit()
    wanted = [*ids, "missing-1", "missing-2"]
    found = store.many(wanted)
    assert set(found) == set(ids)
    assert all(found[i]["title"] == f"标题{i}" for i in ids)


def test_docstore_default_is_returned_only_for_missing_ids(tmp_path):
    """``get(id, default)`` gives the default for an unknown id and the stored record otherwise."""
    store = DocStore(tmp_path / "d.sqlite3")
    store.put([{"id": "x", "title": None, "abstract": None, "ipc": None}])
    sentinel = {"title": "缺省"}
    assert store.get("nope", sentinel) is sentinel
    assert store.get("x", sentinel) == {"title": "", "abstract": "", "ipc": []}


def test_docstore_ids_are_stored_as_text_and_membership_accepts_other_types(tmp_path):
    """Numeric ids are stored as strings; ``in`` converts the probe the same way."""
    store = DocStore(tmp_path / "d.sqlite3")
    store.put([{"id": 42, "title": "数字编号"}])
    store.commit()
    assert 42 in store and "42" in store
    assert list(store) == ["42"]
    assert store.get("42")["title"] == "数字编号"


def test_docstore_changes_reach_other_connections_only_on_commit(tmp_path):
    """Until ``commit`` another reader (another process in production) sees the old state."""
    path = tmp_path / "d.sqlite3"
    writer = DocStore(path)
    writer.put([{"id": "a", "title": "一"}])
    writer.commit()
    reader = DocStore(path)
    writer.put([{"id": "b", "title": "二"}])
    writer.delete(["a"])
    assert list(reader) == ["a"]
    writer.commit()
    assert list(reader) == ["b"]
    writer.close()
    reader.close()


def test_docstore_iteration_is_sorted_and_delete_of_unknown_ids_is_harmless(tmp_path):
    """Iteration order is by id whatever the insertion order; deleting unknown ids changes nothing."""
    store = DocStore(tmp_path / "d.sqlite3")
    store.put({"id": i} for i in ["c", "a", "b"])
    store.delete(["zzz", "yyy"])
    store.commit()
    assert list(store) == sorted(["c", "a", "b"])
    assert len(store) == 3


def test_docstore_file_is_plain_sqlite_with_the_docs_table(tmp_path):
    """The store is an ordinary SQLite file: other tools (backups, diagnostics) can read it."""
    path = tmp_path / "d.sqlite3"
    store = DocStore(path)
    store.put([{"id": "a", "title": "热泵", "ipc": ["F25B30/02"]}])
    store.commit()
    store.close()
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT id, title, ipc FROM docs").fetchall()
    assert rows == [("a", "热泵", '["F25B"]')]


# ---------------------------------------------------------------------------------------------
# KeywordIndex (BM25)
# ---------------------------------------------------------------------------------------------


def _index(tmp_path, docs, name="kw"):
    index = KeywordIndex(tmp_path / name)
    index.add(docs)
    index.commit()
    return index


def _ids(hits):
    return [doc_id for doc_id, _ in hits]


def test_bm25_more_occurrences_in_a_document_of_equal_length_rank_higher(tmp_path):
    """Term frequency counts: of two equally long documents, the one repeating the term wins."""
    index = _index(
        tmp_path,
        [
            ("once", ["热泵", "甲", "乙", "丙"], []),
            ("thrice", ["热泵", "热泵", "热泵", "丁"], []),
            ("none", ["戊", "己", "庚", "辛"], []),
        ],
    )
    hits = index.search(["热泵"], [], 3)
    assert _ids(hits) == ["thrice", "once"]
    assert hits[0][1] > hits[1][1] > 0


def test_bm25_a_shorter_document_with_the_same_term_count_ranks_higher(tmp_path):
    """Length normalisation: one mention in a short document outweighs one in a long one."""
    index = _index(
        tmp_path,
        [
            ("short", ["电池", "正极"], []),
            ("long", ["电池", *[f"填充{n}" for n in range(30)]], []),
        ],
    )
    assert _ids(index.search(["电池"], [], 2)) == ["short", "long"]


def test_repeated_query_terms_weigh_one_plus_log_count(tmp_path):
    """A query term repeated n times weighs 1 + ln(n) times a single one (#7): with two documents
    that are mirror images, the score ratio is exactly that factor."""
    index = _index(tmp_path, [("a", ["压缩机", "垫"], []), ("b", ["蒸发器", "衬"], [])])
    balanced = dict(index.search(["压缩机", "蒸发器"], [], 2))
    assert balanced["a"] == pytest.approx(balanced["b"], rel=1e-5)
    for repeats in (2, 3, 5):
        hits = dict(index.search(["压缩机"] * repeats + ["蒸发器"], [], 2))
        assert _ids(index.search(["压缩机"] * repeats + ["蒸发器"], [], 2))[0] == "a"
        assert hits["a"] / hits["b"] == pytest.approx(1 + math.log(repeats), rel=1e-4)


def test_words_weigh_twice_as_much_as_bigrams(tmp_path):
    """A match in the word field counts double a match in the bigram field with the same statistics."""
    index = _index(tmp_path, [("word", ["储能"], ["垫垫"]), ("bigram", ["衬衬"], ["储能"])])
    hits = dict(index.search(["储能"], ["储能"], 2))
    assert hits["word"] / hits["bigram"] == pytest.approx(2.0, rel=1e-4)


def test_an_empty_query_finds_nothing(tmp_path):
    """No words and no bigrams: no clauses, no hits (not every document with score 0)."""
    index = _index(tmp_path, [("a", ["热泵"], ["热泵"])])
    assert index.search([], [], 10) == []
    assert index.search(["不存在的词"], ["不存"], 10) == []


def test_k_caps_the_hits_and_scores_come_best_first(tmp_path):
    """At most ``k`` hits, in descending score order."""
    docs = [(f"d{n}", ["传感器"] * (n + 1) + ["垫"] * (10 - n), []) for n in range(10)]
    index = _index(tmp_path, docs)
    hits = index.search(["传感器"], [], 4)
    assert len(hits) == 4
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)
    assert _ids(hits) == ["d9", "d8", "d7", "d6"]


def test_allowed_set_is_filled_even_when_its_documents_rank_last(tmp_path):
    """Filtering happens after retrieval with over-fetch: the three worst-ranked documents still
    fill k=3 when they are the only ones allowed."""
    docs = [(f"d{n:02d}", ["阀门"] * (1 + n % 7) + ["垫"] * 8, []) for n in range(60)]
    index = _index(tmp_path, docs)
    everything = index.search(["阀门"], [], 60)
    worst = {doc_id for doc_id, _ in everything[-3:]}
    hits = index.search(["阀门"], [], 3, allowed=worst)
    assert set(_ids(hits)) == worst


def test_allowed_set_never_leaks_other_documents(tmp_path):
    """Only allowed ids come back; an empty or disjoint allowed set gives nothing."""
    index = _index(tmp_path, [(f"d{n}", ["电机"], []) for n in range(5)])
    assert set(_ids(index.search(["电机"], [], 10, allowed={"d1", "d3", "zz"}))) == {"d1", "d3"}
    assert index.search(["电机"], [], 10, allowed=set()) == []
    assert index.search(["电机"], [], 10, allowed={"other"}) == []


def test_changes_are_invisible_until_commit(tmp_path):
    """Adds and deletes are staged: searches see them only after ``commit``."""
    index = _index(tmp_path, [("a", ["齿轮"], [])])
    index.add([("b", ["齿轮"], [])])
    index.delete(["a"])
    assert _ids(index.search(["齿轮"], [], 5)) == ["a"]
    index.commit()
    assert _ids(index.search(["齿轮"], [], 5)) == ["b"]


def test_readding_an_id_replaces_its_terms(tmp_path):
    """Re-adding an id (default ``replace``) keeps one document with the new terms only."""
    index = _index(tmp_path, [("a", ["齿轮"], []), ("b", ["轴承"], [])])
    index.add([("a", ["轴承"], [])])
    index.commit()
    assert len(index) == 2
    assert index.search(["齿轮"], [], 5) == []
    assert sorted(_ids(index.search(["轴承"], [], 5))) == ["a", "b"]


def test_delete_then_readd_brings_a_document_back(tmp_path):
    """A deleted id can be added again and is found as before, exactly once."""
    index = _index(tmp_path, [("a", ["齿轮"], []), ("b", ["轴承"], [])])
    index.delete(["a"])
    index.commit()
    assert len(index) == 1 and index.search(["齿轮"], [], 5) == []
    index.add([("a", ["齿轮"], [])])
    index.commit()
    assert _ids(index.search(["齿轮"], [], 5)) == ["a"]
    assert len(index) == 2


def test_without_replace_an_id_is_indexed_twice(tmp_path):
    """``replace=False`` is the bulk-build fast path: it does not look for an existing id, so the
    caller must only use it for new ids (the contract the builder relies on)."""
    index = _index(tmp_path, [("a", ["齿轮"], [])])
    added = index.add([("a", ["齿轮"], [])], replace=False)
    index.commit()
    assert added == 1
    assert len(index) == 2
    assert _ids(index.search(["齿轮"], [], 5)) == ["a", "a"]


def test_index_reopened_from_disk_ranks_identically(tmp_path):
    """A committed index reopened from its directory holds the same documents and gives the same
    hits and scores."""
    docs = [(f"d{n}", ["热泵"] * (1 + n % 3) + [f"词{n}"], [f"二元{n % 2}"]) for n in range(12)]
    first = _index(tmp_path, docs)
    before = first.search(["热泵", "词3"], ["二元1"], 12)
    reopened = KeywordIndex(tmp_path / "kw")
    assert len(reopened) == 12
    assert reopened.search(["热泵", "词3"], ["二元1"], 12) == before


def test_reopened_index_accepts_further_changes(tmp_path):
    """A reopened index is writable: replacing and deleting ids persists across another reopen."""
    _index(tmp_path, [("a", ["齿轮"], []), ("b", ["轴承"], [])])
    second = KeywordIndex(tmp_path / "kw")
    second.add([("c", ["齿轮"], [])])
    second.delete(["a"])
    second.commit()
    third = KeywordIndex(tmp_path / "kw")
    assert _ids(third.search(["齿轮"], [], 5)) == ["c"]
    assert len(third) == 2


def test_specificity_is_higher_for_rarer_words_and_bounded(tmp_path):
    """Specificity is scaled IDF: a word in one document beats a word in every document, values lie
    in (0, 1], unknown words are left out."""
    docs = [
        (f"d{n}", ["通用"] + (["罕见"] if n == 0 else []) + (["中等"] if n < 5 else []), [])
        for n in range(20)
    ]
    index = _index(tmp_path, docs)
    spec = index.specificity(["罕见", "中等", "通用", "未收录", "罕见"])
    assert set(spec) == {"罕见", "中等", "通用"}
    assert spec["罕见"] > spec["中等"] > spec["通用"] > 0
    assert all(0 < value <= 1 for value in spec.values())


def test_specificity_is_comparable_across_library_sizes(tmp_path):
    """A word found in exactly one document is highly specific in a small and in a large library
    (scaled by library size, so the strength thresholds mean the same in both)."""
    small = _index(tmp_path, [("only", ["独有"], [])] + [(f"s{n}", ["垫"], []) for n in range(9)], "small")
    large = _index(tmp_path, [("only", ["独有"], [])] + [(f"l{n}", ["垫"], []) for n in range(499)], "large")
    s, lg = small.specificity(["独有"])["独有"], large.specificity(["独有"])["独有"]
    assert s > 0.6 and lg > 0.6
    assert abs(s - lg) < 0.25


def test_most_frequent_query_terms_are_kept_when_a_query_is_very_long(tmp_path):
    """A pasted text with more distinct words than the query keeps its repeated words: a one-off
    word beyond the cap cannot pull in its document, a repeated one always can."""
    filler = [f"填充{n}" for n in range(80)]
    index = _index(tmp_path, [("oneoff", ["孤词"], []), ("repeated", ["主题"], []), ("pad", filler, [])])
    query = [w for w in filler for _ in range(2)] + ["孤词"] + ["主题"] * 3
    found = set(_ids(index.search(query, [], 10)))
    assert "repeated" in found
    assert "oneoff" not in found


# ---------------------------------------------------------------------------------------------
# NumpyVectorStore: exact path
# ---------------------------------------------------------------------------------------------


def _unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_empty_store_search_returns_nothing():
    """Searching before anything was added gives an empty list, not an error."""
    assert NumpyVectorStore(4).search([1, 0, 0, 0], 5) == []


def test_scores_are_cosines_whatever_the_vector_lengths():
    """Vectors and queries are normalised: scaling either changes neither ranking nor score."""
    store = NumpyVectorStore(3)
    store.add(["a", "b"], [[10, 0, 0], [0.1, 0.1, 0]])
    hits = dict(store.search([5, 5, 0], 2))
    assert hits["a"] == pytest.approx(math.sqrt(0.5), abs=1e-3)
    assert hits["b"] == pytest.approx(1.0, abs=1e-3)
    assert store.search([5, 5, 0], 2) == store.search([0.5, 0.5, 0], 2)


def test_exact_search_agrees_with_a_brute_force_cosine_ranking():
    """The exact path returns the same top-k as a straightforward numpy cosine sort."""
    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    store = NumpyVectorStore(16)
    store.add([f"v{n}" for n in range(300)], vectors)
    stored = _unit(vectors).astype(np.float16).astype(np.float32)
    for q in rng.normal(size=(8, 16)):
        q = q / np.linalg.norm(q)
        expected = np.argsort(-(stored @ q.astype(np.float32)), kind="stable")[:10]
        assert _ids(store.search(q, 10)) == [f"v{n}" for n in expected]


def test_k_above_the_store_size_returns_every_live_row_sorted():
    """Asking for more hits than rows returns all live rows, best first."""
    store = NumpyVectorStore(2)
    store.add(["x", "y", "z"], [[1, 0], [0.6, 0.8], [-1, 0]])
    store.delete(["y"])
    hits = store.search([1, 0], 50)
    assert _ids(hits) == ["x", "z"]
    assert hits[0][1] > hits[1][1]


def test_readding_an_id_replaces_its_vector_and_keeps_the_count():
    """Adding a known id moves it to the new vector; the old one is never found again."""
    store = NumpyVectorStore(2)
    store.add(["a", "b"], [[1, 0], [0, 1]])
    store.add(["a"], [[0, -1]])
    assert len(store) == 2
    assert _ids(store.search([0, -1], 1)) == ["a"]
    assert dict(store.search([1, 0], 2))["a"] == pytest.approx(0.0, abs=1e-3)
    assert store.vector("a") == pytest.approx(np.array([0, -1], dtype=np.float32), abs=1e-3)


def test_delete_of_unknown_ids_is_a_no_op_and_deleted_ids_are_gone():
    """Deleting ids that were never added changes nothing; a deleted id has no vector."""
    store = NumpyVectorStore(2)
    store.add(["a", "b"], [[1, 0], [0, 1]])
    store.delete(["nope"])
    assert len(store) == 2
    store.delete(["a"])
    assert len(store) == 1 and _ids(store.search([1, 0], 5)) == ["b"]
    with pytest.raises(KeyError):
        store.vector("a")


def test_allowed_filters_apply_inside_the_scan():
    """A filter keeps only allowed live rows; unknown and deleted ids in it are ignored."""
    store = NumpyVectorStore(2)
    store.add(["a", "b", "c"], [[1, 0], [0.9, 0.1], [0, 1]])
    store.delete(["b"])
    assert _ids(store.search([1, 0], 5, allowed={"b", "c", "ghost"})) == ["c"]
    assert store.search([1, 0], 5, allowed=set()) == []
    assert store.search([1, 0], 5, allowed=frozenset({"b"})) == []


def test_growth_beyond_the_initial_buffer_keeps_earlier_rows():
    """Adding past the initial capacity grows the buffer without losing or moving earlier vectors."""
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(2600, 8)).astype(np.float32)
    store = NumpyVectorStore(8)
    for start in range(0, 2600, 650):
        store.add([f"v{n}" for n in range(start, start + 650)], vectors[start : start + 650])
    assert len(store) == 2600
    for n in (0, 1023, 1024, 2599):
        assert store.search(vectors[n], 1)[0][0] == f"v{n}"


def test_save_and_load_round_trip_keeps_live_rows_and_results(tmp_path):
    """After deletes and replacements, a saved and reloaded store ranks exactly like the live one."""
    rng = np.random.default_rng(9)
    vectors = rng.normal(size=(50, 6)).astype(np.float32)
    store = NumpyVectorStore(6)
    store.add([f"v{n}" for n in range(50)], vectors)
    store.delete(["v3", "v7"])
    store.add(["v10"], vectors[:1] * -1)
    store.save(tmp_path / "v")
    loaded = NumpyVectorStore.load(tmp_path / "v")
    assert len(loaded) == len(store) == 48
    assert not loaded.approximate
    for q in rng.normal(size=(5, 6)):
        assert loaded.search(q, 10) == store.search(q, 10)
    assert "v3" not in _ids(loaded.search(vectors[3], 48))


def test_a_reloaded_store_keeps_growing_and_saving(tmp_path):
    """A store loaded from disk accepts additions, and a second save/load sees them."""
    store = NumpyVectorStore(3)
    store.add(["a", "b"], [[1, 0, 0], [0, 1, 0]])
    store.save(tmp_path / "v")
    loaded = NumpyVectorStore.load(tmp_path / "v")
    loaded.add(["c"], [[0, 0, 1]])
    loaded.delete(["a"])
    loaded.save(tmp_path / "v")
    again = NumpyVectorStore.load(tmp_path / "v")
    assert len(again) == 2
    assert _ids(again.search([0, 0, 1], 1)) == ["c"]
    assert "a" not in _ids(again.search([1, 0, 0], 5))


# ---------------------------------------------------------------------------------------------
# NumpyVectorStore: approximate (IVF) path with small arrays
# ---------------------------------------------------------------------------------------------


def _clusters(n, dim=32, seed=21):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(8, dim)) * 4
    return (centres[rng.integers(0, 8, n)] + rng.normal(size=(n, dim))).astype(np.float32)


@pytest.fixture
def small_ivf():
    vectors = _clusters(400)
    store = NumpyVectorStore(32, approx_from=300, lists=4)
    store.add([f"v{n}" for n in range(400)], vectors)
    return store, vectors


def test_ivf_switches_on_at_the_threshold_and_not_before():
    """Below ``approx_from`` live rows the search is exact; reaching it enables the index."""
    vectors = _clusters(300)
    store = NumpyVectorStore(32, approx_from=300, lists=4)
    store.add([f"v{n}" for n in range(299)], vectors[:299])
    assert not store.approximate
    store.add(["v299"], vectors[299:])
    assert store.approximate


def test_ivf_finds_each_stored_vector_first(small_ivf):
    """Every stored vector queried as itself is its own best hit through the index."""
    store, vectors = small_ivf
    for n in range(0, 400, 37):
        assert store.search(vectors[n], 1)[0][0] == f"v{n}"


def test_ivf_scores_are_exact_cosines_of_reranked_rows(small_ivf):
    """Approximate candidates are re-ranked exactly: their scores equal the exact path's for the
    same ids."""
    store, vectors = small_ivf
    q = vectors[5] + vectors[17]
    exact = dict(store.search(q, 400, exact=True))
    for doc_id, score in store.search(q, 10):
        assert score == pytest.approx(exact[doc_id], abs=1e-5)


def test_ivf_filters_and_deletes_hold(small_ivf):
    """Through the index only allowed, live rows come back."""
    store, vectors = small_ivf
    allowed = {f"v{n}" for n in range(0, 400, 5)}
    hits = store.search(vectors[1], 20, allowed=allowed)
    assert hits and set(_ids(hits)) <= allowed
    store.delete(["v10", "v15"])
    assert {"v10", "v15"}.isdisjoint(_ids(store.search(vectors[10], 400)))
    assert {"v10", "v15"}.isdisjoint(_ids(store.search(vectors[10], 20, allowed=allowed)))


def test_ivf_readd_moves_the_id_to_its_new_vector(small_ivf):
    """Replacing an id in approximate mode removes the old row from the index."""
    store, vectors = small_ivf
    store.add(["v0"], vectors[399:400] * 1.0)
    hits = store.search(vectors[0], 400)
    assert _ids(hits).count("v0") == 1
    assert len(store) == 400


def test_ivf_store_round_trips_through_disk(small_ivf, tmp_path):
    """Saved in approximate mode and reloaded, the store is approximate and answers identically."""
    store, vectors = small_ivf
    store.save(tmp_path / "v")
    assert (tmp_path / "v" / "ivf.faiss").exists()
    loaded = NumpyVectorStore.load(tmp_path / "v", approx_from=300)
    assert loaded.approximate and len(loaded) == 400
    for n in range(0, 400, 50):
        assert loaded.search(vectors[n], 5) == store.search(vectors[n], 5)


def test_exact_flag_bypasses_the_index(small_ivf):
    """``exact=True`` in approximate mode gives the brute-force ranking."""
    store, vectors = small_ivf
    stored = _unit(vectors).astype(np.float16).astype(np.float32)
    q = vectors[3] - vectors[200]
    qn = (q / np.linalg.norm(q)).astype(np.float32)
    expected = [f"v{n}" for n in np.argsort(-(stored @ qn), kind="stable")[:15]]
    assert _ids(store.search(q, 15, exact=True)) == expected


# ---------------------------------------------------------------------------------------------
# The same id twice in one add call (a JSONL corpus listing a patent twice, `python -m
# patentbridge_engine build`): the last vector wins and one delete removes the id (was a bug).
# ---------------------------------------------------------------------------------------------

_DUPLICATE_ID_BUG = (
    "NumpyVectorStore.add deletes only ids already stored before the call, so an id repeated within "
    "one call gets two alive rows; _row keeps the last, the first stays alive and is returned as that "
    "id by search, survives delete(), and save()/load() turns it back into a live entry (len grows)"
)


def test_an_id_repeated_in_one_add_call_is_stored_once():
    """Add or replace by id: the last vector of a repeated id wins and the id is found once."""
    store = NumpyVectorStore(2)
    store.add(["a", "a", "b"], [[1, 0], [0.6, 0.8], [0, 1]])
    assert _ids(store.search([1, 0], 5)).count("a") == 1


def test_a_deleted_id_is_never_found_even_if_it_was_added_twice_at_once(tmp_path):
    """After delete(id) no search returns that id, before or after a save/load round trip."""
    store = NumpyVectorStore(2)
    store.add(["a", "a", "b"], [[1, 0], [0.6, 0.8], [0, 1]])
    store.delete(["a"])
    store.save(tmp_path / "v")
    loaded = NumpyVectorStore.load(tmp_path / "v")
    assert "a" not in _ids(store.search([1, 0], 5))
    assert "a" not in _ids(loaded.search([1, 0], 5)) and len(loaded) == 1


def test_search_index_forgets_a_deleted_document_that_was_listed_twice(tmp_path):
    """SearchIndex.add is "add or replace": a corpus listing a patent twice, then a delete of that
    patent, leaves no trace of it in semantic search (the keyword index already gets this right)."""
    from patentbridge_engine.search.hybrid import SearchIndex

    index = SearchIndex.create(tmp_path / "idx")
    index.add(
        [
            {"id": "a", "title": "一种高温热泵", "abstract": "余热回收"},
            {"id": "a", "title": "一种高温热泵机组", "abstract": "余热回收制取蒸汽"},
            {"id": "b", "title": "一种锂电池", "abstract": "正极材料"},
        ]
    )
    index.save()
    index.delete(["a"])
    index.save()
    assert "a" not in [hit.id for hit in index.search("高温热泵", 5, mode="semantic")]


def test_keyword_index_stores_an_id_repeated_in_one_batch_once(tmp_path):
    """The keyword side of the same scenario: the later document replaces the earlier one within a
    single batch, so the index holds one document with the later terms."""
    index = _index(tmp_path, [("a", ["齿轮"], []), ("a", ["轴承"], [])])
    assert len(index) == 1
    assert index.search(["齿轮"], [], 5) == []
    assert _ids(index.search(["轴承"], [], 5)) == ["a"]

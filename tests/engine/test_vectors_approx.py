"""The vector store's IVF search above the size threshold, against the exact scan; persistence."""

from __future__ import annotations

import numpy as np
import pytest

from patentbridge_engine.retrieval.docstore import DocStore
from patentbridge_engine.retrieval.vectors import NumpyVectorStore


def _clustered(n: int, dim: int = 128, seed: int = 3) -> np.ndarray:
    """Vectors with a shared component and cluster structure, like real embeddings."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, dim))
    common = rng.normal(size=dim) * 3
    return common + centres[rng.integers(0, 40, n)] + rng.normal(scale=0.6, size=(n, dim))


@pytest.fixture
def stores():
    vectors = _clustered(3000)
    ids = [f"d{i}" for i in range(len(vectors))]
    approx, exact = (
        NumpyVectorStore(128, approx_from=1000, lists=16),
        NumpyVectorStore(128, approx_from=10**9),
    )
    for start in range(0, 3000, 700):  # incremental batches cross the threshold mid-way
        approx.add(ids[start : start + 700], vectors[start : start + 700])
        exact.add(ids[start : start + 700], vectors[start : start + 700])
    return approx, exact, vectors


def test_codes_switch_on_at_the_threshold(stores):
    approx, exact, _ = stores
    assert approx.approximate and not exact.approximate
    assert len(approx) == len(exact) == 3000


def test_recall_against_the_exact_scan(stores):
    """Recall@10 of the code scan with re-ranking, over 50 queries near the data."""
    approx, exact, vectors = stores
    rng = np.random.default_rng(9)
    found = 0
    for q in vectors[rng.integers(0, 3000, 50)] + rng.normal(scale=0.3, size=(50, 128)):
        truth = {i for i, _ in exact.search(q, 10)}
        found += len(truth & {i for i, _ in approx.search(q, 10)})
    assert found / 500 >= 0.95
    q = vectors[7]
    assert approx.search(q, 10, exact=True) == exact.search(q, 10)


def test_filters_and_deletes_apply_inside_the_code_scan(stores):
    """A small allowed set still yields k hits from it; deleted rows never come back."""
    approx, _, vectors = stores
    allowed = {f"d{i}" for i in range(2990, 3000)}
    hits = approx.search(vectors[5], 5, allowed)
    assert len(hits) == 5 and {i for i, _ in hits} <= allowed
    approx.delete(["d5"])
    assert "d5" not in {i for i, _ in approx.search(vectors[5], 20)}
    approx.add(["d5"], vectors[5:6])
    assert approx.search(vectors[5], 1)[0][0] == "d5"


def test_persistence_keeps_codes_and_results(stores, tmp_path):
    approx, _, vectors = stores
    approx.delete(["d1"])
    approx.save(tmp_path / "v")
    loaded = NumpyVectorStore.load(tmp_path / "v", approx_from=1000)
    assert loaded.approximate and len(loaded) == 2999
    for q in vectors[:20]:
        assert loaded.search(q, 10) == approx.search(q, 10)


def test_docstore_is_a_mapping_committed_with_the_index(tmp_path):
    store = DocStore(tmp_path / "docs.sqlite3")
    store.put([{"id": "a", "title": "热泵", "abstract": "x" * 5000, "ipc": ["F25B30/02"]}, {"id": "b"}])
    store.commit()
    assert len(store) == 2 and "a" in store and "z" not in store and list(store) == ["a", "b"]
    assert store.get("a")["ipc"] == ["F25B"] and len(store.get("a")["abstract"]) == 2000
    assert store.get("z") == {} and store.many(["b", "z"]) == {"b": {"title": "", "abstract": "", "ipc": []}}
    store.delete(["a"])
    store.commit()
    reopened = DocStore(tmp_path / "docs.sqlite3")
    assert list(reopened) == ["b"]


@pytest.mark.parametrize("approx_from", [10**9, 1000], ids=["exact", "ivf"])
def test_small_changes_are_saved_as_a_delta_and_reload_exactly(tmp_path, approx_from):
    """One added and one deleted document after a full save: a delta file, not a rewrite; a
    reload sees exactly the current state; many changes compact into a new base."""
    vectors = _clustered(3000)
    store = NumpyVectorStore(128, approx_from=approx_from, lists=16)
    store.add([f"d{i}" for i in range(2000)], vectors[:2000])
    store.save(tmp_path / "v")
    base_mtime = (tmp_path / "v" / "vectors.npy").stat().st_mtime_ns
    store.add(["new"], vectors[2000:2001])
    store.delete(["d3"])
    store.add(["d4"], vectors[2001:2002])  # a replaced document moves to the delta
    store.save(tmp_path / "v")
    assert (tmp_path / "v" / "vectors.npy").stat().st_mtime_ns == base_mtime
    assert (tmp_path / "v" / "delta.npy").exists()
    loaded = NumpyVectorStore.load(tmp_path / "v", approx_from=approx_from)
    assert loaded.approximate == store.approximate == (approx_from == 1000)
    assert len(loaded) == len(store) == 2000
    assert "d3" not in {i for i, _ in loaded.search(vectors[3], 50)}
    assert loaded.search(vectors[2000], 1)[0][0] == "new"
    assert loaded.search(vectors[2001], 1)[0][0] == "d4"
    for q in vectors[:10]:
        assert loaded.search(q, 10) == store.search(q, 10)
    store.add([f"e{i}" for i in range(1500)], vectors[1500:3000])
    store.save(tmp_path / "v")
    assert not (tmp_path / "v" / "delta.npy").exists()
    reloaded = NumpyVectorStore.load(tmp_path / "v", approx_from=approx_from)
    assert len(reloaded) == len(store) == 3500
    for q in vectors[2990:3000]:
        assert reloaded.search(q, 10) == store.search(q, 10)

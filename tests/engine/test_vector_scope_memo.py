"""The vector store remembers the row mask of an immutable allowed set, and never serves a stale one."""

from __future__ import annotations

import numpy as np
import pytest

from patentbridge_engine.retrieval.vectors import NumpyVectorStore


@pytest.mark.parametrize("approx_from", [10**9, 200])
def test_frozen_allowed_set_mask_is_reused_and_follows_changes(approx_from):
    """Same frozenset → same results as a plain set; deletes, re-adds and compaction are honoured."""
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(600, 32))
    ids = [f"d{i}" for i in range(600)]
    store = NumpyVectorStore(32, approx_from=approx_from, lists=8)
    store.add(ids, vectors)
    allowed = frozenset(ids[::3])
    query = vectors[3]
    first = store.search(query, 10, allowed, probes=8)
    assert first == store.search(query, 10, set(allowed), probes=8)
    assert store._scope_memo is not None and store._scope_memo[0] is allowed
    assert {i for i, _ in first} <= allowed and first[0][0] == "d3"
    store.delete(["d3"])
    assert "d3" not in {i for i, _ in store.search(query, 10, allowed, probes=8)}
    store.add(["d3"], vectors[3:4])  # re-added at a new row: the remembered mask must not hide it
    assert store.search(query, 10, allowed, probes=8)[0][0] == "d3"
    assert store.search(query, 10, allowed, probes=8) == store.search(query, 10, set(allowed), probes=8)

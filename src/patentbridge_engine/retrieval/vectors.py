"""Exact cosine search over a NumPy matrix (float16 storage, float32 arithmetic).

Up to a few hundred thousand documents an exact scan is fast enough (1M×384 float16 is
768 MB; a matrix-vector product over it takes tens of milliseconds on two cores) and has
perfect recall; filters are applied inside the scan as a boolean mask.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["NumpyVectorStore"]


class NumpyVectorStore:
    """Vectors by id with incremental add/replace/delete (deleted rows are masked, then compacted)."""

    def __init__(self, dim: int) -> None:
        import numpy as np

        self.dim = dim
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        self._matrix = np.zeros((0, dim), dtype=np.float16)
        self._alive = np.zeros(0, dtype=bool)

    def add(self, ids: Sequence[str], vectors: Any) -> None:
        import numpy as np

        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float16)
        self.delete([i for i in ids if i in self._row])
        start = len(self._ids)
        self._ids.extend(ids)
        self._row.update({doc_id: start + n for n, doc_id in enumerate(ids)})
        self._matrix = np.vstack([self._matrix, vectors])
        self._alive = np.concatenate([self._alive, np.ones(len(ids), dtype=bool)])

    def delete(self, ids: Sequence[str]) -> None:
        for doc_id in ids:
            row = self._row.pop(doc_id, None)
            if row is not None:
                self._alive[row] = False

    def __len__(self) -> int:
        return len(self._row)

    def vector(self, doc_id: str) -> Any:
        return self._matrix[self._row[doc_id]].astype("float32")

    def search(self, query: Any, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        import numpy as np

        if not self._row:
            return []
        q = np.asarray(query, dtype=np.float32)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        scores = self._matrix.astype(np.float32) @ q if len(self._ids) < 50_000 else self._chunked(q)
        mask = self._alive.copy()
        if allowed is not None:
            allowed_rows = [self._row[i] for i in allowed if i in self._row]
            scoped = np.zeros_like(mask)
            scoped[allowed_rows] = True
            mask &= scoped
        scores = np.where(mask, scores, -np.inf)
        k = min(k, int(mask.sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(self._ids[i], float(scores[i])) for i in top]

    def _chunked(self, q: Any) -> Any:
        import numpy as np

        out = np.empty(len(self._ids), dtype=np.float32)
        step = 65_536  # rows converted to float32 at a time, to keep memory flat
        for start in range(0, len(self._ids), step):
            out[start : start + step] = self._matrix[start : start + step].astype(np.float32) @ q
        return out

    def save(self, path: Path) -> None:
        """Compacted matrix and ids (deleted rows dropped)."""
        import numpy as np

        path.mkdir(parents=True, exist_ok=True)
        keep = [i for i, doc_id in enumerate(self._ids) if self._row.get(doc_id) == i]
        np.save(path / "vectors.npy", self._matrix[keep])
        (path / "vector_ids.json").write_text(json.dumps([self._ids[i] for i in keep], ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> NumpyVectorStore:
        import numpy as np

        matrix = np.load(path / "vectors.npy")
        ids = json.loads((path / "vector_ids.json").read_text())
        store = cls(int(matrix.shape[1]) if matrix.ndim == 2 and matrix.shape[0] else 384)
        store._ids = list(ids)
        store._row = {doc_id: n for n, doc_id in enumerate(ids)}
        store._matrix = matrix.astype(np.float16)
        store._alive = np.ones(len(ids), dtype=bool)
        return store

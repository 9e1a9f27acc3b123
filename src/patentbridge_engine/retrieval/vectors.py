"""Cosine search over document vectors: exact below a size threshold, binary codes above it.

Vectors are kept in a growable buffer (float16 on disk). Up to
``APPROX_FROM`` documents the search is an exact scan. Above it, every vector also gets a
384-bit code (the signs of the vector minus the corpus mean — centring matters because the
vectors share a large common component), the scan ranks by Hamming distance over the codes
(48 bytes per document), and the best ``RERANK`` candidates are re-ranked exactly. Filters
(deleted rows, ``allowed`` ids) are applied inside the scan as a mask, so a filter never
empties a short candidate list. Recall against the exact scan is measured in bench/search.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["APPROX_FROM", "RERANK", "NumpyVectorStore"]

APPROX_FROM = 200_000
RERANK = 1_000
# Rows converted to float32 at a time in an exact scan, to keep memory flat.
_CHUNK = 65_536
# Changes (added rows + deleted base rows) kept in the delta file before a full rewrite.
_COMPACT_SHARE = 0.1
_COMPACT_MIN = 1_000


def _write_array(path: Path, value: Any) -> None:
    """``np.save`` then rename, so a reader never sees half a file."""
    import numpy as np

    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        np.save(fh, value)
    tmp.replace(path)


def _write_json(path: Path, value: Any) -> None:
    """Write then rename, so a reader never sees half a file."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


class NumpyVectorStore:
    """Vectors by id with incremental add/replace/delete (deleted rows are masked, then compacted)."""

    def __init__(self, dim: int, *, approx_from: int = APPROX_FROM) -> None:
        import numpy as np

        self.dim = dim
        self.approx_from = approx_from
        self._ids: list[str] = []
        self._row: dict[str, int] = {}
        # float32 while scanned exactly (converting float16 per query cost more than the scan);
        # float16 once binary codes take over, when only re-ranked rows are converted.
        self._matrix = np.zeros((1024, dim), dtype=np.float32)
        self._alive = np.zeros(1024, dtype=bool)
        self._codes: Any = None  # (capacity, dim // 64) uint64 once approximate search is on
        self._mean: Any = None
        # Rows already in the base file at ``_base_path`` (see ``save``).
        self._base_rows = 0
        self._base_path: Path | None = None

    @property
    def approximate(self) -> bool:
        return self._codes is not None

    def _reserve(self, rows: int) -> None:
        import numpy as np

        capacity = len(self._matrix)
        if rows <= capacity:
            return
        new = max(rows, int(capacity * 1.5))
        matrix = np.zeros((new, self.dim), dtype=self._matrix.dtype)
        matrix[:capacity] = self._matrix
        alive = np.zeros(new, dtype=bool)
        alive[:capacity] = self._alive
        self._matrix, self._alive = matrix, alive
        if self._codes is not None:
            codes = np.zeros((new, self._codes.shape[1]), dtype=np.uint64)
            codes[:capacity] = self._codes
            self._codes = codes

    def _encode_codes(self, vectors: Any) -> Any:
        import numpy as np

        bits = np.packbits(np.asarray(vectors, dtype=np.float32) - self._mean > 0, axis=1)
        return bits.view(np.uint64)

    def _enable_codes(self) -> None:
        import numpy as np

        used = len(self._ids)
        self._matrix = self._matrix.astype(np.float16)
        live = self._matrix[:used][self._alive[:used]]
        self._mean = live.astype(np.float32).mean(axis=0)
        self._codes = np.zeros((len(self._matrix), self.dim // 64), dtype=np.uint64)
        for start in range(0, used, _CHUNK):
            stop = min(start + _CHUNK, used)
            self._codes[start:stop] = self._encode_codes(self._matrix[start:stop])

    def add(self, ids: Sequence[str], vectors: Any) -> None:
        import numpy as np

        vectors = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.maximum(norms, 1e-12)
        self.delete([i for i in ids if i in self._row])
        start = len(self._ids)
        self._reserve(start + len(ids))
        self._ids.extend(ids)
        self._row.update({doc_id: start + n for n, doc_id in enumerate(ids)})
        # Rounded to float16 as on disk, so a reloaded index ranks exactly like the live one.
        self._matrix[start : start + len(ids)] = vectors.astype(np.float16)
        self._alive[start : start + len(ids)] = True
        if self._codes is not None:
            self._codes[start : start + len(ids)] = self._encode_codes(vectors)
        elif len(self._row) >= self.approx_from and self.dim % 64 == 0:
            self._enable_codes()

    def delete(self, ids: Sequence[str]) -> None:
        for doc_id in ids:
            row = self._row.pop(doc_id, None)
            if row is not None:
                self._alive[row] = False

    def __len__(self) -> int:
        return len(self._row)

    def vector(self, doc_id: str) -> Any:
        return self._matrix[self._row[doc_id]].astype("float32")

    def _mask(self, allowed: set[str] | None) -> Any:
        import numpy as np

        used = len(self._ids)
        mask = self._alive[:used].copy()
        if allowed is not None:
            rows = np.fromiter((self._row[i] for i in allowed if i in self._row), dtype=np.int64)
            scoped = np.zeros(used, dtype=bool)
            scoped[rows] = True
            mask &= scoped
        return mask

    def search(
        self, query: Any, k: int, allowed: set[str] | None = None, *, exact: bool = False
    ) -> list[tuple[str, float]]:
        """Best ``k`` (id, cosine) within ``allowed``; ``exact`` forces the full scan (the baseline)."""
        import numpy as np

        if not self._row:
            return []
        q = np.asarray(query, dtype=np.float32)
        q = q / max(float(np.linalg.norm(q)), 1e-12)
        mask = self._mask(allowed)
        k = min(k, int(mask.sum()))
        if k <= 0:
            return []
        if self._codes is not None and not exact:
            rows = self._candidates(q, mask)
            scores = self._matrix[rows].astype(np.float32) @ q
        else:
            rows = np.flatnonzero(mask)
            scores = self._scan(q)[rows]
        top = np.argpartition(-scores, k - 1)[:k] if len(rows) > k else np.arange(len(rows))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self._ids[int(rows[i])], float(scores[i])) for i in top]

    def _candidates(self, q: Any, mask: Any) -> Any:
        """Rows of the ``RERANK`` codes nearest to the query's code, within ``mask``."""
        import numpy as np

        used = len(self._ids)
        code = self._encode_codes(q[None, :])[0]
        distance = np.bitwise_count(self._codes[:used] ^ code).sum(axis=1, dtype=np.uint16)
        distance[~mask] = np.iinfo(np.uint16).max
        take = min(RERANK, int(mask.sum()))
        rows = np.argpartition(distance, take - 1)[:take] if take < used else np.arange(used)
        return rows[mask[rows]]

    def _scan(self, q: Any) -> Any:
        import numpy as np

        used = len(self._ids)
        out = np.empty(used, dtype=np.float32)
        for start in range(0, used, _CHUNK):
            stop = min(start + _CHUNK, used)
            out[start:stop] = self._matrix[start:stop].astype(np.float32, copy=False) @ q
        return out

    def save(self, path: Path) -> None:
        """Persist: rows added since the last full write go to a delta file with the ids deleted
        since, so adding one patent to a million does not rewrite the matrix; once the changes
        pass ``_COMPACT_SHARE`` of the base, everything is compacted into a new base."""
        import numpy as np

        path.mkdir(parents=True, exist_ok=True)
        used = len(self._ids)
        base_rows = self._base_rows if (path / "vectors.npy").exists() and self._base_path == path else 0
        tombstones = [self._ids[i] for i in np.flatnonzero(~self._alive[:base_rows])]
        changes = used - base_rows + len(tombstones)
        if base_rows and changes <= max(_COMPACT_MIN, _COMPACT_SHARE * base_rows):
            delta = np.arange(base_rows, used)
            _write_array(path / "delta.npy", self._matrix[delta].astype(np.float16))
            _write_json(
                path / "delta.json",
                {
                    "ids": self._ids[base_rows:used],
                    "alive": self._alive[delta].tolist(),
                    "deleted": tombstones,
                },
            )
            return
        keep = np.flatnonzero(self._alive[:used])
        _write_array(path / "vectors.npy", self._matrix[keep].astype(np.float16))
        _write_json(path / "vector_ids.json", [self._ids[i] for i in keep])
        (path / "delta.npy").unlink(missing_ok=True)
        (path / "delta.json").unlink(missing_ok=True)
        if self._mean is not None:
            _write_array(path / "code_mean.npy", self._mean)
        # Compacted: rows renumber, so the in-memory store follows the file.
        self._ids = [self._ids[i] for i in keep]
        self._row = {doc_id: n for n, doc_id in enumerate(self._ids)}
        self._matrix = self._matrix[keep]
        self._alive = np.ones(len(keep), dtype=bool)
        if self._codes is not None:
            self._codes = self._codes[keep]
        self._base_rows, self._base_path = len(keep), path

    @classmethod
    def load(cls, path: Path, *, approx_from: int = APPROX_FROM) -> NumpyVectorStore:
        import numpy as np

        matrix = np.load(path / "vectors.npy")
        ids = json.loads((path / "vector_ids.json").read_text())
        store = cls(
            int(matrix.shape[1]) if matrix.ndim == 2 and matrix.shape[0] else 384, approx_from=approx_from
        )
        store._ids = list(ids)
        store._row = {doc_id: n for n, doc_id in enumerate(ids)}
        store._matrix = matrix.astype(np.float32 if len(ids) < approx_from else np.float16)
        store._alive = np.ones(len(ids), dtype=bool)
        store._base_rows, store._base_path = len(ids), path
        if (path / "delta.json").exists():
            delta = json.loads((path / "delta.json").read_text(encoding="utf-8"))
            for doc_id in delta["deleted"]:  # base rows deleted or replaced since the base was written
                row = store._row.pop(doc_id, None)
                if row is not None:
                    store._alive[row] = False
            start = len(ids)
            store._ids.extend(delta["ids"])
            store._matrix = np.vstack(
                [store._matrix, np.load(path / "delta.npy").astype(store._matrix.dtype)]
            )
            store._alive = np.concatenate([store._alive, np.asarray(delta["alive"], dtype=bool)])
            store._row.update(
                {doc_id: start + n for n, doc_id in enumerate(delta["ids"]) if delta["alive"][n]}
            )
            ids = store._ids
        if len(ids) >= approx_from and store.dim % 64 == 0:
            mean_file = path / "code_mean.npy"
            if mean_file.exists():
                store._mean = np.load(mean_file)
                store._codes = np.zeros((len(ids), store.dim // 64), dtype=np.uint64)
                for start in range(0, len(ids), _CHUNK):
                    store._codes[start : start + _CHUNK] = store._encode_codes(
                        store._matrix[start : start + _CHUNK]
                    )
            else:
                store._enable_codes()
        return store

"""E5 passage vectors of documents, computed on demand for re-ranking and kept beside the index.

The index holds static word vectors for every document (cheap at 1M); the strong encoder (E5)
is too slow for bulk encoding on two cores (hundreds of ms per passage), so a passage vector is
computed only when a document reaches the top candidates of a re-ranked search, then cached.
Each entry remembers a hash of the passage text it was computed from: a document replaced by
another process (new title or abstract) is simply re-encoded, never scored with a stale vector.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from patentbridge_engine.retrieval.base import Encoder

__all__ = ["PASSAGE_CHARS", "PassageVectors", "passage_text"]

# The opening of title + abstract that E5 sees (about the title): E5's cost grows with the passage
# length (≈ 270 ms per 32-character passage on the shared two-core machine, bench/eval/rerank_e5.py)
# and the patent's subject, named in its title, is what the re-rank needs.
PASSAGE_CHARS = 32


def passage_text(doc: dict[str, Any], chars: int = PASSAGE_CHARS) -> str:
    """Title and abstract of a document, cut at ``chars`` (abstract alone when untitled)."""
    title = (doc.get("title") or "").strip()
    abstract = (doc.get("abstract") or "").strip()
    return (f"{title}。{abstract}" if title else abstract)[:chars]


_SCHEMA = "CREATE TABLE IF NOT EXISTS passages (id TEXT PRIMARY KEY, digest TEXT, vector BLOB)"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


class PassageVectors:
    """E5 passage vectors by document id in an SQLite file beside the index.

    SQLite rather than an array file: a background job adds a few dozen vectors per search, and
    each search's additions are committed at once (visible to other processes, nothing rewritten).
    The file is created on first use, so an index that is never re-ranked carries none."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(_SCHEMA)
            self._db.commit()
        return self._db

    def __len__(self) -> int:
        if self._db is None and not self.path.exists():
            return 0
        with self._lock:
            return int(self._conn().execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def vectors(
        self, ids: Sequence[str], texts: Callable[[Sequence[str]], dict[str, str]], encoder: Encoder
    ) -> dict[str, Any]:
        """The vector of every id; ``texts`` gives the passage texts of ids (absent ids are skipped),
        and those missing or changed since they were cached are encoded in one batch."""
        import numpy as np

        wanted = texts(ids)
        with self._lock:
            db = self._conn()
            cached: dict[str, Any] = {}
            present = [d for d in ids if d in wanted]
            for start in range(0, len(present), 500):
                part = present[start : start + 500]
                marks = ",".join("?" * len(part))  # only placeholders are formatted into the SQL
                for doc_id, digest, blob in db.execute(
                    f"SELECT id, digest, vector FROM passages WHERE id IN ({marks})", part
                ):
                    if digest == _digest(wanted[doc_id]):
                        cached[doc_id] = np.frombuffer(blob, dtype=np.float32)
            missing = [d for d in present if d not in cached]
            if missing:
                encoded = np.asarray(encoder.encode_documents([wanted[d] for d in missing]), dtype=np.float32)
                rows = list(zip(missing, encoded, strict=True))
                db.executemany(
                    "INSERT OR REPLACE INTO passages (id, digest, vector) VALUES (?, ?, ?)",
                    ((d, _digest(wanted[d]), v.tobytes()) for d, v in rows),
                )
                db.commit()
                cached.update(rows)
            return {d: cached[d] for d in present}

    def put(self, items: Iterable[tuple[str, str, Any]]) -> None:
        """Store (id, passage text, vector) computed elsewhere (a benchmark's own cache)."""
        import numpy as np

        with self._lock:
            db = self._conn()
            db.executemany(
                "INSERT OR REPLACE INTO passages (id, digest, vector) VALUES (?, ?, ?)",
                ((d, _digest(t), np.asarray(v, dtype=np.float32).tobytes()) for d, t, v in items),
            )
            db.commit()

    def drop(self, ids: Sequence[str]) -> None:
        """Forget the given documents (deleted or replaced); a no-op before the file exists."""
        if self._db is None and not self.path.exists():
            return
        with self._lock:
            db = self._conn()
            db.executemany("DELETE FROM passages WHERE id = ?", ((d,) for d in ids))
            db.commit()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

"""Document metadata (title, abstract, IPC) for explanations, in an SQLite file of the index.

A dict in memory held every abstract, which at a million patents meant gigabytes of RAM and a
JSON file read on every open; explanations only ever need the top hits, so they are read from
disk by id. Changes become visible to other processes when ``commit`` is called (with the
rest of the index, in ``SearchIndex.save``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

__all__ = ["DocStore"]

_SCHEMA = "CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, title TEXT, abstract TEXT, ipc TEXT)"
_ABSTRACT_CHARS = 2000


class DocStore:
    """A mapping-like store: ``id in store``, ``len(store)``, ``iter(store)``, ``store.get(id)``."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        self._db.commit()

    def put(self, docs: Iterable[dict[str, Any]]) -> None:
        """Add or replace documents ({id, title, abstract, ipc})."""
        self._db.executemany(
            "INSERT OR REPLACE INTO docs (id, title, abstract, ipc) VALUES (?, ?, ?, ?)",
            (
                (
                    str(d["id"]),
                    d.get("title") or "",
                    (d.get("abstract") or "")[:_ABSTRACT_CHARS],
                    json.dumps([str(c)[:4] for c in d.get("ipc") or []]),
                )
                for d in docs
            ),
        )

    def delete(self, ids: Sequence[str]) -> None:
        self._db.executemany("DELETE FROM docs WHERE id = ?", ((i,) for i in ids))

    def commit(self) -> None:
        self._db.commit()

    def get(self, doc_id: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
        """{title, abstract, ipc} of one document, or ``default`` (an empty dict when not given)."""
        found = self.many([doc_id]).get(doc_id)
        return found if found is not None else (default if default is not None else {})

    def many(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Documents by id for the given ids (missing ids are left out)."""
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))  # only placeholders are formatted into the SQL
            for doc_id, title, abstract, ipc in self._db.execute(
                f"SELECT id, title, abstract, ipc FROM docs WHERE id IN ({marks})",
                part,
            ):
                out[doc_id] = {"title": title, "abstract": abstract, "ipc": json.loads(ipc)}
        return out

    def __contains__(self, doc_id: object) -> bool:
        row = self._db.execute("SELECT 1 FROM docs WHERE id = ?", (str(doc_id),)).fetchone()
        return row is not None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def __iter__(self) -> Iterator[str]:
        return iter([row[0] for row in self._db.execute("SELECT id FROM docs ORDER BY id")])

    def close(self) -> None:
        self._db.close()

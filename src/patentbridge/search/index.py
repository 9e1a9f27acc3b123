"""The library's search index under the data directory, kept in step with the database.

The index holds every patent; what a user may see is decided at query time by ``restrict``
(passed in as the allowed ids), so approval-state changes need no reindexing, only text
changes do. The web process reopens the index when the worker has saved a newer version.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

from patentbridge.patents.models import Patent
from patentbridge_engine.search.hybrid import SearchIndex

__all__ = ["get_index", "index_path", "patent_doc", "rebuild_index", "update_index"]

_lock = threading.Lock()
_cached: tuple[tuple[str, float], SearchIndex] | None = None


def index_path() -> Path:
    return Path(settings.DATA_DIR) / "search" / "index"


def patent_doc(patent: Patent) -> dict[str, Any]:
    """The engine corpus record of a patent (id = application number)."""
    return {
        "id": patent.application_number,
        "title": patent.title,
        "abstract": patent.abstract,
        "claims": patent.main_claim,
        "ipc": list(patent.ipc or []),
        "applicant": (patent.applicants or [""])[0],
    }


def get_index() -> SearchIndex:
    """The current index (created empty on first use), reopened when a newer one was saved."""
    global _cached
    path = index_path()
    with _lock:
        meta = path / "meta.json"
        if not meta.exists():
            index = (
                SearchIndex.create(path)
                if not path.exists() or not any(path.iterdir())
                else SearchIndex.open(path)
            )
            index.save()
        stamp = (str(path), meta.stat().st_mtime)
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, SearchIndex.open(path))
        return _cached[1]


def update_index(numbers: Iterable[str]) -> int:
    """Re-index the given patents (deleted ones are removed)."""
    numbers = list(dict.fromkeys(numbers))
    index = get_index()
    patents = {p.application_number: p for p in Patent.objects.filter(application_number__in=numbers)}
    gone = [n for n in numbers if n not in patents]
    if gone:
        index.delete(gone)
    count = index.add(patent_doc(p) for p in patents.values())
    index.save()
    return count


def rebuild_index(batch: int = 2000) -> int:
    """Rebuild the whole index from the database (the reindex command)."""
    import shutil

    global _cached
    path = index_path()
    with _lock:
        _cached = None
        if path.exists():
            shutil.rmtree(path)
        index = SearchIndex.create(path)
        count = index.add(patent_doc(p) for p in Patent.objects.order_by("pk").iterator(chunk_size=batch))
        index.save()
    return count

"""The search indexes under the data directory, kept in step with the database.

Two indexes share the engine's format: the patent library (``index``) and the posted needs
(``needs``, for reverse matching). Each holds every record; what a user may see is decided at
query time (the allowed ids come from ``restrict``), so approval-state changes need no
reindexing, only text changes do. A process reopens an index when another has saved a newer one.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings

from patentbridge.demands.models import TechNeed
from patentbridge.patents.models import Patent
from patentbridge_engine.errors import PatentBridgeEngineError
from patentbridge_engine.search.hybrid import SearchIndex

__all__ = [
    "get_index",
    "get_needs_index",
    "index_path",
    "need_doc",
    "patent_doc",
    "rebuild_index",
    "rebuild_needs_index",
    "update_index",
    "update_needs_index",
]

_lock = threading.Lock()
_cached: dict[str, tuple[tuple[str, float], SearchIndex]] = {}


def index_path(name: str = "index") -> Path:
    return Path(settings.DATA_DIR) / "search" / name


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


def need_doc(need: TechNeed) -> dict[str, Any]:
    """The engine corpus record of a need (id = primary key as text)."""
    return {
        "id": str(need.pk),
        "title": need.title,
        "abstract": need.description,
        "ipc": list(need.ipc or []),
    }


def _open(name: str) -> SearchIndex:
    try:
        return _open_current(name)
    except PatentBridgeEngineError:
        # An index written in an older format: rebuild it from the database, once.
        (rebuild_index if name == "index" else rebuild_needs_index)()
        return _open_current(name)


def _open_current(name: str) -> SearchIndex:
    path = index_path(name)
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
        cached = _cached.get(name)
        if cached is None or cached[0] != stamp:
            cached = (stamp, SearchIndex.open(path))
            _cached[name] = cached
        return cached[1]


def get_index() -> SearchIndex:
    """The library index (created empty on first use), reopened when a newer one was saved."""
    return _open("index")


def get_needs_index() -> SearchIndex:
    """The needs index (created empty on first use)."""
    return _open("needs")


def _update(
    index: SearchIndex, keys: list[str], records: dict[str, Any], to_doc: Callable[[Any], dict[str, Any]]
) -> int:
    gone = [k for k in keys if k not in records]
    if gone:
        index.delete(gone)
    count = index.add(to_doc(r) for r in records.values())
    index.save()
    return count


def update_index(numbers: Iterable[str]) -> int:
    """Re-index the given patents (deleted ones are removed)."""
    keys = list(dict.fromkeys(numbers))
    patents = {p.application_number: p for p in Patent.objects.filter(application_number__in=keys)}
    return _update(get_index(), keys, patents, patent_doc)


def update_needs_index(pks: Iterable[int]) -> int:
    """Re-index the given needs (deleted ones are removed)."""
    keys = [str(pk) for pk in dict.fromkeys(pks)]
    needs = {str(n.pk): n for n in TechNeed.objects.filter(pk__in=[int(k) for k in keys])}
    return _update(get_needs_index(), keys, needs, need_doc)


def _rebuild(name: str, docs: Iterable[dict[str, Any]]) -> int:
    path = index_path(name)
    with _lock:
        _cached.pop(name, None)
        if path.exists():
            shutil.rmtree(path)
        index = SearchIndex.create(path)
        count = index.add(docs)
        index.save()
    return count


def rebuild_index(batch: int = 2000) -> int:
    """Rebuild the library index from the database (the reindex command)."""
    return _rebuild(
        "index", (patent_doc(p) for p in Patent.objects.order_by("pk").iterator(chunk_size=batch))
    )


def rebuild_needs_index() -> int:
    """Rebuild the needs index from the database."""
    return _rebuild("needs", (need_doc(n) for n in TechNeed.objects.order_by("pk").iterator()))

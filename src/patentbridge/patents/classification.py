"""Classification of stored patents: builds the engine classifier from the database chains."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from patentbridge.core.bulk import insert_rows
from patentbridge.patents.models import IndustryChain, Patent, PatentClass
from patentbridge_engine.classify import Classifier, load_chain_config, parse_chain_config
from patentbridge_engine.classify.rows import classification_rows
from patentbridge_engine.ingest.prepare import classification_text

__all__ = [
    "CLASS_COLUMNS",
    "chain_config",
    "class_rows",
    "get_classifier",
    "invalidate_classifier",
    "replace_classes",
]

_lock = threading.Lock()
_cached: Classifier | None = None


def get_classifier() -> Classifier:
    """The process-wide classifier (tables load once; chains come from the database)."""
    global _cached
    with _lock:
        if _cached is None:
            _cached = Classifier.default(parse_chain_config(chain_config()))
        return _cached


def invalidate_classifier() -> None:
    """Drop the cached classifier after the chain configuration changed."""
    global _cached
    with _lock:
        _cached = None


CLASS_COLUMNS = ("patent", "scheme", "code", "name", "method", "reason", "score")


def class_rows(patent: Patent, classifier: Classifier | None = None) -> list[tuple[Any, ...]]:
    """Rows (in ``CLASS_COLUMNS`` order) for one saved patent: IPC levels plus every scheme."""
    rows = classification_rows(
        classifier or get_classifier(),
        list(patent.ipc or []),
        classification_text(
            {"title": patent.title, "abstract": patent.abstract, "main_claim": patent.main_claim}
        ),
    )
    return [(patent.pk, *row) for row in rows]


def chain_config() -> dict[str, Any]:
    """The database chain configuration in the engine's format (for helper processes)."""
    return {
        "chains": [
            {"code": c.code, "name": c.name, "ipc": c.ipc_patterns, "keywords": c.keywords}
            for c in IndustryChain.objects.all()
        ]
    }


def replace_classes(patents: Iterable[Patent]) -> int:
    """Recompute the classes of ``patents`` (already saved); returns rows written."""
    patents = list(patents)
    classifier = get_classifier()
    PatentClass.objects.filter(patent__in=[p.pk for p in patents]).delete()
    return insert_rows(
        PatentClass, CLASS_COLUMNS, (row for p in patents for row in class_rows(p, classifier))
    )


def seed_default_chains() -> int:
    """Create the bundled industry-chain configuration when the platform has no chain yet (a new
    data directory); returns how many were created. ``init`` and the demo loader both call it,
    so the demo's menus, pools and roadshows always find their chains."""
    if IndustryChain.objects.exists():
        return 0
    config = load_chain_config()
    for position, chain in enumerate(config["chains"]):
        IndustryChain.objects.create(
            code=chain["code"],
            name=chain["name"],
            ipc_patterns=chain["ipc"],
            keywords=chain["keywords"],
            note=config["note"][:300],
            position=position,
        )
    return len(config["chains"])

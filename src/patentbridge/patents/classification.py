"""Classification of stored patents: builds the engine classifier from the database chains."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from patentbridge.patents.models import IndustryChain, Patent, PatentClass
from patentbridge_engine.classify import Classifier, IpcCode, parse_chain_config, parse_ipc_list

__all__ = ["classes_for", "get_classifier", "invalidate_classifier", "replace_classes"]

_lock = threading.Lock()
_cached: Classifier | None = None


def get_classifier() -> Classifier:
    """The process-wide classifier (tables load once; chains come from the database)."""
    global _cached
    with _lock:
        if _cached is None:
            chains = [
                {"code": c.code, "name": c.name, "ipc": c.ipc_patterns, "keywords": c.keywords}
                for c in IndustryChain.objects.all()
            ]
            _cached = Classifier.default(parse_chain_config({"chains": chains}))
        return _cached


def invalidate_classifier() -> None:
    """Drop the cached classifier after the chain configuration changed."""
    global _cached
    with _lock:
        _cached = None


def _codes(patent: Patent) -> list[IpcCode]:
    codes, _ = parse_ipc_list(list(patent.ipc or []))
    return codes


def classes_for(patent: Patent, classifier: Classifier | None = None) -> list[PatentClass]:
    """Unsaved PatentClass rows for one patent: IPC hierarchy plus every scheme's assignments."""
    classifier = classifier or get_classifier()
    codes = _codes(patent)
    out: list[PatentClass] = []
    seen_ipc: set[str] = set()
    for code in codes:
        for level_code in [code.section, code.subclass]:
            if level_code and level_code not in seen_ipc:
                seen_ipc.add(level_code)
                reason = "专利著录的IPC分类号" if level_code == code.subclass else f"由 {code.code} 上溯"
                out.append(
                    PatentClass(
                        patent=patent,
                        scheme="ipc",
                        code=level_code,
                        name=classifier.ipc_title(level_code)[:300],
                        method="rule",
                        reason=reason,
                    )
                )
    text = " ".join((patent.title, patent.abstract, patent.main_claim))
    for a in classifier.classify(codes, text):
        out.append(
            PatentClass(
                patent=patent,
                scheme=a.scheme,
                code=a.code[:40],
                name=a.name[:300],
                method=a.method,
                reason=a.reason[:500],
                score=a.score,
            )
        )
    return out


def replace_classes(patents: Iterable[Patent]) -> int:
    """Recompute the classes of ``patents`` (already saved); returns rows written."""
    patents = list(patents)
    classifier = get_classifier()
    PatentClass.objects.filter(patent__in=[p.pk for p in patents]).delete()
    rows = [c for p in patents for c in classes_for(p, classifier)]
    PatentClass.objects.bulk_create(rows, batch_size=1000)
    return len(rows)

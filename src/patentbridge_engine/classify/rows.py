"""Flat classification rows for storage: IPC section/subclass levels plus every scheme's assignments."""

from __future__ import annotations

from collections.abc import Sequence

from patentbridge_engine.classify.classifier import Classifier
from patentbridge_engine.classify.ipc import parse_ipc_list

__all__ = ["ClassRow", "classification_rows"]

# (scheme, code, name, method, reason, score)
ClassRow = tuple[str, str, str, str, str, float | None]


def classification_rows(classifier: Classifier, ipc: Sequence[str], text: str) -> list[ClassRow]:
    """Rows for one patent; ``text`` is title + abstract + main claim."""
    codes, _ = parse_ipc_list(list(ipc))
    out: list[ClassRow] = []
    seen: set[str] = set()
    for code in codes:
        for level in (code.section, code.subclass):
            if level and level not in seen:
                seen.add(level)
                reason = "专利著录的IPC分类号" if level == code.subclass else f"由 {code.code} 上溯"
                out.append(("ipc", level, classifier.ipc_title(level)[:300], "rule", reason, None))
    for a in classifier.classify(codes, text):
        out.append((a.scheme, a.code[:40], a.name[:300], a.method, a.reason[:500], a.score))
    return out

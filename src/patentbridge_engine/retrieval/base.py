"""Protocols of the retrieval layer and the on-disk format version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["FORMAT_VERSION", "Encoder", "VectorStore"]

# Bumped whenever the index directory layout or a stored representation changes; an index
# of another version is refused with a message asking for `build-index` again.
FORMAT_VERSION = 2


class Encoder(Protocol):
    """Turns texts into unit-length vectors; ``name`` is recorded in the index."""

    name: str
    dim: int

    def encode_documents(self, texts: Sequence[str]) -> Any: ...

    def encode_queries(self, texts: Sequence[str]) -> Any: ...


class VectorStore(Protocol):
    """Vectors by document id; ``search`` returns (id, cosine) best first, within ``allowed``."""

    def add(self, ids: Sequence[str], vectors: Any) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def search(self, query: Any, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]: ...

    def __len__(self) -> int: ...

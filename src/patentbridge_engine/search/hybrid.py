"""The search index directory: keyword index, vectors and document metadata under one version.

Query path: BM25 over words and bigrams, and cosine search of the query's E5 vector against
the documents' static word vectors; the two ranked lists are fused by weighted reciprocal
rank fusion (weights and constant tuned on the dev set in bench/eval). Every hit carries the
matched terms, the best-matching sentence and the shared IPC subclasses. Optionally (``rerank``,
used by need matching, off for the search box) the top candidates are re-ordered by E5
(search/rerank.py), with E5 passage vectors cached beside the index (``e5_passages.sqlite3``).
"""

from __future__ import annotations

import functools
import json
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patentbridge_engine.errors import PatentBridgeEngineError
from patentbridge_engine.retrieval.base import FORMAT_VERSION, Encoder
from patentbridge_engine.retrieval.docstore import DocStore
from patentbridge_engine.retrieval.keyword import KeywordIndex
from patentbridge_engine.retrieval.passages import PassageVectors, passage_text
from patentbridge_engine.retrieval.vectors import NumpyVectorStore
from patentbridge_engine.search.explain import best_sentence, matched_terms
from patentbridge_engine.search.hit import Hit
from patentbridge_engine.search.rerank import RerankSettings, fuse_rerank
from patentbridge_engine.text.need import reduce_need_text
from patentbridge_engine.text.tokenize import Tokenizer, default_tokenizer

__all__ = ["FusionWeights", "Hit", "RerankSettings", "SearchIndex"]

# Candidates taken from each retriever before fusion.
_CANDIDATES = 100
# Titles and abstracts whose words are kept for explanations (~3 KB each: about 12 MB).
_DOC_WORDS_CACHE = 4096


@dataclass(frozen=True, slots=True)
class FusionWeights:
    """Weighted RRF: score = Σ weight / (constant + rank).

    Tuned on the dev set (bench/results/eval.json): BM25 is the stronger single list on both
    keyphrase and need-style queries, so the semantic list gets a quarter weight and a small
    constant keeps the top keyword ranks decisive; the semantic list's gain is recall (documents
    that share no words with the query), not the order of the top hits.
    """

    keyword: float = 1.0
    semantic: float = 0.25
    constant: float = 5.0


@functools.lru_cache(maxsize=1)
def _shared_e5() -> Encoder:
    """One E5 model per process: indexes are reopened after every save, the model need not be."""
    from patentbridge_engine.retrieval.encoders import E5Encoder

    return E5Encoder()


_QUERY_CACHE: OrderedDict[tuple[str, str], Any] = OrderedDict()
_QUERY_CACHE_SIZE = 256


def _query_vector(encoder: Encoder, text: str) -> Any:
    """The query's vector, remembered for recent queries: a need page asks the same text twice
    (patents, then teams), and encoding costs far more than searching."""
    key = (encoder.name, text)
    if key in _QUERY_CACHE:
        _QUERY_CACHE.move_to_end(key)
        return _QUERY_CACHE[key]
    vector = encoder.encode_queries([text])[0]
    _QUERY_CACHE[key] = vector
    if len(_QUERY_CACHE) > _QUERY_CACHE_SIZE:
        _QUERY_CACHE.popitem(last=False)
    return vector


def _doc_text(doc: dict[str, Any]) -> str:
    parts = [doc.get("title") or "", doc.get("abstract") or "", (doc.get("claims") or "")[:1000]]
    return "。".join(p for p in parts if p)


class SearchIndex:
    """Create with ``SearchIndex.create(dir)`` or open with ``SearchIndex.open(dir)``."""

    def __init__(self, path: Path, doc_encoder: Encoder, meta: dict[str, Any], tokenizer: Tokenizer) -> None:
        self.path = path
        self.doc_encoder = doc_encoder
        self.tokenizer = tokenizer
        self.meta = meta
        self.keyword = KeywordIndex(path / "keyword")
        vectors = path / "vectors"
        self.vectors = (
            NumpyVectorStore.load(vectors)
            if (vectors / "vectors.npy").exists()
            else NumpyVectorStore(doc_encoder.dim)
        )
        self.docs = DocStore(path / "docs.sqlite3")
        # E5 passage vectors of documents that reached a re-ranked top (search(rerank=...)).
        self.passages = PassageVectors(path / "e5_passages.sqlite3")
        # Explaining a hit segments its title and abstract; popular patents come back query after
        # query, so the words are memoised by text (a changed document is a different key).
        self._doc_words = functools.lru_cache(maxsize=_DOC_WORDS_CACHE)(tokenizer.words)
        self._query_encoder: Encoder | None = None
        # Query vectors inside hybrid search: the document encoder's own (fast) by default.
        self.fusion_encoder: Encoder = doc_encoder

    @classmethod
    def create(cls, path: Path, doc_encoder: Encoder | None = None) -> SearchIndex:
        from patentbridge_engine.retrieval.encoders import StaticVectorEncoder

        if path.exists() and any(path.iterdir()):
            raise PatentBridgeEngineError(f"索引目录非空：{path}")
        path.mkdir(parents=True, exist_ok=True)
        encoder = doc_encoder or StaticVectorEncoder()
        meta = {"format_version": FORMAT_VERSION, "doc_encoder": encoder.name, "documents": 0}
        return cls(path, encoder, meta, default_tokenizer())

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        from patentbridge_engine.retrieval.encoders import StaticVectorEncoder

        meta_file = path / "meta.json"
        if not meta_file.exists():
            raise PatentBridgeEngineError(f"不是搜索索引目录：{path}")
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION:
            raise PatentBridgeEngineError(
                f"索引格式版本 {meta.get('format_version')} 与当前 {FORMAT_VERSION} 不符，请重新 build-index"
            )
        return cls(path, StaticVectorEncoder(), meta, default_tokenizer())

    def add(self, docs: Iterable[dict[str, Any]], batch: int = 2000) -> int:
        """Add or replace documents ({id, title, abstract, claims?, ipc?, applicant?})."""
        count = 0
        pending: list[dict[str, Any]] = []
        for doc in docs:
            pending.append(doc)
            if len(pending) >= batch:
                count += self._add_batch(pending)
                pending = []
        if pending:
            count += self._add_batch(pending)
        return count

    def _add_batch(self, docs: list[dict[str, Any]]) -> int:
        ids = [str(d["id"]) for d in docs]
        texts = [_doc_text(d) for d in docs]
        tokens = [self.tokenizer.tokens(t) for t in texts]
        self.keyword.add((i, w, b) for i, (w, b) in zip(ids, tokens, strict=True))
        self.vectors.add(ids, self.doc_encoder.encode_documents(texts))
        self.docs.put({**doc, "id": doc_id} for doc_id, doc in zip(ids, docs, strict=True))
        self.passages.drop(ids)
        return len(docs)

    def delete(self, ids: Sequence[str]) -> None:
        self.keyword.delete(ids)
        self.passages.drop(ids)
        self.vectors.delete(ids)
        self.docs.delete(ids)

    def save(self) -> None:
        """Commit the keyword index and write vectors, documents and metadata."""
        self.keyword.commit()
        self.vectors.save(self.path / "vectors")
        self.docs.commit()
        self.meta["documents"] = len(self.docs)
        (self.path / "meta.json").write_text(
            json.dumps(self.meta, ensure_ascii=False, indent=2), encoding="utf-8"
        )

    @property
    def query_encoder(self) -> Encoder:
        if self._query_encoder is None:
            self._query_encoder = _shared_e5()
        return self._query_encoder

    def use_query_encoder(self, encoder: Encoder, *, in_fusion: bool = False) -> None:
        """Replace the semantic-mode query encoder, and with ``in_fusion`` the hybrid one too."""
        self._query_encoder = encoder
        if in_fusion:
            self.fusion_encoder = encoder

    def search(
        self,
        text: str,
        k: int = 10,
        *,
        allowed: set[str] | None = None,
        mode: str = "hybrid",
        weights: FusionWeights = FusionWeights(),
        query_ipc: Sequence[str] = (),
        rerank: RerankSettings | None = None,
    ) -> list[Hit]:
        """Best ``k`` documents for ``text``; ``mode`` is "hybrid", "keyword" or "semantic".

        A long need text is first reduced to its technical part (``reduce_need_text``); a short
        search-box query is used as it is. ``rerank`` (hybrid mode only, off by default) re-orders
        the top candidates by E5 (search/rerank.py): slow, meant for background need matching."""
        text = reduce_need_text(text)
        words, bigrams = self.tokenizer.tokens(text)
        keyword = self.keyword.search(words, bigrams, _CANDIDATES, allowed) if mode != "semantic" else []
        semantic: list[tuple[str, float]] = []
        if mode != "keyword":
            # Semantic-only search spends the strong encoder (E5); in the fusion the static vector
            # ranked as well on the dev set at a fraction of the latency (bench/results/eval.json).
            encoder = self.query_encoder if mode == "semantic" else self.fusion_encoder
            vector = _query_vector(encoder, text)
            # E5 query vectors sit further from the document clusters than static ones: probe more.
            probes = 64 if mode == "semantic" else 32
            semantic = self.vectors.search(vector, _CANDIDATES, allowed, probes=probes)
        specificity = self.keyword.specificity(words)
        # The keyword score relative to the query's own score (strength evidence): computed only
        # when there are keyword hits to judge.
        self_score = self.keyword.self_score(words, bigrams) if keyword else 0.0
        k_score = dict(keyword)
        scores: dict[str, float] = {}
        k_rank = {doc_id: r for r, (doc_id, _) in enumerate(keyword, start=1)}
        s_rank = {doc_id: r for r, (doc_id, _) in enumerate(semantic, start=1)}
        for doc_id, rank in k_rank.items():
            scores[doc_id] = scores.get(doc_id, 0.0) + weights.keyword / (weights.constant + rank)
        for doc_id, rank in s_rank.items():
            scores[doc_id] = scores.get(doc_id, 0.0) + weights.semantic / (weights.constant + rank)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        if rerank is not None and mode == "hybrid" and ranked:
            ranked = self._reranked(text, ranked, rerank)
        ranked = ranked[:k]
        docs = self.docs.many([doc_id for doc_id, _ in ranked])
        return [
            self._explained(
                doc_id,
                docs.get(doc_id, {}),
                score,
                words,
                query_ipc,
                k_rank.get(doc_id),
                s_rank.get(doc_id),
                specificity,
                k_score[doc_id] / self_score if doc_id in k_score and self_score else None,
            )
            for doc_id, score in ranked
        ]

    def _reranked(
        self, text: str, ranked: list[tuple[str, float]], settings: RerankSettings
    ) -> list[tuple[str, float]]:
        head = [doc_id for doc_id, _ in ranked[: settings.depth]]
        query = _query_vector(self.query_encoder, text[: settings.query_chars])

        def texts(ids: Sequence[str]) -> dict[str, str]:
            return {d: passage_text(doc) for d, doc in self.docs.many(list(ids)).items()}

        vectors = self.passages.vectors(head, texts, self.query_encoder)
        cosines = {d: float(v @ query) for d, v in vectors.items()}
        return fuse_rerank(ranked, cosines, settings)

    def explain(self, text: str, doc_id: str, *, query_ipc: Sequence[str] = ()) -> Hit | None:
        """Why document ``doc_id`` answers ``text`` (terms, sentence, shared IPC), without ranking it;
        None when the document is not in the index."""
        doc = self.docs.many([doc_id]).get(doc_id)
        if doc is None:
            return None
        words = self.tokenizer.words(reduce_need_text(text))
        return self._explained(
            doc_id, doc, 0.0, words, query_ipc, None, None, self.keyword.specificity(words), None
        )

    def _explained(
        self,
        doc_id: str,
        doc: dict[str, Any],
        score: float,
        words: Sequence[str],
        query_ipc: Sequence[str],
        keyword_rank: int | None,
        semantic_rank: int | None,
        specificity: dict[str, float],
        query_match: float | None,
    ) -> Hit:
        doc_text = f"{doc.get('title', '')}。{doc.get('abstract', '')}"
        doc_words = self._doc_words(doc_text)
        terms = matched_terms(words, doc_words, known=self.tokenizer.is_dictionary_word)
        present = set(doc_words)
        match_weight = sum(v for w, v in specificity.items() if w in present)
        total = sum(specificity.values())
        # A patent without a title (abstract-only records) is named by its abstract's opening.
        title_spec = self.keyword.specificity(self._doc_words(doc.get("title") or doc_text[1:41]))
        title_total = sum(title_spec.values())
        asked = set(words)
        title_weight = sum(v for w, v in title_spec.items() if w in asked)
        # The title is shown anyway; the sentence should add what the abstract (or claim) says.
        sentence = best_sentence(doc.get("abstract") or doc_text, terms, claims=doc.get("claims") or "")
        query_sub = {c[:4] for c in query_ipc}
        return Hit(
            id=doc_id,
            score=round(score, 6),
            keyword_rank=keyword_rank,
            semantic_rank=semantic_rank,
            terms=tuple(terms),
            sentence=sentence,
            shared_ipc=tuple(sorted(query_sub & set(doc.get("ipc", [])))),
            match_weight=round(match_weight, 4),
            coverage=round(match_weight / total, 4) if total else 0.0,
            title_coverage=round(title_weight / title_total, 4) if title_total else 0.0,
            query_match=round(query_match, 4) if query_match is not None else None,
        )

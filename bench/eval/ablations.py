"""Ranking ablations for issue 14: each idea tried to rank real needs better, measured on the
development set beside the engine's default, so that what helped and what did not is on record.

Every variant re-ranks the engine's own candidates (tantivy BM25 with other query clauses, the
static-vector semantic list, the documents' own words); none changes the index. Sets: the real
needs on the small and large corpus (nDCG@10 on tune / holdout / all, judged share of the top
10), the known-item keyphrase set and the 24 hand-written needs (small corpus). A variant would
be adopted only if it gains on the tune half and holds on the holdout half of both corpora
without a known-item loss.

    python -m bench.eval.ablations [--index-dir DIR] [--queries 1000]

DIR/small and DIR/large are built when missing (and kept, so a rerun is quick). Results:
bench/results/eval_ablations.json.
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.eval.real_needs import Need, has_relevant, large_extra, load_needs, need_metrics, small_corpus
from bench.eval.run import known_item_queries, metrics, need_queries
from bench.eval.run_halves import half
from patentbridge_engine.retrieval.keyword import weighted_terms
from patentbridge_engine.search.hybrid import SearchIndex
from patentbridge_engine.text.need import reduce_need_text

ROOT = Path(__file__).resolve().parents[2]
_CANDIDATES = 100
_C = 5.0  # the engine's RRF constant


class Query:
    """One query's reduced text, tokens, specificity and the candidate lists variants share."""

    def __init__(self, index: SearchIndex, text: str) -> None:
        self.index = index
        self.text = reduce_need_text(text)
        self.words, self.bigrams = index.tokenizer.tokens(self.text)
        self.spec = index.keyword.specificity(self.words)
        vector = index.fusion_encoder.encode_queries([self.text])[0]
        self.semantic = [d for d, _ in index.vectors.search(vector, _CANDIDATES, None, probes=32)]
        self.keyword = index.keyword.search(self.words, self.bigrams, _CANDIDATES)


Variant = Callable[[Query], list[str]]


def _rrf(keyword: list[tuple[str, float]], semantic: list[str], sem_weight: float = 0.25) -> dict[str, float]:
    scores: defaultdict[str, float] = defaultdict(float)
    for rank, (doc_id, _) in enumerate(keyword, start=1):
        scores[doc_id] += 1.0 / (_C + rank)
    for rank, doc_id in enumerate(semantic, start=1):
        scores[doc_id] += sem_weight / (_C + rank)
    return dict(scores)


def _order(scores: dict[str, float]) -> list[str]:
    return [d for d, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))]


def _doc_words(q: Query, ids: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """(title words, abstract words) of the given documents."""
    docs = q.index.docs.many(ids)
    tok = q.index.tokenizer
    return {d: (tok.words(docs[d]["title"]), tok.words(docs[d]["abstract"])) for d in ids if d in docs}


def _requery(q: Query, **options: Any) -> list[tuple[str, float]]:
    terms = weighted_terms(q.words, q.bigrams, **options)
    return q.index.keyword.search_terms(terms, _CANDIDATES)


def _need_title_twice(q: Query) -> list[str]:
    """Words of a long need's first sentence (its title) counted twice in the query."""
    head = q.text.split("。")[0]
    if len(q.text) < 120 or len(head) == len(q.text):
        return _order(_rrf(q.keyword, q.semantic))
    head_words, _ = q.index.tokenizer.tokens(head)
    terms = weighted_terms(q.words + head_words, q.bigrams)
    return _order(_rrf(q.index.keyword.search_terms(terms, _CANDIDATES), q.semantic))


def _prf(q: Query, docs: int = 3, terms: int = 20, weight: float = 0.3) -> list[str]:
    """Pseudo-relevance feedback: the most specific frequent words of the first keyword hits
    (weighted by their normalised BM25 score) added as extra word clauses."""
    if not q.keyword:
        return []
    top = q.keyword[:docs]
    words = _doc_words(q, [d for d, _ in top])
    spec = q.index.keyword.specificity({w for t, a in words.values() for w in t + a})
    gain: defaultdict[str, float] = defaultdict(float)
    for doc_id, score in top:
        title, abstract = words.get(doc_id, ([], []))
        counts = Counter(title + abstract)
        length = sum(counts.values()) or 1
        for word, count in counts.items():
            if len(word) >= 2 and word not in q.spec:
                gain[word] += score / top[0][1] * count / length * spec.get(word, 0.0)
    chosen = sorted(gain.items(), key=lambda item: -item[1])[:terms]
    total = sum(v for _, v in chosen) or 1.0
    extra = [("words", w, weight * 2.0 * v / total * terms) for w, v in chosen]
    hits = q.index.keyword.search_terms(weighted_terms(q.words, q.bigrams) + extra, _CANDIDATES)
    return _order(_rrf(hits, q.semantic))


def _bonus(q: Query, kind: str, weight: float = 0.3) -> list[str]:
    """RRF plus a bonus from the document's own words: the query weight its title holds
    ("title") or the share of the query's 8 key terms it contains ("keyterms")."""
    scores = _rrf(q.keyword, q.semantic)
    words = _doc_words(q, list(scores))
    qtf = Counter(q.words)
    qweight = {w: (1 + math.log(qtf[w])) * s for w, s in q.spec.items()}
    total = sum(qweight.values()) or 1.0
    key = set(sorted(qweight, key=lambda w: -qweight[w])[:8])
    for doc_id in scores:
        title, abstract = words.get(doc_id, ([], []))
        if kind == "title":
            value = sum(qweight.get(w, 0.0) for w in set(title)) / total
        else:
            value = len(key & (set(title) | set(abstract))) / max(len(key), 1)
        scores[doc_id] += weight * value / (_C + 1)
    return _order(scores)


def _score_fusion(q: Query) -> list[str]:
    """Normalised BM25 score plus the (scaled) semantic RRF, instead of keyword RRF."""
    scores: defaultdict[str, float] = defaultdict(float)
    top = q.keyword[0][1] if q.keyword else 1.0
    for doc_id, score in q.keyword:
        scores[doc_id] += score / top
    for rank, doc_id in enumerate(q.semantic, start=1):
        scores[doc_id] += 0.25 * _C / (_C + rank)
    return _order(dict(scores))


VARIANTS: dict[str, Variant] = {
    "default (RRF keyword 1 + semantic 0.25, c = 5)": lambda q: _order(_rrf(q.keyword, q.semantic)),
    "semantic weight 0 (keyword only)": lambda q: _order(_rrf(q.keyword, [], 0.0)),
    "semantic weight 0.5": lambda q: _order(_rrf(q.keyword, q.semantic, 0.5)),
    "bigrams off": lambda q: _order(_rrf(_requery(q, bigram_boost=0.0), q.semantic)),
    "bigram boost 0.5": lambda q: _order(_rrf(_requery(q, bigram_boost=0.5), q.semantic)),
    "bigram boost 2": lambda q: _order(_rrf(_requery(q, bigram_boost=2.0), q.semantic)),
    "query terms 32 per field": lambda q: _order(_rrf(_requery(q, max_terms=32), q.semantic)),
    "query terms 128 per field": lambda q: _order(_rrf(_requery(q, max_terms=128), q.semantic)),
    "need title words twice": _need_title_twice,
    "pseudo-relevance feedback (3 docs, 20 words, 0.3)": _prf,
    "title-match bonus": lambda q: _bonus(q, "title"),
    "key-term coverage bonus": lambda q: _bonus(q, "keyterms"),
    "score fusion (normalised BM25)": _score_fusion,
}


def _open(path: Path, docs: Callable[[], list[dict[str, Any]]]) -> SearchIndex:
    if not (path / "meta.json").exists():
        index = SearchIndex.create(path)
        index.add(docs())
        index.save()
    return SearchIndex.open(path)


def _real(queries: list[tuple[Need, Query]], variant: Variant) -> dict[str, float]:
    rows: dict[str, list[dict[str, float]]] = {"tune": [], "holdout": []}
    for need, q in queries:
        rows[half(need)].append(need_metrics(variant(q), need.grades))
    both = rows["tune"] + rows["holdout"]

    def mean(part: list[dict[str, float]], key: str) -> float:
        return round(sum(r[key] for r in part) / len(part), 4)

    return {
        "tune": mean(rows["tune"], "ndcg@10"),
        "holdout": mean(rows["holdout"], "ndcg@10"),
        "all": mean(both, "ndcg@10"),
        "judged@10": mean(both, "judged@10"),
    }


def _plain(queries: list[tuple[set[str], Query]], variant: Variant) -> float:
    return round(sum(metrics(variant(q), rel)["ndcg@10"] for rel, q in queries) / len(queries), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--index-dir", default=str(Path(tempfile.gettempdir()) / "patentbridge-ablation-indexes")
    )
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "eval_ablations.json"))
    args = parser.parse_args()
    base = Path(args.index_dir)
    small_docs = small_corpus()
    ids = [d["id"] for d in small_docs]
    small = _open(base / "small", lambda: small_docs)
    large = _open(base / "large", lambda: small_docs + large_extra())
    large_ids = set(ids) | {d["id"] for d in large_extra()}
    real = {
        "real_needs_small": [(n, Query(small, n.text)) for n in load_needs(set(ids)) if has_relevant(n)],
        "real_needs_large": [(n, Query(large, n.text)) for n in load_needs(large_ids) if has_relevant(n)],
    }
    plain = {
        "known_item": [(rel, Query(small, text)) for _, text, rel in known_item_queries(args.queries)],
        "needs": [(rel, Query(small, text)) for _, text, rel in need_queries(ids)],
    }
    results: dict[str, Any] = {}
    for name, variant in VARIANTS.items():
        results[name] = {
            **{set_name: _real(queries, variant) for set_name, queries in real.items()},
            **{set_name: _plain(queries, variant) for set_name, queries in plain.items()},
        }
        print(name, json.dumps(results[name], ensure_ascii=False), flush=True)
    out = {
        "benchmark": "ranking_ablations",
        "method": __doc__.split("\n\n")[1].replace("\n", " ") if __doc__ else "",
        "metric": "nDCG@10 (real needs: gain = grade, tune / holdout halves; others: one relevant document)",
        "variants": results,
        "date": time.strftime("%Y-%m-%d"),
    }
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

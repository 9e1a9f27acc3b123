"""E5 re-ranking of the top hybrid candidates (issue 14): the need is encoded with E5 ("query: "),
each of the top-K candidates' opening text with E5 ("passage: "), and the E5 cosine is fused with
the engine's RRF order — by reciprocal rank (weight w on the E5 rank) or linearly (min-max
normalised RRF score and cosine, share w on the cosine). Candidates below K keep their order.

Weights and K are chosen on the "tune" half of the real needs only; "holdout" and both corpora
show whether the choice carries over. E5 is slow on long passages on the shared two-core machine,
so the passage is the first ``--passage-chars`` characters of title + abstract, the query the
first ``--query-chars`` characters of the reduced need, and every vector is cached on disk by
doc id (``--cache``): reruns only encode what is new. Passage encoding cost (ms/doc) is recorded.

    python -m bench.eval.rerank_e5 [--index-dir DIR] [--half tune] [--known 100]

Results are merged into bench/results/eval_ablations.json under "e5_rerank".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.eval.ablations import Query, _open, _order, _rrf
from bench.eval.real_needs import Need, has_relevant, large_extra, load_needs, need_metrics, small_corpus
from bench.eval.run import known_item_queries, metrics, need_queries
from bench.eval.run_halves import half
from patentbridge_engine.retrieval.encoders import E5Encoder
from patentbridge_engine.retrieval.passages import passage_text
from patentbridge_engine.search.hybrid import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
_C = 5.0


class VectorCache:
    """E5 vectors by key, pickled to one file; missing keys are encoded in small batches and the
    file is rewritten after each batch, so an interrupted run loses at most one batch."""

    def __init__(self, path: Path, encode: Callable[[list[str]], Any]) -> None:
        self.path = path
        self.encode = encode
        self.data: dict[str, Any] = pickle.loads(path.read_bytes()) if path.exists() else {}
        self.encoded = 0
        self.seconds = 0.0

    def get(self, keys: Sequence[str], texts: Sequence[str], batch: int = 16) -> dict[str, Any]:
        missing = [(k, t) for k, t in zip(keys, texts, strict=True) if k not in self.data]
        for start in range(0, len(missing), batch):
            part = missing[start : start + batch]
            began = time.perf_counter()
            vectors = self.encode([t for _, t in part])
            self.seconds += time.perf_counter() - began
            self.encoded += len(part)
            for (key, _), vector in zip(part, vectors, strict=True):
                self.data[key] = np.asarray(vector, dtype=np.float32)
            self._save()
        return {k: self.data[k] for k in keys}

    def _save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self.data))
        os.replace(tmp, self.path)


class Reranker:
    """E5 cosines of a query's top candidates, with both caches."""

    def __init__(self, cache_dir: Path, passage_chars: int, query_chars: int) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.encoder = E5Encoder()
        self.passage_chars = passage_chars
        self.query_chars = query_chars
        self.passages = VectorCache(
            cache_dir / f"passages_{passage_chars}.pkl", self.encoder.encode_documents
        )
        self.queries = VectorCache(cache_dir / f"queries_{query_chars}.pkl", self.encoder.encode_queries)

    def cosines(self, q: Query, ids: list[str]) -> dict[str, float]:
        text = q.text[: self.query_chars]
        qkey = hashlib.sha1(text.encode()).hexdigest()
        qv = self.queries.get([qkey], [text])[qkey]
        docs = q.index.docs.many(ids)
        keys = [f"{d}" for d in ids]
        texts = [passage_text(docs.get(d, {}), self.passage_chars) for d in ids]
        pv = self.passages.get(keys, texts)
        return {d: float(pv[d] @ qv) for d in ids}


def fused(q: Query, cos: dict[str, float], k: int, weight: float, how: str) -> list[str]:
    """The hybrid order with its top ``k`` re-ordered by the fused score."""
    scores = _rrf(q.keyword, q.semantic)
    base = _order(scores)
    top = base[:k]
    if how == "rrf":
        by_cos = sorted(top, key=lambda d: (-cos[d], d))
        e5_rank = {d: r for r, d in enumerate(by_cos, start=1)}
        # E5 as a third RRF list over the top k: the hybrid score plus weight / (c + E5 rank), so
        # the re-ranked head always scores above the untouched tail (what the engine does).
        fused_score = {d: scores[d] + weight / (_C + e5_rank[d]) for d in top}
    else:
        lo, hi = min(scores[d] for d in top), max(scores[d] for d in top)
        clo, chi = min(cos[d] for d in top), max(cos[d] for d in top)
        fused_score = {
            d: (1 - weight) * (scores[d] - lo) / ((hi - lo) or 1.0)
            + weight * (cos[d] - clo) / ((chi - clo) or 1.0)
            for d in top
        }
    return sorted(top, key=lambda d: (-fused_score[d], d)) + base[k:]


GRID: list[tuple[int, float, str]] = [
    (k, w, how)
    for k in (20, 30)
    for how, ws in (("rrf", (0.5, 1.0, 2.0)), ("linear", (0.3, 0.5, 0.7)))
    for w in ws
]


def _name(k: int, w: float, how: str) -> str:
    return f"E5 re-rank top {k}, {how} w={w}"


def _real_row(queries: list[tuple[Need, Query]], ranked: Callable[[Query], list[str]]) -> dict[str, float]:
    rows: dict[str, list[dict[str, float]]] = {"tune": [], "holdout": []}
    for need, q in queries:
        rows[half(need)].append(need_metrics(ranked(q), need.grades))
    out: dict[str, float] = {}
    for part, part_rows in (*rows.items(), ("all", rows["tune"] + rows["holdout"])):
        if part_rows:
            out[part] = round(sum(r["ndcg@10"] for r in part_rows) / len(part_rows), 4)
    both = rows["tune"] + rows["holdout"]
    out["judged@10"] = round(sum(r["judged@10"] for r in both) / len(both), 4)
    return out


def seed_engine(index_dir: Path, cache_dir: Path, passage_chars: int) -> int:
    """Copy the benchmark's cached passage vectors into the engine's own cache beside each index
    (``SearchIndex.search(rerank=...)`` then finds them): same texts, so nothing is encoded twice."""
    data: dict[str, Any] = pickle.loads((cache_dir / f"passages_{passage_chars}.pkl").read_bytes())
    copied = 0
    for name in ("small", "large"):
        index = SearchIndex.open(index_dir / name)
        docs = index.docs.many(list(data))
        index.passages.put((d, passage_text(doc, passage_chars), data[d]) for d, doc in docs.items())
        copied += len(docs)
    return copied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", default="/work/benchdata/a/indexes")
    parser.add_argument("--cache", default="/work/benchdata/a/e5")
    parser.add_argument("--half", choices=("tune", "holdout", "both"), default="both")
    parser.add_argument("--known", type=int, default=100, help="known-item queries (E5 cost bounds it)")
    parser.add_argument("--sets", default="real_needs_small,real_needs_large,known_item,needs")
    parser.add_argument("--passage-chars", type=int, default=32)
    parser.add_argument("--query-chars", type=int, default=128)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "eval_ablations.json"))
    parser.add_argument("--seed-engine", action="store_true", help="only copy cached vectors to the indexes")
    args = parser.parse_args()
    if args.seed_engine:
        print("copied", seed_engine(Path(args.index_dir), Path(args.cache), args.passage_chars))
        return
    wanted = set(args.sets.split(","))
    base = Path(args.index_dir)
    small_docs = small_corpus()
    ids = [d["id"] for d in small_docs]
    small = _open(base / "small", lambda: small_docs)
    sets_real: dict[str, list[tuple[Need, Query]]] = {}
    if "real_needs_small" in wanted:
        sets_real["real_needs_small"] = [
            (n, Query(small, n.text))
            for n in load_needs(set(ids))
            if has_relevant(n) and args.half in ("both", half(n))
        ]
    if "real_needs_large" in wanted:
        large = _open(base / "large", lambda: small_docs + large_extra())
        large_ids = set(ids) | {d["id"] for d in large_extra()}
        sets_real["real_needs_large"] = [
            (n, Query(large, n.text))
            for n in load_needs(large_ids)
            if has_relevant(n) and args.half in ("both", half(n))
        ]
    sets_plain: dict[str, list[tuple[set[str], Query]]] = {}
    if "known_item" in wanted:
        sets_plain["known_item"] = [
            (rel, Query(small, t)) for _, t, rel in known_item_queries(1000)[: args.known]
        ]
    if "needs" in wanted:
        sets_plain["needs"] = [(rel, Query(small, t)) for _, t, rel in need_queries(ids)]
    rr = Reranker(Path(args.cache), args.passage_chars, args.query_chars)
    kmax = max(k for k, _, _ in GRID)
    cos: dict[int, dict[str, float]] = {}
    every = [q for qs in sets_real.values() for _, q in qs] + [q for qs in sets_plain.values() for _, q in qs]
    started = time.perf_counter()
    for q in every:
        top = _order(_rrf(q.keyword, q.semantic))[:kmax]
        cos[id(q)] = rr.cosines(q, top)
        print(f"\rencoded {rr.passages.encoded} passages", end="", flush=True)
    print()
    variants: dict[str, Callable[[Query], list[str]]] = {
        "default (hybrid RRF)": lambda q: _order(_rrf(q.keyword, q.semantic))
    }
    for k, w, how in GRID:
        variants[_name(k, w, how)] = lambda q, k=k, w=w, how=how: fused(q, cos[id(q)], k, w, how)
    results: dict[str, Any] = {}
    for name, ranked in variants.items():
        row: dict[str, Any] = {s: _real_row(qs, ranked) for s, qs in sets_real.items()}
        for s, pqs in sets_plain.items():
            row[s] = round(sum(metrics(ranked(q), rel)["ndcg@10"] for rel, q in pqs) / len(pqs), 4)
        results[name] = row
        print(name, json.dumps(row, ensure_ascii=False), flush=True)
    cost = {
        "passages_encoded_this_run": rr.passages.encoded,
        "passage_ms_per_doc": round(1000 * rr.passages.seconds / rr.passages.encoded, 1)
        if rr.passages.encoded
        else None,
        "query_ms": round(1000 * rr.queries.seconds / rr.queries.encoded, 1) if rr.queries.encoded else None,
        "run_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(cost))
    out_path = Path(args.out)
    out = json.loads(out_path.read_text(encoding="utf-8")) if out_path.exists() else {}
    out["e5_rerank"] = {
        "method": __doc__.split("\n\n")[0].replace("\n", " ") if __doc__ else "",
        "passage_chars": args.passage_chars,
        "query_chars": args.query_chars,
        "half": args.half,
        "known_item_queries": args.known,
        "cost": cost,
        "variants": results,
    }
    out_path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

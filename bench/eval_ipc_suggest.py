"""Section-level accuracy of the text-based IPC suggestion on 9,986 real titles.

The suggester is built from the official Chinese IPC titles only; the evaluation titles are
never used to build it. A title counts as correct at top-1 when the first suggested subclass
lies in one of the title's true sections (titles are multi-label), and at top-3 when any of
the three does. Also reported: section-vote accuracy (sum of the top-10 subclass scores per
section). Results go to bench/results/ipc_suggest.json.

    python -m bench.eval_ipc_suggest
"""

from __future__ import annotations

import csv
import gzip
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from patentbridge_engine.classify import IpcSuggester, load_ipc_titles

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "titles_ipc_sections.csv.gz"


def main() -> None:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    started = time.perf_counter()
    suggester = IpcSuggester(load_ipc_titles())
    build_seconds = time.perf_counter() - started
    top1 = top3 = vote = 0
    per_section: dict[str, Counter[str]] = defaultdict(Counter)
    started = time.perf_counter()
    for row in rows:
        truth = set(row["ipc_sections"].split("|"))
        hits = suggester.suggest(row["title"], 10)
        first = hits[0].subclass[0] if hits else ""
        top1 += first in truth
        top3 += any(h.subclass[0] in truth for h in hits[:3])
        scores: Counter[str] = Counter()
        for h in hits:
            scores[h.subclass[0]] += h.score
        voted = scores.most_common(1)[0][0] if scores else ""
        vote += voted in truth
        for section in truth:
            per_section[section]["n"] += 1
            per_section[section]["top1"] += first == section
    seconds = time.perf_counter() - started
    n = len(rows)
    result = {
        "benchmark": "ipc_suggestion_section_accuracy",
        "data": "bench/data/titles_ipc_sections.csv.gz (9,986 real titles, multi-label sections)",
        "model": "naive-Bayes character-bigram scorer built from the CNIPA Chinese IPC 2026.01 titles only",
        "titles": n,
        "top1_section_accuracy": round(top1 / n, 4),
        "top3_section_accuracy": round(top3 / n, 4),
        "section_vote_accuracy_top10": round(vote / n, 4),
        "per_section_top1_recall": {s: round(c["top1"] / c["n"], 3) for s, c in sorted(per_section.items())},
        "build_seconds": round(build_seconds, 2),
        "ms_per_title": round(1000 * seconds / n, 3),
        "date": time.strftime("%Y-%m-%d"),
    }
    out = ROOT / "bench" / "results" / "ipc_suggest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

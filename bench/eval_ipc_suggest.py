"""Accuracy of the text-based IPC suggestion: sections on 9,986 real titles, subclasses on
held-out real IPC-labelled patents, and abstention.

The suggester is built from the official Chinese IPC titles and the aggregated counts of real
IPC-labelled patents (bench/eval/build_ipc_examples.py); neither the evaluation titles nor the
held-out tenth of the SYSU/CNKI and Tai'an patents are used to build it. A title counts as correct at top-1 when the first suggested subclass
lies in one of the title's true sections (titles are multi-label), and at top-3 when any of
the three does. Also reported: section-vote accuracy (sum of the top-10 subclass scores per
section). Results go to bench/results/ipc_suggest.json.

    python -m bench.eval_ipc_suggest
"""

from __future__ import annotations

import csv
import gzip
import json
import lzma
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.eval.build_ipc_examples import held_out_patent
from patentbridge_engine.classify import IpcSuggester, load_ipc_titles

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "titles_ipc_sections.csv.gz"


def _held_out_patents() -> list[tuple[str, str, set[str]]]:
    """(title, title + abstract, true subclasses) of the held-out SYSU/CNKI and Tai'an patents."""
    out = []
    for name, number, codes in (
        ("sysu_cnki_patents.jsonl.xz", "pub_no", "ipc"),
        ("taian_patents.jsonl.xz", "app_no", "main_ipc"),
    ):
        with lzma.open(ROOT / "bench" / "data" / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                raw = r[codes] if isinstance(r[codes], list) else [r[codes]]
                truth = {c.strip()[:4] for c in raw if len(c.strip()) >= 4 and c.strip()[0] in "ABCDEFGH"}
                if truth and held_out_patent(r[number]):
                    out.append((r["title"], f"{r['title']}。{r['abstract']}", truth))
    return out


def _subclass_accuracy(suggester: IpcSuggester) -> dict[str, object]:
    patents = _held_out_patents()
    result: dict[str, object] = {"patents": len(patents)}
    for field, pick in (("title", 0), ("title_abstract", 1)):
        top1 = top3 = confident = confident_right = 0
        for row in patents:
            hits = suggester.suggest(str(row[pick]), 3)
            truth = row[2]
            assert isinstance(truth, set)
            top1 += bool(hits) and hits[0].subclass in truth
            top3 += any(h.subclass in truth for h in hits)
            if hits and hits[0].confident:
                confident += 1
                confident_right += hits[0].subclass in truth
        n = max(len(patents), 1)
        result[field] = {
            "top1_subclass_accuracy": round(top1 / n, 4),
            "top3_subclass_accuracy": round(top3 / n, 4),
            "confident_share": round(confident / n, 4),
            "top1_accuracy_when_confident": round(confident_right / max(confident, 1), 4),
        }
    return result


def main() -> None:
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    started = time.perf_counter()
    suggester = IpcSuggester(load_ipc_titles())
    build_seconds = time.perf_counter() - started
    top1 = top3 = vote = confident = confident_right = 0
    per_section: dict[str, Counter[str]] = defaultdict(Counter)
    started = time.perf_counter()
    for row in rows:
        truth = set(row["ipc_sections"].split("|"))
        hits = suggester.suggest(row["title"], 10)
        first = hits[0].subclass[0] if hits else ""
        top1 += first in truth
        top3 += any(h.subclass[0] in truth for h in hits[:3])
        if hits and hits[0].confident:
            confident += 1
            confident_right += first in truth
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
        "model": "naive-Bayes character-bigram scorer: CNIPA Chinese IPC 2026.01 titles (weight 2) + aggregated "
        "counts of 31,645 real IPC-labelled patents (SYSU/CNKI, Tai'an; evaluation titles and a held-out "
        "tenth excluded)",
        "baseline_titles_only_top1": 0.543,
        "titles": n,
        "top1_section_accuracy": round(top1 / n, 4),
        "top3_section_accuracy": round(top3 / n, 4),
        "section_vote_accuracy_top10": round(vote / n, 4),
        "abstention": {
            "confident_share": round(confident / n, 4),
            "top1_section_accuracy_when_confident": round(confident_right / max(confident, 1), 4),
        },
        "held_out_patents_subclass": _subclass_accuracy(suggester),
        "heat_pump_draft_top3": [
            h.subclass
            for h in suggester.suggest("一种高温热泵干燥装置，包括压缩机、冷凝器、蒸发器和节流阀", 3)
        ],
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

"""Accuracy of the text-based IPC suggestion: sections on 9,986 real titles, subclasses on
held-out real IPC-labelled patents, and abstention.

The subclass scorer is built from the official Chinese IPC titles and the aggregated counts of real
IPC-labelled patents (bench/eval/build_ipc_examples.py); neither the evaluation titles nor the
held-out tenth of the SYSU/CNKI and Tai'an patents are used to build it. The section model is also
trained on section-labelled titles of the title set, so section accuracy is measured by 2-fold
cross-fitting: the odd rows are scored by a section model built without them (from the even rows),
the even rows by one built from the odd rows; the shipped model (all rows) is used only for the
held-out patents and the heat-pump draft. ``before`` keeps the previous model's figures. A title counts as correct at top-1 when the first suggested subclass
lies in one of the title's true sections (titles are multi-label), and at top-3 when any of
the three does. Also reported: section-vote accuracy (sum of the top-10 subclass scores per
section). Results go to bench/results/ipc_suggest.json.

    python -m bench.eval_ipc_suggest
"""

from __future__ import annotations

import json
import lzma
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from bench.eval.build_ipc_examples import (
    base_section_documents,
    held_out_patent,
    load_title_rows,
    title_documents,
)
from patentbridge_engine.classify import IpcSuggester, load_ipc_titles
from patentbridge_engine.classify.sections import SectionModel, build_section_counts

ROOT = Path(__file__).resolve().parents[1]


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


def _fold_suggesters(rows: list[dict[str, str]]) -> tuple[IpcSuggester, IpcSuggester]:
    """(suggester for even rows, suggester for odd rows): each section model never saw its rows."""
    held_out = {row["title"].strip() for row in rows}
    base = base_section_documents(held_out)
    titles = load_ipc_titles()
    even_titles = {rows[i]["title"].strip() for i in range(0, len(rows), 2)}
    odd_titles = {rows[i]["title"].strip() for i in range(1, len(rows), 2)}
    # A title repeated across halves (123 duplicates) stays out of the other half's training too.
    train_for_even = [r for i, r in enumerate(rows) if i % 2 == 1 and r["title"].strip() not in even_titles]
    train_for_odd = [r for i, r in enumerate(rows) if i % 2 == 0 and r["title"].strip() not in odd_titles]
    return (
        IpcSuggester(
            titles, sections=SectionModel(build_section_counts(base + title_documents(train_for_even)))
        ),
        IpcSuggester(
            titles, sections=SectionModel(build_section_counts(base + title_documents(train_for_odd)))
        ),
    )


def _section_accuracy(rows: list[dict[str, str]], pick: Callable[[int], IpcSuggester]) -> dict[str, object]:
    top1 = top3 = confident = confident_right = 0
    per_section: dict[str, Counter[str]] = defaultdict(Counter)
    halves = [[0, 0], [0, 0]]
    for i, row in enumerate(rows):
        truth = set(row["ipc_sections"].split("|"))
        hits = pick(i).suggest(row["title"], 3)
        first = hits[0].subclass[0] if hits else ""
        top1 += first in truth
        halves[i % 2][0] += first in truth
        halves[i % 2][1] += 1
        top3 += any(h.subclass[0] in truth for h in hits[:3])
        if hits and hits[0].confident:
            confident += 1
            confident_right += first in truth
        for section in truth:
            per_section[section]["n"] += 1
            per_section[section]["top1"] += first == section
    n = max(len(rows), 1)
    return {
        "top1_section_accuracy": round(top1 / n, 4),
        "top1_even_rows": round(halves[0][0] / max(halves[0][1], 1), 4),
        "top1_odd_rows": round(halves[1][0] / max(halves[1][1], 1), 4),
        "top3_section_accuracy": round(top3 / n, 4),
        "abstention": {
            "confident_share": round(confident / n, 4),
            "abstained_share": round(1 - confident / n, 4),
            "top1_section_accuracy_when_confident": round(confident_right / max(confident, 1), 4),
        },
        "per_section_top1_recall": {s: round(c["top1"] / c["n"], 3) for s, c in sorted(per_section.items())},
    }


def subclass_only() -> None:
    """Re-measure only the held-out subclass block and the heat-pump draft (the section figures depend
    only on short texts): ``python -m bench.eval_ipc_suggest --subclass-only``."""
    out = ROOT / "bench" / "results" / "ipc_suggest.json"
    result = json.loads(out.read_text(encoding="utf-8"))
    shipped = IpcSuggester(load_ipc_titles())
    result["held_out_patents_subclass"] = _subclass_accuracy(shipped)
    result["heat_pump_draft_top3"] = [
        h.subclass for h in shipped.suggest("一种高温热泵干燥装置，包括压缩机、冷凝器、蒸发器和节流阀", 3)
    ]
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["held_out_patents_subclass"], ensure_ascii=False))


def main() -> None:
    if "--subclass-only" in sys.argv:
        subclass_only()
        return
    rows = load_title_rows()
    started = time.perf_counter()
    for_even, for_odd = _fold_suggesters(rows)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    crossfit = _section_accuracy(rows, lambda i: for_odd if i % 2 else for_even)
    seconds = time.perf_counter() - started
    external = IpcSuggester(
        load_ipc_titles(),
        sections=SectionModel(
            build_section_counts(base_section_documents({row["title"].strip() for row in rows}))
        ),
    )
    without_titles = _section_accuracy(rows, lambda i: external)
    shipped = IpcSuggester(load_ipc_titles())
    out = ROOT / "bench" / "results" / "ipc_suggest.json"
    previous = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    result = {
        "benchmark": "ipc_suggestion_section_accuracy",
        "data": "bench/data/titles_ipc_sections.csv.gz (9,986 real titles, multi-label sections)",
        "model": "P(section) x P(subclass | section). Subclass: naive-Bayes character-bigram scorer over CNIPA "
        "Chinese IPC 2026.01 titles (weight 2) + aggregated counts of 31,645 real IPC-labelled patents "
        "(SYSU/CNKI, Tai'an; evaluation titles and a held-out tenth excluded). Section: naive Bayes over "
        "bigrams + tokenizer words from those patents (title, abstract x0.3), the IPC titles and the "
        "section-labelled titles (x20), combined with the subclass posterior summed per section",
        "protocol": "2-fold cross-fitting on the title set (even rows scored by a model trained on odd rows "
        "and vice versa; duplicates of a scored title excluded from its training half); the set has no "
        "published training split",
        "titles": len(rows),
        **crossfit,
        "section_model_without_title_set": {
            k: without_titles[k] for k in ("top1_section_accuracy", "top3_section_accuracy", "abstention")
        },
        "before": previous.get("before")
        or {
            k: previous.get(k)
            for k in (
                "model",
                "top1_section_accuracy",
                "top3_section_accuracy",
                "abstention",
                "held_out_patents_subclass",
                "per_section_top1_recall",
            )
        },
        "held_out_patents_subclass": _subclass_accuracy(shipped),
        "heat_pump_draft_top3": [
            h.subclass for h in shipped.suggest("一种高温热泵干燥装置，包括压缩机、冷凝器、蒸发器和节流阀", 3)
        ],
        "build_seconds_two_folds": round(build_seconds, 2),
        "ms_per_title": round(1000 * seconds / max(len(rows), 1), 3),
        "date": time.strftime("%Y-%m-%d"),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

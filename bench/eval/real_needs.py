"""The real-need development set (BDCI-2019, 176 enterprise needs with graded judgments) and the
two corpora it was judged on, assembled from bench/data with the judgments' document ids.

- small (7,121): ``bd<id>`` BDCI-2022 patents (title + abstract) and ``kt<row>`` KPPatent-ZH
  abstracts;
- large (42,724): small + ``sy<pub_no>`` SYSU/CNKI (title, abstract, first claim, IPC, applicant)
  + ``ta<app_no>`` Tai'an (title, abstract, main IPC, applicant).

Metrics follow the data set's SOURCE.md: nDCG@10 (gain = grade) over the needs that have a patent
graded ≥ 2 on that corpus, P@10 of grade ≥ 2, and the judged share of the top 10 (an unjudged
patent counts as 0, so a low judged share means the figure is a lower bound).
"""

from __future__ import annotations

import csv
import gzip
import json
import lzma
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"


@dataclass
class Need:
    """One real need: its text as the web app sends it (title + '。' + description) and its grades."""

    rid: str
    title: str
    content: str
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.title}。{self.content}"


def _jsonl_gz(name: str) -> list[dict[str, Any]]:
    with gzip.open(DATA / name, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _jsonl_xz(name: str) -> list[dict[str, Any]]:
    with lzma.open(DATA / name, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def small_corpus() -> list[dict[str, Any]]:
    """The 7,121 documents of the small corpus (ids as in the judgments)."""
    docs = [
        {
            "id": f"bd{r['id']}",
            "title": r["title"],
            "abstract": r["abstract"],
            "applicant": r.get("assignee", ""),
        }
        for r in _jsonl_gz("bdci2022_patents.jsonl.gz")
    ]
    docs += [{"id": f"kt{r['row']}", "title": "", "abstract": r["abstract"]} for r in kppatent_rows()]
    return docs


def kppatent_rows() -> list[dict[str, Any]]:
    return _jsonl_gz("kppatent_train_abstracts.jsonl.gz")


def large_extra() -> list[dict[str, Any]]:
    """The 35,603 documents that the large corpus adds to the small one."""
    docs = [
        {
            "id": f"sy{r['pub_no']}",
            "title": r["title"],
            "abstract": r["abstract"],
            "claims": r["first_claim"],
            "ipc": r["ipc"],
            "applicant": r["applicant"],
        }
        for r in _jsonl_xz("sysu_cnki_patents.jsonl.xz")
    ]
    docs += [
        {
            "id": f"ta{r['app_no']}",
            "title": r["title"],
            "abstract": r["abstract"],
            "ipc": [r["main_ipc"]] if r["main_ipc"] else [],
            "applicant": r["applicant"],
        }
        for r in _jsonl_xz("taian_patents.jsonl.xz")
    ]
    return docs


def load_needs(corpus_ids: set[str]) -> list[Need]:
    """All 176 needs, each with the grades of its judged patents that lie in ``corpus_ids``."""
    with gzip.open(DATA / "bdci2019_requirements.csv.gz", "rt", encoding="utf-8") as fh:
        needs = {
            r["rid"]: Need(r["rid"], r["title"].strip(), r["content"].strip()) for r in csv.DictReader(fh)
        }
    for j in _jsonl_gz("bdci2019_judgments.jsonl.gz"):
        if j["id"] in corpus_ids and j["rid"] in needs:
            needs[j["rid"]].grades[j["id"]] = int(j["grade"])
    return list(needs.values())


def need_metrics(ranked: list[str], grades: dict[str, int]) -> dict[str, float]:
    """nDCG@10 (gain = grade, unjudged = 0), P@10 of grade ≥ 2, judged share of the top 10."""
    top = ranked[:10]
    dcg = sum(grades.get(d, 0) / math.log2(i + 2) for i, d in enumerate(top))
    ideal_gains = sorted(grades.values(), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains))
    return {
        "ndcg@10": dcg / idcg if idcg else 0.0,
        "p@10_grade2": sum(grades.get(d, 0) >= 2 for d in top) / 10,
        "judged@10": sum(d in grades for d in top) / 10,
    }


def has_relevant(need: Need) -> bool:
    return any(g >= 2 for g in need.grades.values())

"""Inventor-team matching on real patents with inventors: does a team's own new patent find the team?

Data: the SYSU/CNKI export (../shared/data/sysu-cnki-38k, 38,175 real patents with inventors and
applicants; the only shipped real set that names inventors — Tai'an and the heat-pump set do not).
Teams are assigned by the engine (``search.teams.assign_teams``: institution + lead inventor) over
all patents. For every team with at least ``MIN_PATENTS`` patents, its most recent patent is held
out; the other patents form the library. The held-out patent's title and abstract are the query
(as a need describing exactly that team's work would be); the library is ranked by keyword
retrieval (TF-IDF over the project tokenizer's words, the keyword half of the product's hybrid
search), and the teams are ranked from the hits by ``rank_teams`` exactly as the product does.

Reported: share of queries whose team ranks first (hit@1), in the top 3 and top 5, and the mean
reciprocal rank; with the title alone as a harder, need-like query. Results go to
bench/results/teams_eval.json.

    python -m bench.eval.teams_eval
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import time
from collections import Counter, defaultdict
from pathlib import Path

from patentbridge_engine.search.teams import TeamPatent, assign_teams, rank_teams
from patentbridge_engine.text.tokenize import default_tokenizer

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "data" / "sysu-cnki-38k" / "sysu_cnki_cn_patents.csv.gz"
OUT = ROOT / "bench" / "results" / "teams_eval.json"
MIN_PATENTS = 3
# Library patents retrieved per query before teams are ranked (the product asks for 50).
HITS = 50
# Queries are capped for run time; teams are taken in a fixed order (by key), so runs repeat.
MAX_QUERIES = 1000


def _load() -> list[dict[str, str]]:
    with gzip.open(SOURCE, "rt", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["inventors"].strip() and r["applicant"].strip()]


def _split(names: str) -> list[str]:
    return [n.strip() for n in names.replace("；", ";").split(";") if n.strip()]


class _Tfidf:
    """Cosine TF-IDF over words: an inverted index, so a query walks only its own words' postings."""

    def __init__(self, docs: dict[str, list[str]]) -> None:
        df: Counter[str] = Counter()
        for words in docs.values():
            df.update(set(words))
        n = len(docs)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for doc_id, words in docs.items():
            vec = self._vector(words)
            for w, v in vec.items():
                self.postings[w].append((doc_id, v))

    def _vector(self, words: list[str]) -> dict[str, float]:
        tf = Counter(w for w in words if w in self.idf)
        vec = {w: (1 + math.log(c)) * self.idf[w] for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def search(self, words: list[str], k: int) -> list[str]:
        scores: dict[str, float] = defaultdict(float)
        for w, qv in self._vector(words).items():
            for doc_id, dv in self.postings[w]:
                scores[doc_id] += qv * dv
        return [d for d, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def main() -> None:
    started = time.perf_counter()
    rows = _load()
    patents = [
        TeamPatent(r["pub_no"], r["title"], _split(r["inventors"]), _split(r["applicant"])) for r in rows
    ]
    team_of = assign_teams(patents)
    by_team: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        if r["pub_no"] in team_of:
            by_team[team_of[r["pub_no"]]].append(r)
    eligible = sorted(key for key, members in by_team.items() if len(members) >= MIN_PATENTS)
    chosen = eligible[:: max(1, len(eligible) // MAX_QUERIES)][:MAX_QUERIES]
    held = {key: max(by_team[key], key=lambda r: (r["pub_date"], r["pub_no"])) for key in chosen}
    held_ids = {r["pub_no"] for r in held.values()}
    tok = default_tokenizer()
    library = {
        r["pub_no"]: tok.words(f"{r['title']}。{r['abstract']}") for r in rows if r["pub_no"] not in held_ids
    }
    index = _Tfidf(library)
    library_teams = {pid: key for pid, key in team_of.items() if pid not in held_ids}
    result: dict[str, object] = {
        "benchmark": "inventor_team_matching_held_out",
        "data": "SYSU/CNKI 38k (../shared/data/sysu-cnki-38k): real patents with inventors and applicants",
        "protocol": f"teams with >= {MIN_PATENTS} patents (engine assign_teams: institution + lead inventor); "
        "each team's most recent patent held out as the query; the rest indexed; keyword TF-IDF retrieval "
        f"of {HITS} patents, teams ranked by rank_teams (sum of 1/(10+rank) over the team's hits)",
        "patents": len(rows),
        "teams": len(by_team),
        "teams_with_min_patents": len(eligible),
        "queries": len(chosen),
    }
    for name, text_of in (
        ("title_abstract", lambda r: f"{r['title']}。{r['abstract']}"),
        ("title_only", lambda r: r["title"]),
    ):
        ranks: list[int | None] = []
        for key in chosen:
            hits = index.search(tok.words(text_of(held[key])), HITS)
            teams = [m.key for m in rank_teams(hits, library_teams, k=20)]
            ranks.append(teams.index(key) + 1 if key in teams else None)
        n = max(len(ranks), 1)
        result[name] = {
            "hit_at_1": round(sum(r == 1 for r in ranks) / n, 4),
            "hit_at_3": round(sum(r is not None and r <= 3 for r in ranks) / n, 4),
            "hit_at_5": round(sum(r is not None and r <= 5 for r in ranks) / n, 4),
            "mrr_at_20": round(sum(1 / r for r in ranks if r) / n, 4),
            "not_in_top_20": round(sum(r is None for r in ranks) / n, 4),
        }
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["date"] = time.strftime("%Y-%m-%d")
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()

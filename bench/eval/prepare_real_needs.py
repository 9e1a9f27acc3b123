"""Copy the real-need development set and the large-corpus sources into bench/data (run once).

Reads the shared data checkout (``--shared``, default ../shared/data) and writes compact copies
that the benchmark uses, so users and CI need nothing outside the repository:

- ``bdci2019_requirements.csv.gz`` and ``bdci2019_judgments.jsonl.gz`` (176 needs, 6,144 graded pairs);
- ``sysu_cnki_patents.jsonl.xz``: the 28,219 SYSU/CNKI rows of the large corpus (first row of each
  (title, inventors) pair, file order), only the fields the corpus uses;
- ``taian_patents.jsonl.xz``: every Tai'an row (title, abstract, main IPC, applicant).

The corpora themselves are assembled in memory by ``bench.eval.real_needs``.

    python -m bench.eval.prepare_real_needs [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import lzma
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"


def _write_xz(path: Path, rows: list[dict[str, object]]) -> None:
    with lzma.open(path, "wt", encoding="utf-8", preset=9) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    shared = Path(parser.parse_args().shared)
    needs = shared / "bdci2019-tech-needs"
    shutil.copyfile(needs / "requirements.csv.gz", DATA / "bdci2019_requirements.csv.gz")
    shutil.copyfile(needs / "judgments.jsonl.gz", DATA / "bdci2019_judgments.jsonl.gz")
    with gzip.open(shared / "sysu-cnki-38k" / "sysu_cnki_cn_patents.csv.gz", "rt", encoding="utf-8") as fh:
        seen: set[tuple[str, str]] = set()
        sysu: list[dict[str, object]] = []
        for row in csv.DictReader(fh):
            key = (row["title"], row["inventors"])
            if key in seen:
                continue
            seen.add(key)
            sysu.append(
                {
                    "pub_no": row["pub_no"],
                    "title": row["title"],
                    "abstract": row["abstract"],
                    "first_claim": row["first_claim"],
                    "ipc": [c for c in row["ipc"].split(";") if c.strip()],
                    "applicant": row["applicant"],
                }
            )
    _write_xz(DATA / "sysu_cnki_patents.jsonl.xz", sysu)
    with gzip.open(shared / "taian-patents-cn" / "taian_patents.csv.gz", "rt", encoding="utf-8") as fh:
        taian: list[dict[str, object]] = [
            {
                "app_no": r["app_no"],
                "title": r["title"],
                "abstract": r["abstract"],
                "main_ipc": r["main_ipc"],
                "applicant": r["applicant"],
            }
            for r in csv.DictReader(fh)
        ]
    _write_xz(DATA / "taian_patents.jsonl.xz", taian)
    print(json.dumps({"sysu": len(sysu), "taian": len(taian)}))


if __name__ == "__main__":
    main()

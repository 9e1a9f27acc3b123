"""Build the demo's regional library subset from the real sets in ../shared/data (reproducible).

Run from the repository root: ``python scripts/build_demo_library.py [--shared ../shared/data]``.
It writes two files under ``src/patentbridge/demo_data/`` in the formats users really import:

* ``taian_subset.xlsx`` — rows of the 泰安市 applications spreadsheet with its original Chinese headers
  (申请号 / 专利名称 / 申请人 / 申请日 / 主分类号 / 摘要), imported like the original;
* ``cnki_subset.xls`` — rows of the 中山大学 CNKI export, written back as a CNKI export (an HTML table
  saved as .xls with CNKI's column names), imported like the original.

The subset rule (documented in demo_data/README.md; everything is deterministic, seed 2260):

1. Tai'an: every application filed from 2000 on by a university, institute or hospital (the TTOs
   the demo needs); firms and individuals stratified by IPC section — from each section, a fixed-seed
   random sample of up to ``TAIAN_PER_SECTION`` applications filed from 2005 on.
2. CNKI: per CNKI subject category, a fixed-seed random sample of up to ``CNKI_PER_CATEGORY`` applications
   (an application = rows sharing title and inventors); every row of a sampled application is kept, so
   the A and B publications arrive together and the importer merges them into one patent.
3. Both sets: every patent graded ≥ 2 for one of the 176 demo needs in the BDCI-2019 judgments, so the
   demo's needs meet the patents a reviewer found relevant (the demo demonstrates matching; it is not
   the evaluation, which lives in bench/eval).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import io
import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "patentbridge" / "demo_data"
SEED = 2260
TAIAN_PER_SECTION = 170
CNKI_PER_CATEGORY = 90
_INSTITUTIONS = ("大学", "学院", "研究所", "研究院", "科学院", "医院", "研究中心")
_CNKI_COLUMNS = (
    ("SrcDatabase-来源库", "source_db"),
    ("Author-作者", "inventors"),
    ("Applicant-申请人", "applicant"),
    ("Title-题名", "title"),
    ("CountryName-国省名称", "province"),
    ("PubNo-公开号", "pub_no"),
    ("PubTime-公开日期", "pub_date"),
    ("Summary-摘要", "abstract"),
    ("Claims-主权项", "first_claim"),
    ("CLC-中图分类号", "ipc"),  # CNKI fills this column with IPC codes for 中国专利
)
_TAIAN_COLUMNS = (
    ("申请号", "app_no"),
    ("专利名称", "title"),
    ("申请人", "applicant"),
    ("申请日", "app_date"),
    ("主分类号", "main_ipc"),
    ("摘要", "abstract"),
)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _relevant_ids(shared: Path) -> set[str]:
    with gzip.open(shared / "bdci2019-tech-needs" / "judgments.jsonl.gz", "rt", encoding="utf-8") as fh:
        return {j["id"] for j in map(json.loads, fh) if j["grade"] >= 2}


def _is_institution(applicant: str) -> bool:
    first = applicant.split(";")[0]
    return any(word in first for word in _INSTITUTIONS) and "公司" not in first


def select_taian(rows: list[dict[str, str]], relevant: set[str]) -> list[dict[str, str]]:
    """Rule 1 and 3 for the Tai'an applications (file order kept)."""
    rng = random.Random(SEED)
    chosen = {r["app_no"] for r in rows if f"ta{r['app_no']}" in relevant}
    chosen |= {r["app_no"] for r in rows if _is_institution(r["applicant"]) and r["app_date"] >= "2000"}
    by_section: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        if r["app_no"] not in chosen and r["app_date"] >= "2005":
            section = r["main_ipc"][:1] if r["main_ipc"][:1].isalpha() else "外观"
            by_section[section].append(r["app_no"])
    for section in sorted(by_section):
        pool = by_section[section]
        chosen |= set(rng.sample(pool, min(TAIAN_PER_SECTION, len(pool))))
    return [r for r in rows if r["app_no"] in chosen]


def select_cnki(rows: list[dict[str, str]], relevant: set[str]) -> list[dict[str, str]]:
    """Rule 2 and 3 for the CNKI rows (all publications of a chosen application, file order kept)."""
    rng = random.Random(SEED)

    def key(r: dict[str, str]) -> tuple[str, str]:
        return r["title"].strip(), r["inventors"].strip()

    chosen = {key(r) for r in rows if f"sy{r['pub_no']}" in relevant}
    by_category: dict[str, list[tuple[str, str]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for r in rows:
        k = key(r)
        if k not in seen:
            seen.add(k)
            by_category[r["cnki_category"]].append(k)
    for category in sorted(by_category):
        pool = [k for k in by_category[category] if k not in chosen]
        chosen |= set(rng.sample(pool, min(CNKI_PER_CATEGORY, len(pool))))
    return [r for r in rows if key(r) in chosen]


def write_taian_xlsx(rows: list[dict[str, str]], path: Path) -> None:
    """The Tai'an rows under the original spreadsheet's headers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("专利信息")
    sheet.append([h for h, _ in _TAIAN_COLUMNS])
    for r in rows:
        sheet.append([r[k] for _, k in _TAIAN_COLUMNS])
    book.save(path)


def cnki_html(rows: list[dict[str, Any]]) -> str:
    """Rows as a CNKI export: an HTML table (first row = CNKI's bilingual column names)."""
    out = io.StringIO()
    out.write(
        "<html><head><meta http-equiv='Content-Type' content=\"text/html; charset=utf-8\"></head>"
        "<body><table cellspacing='0' border='1'>\n<tr>"
    )
    out.write("".join(f"<td>{html.escape(h)}</td>" for h, _ in _CNKI_COLUMNS) + "</tr>\n")
    for r in rows:
        out.write("<tr>" + "".join(f"<td>{html.escape(r.get(k) or '')}</td>" for _, k in _CNKI_COLUMNS))
        out.write("</tr>\n")
    out.write("</table></body></html>\n")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    relevant = _relevant_ids(args.shared)
    taian = select_taian(_csv_rows(args.shared / "taian-patents-cn" / "taian_patents.csv.gz"), relevant)
    cnki = select_cnki(_csv_rows(args.shared / "sysu-cnki-38k" / "sysu_cnki_cn_patents.csv.gz"), relevant)
    write_taian_xlsx(taian, OUT / "taian_subset.xlsx")
    (OUT / "cnki_subset.xls").write_text(cnki_html(cnki), encoding="utf-8")
    applications = len({(r["title"], r["inventors"]) for r in cnki})
    print(f"Tai'an: {len(taian)} applications; CNKI: {len(cnki)} rows, {applications} applications")


if __name__ == "__main__":
    main()

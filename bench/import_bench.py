"""Import throughput benchmark: rows/s and memory for CSV and CNIPA XML into SQLite and PostgreSQL.

The corpus is SYNTHETIC: real titles, abstracts, applicants and IPC lists from the bundled
heat-pump records recombined under fresh, valid application numbers (every title carries the
label 【合成测试数据】). Results go to bench/results/import.json.

    python -m bench.import_bench --rows 100000 [--db sqlite,postgres] [--format csv,xml]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "patentbridge" / "demo_data"
XML_TEMPLATE = """<?xml version="1.0" encoding="utf-8"?>
<business:PatentDocumentAndRelated xmlns:base="http://www.sipo.gov.cn/XMLSchema/base" xmlns:business="http://www.sipo.gov.cn/XMLSchema/business" lang="zh" country="CN" docNumber="{pub}" kind="A">
<business:BibliographicData>
<business:PublicationReference dataFormat="original"><base:DocumentID><base:WIPOST3Code>CN</base:WIPOST3Code><base:DocNumber>{pub}</base:DocNumber><base:Kind>A</base:Kind><base:Date>{pubdate}</base:Date></base:DocumentID></business:PublicationReference>
<business:ApplicationReference dataFormat="original"><base:DocumentID><base:WIPOST3Code>CN</base:WIPOST3Code><base:DocNumber>{app}</base:DocNumber><base:Date>{appdate}</base:Date></base:DocumentID></business:ApplicationReference>
<business:ClassificationIPCRDetails>{ipcs}</business:ClassificationIPCRDetails>
<business:InventionTitle>{title}</business:InventionTitle>
<business:Parties><business:ApplicantDetails>{applicants}</business:ApplicantDetails></business:Parties>
</business:BibliographicData>
<business:Abstract><base:Paragraphs num="0001">{abstract}</base:Paragraphs></business:Abstract>
<business:Claims><business:Claim num="0001"><business:ClaimText>1.{title}，其特征在于，{abstract}</business:ClaimText></business:Claim></business:Claims>
</business:PatentDocumentAndRelated>
"""


def _seeds() -> list[dict[str, Any]]:
    data = json.loads(gzip.decompress((DEMO / "hthp_patents.json.gz").read_bytes()))
    return [
        {"title": r["TITLE"], "abstract": r["ABSTRACT"], "applicants": r["ANCS"], "ipc": r["IPCR"]}
        for r in data
    ]


def make_corpus(fmt: str, rows: int, target: Path) -> Path:
    """Write a synthetic corpus of ``rows`` rows in ``fmt`` under ``target``."""
    from xml.sax.saxutils import escape

    from patentbridge_engine.bench import synthetic_records, write_csv

    records = synthetic_records(_seeds(), rows)
    if fmt == "csv":
        path = target / "synthetic.csv"
        write_csv(records, path)
        return path
    folder = target / "synthetic_xml"
    folder.mkdir()
    for n, r in enumerate(records):
        ipcs = "".join(
            f"<business:ClassificationIPCR><base:Text>{escape(i)}</base:Text></business:ClassificationIPCR>"
            for i in r["ipc"].split(";")
            if i
        )
        applicants = "".join(
            f"<business:Applicant><base:AddressBook><base:Name>{escape(a)}</base:Name></base:AddressBook>"
            f"</business:Applicant>"
            for a in r["applicants"].split(";")
            if a
        )
        (folder / f"{n:07d}.xml").write_text(
            XML_TEMPLATE.format(
                pub=f"9{n:08d}",
                pubdate=r["filing_date"].replace("-", "")[:4] + "1231",
                app=r["application_number"],
                appdate=r["filing_date"].replace("-", ""),
                ipcs=ipcs,
                title=escape(r["title"]),
                applicants=applicants,
                abstract=escape(r["abstract"]),
            ),
            encoding="utf-8",
        )
    return folder


def _child(args: argparse.Namespace) -> None:
    """Runs inside a fresh process with the database chosen by the environment."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patentbridge.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("init", verbosity=0)
    from patentbridge.ingest.services import create_batch, run_batch

    user = get_user_model().objects.get(username="system")
    corpus = Path(args.corpus)
    batch = create_batch(actor=user, source=corpus, original_name=corpus.name, copy=False)
    samples: list[dict[str, float]] = []
    started = time.perf_counter()

    def progress(b: Any) -> None:
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        samples.append(
            {"rows": b.rows_read, "seconds": time.perf_counter() - started, "max_rss_mb": round(rss_mb, 1)}
        )

    batch = run_batch(batch.pk, progress=progress)
    elapsed = time.perf_counter() - started
    quarter = [s for s in samples if s["rows"] >= batch.rows_read * 0.25]
    print(
        json.dumps(
            {
                "rows": batch.rows_read,
                "imported": batch.imported,
                "rejected": batch.rejected,
                "seconds": round(elapsed, 2),
                "rows_per_second": round(batch.rows_read / elapsed, 1),
                "max_rss_mb_at_25pct": quarter[0]["max_rss_mb"] if quarter else None,
                "max_rss_mb_at_end": samples[-1]["max_rss_mb"] if samples else None,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--format", default="csv,xml")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "import.json"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    results: dict[str, Any] = {
        "benchmark": "import",
        "corpus": "SYNTHETIC rows built from the bundled real heat-pump records",
        "rows": args.rows,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "date": time.strftime("%Y-%m-%d"),
        "runs": [],
    }
    for fmt in args.format.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            corpus = make_corpus(fmt, args.rows, Path(tmp))
            generate_seconds = time.perf_counter() - t0
            for db in args.db.split(","):
                data_dir = Path(tmp) / f"data-{db}"
                env = {
                    **os.environ,
                    "PATENTBRIDGE_DATA_DIR": str(data_dir),
                    # Queued, not run: the benchmark measures the import, not the indexing after it.
                    "PATENTBRIDGE_TASKS": "database",
                    "PATENTBRIDGE_DATABASE_URL": "",
                }
                dbname = ""
                if db == "postgres":
                    base = subprocess.run(
                        ["bash", str(ROOT / "scripts" / "ensure_postgres.sh")],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout.strip()
                    dbname = f"pb_bench_{uuid.uuid4().hex[:8]}"
                    _psql(base, f'CREATE DATABASE "{dbname}"')
                    env["PATENTBRIDGE_DATABASE_URL"] = f"{base}/{dbname}"
                try:
                    out = subprocess.run(
                        [sys.executable, "-m", "bench.import_bench", "--child", "--corpus", str(corpus)],
                        env=env,
                        cwd=ROOT,
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                finally:
                    if dbname:
                        _psql(base, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                    shutil.rmtree(data_dir, ignore_errors=True)
                run = json.loads(out.stdout.strip().splitlines()[-1])
                run.update(format=fmt, database=db, corpus_generation_seconds=round(generate_seconds, 1))
                results["runs"].append(run)
                print(json.dumps(run, ensure_ascii=False), flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _psql(base_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(sql)


if __name__ == "__main__":
    main()

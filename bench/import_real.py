"""Import rates on the two real sets, through ``patentbridge import`` as a user runs it.

* 泰安: the original spreadsheet ``专利信息.xlsx`` (7,384 applications, Chinese headers).
* 中山大学 CNKI: the 38,175 rows of ``sysu_cnki_cn_patents.csv.gz`` written back as one CNKI export
  (an HTML table saved as .xls, CNKI's own column names), so the real CNKI reader is measured.

Each file goes into a fresh SQLite data directory; the JSON summary of every run (rows, imported,
updated, unchanged, rejected, seconds, rows/s) is written to bench/results/import_real.json. The sets
live in the workplace's shared data (not shipped in the repository):

    python -m bench.import_real [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from build_demo_library import cnki_html  # noqa: E402


def _run(path: Path, data_dir: Path) -> dict[str, Any]:
    env = {**os.environ, "PATENTBRIDGE_DATA_DIR": str(data_dir), "PATENTBRIDGE_DATABASE_URL": ""}
    env["PATENTBRIDGE_TASKS"] = "immediate"
    subprocess.run([sys.executable, "-m", "patentbridge", "init"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "patentbridge", "import", str(path), "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    summary.update(seconds=round(seconds, 1), rows_per_s=round(summary["rows"] / seconds, 1))
    summary.pop("reject_report", None)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()},
        "note": "Wall time of `patentbridge import FILE --json` into a fresh SQLite data directory, "
        "including indexing, inventor teams and grading of the imported patents after the import.",
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        taian = args.shared / "taian-patents-cn" / "专利信息.xlsx"
        results["taian_original_xlsx"] = _run(taian, work / "taian")
        with gzip.open(
            args.shared / "sysu-cnki-38k" / "sysu_cnki_cn_patents.csv.gz", "rt", encoding="utf-8"
        ) as fh:
            rows = list(csv.DictReader(fh))
        export = work / "CNKI-sysu-38k.xls"
        export.write_text(cnki_html(rows), encoding="utf-8")
        results["sysu_cnki_38k_xls"] = _run(export, work / "cnki")
    out = ROOT / "bench" / "results" / "import_real.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()

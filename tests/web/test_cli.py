"""The ``patentbridge`` command in real subprocesses: JSON summary, re-import no-op, kill -9 resume.

These tests run the CLI as a user would, against their own database: a fresh SQLite file, or,
in the PostgreSQL run, a fresh database on the same server (dropped afterwards).
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

from patentbridge_engine.bench import synthetic_records, write_csv

from .conftest import DEMO_DATA


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Environment for subprocesses: own data dir and own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        PATENTBRIDGE_DATA_DIR=str(tmp_path / "data"),
        PATENTBRIDGE_TASKS="immediate",
        DJANGO_SETTINGS_MODULE="patentbridge.settings",
    )
    url = os.environ.get("PATENTBRIDGE_DATABASE_URL", "")
    dbname = ""
    if url:
        import psycopg

        dbname = f"pb_cli_{uuid.uuid4().hex[:10]}"
        parsed = urlparse(url)
        admin_url = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["PATENTBRIDGE_DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{dbname}"))
    env["_admin_url"] = urlunparse(urlparse(url)._replace(path="/postgres")) if url else ""
    yield env
    if dbname:
        import psycopg

        with psycopg.connect(env["_admin_url"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _run(env: dict[str, Any], *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "patentbridge", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _query(env: dict[str, Any], sql: str) -> list[tuple[Any, ...]]:
    if env.get("PATENTBRIDGE_DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["PATENTBRIDGE_DATABASE_URL"].replace("%2F", "%2F")) as conn:
            return list(conn.execute(sql).fetchall())
    with sqlite3.connect(Path(env["PATENTBRIDGE_DATA_DIR"]) / "db.sqlite3", timeout=30) as conn:
        return list(conn.execute(sql).fetchall())


def _children_of(pid: int) -> list[int]:
    """PIDs whose parent is ``pid`` (Linux /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may contain spaces; fields after it are fixed.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children.append(int(entry.name))
    return children


def _seeds() -> list[dict[str, Any]]:
    data = json.loads(gzip.decompress((DEMO_DATA / "hthp_patents.json.gz").read_bytes()))
    return [
        {"title": r["TITLE"], "abstract": r["ABSTRACT"], "applicants": r["ANCS"], "ipc": r["IPCR"]}
        for r in data
    ]


def test_import_json_summary_and_second_run_is_a_no_op(cli_env, tmp_path):
    """``--json`` prints exactly one object with the four counts and the report path."""
    assert _run(cli_env, "init").returncode == 0
    source = tmp_path / "sample.csv"
    source.write_bytes(gzip.decompress((DEMO_DATA / "schema_sample_10.csv.gz").read_bytes()))
    first = _run(cli_env, "import", str(source), "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert {k: summary[k] for k in ("rows", "imported", "updated", "unchanged", "rejected")} == {
        "rows": 10,
        "imported": 10,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert Path(summary["reject_report"]).exists()
    second = json.loads(_run(cli_env, "import", str(source), "--json").stdout)
    assert (second["imported"], second["updated"], second["unchanged"]) == (0, 0, 10)


def test_import_of_a_missing_file_or_unknown_org_fails_clearly(cli_env, tmp_path):
    """Errors are one readable line on stderr with a non-zero exit."""
    assert _run(cli_env, "init").returncode == 0
    missing = _run(cli_env, "import", str(tmp_path / "nope.csv"))
    assert missing.returncode != 0 and "文件不存在" in missing.stderr
    source = tmp_path / "a.csv"
    source.write_text("申请号\n202310123456.6\n", encoding="utf-8")
    unknown = _run(cli_env, "import", str(source), "--org", "不存在的大学")
    assert unknown.returncode != 0 and "机构不存在" in unknown.stderr


def test_kill_9_mid_import_then_rerun_completes_without_duplicates(cli_env, tmp_path):
    """SIGKILL during a large import leaves whole chunks; the rerun resumes and ends exact."""
    assert _run(cli_env, "init").returncode == 0
    total = 20_000
    source = tmp_path / "synthetic.csv"
    write_csv(synthetic_records(_seeds(), total), source)
    env = {**cli_env, "PATENTBRIDGE_IMPORT_CHUNK": "250"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "patentbridge", "import", str(source), "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 240
    read = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            rows = _query(cli_env, "SELECT rows_read FROM ingest_importbatch")
        except Exception:  # the table may not be readable for a moment while the schema is created
            continue
        read = rows[0][0] if rows else 0
        if read >= 2_000:
            break
    assert proc.poll() is None, "import finished before it could be interrupted"
    helpers = _children_of(proc.pid)
    assert helpers, "a 20,000-row import should use a helper process"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Helpers notice the writer is gone and exit; none may linger holding resources.
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in helpers)
    [(rows_read, imported, updated, unchanged, rejected, status)] = _query(
        cli_env, "SELECT rows_read, imported, updated, unchanged, rejected, status FROM ingest_importbatch"
    )
    assert 0 < rows_read < total and status == "running"
    assert imported + updated + unchanged + rejected == rows_read
    assert _query(cli_env, "SELECT COUNT(*) FROM patents_patent")[0][0] == imported
    rerun = _run(env, "import", str(source), "--json", timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["resumed"] is True
    assert (
        summary["rows"] == total and summary["imported"] + summary["unchanged"] + summary["updated"] == total
    )
    assert _query(cli_env, "SELECT COUNT(*) FROM patents_patent")[0][0] == total
    assert _query(cli_env, "SELECT COUNT(DISTINCT application_number) FROM patents_patent")[0][0] == total

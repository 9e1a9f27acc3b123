"""``patentbridge init --demo``: demo organisations and accounts, then the bundled real records
imported through the normal import path (their batches and reject reports stay visible), the
real technology needs, the search indexes, inventor teams and grades.

The library (about 4,800 patents; see demo_data/README.md for origins and the subset rule):
the 泰安市 applications subset and the original-format spreadsheet headers, the 中山大学 CNKI
subset and one original CNKI export, the high-temperature heat-pump set, the 61-column sample
and the CNIPA XML samples.
"""

from __future__ import annotations

import gzip
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db import transaction

from patentbridge.core import events
from patentbridge.grading.public_list import recompute_public_list
from patentbridge.grading.services import grade_numbers
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.services import create_batch, run_batch
from patentbridge.matching.tasks import queue_open_needs_warmup
from patentbridge.matching.teams import rebuild_teams
from patentbridge.navigation.demo import load_navigation_demo
from patentbridge.patents.classification import seed_default_chains
from patentbridge.search.index import rebuild_index, rebuild_needs_index
from patentbridge.site.demo_licensing import load_licensing_demo
from patentbridge.site.demo_menus import load_menus_demo
from patentbridge.site.demo_needs import load_needs
from patentbridge.site.demo_orgs import CENTRE, DEMO_USERS, create_demo_accounts, user
from patentbridge.site.demo_pools import load_pools_demo
from patentbridge.site.demo_roadshows import load_roadshows_demo

__all__ = ["CENTRE", "DEMO_DIR", "DEMO_PLAN", "DEMO_USERS", "load_demo"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo_data"
# (importing user, file, format, initial library status or None for the importer's default).
# The operator imports regional files platform-wide: each new patent is attributed to the member
# organisation named as its first applicant (so 山东农业大学's TTO sees its own portfolio).
DEMO_PLAN: tuple[tuple[str, str, str, str | None], ...] = (
    ("operator", "taian_subset.xlsx", "xlsx", None),
    ("operator", "cnki_subset.xls", "xls", None),
    ("operator", "CNKI-20250409225340308.xls", "xls", None),
    ("operator", "hthp_patents.json.gz", "json", None),
    ("operator", "schema_sample_10.csv.gz", "csv", None),
    ("operator", "cnipa_fulltext", "xml", None),
    ("tto", "cnipa_application", "xml", "pending_college"),
)


def _import(actor: Any, name: str, fmt: str, status: str | None, stdout: Any) -> None:
    source = DEMO_DIR / name
    with tempfile.TemporaryDirectory() as tmp:
        if name.endswith(".gz"):
            plain = Path(tmp) / name.removesuffix(".gz")
            plain.write_bytes(gzip.decompress(source.read_bytes()))
            source = plain
        batch = create_batch(
            actor=actor, source=source, original_name=source.name, fmt=fmt, initial_status=status
        )
        batch = run_batch(batch.pk)
    stdout.write(
        f"  {batch.original_name}：读取 {batch.rows_read}，新增 {batch.imported}，更新 {batch.updated}，"
        f"未变化 {batch.unchanged}，拒绝 {batch.rejected}\n"
    )


def load_demo(stdout: Any, *, reset_passwords: bool = False) -> list[tuple[str, str, str]]:
    """Create demo organisations and users, import the bundled records (once), post the real needs,
    build indexes, teams and grades; returns the credentials (kept across reruns unless reset)."""

    started = time.monotonic()
    with transaction.atomic():
        seed_default_chains()  # the menu, pool and roadshow demos are built on chains
        credentials = create_demo_accounts(reset_passwords=reset_passwords)
    done = set(
        ImportBatch.objects.filter(status=ImportBatch.Status.COMPLETED).values_list(
            "original_name", flat=True
        )
    )
    # Indexes, teams and grades are rebuilt once below rather than after every batch and need.
    with events.quiet():
        for username, name, fmt, status in DEMO_PLAN:
            if name.removesuffix(".gz") not in done:
                _import(user(username), name, fmt, status, stdout)
        load_needs(user("operator"), DEMO_DIR, stdout)
        load_licensing_demo(stdout)  # before the grades: they read the rights ledger

    stdout.write(f"  检索索引：{rebuild_index()} 件专利，{rebuild_needs_index()} 条技术需求\n")
    warming = queue_open_needs_warmup()
    if warming:
        stdout.write(f"  需求匹配精排（E5）：已排队为 {warming} 条需求预先计算候选向量（后台进行）\n")
    stdout.write(f"  发明人团队：{rebuild_teams()} 个\n")

    stdout.write(f"  价值分级：{grade_numbers()} 件；公开实施清单：{recompute_public_list()['active']} 件\n")
    # Menus match and pools admit by grade; the roadshow presents the menu's selection and the
    # pool's patents; navigation reports count all of them.
    load_menus_demo(stdout)
    load_pools_demo(stdout)
    load_roadshows_demo(stdout)
    load_navigation_demo(user("operator"), stdout)  # after the grades: key patents read them
    stdout.write(f"  用时 {time.monotonic() - started:.0f} 秒\n")
    return credentials

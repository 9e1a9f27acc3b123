"""The demo pool (``site.demo_pools.load_pools_demo``) on the loaded demo: built through the pool
services, labelled as a demonstration, admissions and rejections from the real check, a patent
suspended by the demo's pledge, one outbound licence, one statement — and a second run adds nothing.

The demo is loaded once for the module by the real ``load_demo`` (which now runs the pool demo
too) on a frozen day, on the industry chains ``patentbridge init`` seeds, and rolled back afterwards;
the tests then run ``load_pools_demo`` again and check that nothing is added."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.test import override_settings

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import LicenceContract, RightEvent
from patentbridge.patents.models import IndustryChain
from patentbridge.pools.models import MemberApplication, Pool, PoolDistribution, PoolLicence, PoolPatent
from patentbridge.site.demo_orgs import POOL_AGENCY
from patentbridge.site.demo_pools import LICENSEE, POOL_NAME, load_pools_demo
from patentbridge_engine.classify import load_chain_config
from web.licensing.test_demo_licensing import NOW, load_demo_twice

pytestmark = pytest.mark.django_db


def seed_chains() -> None:
    """The chains ``patentbridge init`` creates on an empty platform (the menu and pool demos use them)."""
    if IndustryChain.objects.exists():
        return
    for position, chain in enumerate(load_chain_config()["chains"]):
        IndustryChain.objects.create(
            code=chain["code"],
            name=chain["name"],
            ipc_patterns=chain["ipc"],
            keywords=chain["keywords"],
            position=position,
        )


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The demo loaded twice on the licensing tests' load day, with its own data directory."""
    data = tmp_path_factory.mktemp("pool-demo-data")
    local = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DATA_DIR=data,
        MEDIA_ROOT=data / "media",
    )
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True), local, transaction.atomic():
        seed_chains()
        loaded = load_demo_twice()
        yield loaded.first
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    rows = {m.__name__: m.objects.count() for m in apps.get_app_config("pools").get_models()}
    rows["RightEvent"] = RightEvent.objects.count()
    rows["LicenceContract"] = LicenceContract.objects.count()
    rows["audit"] = (
        AuditEvent.objects.filter(action__startswith="pools.").exclude(action="pools.sweep.ran").count()
    )
    return rows


def test_demo_pool_is_built_once_through_the_services(demo: Any) -> None:
    # The demo loader (run twice by the fixture) built the pool once, through the services.
    assert "设立「高温热泵产业专利池（演示）」" in demo
    assert Pool.objects.filter(name=POOL_NAME).count() == 1
    before = counts()
    again = io.StringIO()
    load_pools_demo(again)
    load_pools_demo(again)
    assert counts() == before
    assert "设立" not in again.getvalue() and "通过 0、不予入池 0" in again.getvalue()

    pool = Pool.objects.get(name=POOL_NAME)
    assert pool.is_demo and pool.agency_org.name == POOL_AGENCY and pool.state == "operating"
    entries = list(PoolPatent.objects.filter(pool=pool))
    assert entries and all(e.status in ("admitted", "suspended") for e in entries)
    # Every admission went through the check and the agency's review, and is audited.
    apps_ = list(MemberApplication.objects.filter(pool=pool))
    assert all(a.is_demo and a.reviewed_by is not None for a in apps_)
    assert all(not a.auto_check["blocks"] for a in apps_ if a.state == "admitted")
    assert all(
        a.auto_check["blocks"] and a.review_opinion.startswith("不予入池")
        for a in apps_
        if a.state == "rejected"
    )
    assert AuditEvent.objects.filter(action="pools.application.admitted").count() == len(entries)
    # Cross-licences between members are in the ledger, royalty-free and ordinary.
    cross = RightEvent.objects.filter(source="pool", patent__pool_entries__pool=pool)
    assert cross.exists() and set(cross.values_list("sub_kind", flat=True)) == {"ordinary"}
    # The outbound licence went through the licensing contract services and is signed.
    licence = PoolLicence.objects.get(pool=pool)
    assert licence.contract.is_demo and licence.contract.licensee_org.name == LICENSEE
    assert licence.contract.state == "active_paid" and licence.contract.kind == "ordinary"
    admitted_then = set(licence.contract.patents.values_list("pk", flat=True))
    assert admitted_then and admitted_then <= {e.patent_id for e in entries}
    dist = PoolDistribution.objects.get(pool=pool)
    assert dist.is_demo and dist.gross == Decimal("300000.00") and dist.mgmt_fee == Decimal("30000.00")
    assert sum(line.amount for line in dist.lines.all()) == dist.distributable == Decimal("270000.00")


def test_pledged_patent_shows_suspended_when_the_demo_has_one(demo: Any) -> None:
    load_pools_demo(io.StringIO())
    pool = Pool.objects.get(name=POOL_NAME)
    pledged = PoolPatent.objects.filter(
        pool=pool, patent__right_events__kind="pledge", patent__right_events__consents=[]
    ).first()
    if pledged is None:
        pytest.skip("the demo's pledge fell on a patent outside the pool")
    assert pledged.status == "suspended" and "质押" in pledged.status_reason
    assert pledged.changes.filter(to_status="suspended", source="ledger").exists()

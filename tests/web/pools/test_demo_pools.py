"""The demo pool (``site.demo_pools.load_pools_demo``) on the loaded demo: built through the pool
services, labelled as a demonstration, admissions and rejections from the real check, a patent
suspended by the demo's pledge, one outbound licence, one statement — and a second run adds nothing.

The demo is loaded once for the module (``test_demo_licensing.demo``: the real loader on a frozen
day, rolled back afterwards)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import LicenceContract, RightEvent
from patentbridge.pools.models import MemberApplication, Pool, PoolDistribution, PoolLicence, PoolPatent
from patentbridge.site.demo_orgs import POOL_AGENCY
from patentbridge.site.demo_pools import LICENSEE, POOL_NAME, load_pools_demo
from web.licensing import test_demo_licensing

pytestmark = pytest.mark.django_db
demo = test_demo_licensing.demo


def counts() -> dict[str, int]:
    rows = {m.__name__: m.objects.count() for m in apps.get_app_config("pools").get_models()}
    rows["RightEvent"] = RightEvent.objects.count()
    rows["LicenceContract"] = LicenceContract.objects.count()
    rows["audit"] = (
        AuditEvent.objects.filter(action__startswith="pools.").exclude(action="pools.sweep.ran").count()
    )
    return rows


def test_demo_pool_is_built_once_through_the_services(demo: Any) -> None:
    first, second = io.StringIO(), io.StringIO()
    load_pools_demo(first)
    after_first = counts()
    load_pools_demo(second)
    assert counts() == after_first
    assert "设立「高温热泵产业专利池（演示）」" in first.getvalue()
    assert "设立" not in second.getvalue() and "通过 0、不予入池 0" in second.getvalue()

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

"""What pools add to other pages (registered in ``PoolsConfig.ready``): on the patent page, the
pools the patent belongs to with its status and since when — for whoever may see those pools; on
a licence contract's page, that it is a pool's outbound licence."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.core.panels import register_panel
from patentbridge.core.restrict import restrict
from patentbridge.pools.models import MemberApplication, Pool, PoolLicence, PoolPatent

__all__ = ["contract_pool_panel", "patent_pools_panel", "register"]


def patent_pools_panel(request: HttpRequest, patent: Any) -> dict[str, Any] | None:
    """The patent's pool entries the user may see, and its pending applications for the owner."""
    entries = list(
        restrict(PoolPatent.objects.filter(patent=patent), request.user, "view")
        .select_related("pool", "member__org")
        .order_by("pool__name")
    )
    pending = list(
        restrict(
            MemberApplication.objects.filter(patent=patent, state="submitted"), request.user, "view"
        ).select_related("pool")
    )
    if not entries and not pending:
        return None
    return {"entries": entries, "pending": pending}


def contract_pool_panel(request: HttpRequest, contract: Any) -> dict[str, Any] | None:
    """On a contract page (already limited to its parties): the pool whose outbound licence it is."""
    licence = PoolLicence.objects.filter(contract=contract).select_related("pool__agency_org").first()
    if licence is None:
        return None
    visible = restrict(Pool.objects.filter(pk=licence.pool_id), request.user, "view").exists()
    return {"licence": licence, "pool": licence.pool, "linked": visible}


def register() -> None:
    register_panel("patent", "pools", "pools/_patent_panel.html", patent_pools_panel, order=72)
    register_panel("contract", "pools", "pools/_contract_panel.html", contract_pool_panel, order=12)

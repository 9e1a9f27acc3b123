"""What the pool pages and the API read: visible pools, one pool's page context by role, the
patents an applicant may propose, a statement with its lines. Reads only; writes are services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from patentbridge.accounts import policies
from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Organization
from patentbridge.core.restrict import restrict
from patentbridge.patents.models import Patent
from patentbridge.pools.access import is_agency_staff, org_id_of
from patentbridge.pools.choices import (
    ApplicationStateChoices,
    LicenceRequestStateChoices,
    PatentStatusChoices,
    PoolStateChoices,
    SharingRuleChoices,
)
from patentbridge.pools.models import (
    GRADE_MIN_CHOICES,
    MemberApplication,
    Pool,
    PoolDistribution,
    PoolLicence,
    PoolLicenceRequest,
    PoolMember,
    PoolPatent,
)
from patentbridge.pools.services.common import get_visible
from patentbridge.pools.services.distributions import income_for
from patentbridge.pools.services.requests import running_licence
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError

__all__ = [
    "applicable_patents",
    "enterprises",
    "get_distribution",
    "get_pool",
    "pool_context",
    "pools_for",
    "tariff_text",
]


def pools_for(user: Any) -> QuerySet[Pool]:
    """The pools ``user`` may see, with their counts of patents in the pool and members."""
    return (
        restrict(Pool.objects.all(), user, "view")
        .select_related("agency_org", "chain")
        .annotate(
            admitted=Count("patents", filter=Q(patents__status=PatentStatusChoices.ADMITTED), distinct=True),
            member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
        )
        .order_by("-founded_on", "-pk")
    )


def get_pool(user: Any, pk: object) -> Pool:
    return get_visible(Pool.objects.select_related("agency_org", "chain"), user, pk)  # type: ignore[no-any-return]


def get_distribution(user: Any, pk: object) -> PoolDistribution:
    return get_visible(  # type: ignore[no-any-return]
        PoolDistribution.objects.select_related("pool__agency_org", "created_by"), user, pk
    )


def tariff_text(pool: Pool) -> str:
    """The tariff in words (the licensing fee wording), or an honest "not yet published"."""
    if not pool.tariff:
        return "尚未公布"
    try:
        return FeeSchedule.from_dict(pool.tariff).describe()
    except FeeScheduleError:
        return "许可费条款无法显示，请重新设置"


def applicable_patents(user: Any, pool: Pool, limit: int = 300) -> list[Patent]:
    """The applicant's own organisation's library patents not already in (or applied to) the pool."""
    org_id = org_id_of(user)
    if org_id is None or not policies.can(user, "pools.apply"):
        return []
    taken = set(
        PoolPatent.objects.filter(pool=pool)
        .exclude(status=PatentStatusChoices.REMOVED)
        .values_list("patent_id", flat=True)
    ) | set(
        MemberApplication.objects.filter(pool=pool, state=ApplicationStateChoices.SUBMITTED).values_list(
            "patent_id", flat=True
        )
    )
    rows = (
        Patent.objects.filter(owner_org_id=org_id)
        .exclude(pk__in=taken)
        .order_by("-grant_date", "-filing_date")
    )
    return list(rows.only("pk", "application_number", "title", "legal_status")[:limit])


def enterprises(limit: int = 500) -> list[Organization]:
    return list(Organization.objects.filter(kind=OrgKindChoices.ENTERPRISE).order_by("name")[:limit])


def pool_context(user: Any, pool: Pool, today: dt.date) -> dict[str, Any]:
    """Everything the pool page shows this user."""
    agency = is_agency_staff(user, pool)
    role = policies.role_of(user)
    entries = list(
        restrict(PoolPatent.objects.filter(pool=pool), user, "view")
        .select_related("patent", "member__org")
        .prefetch_related("changes")
        .order_by("status", "member__org__name", "pk")
    )
    own_org = org_id_of(user)
    applications = list(
        restrict(MemberApplication.objects.filter(pool=pool), user, "view")
        .select_related("org", "patent", "reviewed_by")
        .order_by("state", "-submitted_on", "-pk")[:300]
    )
    licences = list(
        restrict(PoolLicence.objects.filter(pool=pool), user, "view")
        .select_related("contract__licensee_org")
        .order_by("-created_on")
    )
    distributions = list(
        restrict(PoolDistribution.objects.filter(pool=pool), user, "view").order_by("-period_end")
    )
    members = list(
        restrict(PoolMember.objects.filter(pool=pool), user, "view")
        .select_related("org")
        .order_by("joined_on", "pk")
    )
    requests = list(
        restrict(PoolLicenceRequest.objects.filter(pool=pool), user, "view")
        .select_related("org", "licence__contract")
        .order_by("state", "-requested_on", "-pk")[:300]
    )
    year_start = dt.date(today.year, 1, 1)
    may_request, request_note = request_option(user, pool, requests)
    return {
        "pool": pool,
        "agency": agency,
        "entries": entries,
        "counts": {s: sum(1 for e in entries if e.status == s) for s in PatentStatusChoices.values},
        "members": members,
        "applications": applications,
        "pending": [a for a in applications if a.state == ApplicationStateChoices.SUBMITTED],
        "licences": licences,
        "distributions": distributions,
        # Enterprises never see statements (distribution_rule): no empty "尚无收益分配单" table either,
        # which would read as "nothing was ever distributed".
        "shows_distributions": role != RoleChoices.ENTERPRISE,
        "tariff": tariff_text(pool),
        "may_apply": policies.can(user, "pools.apply")
        and role == RoleChoices.TTO
        and own_org is not None
        and own_org != pool.agency_org_id
        and pool.state in ("forming", "operating"),
        "own_org": own_org,
        "enterprises": enterprises() if agency else [],
        "income_ytd": income_for(pool, year_start, today) if agency else Decimal(0),
        "licence_requests": requests,
        "waiting_requests": [r for r in requests if r.state == LicenceRequestStateChoices.SUBMITTED],
        "may_request": may_request,
        "request_note": request_note,
        "year_start": year_start,
        "grade_choices": GRADE_MIN_CHOICES,
        "rule_choices": SharingRuleChoices.choices,
        "today": today,
    }


def request_option(user: Any, pool: Pool, own_requests: list[PoolLicenceRequest]) -> tuple[bool, str]:
    """Whether the pool page offers ``user`` the outbound-licence request, and if an enterprise
    cannot ask now, why (shown instead of a button the service would refuse)."""
    if not policies.can(user, "pools.request_licence"):
        return False, ""
    org = own_org(user)
    if org is None or org.kind != OrgKindChoices.ENTERPRISE:
        return False, ""
    if pool.state != PoolStateChoices.OPERATING:
        return False, f"专利池当前为「{pool.get_state_display()}」，暂不受理池外许可申请。"
    if not pool.tariff:
        return False, "专利池尚未公布池外统一许可费，暂不受理池外许可申请。"
    if PoolMember.objects.filter(pool=pool, org=org, left_on__isnull=True).exists():
        return False, "贵单位是专利池成员，已享有池内交叉许可。"
    held = running_licence(pool, org)
    if held is not None:
        return False, f"贵单位已持有本专利池的许可合同 {held.contract.contract_no}。"
    if any(r.state == LicenceRequestStateChoices.SUBMITTED and r.org_id == org.pk for r in own_requests):
        return False, "贵单位的池外许可申请正在等待运营管理机构处理。"
    return True, ""


def own_org(user: Any) -> Any:
    """The user's organisation (None without a membership)."""
    member = policies.membership_of(user)
    return None if member is None else member.org

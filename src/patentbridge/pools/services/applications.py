"""Member applications (入池申请) and their review (guide §4.d P1, P2): a member's TTO proposes its
own organisation's patents, the admission check runs against the pool's criteria and the ledger on
the day, the managing agency admits or rejects with its opinion; a member withdraws its patents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.services.ledger import encumbrances_for, patent_facts
from patentbridge.patents.models import Patent
from patentbridge.pools.choices import (
    ApplicationStateChoices,
    CategoryChoices,
    ChangeSourceChoices,
    MemberRoleChoices,
    PatentStatusChoices,
    PoolStateChoices,
    ReviewMethodChoices,
)
from patentbridge.pools.models import MemberApplication, Pool, PoolMember, PoolPatent
from patentbridge.pools.services.common import clean_text, locked_pool, org_of, require_agency
from patentbridge.pools.services.ledger import end_cross_licences, record_change, sync_cross_licences
from patentbridge_engine.pools.admission import Candidate, Criteria, check_admission

__all__ = [
    "admission_check",
    "admit",
    "reject",
    "submit_application",
    "withdraw_application",
    "withdraw_patent",
]

_OPEN_FOR_APPLICATIONS = (PoolStateChoices.FORMING, PoolStateChoices.OPERATING)


def _grade(patent: Patent) -> str:
    grade = getattr(patent, "grade", None) if hasattr(patent, "grade") else None
    return str(grade.final) if grade is not None else ""


def admission_check(
    pool: Pool, patent: Patent, *, on: dt.date, essential: bool | None = None, coowner_consent: bool = False
) -> dict[str, Any]:
    """The admission verdict on ``on`` as stored with the application: Chinese ``blocks`` and
    ``notes``, the grade read and whether the patent enters non-exclusively only. A co-owned
    patent needs every co-owner's written consent to be entrusted to a pool (专利法 Art. 14)."""
    enc = encumbrances_for(patent, on)
    facts = patent_facts(patent, on)
    candidate = Candidate(
        application_number=patent.application_number,
        title=patent.title,
        text=f"{patent.abstract}\n{patent.main_claim}",
        ipc=tuple([patent.ipc_main, *[str(c) for c in (patent.ipc or [])]]),
        grade=_grade(patent),
        essential=essential,
        valid=facts.valid,
    )
    criteria = Criteria(
        ipc_prefixes=tuple(pool.ipc_prefixes or ()),
        keywords=tuple(pool.keywords or ()),
        min_grade=pool.min_grade,
        essential_required=pool.essential_required,
    )
    result = check_admission(candidate, criteria, enc)
    blocks = list(result.blocks)
    if enc.co_owners and not coowner_consent:
        blocks.append(
            f"该专利为{'、'.join(enc.co_owners)}共有，委托专利池许可须取得全体共有人书面同意（专利法第十四条）"
        )
    return {
        "on": on.isoformat(),
        "blocks": blocks,
        "notes": list(result.notes),
        "grade": candidate.grade,
        "non_exclusive_only": result.non_exclusive_only,
    }


def _require_applicant(actor: Any, patent: Patent) -> Any:
    """A member TTO applies its own organisation's patents; operators on an owner's behalf."""
    policies.require(actor, "pools.apply")
    if policies.is_platform_wide(actor):
        if patent.owner_org is None:
            raise ValidationError({"patent": "该专利没有所属机构，不能申请入池"})
        return patent.owner_org
    org = org_of(actor)
    if org is None or patent.owner_org_id != org.pk:
        raise PermissionDenied("只能为本机构的专利申请入池")
    return org


@transaction.atomic
def submit_application(
    actor: Any,
    pool: Pool,
    patent: Patent,
    *,
    on: dt.date,
    category: str = CategoryChoices.GENERAL,
    essential: bool | None = None,
    coowner_consent: bool = False,
    note: str = "",
    is_demo: bool = False,
) -> MemberApplication:
    """A SUBMITTED application with its admission check of the day."""
    org = _require_applicant(actor, patent)
    pool = locked_pool(pool)
    if pool.state not in _OPEN_FOR_APPLICATIONS:
        raise ValidationError({"pool": f"专利池当前为「{pool.get_state_display()}」，不接受入池申请"})
    if category not in CategoryChoices.values:
        raise ValidationError({"category": "请选择专利类别"})
    if pool.agency_org_id == org.pk:
        raise ValidationError({"patent": "运营管理机构自有专利请以成员身份另行登记"})
    if (
        PoolPatent.objects.filter(pool=pool, patent=patent)
        .exclude(status=PatentStatusChoices.REMOVED)
        .exists()
    ):
        raise ValidationError({"patent": f"专利 {patent.application_number} 已在本池中"})
    if MemberApplication.objects.filter(
        pool=pool, patent=patent, state=ApplicationStateChoices.SUBMITTED
    ).exists():
        raise ValidationError({"patent": f"专利 {patent.application_number} 已有待审核的入池申请"})
    application = MemberApplication.objects.create(
        pool=pool,
        org=org,
        patent=patent,
        category=category,
        essential=essential,
        coowner_consent=coowner_consent,
        note=clean_text(note, "note", 500, label="说明"),
        auto_check=admission_check(pool, patent, on=on, essential=essential, coowner_consent=coowner_consent),
        submitted_by=actor,
        submitted_on=on,
        is_demo=is_demo,
    )
    audit.record(
        "pools.application.submitted",
        actor=actor,
        target=pool,
        org=org,
        data={
            "patent": patent.application_number,
            "application": application.pk,
            "blocks": application.auto_check["blocks"],
        },
    )
    return application


def _pending(application: MemberApplication) -> MemberApplication:
    row = (
        MemberApplication.objects.select_for_update()
        .select_related("pool", "patent", "org")
        .get(pk=application.pk)
    )
    if row.state != ApplicationStateChoices.SUBMITTED:
        raise ValidationError({"state": f"该申请当前为「{row.get_state_display()}」，不能再审核"})
    return row


@transaction.atomic
def admit(
    actor: Any,
    application: MemberApplication,
    *,
    on: dt.date,
    method: str = ReviewMethodChoices.INTERNAL,
    opinion: str = "",
) -> PoolPatent:
    """SUBMITTED → ADMITTED after re-checking on ``on`` (a blocked patent is refused with its
    reasons): the organisation becomes a member if it was not, the patent enters the catalogue
    with its first status change, and the in-pool cross-licences are written to the ledger."""
    require_agency(actor, application.pool)
    locked_pool(application.pool)
    app = _pending(application)
    if method not in ReviewMethodChoices.values:
        raise ValidationError({"method": "请选择审查方式"})
    check = admission_check(
        app.pool, app.patent, on=on, essential=app.essential, coowner_consent=app.coowner_consent
    )
    if check["blocks"]:
        raise ValidationError({"patent": "不能入池：" + "；".join(check["blocks"])})
    member, joined = PoolMember.objects.get_or_create(
        pool=app.pool,
        org=app.org,
        defaults={"joined_on": on, "role": MemberRoleChoices.MEMBER},
    )
    if member.left_on is not None:
        member.left_on, member.joined_on = None, on
        member.save(update_fields=["left_on", "joined_on"])
        joined = True
    pp = PoolPatent.objects.filter(pool=app.pool, patent=app.patent).first()
    if pp is None:
        pp = PoolPatent(pool=app.pool, patent=app.patent)
    pp.member, pp.application, pp.category = member, app, app.category
    pp.non_exclusive_only = bool(check["non_exclusive_only"])
    pp.status, pp.status_since, pp.admitted_on, pp.withdrawn_on = "", on, on, None
    pp.status_reason = ""
    pp.save()
    record_change(
        actor,
        pp,
        PatentStatusChoices.ADMITTED,
        on=on,
        reason=opinion or "入池审核通过",
        source=ChangeSourceChoices.REVIEW,
    )
    app.state, app.reviewed_by, app.reviewed_on = ApplicationStateChoices.ADMITTED, actor, on
    app.review_method, app.review_opinion = method, clean_text(opinion, "opinion", 500, label="审查意见")
    app.auto_check = check
    app.save(
        update_fields=["state", "reviewed_by", "reviewed_on", "review_method", "review_opinion", "auto_check"]
    )
    if joined:
        audit.record(
            "pools.member.joined", actor=actor, target=app.pool, org=app.org, data={"org": app.org.name}
        )
    audit.record(
        "pools.application.admitted",
        actor=actor,
        target=app.pool,
        org=app.pool.agency_org,
        data={"patent": app.patent.application_number, "application": app.pk, "notes": check["notes"]},
    )
    sync_cross_licences(actor, app.pool)
    return pp


@transaction.atomic
def reject(actor: Any, application: MemberApplication, *, on: dt.date, opinion: str) -> MemberApplication:
    """SUBMITTED → REJECTED with the agency's written opinion."""
    require_agency(actor, application.pool)
    app = _pending(application)
    text = clean_text(opinion, "opinion", 500, required=True, label="不予入池的理由")
    app.state, app.reviewed_by, app.reviewed_on, app.review_opinion = (
        ApplicationStateChoices.REJECTED,
        actor,
        on,
        text,
    )
    app.save(update_fields=["state", "reviewed_by", "reviewed_on", "review_opinion"])
    audit.record(
        "pools.application.rejected",
        actor=actor,
        target=app.pool,
        org=app.pool.agency_org,
        data={"patent": app.patent.application_number, "application": app.pk, "opinion": text},
    )
    return app


@transaction.atomic
def withdraw_application(actor: Any, application: MemberApplication, *, on: dt.date) -> MemberApplication:
    """The applicant's TTO (or an operator) withdraws a pending application."""
    policies.require(actor, "pools.apply")
    if not policies.is_platform_wide(actor) and getattr(org_of(actor), "pk", None) != application.org_id:
        raise PermissionDenied("只能撤回本机构的入池申请")
    app = _pending(application)
    app.state, app.reviewed_on = ApplicationStateChoices.WITHDRAWN, on
    app.save(update_fields=["state", "reviewed_on"])
    audit.record(
        "pools.application.withdrawn",
        actor=actor,
        target=app.pool,
        org=app.org,
        data={"patent": app.patent.application_number, "application": app.pk},
    )
    return app


@transaction.atomic
def withdraw_patent(actor: Any, pool_patent: PoolPatent, *, on: dt.date, reason: str = "") -> PoolPatent:
    """A member takes its patent out of the pool from ``on``: REMOVED, the cross-licences under it
    end the day before. The contributor's TTO, the agency or an operator may do it."""
    policies.require(actor, "pools.apply")
    pp = (
        PoolPatent.objects.select_for_update()
        .select_related("pool__agency_org", "member", "patent")
        .get(pk=pool_patent.pk)
    )
    own = getattr(org_of(actor), "pk", None)
    if not (policies.is_platform_wide(actor) or own in (pp.member.org_id, pp.pool.agency_org_id)):
        raise PermissionDenied("只能撤回本机构贡献的入池专利")
    if pp.status == PatentStatusChoices.REMOVED:
        raise ValidationError({"status": "该专利已移出专利池"})
    if on < pp.status_since:
        raise ValidationError({"on": f"撤回日期不能早于当前状态的起始日 {pp.status_since}"})
    text = clean_text(reason, "reason", 300, label="撤回原因") or "成员撤回"
    pp.withdrawn_on = on
    pp.save(update_fields=["withdrawn_on"])
    record_change(
        actor,
        pp,
        PatentStatusChoices.REMOVED,
        on=on,
        reason=f"成员撤回：{text}",
        source=ChangeSourceChoices.WITHDRAWAL,
    )
    end_cross_licences(actor, pp, on=on)
    audit.record(
        "pools.patent.withdrawn",
        actor=actor,
        target=pp.pool,
        org=pp.member.org,
        data={"patent": pp.patent.application_number, "on": on.isoformat(), "reason": text},
    )
    return pp

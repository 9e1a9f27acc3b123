"""The pool and the rights ledger: a patent's status from its ledger events on a date (rule P3,
run nightly by ``pools_sweep``), the status history it leaves, and the royalty-free in-pool
cross-licences (rule P5) written as ``RightEvent`` rows with source ``pool``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from patentbridge.core import audit
from patentbridge.licensing.choices import RightKindChoices, RightSourceChoices
from patentbridge.licensing.models import RightEvent
from patentbridge.licensing.services.ledger import ledger_events, patent_facts, record_right_event
from patentbridge.pools.choices import ChangeSourceChoices, PatentStatusChoices, PoolStateChoices
from patentbridge.pools.models import Pool, PoolMember, PoolPatent, PoolPatentStatusChange
from patentbridge_engine.pools.status import status_timeline

__all__ = [
    "CROSS_NOTE",
    "cross_ref",
    "end_cross_licences",
    "record_change",
    "refresh_patent",
    "sweep",
    "sync_cross_licences",
]

CROSS_NOTE = "专利池池内交叉许可（免许可费、普通许可）"


def cross_ref(pool: Pool, member: PoolMember) -> str:
    """The ledger ``source_ref`` of the cross-licence a pool grants one member."""
    return f"专利池{pool.pk}-池内交叉许可-成员{member.org_id}"


def record_change(
    actor: Any, pp: PoolPatent, to_status: str, *, on: dt.date, reason: str, source: str
) -> PoolPatentStatusChange:
    """Store one status change of ``pp`` (dated ``on``) and audit it; the caller holds the
    transaction."""
    before = pp.status
    change = PoolPatentStatusChange.objects.create(
        pool_patent=pp,
        from_status=before,
        to_status=to_status,
        on_date=on,
        reason=reason[:500],
        source=source,
    )
    pp.status, pp.status_since, pp.status_reason = to_status, on, reason[:500]
    pp.save(update_fields=["status", "status_since", "status_reason"])
    audit.record(
        "pools.patent.status_changed",
        actor=actor,
        target=pp.pool,
        org=pp.pool.agency_org,
        data={
            "patent": pp.patent.application_number,
            "before": {"pool_status": before},
            "after": {"pool_status": to_status},
            "on": on.isoformat(),
            "reason": reason[:500],
        },
    )
    return change


def sync_cross_licences(actor: Any, pool: Pool) -> int:
    """Every member holds a royalty-free ordinary licence under every other member's patents in
    the pool (from the later of admission and joining); idempotent. Returns rows written."""
    members = list(PoolMember.objects.filter(pool=pool, left_on__isnull=True).select_related("org"))
    patents = PoolPatent.objects.filter(pool=pool).exclude(status=PatentStatusChoices.REMOVED)
    written = 0
    for pp in patents.select_related("patent"):
        for m in members:
            if m.pk == pp.member_id:
                continue
            record_right_event(
                actor,
                pp.patent,
                kind=RightKindChoices.LICENCE,
                sub_kind="ordinary",
                start=max(pp.admitted_on, m.joined_on),
                end=None,
                counterparty=m.org.name,
                counterparty_uscc=m.org.uscc or "",
                source=RightSourceChoices.POOL,
                source_ref=cross_ref(pool, m),
                note=f"{pool.name}：{CROSS_NOTE}",
                is_demo=pool.is_demo,
                check_access=False,
            )
            written += 1
    return written


def end_cross_licences(actor: Any, pp: PoolPatent, *, on: dt.date) -> int:
    """End the pool's cross-licences under a patent that left the pool (the day before ``on``)."""
    rows = RightEvent.objects.filter(
        patent=pp.patent,
        source=RightSourceChoices.POOL,
        source_ref__startswith=f"专利池{pp.pool_id}-",
        end_date__isnull=True,
    )
    ended = 0
    for row in rows:
        record_right_event(
            actor,
            pp.patent,
            kind=row.kind,
            sub_kind=row.sub_kind,
            start=row.start_date,
            end=max(row.start_date, on - dt.timedelta(days=1)),
            counterparty=row.counterparty,
            counterparty_uscc=row.counterparty_uscc,
            source=row.source,
            source_ref=row.source_ref,
            note=row.note,
            is_demo=row.is_demo,
            check_access=False,
        )
        ended += 1
    return ended


def refresh_patent(pp: PoolPatent, as_of: dt.date, *, actor: Any = None) -> list[PoolPatentStatusChange]:
    """Bring ``pp``'s status up to ``as_of`` from its ledger: every change since the current
    status began is stored with the day it took effect. Removal is final."""
    if pp.status == PatentStatusChoices.REMOVED or as_of < pp.status_since:
        return []
    changes: list[PoolPatentStatusChange] = []
    with transaction.atomic():
        pp = PoolPatent.objects.select_for_update().select_related("patent", "pool__agency_org").get(pk=pp.pk)
        if pp.status == PatentStatusChoices.REMOVED:
            return []
        facts = patent_facts(pp.patent, as_of)
        timeline = status_timeline(
            facts, ledger_events(pp.patent), pp.status_since, as_of, withdrawn_on=pp.withdrawn_on
        )
        for step in timeline:
            if step.status.value == pp.status:
                continue
            source = (
                ChangeSourceChoices.WITHDRAWAL if "withdrawn" in step.kinds else ChangeSourceChoices.LEDGER
            )
            reason = "；".join(step.reasons) or "权利负担已解除，恢复在池"
            changes.append(
                record_change(actor, pp, step.status.value, on=step.on, reason=reason, source=source)
            )
            if step.status.value == PatentStatusChoices.REMOVED:
                end_cross_licences(actor, pp, on=step.on)
        pp.checked_on = as_of
        pp.save(update_fields=["checked_on"])
    return changes


def sweep(as_of: dt.date, *, actor: Any = None) -> dict[str, int]:
    """The nightly run: refresh every pool patent not yet removed; one audit event with the counts."""
    counts = {"checked": 0, "suspended": 0, "removed": 0, "admitted": 0}
    rows = PoolPatent.objects.exclude(status=PatentStatusChoices.REMOVED).exclude(
        pool__state=PoolStateChoices.DISSOLVED
    )
    for pp in rows.order_by("pk"):
        counts["checked"] += 1
        for change in refresh_patent(pp, as_of, actor=actor):
            counts[change.to_status] += 1
    with transaction.atomic():
        audit.record("pools.sweep.ran", actor=actor, data={"as_of": as_of.isoformat(), **counts})
    return counts

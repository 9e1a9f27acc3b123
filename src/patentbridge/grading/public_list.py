"""The public implementation list kept in step with the patents: daily recomputation, the
patentee's notification, recorded implementations (which take a patent off), and the route the
patentee chooses (exchange listing or open-licence declaration). Every change is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.core.models import Notification
from patentbridge.grading.models import Implementation, PublicListEntry
from patentbridge.grading.services import implemented_on
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import restrict
from patentbridge_engine.grading import policy_for
from patentbridge_engine.grading.public_list import ListCandidate, list_entries

__all__ = [
    "EXPORT_HEADER",
    "acting_patent_ids",
    "choose_route",
    "export_rows",
    "may_act_for",
    "recompute_public_list",
    "record_implementation",
]


def _candidates() -> tuple[list[ListCandidate], dict[str, Patent]]:
    patents = {
        p.application_number: p for p in Patent.objects.filter(fiscal_funded=True).select_related("owner_org")
    }
    first = implemented_on([p.pk for p in patents.values()])
    candidates = [
        ListCandidate(
            id=number,
            fiscal_funded=p.fiscal_funded,
            legal_status=p.legal_status or None,
            grant_date=p.grant_date,
            filing_date=p.filing_date,
            province=p.province,
            city=p.city,
            implemented_on=first.get(p.pk),
            transfer_count=p.transfer_count,
            license_count=p.license_count,
        )
        for number, p in patents.items()
    ]
    return candidates, patents


def _leave_reason(patent: Patent, first_implemented: dt.date | None) -> str:
    if first_implemented is not None:
        return f"已记录实施（{first_implemented.isoformat()}）"
    if (patent.license_count or 0) > 0 or (patent.transfer_count or 0) > 0:
        return "已有许可或转让记录"
    if patent.legal_status != "granted":
        return "专利权已不在有效状态"
    return "不再符合列入条件"


def _notify(patent: Patent, message: str) -> None:
    if patent.owner_org_id:
        Notification.objects.create(
            org_id=patent.owner_org_id, message=message[:500], url="/grading/public-list/"
        )


@transaction.atomic
def recompute_public_list(as_of: dt.date | None = None) -> dict[str, int]:
    """Bring the list in line with the rules on ``as_of``; returns entered/left/active counts."""
    as_of = as_of or timezone.localdate()
    policy = policy_for(as_of)
    candidates, patents = _candidates()
    due = {(e.id, e.jurisdiction): e for e in list_entries(candidates, as_of, policy)}
    existing = {
        (e.patent.application_number, e.jurisdiction): e
        for e in PublicListEntry.objects.select_related("patent").select_for_update()
    }
    entered = left = 0
    for key, entry in due.items():
        row = existing.get(key)
        if row is not None and row.left_on is None:
            continue
        patent = patents[entry.id]
        if row is None:
            row = PublicListEntry(patent=patent, jurisdiction=entry.jurisdiction)
        row.jurisdiction_label, row.policy_version, row.reason = (
            entry.jurisdiction_label,
            entry.policy_version,
            entry.reason,
        )
        row.since, row.government_use, row.left_on, row.left_reason = (
            entry.since,
            entry.government_use,
            None,
            "",
        )
        row.save()
        entered += 1
        audit.record(
            "grading.public_list.entered",
            actor=None,
            target=patent,
            org=patent.owner_org,
            data={
                "jurisdiction": entry.jurisdiction,
                "since": entry.since.isoformat(),
                "reason": entry.reason,
                "policy_version": entry.policy_version,
            },
        )
        _notify(
            patent,
            f"{patent.application_number}《{patent.title[:40]}》已列入{entry.jurisdiction_label}专利公开实施清单：{entry.reason}。请选择挂牌交易或开放许可。",
        )
    first = implemented_on([row.patent_id for row in existing.values()])
    for key, row in existing.items():
        if row.left_on is not None or key in due:
            continue
        row.left_on, row.left_reason = as_of, _leave_reason(row.patent, first.get(row.patent_id))
        row.save(update_fields=["left_on", "left_reason"])
        left += 1
        audit.record(
            "grading.public_list.left",
            actor=None,
            target=row.patent,
            org=row.patent.owner_org,
            data={"jurisdiction": row.jurisdiction, "reason": row.left_reason},
        )
        _notify(
            row.patent,
            f"{row.patent.application_number} 已移出{row.jurisdiction_label}专利公开实施清单：{row.left_reason}",
        )
    active = PublicListEntry.objects.filter(left_on=None).count()
    return {"entered": entered, "left": left, "active": active}


def may_act_for(user: Any, patent: Patent) -> bool:
    """Operators, and the TTO of the patent's own organisation."""
    if policies.is_platform_wide(user):
        return True
    return (
        policies.can(user, "grading.public_list.act")
        and restrict(Patent.objects.filter(pk=patent.pk), user, "change").exists()
    )


def acting_patent_ids(user: Any, patents: Iterable[Patent]) -> set[int]:
    """The ids among ``patents`` the user may act for (``may_act_for`` for a page in one query)."""
    ids = [p.pk for p in patents]
    if policies.is_platform_wide(user):
        return set(ids)
    if not ids or not policies.can(user, "grading.public_list.act"):
        return set()
    return set(restrict(Patent.objects.filter(pk__in=ids), user, "change").values_list("pk", flat=True))


@transaction.atomic
def record_implementation(
    *, actor: Any, patent: Patent, kind: str, date: dt.date, evidence: str
) -> Implementation:
    """Record an implementation with its evidence; the list is brought up to date at once."""
    if not may_act_for(actor, patent):
        raise PermissionDenied("只有本单位技术转移人员或运营人员可以登记实施")
    if kind not in Implementation.Kind.values:
        raise ValidationError({"kind": "请选择实施方式"})
    if not evidence.strip():
        raise ValidationError({"evidence": "请说明证明材料（合同编号、产品或销售证明等）"})
    if date > timezone.localdate():
        raise ValidationError({"date": "实施日期不能晚于今天"})
    record = Implementation.objects.create(
        patent=patent, kind=kind, date=date, evidence=evidence.strip(), recorded_by=actor
    )
    audit.record(
        "grading.implementation.recorded",
        actor=actor,
        target=patent,
        org=patent.owner_org,
        data={"kind": kind, "date": date.isoformat(), "evidence": evidence.strip()[:300]},
    )
    recompute_public_list()
    return record


@transaction.atomic
def choose_route(*, actor: Any, entry: PublicListEntry, route: str, note: str = "") -> PublicListEntry:
    """The patentee's route for a listed patent: exchange listing or an open-licence declaration."""
    if not may_act_for(actor, entry.patent):
        raise PermissionDenied("只有本单位技术转移人员或运营人员可以选择实施途径")
    if route not in (PublicListEntry.Route.EXCHANGE, PublicListEntry.Route.OPEN_LICENCE):
        raise ValidationError({"route": "请选择“在交易平台挂牌”或“开放许可声明”"})
    if entry.left_on is not None:
        raise ValidationError({"route": "该专利已移出清单"})
    before = {"route": entry.route, "note": entry.route_note}
    entry.route, entry.route_note = route, note.strip()
    entry.route_by, entry.route_at = actor, timezone.now()
    entry.save(update_fields=["route", "route_note", "route_by", "route_at"])
    audit.record(
        "grading.public_list.route_chosen",
        actor=actor,
        target=entry.patent,
        org=entry.patent.owner_org,
        data={
            "jurisdiction": entry.jurisdiction,
            "before": before,
            "after": {"route": route, "note": entry.route_note},
        },
    )
    return entry


EXPORT_HEADER = (
    "地区",
    "申请号",
    "专利名称",
    "专利权人",
    "应列入日期",
    "列入理由",
    "政府可实施",
    "实施途径",
    "策略版本",
    "移出日期",
    "移出理由",
)


def export_rows(entries: Iterable[PublicListEntry]) -> Iterator[tuple[Any, ...]]:
    """One export row per list entry, in ``EXPORT_HEADER`` order."""
    for e in entries:
        yield (
            e.jurisdiction_label,
            e.patent.application_number,
            e.patent.title,
            "；".join(e.patent.patentees or e.patent.applicants or []),
            e.since,
            e.reason,
            "是" if e.government_use else "否",
            e.get_route_display() if e.route else "",
            e.policy_version,
            e.left_on,
            e.left_reason,
        )

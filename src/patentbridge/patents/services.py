"""State changes of the library: form entry, the inventory approval chain, chain configuration.

Every function takes ``actor`` by keyword, checks permission, runs in one transaction and
writes its audit event in that transaction. Ownership of stored patents (who may overwrite
which, and what a refused writer is told) is decided in ``ownership.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core import audit, events
from patentbridge.patents.choices import LibraryStatusChoices as S
from patentbridge.patents.classification import invalidate_classifier, replace_classes
from patentbridge.patents.models import IndustryChain, Patent
from patentbridge.patents.ownership import REFUSED_FORM, may_change
from patentbridge.patents.parties import link_parties
from patentbridge.patents.queries import restrict
from patentbridge.patents.records import MODEL_FIELDS, apply_fields, snapshot
from patentbridge.patents.tasks import reclassify_all
from patentbridge_engine.classify import parse_chain_config
from patentbridge_engine.errors import InvalidIpcError
from patentbridge_engine.ingest.merge import merge_fields
from patentbridge_engine.ingest.pipeline import iter_outcomes
from patentbridge_engine.ingest.record import SourceRow

__all__ = [
    "approve_college",
    "approve_university",
    "create_patent",
    "reject_patent",
    "save_chains",
    "submit_patent",
    "update_patent",
]


def _record_from_form(data: dict[str, Any]) -> Any:
    """Validate form values through the same engine path an imported row takes."""
    outcome = next(iter_outcomes(iter([SourceRow(1, data)])))
    if outcome.record is None:
        raise ValidationError({issue.field: issue.reason for issue in outcome.issues})
    return outcome.record


@transaction.atomic
def create_patent(*, actor: Any, data: dict[str, Any], submit: bool = False) -> Patent:
    """An inventor or TTO enters a patent by form (盘点录入); ``submit`` sends it to college review."""
    policies.require(actor, "patents.create")
    record = _record_from_form(data)
    existing = Patent.objects.filter(application_number=record.application_number).first()
    if existing is not None:
        if may_change(actor, existing):
            raise ValidationError({"application_number": "该申请号的专利已在库中，请直接编辑该专利"})
        # One message for every patent the actor may not change (another organisation's draft,
        # pending or approved patent, a colleague's submission): see ownership.py.
        raise ValidationError({"application_number": REFUSED_FORM})
    member = policies.membership_of(actor)
    patent = Patent(
        application_number=record.application_number,
        owner_org=member.org if member is not None else None,
        submitted_by=actor,
        source_form=True,
        library_status=S.PENDING_COLLEGE if submit else S.DRAFT,
        self_assessment=data.get("self_assessment", ""),
    )
    apply_fields(patent, merge_fields({}, record), timezone.localdate())
    patent.save()
    replace_classes([patent])
    link_parties({patent.pk: (list(patent.applicants), list(patent.patentees))}, set())
    _reindex(patent)
    audit.record(
        "patents.patent.created",
        actor=actor,
        target=patent,
        data={"after": {"library_status": patent.library_status}, "source": "form"},
    )
    return patent


@transaction.atomic
def update_patent(*, actor: Any, patent: Patent, data: dict[str, Any]) -> Patent:
    """Edit bibliographic fields; the application number cannot change."""
    if not may_change(actor, patent):
        raise PermissionDenied("无权修改该专利")
    data = {**data, "application_number": patent.application_number}
    record = _record_from_form(data)
    before = snapshot(patent)
    merged = {**before, **{k: v for k, v in record.given_fields().items() if k in MODEL_FIELDS}}
    apply_fields(patent, merged, timezone.localdate())
    if "self_assessment" in data:
        patent.self_assessment = data["self_assessment"]
    patent.save()
    replace_classes([patent])
    link_parties({patent.pk: (list(patent.applicants), list(patent.patentees))}, {patent.pk})
    _reindex(patent)
    audit.record(
        "patents.patent.updated",
        actor=actor,
        target=patent,
        data=audit.diff(_plain(before), _plain(snapshot(patent)), MODEL_FIELDS),
    )
    return patent


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def _transition(
    actor: Any,
    patent: Patent,
    action: str,
    allowed_from: tuple[str, ...],
    to: str,
    audit_action: str,
    extra: dict[str, Any] | None = None,
) -> Patent:
    if not restrict(Patent.objects.filter(pk=patent.pk), actor, action).exists():
        raise PermissionDenied("无权执行该审核操作")
    patent = Patent.objects.select_for_update().get(pk=patent.pk)
    if patent.library_status not in allowed_from:
        raise ValidationError(f"当前状态“{patent.get_library_status_display()}”不能执行此操作")
    before = patent.library_status
    patent.library_status = to
    fields = ["library_status", "updated_at"]
    for key, value in (extra or {}).items():
        setattr(patent, key, value)
        fields.append(key)
    patent.save(update_fields=fields)
    audit.record(
        audit_action,
        actor=actor,
        target=patent,
        data={"before": {"library_status": before}, "after": {"library_status": to, **(extra or {})}},
    )
    return patent


@transaction.atomic
def submit_patent(*, actor: Any, patent: Patent) -> Patent:
    """Inventor (or TTO) sends a draft or returned patent to college review."""
    return _transition(
        actor,
        patent,
        "change",
        (S.DRAFT, S.REJECTED),
        S.PENDING_COLLEGE,
        "patents.patent.submitted",
        {"review_note": ""},
    )


@transaction.atomic
def approve_college(*, actor: Any, patent: Patent, note: str = "") -> Patent:
    """学院审核通过 → 待学校审核."""
    return _transition(
        actor,
        patent,
        "review",
        (S.PENDING_COLLEGE,),
        S.PENDING_UNIVERSITY,
        "patents.patent.college_approved",
        {"review_note": note},
    )


@transaction.atomic
def approve_university(*, actor: Any, patent: Patent, self_assessment: str, note: str = "") -> Patent:
    """学校审核通过 → 登记入库, with the value self-assessment the chain requires."""
    member = policies.membership_of(actor)
    if member is not None and member.role == RoleChoices.TTO and member.college:
        raise PermissionDenied("学院审核员不能执行学校审核")
    if self_assessment not in ("good", "fairly_good", "average"):
        raise ValidationError({"self_assessment": "入库前须填写价值分级自评（好/较好/一般）"})
    return _transition(
        actor,
        patent,
        "review",
        (S.PENDING_UNIVERSITY,),
        S.IN_LIBRARY,
        "patents.patent.approved",
        {"self_assessment": self_assessment, "review_note": note},
    )


@transaction.atomic
def reject_patent(*, actor: Any, patent: Patent, reason: str) -> Patent:
    """Return a pending patent to its submitter with a written reason."""
    if not reason.strip():
        raise ValidationError({"reason": "退回时必须填写原因"})
    return _transition(
        actor,
        patent,
        "review",
        (S.PENDING_COLLEGE, S.PENDING_UNIVERSITY),
        S.REJECTED,
        "patents.patent.rejected",
        {"review_note": reason.strip()},
    )


@transaction.atomic
def save_chains(*, actor: Any, config: dict[str, Any], reclassify: bool = True) -> int:
    """Replace the industry-chain configuration (validated by the engine) and reclassify."""
    policies.require(actor, "classify.configure")
    try:
        chains = parse_chain_config(config)
    except (KeyError, ValueError, InvalidIpcError) as exc:
        raise ValidationError(f"产业链配置无效：{exc}") from exc
    before = list(IndustryChain.objects.values("code", "name", "ipc_patterns", "keywords"))
    IndustryChain.objects.all().delete()
    items = {str(i["code"]): i for i in config.get("chains", [])}
    IndustryChain.objects.bulk_create(
        IndustryChain(
            code=c.code,
            name=c.name,
            ipc_patterns=list(items[c.code].get("ipc", [])),
            keywords=list(c.keywords),
            region=config.get("region", "山东"),
            position=n,
        )
        for n, c in enumerate(chains)
    )
    invalidate_classifier()
    audit.record("patents.chains.saved", actor=actor, data={"before": before, "after": list(items.values())})
    if reclassify:
        transaction.on_commit(_reclassify_all)
    return len(chains)


def _reindex(patent: Patent) -> None:
    """Announce the change: search, teams and grades follow once this transaction commits."""
    events.announce(events.PATENTS_CHANGED, [patent.application_number])


def _reclassify_all() -> None:

    reclassify_all.enqueue()

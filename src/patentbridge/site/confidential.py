"""Audit events about confidential records are readable only inside the record's organisation.

A pre-filing assessment (申请前评估) holds an unpublished invention: its title must not reach
operators or administrators of other organisations through the audit log, although the platform
roles otherwise see every event. Targets are named by model label (core imports no feature app);
each listed model has an ``org`` foreign key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet

from patentbridge.accounts import policies
from patentbridge.core.models import AuditEvent

__all__ = ["CONFIDENTIAL_TARGETS", "MASK", "mask_confidential", "without_foreign_confidential"]

# Model labels (``AuditEvent.target_type``) whose records are confidential to their organisation.
CONFIDENTIAL_TARGETS = ("grading.assessment",)
MASK = "（保密的申请前评估）"


def _own_target_ids(label: str, user: Any, among: list[str] | None = None) -> set[str]:
    """Ids (as audit strings) of the ``label`` records that belong to the user's organisation."""
    member = policies.membership_of(user)
    if member is None:
        return set()
    records = apps.get_model(label)._default_manager.filter(org=member.org)
    if among is not None:
        records = records.filter(pk__in=[i for i in among if i.isdigit()])
    return {str(pk) for pk in records.values_list("pk", flat=True)}


def mask_confidential(events: Iterable[AuditEvent], user: Any) -> None:
    """Replace the description (and data) of confidential events outside the user's organisation.

    The event itself stays listed, so the log still shows that something happened and by whom.
    """
    events = list(events)
    for label in CONFIDENTIAL_TARGETS:
        ids = [e.target_id for e in events if e.target_type == label]
        if not ids:
            continue
        own = _own_target_ids(label, user, ids)
        for event in events:
            if event.target_type == label and event.target_id not in own:
                event.object_repr, event.data = MASK, {}


def without_foreign_confidential(queryset: QuerySet[AuditEvent], user: Any) -> QuerySet[AuditEvent]:
    """``queryset`` minus confidential events of other organisations (for views with free-text search)."""
    for label in CONFIDENTIAL_TARGETS:
        queryset = queryset.exclude(Q(target_type=label) & ~Q(target_id__in=_own_target_ids(label, user)))
    return queryset

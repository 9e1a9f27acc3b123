"""Site notifications to an organisation: list, unread count, and marking them read (audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.core.models import Notification

__all__ = ["mark_all_read", "notifications_for", "unread_count"]


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's organisation's notifications, newest first; none without a membership."""
    member = policies.membership_of(user)
    if member is None:
        return Notification.objects.none()
    return Notification.objects.filter(org=member.org)


def unread_count(user: Any) -> int:
    """How many of the organisation's notifications nobody has read yet."""
    return notifications_for(user).filter(read_at__isnull=True).count()


@transaction.atomic
def mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor's organisation read; one audit event per change."""
    unread = list(notifications_for(actor).filter(read_at__isnull=True).values_list("pk", flat=True))
    if not unread:
        return 0
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    member = policies.membership_of(actor)
    audit.record(
        "core.notifications.read", actor=actor, target=member.org, org=member.org, data={"ids": unread}
    )
    return len(unread)

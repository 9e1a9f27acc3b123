"""The enterprise's inbox state: which pushed patents it has not looked at yet (the unread badge)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.matching.models import MatchItem
from patentbridge.matching.queries import restrict_items

__all__ = ["mark_inbox_seen", "unseen_items"]


def unseen_items(user: Any) -> QuerySet[MatchItem]:
    """Pushed patents for the user's enterprise that nobody of it has opened the inbox for yet."""
    if not policies.can(user, "matching.inbox"):
        return MatchItem.objects.none()
    return restrict_items(MatchItem.objects.all(), user).filter(seen_at__isnull=True)


@transaction.atomic
def mark_inbox_seen(*, actor: Any) -> int:
    """Record that the enterprise has seen every pushed patent now in its inbox; returns how many
    were new. Audited once per change (not per item), so reading the inbox costs one event at most."""
    unseen = list(unseen_items(actor).values_list("pk", flat=True))
    if not unseen:
        return 0
    MatchItem.objects.filter(pk__in=unseen).update(seen_at=timezone.now())
    member = policies.membership_of(actor)
    audit.record(
        "matching.inbox.seen",
        actor=actor,
        target=member.org,
        org=member.org,
        data={"items": unseen},
    )
    return len(unseen)

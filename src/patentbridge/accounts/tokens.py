"""Bookkeeping of API tokens: when each was last used (not an audited change: it records use, not
a decision, and must never slow down or fail a read-only API call)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from patentbridge.accounts.models import ApiToken
from patentbridge.core.dblock import quick_write

__all__ = ["touch_token"]

logger = logging.getLogger(__name__)


def touch_token(token: ApiToken) -> None:
    """Record a token's last use, at most once per ``PATENTBRIDGE_TOKEN_TOUCH_SECONDS``.

    Best effort: read-only API calls must keep working while an import holds SQLite's write lock,
    so the write is skipped when recent, runs after the caller's transaction (on commit, i.e. at
    once outside one), waits at most ~100 ms for the lock and never fails the request."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.PATENTBRIDGE_TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and token.last_used_at > stale_before:
        return

    def write() -> None:
        try:
            with quick_write():
                # The condition makes concurrent requests of one token write once.
                ApiToken.objects.filter(pk=token.pk).filter(
                    Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale_before)
                ).update(last_used_at=now)
        except DatabaseError as exc:
            logger.info("API 令牌最近使用时间未记录（数据库繁忙）：%s", exc)

    transaction.on_commit(write)

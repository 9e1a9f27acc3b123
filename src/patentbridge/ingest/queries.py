"""Who may see which import batches."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from patentbridge.accounts import policies
from patentbridge.ingest.models import ImportBatch

__all__ = ["batch_rule"]


def batch_rule(queryset: QuerySet[ImportBatch], user: Any, action: str = "view") -> QuerySet[ImportBatch]:
    """Platform roles see every batch; TTO staff their organisation's; other roles none (403)."""
    if not policies.can(user, "ingest.import"):
        raise PermissionDenied("无权查看数据导入")
    if policies.is_platform_wide(user):
        return queryset
    return queryset.filter(org=policies.membership_of(user).org)

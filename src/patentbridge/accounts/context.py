"""Template context: the current member's organisation and role, and what they may do."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.accounts import policies


def membership(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    member = policies.membership_of(user)
    return {
        "membership": member,
        "role": policies.role_of(user),
        "may_import": bool(user) and policies.can(user, "ingest.import"),
        "may_audit": bool(user) and policies.can(user, "audit.view"),
        "may_create": bool(user) and policies.can(user, "patents.create"),
        "may_review": bool(user) and policies.can(user, "patents.review"),
        "may_configure": bool(user) and policies.can(user, "classify.configure"),
        "may_curate": policies.is_platform_wide(user),
    }

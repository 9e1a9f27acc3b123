"""API authentication: the browser session (with CSRF) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from patentbridge.accounts.models import ApiToken
from patentbridge.accounts.tokens import touch_token

__all__ = ["TokenAuth", "api_auth"]


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pb_…``; the token's user becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__membership")
            .filter(key_hash=ApiToken.hash_key(token))
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        touch_token(found)
        request.user = found.user
        return found.user


api_auth = [SessionAuth(), TokenAuth()]

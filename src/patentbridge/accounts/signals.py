"""Logins, failed logins, lockouts and logouts are recorded in the audit log.

Failed attempts carry the username tried and the client IP (never the password), so an operator
can see guessing in the audit log; django-axes does the counting and the lockout.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from patentbridge.core import audit

__all__: list[str] = []

# The username column's length: longer "usernames" are attacker noise, cut so the row still fits.
_USERNAME_MAX = 150


def _client_ip(request: Any) -> str:
    """The address axes counts for this request (REMOTE_ADDR unless configured otherwise)."""
    if request is None:
        return ""
    from axes.helpers import get_client_ip_address

    return getattr(request, "axes_ip_address", None) or get_client_ip_address(request) or ""


def _tried(username: Any) -> str:
    """The username as typed, cut to the column's length."""
    return str(username or "")[:_USERNAME_MAX]


def _record_attempt(action: str, name: str, ip: str) -> None:
    """An event by an unauthenticated client: "anonymous" as actor, the named account as target.

    The event belongs to the named account's organisation, so its TTO staff see attacks on it too.
    """
    user = get_user_model().objects.filter(username=name).select_related("membership__org").first()
    membership = getattr(user, "membership", None) if user is not None else None
    with transaction.atomic():
        event = audit.build_event(
            action,
            actor=None,
            target=user,
            org=membership.org if membership is not None else None,
            data={"username": name, "ip": ip},
        )
        event.actor_name = "anonymous"  # "system" (build_event's default) would hide who acted
        event.save()


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record("accounts.user.logged_in", actor=user, target=user, data={"ip": _client_ip(request)})


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            audit.record("accounts.user.logged_out", actor=user, target=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; only the username is kept.
    _record_attempt("accounts.login.failed", _tried(credentials.get("username")), _client_ip(request))


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: Any, ip_address: Any, **kwargs: Any) -> None:
    _record_attempt("accounts.login.locked_out", _tried(username), str(ip_address or ""))

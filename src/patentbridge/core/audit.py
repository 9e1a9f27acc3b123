"""Writing audit events, and the request id that ties one request's events together."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from patentbridge.core.bulk import insert_rows
from patentbridge.core.models import AuditEvent

__all__ = [
    "EVENT_COLUMNS",
    "RequestIdMiddleware",
    "build_event",
    "current_request_id",
    "diff",
    "insert_event_rows",
    "record",
    "request_id_scope",
]

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("patentbridge_request_id", default="")


def current_request_id() -> str:
    """The id of the request (or command run) being served; empty outside one."""
    return _request_id.get()


class request_id_scope:
    """Set a request id for a block of code (CLI commands and background tasks)."""

    def __init__(self, value: str | None = None) -> None:
        self.value = value or uuid.uuid4().hex
        self._token: contextvars.Token[str] | None = None

    def __enter__(self) -> str:
        self._token = _request_id.set(self.value)
        return self.value

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _request_id.reset(self._token)


class RequestIdMiddleware:
    """Gives each request an id (or keeps the caller's ``X-Request-ID``) and echoes it back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        with request_id_scope(value):
            response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


def _actor_org(actor: Any) -> Any:
    membership = getattr(actor, "membership", None) if actor is not None else None
    return membership.org if membership is not None else None


def build_event(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    org: Any = None,
) -> AuditEvent:
    """An unsaved event (for bulk writes); ``record`` saves one immediately."""
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_username() if getattr(actor, "pk", None) else "system")
        if actor is not None
        else "system",
        org=org if org is not None else _actor_org(actor),
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        request_id=current_request_id(),
        data=data or {},
    )


# Column order of the rows ``insert_event_rows`` takes (bulk writers build tuples directly).
EVENT_COLUMNS = (
    "timestamp",
    "actor",
    "actor_name",
    "org",
    "action",
    "target_type",
    "target_id",
    "object_repr",
    "request_id",
    "data",
)


def insert_event_rows(rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert many events given as tuples in ``EVENT_COLUMNS`` order; inside the caller's transaction."""

    return insert_rows(AuditEvent, EVENT_COLUMNS, rows)


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    org: Any = None,
) -> AuditEvent:
    """Write one audit event; must run inside the caller's transaction (services are atomic)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
    event = build_event(action, actor=actor, target=target, data=data, org=org)
    event.save()
    return event


def diff(
    before: dict[str, Any], after: dict[str, Any], fields: Iterable[str] | None = None
) -> dict[str, Any]:
    """``{"before": {...}, "after": {...}}`` limited to the fields that changed."""
    keys = list(fields) if fields is not None else sorted(set(before) | set(after))
    changed = [k for k in keys if before.get(k) != after.get(k)]
    return {"before": {k: before.get(k) for k in changed}, "after": {k: after.get(k) for k in changed}}

"""What the deal views share: running a service call and telling the user how it went (a rule's
refusal shows its Chinese reason and code), looking up rows the user may see, and money links
that only appear once their pages exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, reverse

from patentbridge.core.actions import error_text
from patentbridge.core.ids import MAX_PK
from patentbridge.core.restrict import restrict
from patentbridge.licensing.errors import LicensingRefused

__all__ = ["flash_form_errors", "form_errors", "optional_url", "refused_text", "run", "visible_or_404"]

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def refused_text(exc: LicensingRefused) -> str:
    """「reason（规则 L7）」: the reason first, a numbered rule for whoever needs to look it up."""
    return exc.display()


def run(
    request: HttpRequest, call: Callable[[], T], success: str | Callable[[T], str] = ""
) -> tuple[bool, T | None]:
    """Run a service call; a ValidationError or LicensingRefused becomes an error message (services
    are atomic, so nothing changed), otherwise ``success`` is shown. PermissionDenied passes to
    the 403 page."""
    try:
        result = call()
    except LicensingRefused as exc:
        messages.error(request, refused_text(exc))
        return False, None
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False, None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def flash_form_errors(request: HttpRequest, form: Any) -> None:
    """Each invalid field's messages as one error message (forms posted from a page's buttons)."""
    for errors in form.errors.values():
        messages.error(request, "；".join(str(e) for e in errors))


def form_errors(form: Any, exc: ValidationError) -> None:
    """Attach a service's field errors to the form's fields (others to the form itself)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def visible_or_404(queryset: QuerySet[M], user: Any, pk: Any, action: str = "view") -> M:
    """The row ``pk`` if ``user`` may ``action`` it, else 404 (no hint that it exists)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404("未找到") from None
    if not 0 < key < MAX_PK:
        raise Http404("未找到")
    found = restrict(queryset, user, action).filter(pk=key).first()
    if found is None:
        raise Http404("未找到")
    return found


def optional_url(name: str, *args: Any, **kwargs: Any) -> str:
    """The URL of ``name`` or "" while that page does not exist (another module's pages)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""

"""The user's own profile: who they are, and their API tokens (create, see last use, revoke)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies, services
from patentbridge.accounts.models import ApiToken, Organization
from patentbridge.core.actions import flash_call

if TYPE_CHECKING:
    from patentbridge.core.http import AuthenticatedHttpRequest

__all__ = ["create_token", "organization_detail", "profile", "revoke_token"]


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """个人设置: membership and the user's API tokens; a new key is shown once, right after creation."""
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    new_key = request.session.pop("new_api_key", None)
    return render(request, "accounts/profile.html", {"tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    """Create a named token for oneself; the key goes to the next page view only (never stored)."""
    ok, result = flash_call(
        request,
        lambda: services.create_token(
            actor=request.user, user=request.user, name=request.POST.get("name", "")
        ),
    )
    if ok and result is not None:
        token, key = result
        request.session["new_api_key"] = {"name": token.name, "key": key}
    return redirect("profile")


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens (404 for anyone else's: no hint that it exists)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    name = token.name
    flash_call(request, lambda: services.revoke_token(actor=request.user, token=token), f"已吊销令牌“{name}”")
    return redirect("profile")


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """机构主页: who the organisation is (kind, region) and the sections other apps register for it
    (its library patents, its technology needs …), each applying its own access rule."""
    if not policies.can(request.user, "patents.view"):
        raise PermissionDenied("无权查看机构信息")
    org = get_object_or_404(Organization, pk=pk)
    return render(request, "accounts/organization.html", {"org": org})

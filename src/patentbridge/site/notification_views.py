"""The notifications page: opening it marks the organisation's notifications read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from patentbridge.site.notifications import mark_all_read, notifications_for

__all__ = ["notification_list"]


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """站内通知: the organisation's notifications; unread ones are highlighted once, then marked read."""
    unread = set(notifications_for(request.user).filter(read_at__isnull=True).values_list("pk", flat=True))
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    mark_all_read(actor=request.user)
    return render(request, "site/notifications.html", {"page": page, "unread": unread})

"""Home page and the audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from patentbridge.accounts import policies
from patentbridge.analytics.views import dashboard_context
from patentbridge.core.models import AuditEvent, Notification
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import restrict
from patentbridge.site.confidential import mask_confidential


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Overview of what this user can see."""
    visible = restrict(Patent.objects.all(), request.user)
    by_status = dict(visible.order_by().values_list("library_status").annotate(n=Count("pk")))
    member = policies.membership_of(request.user)
    notices = Notification.objects.filter(org=member.org)[:10] if member is not None else []
    context = {"total": visible.count(), "by_status": by_status, "notices": notices}
    return render(request, "site/home.html", {**context, **dashboard_context(request)})


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Audit events: everything for platform roles, the own organisation's for TTO staff; events about
    another organisation's confidential records (pre-filing assessments) are masked."""
    policies.require(request.user, "audit.view")
    qs = AuditEvent.objects.select_related("org")
    if not policies.is_platform_wide(request.user):
        qs = qs.filter(org=policies.membership_of(request.user).org)
    action = request.GET.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    # Platform roles see every event, but not the titles of other organisations' confidential drafts.
    page.object_list = list(page.object_list)
    mask_confidential(page.object_list, request.user)
    return render(request, "site/audit.html", {"page": page, "action": action})

"""Need pages: list, post, detail with classification reasons, operator correction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from patentbridge.accounts import policies
from patentbridge.core.actions import flash_call
from patentbridge.demands import services
from patentbridge.demands.forms import IpcForm, NeedForm
from patentbridge.demands.queries import get_need


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    """Needs this user may see, newest first, with a keyword filter."""
    qs = services.visible(request.user)
    if not policies.role_of(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(description__icontains=q)
    page = Paginator(qs.order_by("-created_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "demands/list.html", {"page": page, "q": q})


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    """发布技术需求 (enterprise users; operators on an enterprise's behalf)."""
    form = NeedForm(request.POST or None)
    if not policies.is_platform_wide(request.user):
        del form.fields["org"]
    if request.method == "POST" and form.is_valid():
        try:
            need = services.create_need(
                actor=request.user, data=form.cleaned_data, org=form.cleaned_data.get("org")
            )
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, "需求已发布，系统已给出分类建议")
            return redirect("demands:detail", pk=need.pk)
    elif request.method == "GET" and not policies.can(request.user, "demands.post"):
        raise PermissionDenied("只有企业用户或运营人员可以发布技术需求")
    return render(request, "demands/form.html", {"form": form})


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The need with its suggested IPC (scores, words) and chains (reasons); operators may correct the IPC."""
    need = get_need(request.user, pk)
    form = IpcForm(request.POST or None, initial={"ipc": ";".join(need.ipc)})
    if request.method == "POST":
        flash_call(
            request,
            lambda: services.set_need_ipc(
                actor=request.user, need=need, ipc_text=request.POST.get("ipc", "")
            ),
            "分类已更新",
        )
        return redirect("demands:detail", pk=need.pk)
    # Shortlist, funnel, candidates and teams are panels the matching app registers (core/panels.py).
    return render(
        request,
        "demands/detail.html",
        {"need": need, "form": form, "may_edit": policies.is_platform_wide(request.user)},
    )

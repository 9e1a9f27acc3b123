"""Curation, push, the enterprise inbox with feedback, and the operators' funnel overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from patentbridge.accounts import policies
from patentbridge.core.actions import flash_call, safe_next
from patentbridge.core.restrict import restrict
from patentbridge.demands.models import TechNeed
from patentbridge.demands.queries import get_need
from patentbridge.matching import services
from patentbridge.matching.inbox import mark_inbox_seen
from patentbridge.matching.models import InventorTeam, MatchItem
from patentbridge.matching.prospects import may_market, prospects_for
from patentbridge.matching.queries import may_curate, restrict_items
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import get_patent


@login_required
@require_POST
def curate(request: HttpRequest, pk: int) -> HttpResponse:
    """入选 / 剔除 / 取消入选 / 备注 one patent for a need (operators)."""
    if not may_curate(request.user):
        raise PermissionDenied("只有运营人员可以筛选匹配结果")
    need = get_need(request.user, pk)
    number, action = request.POST.get("patent", ""), request.POST.get("action", "")
    flash_call(
        request,
        lambda: services.curate(
            actor=request.user,
            need=need,
            application_number=number,
            action=action,
            note=request.POST.get("note", ""),
        ),
        _CURATED.get(action, "已保存").format(number=number),
    )
    return redirect("demands:detail", pk=need.pk)


# What the operator is told after each curation action (the row moves, so say where it went).
_CURATED = {
    "pin": "已入选 {number}：它已移入上方“入选清单”，推送前可取消入选",
    "drop": "已剔除 {number}：它不会再出现在该需求的候选专利中",
    "unpin": "已取消入选 {number}：它回到了候选专利中",
    "note": "已保存 {number} 的备注，推送时企业将看到这条说明",
}


@login_required
@require_POST
def push(request: HttpRequest, pk: int) -> HttpResponse:
    """推送入选清单 to the enterprise (operators)."""
    if not may_curate(request.user):
        raise PermissionDenied("只有运营人员可以推送")
    need = get_need(request.user, pk)
    flash_call(
        request,
        lambda: services.push_shortlist(actor=request.user, need=need, note=request.POST.get("note", "")),
        lambda sent: f"已向{need.org.name}推送 {sent.item_count} 件专利",
    )
    return redirect("demands:detail", pk=need.pk)


@login_required
@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """有意向 / 不相关 on a pushed patent (the enterprise that posted the need)."""
    item = get_object_or_404(restrict_items(MatchItem.objects.select_related("need"), request.user), pk=pk)
    flash_call(
        request,
        lambda: services.give_feedback(
            actor=request.user,
            item=item,
            verdict=request.POST.get("verdict", ""),
            reason=request.POST.get("reason", ""),
        ),
        "反馈已记录，谢谢",
    )
    return redirect(safe_next(request, "matching:inbox"))


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """推送收件箱: patents pushed to the user's enterprise, newest first, awaiting answers on top."""
    if not policies.can(request.user, "matching.inbox"):
        raise PermissionDenied("推送收件箱仅供企业用户使用")
    items = restrict_items(MatchItem.objects.select_related("need", "patent", "push"), request.user).order_by(
        "feedback", "-push__created_at", "-score"
    )
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    # Highlight what is new on this visit, then record that the enterprise has seen it.
    new = {it.pk for it in page if it.seen_at is None}
    mark_inbox_seen(actor=request.user)
    return render(request, "matching/inbox.html", {"page": page, "new": new})


@login_required
def funnel_list(request: HttpRequest) -> HttpResponse:
    """The funnel of every need: pinned, dropped, pushed, interested, not relevant, awaiting."""
    if not may_curate(request.user):
        raise PermissionDenied("匹配漏斗仅供运营人员查看")
    needs = services.funnels(restrict(TechNeed.objects.select_related("org"), request.user))
    page = Paginator(needs.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "matching/funnels.html", {"page": page})


@login_required
def patent_prospects(request: HttpRequest, number: str) -> HttpResponse:
    """潜在需求方: open needs and enterprises that this patent could serve (reverse matching)."""
    patent = get_patent(request.user, number)
    if not may_market(request.user, patent):
        raise PermissionDenied("只能为本单位的专利查找潜在需求方")
    needs, enterprises = prospects_for(request.user, patent)
    return render(
        request,
        "matching/prospects.html",
        {
            "patent": patent,
            "needs": needs,
            "enterprises": enterprises,
            "strong_count": sum(1 for n in needs if n.strength == "strong"),
        },
    )


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    """发明人团队: teams of the approved library, searchable by name, institution or topic."""
    policies.require(request.user, "patents.view")
    q = request.GET.get("q", "").strip()
    teams = InventorTeam.objects.all()
    if q:
        teams = teams.filter(Q(lead__icontains=q) | Q(institution__icontains=q) | Q(topics__icontains=q))
    page = Paginator(teams, 30).get_page(request.GET.get("page"))
    return render(request, "matching/teams.html", {"page": page, "q": q})


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A team's profile and its library patents."""
    policies.require(request.user, "patents.view")
    team = get_object_or_404(InventorTeam, pk=pk)
    patents = restrict(Patent.objects.filter(application_number__in=team.patent_numbers), request.user)
    return render(request, "matching/team.html", {"team": team, "patents": patents.order_by("-filing_date")})

"""What matching adds to other apps' pages (registered in ``MatchingConfig.ready``): on the patent page
the way to its prospects; on the need page the shortlist, funnel, candidates and inventor teams."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.accounts import policies
from patentbridge.core.panels import register_panel
from patentbridge.matching.models import MatchItem
from patentbridge.matching.prospects import may_market
from patentbridge.matching.queries import may_curate, restrict_items
from patentbridge.matching.services import candidates, funnel
from patentbridge.matching.teams import match_teams
from patentbridge_engine.search.strength import STRENGTH_EXPLANATIONS

__all__ = ["register"]


def _prospects_link(request: HttpRequest, patent: Any) -> dict[str, Any] | None:
    return {"patent": patent} if may_market(request.user, patent) else None


def _is_owner(request: HttpRequest, need: Any) -> bool:
    member = policies.membership_of(request.user)
    return (
        policies.can(request.user, "matching.feedback")
        and member is not None
        and member.org_id == need.org_id
    )


def _shortlist_context(request: HttpRequest, need: Any) -> dict[str, Any]:
    curator = may_curate(request.user)
    items = restrict_items(MatchItem.objects.filter(need=need).select_related("patent", "push"), request.user)
    return {
        "need": need,
        "items": items,
        "funnel": funnel(need) if curator else None,
        "may_curate": curator,
        "is_owner": _is_owner(request, need),
    }


def _owner_shortlist(request: HttpRequest, need: Any) -> dict[str, Any] | None:
    """The enterprise that posted the need sees what was pushed to it first (or that nothing was yet)."""
    return _shortlist_context(request, need) if _is_owner(request, need) else None


def _shortlist(request: HttpRequest, need: Any) -> dict[str, Any] | None:
    return None if _is_owner(request, need) else _shortlist_context(request, need)


def _candidates(request: HttpRequest, need: Any) -> dict[str, Any]:
    curator = may_curate(request.user)
    matches = candidates(need)
    return {
        "need": need,
        "matches": matches,
        "may_curate": curator,
        # Counts say 强相关 N 件, never "N related patents" for everything that shares a word.
        "strong_count": sum(1 for m in matches if m.strength == "strong"),
        "strength_explanations": list(STRENGTH_EXPLANATIONS.values()),
    }


def _teams(request: HttpRequest, need: Any) -> dict[str, Any]:
    return {"need": need, "teams": match_teams(need)}


def register() -> None:
    """Patent page: prospects link in the header. Need page: shortlist (lead for its enterprise),
    funnel and shortlist for operators, candidates, teams."""
    register_panel("patent", "prospects", "matching/_prospects_link.html", _prospects_link, slot="lead")
    register_panel("need", "owner_shortlist", "matching/_need_shortlist.html", _owner_shortlist, slot="lead")
    register_panel("need", "shortlist", "matching/_need_shortlist.html", _shortlist, order=10)
    register_panel("need", "candidates", "matching/_need_candidates.html", _candidates, order=20)
    register_panel("need", "teams", "matching/_need_teams.html", _teams, order=30)

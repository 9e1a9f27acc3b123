"""Reverse matching (专利找买家): a patent → the open needs and the enterprises likely to want it.

For a TTO marketing a patent: the patent's title and abstract are run against the needs index
(the same hybrid search as need → patent), limited to needs the user may see, and the hits are
grouped by the enterprise that posted them. Words generic in the needs corpus (系统, 控制, 设计 …,
``generic_words.py``) are dropped from the patent's text first, so needs are ranked by what the
patent is about, and hits keep the same strength labels (强相关 / 可能相关 / 弱相关).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core.restrict import restrict
from patentbridge.demands.models import TechNeed
from patentbridge.matching.generic_words import generic_need_words, strip_generic
from patentbridge.matching.needs import HitView
from patentbridge.patents.models import Patent
from patentbridge.search.index import get_needs_index
from patentbridge_engine.search.hybrid import Hit

__all__ = ["EnterpriseProspect", "NeedProspect", "may_market", "prospects_for"]

# Characters of the abstract used as the query (the encoder reads 512 tokens at most).
_QUERY_CHARS = 400


@dataclass(frozen=True)
class NeedProspect(HitView):
    """An open need this patent could answer, and why."""

    need: TechNeed
    hit: Hit


@dataclass
class EnterpriseProspect:
    """An enterprise with the needs that make it a likely licensee, best first."""

    org: Any
    score: float
    needs: list[NeedProspect] = field(default_factory=list)


def may_market(user: Any, patent: Patent) -> bool:
    """Operators for any patent; a university's TTO for its organisation's; an inventor for their own."""
    if policies.is_platform_wide(user):
        return True
    role, member = policies.role_of(user), policies.membership_of(user)
    if role == RoleChoices.TTO:
        return patent.owner_org_id is not None and patent.owner_org_id == member.org_id
    if role == RoleChoices.INVENTOR:
        return bool(patent.submitted_by_id == user.pk)
    return False


def prospects_for(
    user: Any, patent: Patent, k: int = 20
) -> tuple[list[NeedProspect], list[EnterpriseProspect]]:
    """The best ``k`` needs for ``patent`` among those ``user`` may see, and the same grouped by enterprise."""
    if not may_market(user, patent):
        raise PermissionDenied("只能为本单位的专利查找潜在需求方")
    visible = restrict(TechNeed.objects.filter(status="open"), user)
    allowed = {str(pk) for pk in visible.values_list("pk", flat=True)}
    if not allowed:
        return [], []
    text = strip_generic(f"{patent.title}。{(patent.abstract or '')[:_QUERY_CHARS]}", generic_need_words())
    if not text.strip():
        return [], []
    hits = get_needs_index().search(text, k, allowed=allowed, query_ipc=list(patent.ipc or []))
    needs = TechNeed.objects.select_related("org").in_bulk([int(h.id) for h in hits])
    ranked = [NeedProspect(needs[int(h.id)], h) for h in hits if int(h.id) in needs]
    by_org: dict[int, EnterpriseProspect] = {}
    for prospect in ranked:
        org = prospect.need.org
        entry = by_org.setdefault(org.pk, EnterpriseProspect(org=org, score=0.0))
        entry.needs.append(prospect)
        entry.score += prospect.hit.score
    enterprises = sorted(by_org.values(), key=lambda e: (-e.score, e.org.name))
    return ranked, enterprises

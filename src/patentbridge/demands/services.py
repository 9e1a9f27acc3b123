"""Posting needs, suggesting their classification, operators' corrections; all audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.core import audit, events
from patentbridge.demands.models import TechNeed
from patentbridge.demands.queries import restrict_needs
from patentbridge.patents.classification import get_classifier
from patentbridge_engine.classify import parse_ipc_list

__all__ = [
    "MAX_DESCRIPTION_CHARS",
    "MAX_TITLE_CHARS",
    "classify_need",
    "create_need",
    "set_need_ipc",
    "visible",
]

# Suggestions shown for a need; a confident first one becomes its IPC until an operator edits it.
_SUGGESTIONS = 3
# Longest need description accepted. Classification time grows with the text (measured 0.12 s at
# 20,000 characters, 1.6 s at 200,000; a 3.3M-character paste would hold a worker thread ~30 s);
# the 176 real demo needs are at most 5,414 characters, a typical one about 500.
MAX_DESCRIPTION_CHARS = 20_000
MAX_TITLE_CHARS = 300


def classify_need(title: str, description: str, ipc: list[str] | None = None) -> dict[str, Any]:
    """Suggested IPC subclasses (with scores and driving words) and industry chains (with reasons)."""
    classifier = get_classifier()
    text = f"{title}。{description}"
    suggestions: list[dict[str, Any]] = [
        {
            "code": s.subclass,
            "title": s.title[:120],
            "score": s.score,
            "reason": "主要依据词：" + "、".join(s.drivers) if s.drivers else "",
            "confident": s.confident,
        }
        for s in classifier.suggester.suggest(text, _SUGGESTIONS)
    ]
    # Only a confident first suggestion becomes the need's IPC; otherwise the need keeps no IPC
    # until an operator picks one (a wrong class would steer matching more than no class).
    confident = [s["code"] for s in suggestions[:1] if s["confident"]]
    codes = ipc if ipc is not None else confident
    parsed, _ = parse_ipc_list(codes)
    chains = [
        {"code": a.code, "name": a.name, "reason": a.reason}
        for a in classifier.classify(parsed, text, suggest_when_missing=False)
        if a.scheme == "chain"
    ]
    return {"suggested_ipc": suggestions, "ipc": [c.code for c in parsed], "chains": chains}


def create_need(*, actor: Any, data: dict[str, Any], org: Any = None, source: str = "") -> TechNeed:
    """An enterprise (or an operator on its behalf) posts a need; it is classified at once.

    The classification is computed before the write transaction opens, so SQLite's write lock is
    held only for the insert and its audit row."""
    if not policies.can(actor, "demands.post"):
        raise PermissionDenied("只有企业用户或运营人员可以发布技术需求")
    member = policies.membership_of(actor)
    if not policies.is_platform_wide(actor):
        org = member.org  # an enterprise posts for itself only
    if org is None:
        raise ValidationError({"org": "请选择发布企业"})
    title, description = str(data.get("title", "")).strip(), str(data.get("description", "")).strip()
    if not title or not description:
        raise ValidationError({"title": "需求名称和需求描述均不能为空"})
    if len(title) > MAX_TITLE_CHARS:
        raise ValidationError({"title": f"需求名称不能超过 {MAX_TITLE_CHARS} 字（当前 {len(title)} 字）"})
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise ValidationError(
            {
                "description": f"需求描述不能超过 {MAX_DESCRIPTION_CHARS:,} 字（当前 {len(description):,} 字），"
                "请概括要点，详细资料可在对接时提供"
            }
        )
    budget_min, budget_max = data.get("budget_min"), data.get("budget_max")
    if budget_min is not None and budget_max is not None and budget_min > budget_max:
        raise ValidationError({"budget_max": "预算上限不能低于下限"})
    need = TechNeed(
        org=org,
        created_by=actor if getattr(actor, "pk", None) else None,
        title=title[:300],
        description=description,
        industry=data.get("industry", ""),
        region=data.get("region", ""),
        budget_min=budget_min,
        budget_max=budget_max,
        wanted_mode=data.get("wanted_mode") or "licence",
        source=source,
        **classify_need(title, description),
    )
    with transaction.atomic():
        need.save()
        _reindex(need)
        audit.record(
            "demands.need.created",
            actor=actor,
            target=need,
            org=org,
            data={"after": {"ipc": need.ipc, "chains": [c["code"] for c in need.chains]}},
        )
    return need


def set_need_ipc(*, actor: Any, need: TechNeed, ipc_text: str) -> TechNeed:
    """An operator corrects the need's IPC; chains are recomputed from it (before the write
    transaction, which holds only the update and its audit row)."""
    if not policies.is_platform_wide(actor):
        raise PermissionDenied("只有运营人员可以修改需求分类")
    codes, bad = parse_ipc_list(ipc_text)
    if bad or not codes:
        raise ValidationError({"ipc": f"IPC分类号无法识别：{'、'.join(bad) or '（空）'}"})
    before = {"ipc": need.ipc, "chains": [c["code"] for c in need.chains]}
    result = classify_need(need.title, need.description, [c.code for c in codes])
    need.ipc, need.chains, need.ipc_edited = result["ipc"], result["chains"], True
    with transaction.atomic():
        need.save(update_fields=["ipc", "chains", "ipc_edited", "updated_at"])
        _reindex(need)
        audit.record(
            "demands.need.classified",
            actor=actor,
            target=need,
            org=need.org,
            data={"before": before, "after": {"ipc": need.ipc, "chains": [c["code"] for c in need.chains]}},
        )
    return need


def _reindex(need: TechNeed) -> None:
    """Announce the change: the needs index follows once it is committed."""
    events.announce(events.NEEDS_CHANGED, [need.pk])


def visible(user: Any) -> Any:
    return restrict_needs(TechNeed.objects.select_related("org"), user)

"""Curating a need's shortlist, pushing it to the enterprise, and recording the enterprise's answer.

Every change is audited in the same transaction. A dropped patent stays attached to the need
(state "dropped") so that it never comes back among the need's candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.demands.models import TechNeed
from patentbridge.matching.choices import CurationChoices, FeedbackChoices
from patentbridge.matching.models import MatchItem, Push
from patentbridge.matching.needs import Match, match_need, need_text
from patentbridge.matching.queries import may_curate
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.models import Patent
from patentbridge.search.index import get_index

__all__ = ["Funnel", "candidates", "curate", "funnel", "funnels", "give_feedback", "push_shortlist"]

CURATE_ACTIONS = ("pin", "drop", "unpin", "note")
_PAST = {"pin": "pinned", "drop": "dropped", "note": "noted"}


def _require_curator(actor: Any) -> None:
    if not may_curate(actor):
        raise PermissionDenied("只有运营人员可以筛选和推送匹配结果")


def candidates(need: TechNeed, k: int = 10) -> list[Match]:
    """Fresh candidates for the need: the best library matches not yet pinned, pushed or dropped."""
    curated = MatchItem.objects.filter(need=need).values_list("patent__application_number", flat=True)
    return match_need(need, k, exclude=set(curated))


def _snapshot(need: TechNeed, patent: Patent, item: MatchItem) -> None:
    """Keep the reasons the patent answers the need as they stand now."""
    hit = get_index().explain(need_text(need), patent.application_number, query_ipc=need.ipc)
    if hit is not None:
        item.terms, item.sentence, item.shared_ipc = list(hit.terms), hit.sentence, list(hit.shared_ipc)
    found = [m for m in match_need(need, 50) if m.patent.pk == patent.pk]
    item.score = found[0].score if found else 0.0


@transaction.atomic
def curate(
    *, actor: Any, need: TechNeed, application_number: str, action: str, note: str = ""
) -> MatchItem | None:
    """pin / drop / unpin / note one library patent for a need; returns the item (None after unpin)."""
    _require_curator(actor)
    if action not in CURATE_ACTIONS:
        raise ValidationError({"action": f"未知操作：{action}"})
    patent = Patent.objects.filter(
        application_number=application_number, library_status=LibraryStatusChoices.IN_LIBRARY
    ).first()
    if patent is None:
        raise ValidationError({"patent": "只能推荐已入库的专利"})
    item = MatchItem.objects.select_for_update().filter(need=need, patent=patent).first()
    before = {"state": item.state, "note": item.note} if item else {"state": "", "note": ""}
    if item is not None and item.state == CurationChoices.PUSHED and action != "note":
        raise ValidationError({"action": "该专利已推送给企业，不能再改变其状态"})
    if action == "unpin":
        if item is None or item.state != CurationChoices.PINNED:
            raise ValidationError({"action": "该专利不在入选清单中"})
        item.delete()
        audit.record(
            "matching.item.unpinned",
            actor=actor,
            target=need,
            org=need.org,
            data={"patent": application_number, "before": before},
        )
        return None
    if action == "note" and item is None:
        raise ValidationError({"note": "请先入选或剔除该专利，再添加备注"})
    if item is None:
        item = MatchItem(need=need, patent=patent)
        _snapshot(need, patent, item)
    if action in ("pin", "drop"):
        item.state = CurationChoices.PINNED if action == "pin" else CurationChoices.DROPPED
    if note.strip() or action == "note":
        item.note = note.strip()
    item.curated_by = actor
    item.save()
    audit.record(
        f"matching.item.{_PAST[action]}",
        actor=actor,
        target=item,
        org=need.org,
        data={
            "need": need.pk,
            "patent": application_number,
            "before": before,
            "after": {"state": item.state, "note": item.note},
        },
    )
    return item


@transaction.atomic
def push_shortlist(*, actor: Any, need: TechNeed, note: str = "") -> Push:
    """Send every pinned patent of the need to the enterprise's inbox (定向推送)."""
    _require_curator(actor)
    pinned = list(MatchItem.objects.select_for_update().filter(need=need, state=CurationChoices.PINNED))
    if not pinned:
        raise ValidationError({"push": "入选清单为空，请先入选要推送的专利"})
    push = Push.objects.create(need=need, pushed_by=actor, note=note.strip(), item_count=len(pinned))
    MatchItem.objects.filter(pk__in=[i.pk for i in pinned]).update(
        state=CurationChoices.PUSHED, push=push, updated_at=timezone.now()
    )
    audit.record(
        "matching.shortlist.pushed",
        actor=actor,
        target=push,
        org=need.org,
        data={"need": need.pk, "patents": sorted(i.patent.application_number for i in pinned)},
    )
    return push


@transaction.atomic
def give_feedback(*, actor: Any, item: MatchItem, verdict: str, reason: str = "") -> MatchItem:
    """The enterprise marks a pushed patent interested or not relevant (with a reason)."""
    member = policies.membership_of(actor)
    if member is None or member.org_id != item.need.org_id or not policies.can(actor, "matching.feedback"):
        raise PermissionDenied("只有需求发布企业可以反馈推送结果")
    if item.state != CurationChoices.PUSHED:
        raise ValidationError({"feedback": "只能反馈已推送的专利"})
    if verdict not in (FeedbackChoices.INTERESTED, FeedbackChoices.NOT_RELEVANT):
        raise ValidationError({"feedback": "请选择“有意向”或“不相关”"})
    reason = reason.strip()
    if verdict == FeedbackChoices.NOT_RELEVANT and not reason:
        raise ValidationError({"reason": "请说明不相关的理由，运营人员将据此改进推荐"})
    before = {"feedback": item.feedback, "reason": item.feedback_reason}
    item.feedback, item.feedback_reason = verdict, reason
    item.feedback_by, item.feedback_at = actor, timezone.now()
    item.save(update_fields=["feedback", "feedback_reason", "feedback_by", "feedback_at", "updated_at"])
    audit.record(
        "matching.item.feedback",
        actor=actor,
        target=item,
        org=item.need.org,
        data={"before": before, "after": {"feedback": verdict, "reason": reason}},
    )
    return item


@dataclass(frozen=True)
class Funnel:
    """How far a need's recommendations got: pinned → pushed → answered."""

    pinned: int = 0
    dropped: int = 0
    pushed: int = 0
    interested: int = 0
    not_relevant: int = 0

    @property
    def awaiting(self) -> int:
        return self.pushed - self.interested - self.not_relevant

    @property
    def interest_rate(self) -> float | None:
        answered = self.interested + self.not_relevant
        return round(self.interested / answered, 3) if answered else None


_FUNNEL_COUNTS = {
    "pinned": Count("match_items", filter=Q(match_items__state=CurationChoices.PINNED)),
    "dropped": Count("match_items", filter=Q(match_items__state=CurationChoices.DROPPED)),
    "pushed": Count("match_items", filter=Q(match_items__state=CurationChoices.PUSHED)),
    "interested": Count("match_items", filter=Q(match_items__feedback=FeedbackChoices.INTERESTED)),
    "not_relevant": Count("match_items", filter=Q(match_items__feedback=FeedbackChoices.NOT_RELEVANT)),
}


def funnels(needs: Any) -> Any:
    """The needs queryset annotated with their funnel counts (one query for a whole list)."""
    awaiting = Count(
        "match_items",
        filter=Q(match_items__state=CurationChoices.PUSHED, match_items__feedback=FeedbackChoices.NONE),
    )
    return needs.annotate(**_FUNNEL_COUNTS, awaiting=awaiting)


def funnel(need: TechNeed) -> Funnel:
    """The funnel of one need."""
    row = TechNeed.objects.filter(pk=need.pk).annotate(**_FUNNEL_COUNTS).values(*_FUNNEL_COUNTS).get()
    return Funnel(**row)

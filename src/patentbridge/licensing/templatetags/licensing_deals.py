"""Template tags of the deal screens for other apps' templates (one include line each): the
enterprise inbox's "申请免费试用" button on a pushed patent marked 有意向."""

from __future__ import annotations

from typing import Any

from django import template

from patentbridge.accounts import policies
from patentbridge.licensing.choices import ModeChoices
from patentbridge.licensing.services.applications import offers_for_patent
from patentbridge.matching.choices import FeedbackChoices

__all__ = ["inbox_trial_action", "register"]

register = template.Library()


@register.inclusion_tag("licensing/deals/_inbox_button.html", takes_context=True)
def inbox_trial_action(context: Any, item: Any) -> dict[str, Any]:
    """For an item the enterprise marked 有意向: its application if one exists, else the newest
    published offer of the patent (a trial when one offers it) for the one-click button."""
    request = context.get("request")
    user = getattr(request, "user", None)
    out: dict[str, Any] = {
        "item": item,
        "csrf_token": context.get("csrf_token"),
        "offer": None,
        "application": None,
    }
    if item.feedback != FeedbackChoices.INTERESTED or not policies.can(user, "licensing.apply"):
        return out
    out["application"] = item.licence_applications.order_by("-created_at").first()
    if out["application"] is None:
        offers = offers_for_patent(user, item.patent)
        trial = next((o for o in offers if ModeChoices.TRIAL_THEN_PAID in o.modes), None)
        out["offer"] = trial or next(iter(offers), None)
    return out

"""The enterprise's side of a menu: opening it (VIEWED), answering an item (有意向 / 不相关 with
a reason from the fixed list) and asking for a trial, which goes into the licensing offer's
application flow — the application is linked to the delivery, and the later funnel stages are
read from it and its contract. Every change is audited in its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.choices import ModeChoices, OfferStateChoices
from patentbridge.licensing.models import LicenceOffer
from patentbridge.licensing.services.applications import apply_for_licence
from patentbridge.menus.choices import NotRelevantReasonChoices
from patentbridge.menus.models import MenuDelivery, PatentMenu
from patentbridge.menus.services.common import clean_text, org_of

__all__ = ["live_offer", "mark_viewed", "request_trial", "respond"]

VERDICTS = ("interested", "not_relevant")


def _own(actor: Any, delivery: MenuDelivery, action: str) -> MenuDelivery:
    policies.require(actor, action)
    org = org_of(actor)
    locked = (
        MenuDelivery.objects.select_for_update().select_related("item__patent", "menu").get(pk=delivery.pk)
    )
    if org is None or locked.enterprise_id != org.pk:
        raise PermissionDenied("只能处理推送给本单位的专利菜单")
    return locked


@transaction.atomic
def mark_viewed(actor: Any, menu: PatentMenu, *, on: dt.date) -> int:
    """The enterprise opened the menu: its unseen deliveries of it become VIEWED on ``on``;
    audited once per opening that changed something. Returns how many were new."""
    policies.require(actor, "menus.inbox")
    org = org_of(actor)
    if org is None:
        return 0
    unseen = list(
        MenuDelivery.objects.select_for_update()
        .filter(menu=menu, enterprise=org, viewed_on__isnull=True)
        .values_list("pk", flat=True)
    )
    if not unseen:
        return 0
    MenuDelivery.objects.filter(pk__in=unseen).update(viewed_on=on)
    audit.record(
        "menus.delivery.viewed",
        actor=actor,
        target=menu,
        org=org,
        data={"deliveries": unseen, "on": on.isoformat()},
    )
    return len(unseen)


@transaction.atomic
def respond(
    actor: Any, delivery: MenuDelivery, *, verdict: str, on: dt.date, reason: str = "", note: str = ""
) -> MenuDelivery:
    """有意向, or 不相关 with a reason from the list (其他 needs a few words); may be changed."""
    delivery = _own(actor, delivery, "menus.respond")
    if verdict not in VERDICTS:
        raise ValidationError({"verdict": "请选择“有意向”或“不相关”"})
    note = clean_text(note, "note", 1000, label="说明")
    if verdict == "not_relevant":
        if reason not in NotRelevantReasonChoices.values:
            raise ValidationError({"reason": "请选择不相关的原因"})
        if reason == NotRelevantReasonChoices.OTHER and not note:
            raise ValidationError({"note": "选择“其他”时请简要说明原因"})
    else:
        reason = ""
    before = {"response": delivery.response, "reason": delivery.reason, "note": delivery.response_note}
    delivery.response, delivery.reason, delivery.response_note = verdict, reason, note
    delivery.responded_on, delivery.responded_by = on, actor
    if delivery.viewed_on is None:
        delivery.viewed_on = on
    delivery.save(
        update_fields=["response", "reason", "response_note", "responded_on", "responded_by", "viewed_on"]
    )
    audit.record(
        "menus.delivery.answered",
        actor=actor,
        target=delivery,
        org=delivery.enterprise,
        data={
            "menu": delivery.menu_id,
            "patent": delivery.item.patent.application_number,
            "before": before,
            "after": {"response": verdict, "reason": reason, "note": note},
            "on": on.isoformat(),
        },
    )
    return delivery


def live_offer(patent: Any) -> Any:
    """The newest published licence offer of the patent that an application can be made under
    (free trial preferred, else a paid licence); None when there is none."""
    offers = list(
        LicenceOffer.objects.filter(patents=patent, state=OfferStateChoices.PUBLISHED).order_by(
            "-published_at", "-pk"
        )
    )
    trial = ModeChoices.TRIAL_THEN_PAID.value
    return next((o for o in offers if trial in o.modes), None) or next(
        (o for o in offers if ModeChoices.PAID.value in o.modes), None
    )


@transaction.atomic
def request_trial(actor: Any, delivery: MenuDelivery, *, on: dt.date) -> Any:
    """申请试用 from a menu item: an application under the patent's published offer (a free
    trial when offered, else a paid licence) through the licensing application service; the
    delivery links to it and counts as interested. Without an offer there is nothing to apply
    under: a ValidationError tells the enterprise whom to contact."""
    delivery = _own(actor, delivery, "menus.respond")
    policies.require(actor, "licensing.apply")
    if delivery.application_id is not None:
        raise ValidationError({"application": "已就该条目提交过申请，请在许可申请中查看进度"})
    patent = delivery.item.patent
    offer = live_offer(patent)
    if offer is None:
        owner = patent.owner_org.name if patent.owner_org else delivery.menu.publisher_org.name
        raise ValidationError(
            {"application": f"该专利暂无发布中的许可项目，请先标记“有意向”，并联系{owner}或发明人团队洽谈"}
        )
    trial = ModeChoices.TRIAL_THEN_PAID.value
    mode = trial if trial in offer.modes else ModeChoices.PAID.value
    application = apply_for_licence(
        actor,
        offer,
        patents=[patent],
        requested_mode=mode,
        intended_use=f"来自专利菜单《{delivery.menu.title}》"[:2000],
    )
    before = {"response": delivery.response}
    delivery.application = application
    delivery.response, delivery.reason = "interested", ""
    delivery.responded_on, delivery.responded_by = delivery.responded_on or on, delivery.responded_by or actor
    if delivery.viewed_on is None:
        delivery.viewed_on = on
    delivery.save(
        update_fields=["application", "response", "reason", "responded_on", "responded_by", "viewed_on"]
    )
    audit.record(
        "menus.delivery.trial_requested",
        actor=actor,
        target=delivery,
        org=delivery.enterprise,
        data={
            "menu": delivery.menu_id,
            "patent": patent.application_number,
            "offer": offer.pk,
            "application": application.pk,
            "mode": mode,
            "before": before,
            "on": on.isoformat(),
        },
    )
    return application

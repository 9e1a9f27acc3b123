"""Edges of the enterprise's side: changing an answer (audited before/after), answering marks the
item viewed, who may answer or ask for a trial, a paid-only offer gives a licence application,
and the licensing rules' refusals pass through untouched."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.services import offers
from patentbridge.menus.models import MenuDelivery
from patentbridge.menus.services import inbox, release
from web.licensing.factories import fee_lump_sum
from web.menus.factories import ON
from web.menus.test_lifecycle import LATER, items, offer_for, published_menu

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(cast):
    menu = published_menu(cast, n=2)
    release.select_items(cast.officer, menu, items=[i.pk for i in items(menu)], on=ON)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON)
    mine = {d.item.patent: d for d in MenuDelivery.objects.filter(menu=menu, enterprise=cast.ent_a)}
    return cast, menu, mine


def test_an_answer_may_change_and_each_change_is_audited_with_before_and_after(delivered):
    cast, _menu, mine = delivered
    delivery = next(iter(mine.values()))
    inbox.respond(
        cast.ent_a_user, delivery, verdict="not_relevant", reason="immature", note="还需中试", on=ON
    )
    delivery.refresh_from_db()
    assert (delivery.response, delivery.reason, delivery.response_note) == (
        "not_relevant",
        "immature",
        "还需中试",
    )
    assert delivery.viewed_on == ON and delivery.responded_by == cast.ent_a_user
    inbox.respond(cast.ent_a_user, delivery, verdict="interested", reason="immature", on=LATER)
    delivery.refresh_from_db()
    assert (delivery.response, delivery.reason, delivery.responded_on) == ("interested", "", LATER)
    assert delivery.viewed_on == ON  # the first opening stays
    first, second = AuditEvent.objects.filter(action="menus.delivery.answered").order_by("pk")
    assert first.data["before"]["response"] == "" and first.data["after"]["reason"] == "immature"
    assert (
        second.data["before"]["response"] == "not_relevant"
        and second.data["after"]["response"] == "interested"
    )
    assert second.org == cast.ent_a


def test_only_enterprise_users_of_the_recipient_answer(delivered):
    cast, _menu, mine = delivered
    delivery = next(iter(mine.values()))
    for user in (cast.officer, cast.p.tto, cast.p.operator, cast.ent_far_user, cast.ent_b_user):
        with pytest.raises(PermissionDenied):
            inbox.respond(user, delivery, verdict="interested", on=ON)
    with pytest.raises(PermissionDenied):
        inbox.request_trial(cast.officer, delivery, on=ON)
    assert inbox.mark_viewed(cast.ent_far_user, delivery.menu, on=ON) == 0
    with pytest.raises(PermissionDenied):
        inbox.mark_viewed(cast.p.tto, delivery.menu, on=ON)


def test_a_paid_only_offer_gives_a_licence_application(delivered):
    cast, _menu, mine = delivered
    patent, delivery = next(iter(mine.items()))
    offer = offers.create_offer(
        cast.p.tto,
        publisher_org=cast.p.university,
        patents=[patent],
        on=ON,
        title="付费许可项目",
        modes=["paid"],
        paid_terms=fee_lump_sum(),
        price_method="listing",
    )
    offers.offer_step(cast.p.tto, offer, "submit", on=ON)
    offers.offer_step(cast.p.tto, offer, "approve", on=ON)
    assert inbox.live_offer(patent) == offer
    application = inbox.request_trial(cast.ent_a_user, delivery, on=LATER)
    assert application.requested_mode == "paid" and "来自专利菜单" in application.intended_use
    event = AuditEvent.objects.get(action="menus.delivery.trial_requested")
    assert event.data == {
        "menu": delivery.menu_id,
        "patent": patent.application_number,
        "offer": offer.pk,
        "application": application.pk,
        "mode": "paid",
        "before": {"response": ""},
        "on": LATER.isoformat(),
    }


def test_a_paused_offer_is_no_offer_and_a_pending_application_is_refused_by_licensing(delivered):
    cast, _menu, mine = delivered
    (p1, d1), (p2, d2) = list(mine.items())
    offer = offer_for(cast, [p1, p2])
    offers.offer_step(cast.p.tto, offer, "pause", on=ON)
    assert inbox.live_offer(p1) is None
    with pytest.raises(ValidationError, match="暂无发布中的许可项目"):
        inbox.request_trial(cast.ent_a_user, d1, on=LATER)
    offers.offer_step(cast.p.tto, offer, "resume", on=ON)
    inbox.request_trial(cast.ent_a_user, d1, on=LATER)
    # The licensing service refuses a second pending application under the same offer; the
    # delivery is left as it was (services are atomic).
    with pytest.raises(LicensingRefused) as refused:
        inbox.request_trial(cast.ent_a_user, d2, on=LATER)
    assert refused.value.code == "APPLICATION_PENDING"
    d2.refresh_from_db()
    assert d2.application_id is None and d2.response == ""

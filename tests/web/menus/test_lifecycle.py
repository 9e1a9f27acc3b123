"""A menu from publish to licence on frozen dates: publish, the county officer's selection inside
its region only, the bulk push in the publisher's name, the enterprise's answers, the trial request
through the licensing offer, and the funnel stages read from the licence records."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent, Notification
from patentbridge.core.restrict import restrict
from patentbridge.licensing.models import LicenceApplication
from patentbridge.licensing.services import applications, contracts, offers
from patentbridge.menus.funnel import funnel, funnel_by, progress_of
from patentbridge.menus.models import MenuDelivery, MenuItem, PatentMenu
from patentbridge.menus.services import compose, inbox, release
from web.licensing.factories import fee_royalty, make_contract
from web.menus.factories import COUNTY, ON, chain_patent, chain_patents
from web.menus.test_compose import actions, new_menu

pytestmark = pytest.mark.django_db

LATER = dt.date(2026, 3, 9)


def published_menu(cast, n=5):
    chain_patents(cast.p.university, n)
    menu = new_menu(cast)
    compose.compose(cast.p.tto, menu, on=ON)
    return release.publish(cast.p.tto, menu, on=ON)


def offer_for(cast, patents):
    offer = offers.create_offer(
        cast.p.tto,
        publisher_org=cast.p.university,
        patents=patents,
        on=ON,
        title="莘县热泵专利包",
        modes=["trial_then_paid", "paid"],
        paid_terms=fee_royalty(),
        price_method="listing",
    )
    offers.offer_step(cast.p.tto, offer, "submit", on=ON)
    return offers.offer_step(cast.p.tto, offer, "approve", on=ON)


def items(menu):
    return list(MenuItem.objects.filter(menu=menu, state="included").order_by("rank"))


# --- publish --------------------------------------------------------------------------------------


def test_publish_needs_items_and_offerable_patents(cast):
    empty = new_menu(cast)
    with pytest.raises(ValidationError, match="没有专利"):
        release.publish(cast.p.tto, empty, on=ON)
    patent = chain_patent(cast.p.university)
    menu = new_menu(cast)
    compose.add_item(cast.p.tto, menu, patent, on=ON)
    patent.legal_status = "lapsed_non_payment"
    patent.save()
    with pytest.raises(ValidationError, match="请先移出"):
        release.publish(cast.p.tto, menu, on=ON)
    with pytest.raises(PermissionDenied):
        release.publish(cast.p.other_tto, menu, on=ON)
    ok = published_menu(cast)
    assert ok.state == "published" and ok.published_on == ON
    with pytest.raises(ValidationError, match="不能修改条目"):
        compose.add_item(cast.p.tto, ok, chain_patent(cast.p.university), on=ON)


# --- region scoping -------------------------------------------------------------------------------


def test_officers_see_only_released_menus_inside_their_region(cast):
    """莘县's officer and 聊城市's see the 莘县 menu once published; 东昌府区's never; a draft is
    invisible to every officer; a TTO sees its own only."""
    draft = new_menu(cast, title="草稿菜单")
    menu = published_menu(cast)
    visible = lambda user: set(restrict(PatentMenu.objects.all(), user))  # noqa: E731
    assert visible(cast.officer) == {menu} == visible(cast.city_officer)
    assert visible(cast.other_officer) == set()
    assert visible(cast.p.tto) == {draft, menu} and visible(cast.p.other_tto) == set()
    assert visible(cast.p.operator) >= {draft, menu}
    assert set(restrict(MenuItem.objects.all(), cast.other_officer)) == set()
    assert restrict(PatentMenu.objects.all(), cast.officer, "change").count() == 0


def test_an_officer_whose_office_has_no_region_sees_nothing(cast):
    from web.factories import make_member, make_org

    nowhere = make_member(make_org("某局（未登记地区）", "government"), "gov_officer")
    published_menu(cast)
    assert restrict(PatentMenu.objects.all(), nowhere).count() == 0


def test_county_officer_selects_other_county_officer_is_refused(cast):
    menu = published_menu(cast)
    first, second, *_ = items(menu)
    with pytest.raises(PermissionDenied):
        release.select_items(cast.other_officer, menu, items=[first.pk], on=ON)
    with pytest.raises(PermissionDenied):  # selection is the officer's, not the publisher's
        release.select_items(cast.p.tto, menu, items=[first.pk], on=ON)
    selection = release.select_items(
        cast.officer, menu, items=[first.pk, second.pk], on=ON, note="县域热电产业"
    )
    assert set(selection.items.all()) == {first, second} and selection.region_code == COUNTY
    assert selection.selector_org == cast.county_gov
    event = AuditEvent.objects.filter(action="menus.selection.saved").get()
    assert event.org == cast.county_gov and event.data["after"]["items"] == sorted([first.pk, second.pk])
    # The city officer (3715 ⊃ 371522) may revise it before the push.
    selection = release.select_items(cast.city_officer, menu, items=[first.pk], on=ON)
    assert list(selection.items.all()) == [first]


@pytest.mark.parametrize("bad", [[], ["abc"], [10**30], [-1]])
def test_hostile_selection_is_refused(cast, bad):
    menu = published_menu(cast)
    with pytest.raises(ValidationError):
        release.select_items(cast.officer, menu, items=bad, on=ON)


def test_officer_may_not_compose_publish_or_push(cast):
    """Government selects; it never offers or pushes (专利法 Art. 79)."""
    menu = published_menu(cast)
    with pytest.raises(PermissionDenied):
        release.push(cast.officer, menu, enterprises=[cast.ent_a.pk], on=ON)
    with pytest.raises(PermissionDenied):
        compose.compose(cast.officer, menu, on=ON)
    with pytest.raises(PermissionDenied):
        release.close_menu(cast.officer, menu, on=ON)


# --- push -----------------------------------------------------------------------------------------


def test_push_waits_for_the_county_then_reaches_chosen_enterprises_of_the_region(cast):
    menu = published_menu(cast)
    first, second, *_ = items(menu)
    with pytest.raises(ValidationError, match="尚未遴选"):
        release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    release.select_items(cast.officer, menu, items=[first.pk, second.pk], on=ON)
    with pytest.raises(ValidationError, match="不在菜单的目标地区内"):
        release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_far.pk], on=ON)
    with pytest.raises(ValidationError, match="只能推送给平台上的企业"):
        release.push(cast.p.tto, menu, enterprises=[cast.county_gov.pk], on=ON)
    push = release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON, note="首批")
    assert (push.recipient_count, push.item_count, push.delivery_count) == (2, 2, 4) and push.used_selection
    delivered = MenuDelivery.objects.filter(menu=menu)
    assert {(d.enterprise, d.item) for d in delivered} == {
        (e, i) for e in (cast.ent_a, cast.ent_b) for i in (first, second)
    }
    assert all(d.delivered_on == ON for d in delivered)
    # ent_b has no region_code: its USCC (chars 3–8 = 371522) put it inside the county.
    assert Notification.objects.filter(org=cast.ent_b, message__contains=cast.p.university.name).count() == 1
    # The selection is frozen once pushed.
    with pytest.raises(ValidationError, match="不能再修改"):
        release.select_items(cast.officer, menu, items=[first.pk], on=ON)
    # A second push skips what each enterprise already has.
    again = release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=LATER)
    assert again.delivery_count == 0 and len(again.skipped) == 2
    assert actions(menu)[-2:] == ["menus.menu.pushed", "menus.menu.pushed"]


def test_the_same_patent_is_not_pushed_again_by_another_menu_within_the_window(cast):
    menu = published_menu(cast, n=2)
    release.select_items(cast.officer, menu, items=[i.pk for i in items(menu)], on=ON)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    second = new_menu(cast, title="第二份菜单")
    for item in items(menu):
        compose.add_item(cast.p.tto, second, item.patent, on=ON)
    release.publish(cast.p.tto, second, on=ON)
    release.select_items(cast.officer, second, items=[i.pk for i in items(second)], on=ON)
    soon = release.push(cast.p.tto, second, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=LATER)
    assert soon.delivery_count == 2 and {s["enterprise"] for s in soon.skipped} == {cast.ent_a.name}


def test_without_an_officer_in_the_region_the_whole_menu_goes_out(cast):
    for user in (cast.officer, cast.city_officer):
        user.membership.delete()
    menu = published_menu(cast, n=3)
    push = release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    assert push.delivery_count == 3 and not push.used_selection


# --- the enterprise's side and the funnel ---------------------------------------------------------


def test_enterprise_views_answers_and_requests_a_trial_and_the_funnel_follows_the_licence(cast):
    menu = published_menu(cast)
    first, second, third, *_ = items(menu)
    offer = offer_for(cast, [first.patent])
    release.select_items(cast.officer, menu, items=[first.pk, second.pk, third.pk], on=ON)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON)
    mine = {d.item: d for d in MenuDelivery.objects.filter(enterprise=cast.ent_a)}
    assert set(restrict(MenuDelivery.objects.all(), cast.ent_a_user)) == set(mine.values())
    assert inbox.mark_viewed(cast.ent_a_user, menu, on=LATER) == 3
    assert inbox.mark_viewed(cast.ent_a_user, menu, on=LATER) == 0
    with pytest.raises(ValidationError, match="原因"):
        inbox.respond(cast.ent_a_user, mine[second], verdict="not_relevant", on=LATER)
    with pytest.raises(ValidationError, match="说明"):
        inbox.respond(cast.ent_a_user, mine[second], verdict="not_relevant", reason="other", on=LATER)
    with pytest.raises(ValidationError):
        inbox.respond(cast.ent_a_user, mine[second], verdict="recommend", on=LATER)
    with pytest.raises(PermissionDenied):
        inbox.respond(cast.ent_b_user, mine[second], verdict="interested", on=LATER)
    inbox.respond(cast.ent_a_user, mine[second], verdict="not_relevant", reason="price", on=LATER)
    with pytest.raises(ValidationError, match="暂无发布中的许可项目"):
        inbox.request_trial(cast.ent_a_user, mine[third], on=LATER)
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC), tick=False):
        application = inbox.request_trial(cast.ent_a_user, mine[first], on=LATER)
    assert isinstance(application, LicenceApplication) and application.offer == offer
    assert application.requested_mode == "trial_then_paid" and application.applicant_org == cast.ent_a
    assert list(application.patents.all()) == [first.patent]
    with pytest.raises(ValidationError, match="已就该条目提交过申请"):
        inbox.request_trial(cast.ent_a_user, mine[first], on=LATER)

    def stage(delivery):
        delivery.refresh_from_db()
        return progress_of([delivery])[delivery.pk].stage

    assert [stage(mine[i]) for i in (first, second, third)] == ["trial_requested", "not_relevant", "viewed"]
    contract = applications.accept_application(cast.p.tto, application, on=LATER)
    assert stage(mine[first]) == "trial_requested"  # a draft contract is not a licence yet
    contracts.submit(cast.p.tto, contract, on=LATER)
    contracts.approve(cast.p.tto, contract, on=LATER, note="同意")
    contracts.sign(cast.p.tto, contract, on=LATER)
    assert stage(mine[first]) == "trial"
    contract.refresh_from_db()
    contracts.end_trial(None, contract, on=contract.trial_end)
    contracts.convert(cast.ent_a_user, contract, on=contract.trial_end)
    assert stage(mine[first]) == "licensed"

    total = funnel(MenuDelivery.objects.filter(menu=menu).select_related("item", "enterprise"))
    assert total.counts == {
        "delivered": 6,
        "viewed": 3,
        "interested": 1,
        "trial_requested": 1,
        "trial": 1,
        "licensed": 1,
    }
    assert total.not_relevant == 1 and total.rate("licensed") == round(1 / 6, 4)
    steps = {s["key"]: s for s in total.steps()}
    assert steps["viewed"]["step_rate"] == 0.5 and steps["licensed"]["step_rate"] == 1.0
    deliveries = MenuDelivery.objects.filter(menu=menu).select_related(
        "menu", "enterprise", "item__chain", "item__patent__owner_org"
    )
    (by_chain,) = funnel_by(deliveries, "chain")
    assert by_chain.label == "绿色低碳" and by_chain.counts["licensed"] == 1
    (by_county,) = funnel_by(deliveries, "county")
    assert by_county.key == COUNTY and len(by_county.enterprises) == 2
    (by_university,) = funnel_by(deliveries, "university")
    assert by_university.label == cast.p.university.name
    trail = list(
        AuditEvent.objects.filter(action__startswith="menus.delivery.").values_list("action", flat=True)
    )
    assert trail.count("menus.delivery.viewed") == 1 and "menus.delivery.trial_requested" in trail


def test_licences_made_on_the_licensing_pages_count_only_after_the_delivery(cast):
    """A licence signed for the enterprise after the delivery moves the funnel without typing;
    one that existed before the menu reached it does not."""
    menu = published_menu(cast, n=2)
    first, second = items(menu)
    release.select_items(cast.officer, menu, items=[first.pk, second.pk], on=ON)
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        make_contract(
            cast.p, [second.patent], licensee_org=cast.ent_a, stage="signed", start=dt.date(2026, 1, 5)
        )
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        make_contract(
            cast.p, [first.patent], licensee_org=cast.ent_a, stage="signed", start=dt.date(2026, 3, 20)
        )
    stages = {d.item: p.stage for d, p in _progress(menu).items()}
    assert stages == {first: "licensed", second: "delivered"}


def _progress(menu):
    deliveries = list(MenuDelivery.objects.filter(menu=menu).select_related("item"))
    found = progress_of(deliveries)
    return {d: found[d.pk] for d in deliveries}


def test_close_ends_pushing_but_keeps_the_funnel(cast):
    menu = published_menu(cast, n=1)
    release.select_items(cast.officer, menu, items=[i.pk for i in items(menu)], on=ON)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    release.close_menu(cast.p.tto, menu, on=LATER)
    menu.refresh_from_db()
    assert menu.state == "closed" and menu.closed_on == LATER
    with pytest.raises(ValidationError, match="不能推送"):
        release.push(cast.p.tto, menu, enterprises=[cast.ent_b.pk], on=LATER)
    assert restrict(PatentMenu.objects.all(), cast.officer).get() == menu
    assert funnel(MenuDelivery.objects.filter(menu=menu).select_related("item")).counts["delivered"] == 1

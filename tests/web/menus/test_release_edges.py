"""Edges of publishing, selecting and pushing: states, who may act, which enterprises are in the
region, what a push writes (deliveries, one notification per enterprise reached, one audit event
with the recipients) and what it refuses."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent, Notification
from patentbridge.menus.models import MenuDelivery, MenuItem, MenuPush
from patentbridge.menus.services import compose, release
from web.factories import make_member, make_org
from web.menus.factories import COUNTY, ON, chain_patents, valid_uscc
from web.menus.test_compose import new_menu
from web.menus.test_lifecycle import items, published_menu

pytestmark = pytest.mark.django_db


def test_draft_and_closed_menus_refuse_the_steps_of_the_other_states(cast):
    chain_patents(cast.p.university, 2)
    menu = new_menu(cast)
    compose.compose(cast.p.tto, menu, on=ON)
    first = items(menu)[0]
    with pytest.raises(ValidationError, match="不能遴选"):
        release.select_items(cast.officer, menu, items=[first.pk], on=ON)
    with pytest.raises(ValidationError, match="不能推送"):
        release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    with pytest.raises(ValidationError, match="不能关闭"):
        release.close_menu(cast.p.tto, menu, on=ON)
    release.publish(cast.p.tto, menu, on=ON)
    with pytest.raises(ValidationError, match="不能发布"):
        release.publish(cast.p.tto, menu, on=ON)
    with pytest.raises(ValidationError, match="不能组菜单"):
        compose.compose(cast.p.tto, menu, on=ON)
    with pytest.raises(ValidationError, match="不能从资源库补充"):
        compose.supplement(cast.p.tto, menu, on=ON)
    with pytest.raises(ValidationError, match="不能修改条目"):
        compose.remove_item(cast.p.tto, first, note="晚了")
    release.close_menu(cast.p.tto, menu, on=ON)
    with pytest.raises(ValidationError, match="不能遴选"):
        release.select_items(cast.officer, menu, items=[first.pk], on=ON)


def test_selection_accepts_only_included_items_of_this_menu(cast):
    menu = published_menu(cast, n=3)
    other = published_menu(cast, n=1)
    foreign = items(other)[0]
    with pytest.raises(ValidationError, match="不在本菜单中"):
        release.select_items(cast.officer, menu, items=[foreign.pk], on=ON)
    removed = MenuItem.objects.filter(menu=menu).first()
    MenuItem.objects.filter(pk=removed.pk).update(state="removed")
    with pytest.raises(ValidationError, match="不在本菜单中"):
        release.select_items(cast.officer, menu, items=[removed.pk], on=ON)
    with pytest.raises(ValidationError, match="最多 1000 个字符"):
        release.select_items(cast.officer, menu, items=[items(menu)[0].pk], on=ON, note="长" * 1001)


def test_an_enterprise_user_or_viewer_cannot_select(cast):
    menu = published_menu(cast, n=1)
    viewer = make_member(cast.county_gov, "viewer")
    for user in (cast.ent_a_user, viewer, cast.p.operator):
        with pytest.raises(PermissionDenied):
            release.select_items(user, menu, items=[items(menu)[0].pk], on=ON)


def test_officers_for_and_region_enterprises(cast):
    menu = published_menu(cast, n=1)
    assert {m.org for m in release.officers_for(menu)} == {cast.county_gov, cast.city_gov}
    province = make_org("山东省局", "government", region_code="370000")
    make_member(province, "gov_officer")
    assert province in {m.org for m in release.officers_for(menu)}
    assert release.region_enterprises(menu) == sorted([cast.ent_a, cast.ent_b], key=lambda o: o.name)
    late = make_org("莘县后注册企业", "enterprise", uscc=valid_uscc(COUNTY))
    assert late in release.region_enterprises(menu)
    bad = make_org("校验位错误企业", "enterprise", uscc=valid_uscc(COUNTY)[:17] + "Z")
    assert bad not in release.region_enterprises(menu)


def test_a_push_writes_deliveries_notifications_and_one_audit_event(cast):
    menu = published_menu(cast, n=2)
    release.select_items(cast.officer, menu, items=[i.pk for i in items(menu)], on=ON)
    push = release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON, note="首批推送")
    assert MenuPush.objects.get() == push and push.note == "首批推送" and push.sent_by == cast.p.tto
    assert MenuDelivery.objects.filter(push=push).count() == 4
    notes = Notification.objects.filter(org__in=[cast.ent_a, cast.ent_b])
    assert notes.count() == 2 and all(n.url == f"/menus/inbox/{menu.pk}/" for n in notes)
    assert all(menu.title in n.message and cast.p.university.name in n.message for n in notes)
    event = AuditEvent.objects.get(action="menus.menu.pushed")
    assert event.org == cast.p.university and event.actor == cast.p.tto
    assert sorted(event.data["enterprises"]) == sorted([cast.ent_a.name, cast.ent_b.name])
    assert event.data["deliveries"] == 4 and event.data["used_selection"] is True
    assert event.data["repush_days"] == 90
    # pushing again to someone who has everything notifies nobody
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    assert Notification.objects.filter(org=cast.ent_a).count() == 1


@pytest.mark.parametrize("bad", [[], ["x"], [None], [10**40]])
def test_hostile_recipient_lists(cast, bad):
    menu = published_menu(cast, n=1)
    release.select_items(cast.officer, menu, items=[items(menu)[0].pk], on=ON)
    with pytest.raises(ValidationError):
        release.push(cast.p.tto, menu, enterprises=bad, on=ON)
    assert MenuPush.objects.count() == 0


def test_only_the_publisher_side_pushes(cast):
    menu = published_menu(cast, n=1)
    release.select_items(cast.officer, menu, items=[items(menu)[0].pk], on=ON)
    for user in (cast.p.other_tto, cast.ent_a_user, cast.p.inventor):
        with pytest.raises(PermissionDenied):
            release.push(user, menu, enterprises=[cast.ent_a.pk], on=ON)
    assert release.push(cast.p.operator, menu, enterprises=[cast.ent_a.pk], on=ON).delivery_count == 1


def test_publish_records_who_and_when_and_close_keeps_the_record(cast):
    menu = published_menu(cast, n=1)
    event = AuditEvent.objects.get(action="menus.menu.published", target_id=str(menu.pk))
    assert event.data["before"] == {"state": "draft"} and event.data["after"] == {"state": "published"}
    assert event.data["items"] == 1 and event.data["on"] == ON.isoformat() and event.actor == cast.p.tto
    release.close_menu(cast.p.tto, menu, on=ON)
    closed = AuditEvent.objects.get(action="menus.menu.closed", target_id=str(menu.pk))
    assert closed.data["after"] == {"state": "closed"} and closed.org == cast.p.university

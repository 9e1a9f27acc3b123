"""What the event page offers each role in each status (forms appear only where the service would
accept them), and the organiser's path from a published menu to the roadshow's items."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from patentbridge.roadshows.models import RoadshowItem
from web.matrix import client_for
from web.menus.test_lifecycle import published_menu
from web.roadshows.factories import make_event, make_show

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def html_of(user, event):
    response = client_for(user).get(f"/roadshows/{event.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def has(html, testid):
    return f'data-testid="{testid}"' in html


def test_organiser_forms_follow_the_status(cast):
    planned = make_show(cast, status="planned", month="2026-02").event
    page = html_of(cast.p.tto, planned)
    assert has(page, "add-item-form") and has(page, "invite-form") and "开放报名" in page
    assert not has(page, "intend-form")
    held = make_show(cast).event
    page = html_of(cast.p.tto, held)
    assert not has(page, "add-item-form") and not has(page, "invite-form")
    assert has(page, "intend-form") and "结束路演" in page
    intention = held.intentions.first()
    assert has(page, f"follow-up-{intention.pk}-btn")
    assert "该企业尚无就该专利的许可申请或合同" in page


def test_enterprise_sees_register_only_while_open_and_intend_only_when_registered(cast):
    show = make_show(cast, status="open")
    page = html_of(cast.ent_far_user, show.event)
    assert has(page, "register-form") and not has(page, "intend-form")
    assert not has(page, "invitations") and not has(page, "registrations")
    page = html_of(cast.ent_a_user, show.event)
    assert has(page, "registered") and not has(page, "register-form")
    from patentbridge.roadshows.services import events

    events.set_status(cast.p.tto, show.event, to="held", on=dt.date(2026, 3, 20))
    assert has(html_of(cast.ent_a_user, show.event), "intend-form")
    page = html_of(cast.ent_far_user, show.event)
    assert not has(page, "intend-form") and "本场路演当前不接受报名" in page


def test_officer_page_has_no_organiser_or_enterprise_forms(cast):
    show = make_show(cast)
    page = html_of(cast.officer, show.event)
    for testid in ("next-status", "add-item-form", "intend-form", "register-form", "invite-form"):
        assert not has(page, testid), testid
    assert has(page, "registrations") and has(page, "intentions") and has(page, "funnel-chart")
    assert cast.ent_a.name in page and cast.ent_b.name in page
    assert "¥350,000.50" in page


def test_items_from_a_published_menu_through_the_page(cast):
    menu = published_menu(cast, n=3)
    event = make_event(cast)
    tto = client_for(cast.p.tto)
    page = tto.get(f"/roadshows/{event.pk}/").content.decode()
    item = menu.items.order_by("rank").first()
    assert f'<option value="{item.pk}">' in page and menu.title[:10] in page
    response = tto.post(
        f"/roadshows/{event.pk}/act/add_item/", {"menu_item": item.pk, "asking_mode": "trial"}, follow=True
    )
    assert "已加入路演专利" in response.content.decode()
    shown = RoadshowItem.objects.get(event=event)
    assert (shown.patent, shown.source, shown.menu_item) == (item.patent, "menu", item)
    assert shown.source_label == f"专利菜单《{menu.title}》"
    # Taken items leave the picker; another TTO's menu items never appear in it.
    page = tto.get(f"/roadshows/{event.pk}/").content.decode()
    assert f'<option value="{item.pk}">' not in page
    assert "尚未加入路演专利" not in page


def test_a_menu_item_of_another_publisher_is_refused(cast):
    from django.core.exceptions import PermissionDenied

    from patentbridge.roadshows.services import events
    from web.menus.factories import chain_patents
    from web.menus.test_compose import new_menu

    chain_patents(cast.p.other_university, 2)
    other = new_menu(cast, cast.p.other_tto, org=cast.p.other_university, title="另一所大学的菜单")
    from patentbridge.menus.services import compose

    compose.compose(cast.p.other_tto, other, on=dt.date(2026, 3, 2))
    event = make_event(cast)
    foreign = other.items.first()
    with pytest.raises(PermissionDenied, match="专利菜单"):
        events.add_item(cast.p.tto, event, on=dt.date(2026, 3, 2), menu_item=foreign)
    assert not RoadshowItem.objects.exists()

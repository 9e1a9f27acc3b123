"""The enterprise's menu inbox counts per menu (delivered, unseen, answered, last delivery) only its
own deliveries, whatever other enterprises did; the organisation panel shows its unseen count; a
publisher's organisation page links to its menus and funnel."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from patentbridge.menus.models import MenuDelivery
from patentbridge.menus.services import inbox, release
from web.matrix import client_for
from web.menus.factories import ON
from web.menus.test_lifecycle import items, published_menu

pytestmark = pytest.mark.django_db


def row_numbers(html, menu):
    row = html.split(f'data-testid="inbox-menu-{menu.pk}"', 1)[1].split("</tr>", 1)[0]
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]


def test_inbox_counts_are_the_enterprises_own(cast):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        first = published_menu(cast, n=3)
        release.select_items(cast.officer, first, items=[i.pk for i in items(first)], on=ON)
        release.push(cast.p.tto, first, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON)
    with time_machine.travel(dt.datetime(2026, 3, 5, 9, tzinfo=dt.UTC), tick=False):
        second = published_menu(cast, n=1)
        release.select_items(cast.officer, second, items=[i.pk for i in items(second)], on=ON)
        release.push(cast.p.tto, second, enterprises=[cast.ent_a.pk], on=dt.date(2026, 3, 5))
    # ent_b opens and answers everything of the first menu; that must not touch ent_a's counts
    inbox.mark_viewed(cast.ent_b_user, first, on=ON)
    for d in MenuDelivery.objects.filter(enterprise=cast.ent_b):
        inbox.respond(cast.ent_b_user, d, verdict="interested", on=ON)
    one = MenuDelivery.objects.filter(enterprise=cast.ent_a, menu=first).first()
    inbox.respond(cast.ent_a_user, one, verdict="not_relevant", reason="price", on=ON)
    html = client_for(cast.ent_a_user).get("/menus/inbox/").content.decode()
    assert html.index(f"inbox-menu-{second.pk}") < html.index(f"inbox-menu-{first.pk}")  # newest first
    assert row_numbers(html, first) == [3, 2, 1]  # delivered, unseen, answered
    assert row_numbers(html, second) == [1, 1, 0]
    assert "2026-03-05" in html.split(f'data-testid="inbox-menu-{second.pk}"', 1)[1].split("</tr>", 1)[0]
    b_html = client_for(cast.ent_b_user).get("/menus/inbox/").content.decode()
    assert row_numbers(b_html, first) == [3, 0, 3] and f"inbox-menu-{second.pk}" not in b_html


def test_organisation_panel_counts_unseen_and_links_by_role(cast):
    menu = published_menu(cast, n=2)
    release.select_items(cast.officer, menu, items=[i.pk for i in items(menu)], on=ON)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk], on=ON)
    html = client_for(cast.ent_a_user).get(f"/orgs/{cast.ent_a.pk}/").content.decode()
    panel = html.split('data-testid="org-menus"', 1)[1].split("</div>", 1)[0]
    assert '<span class="badge">2</span>' in panel
    client_for(cast.ent_a_user).get(f"/menus/inbox/{menu.pk}/")
    html = client_for(cast.ent_a_user).get(f"/orgs/{cast.ent_a.pk}/").content.decode()
    assert 'class="badge"' not in html.split('data-testid="org-menus"', 1)[1].split("</div>", 1)[0]
    html = client_for(cast.p.tto).get(f"/orgs/{cast.p.university.pk}/").content.decode()
    assert "本单位编制和发布的专利菜单" in html and "/menus/funnel/" in html
    # someone else's organisation page carries no menu panel
    assert (
        'data-testid="org-menus"'
        not in client_for(cast.p.tto).get(f"/orgs/{cast.ent_a.pk}/").content.decode()
    )

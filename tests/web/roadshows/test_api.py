"""``/api/roadshows``: the calendar, an event with its funnel, registration and intentions, with
the pages' permissions and Chinese refusals for hostile bodies and parameters."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from patentbridge.roadshows.models import RoadshowIntention, RoadshowRegistration
from patentbridge.roadshows.services import events
from web.factories import make_token
from web.matrix import client_for
from web.roadshows.factories import BEFORE, make_event, make_show

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def post_json(client, url, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json")


def test_list_follows_each_roles_scope_and_filters(cast):
    show = make_show(cast, status="open")
    planned = make_event(cast, month="2026-04")
    ids = lambda client, q="": [r["id"] for r in client.get(f"/api/roadshows{q}").json()["results"]]  # noqa: E731
    assert ids(client_for(cast.p.tto)) == [planned.pk, show.event.pk]
    assert ids(client_for(cast.ent_a_user)) == [show.event.pk]
    assert ids(client_for(cast.officer)) == [planned.pk, show.event.pk]
    assert ids(client_for(cast.other_officer)) == []
    assert ids(client_for(cast.p.tto), "?month=2026-04") == [planned.pk]
    assert ids(client_for(cast.p.tto), "?chain=AGRI") == []
    row = client_for(cast.p.tto).get("/api/roadshows?month=2026-03").json()["results"][0]
    assert (row["status_label"], row["item_count"], row["registration_count"]) == ("报名中", 2, 2)
    assert client_for(cast.p.inventor).get("/api/roadshows").status_code == 403
    bad = client_for(cast.p.tto).get("/api/roadshows?region=abc")
    assert bad.status_code == 422 and "行政区划代码" in bad.json()["detail"][0]
    assert client_for(cast.p.tto).get("/api/roadshows?page=0").status_code == 422


def test_detail_funnel_is_the_events_for_organisers_and_own_for_enterprises(cast):
    show = make_show(cast)
    full = client_for(cast.officer).get(f"/api/roadshows/{show.event.pk}").json()
    assert full["funnel"]["intentions"] == 2 and full["funnel"]["intention_amount"] == "350000.50"
    assert len(full["items"]) == 2 and full["funnel"]["scope"] == "event"
    own = client_for(cast.ent_b_user).get(f"/api/roadshows/{show.event.pk}").json()
    assert own["funnel"]["scope"] == "own" and own["funnel"]["intention_amount"] == "150000.50"
    assert [i["enterprise"] for i in own["intentions"]] == [cast.ent_b.name]
    assert client_for(cast.other_officer).get(f"/api/roadshows/{show.event.pk}").status_code == 404
    assert client_for(cast.p.tto).get("/api/roadshows/1e99").status_code == 404


def test_register_and_state_an_intention_by_bearer_token(cast):
    show = make_show(cast, status="open")
    _, token = make_token(cast.ent_far_user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    from django.test import Client

    api = Client()
    response = api.post(
        f"/api/roadshows/{show.event.pk}/register",
        data='{"contact": "李经理"}',
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201 and response.json()["enterprise"] == cast.ent_far.name
    again = api.post(
        f"/api/roadshows/{show.event.pk}/register", data="{}", content_type="application/json", **auth
    )
    assert again.status_code == 422 and "已报名" in again.json()["detail"][0]
    events.set_status(cast.p.tto, show.event, to="held", on=dt.date(2026, 3, 20))
    body = {"item": show.items[1].pk, "mode": "transfer", "amount": 500000}
    response = api.post(
        f"/api/roadshows/{show.event.pk}/intentions",
        data=json.dumps(body),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201 and response.json()["amount"] == "500000.00"
    assert RoadshowIntention.objects.get(org=cast.ent_far).mode == "transfer"


def test_hostile_bodies_get_chinese_422s(cast):
    show = make_show(cast)
    ent = client_for(cast.ent_a_user)
    url = f"/api/roadshows/{show.event.pk}/intentions"
    for body, words in (
        ("not json", "JSON 对象"),
        ("[1, 2]", "JSON 对象"),
        ({"item": "x"}, "路演专利不存在"),
        ({"item": show.items[1].pk, "mode": ["licence"]}, "应为文字"),
        ({"item": show.items[1].pk, "mode": "licence", "amount": True}, "意向金额应为数字"),
        ({"item": show.items[1].pk, "mode": "licence", "amount": "1e30"}, "之间"),
        ({"item": show.items[1].pk, "mode": "licence", "amount": "NaN"}, "之间"),
        ("{" * 20000, "过长"),
        ('{"a":' + "[" * 5000 + "]" * 5000 + "}", "嵌套过深"),
    ):
        response = post_json(ent, url, body)
        assert response.status_code == 422, (body, response.status_code)
        assert words in "".join(response.json()["detail"]), (body, response.json())
    assert RoadshowIntention.objects.count() == 2


def test_writes_refused_to_the_wrong_roles(cast):
    show = make_show(cast, status="open")
    url = f"/api/roadshows/{show.event.pk}"
    assert post_json(client_for(cast.officer), f"{url}/register", {}).status_code == 403
    assert post_json(client_for(cast.p.tto), f"{url}/register", {}).status_code == 403
    assert (
        post_json(client_for(cast.officer), f"{url}/intentions", {"item": show.items[0].pk}).status_code
        == 403
    )
    # A planned event is invisible to an uninvited enterprise: 404, nothing registered.
    planned = make_event(cast, month="2026-05")
    events.add_item(cast.p.tto, planned, on=BEFORE, patent=show.items[0].patent)
    assert (
        post_json(client_for(cast.ent_b_user), f"/api/roadshows/{planned.pk}/register", {}).status_code == 404
    )
    assert RoadshowRegistration.objects.filter(event=planned).count() == 0

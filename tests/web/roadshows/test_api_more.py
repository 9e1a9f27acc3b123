"""More of ``/api/roadshows``: the organiser captures an intention for a registered enterprise,
refusals of the intention rules through the API, paging, and what the county officer reads."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from patentbridge.roadshows.models import RoadshowIntention
from web.matrix import client_for
from web.roadshows.factories import make_event, make_show

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_organiser_captures_for_a_registered_enterprise(cast):
    show = make_show(cast, with_intentions=False)
    url = f"/api/roadshows/{show.event.pk}/intentions"
    tto = client_for(cast.p.tto)
    response = post_json(
        tto,
        url,
        {"item": show.items[0].pk, "enterprise": cast.ent_b.pk, "mode": "licence", "amount": "66000.5"},
    )
    assert response.status_code == 201
    assert response.json() == {
        "id": RoadshowIntention.objects.get().pk,
        "event": show.event.pk,
        "enterprise": cast.ent_b.name,
        "application_number": show.items[0].patent.application_number,
        "mode": "licence",
        "amount": "66000.50",
    }
    refused = post_json(
        tto, url, {"item": show.items[0].pk, "enterprise": cast.ent_far.pk, "mode": "licence", "amount": 1}
    )
    assert refused.status_code == 422 and "已报名" in refused.json()["detail"][0]
    missing = post_json(
        tto, url, {"item": show.items[0].pk, "enterprise": 10**30, "mode": "licence", "amount": 1}
    )
    assert missing.status_code == 422 and missing.json()["detail"] == ["企业不存在"]
    other_tto = post_json(
        client_for(cast.p.other_tto),
        url,
        {"item": show.items[1].pk, "enterprise": cast.ent_b.pk, "mode": "licence", "amount": 1},
    )
    assert other_tto.status_code == 403
    assert RoadshowIntention.objects.count() == 1


def test_intention_before_the_event_is_held_is_refused(cast):
    show = make_show(cast, status="open")
    response = post_json(
        client_for(cast.ent_a_user),
        f"/api/roadshows/{show.event.pk}/intentions",
        {"item": show.items[0].pk, "mode": "licence", "amount": "1000"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == ["路演当前为「报名中」，不能登记意向"]


def test_paging_and_counts(cast):
    for month in ("2026-01", "2026-02", "2026-03"):
        make_event(cast, month=month)
    tto = client_for(cast.p.tto)
    first = tto.get("/api/roadshows?page=1&page_size=2").json()
    second = tto.get("/api/roadshows?page=2&page_size=2").json()
    assert first["count"] == second["count"] == 3
    assert [r["month"] for r in first["results"]] == ["2026-03", "2026-02"]
    assert [r["month"] for r in second["results"]] == ["2026-01"]
    for bad in ("page=x", "page_size=0", "page_size=201", "page=-1"):
        assert tto.get(f"/api/roadshows?{bad}").status_code == 422, bad
    assert tto.get("/api/roadshows?region=3715").json()["count"] == 3
    assert tto.get("/api/roadshows?region=3716").json()["count"] == 0


def test_officer_reads_every_intention_with_follow_ups(cast):
    from patentbridge.roadshows.services import intentions

    show = make_show(cast)
    intentions.add_follow_up(
        cast.p.tto, show.intentions[0], on=dt.date(2026, 3, 22), note="电话沟通", next_step="到校洽谈"
    )
    body = client_for(cast.officer).get(f"/api/roadshows/{show.event.pk}").json()
    assert body["organiser"] == cast.p.university.name and body["cohost"] == cast.county_gov.name
    assert [(i["enterprise"], i["amount"]) for i in body["intentions"]] == [
        (cast.ent_a.name, "200000.00"),
        (cast.ent_b.name, "150000.50"),
    ]
    assert body["intentions"][0]["follow_ups"] == [
        {"on": "2026-03-22", "note": "电话沟通", "next_step": "到校洽谈"}
    ]
    assert body["intentions"][0]["deal"] is False and body["intentions"][0]["deal_amount"] == "0.00"
    assert body["funnel"]["registered"] == 2 and body["funnel"]["invited"] == 1

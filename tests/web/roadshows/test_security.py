"""Security review of the roadshow pages and API: every route attacked by outsiders (no leak, no
write, no 500), ids of another event's rows (IDOR), enterprises reaching organiser actions,
hostile form values, and the audit trail of each role's changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from patentbridge.core.models import AuditEvent
from patentbridge.roadshows.models import (
    RoadshowFollowUp,
    RoadshowIntention,
    RoadshowInvitation,
    RoadshowItem,
    RoadshowPresenter,
    RoadshowRegistration,
)
from patentbridge.roadshows.services import intentions
from web.licensing.factories import make_contract
from web.matrix import anonymous, client_for, stripped_user
from web.roadshows.factories import HELD_DAY, make_event, make_show

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)
ACTIONS = (
    "status",
    "add_item",
    "add_presenter",
    "invite",
    "register",
    "attended",
    "intend",
    "follow_up",
    "outcome",
)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _snapshot():
    """Row counts of every roadshow model and the roadshow audit events."""
    return (
        RoadshowItem.objects.count(),
        RoadshowPresenter.objects.count(),
        RoadshowInvitation.objects.count(),
        RoadshowRegistration.objects.count(),
        RoadshowIntention.objects.count(),
        RoadshowFollowUp.objects.count(),
        AuditEvent.objects.filter(action__startswith="roadshows.").count(),
    )


def test_outsiders_read_nothing_and_write_nothing(cast):
    show = make_show(cast)
    event = show.event
    before = _snapshot()
    lonely = client_for(stripped_user())
    other_county = client_for(cast.other_officer)
    inventor = client_for(cast.p.inventor)
    for client, page_status in ((lonely, 403), (inventor, 403), (other_county, 404)):
        assert client.get(f"/roadshows/{event.pk}/").status_code == page_status
        assert client.get(f"/api/roadshows/{event.pk}").status_code in (403, 404)
        for action in ACTIONS:
            response = client.post(
                f"/roadshows/{event.pk}/act/{action}/", {"to": "closed", "item": show.items[0].pk}
            )
            assert response.status_code in (403, 404), (action, response.status_code)
    assert anonymous().get(f"/api/roadshows/{event.pk}").status_code in (401, 403)
    assert anonymous().post(f"/roadshows/{event.pk}/act/status/", {"to": "closed"}).status_code == 302
    assert _snapshot() == before
    event.refresh_from_db()
    assert event.status == "held"


def test_enterprise_cannot_run_organiser_actions(cast):
    show = make_show(cast)
    ent = client_for(cast.ent_a_user)
    act = f"/roadshows/{show.event.pk}/act"
    before = _snapshot()
    assert ent.post(f"{act}/status/", {"to": "closed"}).status_code == 403
    assert ent.post(f"{act}/follow_up/", {"intention": show.intentions[0].pk, "note": "x"}).status_code == 403
    assert ent.post(f"{act}/outcome/", {"intention": show.intentions[0].pk}).status_code == 403
    assert (
        ent.post(f"{act}/attended/", {"registration": show.event.registrations.first().pk}).status_code == 403
    )
    assert ent.post(f"{act}/invite/", {"org": cast.ent_b.pk}).status_code == 403
    assert _snapshot() == before


def test_ids_of_another_events_rows_are_not_found(cast):
    """IDOR: an item, intention or registration id of another event is 'not found' on this one."""
    show = make_show(cast)
    other = make_event(cast, month="2026-04")
    tto = client_for(cast.p.tto)
    act = f"/roadshows/{other.pk}/act"
    before = _snapshot()
    for action, data, words in (
        ("add_presenter", {"item": show.items[0].pk, "name": "张三"}, "未找到路演专利"),
        ("follow_up", {"intention": show.intentions[0].pk, "note": "x"}, "未找到意向"),
        ("outcome", {"intention": show.intentions[0].pk}, "未找到意向"),
        ("attended", {"registration": show.event.registrations.first().pk}, "未找到报名记录"),
        ("intend", {"item": show.items[0].pk, "mode": "licence", "amount": "1"}, "未找到路演专利"),
    ):
        html = tto.post(f"{act}/{action}/", data, follow=True).content.decode()
        assert words in html, action
    assert _snapshot() == before


def test_an_enterprise_cannot_state_an_intention_for_another(cast):
    show = make_show(cast)
    ent = client_for(cast.ent_b_user)
    ent.post(
        f"/roadshows/{show.event.pk}/act/intend/",
        {"item": show.items[0].pk, "org": cast.ent_a.pk, "mode": "transfer", "amount": "99"},
    )
    mine = RoadshowIntention.objects.get(item=show.items[0], mode="transfer")
    assert mine.org == cast.ent_b  # recorded for its own organisation, whatever was posted
    assert RoadshowIntention.objects.filter(org=cast.ent_a).count() == 1


def test_hostile_form_values_are_messages_not_errors(cast):
    show = make_show(cast, status="planned")
    tto = client_for(cast.p.tto)
    act = f"/roadshows/{show.event.pk}/act"
    before = _snapshot()
    for action, data in (
        ("status", {"to": "<script>alert(1)</script>"}),
        ("status", {"to": "closed"}),
        ("add_item", {"patent": "x" * 5000}),
        ("add_item", {"menu_item": "-1"}),
        ("add_item", {"patent": show.items[0].patent.application_number, "asking_amount": "1e400"}),
        ("add_item", {"patent": show.items[0].patent.application_number, "asking_mode": "gift"}),
        ("add_presenter", {"item": show.items[0].pk, "name": "名" * 500}),
        ("add_presenter", {"item": "１２", "name": "张三"}),
        ("invite", {"org": "0"}),
        ("follow_up", {"intention": "abc"}),
    ):
        response = tto.post(f"{act}/{action}/", data, follow=True)
        assert response.status_code == 200, (action, data)
        assert 'class="messages"' in response.content.decode() or "error" in response.content.decode(), action
    assert _snapshot() == before


def test_outcome_through_an_application_follows_its_contract(cast):
    show = make_show(cast)
    contract = make_contract(cast.p, [show.items[0].patent], licensee_org=cast.ent_a, stage="signed")
    # The outcome is picked as the contract; an application-less contract keeps application empty.
    linked = intentions.link_outcome(cast.p.tto, show.intentions[0], on=HELD_DAY, contract=contract)
    assert (linked.contract, linked.application) == (contract, None)
    event = AuditEvent.objects.get(action="roadshows.outcome.linked")
    assert event.data["contract_no"] == contract.contract_no
    assert event.data["before"] == {"application": None, "contract": None}
    # Re-linking records what it replaced.
    again = make_contract(cast.p, [show.items[0].patent], licensee_org=cast.ent_a, stage="draft")
    intentions.link_outcome(cast.p.tto, show.intentions[0], on=HELD_DAY, contract=again)
    last = AuditEvent.objects.filter(action="roadshows.outcome.linked").order_by("pk").last()
    assert last.data["before"]["contract"] == contract.pk and last.data["after"]["contract"] == again.pk


def test_officer_changes_are_audited_under_its_own_organisation(cast):
    show = make_show(cast, status="planned")
    client_for(cast.officer).post(f"/roadshows/{show.event.pk}/act/invite/", {"org": cast.ent_b.pk})
    event = AuditEvent.objects.get(action="roadshows.invitation.sent")
    assert event.actor == cast.officer and event.org == cast.county_gov
    assert event.data == {"invitee": cast.ent_b.name, "kind": "enterprise"}


def test_api_list_never_leaks_other_regions_or_planned_events(cast):
    make_show(cast, status="planned")
    for user in (cast.ent_a_user, cast.other_officer, cast.p.other_tto):
        body = client_for(user).get("/api/roadshows").json()
        assert body["count"] == 0 and body["results"] == []


def test_another_university_sees_the_event_but_no_ones_intentions(cast):
    show = make_show(cast)
    other = client_for(cast.p.other_tto)
    html = other.get(f"/roadshows/{show.event.pk}/").content.decode()
    assert show.event.title in html and show.items[0].patent.application_number in html
    for testid in ("funnel", "registrations", "intentions", "invitations"):
        assert f'data-testid="{testid}"' not in html, testid
    assert "¥200,000.00" not in html and cast.ent_a.name not in html
    body = other.get(f"/api/roadshows/{show.event.pk}").json()
    assert body["funnel"] is None and body["intentions"] == []
    # The organiser and the officer still read the whole funnel.
    assert client_for(cast.officer).get(f"/api/roadshows/{show.event.pk}").json()["funnel"]["intentions"] == 2

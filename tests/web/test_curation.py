"""Operator curation → push → enterprise feedback → funnel, with roles and audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.accounts.models import Organization
from patentbridge.core.models import AuditEvent
from patentbridge.demands.services import create_need
from patentbridge.matching import services
from patentbridge.matching.models import MatchItem

from .conftest import make_user
from .test_matching import HEAT_NEED, library  # noqa: F401  (fixture)
from .test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(users, library):  # noqa: F811
    return create_need(actor=users["enterprise"], data=HEAT_NEED)


def _numbers(matches):
    return [m.patent.application_number for m in matches]


def test_pin_drop_push_feedback_and_funnel(users, need):
    """The whole loop, counted at each step and audited."""
    operator, company = users["operator"], users["enterprise"]
    first, second, third = _numbers(services.candidates(need, 3))
    pinned = services.curate(
        actor=operator, need=need, application_number=first, action="pin", note="余热回收对口"
    )
    assert pinned.state == "pinned" and pinned.terms and pinned.sentence and pinned.score > 0
    services.curate(actor=operator, need=need, application_number=second, action="pin")
    services.curate(actor=operator, need=need, application_number=third, action="drop", note="温区不符")
    assert services.funnel(need).pinned == 2 and services.funnel(need).dropped == 1

    push = services.push_shortlist(actor=operator, need=need, note="请评估")
    assert push.item_count == 2
    funnel = services.funnel(need)
    assert (funnel.pinned, funnel.pushed, funnel.awaiting) == (0, 2, 2)

    items = {i.patent.application_number: i for i in MatchItem.objects.filter(need=need, state="pushed")}
    services.give_feedback(actor=company, item=items[first], verdict="interested")
    services.give_feedback(actor=company, item=items[second], verdict="not_relevant", reason="我们只做空气源")
    funnel = services.funnel(need)
    assert (funnel.interested, funnel.not_relevant, funnel.awaiting) == (1, 1, 0)
    assert funnel.interest_rate == 0.5
    actions = set(AuditEvent.objects.filter(action__startswith="matching.").values_list("action", flat=True))
    assert actions == {
        "matching.item.pinned",
        "matching.item.dropped",
        "matching.shortlist.pushed",
        "matching.item.feedback",
    }
    feedback = AuditEvent.objects.filter(action="matching.item.feedback").order_by("pk").last()
    assert feedback.data["after"] == {"feedback": "not_relevant", "reason": "我们只做空气源"}


def test_dropped_and_curated_patents_do_not_come_back_as_candidates(users, need):
    """A dropped patent stays out of the need's candidates; a pinned one moves to the shortlist."""
    top = _numbers(services.candidates(need, 5))
    services.curate(actor=users["operator"], need=need, application_number=top[0], action="drop")
    services.curate(actor=users["operator"], need=need, application_number=top[1], action="pin")
    again = _numbers(services.candidates(need, 10))
    assert top[0] not in again and top[1] not in again
    assert again[:3] == top[2:5]
    services.curate(actor=users["operator"], need=need, application_number=top[1], action="unpin")
    assert top[1] in _numbers(services.candidates(need, 10))
    assert top[0] not in _numbers(services.candidates(need, 10))


def test_curation_rules(users, need):
    """Only operators curate; only library patents; pushed items are frozen; empty push refused."""
    number = _numbers(services.candidates(need, 1))[0]
    with pytest.raises(PermissionDenied):
        services.curate(actor=users["enterprise"], need=need, application_number=number, action="pin")
    with pytest.raises(PermissionDenied):
        services.push_shortlist(actor=users["tto"], need=need)
    with pytest.raises(ValidationError):
        services.push_shortlist(actor=users["operator"], need=need)
    with pytest.raises(ValidationError):
        services.curate(actor=users["operator"], need=need, application_number="202399999999.9", action="pin")
    with pytest.raises(ValidationError):
        services.curate(
            actor=users["operator"], need=need, application_number=number, action="note", note="x"
        )
    services.curate(actor=users["operator"], need=need, application_number=number, action="pin")
    services.push_shortlist(actor=users["operator"], need=need)
    with pytest.raises(ValidationError):
        services.curate(actor=users["operator"], need=need, application_number=number, action="drop")
    item = services.curate(
        actor=users["operator"], need=need, application_number=number, action="note", note="已电话沟通"
    )
    assert item.state == "pushed" and item.note == "已电话沟通"


def test_feedback_rules(users, need):
    """Feedback only from the posting enterprise, only on pushed items, reasons for 不相关."""
    number = _numbers(services.candidates(need, 1))[0]
    item = services.curate(actor=users["operator"], need=need, application_number=number, action="pin")
    with pytest.raises(ValidationError):
        services.give_feedback(actor=users["enterprise"], item=item, verdict="interested")
    services.push_shortlist(actor=users["operator"], need=need)
    item.refresh_from_db()
    other = make_user(
        "rival", Organization.objects.create(name="另一家企业", kind="enterprise"), "enterprise"
    )
    for outsider in (other, users["operator"], users["tto"]):
        with pytest.raises(PermissionDenied):
            services.give_feedback(actor=outsider, item=item, verdict="interested")
    with pytest.raises(ValidationError):
        services.give_feedback(actor=users["enterprise"], item=item, verdict="not_relevant", reason="  ")
    with pytest.raises(ValidationError):
        services.give_feedback(actor=users["enterprise"], item=item, verdict="maybe")
    services.give_feedback(actor=users["enterprise"], item=item, verdict="interested")
    assert MatchItem.objects.get(pk=item.pk).feedback == "interested"


def test_pages_by_role(users, need):
    """Curation controls for operators only; the enterprise sees pushed items, never drops or picks."""
    numbers = _numbers(services.candidates(need, 3))
    operator = client_for(users["operator"])
    response = operator.post(f"/matching/needs/{need.pk}/curate/", {"patent": numbers[0], "action": "pin"})
    assert response.status_code == 302
    operator.post(
        f"/matching/needs/{need.pk}/curate/", {"patent": numbers[1], "action": "drop", "note": "不对口"}
    )
    operator.post(f"/matching/needs/{need.pk}/curate/", {"patent": numbers[2], "action": "pin"})
    company = client_for(users["enterprise"])
    page = company.get(f"/needs/{need.pk}/").content.decode()
    assert numbers[1] not in page and "不对口" not in page
    assert 'data-testid="need-shortlist"' not in page  # pinned but not yet pushed: invisible
    assert (
        company.post(
            f"/matching/needs/{need.pk}/curate/", {"patent": numbers[1], "action": "pin"}
        ).status_code
        == 403
    )
    assert company.post(f"/matching/needs/{need.pk}/push/").status_code == 403
    assert operator.post(f"/matching/needs/{need.pk}/push/", {"note": "请查收"}).status_code == 302

    inbox = company.get("/matching/inbox/")
    assert {i.patent.application_number for i in inbox.context["page"]} == {numbers[0], numbers[2]}
    item = MatchItem.objects.get(need=need, patent__application_number=numbers[0])
    response = company.post(
        f"/matching/items/{item.pk}/feedback/", {"verdict": "not_relevant", "reason": "功率太小"}
    )
    assert response.status_code == 302
    assert MatchItem.objects.get(pk=item.pk).feedback_reason == "功率太小"

    rival = make_user(
        "rival", Organization.objects.create(name="另一家企业", kind="enterprise"), "enterprise"
    )
    assert (
        client_for(rival).post(f"/matching/items/{item.pk}/feedback/", {"verdict": "interested"}).status_code
        == 404
    )
    assert client_for(rival).get("/matching/inbox/").context["page"].paginator.count == 0
    assert client_for(users["tto"]).get("/matching/inbox/").status_code == 403
    assert company.get("/matching/").status_code == 403
    funnels = operator.get("/matching/")
    row = next(n for n in funnels.context["page"] if n.pk == need.pk)
    assert (row.pushed, row.not_relevant, row.awaiting, row.dropped) == (2, 1, 1, 1)

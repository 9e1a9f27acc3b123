"""Refusal branches of the roadshow services the other tests do not reach: status steps out of
order, item and presenter input, invitations of the wrong kind or region, registration without
sight of the event, intentions of unregistered enterprises or in bad amounts. Each refusal is a
Chinese message and changes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.roadshows.models import (
    RoadshowIntention,
    RoadshowInvitation,
    RoadshowItem,
    RoadshowPresenter,
    RoadshowRegistration,
)
from patentbridge.roadshows.services import events, intentions, people
from web.factories import make_member, make_org
from web.menus.factories import chain_patent
from web.roadshows.factories import BEFORE, EVENT_DAY, HELD_DAY, make_event, make_show

pytestmark = pytest.mark.django_db


def test_status_moves_one_step_forward_only(cast):
    show = make_show(cast, status="planned")
    event = show.event
    for to in ("held", "closed", "planned"):
        with pytest.raises(ValidationError, match="不能改为该状态"):
            events.set_status(cast.p.tto, event, to=to, on=EVENT_DAY)
    events.set_status(cast.p.tto, event, to="open", on=BEFORE)
    with pytest.raises(ValidationError, match="举办后才能"):
        events.set_status(cast.p.tto, event, to="held", on=BEFORE)
    event.refresh_from_db()
    assert event.status == "open"
    assert AuditEvent.objects.filter(action="roadshows.event.status").count() == 1


def test_an_empty_event_cannot_open(cast):
    event = make_event(cast)
    with pytest.raises(ValidationError, match="请先加入路演专利"):
        events.set_status(cast.p.tto, event, to="open", on=BEFORE)


def test_item_input_refusals(cast):
    show = make_show(cast, status="planned")
    event = show.event
    with pytest.raises(ValidationError, match="请选择专利"):
        events.add_item(cast.p.tto, event, on=BEFORE)
    with pytest.raises(ValidationError, match="已在本场路演中"):
        events.add_item(cast.p.tto, event, on=BEFORE, patent=show.items[0].patent)
    fresh = chain_patent(cast.p.university)
    with pytest.raises(ValidationError, match="拟转化方式无效"):
        events.add_item(cast.p.tto, event, on=BEFORE, patent=fresh, asking_mode="barter")
    for amount, word in (("abc", "应为金额"), ("-1", "0 至"), ("1.234", "两位小数")):
        with pytest.raises(ValidationError, match=word):
            events.add_item(cast.p.tto, event, on=BEFORE, patent=fresh, asking_amount=amount)
    draft = chain_patent(cast.p.university, status="draft")
    with pytest.raises(ValidationError, match="尚未入库"):
        events.add_item(cast.p.tto, event, on=BEFORE, patent=draft)
    assert RoadshowItem.objects.filter(event=event).count() == 2


def test_presenter_refusals(cast):
    show = make_show(cast, status="planned")
    item = show.items[0]
    with pytest.raises(ValidationError, match="请填写路演人"):
        events.add_presenter(cast.p.tto, item, name=" ")
    events.add_presenter(cast.p.tto, item, name="张三", affiliation="某大学")
    with pytest.raises(ValidationError, match="已是该专利的路演人"):
        events.add_presenter(cast.p.tto, item, name="张三")
    with pytest.raises(ValidationError, match="路演人"):
        events.add_presenter(cast.p.tto, item, name="长" * 101)
    assert RoadshowPresenter.objects.filter(item=item).count() == 1


def test_invitation_refusals(cast):
    show = make_show(cast, status="planned")
    event = show.event
    with pytest.raises(ValidationError, match="不是"):
        people.invite(cast.p.tto, event, cast.p.university)  # a university is not an enterprise
    with pytest.raises(ValidationError, match="邀请类别无效"):
        people.invite(cast.p.tto, event, cast.ent_a, kind="celebrity")
    people.invite(cast.p.tto, event, cast.ent_a)
    with pytest.raises(ValidationError, match="已被邀请"):
        people.invite(cast.officer, event, cast.ent_a)
    with pytest.raises(PermissionDenied, match="本辖区"):
        people.invite(cast.officer, event, cast.ent_far)  # an enterprise of another county
    with pytest.raises(PermissionDenied, match="本辖区"):
        people.invite(cast.officer, event, cast.ent_b, kind="investor")
    with pytest.raises(PermissionDenied):
        people.invite(cast.other_officer, event, cast.ent_b)  # another county's event is not its own
    with pytest.raises(PermissionDenied):
        people.invite(cast.p.other_tto, event, cast.ent_b)  # another organisation's TTO
    assert RoadshowInvitation.objects.filter(event=event).count() == 1


def test_an_enterprise_cannot_register_for_a_planned_event_it_was_not_invited_to(cast):
    show = make_show(cast, status="planned")
    with pytest.raises(PermissionDenied, match="无权查看"):
        people.register(cast.ent_b_user, show.event, on=BEFORE)
    # Invited, it sees the event but registration opens only with the event.
    people.invite(cast.p.tto, show.event, cast.ent_b)
    with pytest.raises(ValidationError):
        people.register(cast.ent_b_user, show.event, on=BEFORE)
    orphan = make_member(make_org("没有企业的用户单位", "university"), "tto")
    with pytest.raises(PermissionDenied):
        people.register(orphan, show.event, on=BEFORE)
    assert not RoadshowRegistration.objects.exists()


def test_intention_refusals(cast):
    show = make_show(cast, status="held", with_intentions=False)
    item = show.items[0]
    stranger = make_org("未报名的企业", "enterprise", region_code="371522")
    with pytest.raises(ValidationError, match="已报名本场路演"):
        intentions.record_intention(
            cast.p.tto, item, org=stranger, mode="licence", amount="1000", on=HELD_DAY
        )
    with pytest.raises(ValidationError, match="已报名本场路演"):
        intentions.record_intention(cast.ent_far_user, item, mode="licence", amount="1000", on=HELD_DAY)
    with pytest.raises(ValidationError, match="意向方式"):
        intentions.record_intention(cast.ent_a_user, item, mode="gift", amount="1000", on=HELD_DAY)
    with pytest.raises(ValidationError, match="意向金额"):
        intentions.record_intention(cast.ent_a_user, item, mode="licence", amount="", on=HELD_DAY)
    intentions.record_intention(cast.ent_a_user, item, mode="licence", amount="1000", on=HELD_DAY)
    with pytest.raises(ValidationError, match="已就该专利登记过意向"):
        intentions.record_intention(cast.p.tto, item, org=cast.ent_a, mode="trial", amount="5", on=HELD_DAY)
    with pytest.raises(PermissionDenied):
        intentions.record_intention(
            cast.p.other_tto, item, org=cast.ent_b, mode="licence", amount="1", on=HELD_DAY
        )
    assert RoadshowIntention.objects.filter(item=item).count() == 1

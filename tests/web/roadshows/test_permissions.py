"""Who may do what on a roadshow (services and the restrict rules): organisers in their own name,
the county officer inside its region (read, invite its region's enterprises — never organise),
enterprises on their own registration and intentions, everyone else nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.restrict import restrict
from patentbridge.roadshows.models import (
    RoadshowEvent,
    RoadshowIntention,
    RoadshowInvitation,
    RoadshowRegistration,
)
from patentbridge.roadshows.services import events, intentions, people
from web.factories import make_member, make_org
from web.menus.factories import chain_patent
from web.roadshows.factories import BEFORE, HELD_DAY, make_event, make_show

pytestmark = pytest.mark.django_db


def test_one_event_per_chain_and_month(cast):
    make_event(cast)
    with pytest.raises(ValidationError) as exc:
        make_event(cast, title="同月第二场")
    assert "一月一链" in exc.value.message_dict["month"][0]
    make_event(cast, month="2026-04")  # next month is fine
    make_event(cast, chain="AGRI")  # another chain the same month is fine


def test_government_never_organises(cast):
    with pytest.raises(ValidationError, match="名义主办"):
        make_event(cast, organiser_org=cast.county_gov)
    with pytest.raises(ValidationError, match="名义主办"):
        events.create_event(
            cast.p.operator,
            organiser_org=cast.county_gov,
            chain=None,
            month="2026-03",
            title="x",
            event_date=dt.date(2026, 3, 2),
            region_code="371522",
            venue="x",
        )
    with pytest.raises(PermissionDenied):
        events.create_event(
            cast.officer,
            organiser_org=cast.p.university,
            chain=None,
            month="2026-03",
            title="x",
            event_date=dt.date(2026, 3, 2),
            region_code="371522",
            venue="x",
        )


def test_a_tto_organises_only_in_its_own_name(cast):
    with pytest.raises(PermissionDenied, match="本单位名义"):
        make_event(cast, organiser_org=cast.p.other_university)
    # The operation centre's operators act platform-wide and may organise in a university's name.
    from patentbridge.patents.models import IndustryChain

    event = events.create_event(
        cast.p.operator,
        organiser_org=cast.p.other_university,
        chain=IndustryChain.objects.get(code="GLC"),
        month="2026-03",
        title="运营中心代为筹备",
        event_date=dt.date(2026, 3, 9),
        region_code="3715",
        online_url="https://example.org/live",
    )
    assert (event.organiser_org, event.region_code, event.venue) == (cast.p.other_university, "3715", "")


def test_create_event_refuses_bad_input_in_chinese(cast):
    from patentbridge.patents.models import IndustryChain

    glc = IndustryChain.objects.get(code="GLC")
    with pytest.raises(ValidationError) as exc:
        events.create_event(
            cast.p.tto,
            organiser_org=cast.p.university,
            chain=glc,
            month="2026-13",
            title="",
            event_date=None,
            region_code="abc",
            online_url="javascript:alert(1)",
            cohost_org=cast.ent_a,
        )
    errors = exc.value.message_dict
    assert errors["month"] == ["月份应写作 YYYY-MM，如 2026-11"]
    assert errors["event_date"] == ["请填写举办日期"]
    assert "行政区划代码" in errors["region_code"][0]
    assert errors["online_url"] == ["线上链接应以 https:// 或 http:// 开头"]
    assert errors["cohost_org"] == ["协办单位应为政府部门"]
    with pytest.raises(ValidationError) as exc:
        make_event(cast, event_date=dt.date(2026, 4, 1), venue="", online_url="")
    assert exc.value.message_dict["event_date"] == ["举办日期应在 2026-03 月内"]
    assert exc.value.message_dict["venue"] == ["请填写举办地点或线上链接"]
    with pytest.raises(ValidationError, match="辖区应包含"):
        make_event(cast, cohost_org=cast.other_gov)
    assert not RoadshowEvent.objects.exists()


def test_other_tto_cannot_touch_the_event(cast):
    event = make_event(cast)
    patent = chain_patent(cast.p.university)
    with pytest.raises(PermissionDenied):
        events.add_item(cast.p.other_tto, event, on=BEFORE, patent=patent)
    with pytest.raises(PermissionDenied):
        events.set_status(cast.p.other_tto, event, to="open", on=BEFORE)
    with pytest.raises(PermissionDenied):
        events.add_item(cast.officer, event, on=BEFORE, patent=patent)  # officers do not pick patents


def test_items_must_be_in_library_and_offerable(cast):
    event = make_event(cast)
    lapsed = chain_patent(cast.p.university, legal_status="lapsed")
    with pytest.raises(ValidationError, match="不能路演"):
        events.add_item(cast.p.tto, event, on=BEFORE, patent=lapsed)
    ok = chain_patent(cast.p.university)
    events.add_item(cast.p.tto, event, on=BEFORE, patent=ok, asking_amount="80,000")
    with pytest.raises(ValidationError, match="已在本场路演中"):
        events.add_item(cast.p.tto, event, on=BEFORE, patent=ok)
    for bad, message in (("abc", "应为金额"), ("-5", "之间"), ("1e20", "之间"), ("1.005", "两位小数")):
        with pytest.raises(ValidationError, match=message):
            events.add_item(
                cast.p.tto, event, on=BEFORE, patent=chain_patent(cast.p.university), asking_amount=bad
            )
    assert event.items.get().asking_amount == 80000


def test_officer_sees_and_invites_only_inside_its_region(cast):
    show = make_show(cast, status="planned")
    event = show.event
    visible = restrict(RoadshowEvent.objects.all(), cast.officer)
    assert list(visible) == [event]
    assert list(restrict(RoadshowEvent.objects.all(), cast.city_officer)) == [event]  # 聊城市 ⊃ 莘县
    assert not restrict(RoadshowEvent.objects.all(), cast.other_officer).exists()  # 东昌府区
    with pytest.raises(PermissionDenied, match="本辖区的企业"):
        people.invite(cast.officer, event, cast.ent_far)
    investor = make_org("某创投基金（测试）", "agency")
    with pytest.raises(PermissionDenied, match="本辖区的企业"):
        people.invite(cast.officer, event, investor, kind="investor")
    with pytest.raises(PermissionDenied):
        people.invite(cast.other_officer, event, cast.ent_far)
    people.invite(cast.officer, event, cast.ent_b)  # located by its USCC only
    with pytest.raises(ValidationError, match="已被邀请"):
        people.invite(cast.officer, event, cast.ent_b)
    # The organiser invites anyone, investors included; the notice is in the organiser's name.
    people.invite(cast.p.tto, event, investor, kind="investor")
    people.invite(cast.p.tto, event, cast.ent_far)
    assert RoadshowInvitation.objects.filter(event=event).count() == 3
    from patentbridge.core.models import Notification

    note = Notification.objects.filter(org=cast.ent_b).get()
    assert note.message.startswith(cast.p.university.name) and cast.county_gov.name not in note.message


def test_officer_never_captures_intentions_or_outcomes(cast):
    show = make_show(cast)
    with pytest.raises(PermissionDenied):
        intentions.record_intention(
            cast.officer, show.items[0], org=cast.ent_a, mode="licence", amount="1", on=HELD_DAY
        )
    with pytest.raises(PermissionDenied):
        intentions.add_follow_up(cast.officer, show.intentions[0], on=HELD_DAY, note="x")
    with pytest.raises(PermissionDenied):
        intentions.link_outcome(cast.officer, show.intentions[0], on=HELD_DAY)


def test_enterprise_registers_itself_only_while_open(cast):
    show = make_show(cast, status="planned")
    with pytest.raises(PermissionDenied):  # a planned event is not shown to it yet
        people.register(cast.ent_a_user, show.event, on=BEFORE)
    people.invite(cast.p.tto, show.event, cast.ent_a)
    with pytest.raises(ValidationError, match="不能报名"):  # invited: sees it, registers when open
        people.register(cast.ent_a_user, show.event, on=BEFORE)
    events.set_status(cast.p.tto, show.event, to="open", on=BEFORE)
    people.register(cast.ent_a_user, show.event, on=BEFORE)
    with pytest.raises(ValidationError, match="已报名"):
        people.register(cast.ent_a_user, show.event, on=BEFORE)
    with pytest.raises(PermissionDenied):
        people.register(cast.p.tto, show.event, on=BEFORE)
    assert RoadshowRegistration.objects.filter(event=show.event).count() == 1


def test_planned_event_is_hidden_from_enterprises_unless_invited(cast):
    show = make_show(cast, status="planned")
    assert not restrict(RoadshowEvent.objects.all(), cast.ent_a_user).exists()
    people.invite(cast.p.tto, show.event, cast.ent_a)
    assert list(restrict(RoadshowEvent.objects.all(), cast.ent_a_user)) == [show.event]
    assert not restrict(RoadshowEvent.objects.all(), cast.ent_b_user).exists()
    assert not restrict(RoadshowEvent.objects.all(), cast.p.other_tto).exists()
    events.set_status(cast.p.tto, show.event, to="open", on=BEFORE)
    assert restrict(RoadshowEvent.objects.all(), cast.ent_b_user).exists()
    assert restrict(RoadshowEvent.objects.all(), cast.p.other_tto).exists()
    assert not restrict(RoadshowEvent.objects.all(), cast.p.inventor).exists()


def test_intentions_need_registration_held_event_and_own_org(cast):
    show = make_show(cast, status="open")
    with pytest.raises(ValidationError, match="不能登记意向"):
        intentions.record_intention(cast.ent_a_user, show.items[0], mode="licence", amount="1", on=HELD_DAY)
    events.set_status(cast.p.tto, show.event, to="held", on=HELD_DAY)
    with pytest.raises(ValidationError, match="已报名"):
        intentions.record_intention(cast.ent_far_user, show.items[0], mode="licence", amount="1", on=HELD_DAY)
    # An enterprise naming another org still records for itself.
    row = intentions.record_intention(
        cast.ent_a_user, show.items[0], org=cast.ent_b, mode="transfer", amount="300000", on=HELD_DAY
    )
    assert row.org == cast.ent_a
    with pytest.raises(ValidationError, match="已就该专利登记过意向"):
        intentions.record_intention(cast.ent_a_user, show.items[0], mode="licence", amount="5", on=HELD_DAY)
    with pytest.raises(ValidationError, match="请选择意向方式"):
        intentions.record_intention(cast.ent_b_user, show.items[0], mode="equity", amount="5", on=HELD_DAY)
    with pytest.raises(ValidationError, match="请填写意向金额"):
        intentions.record_intention(cast.ent_b_user, show.items[0], mode="licence", amount="", on=HELD_DAY)
    with pytest.raises(PermissionDenied):
        intentions.record_intention(
            cast.p.other_tto, show.items[0], org=cast.ent_b, mode="licence", amount="5", on=HELD_DAY
        )


def test_each_enterprise_sees_only_its_own_records(cast):
    make_show(cast)
    own = restrict(RoadshowIntention.objects.all(), cast.ent_a_user)
    assert [i.org for i in own] == [cast.ent_a]
    assert [r.org for r in restrict(RoadshowRegistration.objects.all(), cast.ent_b_user)] == [cast.ent_b]
    assert not restrict(RoadshowIntention.objects.all(), cast.ent_far_user).exists()
    # The organiser and the region's officer read every intention; another county's officer none.
    assert restrict(RoadshowIntention.objects.all(), cast.p.tto).count() == 2
    assert restrict(RoadshowIntention.objects.all(), cast.officer).count() == 2
    assert not restrict(RoadshowIntention.objects.all(), cast.other_officer).exists()
    assert not restrict(RoadshowIntention.objects.all(), cast.p.other_tto).exists()
    # Only the organiser changes them.
    assert not restrict(RoadshowIntention.objects.all(), cast.officer, "change").exists()


def test_user_without_organisation_sees_nothing(cast):
    lonely = make_member(make_org("无关单位", "enterprise"), "enterprise")
    lonely.membership.delete()
    lonely.refresh_from_db()
    make_show(cast)
    assert not restrict(RoadshowEvent.objects.all(), lonely).exists()


def test_a_chain_month_taken_meanwhile_is_a_chinese_refusal(cast):
    """Two organisers pass the check at once: the unique constraint decides, the loser gets the
    same Chinese message (the savepoint keeps the caller's transaction usable)."""
    from unittest import mock

    make_event(cast)
    with mock.patch.object(RoadshowEvent.objects, "filter", wraps=RoadshowEvent.objects.filter) as spy:
        spy.return_value.exists.return_value = False
        spy.side_effect = None
        with pytest.raises(ValidationError) as exc:
            make_event(cast, title="并发的第二场")
    assert "一月一链" in exc.value.message_dict["month"][0]
    assert RoadshowEvent.objects.count() == 1

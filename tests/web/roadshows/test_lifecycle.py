"""A roadshow from planning to outcome through the services: the funnel's counts and amounts,
outcomes read from licensing (a signed contract is a deal with its fixed fees), and an audit event
for every change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.roadshows.funnel import event_funnel
from patentbridge.roadshows.models import RoadshowFollowUp
from patentbridge.roadshows.services import events, intentions
from web.licensing.factories import fee_lump_sum, fee_royalty, make_contract
from web.roadshows.factories import HELD_DAY, make_show

pytestmark = pytest.mark.django_db


def test_funnel_counts_items_registrations_intentions_and_amounts(cast):
    show = make_show(cast)
    funnel = event_funnel(show.event)
    assert (funnel.items, funnel.invited, funnel.registered, funnel.intentions) == (2, 1, 2, 2)
    # 200,000 + 150,000.50, summed as Decimal (no float rounding).
    assert funnel.intention_amount == Decimal("350000.50")
    assert (funnel.outcomes, funnel.deals, funnel.deal_amount) == (0, 0, Decimal("0.00"))
    assert funnel.by_mode == {"licence": 1, "trial": 1}
    assert [s["count"] for s in funnel.steps()] == [2, 2, 2, 0]


def test_a_signed_contract_linked_as_outcome_is_a_deal_with_its_fixed_fees(cast):
    show = make_show(cast)
    first = show.intentions[0]
    contract = make_contract(
        cast.p,
        [show.items[0].patent],
        licensee_org=cast.ent_a,
        fee_schedule=fee_lump_sum("120000.00"),
        stage="signed",
    )
    intentions.link_outcome(cast.p.tto, first, on=HELD_DAY, contract=contract)
    first.refresh_from_db()
    assert first.contract == contract and first.outcome_on == HELD_DAY
    funnel = event_funnel(show.event)
    assert (funnel.outcomes, funnel.deals) == (1, 1)
    assert funnel.deal_amount == Decimal("120000.00")
    assert funnel.royalty_deals == 0


def test_royalty_deal_counts_only_its_entry_fee(cast):
    show = make_show(cast)
    contract = make_contract(
        cast.p,
        [show.items[0].patent],
        licensee_org=cast.ent_a,
        trial_months=6,
        fee_schedule=fee_royalty("0.03", entry_fee="50000.00"),
        stage="signed",
    )
    intentions.link_outcome(cast.p.tto, show.intentions[0], on=HELD_DAY, contract=contract)
    funnel = event_funnel(show.event)
    # A signed trial is a deal; its amount is the fixed part (the entry fee), royalties excluded.
    assert (funnel.deals, funnel.deal_amount, funnel.royalty_deals) == (1, Decimal("50000.00"), 1)


def test_a_draft_contract_is_an_outcome_but_not_a_deal(cast):
    show = make_show(cast)
    contract = make_contract(cast.p, [show.items[0].patent], licensee_org=cast.ent_a, stage="draft")
    intentions.link_outcome(cast.p.tto, show.intentions[0], on=HELD_DAY, contract=contract)
    funnel = event_funnel(show.event)
    assert (funnel.outcomes, funnel.deals, funnel.deal_amount) == (1, 0, Decimal("0.00"))


def test_outcome_must_be_the_enterprises_own_licence_on_that_patent(cast):
    show = make_show(cast)
    other_patent = make_contract(cast.p, [show.items[1].patent], licensee_org=cast.ent_a)
    other_licensee = make_contract(cast.p, [show.items[0].patent], licensee_org=cast.ent_b)
    for contract in (other_patent, other_licensee):
        with pytest.raises(ValidationError) as exc:
            intentions.link_outcome(cast.p.tto, show.intentions[0], on=HELD_DAY, contract=contract)
        assert "不是该企业就该专利签订的" in exc.value.messages[0]
    with pytest.raises(ValidationError, match="请选择许可申请或许可合同"):
        intentions.link_outcome(cast.p.tto, show.intentions[0], on=HELD_DAY)
    show.intentions[0].refresh_from_db()
    assert show.intentions[0].contract is None


def test_follow_up_is_dated_with_next_step_and_audited(cast):
    show = make_show(cast)
    row = intentions.add_follow_up(
        cast.p.tto,
        show.intentions[0],
        on=dt.date(2026, 3, 25),
        note="企业到校考察中试线",
        next_step="报价并起草许可合同",
        next_on=dt.date(2026, 4, 10),
    )
    assert RoadshowFollowUp.objects.get() == row
    event = AuditEvent.objects.get(action="roadshows.follow_up.recorded")
    assert event.data["next_step"] == "报价并起草许可合同" and event.data["on"] == "2026-03-25"
    with pytest.raises(ValidationError, match="下一步日期不能早于跟进日期"):
        intentions.add_follow_up(
            cast.p.tto, show.intentions[0], on=dt.date(2026, 3, 25), note="x", next_on=dt.date(2026, 3, 1)
        )
    with pytest.raises(ValidationError, match="请填写跟进情况"):
        intentions.add_follow_up(cast.p.tto, show.intentions[0], on=dt.date(2026, 3, 25), note="  ")


def test_every_step_writes_its_audit_event_with_the_actor(cast):
    show = make_show(cast, status="closed")
    actions = list(
        AuditEvent.objects.filter(action__startswith="roadshows.").values_list("action", flat=True)
    )
    assert actions.count("roadshows.event.created") == 1
    assert actions.count("roadshows.item.added") == 2
    assert actions.count("roadshows.event.status") == 3  # open, held, closed
    assert actions.count("roadshows.invitation.sent") == 1
    assert actions.count("roadshows.registration.created") == 2
    assert actions.count("roadshows.intention.recorded") == 2
    invite = AuditEvent.objects.get(action="roadshows.invitation.sent")
    assert invite.actor == cast.officer and invite.data["invitee"] == cast.ent_a.name
    stated = AuditEvent.objects.filter(action="roadshows.intention.recorded").order_by("pk")
    assert [e.actor for e in stated] == [cast.ent_a_user, cast.p.tto]
    assert [e.data["amount"] for e in stated] == ["200000.00", "150000.50"]
    closed = AuditEvent.objects.filter(action="roadshows.event.status").order_by("pk").last()
    assert closed.data == {
        "before": {"roadshow_status": "held"},
        "after": {"roadshow_status": "closed"},
        "on": "2026-03-21",
    }
    assert show.event.status == "closed"


def test_status_moves_one_step_forward_only(cast):
    show = make_show(cast, status="planned")
    with pytest.raises(ValidationError, match="不能改为该状态"):
        events.set_status(cast.p.tto, show.event, to="held", on=HELD_DAY)
    events.set_status(cast.p.tto, show.event, to="open", on=HELD_DAY)
    with pytest.raises(ValidationError, match="不能改为该状态"):
        events.set_status(cast.p.tto, show.event, to="planned", on=HELD_DAY)


def test_held_only_after_the_event_day_and_open_needs_items(cast):
    from web.roadshows.factories import make_event

    empty = make_event(cast, month="2026-05")
    with pytest.raises(ValidationError, match="请先加入路演专利"):
        events.set_status(cast.p.tto, empty, to="open", on=HELD_DAY)
    show = make_show(cast, status="open")
    with pytest.raises(ValidationError, match="举办后才能登记为已举办"):
        events.set_status(cast.p.tto, show.event, to="held", on=dt.date(2026, 3, 19))


def test_closed_event_keeps_its_funnel_and_still_takes_outcomes(cast):
    show = make_show(cast, status="closed")
    contract = make_contract(cast.p, [show.items[0].patent], licensee_org=cast.ent_a, stage="signed")
    intentions.link_outcome(cast.p.tto, show.intentions[0], on=HELD_DAY, contract=contract)
    assert event_funnel(show.event).deals == 1
    with pytest.raises(ValidationError, match="不能记录跟进"):
        intentions.add_follow_up(cast.p.tto, show.intentions[0], on=HELD_DAY, note="已结束")

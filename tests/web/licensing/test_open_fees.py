"""The open-licence annual-fee reduction: when it applies (policy switch OL_REDUCTION_STARTS) and
the no-stacking display (§13: invention year 5, ¥1,200, 85 % relief + open licence → ¥180)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from patentbridge.licensing.services import open_fees, open_licence
from web.licensing.factories import OL_PUBLISHED, make_declaration, make_granted_patent

pytestmark = pytest.mark.django_db


def test_the_reduction_applies_from_publication_until_the_withdrawal_announcement(parties, patent):
    """Default reading (publication): from the announcement day; the withdrawal announcement day
    is the last day of the ledger event, the day after no longer counts."""
    decl = make_declaration(parties.tto, patent)
    before = open_licence.open_licence_fee_flag(patent, OL_PUBLISHED - dt.timedelta(days=1))
    on = open_licence.open_licence_fee_flag(patent, OL_PUBLISHED)
    assert not before.applies and on.applies
    assert on.rate == Decimal("0.15") and on.mode == "publication" and on.declaration_id == decl.pk
    assert "OL_ANNUAL_FEE_REDUCTION@CN@2024-08-06" in on.policy_versions
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 5, 1), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 5, 20), on=dt.date(2026, 5, 20)
    )
    assert open_licence.open_licence_fee_flag(patent, dt.date(2026, 5, 20)).applies
    after = open_licence.open_licence_fee_flag(patent, dt.date(2026, 5, 21))
    assert not after.applies and "无已公告" in after.reason


def test_under_first_licence_the_reduction_waits_for_an_acceptance(parties, patent, monkeypatch):
    """OL_REDUCTION_STARTS = first_licence: a published declaration alone is not enough."""
    real = open_fees.policy.param

    def param(key, **kw):
        row = real(key, **kw)
        return dataclasses.replace(row, value="first_licence") if key == "OL_REDUCTION_STARTS" else row

    monkeypatch.setattr(open_fees.policy, "param", param)
    decl = make_declaration(parties.tto, patent)
    waiting = open_licence.open_licence_fee_flag(patent, dt.date(2026, 3, 1))
    assert not waiting.applies and "首项许可" in waiting.reason
    open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    assert not open_licence.open_licence_fee_flag(patent, dt.date(2026, 3, 1)).applies
    assert open_licence.open_licence_fee_flag(patent, dt.date(2026, 3, 2)).applies


def test_no_reduction_before_the_policy_took_effect(parties, patent):
    flag = open_licence.open_licence_fee_flag(patent, dt.date(2024, 8, 5))
    assert not flag.applies and "2024-08-06" in flag.reason


def test_the_next_fee_is_year_five_due_the_day_before_the_fifth_year_starts(patent):
    assert open_licence.next_fee_due(patent, dt.date(2026, 2, 10)) == (5, dt.date(2026, 2, 28))
    assert open_licence.next_fee_due(patent, dt.date(2026, 3, 1)) == (6, dt.date(2027, 2, 28))


def test_the_best_single_reduction_is_chosen_never_both(parties, patent):
    """§13: ¥1,200; open licence alone → ¥1,020; with 85 % relief as well → ¥180 (max, not sum,
    not stacked 153)."""
    make_declaration(parties.tto, patent)
    plan = open_licence.annual_fee_plan(patent, dt.date(2026, 2, 10))
    assert plan is not None and plan["year"] == 5 and plan["due_date"] == dt.date(2026, 2, 28)
    assert plan["full"] == "¥1,200.00" and plan["flag"].applies
    assert plan["payable"] == "¥1,020.00"
    assert plan["with_relief"] == "¥180.00" and "85%" in plan["with_relief_choice"]


def test_without_an_open_licence_the_plan_shows_the_full_fee(patent):
    plan = open_licence.annual_fee_plan(patent, dt.date(2026, 2, 10))
    assert plan is not None and not plan["flag"].applies
    assert plan["payable"] == "¥1,200.00" and plan["with_relief"] == "¥180.00"


def test_utility_model_fees_follow_their_own_table(parties):
    um = make_granted_patent(parties.university, patent_type="utility_model")
    plan = open_licence.annual_fee_plan(um, dt.date(2026, 2, 10))
    assert plan is not None and plan["year"] == 5 and plan["full"] == "¥900.00"

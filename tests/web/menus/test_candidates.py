"""Suggestion details: the pool by source, the inventor team and the modes of a published offer
on each candidate, supplements ranked with offered patents first, government-use public-list
patents left out, a local need's chain giving a chain to a patent the classifier did not place,
and hand-added patents below the grade floor."""

from __future__ import annotations

import datetime as dt

import pytest

from patentbridge.grading.models import PublicListEntry
from patentbridge.matching.teams import rebuild_teams
from patentbridge.menus.candidates import availability, candidates_for, pool
from patentbridge.menus.services import compose
from patentbridge.search.index import rebuild_index
from web.factories import make_need
from web.menus.factories import ON, chain_patent, chain_patents, grade
from web.menus.test_compose import new_menu
from web.menus.test_lifecycle import offer_for

pytestmark = pytest.mark.django_db


def test_pool_is_the_publishers_library_or_the_whole_provincial_library(cast):
    own = chain_patents(cast.p.university, 2)
    theirs = chain_patents(cast.p.other_university, 2)
    pending = chain_patent(cast.p.university, status="pending_university")
    menu = new_menu(cast)
    assert set(pool(menu)) == set(own)
    assert set(pool(menu, supplement=True)) == set(theirs)
    centre_menu = new_menu(cast, cast.p.operator, org=cast.p.centre, source="resource_pool")
    assert set(pool(centre_menu)) == set(own + theirs) and pending not in set(pool(centre_menu))


def test_each_candidate_names_its_team_and_the_modes_on_offer(cast):
    offered, plain = chain_patents(cast.p.university, 2)
    offer = offer_for(cast, [offered])
    rebuild_teams()
    by_patent = {c.patent: c for c in candidates_for(new_menu(cast), as_of=ON)}
    first = by_patent[offered]
    assert first.offer == offer and first.modes == ["trial_then_paid", "paid"]
    assert first.modes_label == "先免费试用、再达成许可、付费许可"
    assert first.team is not None and first.team.institution == cast.p.university.name
    assert by_patent[plain].offer is None and by_patent[plain].modes == []
    # the offer adds to the rank: same chain, same grade, same life
    assert list(by_patent) == [offered, plain]


def test_supplements_prefer_patents_whose_owner_already_offers_them(cast):
    chain_patents(cast.p.university, 4)
    *_others, third = chain_patents(cast.p.other_university, 3)
    other_offer = _other_university_offer(cast, [third])
    assert other_offer.state == "published"
    (run,) = compose.supplement(cast.p.tto, new_menu(cast), on=ON)
    (item,) = run.added
    assert item.patent == third and item.offer == other_offer and item.is_supplement
    assert any("权利人已发布许可项目" in r for r in item.reasons)


def _other_university_offer(cast, patents):
    from patentbridge.licensing.services import offers
    from web.licensing.factories import fee_royalty

    offer = offers.create_offer(
        cast.p.other_tto,
        publisher_org=cast.p.other_university,
        patents=patents,
        on=ON,
        title="另一所大学热泵专利",
        modes=["paid"],
        paid_terms=fee_royalty(),
        price_method="listing",
    )
    offers.offer_step(cast.p.other_tto, offer, "submit", on=ON)
    return offers.offer_step(cast.p.other_tto, offer, "approve", on=ON)


def test_government_use_public_list_patents_are_left_out_until_they_leave_it(cast):
    ok, listed = chain_patents(cast.p.university, 2)
    entry = PublicListEntry.objects.create(
        patent=listed,
        jurisdiction="3701",
        jurisdiction_label="济南市",
        policy_version="test",
        reason="授权满5年未实施",
        since=dt.date(2025, 1, 1),
        government_use=True,
    )
    assert availability([ok, listed], ON) == {listed.pk: "列入公开实施清单且处于政府可实施状态"}
    assert [c.patent for c in candidates_for(new_menu(cast), as_of=ON)] == [ok]
    entry.left_on = dt.date(2026, 1, 1)
    entry.save()
    assert availability([listed], ON) == {}
    # listed from a date after the one asked about: still available on that date
    entry.left_on, entry.since = None, dt.date(2026, 6, 1)
    entry.save()
    assert availability([listed], ON) == {}


def test_a_sole_licence_and_a_patent_not_yet_granted_are_left_out(cast):
    from patentbridge.licensing.models import RightEvent

    sole, pending_grant = chain_patents(cast.p.university, 2)
    pending_grant.legal_status = "substantive_exam"
    pending_grant.save()
    RightEvent.objects.create(
        patent=sole,
        kind="licence",
        sub_kind="sole",
        start_date=dt.date(2026, 1, 1),
        source="manual",
        source_ref="s1",
    )
    blocked = availability([sole, pending_grant], ON)
    assert blocked == {sole.pk: "已有排他许可在履行中", pending_grant.pk: "专利权不在有效状态（实质审查）"}
    # an ordinary licence never blocks a menu
    ordinary = chain_patent(cast.p.university)
    RightEvent.objects.create(
        patent=ordinary,
        kind="licence",
        sub_kind="ordinary",
        start_date=dt.date(2026, 1, 1),
        source="manual",
        source_ref="o1",
    )
    assert availability([ordinary], ON) == {}


def test_a_local_needs_chain_places_a_patent_the_classifier_left_out(cast):
    """A patent without a chain class is still suggested for 绿色低碳 when it answers a 莘县 need
    that the classifier put into 绿色低碳 (its chain classes are removed here to stand for a
    patent the chain configuration does not reach)."""
    unplaced = chain_patent(
        cast.p.university,
        title="一种车间余热回收制取工业蒸汽的装置",
        abstract="回收车间低温余热，经两级压缩提升为工业用蒸汽，替代燃气锅炉。",
        ipc=["F22B1/00"],
    )
    unplaced.classes.filter(scheme="chain").delete()
    rebuild_index()
    need = make_need(
        cast.ent_a_user,
        title="余热回收制蒸汽",
        description="车间有大量低温余热，希望用热泵把它提升成工业用高温蒸汽，节能减排，降低燃气消耗。",
    )
    assert "GLC" in [c["code"] for c in need.chains]
    (cand,) = candidates_for(new_menu(cast), as_of=ON)
    assert cand.patent == unplaced and cand.chain.code == "GLC"
    assert cand.detail["chains"] == [] and cand.detail["needs"][0]["title"] == "余热回收制蒸汽"


def test_a_composer_may_add_a_patent_below_the_grade_floor_by_hand(cast):
    low = chain_patent(cast.p.university)
    grade([low], "D")
    menu = new_menu(cast, grade_min="B")
    assert candidates_for(menu, as_of=ON) == []
    item = compose.add_item(cast.p.tto, menu, low, on=ON, note="县里点名要")
    assert item.grade == "D" and "价值分级 D" in item.reasons and "发布单位人工加入" in item.reasons

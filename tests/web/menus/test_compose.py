"""Composing a menu: who may create one in whose name, hostile input, suggestions with reasons
(chain, local needs, grade, offers, team), what is never suggested (lapsed, exclusively licensed,
government-use, below the grade floor), adding and removing with a note, and the supplement rule
(§13 ``menu_coverage``) on frozen dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import RightEvent
from patentbridge.menus.candidates import availability, candidates_for, grade_allows
from patentbridge.menus.coverage import DEFAULT_MIN_ITEMS, menu_coverage, min_items
from patentbridge.menus.models import MenuItem, SupplementRequest
from patentbridge.menus.services import compose
from patentbridge.patents.models import IndustryChain
from web.menus.factories import COUNTY, ON, chain_patent, chain_patents, grade

pytestmark = pytest.mark.django_db


def new_menu(cast, actor=None, *, chains=("GLC",), org=None, **values):
    return compose.create_menu(
        actor or cast.p.tto,
        publisher_org=org or cast.p.university,
        title=values.pop("title", "莘县绿色低碳专利菜单"),
        target_region=values.pop("target_region", COUNTY),
        chains=list(IndustryChain.objects.filter(code__in=chains)),
        on=ON,
        **values,
    )


def actions(target):
    return list(
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- §13 vector -------------------------------------------------------------------------------


def test_menu_coverage_vector_two_candidates_minimum_five_gives_shortfall_three():
    """§13: a county chain with 2 candidates against a minimum of 5 → one shortfall of 3."""
    short = menu_coverage(COUNTY, {"GLC": 2, "AGRI": 7}, 5)
    assert [(s.chain, s.found, s.shortfall) for s in short] == [("GLC", 2, 3)]
    assert menu_coverage(COUNTY, {"GLC": 5}, 5) == []
    with pytest.raises(ValueError):
        menu_coverage(COUNTY, {"GLC": 1}, -1)


def test_minimum_is_the_module_default_until_the_policy_file_has_the_key():
    """The engine's dated policy file has no MENU_MIN_ITEMS row yet: the default applies, flagged."""
    assert min_items(as_of=ON, region_code=COUNTY) == (DEFAULT_MIN_ITEMS, False)


def test_supplement_draws_the_shortfall_from_other_universities_and_logs_it(cast):
    """The university has 2 fitting GLC patents; the minimum is 5 → SupplementRequest(shortfall=3)
    filled with three of the other university's GLC patents, flagged as supplements."""
    own = chain_patents(cast.p.university, 2)
    theirs = chain_patents(cast.p.other_university, 4)
    chain_patents(cast.p.other_university, 2, "AGRI")  # another chain never fills GLC
    menu = new_menu(cast)
    result = compose.compose(cast.p.tto, menu, on=ON)
    assert {i.patent for i in result.added} == set(own)
    ((request, drawn),) = [(d.request, d.added) for d in result.supplements]
    assert {i.patent for i in drawn} <= set(theirs) and len(drawn) == 3
    assert (request.found, request.minimum, request.shortfall, request.filled) == (2, 5, 3, 3)
    assert request.region_code == COUNTY and request.chain.code == "GLC"
    supplied = MenuItem.objects.filter(menu=menu, is_supplement=True)
    assert supplied.count() == 3 and {i.patent for i in supplied} <= set(theirs)
    assert all(i.supplement_id == request.pk for i in supplied)
    assert any("资源库补充" in r for r in supplied[0].reasons)
    event = AuditEvent.objects.get(action="menus.supplement.drawn")
    assert event.data["shortfall"] == 3 and len(event.data["patents"]) == 3
    # Running it again changes nothing: the chain is already topped up.
    assert compose.supplement(cast.p.tto, menu, on=ON) == []
    assert SupplementRequest.objects.count() == 1 and MenuItem.objects.filter(menu=menu).count() == 5


def test_thin_resource_pool_fills_what_it_can_and_says_so(cast):
    chain_patents(cast.p.university, 1)
    chain_patents(cast.p.other_university, 2)
    menu = new_menu(cast)
    (run,) = compose.supplement(cast.p.tto, menu, on=ON)
    assert (run.request.shortfall, run.request.filled, len(run.added)) == (4, 2, 2)
    assert run.request.note == "资源库中仅找到 2 件符合条件的专利，仍缺 2 件"
    # Nothing more in the pool: a second run adds nothing and logs nothing new.
    assert compose.supplement(cast.p.tto, menu, on=ON) == []
    assert AuditEvent.objects.filter(action="menus.supplement.drawn").count() == 1


def test_an_empty_pool_still_logs_the_shortfall(cast):
    chain_patents(cast.p.university, 2)
    menu = new_menu(cast)
    (run,) = compose.supplement(cast.p.tto, menu, on=ON)
    assert (run.request.found, run.request.shortfall, run.request.filled, run.added) == (2, 3, 0, [])
    assert run.request.note == "资源库中仅找到 0 件符合条件的专利，仍缺 3 件"


def test_a_full_chain_needs_no_supplement_and_a_centre_pool_menu_never_supplements(cast):
    chain_patents(cast.p.university, DEFAULT_MIN_ITEMS)
    chain_patents(cast.p.other_university, 2)
    assert compose.supplement(cast.p.tto, new_menu(cast), on=ON) == []
    pool_menu = new_menu(cast, cast.p.operator, org=cast.p.centre, source="resource_pool")
    result = compose.compose(cast.p.operator, pool_menu, on=ON)
    assert result.supplements == [] and len(result.added) == DEFAULT_MIN_ITEMS + 2


# --- who creates what ----------------------------------------------------------------------------


def test_menu_goes_out_only_in_a_university_or_centre_name(cast):
    """A TTO composes for its own university; an operator for any university or the centre; a
    government body never publishes (专利法 Art. 79), and an officer may not compose at all."""
    menu = new_menu(cast)
    assert menu.state == "draft" and menu.target_region == COUNTY and menu.min_per_chain == 5
    assert actions(menu) == ["menus.menu.created"]
    with pytest.raises(PermissionDenied):
        new_menu(cast, cast.p.tto, org=cast.p.other_university)
    with pytest.raises(ValidationError, match="高校/科研院所或运营中心"):
        new_menu(cast, cast.p.operator, org=cast.county_gov)
    with pytest.raises(PermissionDenied):
        new_menu(cast, cast.officer, org=cast.p.university)
    with pytest.raises(PermissionDenied):
        new_menu(cast, cast.ent_a_user, org=cast.p.university)
    assert new_menu(cast, cast.p.operator).publisher_org == cast.p.university


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"target_region": "99"}, "target_region"),
        ({"target_region": "3715222"}, "target_region"),
        ({"target_region": "<script>"}, "target_region"),
        ({"chains": ()}, "chains"),
        ({"grade_min": "Z"}, "grade_min"),
        ({"source": "resource_pool"}, "source"),
        ({"source": "everything"}, "source"),
        ({"title": ""}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_hostile_menu_input_is_refused_with_a_chinese_reason(cast, values, field):
    with pytest.raises(ValidationError) as exc:
        new_menu(cast, **values)
    assert field in exc.value.message_dict
    assert not any(m.isascii() for m in exc.value.message_dict[field])


# --- suggestions ---------------------------------------------------------------------------------


def test_suggestions_carry_chain_grade_offer_and_life_reasons_best_first(cast):
    plain, strong = chain_patents(cast.p.university, 2)
    grade([strong], "A", high_value=True)
    grade([plain], "C")
    menu = new_menu(cast)
    first, second = candidates_for(menu, as_of=ON)
    assert first.patent == strong and second.patent == plain
    assert first.chain.code == "GLC" and first.grade == "A" and first.high_value
    assert any(r.startswith("属于产业链「绿色低碳") and "F25B30" in r for r in first.reasons)
    assert "价值分级 A，高价值发明专利" in first.reasons
    assert any(r.startswith("剩余保护期约 15 年") for r in first.reasons)
    assert first.modes == [] and first.modes_label == "待协商"


def test_grade_floor_and_high_value_only_filter_suggestions(cast):
    a, c, _ungraded = chain_patents(cast.p.university, 3)
    grade([a], "A", high_value=True)
    grade([c], "C")
    assert {x.patent for x in candidates_for(new_menu(cast, grade_min="B"), as_of=ON)} == {a}
    assert {x.patent for x in candidates_for(new_menu(cast, grade_min="C"), as_of=ON)} == {a, c}
    assert {x.patent for x in candidates_for(new_menu(cast, high_value_only=True), as_of=ON)} == {a}
    assert len(candidates_for(new_menu(cast), as_of=ON)) == 3
    assert grade_allows("B", "B") and not grade_allows("C", "B") and not grade_allows("", "D")


def test_unavailable_patents_are_never_suggested(cast):
    """Lapsed, expired on the date, exclusively licensed on the date: out, with the reason."""
    ok, lapsed, exclusive, expiring = chain_patents(cast.p.university, 4)
    lapsed.legal_status = "lapsed_non_payment"
    lapsed.save()
    expiring.expiry_date = ON
    expiring.save()
    RightEvent.objects.create(
        patent=exclusive,
        kind="licence",
        sub_kind="exclusive",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2027, 1, 1),
        source="manual",
        source_ref="t1",
    )
    blocked = availability([ok, lapsed, exclusive, expiring], ON)
    assert set(blocked) == {lapsed.pk, exclusive.pk, expiring.pk}
    assert "未缴年费终止" in blocked[lapsed.pk] and blocked[exclusive.pk] == "已有独占许可在履行中"
    assert [c.patent for c in candidates_for(new_menu(cast), as_of=ON)] == [ok]
    # After the exclusive licence ends, the patent is offerable again.
    assert exclusive.pk not in availability([exclusive], dt.date(2027, 1, 2))


def test_suggestions_answer_the_regions_open_needs_through_the_search_index(cast, tmp_path):
    """A 莘县 enterprise's heat need puts the heat-pump patent first with the need as a reason; a
    need posted in another county does not count."""
    from patentbridge.search.index import rebuild_index
    from web.factories import make_need

    heat = chain_patent(cast.p.university, "GLC")
    chain_patent(cast.p.university, "AGRI")
    rebuild_index()
    make_need(
        cast.ent_a_user,
        title="锅炉房余热制蒸汽",
        description="车间低温余热想用高温热泵提升成工业蒸汽，替代燃气锅炉。",
    )
    far = make_need(cast.ent_far_user, title="东昌府区余热利用", description="用热泵回收余热制取蒸汽。")
    menu = new_menu(cast, chains=("GLC", "AGRI"))
    by_patent = {c.patent: c for c in candidates_for(menu, as_of=ON)}
    reasons = by_patent[heat].reasons
    assert any("回应本地企业需求「锅炉房余热制蒸汽」" in r and cast.ent_a.name in r for r in reasons)
    assert not any(far.title in r for r in reasons)
    assert by_patent[heat].detail["needs"][0]["org"] == cast.ent_a.name


# --- add / remove ------------------------------------------------------------------------------


def test_add_and_remove_with_a_note_are_audited_and_removed_ones_stay_out(cast):
    first, second = chain_patents(cast.p.university, 2)
    menu = new_menu(cast)
    item = compose.add_item(cast.p.tto, menu, first, on=ON, note="适合县域热电企业")
    assert item.note == "适合县域热电企业" and item.chain.code == "GLC"
    assert "发布单位人工加入" in item.reasons and any("绿色低碳" in r for r in item.reasons)
    with pytest.raises(ValidationError, match="已在菜单中"):
        compose.add_item(cast.p.tto, menu, first, on=ON)
    with pytest.raises(ValidationError, match="移出理由"):
        compose.remove_item(cast.p.tto, item, note="  ")
    compose.remove_item(cast.p.tto, item, note="已由企业自研")
    item.refresh_from_db()
    assert item.state == "removed" and item.removed_note == "已由企业自研"
    assert actions(item) == ["menus.item.added", "menus.item.removed"]
    # compose never brings a removed patent back
    added = compose.compose(cast.p.tto, menu, on=ON).added
    assert [i.patent for i in added] == [second]


def test_only_the_publishers_own_library_patents_may_be_added_by_hand(cast):
    theirs = chain_patent(cast.p.other_university)
    pending = chain_patent(cast.p.university, status="pending_university")
    menu = new_menu(cast)
    with pytest.raises(ValidationError, match="资源库补充"):
        compose.add_item(cast.p.tto, menu, theirs, on=ON)
    with pytest.raises(ValidationError):
        compose.add_item(cast.p.tto, menu, pending, on=ON)
    with pytest.raises(PermissionDenied):
        compose.add_item(cast.p.other_tto, menu, chain_patent(cast.p.university), on=ON)


def test_a_patent_outside_the_chains_needs_the_composer_to_name_the_chain(cast):
    farm = chain_patent(cast.p.university, "AGRI")
    menu = new_menu(cast)
    with pytest.raises(ValidationError, match="请指定所属产业链"):
        compose.add_item(cast.p.tto, menu, farm, on=ON)
    glc = IndustryChain.objects.get(code="GLC")
    assert compose.add_item(cast.p.tto, menu, farm, on=ON, chain=glc).chain == glc
    with pytest.raises(ValidationError, match="目标产业链"):
        compose.add_item(
            cast.p.tto,
            menu,
            chain_patent(cast.p.university),
            on=ON,
            chain=IndustryChain.objects.get(code="AGRI"),
        )

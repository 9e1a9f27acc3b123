"""The funnel's arithmetic and its reading of licence records: which stage each delivery reached,
cumulative columns with rates, grouping, the chart's bar widths, and which licensing records count
(after the delivery, this enterprise, this patent; open-licence acceptances too)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import time_machine

from patentbridge.licensing.models import LicenceApplication
from patentbridge.licensing.services import applications
from patentbridge.menus.choices import StageChoices
from patentbridge.menus.funnel import FUNNEL_STEPS, FunnelRow, Progress, funnel, funnel_by, progress_of
from patentbridge.menus.models import MenuDelivery, MenuItem
from patentbridge.menus.page_context import chart_bars
from patentbridge.menus.services import release
from patentbridge.menus.templatetags.menus_tags import lookup, percent
from web.licensing.factories import fee_free, make_contract, make_declaration
from web.menus.factories import ON
from web.menus.test_lifecycle import offer_for, published_menu

pytestmark = pytest.mark.django_db

AFTER = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)


# --- pure arithmetic ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "reached"),
    [
        ("delivered", {"delivered"}),
        ("viewed", {"delivered", "viewed"}),
        ("interested", {"delivered", "viewed", "interested"}),
        ("not_relevant", {"delivered", "viewed"}),
        ("trial_requested", {"delivered", "viewed", "interested", "trial_requested"}),
        ("trial", {"delivered", "viewed", "interested", "trial_requested", "trial"}),
        ("licensed", {s for s, _ in FUNNEL_STEPS}),
    ],
)
def test_each_stage_counts_in_every_column_up_to_it_and_not_relevant_is_not_interest(stage, reached):
    progress = Progress(stage=stage)
    assert {s for s, _ in FUNNEL_STEPS if progress.reached(s)} == reached
    assert progress.label == StageChoices(stage).label


def test_rows_give_rates_of_deliveries_and_of_the_previous_step():
    row = FunnelRow(key="k", label="测试")
    row.counts.update(delivered=8, viewed=6, interested=3, trial_requested=2, trial=1, licensed=0)
    steps = {s["key"]: s for s in row.steps()}
    assert steps["delivered"]["rate"] == 1.0 and steps["delivered"]["step_rate"] is None
    assert steps["viewed"]["rate"] == 0.75 and steps["interested"]["step_rate"] == 0.5
    assert steps["licensed"]["rate"] == 0.0 and steps["licensed"]["step_rate"] == 0.0
    empty = FunnelRow(key="e", label="空")
    assert empty.rate("viewed") is None and all(s["rate"] is None for s in empty.steps())
    assert empty.as_dict()["enterprises"] == 0


def test_chart_bars_are_proportional_and_centred():
    row = FunnelRow(key="k", label="测试")
    row.counts.update(delivered=10, viewed=5, interested=0)
    bars = {b["key"]: b for b in chart_bars(row, width=500)}
    assert bars["delivered"]["w"] == 500 and bars["viewed"]["w"] == 250 and bars["interested"]["w"] == 0
    assert bars["viewed"]["x"] == 150 + 125 and bars["delivered"]["y"] < bars["viewed"]["y"]
    assert [b["w"] for b in chart_bars(FunnelRow(key="e", label="空"))] == [0] * len(FUNNEL_STEPS)


def test_template_filters():
    assert percent(0.125) == "12.5%" and percent(1) == "100%" and percent(None) == "—" and percent(0) == "0%"
    assert lookup({3: "x"}, 3) == "x" and lookup({}, 3) == "" and lookup(None, 3) == ""


def test_unknown_group_is_an_error():
    with pytest.raises(ValueError):
        funnel_by([], "province")


# --- reading licence records ----------------------------------------------------------------------


def pushed_to_a(cast, n=2):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        menu = published_menu(cast, n=n)
        items = list(MenuItem.objects.filter(menu=menu).order_by("rank"))
        release.select_items(cast.officer, menu, items=[i.pk for i in items], on=ON)
        release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON)
    return menu, items


def stages(menu, enterprise):
    deliveries = list(MenuDelivery.objects.filter(menu=menu, enterprise=enterprise).select_related("item"))
    found = progress_of(deliveries)
    return {d.item_id: found[d.pk].stage for d in deliveries}


def test_an_application_counts_for_its_enterprise_and_patent_only_even_if_rejected(cast):
    menu, (first, second) = pushed_to_a(cast)
    offer = offer_for(cast, [first.patent, second.patent])
    with time_machine.travel(AFTER, tick=False):
        app = applications.apply_for_licence(
            cast.ent_a_user, offer, patents=[first.patent], requested_mode="trial_then_paid"
        )
        applications.reject_application(cast.p.tto, app, reason="名额已满")
    assert stages(menu, cast.ent_a) == {first.pk: "trial_requested", second.pk: "delivered"}
    assert stages(menu, cast.ent_b) == {first.pk: "delivered", second.pk: "delivered"}
    progress = progress_of(MenuDelivery.objects.filter(menu=menu, enterprise=cast.ent_a, item=first))
    (only,) = progress.values()
    assert [a.pk for a in only.applications] == [app.pk] and isinstance(
        only.applications[0], LicenceApplication
    )


def test_an_application_made_before_the_delivery_does_not_count(cast):
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        from web.menus.factories import chain_patent

        early = chain_patent(cast.p.university)
        offer = offer_for(cast, [early])
        applications.apply_for_licence(cast.ent_a_user, offer, patents=[early], requested_mode="paid")
    menu, items = pushed_to_a(cast, n=2)
    on_menu = {i.patent_id for i in items}
    assert early.pk in on_menu
    assert set(stages(menu, cast.ent_a).values()) == {"delivered"}


def test_one_contract_on_two_patents_moves_both_deliveries_and_a_declined_trial_stays_trial(cast):
    menu, (first, second) = pushed_to_a(cast)
    with time_machine.travel(AFTER, tick=False):
        # The licensee's own user declines the conversion: the parties with 莘县甲 as licensee.
        parties = dataclasses.replace(cast.p, enterprise=cast.ent_a, enterprise_user=cast.ent_a_user)
        make_contract(
            parties,
            [first.patent, second.patent],
            trial_months=6,
            stage="trial_ended",
            start=dt.date(2026, 3, 10),
        )
    assert stages(menu, cast.ent_a) == {first.pk: "trial", second.pk: "trial"}


def test_a_licence_that_ended_after_its_paid_phase_still_counts_as_licensed(cast):
    from patentbridge.licensing.services import contracts

    menu, (first, _second) = pushed_to_a(cast)
    with time_machine.travel(AFTER, tick=False):
        contract = make_contract(
            cast.p, [first.patent], licensee_org=cast.ent_a, stage="signed", start=dt.date(2026, 3, 10)
        )
        contracts.terminate(cast.p.tto, contract, on=dt.date(2026, 6, 1), reason="双方协商终止")
    contract.refresh_from_db()
    assert contract.state == "terminated"
    assert stages(menu, cast.ent_a)[first.pk] == "licensed"


def test_an_open_licence_accepted_after_the_delivery_counts(cast):
    from patentbridge.licensing.services.open_accept import accept_declaration

    menu, (first, second) = pushed_to_a(cast)
    decl = make_declaration(cast.p.tto, first.patent, fee_schedule=fee_free())
    with time_machine.travel(AFTER, tick=False):
        accept_declaration(cast.ent_b_user, decl, notified_at=dt.date(2026, 3, 10))
    reached = stages(menu, cast.ent_b)
    assert reached[second.pk] == "delivered"
    assert reached[first.pk] in ("trial", "licensed")
    row = funnel(MenuDelivery.objects.filter(menu=menu).select_related("item"))
    assert row.counts["trial_requested"] == 1 and row.counts["trial"] == 1


def test_not_relevant_reasons_histogram_and_supplement_log_on_the_funnel_pages(cast):
    from patentbridge.menus.funnel import reasons_histogram
    from patentbridge.menus.services import inbox
    from web.matrix import client_for
    from web.menus.factories import chain_patents

    chain_patents(cast.p.other_university, 2)
    menu, (first, second, *_supplied) = pushed_to_a(cast)
    mine = {d.item_id: d for d in MenuDelivery.objects.filter(menu=menu, enterprise=cast.ent_a)}
    inbox.respond(cast.ent_a_user, mine[first.pk], verdict="not_relevant", reason="price", on=ON)
    inbox.respond(cast.ent_a_user, mine[second.pk], verdict="not_relevant", reason="price", on=ON)
    theirs = MenuDelivery.objects.filter(menu=menu, enterprise=cast.ent_b, item=first).get()
    inbox.respond(cast.ent_b_user, theirs, verdict="not_relevant", reason="other", note="暂无预算", on=ON)
    histogram = dict(reasons_histogram(MenuDelivery.objects.filter(menu=menu)))
    assert histogram == {"技术不匹配": 0, "成熟度不够": 0, "价格因素": 2, "已有方案": 0, "其他": 1}
    html = client_for(cast.officer).get("/menus/funnel/").content.decode()
    log = html.split('data-testid="supplement-log"', 1)[1]
    assert menu.title in log and "绿色低碳" in log
    assert "价格因素" in html.split('data-testid="reasons"', 1)[1]
    assert "暂无补充记录" in client_for(cast.other_officer).get("/menus/funnel/").content.decode()

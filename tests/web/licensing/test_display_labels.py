"""What people read about a contract or a refusal: a licence in force on free terms is not called
付费实施中, and a refusal shows a numbered licence rule (L1–L13) but never an internal code."""

from __future__ import annotations

import datetime as dt

import pytest

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.services import open_licence
from web.licensing.factories import fee_lump_sum, make_contract, make_declaration
from web.test_permissions import client_for

pytestmark = pytest.mark.django_db


def test_a_free_open_licence_in_force_reads_as_free(parties, patent):
    decl = make_declaration(parties.tto, patent)
    acc = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    contract = acc.contract
    assert contract.state == "active_paid"
    assert contract.state_label == "实施中（免费）"
    page = client_for(parties.enterprise_user).get(f"/licensing/contracts/{contract.pk}/").content.decode()
    assert "实施中（免费）" in page
    assert "付费实施中" not in page


def test_a_paid_licence_in_force_keeps_the_paid_label(parties, patent):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="signed")
    assert contract.state == "active_paid"
    assert contract.state_label == "付费实施中"


def test_other_states_use_the_state_name(parties, patent):
    contract = make_contract(parties, [patent], trial_months=6, stage="signed")
    assert contract.state == "active_trial"
    assert contract.state_label == "试用中"


def test_an_unreadable_fee_schedule_does_not_break_the_label(parties, patent):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="signed")
    contract.fee_schedule = {"components": "not a list"}
    assert contract.state_label == "付费实施中"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("L3", "已有独占许可（规则 L3）"),
        ("L13", "已有独占许可（规则 L13）"),
        ("OL_WITHDRAWN", "已有独占许可"),
        ("STATE", "已有独占许可"),
        ("L3X", "已有独占许可"),
        ("EXCLUSIVE_OR_SOLE_ACTIVE", "已有独占许可"),
    ],
)
def test_refusals_name_numbered_rules_only(code, expected):
    assert LicensingRefused(code, "已有独占许可").display() == expected


def _selected_side(page: str) -> str:
    """The preselected option of the filing form's 备案方 select."""
    start = page.index('name="submit-side"')
    select = page[start : page.index("</select>", start)]
    marker = select.index("selected")
    return select[select.rindex('value="', 0, marker) + 7 :].split('"', 1)[0]


def test_the_filing_form_presets_the_viewer_s_own_side(parties, patent):
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="signed")
    url = f"/licensing/contracts/{contract.pk}/"
    enterprise_page = client_for(parties.enterprise_user).get(url).content.decode()
    tto_page = client_for(parties.tto).get(url).content.decode()
    assert _selected_side(enterprise_page) == "licensee"
    assert _selected_side(tto_page) == "licensor"


def test_demo_applications_carry_the_demo_badge_on_my_licences(parties, patent):
    """A demonstration application is marked as such where the enterprise lists its applications;
    a real one is not."""
    from patentbridge.licensing.services import applications as apps
    from web.licensing.test_deal_views import publish

    offer = publish(parties, [patent])
    real = apps.apply_for_licence(parties.enterprise_user, offer, patents=[patent], requested_mode="paid")
    page = client_for(parties.enterprise_user).get("/licensing/mine/").content.decode()
    assert f'href="/licensing/applications/{real.pk}/"' in page
    assert 'data-testid="application-demo-badge"' not in page
    type(real).objects.filter(pk=real.pk).update(is_demo=True)
    page = client_for(parties.enterprise_user).get("/licensing/mine/").content.decode()
    assert page.count('data-testid="application-demo-badge"') == 1

"""The issue's closing check through the REST API on the loaded demo (real API tokens of the demo
accounts): a TTO declares an open licence on its own in-library patent, an enterprise accepts it and
gets a licence whose filing is due three months after it takes effect (细则 Art. 15 ¶2 counted by
Art. 5's corresponding-day rule), and a declaration on a patent under an exclusive licence is
refused with 422, the rule's code and its Chinese reason.

The demo is loaded once for the module (``test_demo_licensing.demo``: the real loader on a frozen
day, rolled back afterwards); each test runs in its own savepoint, so tests do not see each other."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from patentbridge.accounts.choices import RoleChoices
from patentbridge.licensing.models import (
    LicenceContract,
    LicenceFiling,
    OpenLicenceAcceptance,
    OpenLicenceDeclaration,
    RightEvent,
)
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.ledger import patent_facts
from patentbridge.patents.models import Patent
from patentbridge.site.demo_orgs import DEMO_USERS
from web.factories import make_token
from web.licensing import test_demo_licensing
from web.licensing.test_demo_licensing import LOAD_DAY, Loaded

pytestmark = pytest.mark.django_db
# The module fixture that loads the demo (once for this module, rolled back after it).
demo = test_demo_licensing.demo

FREE = {"free": True, "components": []}


def user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def call(method: str, path: str, username: str | None, body: dict[str, Any] | None = None) -> Any:
    """One API call with a fresh token of the demo account ``username`` (None = anonymous)."""
    headers: dict[str, str] = {}
    if username is not None:
        _, key = make_token(user(username))
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    client = Client()
    if method == "GET":
        return client.get(path, **headers)
    return client.post(path, data=json.dumps(body or {}), content_type="application/json", **headers)


def art5_months_later(day: dt.date, months: int) -> dt.date:
    """细则 Art. 5: a period in months ends on the corresponding day of the last month, or on that
    month's last day when it has no such day (written here independently of the engine)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def tto_and_free_patent() -> tuple[str, Patent]:
    """A demo TTO account and an in-library, granted, valid patent of its organisation that nothing
    burdens yet (the first by application number): chosen by query, not by number."""
    for demo_user in DEMO_USERS:
        if demo_user.role != RoleChoices.TTO or demo_user.college:
            continue
        patents = Patent.objects.filter(
            owner_org__name=demo_user.org,
            library_status="in_library",
            legal_status="granted",
            expiry_date__gt=LOAD_DAY,
            right_events__isnull=True,
            open_licences__isnull=True,
            licence_contracts__isnull=True,
        ).order_by("application_number")
        for patent in patents:
            if patent_facts(patent, LOAD_DAY).valid:
                return demo_user.username, patent
    raise AssertionError("the demo has no TTO with a free granted patent")


def declare(username: str, patent: Patent, **extra: Any) -> Any:
    body = {
        "application_number": patent.application_number,
        "fee_schedule": FREE,
        "term_kind": "until_patent_expiry",
        "signed_by": list(patent_facts(patent, LOAD_DAY).patentees),
        "contact": "技术转移中心",
        "as_of": "2026-11-02",
        **extra,
    }
    return call("POST", "/api/open-licences", username, body)


def declared_and_published(username: str, patent: Patent) -> int:
    created = declare(username, patent)
    assert created.status_code == 201, created.content
    pk = int(created.json()["id"])
    published = call(
        "POST",
        f"/api/open-licences/{pk}/publish",
        username,
        {"submitted_at": "2026-11-03", "published_at": "2026-11-16", "announcement_no": "公告号API-1"},
    )
    assert published.status_code == 200, published.content
    return pk


def test_tto_declares_enterprise_accepts_and_the_filing_is_due_three_months_later(demo: Loaded) -> None:
    """Declare (self-check passes) → publish → the enterprise's notice on 30 November makes an
    ordinary licence effective that day, its filing due on 28 February (no 30 February)."""
    tto, patent = tto_and_free_patent()
    created = declare(tto, patent)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "checked" and body["state_label"] == "已自检"
    assert body["application_number"] == patent.application_number
    assert all(f["severity"] != "block" for f in body["findings"])
    pk = body["id"]
    published = call(
        "POST",
        f"/api/open-licences/{pk}/publish",
        tto,
        {"submitted_at": "2026-11-03", "published_at": "2026-11-16", "announcement_no": "公告号API-1"},
    )
    assert published.status_code == 200, published.content
    assert published.json()["state_label"] == "已公告" and published.json()["public_url"]

    accepted = call(
        "POST",
        f"/api/open-licences/{pk}/accept",
        "ent_zibo",
        {"notified_at": "2026-11-30", "intended_use": "试产"},
    )
    assert accepted.status_code == 201, accepted.content
    licence = accepted.json()
    effective = dt.date.fromisoformat(licence["effective_at"])
    assert effective == dt.date(2026, 11, 30)
    assert licence["contract_state"] == "active_paid" and licence["state"] == "licensed"
    assert licence["licensee"] == "淄博示范化工材料有限公司（演示）"
    due = dt.date.fromisoformat(licence["filing_due"])
    assert due == art5_months_later(effective, 3) == dt.date(2027, 2, 28)
    contract = LicenceContract.objects.get(pk=licence["contract_id"])
    assert contract.kind == "ordinary" and contract.origin == "open_licence"
    assert LicenceFiling.objects.get(contract=contract, kind="initial").due_date == due
    row = RightEvent.objects.get(source="contract", source_ref=contract.contract_no)
    assert row.kind == "licence" and row.counterparty == licence["licensee"] and row.start_date == effective


def test_a_declaration_on_a_patent_under_an_exclusive_licence_is_refused(demo: Loaded) -> None:
    """The TTO's own patent carries a signed exclusive licence: 422, EXCLUSIVE_OR_SOLE_ACTIVE with
    the contract named in Chinese, and nothing stored."""
    tto, patent = tto_and_free_patent()
    actor = user(tto)
    exclusive = contracts.create_contract(
        actor,
        licensor_org=patent.owner_org,
        licensee_org=user("enterprise").membership.org,
        patents=[patent],
        kind="exclusive",
        origin="negotiated",
        start=dt.date(2026, 10, 1),
        end=dt.date(2029, 9, 30),
        fee_schedule={
            "free": False,
            "components": [{"type": "lump_sum", "amount": "100000.00", "instalments": []}],
        },
        price_method="listing",
        on=dt.date(2026, 9, 20),
    )
    contracts.submit(actor, exclusive, on=dt.date(2026, 9, 20))
    contracts.approve(actor, exclusive, on=dt.date(2026, 9, 25))
    contracts.sign(actor, exclusive, on=dt.date(2026, 10, 1))

    refused = declare(tto, patent)
    assert refused.status_code == 422, refused.content
    body = refused.json()
    assert body["error"] == "refused" and body["code"] == "EXCLUSIVE_OR_SOLE_ACTIVE"
    assert "独占许可" in body["detail"] and exclusive.contract_no in body["detail"]
    assert "期满或解除前不能声明开放许可" in body["detail"]
    assert "EXCLUSIVE_OR_SOLE_ACTIVE" in [f["code"] for f in body["findings"]]
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()


def test_two_enterprises_both_get_ordinary_licences(demo: Loaded) -> None:
    """An open licence is open to every enterprise: a second notice makes a second licence."""
    tto, patent = tto_and_free_patent()
    pk = declared_and_published(tto, patent)
    first = call("POST", f"/api/open-licences/{pk}/accept", "ent_zibo", {"notified_at": "2026-11-20"})
    second = call("POST", f"/api/open-licences/{pk}/accept", "ent_yantai", {"notified_at": "2026-11-21"})
    assert first.status_code == second.status_code == 201, (first.content, second.content)
    assert first.json()["contract_no"] != second.json()["contract_no"]
    assert sorted(a.licensee_org.name for a in OpenLicenceAcceptance.objects.filter(declaration_id=pk)) == [
        "淄博示范化工材料有限公司（演示）",
        "烟台示范生物医药有限公司（演示）",
    ]
    again = call("POST", f"/api/open-licences/{pk}/accept", "ent_zibo", {"notified_at": "2026-11-22"})
    assert again.status_code == 422 and again.json()["code"] == "ALREADY_ACCEPTED"


def test_after_the_withdrawal_is_announced_no_one_else_can_accept(demo: Loaded) -> None:
    """Withdrawal with a reason, effective on its announcement; the earlier licence stays."""
    tto, patent = tto_and_free_patent()
    pk = declared_and_published(tto, patent)
    early = call("POST", f"/api/open-licences/{pk}/accept", "ent_zibo", {"notified_at": "2026-11-20"})
    assert early.status_code == 201
    withdrawn = call(
        "POST",
        f"/api/open-licences/{pk}/withdraw",
        tto,
        {"reason": "拟转为独占许可", "submitted_at": "2026-11-24", "published_at": "2026-11-27"},
    )
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["state_label"] == "已撤回"
    late = call("POST", f"/api/open-licences/{pk}/accept", "ent_yantai", {"notified_at": "2026-11-30"})
    assert late.status_code == 422, late.content
    assert late.json()["code"] == "OL_WITHDRAWN" and "2026-11-27 撤回" in late.json()["detail"]
    assert LicenceContract.objects.get(contract_no=early.json()["contract_no"]).state == "active_paid"


def test_only_the_patentee_side_may_declare(demo: Loaded) -> None:
    """An enterprise may not declare (403); another university's TTO may not declare this patent."""
    tto, patent = tto_and_free_patent()
    assert declare("ent_zibo", patent).status_code == 403
    home = user(tto).membership.org.name
    other = next(d.username for d in DEMO_USERS if d.role == RoleChoices.TTO and d.org != home)
    assert declare(other, patent).status_code == 403
    assert (
        call(
            "POST", "/api/open-licences", None, {"application_number": patent.application_number}
        ).status_code
        == 401
    )
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()


def test_the_public_list_shows_the_demo_declarations_in_force(demo: Loaded) -> None:
    """Anonymous callers see the demo's three published declarations, not its blocked draft."""
    listed = call("GET", "/api/open-licences?page_size=100", None)
    assert listed.status_code == 200
    numbers = {r["application_number"] for r in listed.json()["results"]}
    published = OpenLicenceDeclaration.objects.filter(is_demo=True, state="published")
    assert numbers == {d.patent.application_number for d in published} and len(numbers) == 3
    draft = OpenLicenceDeclaration.objects.get(is_demo=True, state="draft")
    assert draft.patent.application_number not in numbers
    assert call("GET", f"/api/open-licences/{draft.pk}", None).status_code == 404

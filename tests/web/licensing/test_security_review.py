"""Security review of the licensing app: every page and API route, attacked by the callers who own
nothing in it, must neither leak nor change another organisation's data, and must never answer 500.

The world: a state-run university licenses a patent to an enterprise (money flowing: a report, a
payment, an income sheet, a document, a filing), publishes an offer that the enterprise applied
under, keeps a draft offer, declares one open licence (published, accepted by the enterprise) and
drafts another; a second university licenses its own patent to a second enterprise. The attackers:
anonymous visitors, the second university's TTO, the second enterprise (not the licensee), the
university's own inventor, a viewer and a gov_officer of another region.

Each test passes when the code is safe. URL patterns and API routes are enumerated from Django's
resolver and the ninja API, so a route added later without being listed here fails
``test_every_route_is_attacked``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from patentbridge.core.models import AuditEvent
from patentbridge.licensing import models as lm
from patentbridge.licensing.services import applications as app_services
from patentbridge.licensing.services import documents as doc_services
from patentbridge.licensing.services import income, offers, open_licence
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.money_usage import submit_usage_report
from web.factories import make_member, make_org
from web.licensing.factories import (
    MONEY_PAID_START,
    Parties,
    fee_lump_sum,
    fee_royalty,
    make_contract,
    make_declaration,
    make_granted_patent,
    make_money_contract,
    make_parties,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2027, 3, 1)
CJK = re.compile(r"[\u4e00-\u9fff]")

# Secrets written into the world: none may reach an attacker's response body.
DRAFT_OFFER_TITLE = "内部草稿许可项目甲乙丙"
INTENDED_USE = "保密用途说明丁戊己"
DOC_NAME = "保密合同扫描件庚辛.pdf"
DRAFT_CONTACT = "秘密联系人壬癸 13900000000"


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    p: Parties
    contract: Any  # university → enterprise, paid, with money
    receivable: Any  # the entry fee, paid
    royalty: Any  # the 2026 royalty, reported
    payment: Any
    distribution: Any
    document: Any
    filing: Any
    offer: Any  # published
    draft_offer: Any
    application: Any  # the enterprise's, submitted
    declaration: Any  # published
    draft_declaration: Any
    acceptance: Any
    other_contract: Any  # other university → other enterprise
    other_document: Any
    other_filing: Any
    other_patent: Any
    patents: list[Any] = field(default_factory=list)
    attackers: dict[str, Any] = field(default_factory=dict)

    def secrets(self) -> list[str]:
        """Texts only the parties (and platform roles) may read."""
        return [
            self.contract.contract_no,
            self.p.enterprise.name,
            self.p.enterprise.uscc,
            DRAFT_OFFER_TITLE,
            INTENDED_USE,
            DOC_NAME,
            DRAFT_CONTACT,
            self.acceptance.contract.contract_no,
        ]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def build_world() -> World:
    p = make_parties()
    patent, offer_patent, open_patent, draft_patent = (make_granted_patent(p.university) for _ in range(4))
    contract = make_money_contract(p, [patent])
    royalty = submit_usage_report(
        p.enterprise_user,
        contract,
        period_start=MONEY_PAID_START,
        values={"net_sales": "200000.00"},
        on=dt.date(2027, 1, 5),
    ).receivable
    payment = record_payment(p.tto, royalty, amount="10000.00", paid_on=dt.date(2027, 1, 20))
    distribution = income.compute_distribution(
        p.tto,
        payment,
        deductions={},
        own_rule_share=None,
        tto_share=Decimal("0.1"),
        inventors=[("张三", Decimal("0.5")), ("李四", Decimal("0.5"))],
        on=dt.date(2027, 1, 25),
    )
    document = doc_services.attach_document(
        p.tto, contract, upload(DOC_NAME, b"%PDF-1.4 secret"), kind="contract"
    )
    offer = offers.create_offer(
        p.tto,
        publisher_org=p.university,
        patents=[offer_patent],
        on=TODAY,
        title="高端装备专利包",
        modes=["trial_then_paid", "paid"],
        paid_terms=fee_royalty(),
        price_method="listing",
    )
    offers.offer_step(p.tto, offer, "submit", on=TODAY)
    offer = offers.offer_step(p.tto, offer, "approve", on=TODAY)
    draft_offer = offers.create_offer(
        p.tto,
        publisher_org=p.university,
        patents=[offer_patent],
        on=TODAY,
        title=DRAFT_OFFER_TITLE,
        modes=["paid"],
    )
    application = app_services.apply_for_licence(
        p.enterprise_user,
        offer,
        patents=[offer_patent],
        requested_mode="trial_then_paid",
        intended_use=INTENDED_USE,
    )
    declaration = make_declaration(p.tto, open_patent)
    draft_declaration = make_declaration(p.tto, draft_patent, stage="draft", contact=DRAFT_CONTACT)
    acceptance = open_licence.accept_declaration(
        p.enterprise_user, declaration, notified_at=dt.date(2026, 3, 2)
    )
    other_patent = make_granted_patent(p.other_university)
    other_contract = make_contract(
        p,
        [other_patent],
        actor=p.other_tto,
        licensor_org=p.other_university,
        licensee_org=p.other_enterprise,
        fee_schedule=fee_lump_sum(),
        stage="signed",
    )
    other_document = doc_services.attach_document(
        p.other_tto, other_contract, upload("另一份合同.pdf", b"%PDF-1.4 other"), kind="contract"
    )
    viewer_org = make_org("某市科技局（只读）", "government", region_code="370100")
    far_gov = make_org("青岛市市场监督管理局", "government", region_code="370200")
    world = World(
        p=p,
        contract=contract,
        receivable=contract.receivables.exclude(pk=royalty.pk).order_by("pk").first(),
        royalty=royalty,
        payment=payment,
        distribution=distribution,
        document=document,
        filing=contract.filings.order_by("pk").first(),
        offer=offer,
        draft_offer=draft_offer,
        application=application,
        declaration=declaration,
        draft_declaration=draft_declaration,
        acceptance=acceptance,
        other_contract=other_contract,
        other_document=other_document,
        other_filing=other_contract.filings.order_by("pk").first(),
        other_patent=other_patent,
        patents=[patent, offer_patent, open_patent, draft_patent],
    )
    world.attackers = {
        "anonymous": None,
        "other_tto": p.other_tto,
        "other_enterprise": p.other_enterprise_user,
        "inventor": p.inventor,
        "viewer": make_member(viewer_org, "viewer"),
        "gov_officer_far": make_member(far_gov, "gov_officer"),
    }
    return world


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def client_as(user: Any) -> Client:
    """A client that answers 500 instead of raising, so one matrix reports every failure."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def snapshot() -> dict[str, Any]:
    """Everything a write could change: row counts, the states and amounts of every licensing row."""
    # Logging in writes its own audit event (accounts.*); every other event records a change.
    state: dict[str, Any] = {"audit": AuditEvent.objects.exclude(action__startswith="accounts.").count()}
    for model in (
        lm.LicenceOffer,
        lm.LicenceApplication,
        lm.LicenceContract,
        lm.ContractStep,
        lm.LicenceFiling,
        lm.Document,
        lm.Receivable,
        lm.Payment,
        lm.UsageReport,
        lm.IncomeDistribution,
        lm.IncomeLine,
        lm.OpenLicenceDeclaration,
        lm.OpenLicenceAcceptance,
        lm.RightEvent,
        lm.PublicNotice,
    ):
        state[model.__name__] = model.objects.count()
    state["contracts"] = list(
        lm.LicenceContract.objects.order_by("pk").values_list("pk", "state", "end_date")
    )
    state["offers"] = list(lm.LicenceOffer.objects.order_by("pk").values_list("pk", "state", "title"))
    state["apps"] = list(lm.LicenceApplication.objects.order_by("pk").values_list("pk", "state"))
    state["filings"] = list(lm.LicenceFiling.objects.order_by("pk").values_list("pk", "state", "record_no"))
    state["receivables"] = list(
        lm.Receivable.objects.order_by("pk").values_list("pk", "state", "amount_due", "amount_paid")
    )
    state["decls"] = list(
        lm.OpenLicenceDeclaration.objects.order_by("pk").values_list("pk", "state", "contact")
    )
    state["dists"] = list(lm.IncomeDistribution.objects.order_by("pk").values_list("pk", "state"))
    return state


# --- route enumeration ----------------------------------------------------------------------------


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace, entry


def url_names(namespace: str) -> set[str]:
    """Every named URL pattern of ``namespace`` as Django resolves them."""
    return {f"{namespace}:{p.name}" for ns, p in _walk(get_resolver().url_patterns) if ns == namespace}


def api_routes(*modules: str) -> set[tuple[str, str]]:
    """(method, path) of every ninja operation whose view lives in one of ``modules``."""
    from patentbridge.api.app import api

    routes = set()
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                if op.view_func.__module__.startswith(modules):
                    routes.update((m, path) for m in op.methods)
    return routes


def page_targets(w: World) -> list[tuple[str, dict[str, Any]]]:
    """(url name, kwargs) of every licensing page, aimed at the university's rows (secrets)."""
    c, d = w.contract, w.draft_declaration
    return [
        ("licensing:board", {}),
        ("licensing:mine", {}),
        ("licensing:offers", {}),
        ("licensing:offer_new", {}),
        ("licensing:offer", {"pk": w.draft_offer.pk}),
        ("licensing:offer", {"pk": w.offer.pk}),
        ("licensing:offer_edit", {"pk": w.draft_offer.pk}),
        ("licensing:apply", {"pk": w.draft_offer.pk}),
        ("licensing:offer_step", {"pk": w.draft_offer.pk, "event": "submit"}),
        ("licensing:offer_step", {"pk": w.offer.pk, "event": "close"}),
        ("licensing:apply_interest", {"item_pk": 1}),
        ("licensing:application", {"pk": w.application.pk}),
        ("licensing:application_accept", {"pk": w.application.pk}),
        ("licensing:application_reject", {"pk": w.application.pk}),
        ("licensing:application_withdraw", {"pk": w.application.pk}),
        ("licensing:application_confirm_region", {"pk": w.application.pk}),
        ("licensing:contract", {"pk": c.pk}),
        ("licensing:contract_act", {"pk": c.pk, "event": "terminate"}),
        ("licensing:contract_act", {"pk": c.pk, "event": "suspend"}),
        ("licensing:filing_act", {"pk": c.pk, "filing_pk": w.filing.pk, "action": "submit"}),
        ("licensing:filing_act", {"pk": c.pk, "filing_pk": w.filing.pk, "action": "filed"}),
        ("licensing:filing_form_xlsx", {"pk": c.pk}),
        ("licensing:document_upload", {"pk": c.pk}),
        ("licensing:document_download", {"pk": c.pk, "doc_pk": w.document.pk}),
        ("licensing:open_list", {}),
        ("licensing:open_export", {}),
        ("licensing:open_mine", {}),
        ("licensing:open_new", {}),
        ("licensing:open_detail", {"pk": d.pk}),
        ("licensing:open_detail", {"pk": w.declaration.pk}),
        ("licensing:open_accept", {"pk": d.pk}),
        ("licensing:open_manage", {"pk": d.pk}),
        ("licensing:open_manage", {"pk": w.declaration.pk}),
        ("licensing:open_edit", {"pk": d.pk}),
        ("licensing:open_act", {"pk": d.pk, "action": "submit"}),
        ("licensing:open_act", {"pk": w.declaration.pk, "action": "withdraw"}),
        ("licensing:open_document", {"pk": d.pk, "doc_pk": 1}),
        ("licensing:money_receivables", {}),
        ("licensing:money_ageing_xlsx", {}),
        ("licensing:money_ledger_xlsx", {}),
        ("licensing:money_usage_report", {"pk": c.pk}),
        ("licensing:money_payment", {"pk": w.royalty.pk}),
        ("licensing:money_statement_pdf", {"pk": w.royalty.pk}),
        ("licensing:money_distribution", {"pk": w.payment.pk}),
        ("licensing:money_distribution_approve", {"pk": w.distribution.pk}),
        ("licensing:money_distribution_pdf", {"pk": w.distribution.pk}),
        ("licensing:money_my_income", {}),
        ("licensing:ledger_policy", {}),
        ("licensing:ledger_patent", {"number": w.patents[0].application_number}),
        ("licensing:ledger_add_event", {"number": w.patents[0].application_number}),
    ]


def api_targets(w: World) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, route template, concrete path, JSON body) of every licensing API route."""
    c = w.contract
    return [
        ("GET", "/licences", "/api/licences", {}),
        (
            "POST",
            "/licences",
            "/api/licences",
            {
                "offer_id": w.draft_offer.pk,
                "licensor_org_id": w.p.university.pk,
                "licensee_org_id": w.p.other_enterprise.pk,
                "patents": [w.patents[0].application_number],
                "start": "2027-01-01",
                "end": "2028-01-01",
            },
        ),
        ("GET", "/licences/{pk}", f"/api/licences/{c.pk}", {}),
        (
            "POST",
            "/licences/{pk}/actions/{event}",
            f"/api/licences/{c.pk}/actions/terminate",
            {"reason": "恶意"},
        ),
        ("GET", "/licence-applications/{pk}", f"/api/licence-applications/{w.application.pk}", {}),
        (
            "POST",
            "/licence-applications/{pk}/{decision}",
            f"/api/licence-applications/{w.application.pk}/withdraw",
            {},
        ),
        ("GET", "/open-licences", "/api/open-licences", {}),
        (
            "POST",
            "/open-licences",
            "/api/open-licences",
            {
                "application_number": w.patents[3].application_number,
                "fee_schedule": {"free": True, "components": []},
            },
        ),
        ("GET", "/open-licences/{pk}", f"/api/open-licences/{w.draft_declaration.pk}", {}),
        (
            "POST",
            "/open-licences/{pk}/publish",
            f"/api/open-licences/{w.draft_declaration.pk}/publish",
            {"published_at": "2027-02-01", "announcement_no": "GK1"},
        ),
        ("POST", "/open-licences/{pk}/accept", f"/api/open-licences/{w.draft_declaration.pk}/accept", {}),
        (
            "POST",
            "/open-licences/{pk}/withdraw",
            f"/api/open-licences/{w.declaration.pk}/withdraw",
            {"reason": "恶意", "coowners_consent": True, "published_at": "2027-02-01"},
        ),
        (
            "POST",
            "/licences/{contract_id}/usage-reports",
            f"/api/licences/{c.pk}/usage-reports",
            {"period_start": "2027-01-01", "net_sales": "1"},
        ),
        ("GET", "/licences/{contract_id}/receivables", f"/api/licences/{c.pk}/receivables", {}),
    ]


# A form body that fills most page forms (the business date of today, each action's prefix).
_EVENTS = ("terminate", "suspend", "resume", "approve", "reject", "submit", "filed", "decline", "extend")
GENERIC_POST: dict[str, Any] = {
    "on": TODAY.isoformat(),
    "end": "2028-12-31",
    "note": "恶意操作",
    "reason": "恶意操作",
    "amount": "1.00",
    "paid_on": "2027-02-01",
    "period": MONEY_PAID_START.isoformat(),
    "net_sales": "1000.00",
    "kind": "licence",
    "start": "2027-01-01",
    "counterparty": "攻击者",
    "requested_mode": "paid",
    "intended_use": "恶意",
    "notified_at": "2027-02-01",
    "title": "被篡改",
    "patent_numbers": "",
    "modes": ["paid"],
    "licence_kind": "ordinary",
    "price_method": "listing",
    "own_rule": "",
    "tto_share": "10",
    "inventor_name": ["张三"],
    "inventor_share": ["100"],
    **{f"{e}-on": TODAY.isoformat() for e in _EVENTS},
    **{f"{e}-reason": "恶意操作" for e in _EVENTS},
    **{f"{e}-note": "恶意操作" for e in _EVENTS},
    "filed-record_no": "2027990000001",
    "submit-side": "licensee",
    "withdraw-reason": "恶意",
    "withdraw-coowners_consent": "on",
    "extend-months": "3",
}


def _refused(status: int, response: Any, anonymous: bool) -> bool:
    """A refusal: 403/404/405/400/422, or a redirect (to the login page when anonymous)."""
    if status in (302, 303):
        return not anonymous or "/accounts/login/" in response["Location"]
    return status in (400, 401, 403, 404, 405, 422)


def readable(response: Any) -> str:
    """The body as text, JSON with its Chinese unescaped (``\\u8398`` would hide a leak)."""
    text = response.content.decode(errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def _leaks(body: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s and s in body]


def test_every_route_is_attacked(world: World) -> None:
    """The lists below cover every licensing URL name and every licensing API route, so a route
    added without an attack in this file fails here."""
    assert {name for name, _ in page_targets(world)} == url_names("licensing")
    listed = {(m, t) for m, t, _, _ in api_targets(world)}
    assert listed == api_routes("patentbridge.licensing")


@pytest.mark.parametrize(
    "role", ["anonymous", "other_tto", "other_enterprise", "inventor", "viewer", "gov_officer_far"]
)
def test_pages_neither_leak_nor_change_another_organisations_data(world: World, role: str) -> None:
    """GET then POST every licensing page as a caller that owns nothing of the university's: never a
    500, never a 200 that shows a secret, and nothing written (no row, no state, no audit event)."""
    user = world.attackers[role]
    client = client_as(user)
    secrets = world.secrets()
    problems: list[str] = []
    for name, kwargs in page_targets(world):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url} → {response.status_code}")
        elif response.status_code == 200:
            body = (
                b"".join(response).decode(errors="replace")
                if response.streaming
                else response.content.decode(errors="replace")
            )
            if leaked := _leaks(body, secrets):
                problems.append(f"GET {url} → 200 showing {leaked}")
        before = snapshot()
        data = dict(GENERIC_POST)
        data["file"] = upload("attack.pdf", b"%PDF attack")
        data["evidence"] = upload("slip.pdf", b"%PDF slip")
        response = client.post(url, data)
        if response.status_code >= 500:
            problems.append(f"POST {url} → {response.status_code}")
        elif response.status_code == 200 and (
            leaked := _leaks(response.content.decode(errors="replace"), secrets)
        ):
            problems.append(f"POST {url} → 200 showing {leaked}")
        elif response.status_code not in (200,) and not _refused(
            response.status_code, response, user is None
        ):
            problems.append(f"POST {url} → unexpected {response.status_code}")
        after = snapshot()
        if after != before:
            changed = [k for k in before if before[k] != after[k]]
            problems.append(f"POST {url} changed {changed}")
    assert problems == []


@pytest.mark.parametrize(
    "role", ["anonymous", "other_tto", "other_enterprise", "inventor", "viewer", "gov_officer_far"]
)
def test_api_neither_leaks_nor_changes_another_organisations_data(world: World, role: str) -> None:
    """Every licensing API route as an outsider: refused (401/403/404/422) or, for the public
    catalogue, without any secret; nothing written."""
    user = world.attackers[role]
    client = client_as(user)
    secrets = world.secrets()
    problems: list[str] = []
    for method, _template, path, body in api_targets(world):
        before = snapshot()
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, body, content_type="application/json")
        status = response.status_code
        text = readable(response)
        if status >= 500:
            problems.append(f"{method} {path} → {status}")
        elif status in (200, 201):
            if method == "POST":
                problems.append(f"{method} {path} → {status} (accepted)")
            elif leaked := _leaks(text, secrets):
                problems.append(f"{method} {path} → {status} showing {leaked}")
        elif status not in (400, 401, 403, 404, 405, 422):
            problems.append(f"{method} {path} → unexpected {status}")
        if snapshot() != before:
            problems.append(f"{method} {path} changed data")
    assert problems == []


def test_the_secrets_are_real_the_parties_see_them(world: World) -> None:
    """Control for the leak checks: the same texts do show up for the parties allowed to read them
    (so their absence above means refusal, not a typo in a marker)."""
    tto, licensee = client_as(world.p.tto), client_as(world.p.enterprise_user)
    contract_page = tto.get(reverse("licensing:contract", args=[world.contract.pk])).content.decode()
    assert world.contract.contract_no in contract_page and DOC_NAME in contract_page
    assert world.p.enterprise.name in contract_page
    assert (
        DRAFT_OFFER_TITLE in tto.get(reverse("licensing:offer", args=[world.draft_offer.pk])).content.decode()
    )
    assert (
        INTENDED_USE
        in licensee.get(reverse("licensing:application", args=[world.application.pk])).content.decode()
    )
    manage = tto.get(reverse("licensing:open_edit", args=[world.draft_declaration.pk])).content.decode()
    assert DRAFT_CONTACT in manage
    assert world.contract.contract_no in client_as(world.p.operator).get("/api/licences").content.decode()


# --- IDOR: ids of another organisation's rows, in URLs and in bodies ---------------------------


def _flashes(response: Any) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


def post_once(user: Any, url: str, data: dict[str, Any]) -> tuple[Any, list[str]]:
    """POST with a fresh session, so the flashed messages are this request's only."""
    response = client_as(user).post(url, data)
    return response, _flashes(response)


def test_a_filing_of_another_contract_cannot_be_acted_on_through_ones_own_contract(world: World) -> None:
    """The university's TTO names the other university's filing under its own contract's URL."""
    before = snapshot()
    url = reverse(
        "licensing:filing_act",
        kwargs={"pk": world.contract.pk, "filing_pk": world.other_filing.pk, "action": "filed"},
    )
    response = client_as(world.p.tto).post(url, {"filed-on": TODAY.isoformat(), "filed-record_no": "2027X"})
    assert response.status_code == 404
    assert snapshot() == before


def test_a_document_of_another_contract_cannot_be_downloaded_through_ones_own_contract(world: World) -> None:
    for user in (world.p.tto, world.p.enterprise_user):
        url = reverse(
            "licensing:document_download", kwargs={"pk": world.contract.pk, "doc_pk": world.other_document.pk}
        )
        assert client_as(user).get(url).status_code == 404
    # and the owner of the other contract does get it (control)
    own = reverse(
        "licensing:document_download",
        kwargs={"pk": world.other_contract.pk, "doc_pk": world.other_document.pk},
    )
    response = client_as(world.p.other_tto).get(own)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 other"


def test_a_payment_on_another_universitys_receivable_is_refused(world: World) -> None:
    """The other TTO posts a complete, valid payment against the university's receivable."""
    before = snapshot()
    url = reverse("licensing:money_payment", args=[world.receivable.pk])
    response = client_as(world.p.other_tto).post(url, {"amount": "1.00", "paid_on": "2027-02-01"})
    assert response.status_code == 404
    assert snapshot() == before


def test_the_licensee_cannot_record_a_payment_on_its_own_licence(world: World) -> None:
    """Payments are the licensor's record: the paying enterprise may not mark itself as paid."""
    before = snapshot()
    url = reverse("licensing:money_payment", args=[world.receivable.pk])
    response = client_as(world.p.enterprise_user).post(url, {"amount": "1.00", "paid_on": "2027-02-01"})
    assert response.status_code in (403, 404)
    assert snapshot() == before


def test_the_licensee_cannot_read_or_approve_the_licensors_income_sheet(world: World) -> None:
    """Inventor rewards are the university's internal split, not the licensee's business."""
    licensee = client_as(world.p.enterprise_user)
    for name, pk in (
        ("licensing:money_distribution", world.payment.pk),
        ("licensing:money_distribution_pdf", world.distribution.pk),
    ):
        response = licensee.get(reverse(name, args=[pk]))
        assert response.status_code in (403, 404), name
        assert "张三" not in response.content.decode(errors="replace")
    before = snapshot()
    response = licensee.post(reverse("licensing:money_distribution_approve", args=[world.distribution.pk]))
    assert response.status_code in (302, 403, 404)
    assert snapshot() == before


def test_a_usage_report_for_another_enterprises_licence_is_refused(world: World) -> None:
    before = snapshot()
    url = reverse("licensing:money_usage_report", args=[world.contract.pk])
    response = client_as(world.p.other_enterprise_user).post(url, {"period": "2027-01-01", "net_sales": "1"})
    assert response.status_code == 404
    api = client_as(world.p.other_enterprise_user).post(
        f"/api/licences/{world.contract.pk}/usage-reports",
        {"period_start": "2027-01-01", "net_sales": "1"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert snapshot() == before


def test_another_enterprises_application_cannot_be_read_or_withdrawn(world: World) -> None:
    other = client_as(world.p.other_enterprise_user)
    before = snapshot()
    assert other.get(reverse("licensing:application", args=[world.application.pk])).status_code == 404
    assert (
        other.post(reverse("licensing:application_withdraw", args=[world.application.pk])).status_code == 404
    )
    api = other.post(
        f"/api/licence-applications/{world.application.pk}/withdraw", {}, content_type="application/json"
    )
    assert api.status_code == 404
    assert snapshot() == before


def test_another_university_cannot_decide_the_application(world: World) -> None:
    other = client_as(world.p.other_tto)
    before = snapshot()
    for decision in ("accept", "reject", "confirm-region"):
        response = other.post(
            f"/api/licence-applications/{world.application.pk}/{decision}",
            {"reason": "恶意"},
            content_type="application/json",
        )
        assert response.status_code == 404, decision
    response = other.post(
        reverse("licensing:application_accept", args=[world.application.pk]), {"on": "2027-03-01"}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_an_offer_cannot_package_another_universitys_patent(world: World) -> None:
    """The offer form with the other university's patent number creates nothing with that patent."""
    data = {
        "title": "夹带他校专利",
        "patent_numbers": world.other_patent.application_number,
        "modes": ["paid"],
        "licence_kind": "ordinary",
        "territory": "中国境内",
        "price_method": "listing",
        "trial_extensions_allowed": "0",
        "fee-fee_type": "lump_sum",
        "fee-lump_sum_amount": "10000",
    }
    response = client_as(world.p.tto).post(reverse("licensing:offer_new"), data)
    assert response.status_code in (200, 302, 403)
    assert not lm.LicenceOffer.objects.filter(patents=world.other_patent).exists()


def test_a_contract_cannot_be_drafted_on_another_universitys_patent_or_in_its_name(world: World) -> None:
    tto = client_as(world.p.tto)
    before = snapshot()
    body = {
        "licensee_org_id": world.p.enterprise.pk,
        "patents": [world.other_patent.application_number],
        "start": "2027-01-01",
        "end": "2028-01-01",
    }
    assert tto.post("/api/licences", body, content_type="application/json").status_code in (403, 404, 422)
    body.update(licensor_org_id=world.p.other_university.pk)
    assert tto.post("/api/licences", body, content_type="application/json").status_code in (403, 404, 422)
    assert snapshot() == before


def test_an_open_licence_cannot_be_declared_on_another_universitys_patent(world: World) -> None:
    tto = client_as(world.p.tto)
    before = snapshot()
    response = tto.get(reverse("licensing:open_new") + f"?patent={world.other_patent.application_number}")
    assert response.status_code in (403, 404)
    api = tto.post(
        "/api/open-licences",
        {
            "application_number": world.other_patent.application_number,
            "fee_schedule": {"free": True, "components": []},
        },
        content_type="application/json",
    )
    assert api.status_code in (403, 404)
    assert snapshot() == before


def test_an_enterprise_cannot_accept_an_unpublished_declaration(world: World) -> None:
    other = client_as(world.p.other_enterprise_user)
    before = snapshot()
    assert other.post(reverse("licensing:open_accept", args=[world.draft_declaration.pk])).status_code == 404
    api = other.post(
        f"/api/open-licences/{world.draft_declaration.pk}/accept", {}, content_type="application/json"
    )
    assert api.status_code == 404
    assert snapshot() == before


def test_another_universitys_ledger_is_neither_read_nor_written(world: World) -> None:
    other = client_as(world.p.other_tto)
    number = world.patents[0].application_number
    before = snapshot()
    assert other.get(reverse("licensing:ledger_patent", args=[number])).status_code == 404
    response = other.post(
        reverse("licensing:ledger_add_event", args=[number]),
        {"kind": "pledge", "start": "2027-01-01", "counterparty": "某银行"},
    )
    assert response.status_code == 404
    assert snapshot() == before


# --- documents: hostile names and sizes ----------------------------------------------------------


def _upload_as_tto(world: World, name: str, content: bytes) -> Any:
    url = reverse("licensing:document_upload", args=[world.contract.pk])
    return client_as(world.p.tto).post(url, {"kind": "other", "file": SimpleUploadedFile(name, content)})


def test_a_traversal_file_name_is_stored_inside_the_contracts_folder(world: World, settings: Any) -> None:
    from pathlib import Path

    response = _upload_as_tto(world, "../../../../../../tmp/evil.sh", b"#!/bin/sh\nrm -rf /\n")
    assert response.status_code == 302
    doc = lm.Document.objects.filter(contract=world.contract).exclude(pk=world.document.pk).get()
    assert "/" not in doc.name and "\\" not in doc.name and ".." not in doc.name.split(".")[0]
    root = (Path(settings.DATA_DIR) / "licensing" / "contracts").resolve()
    stored = doc_services.document_path(doc)
    assert stored.is_file() and stored.parent == root / str(world.contract.pk)
    assert stored.name == doc.sha256


def test_a_header_injecting_file_name_is_served_as_a_plain_attachment(world: World) -> None:
    _upload_as_tto(world, 'a"\r\nX-Evil: 1\r\n.pdf', b"%PDF header")
    doc = lm.Document.objects.filter(contract=world.contract).exclude(pk=world.document.pk).get()
    url = reverse("licensing:document_download", args=[world.contract.pk, doc.pk])
    response = client_as(world.p.enterprise_user).get(url)
    assert response.status_code == 200
    assert "X-Evil" not in response.headers and "\n" not in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"


def test_an_oversized_or_empty_upload_is_refused_in_chinese_and_leaves_no_file(
    world: World, settings: Any
) -> None:
    from pathlib import Path

    folder = Path(settings.DATA_DIR) / "licensing" / "contracts" / str(world.contract.pk)
    files_before = sorted(p.name for p in folder.iterdir())
    for content in (b"x" * (doc_services.MAX_DOCUMENT_BYTES + 1), b""):
        response = _upload_as_tto(world, "big.pdf", content)
        assert response.status_code == 302
        assert any(CJK.search(m) for m in _flashes(response))
    assert lm.Document.objects.filter(contract=world.contract).count() == 1
    assert sorted(p.name for p in folder.iterdir()) == files_before


def test_a_contract_document_whose_file_is_gone_is_a_404(world: World) -> None:
    doc_services.document_path(world.document).unlink()
    url = reverse("licensing:document_download", args=[world.contract.pk, world.document.pk])
    assert client_as(world.p.tto).get(url).status_code == 404


def test_a_declaration_document_whose_file_is_gone_is_a_404_not_a_500(world: World) -> None:
    """SECURITY: open_manage.document_download opens the stored path without checking it exists
    (the contract download does), so a missing file answers 500."""
    from patentbridge.licensing.services.open_documents import (
        attach_declaration_document,
        declaration_document_path,
    )

    doc = attach_declaration_document(
        world.p.tto, world.draft_declaration, SimpleUploadedFile("同意书.pdf", b"%PDF consent"), kind="other"
    )
    declaration_document_path(doc).unlink()
    url = reverse("licensing:open_document", args=[world.draft_declaration.pk, doc.pk])
    assert client_as(world.p.tto).get(url).status_code == 404


def test_declaration_documents_are_for_the_declarant_side_only(world: World) -> None:
    from patentbridge.licensing.services.open_documents import attach_declaration_document

    doc = attach_declaration_document(
        world.p.tto,
        world.declaration,
        SimpleUploadedFile("评价报告.pdf", b"%PDF eval"),
        kind="evaluation_report",
    )
    url = reverse("licensing:open_document", args=[world.declaration.pk, doc.pk])
    for user in (None, world.p.enterprise_user, world.p.other_enterprise_user, world.p.other_tto):
        assert client_as(user).get(url).status_code in (302, 403, 404)
    assert client_as(world.p.tto).get(url).status_code == 200


# --- hostile parameters -------------------------------------------------------------------------

BAD_IDS = ("abc", "-1", "0", "١", " 7 ", "9" * 30, "1e3", "NaN", "%00", "1;DROP TABLE x")


def test_hostile_ids_in_money_urls_are_404(world: World) -> None:
    tto = client_as(world.p.tto)
    for bad in BAD_IDS:
        for name, method in (
            ("licensing:money_payment", "post"),
            ("licensing:money_statement_pdf", "get"),
            ("licensing:money_distribution", "get"),
            ("licensing:money_distribution_approve", "post"),
            ("licensing:money_distribution_pdf", "get"),
            ("licensing:money_usage_report", "post"),
        ):
            url = reverse(name, args=["0"]).replace("/0/", f"/{bad}/")
            response = getattr(tto, method)(url)
            assert response.status_code == 404, (name, bad, response.status_code)


def test_hostile_ids_in_int_urls_and_api_paths_never_500(world: World) -> None:
    tto = client_as(world.p.tto)
    for path in (
        "/licensing/contracts/99999999999999999999999/",
        f"/licensing/contracts/{world.contract.pk}/documents/99999999999999999999999/",
        f"/licensing/contracts/{world.contract.pk}/filings/99999999999999999999999/filed/",
        "/licensing/offers/99999999999999999999999/",
        "/licensing/open/99999999999999999999999/",
        f"/licensing/open/{world.draft_declaration.pk}/documents/99999999999999999999999/",
        "/api/licences/99999999999999999999999",
        "/api/licence-applications/99999999999999999999999",
        "/api/open-licences/99999999999999999999999",
        "/api/licences/99999999999999999999999/receivables",
        "/api/licences/abc/receivables",
    ):
        assert tto.get(path).status_code in (404, 405), path


MONEY_AMOUNTS = (
    "-5",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e400",
    "1e2",
    "1_000",
    "9" * 10_000,
    "١٠٠",
    "",
)


def test_hostile_payment_amounts_and_dates_are_refused_in_chinese(world: World) -> None:
    url = reverse("licensing:money_payment", args=[world.royalty.pk])
    before = snapshot()
    for amount in (*MONEY_AMOUNTS, "0"):
        response, flashed = post_once(world.p.tto, url, {"amount": amount, "paid_on": "2027-02-01"})
        assert response.status_code == 302, amount
        assert flashed and all(CJK.search(m) and "已登记" not in m for m in flashed), (amount[:20], flashed)
    for day in ("9999-99-99", "2027-02-30", "0000-01-01", "1900-01-01", "x" * 10_000):
        response, flashed = post_once(world.p.tto, url, {"amount": "1.00", "paid_on": day})
        assert response.status_code == 302 and flashed and all(CJK.search(m) for m in flashed), day
    assert snapshot() == before


def test_hostile_usage_figures_are_refused_in_chinese(db: Any) -> None:
    p = make_parties()
    contract = make_money_contract(p, [make_granted_patent(p.university)])
    enterprise = client_as(p.enterprise_user)
    url = reverse("licensing:money_usage_report", args=[contract.pk])
    before = snapshot()
    for figure in MONEY_AMOUNTS:
        data = {"period": MONEY_PAID_START.isoformat(), "net_sales": figure}
        response, flashed = post_once(p.enterprise_user, url, data)
        assert response.status_code == 302, figure
        assert flashed and all(CJK.search(m) and "已提交" not in m for m in flashed), (figure[:20], flashed)
        api = enterprise.post(
            f"/api/licences/{contract.pk}/usage-reports",
            {"period_start": MONEY_PAID_START.isoformat(), "net_sales": figure},
            content_type="application/json",
        )
        assert api.status_code == 422 and CJK.search(api.content.decode("unicode_escape")), figure
    for body in (
        {"period_start": MONEY_PAID_START.isoformat(), "net_sales": 1e308},
        {"period_start": MONEY_PAID_START.isoformat(), "net_sales": [1]},
        {"period_start": MONEY_PAID_START.isoformat(), "net_sales": {"$gt": 0}},
        {"period_start": MONEY_PAID_START.isoformat(), "net_sales": True},
        {"period_start": {"a": 1}, "net_sales": "1"},
        {"period_start": "9999-99-99", "net_sales": "1"},
    ):
        api = enterprise.post(
            f"/api/licences/{contract.pk}/usage-reports", body, content_type="application/json"
        )
        assert api.status_code == 422 and CJK.search(api.content.decode("unicode_escape")), body
    assert snapshot() == before


def test_hostile_action_dates_and_texts_change_nothing(world: World) -> None:
    url = reverse("licensing:contract_act", args=[world.contract.pk, "suspend"])
    tto = client_as(world.p.tto)
    before = snapshot()
    for on, reason in (
        ("9999-99-99", "x"),
        ("2999-01-01", "x"),  # later than today
        ("2027-02-30", "x"),
        (TODAY.isoformat(), "x" * 10_000),
        (TODAY.isoformat(), ""),
    ):
        response, flashed = post_once(world.p.tto, url, {"suspend-on": on, "suspend-reason": reason})
        assert response.status_code == 302 and flashed, (on, reason[:10])
        assert all(CJK.search(m) and "已办理" not in m for m in flashed), (on, reason[:10], flashed)
    response = tto.post(reverse("licensing:contract_act", args=[world.contract.pk, "no_such_event"]))
    assert response.status_code in (403, 404)
    assert snapshot() == before


def _cjk_json(response: Any) -> bool:
    return bool(CJK.search(response.content.decode("unicode_escape", errors="replace")))


def test_api_bodies_of_the_wrong_type_are_refused_in_chinese(world: World) -> None:
    tto = client_as(world.p.tto)
    act = f"/api/licences/{world.contract.pk}/actions/suspend"
    before = snapshot()
    for body in (
        {"on": 123, "reason": "x"},
        {"on": "9999-99-99", "reason": "x"},
        {"on": TODAY.isoformat(), "reason": ["x"]},
        {"on": TODAY.isoformat(), "reason": "x" * 10_000},
        {"on": TODAY.isoformat(), "reason": "x", "fee_schedule": "free"},
    ):
        response = tto.post(act, body, content_type="application/json")
        assert response.status_code == 422 and _cjk_json(response), body
    extend = f"/api/licences/{world.contract.pk}/actions/extend"
    for months in ("NaN", -1, 10**20, 1.5, "3; DROP"):
        response = tto.post(extend, {"months": months}, content_type="application/json")
        assert response.status_code == 422 and _cjk_json(response), months
    for body in (
        {"licensee_org_id": "NaN", "patents": "abc", "start": 5},
        {"licensee_org_id": -1, "patents": [world.patents[0].application_number], "start": "2027-01-01"},
        {
            "licensee_org_id": world.p.enterprise.pk,
            "patents": ["x" * 10_000],
            "start": "2027-01-01",
            "end": "x",
        },
        {
            "licensee_org_id": world.p.enterprise.pk,
            "patents": [1, 2],
            "start": "2027-01-01",
            "end": "2028-01-01",
        },
    ):
        response = tto.post("/api/licences", body, content_type="application/json")
        assert response.status_code == 422 and _cjk_json(response), body
    for body in (
        {"application_number": ["x"], "fee_schedule": "x"},
        {"application_number": "x" * 10_000},
        {
            "application_number": world.patents[3].application_number,
            "fee_schedule": {},
            "as_of": "9999-99-99",
        },
        {"application_number": world.patents[3].application_number, "fee_schedule": {}, "term_years": "NaN"},
    ):
        response = tto.post("/api/open-licences", body, content_type="application/json")
        assert response.status_code in (404, 422) and _cjk_json(response), body
    accept = client_as(world.p.other_enterprise_user).post(
        f"/api/open-licences/{world.declaration.pk}/accept",
        {"notified_at": "9999-99-99"},
        content_type="application/json",
    )
    assert accept.status_code == 422 and _cjk_json(accept)
    assert snapshot() == before


def test_api_query_and_path_parameters_of_the_wrong_type_are_refused_in_chinese(world: World) -> None:
    """SECURITY/UX: ninja's own validation answers in English ("Input should be a valid integer")
    for a non-numeric id or page; the brief wants a clear Chinese message on every 4xx."""
    tto = client_as(world.p.tto)
    for path in (
        "/api/licences/abc",
        "/api/licences?page=abc",
        "/api/licences?page_size=NaN",
        "/api/licence-applications/abc",
        "/api/open-licences/abc",
        "/api/open-licences?page=abc",
    ):
        response = tto.get(path)
        assert 400 <= response.status_code < 500 and _cjk_json(response), (path, response.content[:200])


def test_api_bodies_that_are_not_json_objects_are_refused_in_chinese(world: World) -> None:
    """SECURITY/UX: a body that is not JSON answers ninja's English "Cannot parse request body"."""
    tto = client_as(world.p.tto)
    for raw in ("not json", "[]", "null", "\x00\xff", "{" * 10_000):
        response = tto.post(
            f"/api/licences/{world.contract.pk}/actions/suspend", raw, content_type="application/json"
        )
        assert 400 <= response.status_code < 500 and _cjk_json(response), (raw[:10], response.content[:200])


def test_hostile_list_filters_are_reported_in_chinese_never_500(world: World) -> None:
    tto, anon = client_as(world.p.tto), client_as(None)
    long = "x" * 10_000
    for query in (
        f"?university=abc&county={long}&chain=<script>&state=bogus&q={long}",
        "?page=-1",
        "?page=NaN",
        "?page=99999999999999999999",
        "?on=9999-99-99",
    ):
        for base in ("/licensing/", "/licensing/offers/", "/licensing/money/receivables/"):
            assert tto.get(base + query).status_code == 200, base + query
        for base in ("/licensing/open/", "/licensing/open/export.xlsx"):
            assert anon.get(base + query).status_code == 200, base + query
    response = tto.get(f"/api/licences?university=abc&county={long}")
    assert response.status_code == 400 and _cjk_json(response)
    response = anon.get(f"/api/open-licences?university=abc&grade=Z&q={long}")
    assert response.status_code == 400 and _cjk_json(response)
    page = tto.get(f"/licensing/ledger/patents/{world.patents[0].application_number}/?on=9999-99-99")
    assert page.status_code == 200 and "无法识别" in page.content.decode()
    bad_event = tto.post(
        reverse("licensing:ledger_add_event", args=[world.patents[0].application_number]),
        {"kind": "pledge", "start": "9999-99-99", "counterparty": long},
    )
    assert bad_event.status_code == 400 and CJK.search(bad_event.content.decode())
    assert tto.get("/licensing/ledger/patents/" + "9" * 300 + "/").status_code == 404


# --- exports: scoped to the caller, no formulas ------------------------------------------------


def _cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _texts(content: bytes) -> str:
    return "\n".join(str(c.value) for c in _cells(content) if c.value is not None)


def test_ledger_and_ageing_workbooks_hold_only_the_callers_licences(world: World) -> None:
    own, others = world.contract.contract_no, world.other_contract.contract_no
    for name in ("licensing:money_ledger_xlsx", "licensing:money_ageing_xlsx"):
        url = reverse(name)
        mine = _texts(client_as(world.p.tto).get(url).content)
        assert own in mine and others not in mine, name
        theirs = _texts(client_as(world.p.other_tto).get(url).content)
        assert own not in theirs and world.p.enterprise.name not in theirs, name
        everything = _texts(client_as(world.p.operator).get(url).content)
        assert own in everything, name
        for user in (world.p.enterprise_user, world.p.other_enterprise_user, world.p.inventor):
            assert client_as(user).get(url).status_code in (302, 403), (name, user)


def test_the_filing_form_workbook_is_for_the_parties_only(world: World) -> None:
    url = reverse("licensing:filing_form_xlsx", args=[world.contract.pk])
    assert world.contract.contract_no in _texts(client_as(world.p.enterprise_user).get(url).content)
    for user in (world.p.other_tto, world.p.other_enterprise_user):
        assert client_as(user).get(url).status_code == 404
    assert client_as(world.p.inventor).get(url).status_code == 403


FORMULAS = ('=HYPERLINK("http://evil.example","点我")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1")


def _assert_no_formula(content: bytes) -> None:
    from patentbridge.core.spreadsheet import FORMULA_PREFIXES

    for cell in _cells(content):
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_PREFIXES), (cell.coordinate, cell.value)


def test_exported_cells_never_carry_a_formula(world: World) -> None:
    """Names, titles and terms typed by users (or imported) that look like formulas are written as
    text in every licensing workbook."""
    from patentbridge.accounts.models import Organization
    from patentbridge.patents.models import Patent

    Organization.objects.filter(pk=world.p.enterprise.pk).update(name=FORMULAS[0], address=FORMULAS[1])
    lm.LicenceContract.objects.filter(pk=world.contract.pk).update(
        field_of_use=FORMULAS[2], territory=FORMULAS[4]
    )
    Patent.objects.filter(pk__in=[p.pk for p in world.patents]).update(title=FORMULAS[3])
    lm.OpenLicenceDeclaration.objects.filter(pk=world.declaration.pk).update(contact=FORMULAS[0])
    tto = client_as(world.p.tto)
    for url in (
        reverse("licensing:money_ledger_xlsx"),
        reverse("licensing:money_ageing_xlsx"),
        reverse("licensing:filing_form_xlsx", args=[world.contract.pk]),
    ):
        response = tto.get(url)
        assert response.status_code == 200, url
        _assert_no_formula(response.content)
    export = client_as(None).get(reverse("licensing:open_export"))
    assert export.status_code == 200
    _assert_no_formula(export.content)
    assert "'" + FORMULAS[0] in _texts(export.content)


# --- the public catalogue ---------------------------------------------------------------------


def test_the_anonymous_catalogue_lists_only_published_declarations(world: World) -> None:
    from patentbridge.licensing.services.open_licence import record_return, submit_declaration

    submitted = make_declaration(world.p.tto, make_granted_patent(world.p.university), stage="submitted")
    returned = make_declaration(world.p.tto, make_granted_patent(world.p.university), stage="submitted")
    record_return(world.p.tto, returned, on=dt.date(2026, 1, 20), reason="补正")
    del submit_declaration
    hidden = [d.patent.application_number for d in (world.draft_declaration, submitted, returned)]
    anon = client_as(None)
    shown = world.declaration.patent.application_number
    for url in ("/licensing/open/", "/licensing/open/export.xlsx", "/api/open-licences?page_size=100"):
        response = anon.get(url)
        text = _texts(response.content) if url.endswith(".xlsx") else response.content.decode()
        assert response.status_code == 200 and shown in text, url
        assert not [n for n in hidden if n in text], url
        assert DRAFT_CONTACT not in text, url
    for decl in (world.draft_declaration, submitted, returned):
        assert anon.get(f"/licensing/open/{decl.pk}/").status_code == 404
        assert anon.get(f"/api/open-licences/{decl.pk}").status_code == 404


PUBLIC_ROW_KEYS = {
    "id",
    "version",
    "application_number",
    "title",
    "patent_type",
    "patentees",
    "licensor",
    "fee_type",
    "fee_type_label",
    "fee",
    "term",
    "chains",
    "grade",
    "ipc",
    "published_at",
    "announcement_no",
    "expiry_date",
    "contact",
    "is_demo",
}


def test_the_anonymous_catalogue_api_rows_hold_public_facts_only(world: World) -> None:
    rows = client_as(None).get("/api/open-licences").json()["results"]
    assert rows and all(set(r) <= PUBLIC_ROW_KEYS for r in rows)


def test_the_anonymous_declaration_api_shows_no_internal_self_check(world: World) -> None:
    """GET /api/open-licences/{id} for an anonymous caller: the published facts, not the declarant's
    internal view (the self-check ``findings`` such as "年费缴纳情况未知，请核对缴费记录", the
    ``origin``, the CNIPA submission date, a withdrawal requested but not yet announced)."""
    open_licence.request_withdrawal(
        world.p.tto, world.declaration, on=TODAY, reason="专利权人决定撤回", coowners_consent=True
    )
    for user in (None, world.p.other_enterprise_user, world.p.other_tto):
        body = client_as(user).get(f"/api/open-licences/{world.declaration.pk}").json()
        assert body["application_number"] == world.declaration.patent.application_number
        internal = {
            k
            for k in ("findings", "origin", "submitted_at", "withdrawal_submitted_at", "withdrawal_reason")
            if body.get(k)
        }
        assert internal == set(), user
        assert body["state"] == "published"
    # the declarant still reads its own findings (control)
    own = client_as(world.p.tto).get(f"/api/open-licences/{world.declaration.pk}").json()
    assert own["withdrawal_submitted_at"] == TODAY.isoformat()


# --- audit: every state change, the admin's too -----------------------------------------------


def _audited(action: str, actor: Any, **target: Any) -> bool:
    events = AuditEvent.objects.filter(action=action, actor=actor)
    if "obj" in target:
        obj = target["obj"]
        events = events.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    return events.exists()


def test_an_admins_contract_steps_are_audited_with_the_admin_as_actor(db: Any) -> None:
    p = make_parties()
    contract = make_contract(
        p, [make_granted_patent(p.university)], actor=p.admin, stage="signed", fee_schedule=fee_lump_sum()
    )
    for event in ("create", "submit", "approve", "sign"):
        assert _audited(f"licensing.contract.{event}", p.admin, obj=contract), event
    # every timeline step has its audit event by the same actor
    for step in contract.steps.all():
        assert AuditEvent.objects.filter(
            action=f"licensing.contract.{step.event}",
            actor_id=step.actor_id,
            target_id=str(contract.pk),
        ).exists(), step.event
    response = client_as(p.admin).post(
        reverse("licensing:contract_act", args=[contract.pk, "suspend"]),
        {"suspend-on": TODAY.isoformat(), "suspend-reason": "付款违约"},
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == "suspended"
    assert _audited("licensing.contract.suspend", p.admin, obj=contract)


def test_admin_money_filing_offer_and_open_licence_changes_are_audited(world: World) -> None:
    from patentbridge.licensing.services import filing as filing_services

    p, admin = world.p, world.p.admin
    count = AuditEvent.objects.filter(actor=admin).count()
    # offer: the admin closes the published offer
    offers.offer_step(admin, world.offer, "close", on=TODAY)
    assert AuditEvent.objects.filter(
        actor=admin, target_id=str(world.offer.pk), action__startswith="licensing.offer."
    ).exists()
    # a payment recorded by the admin on the reported royalty (¥60,000 due, ¥10,000 paid)
    record_payment(admin, world.royalty, amount="1.00", paid_on=dt.date(2027, 2, 1))
    assert _audited("licensing.payment.recorded", admin)
    # the filing: the admin submits and records it
    filing_services.submit_filing(admin, world.filing, side="agency", on=dt.date(2026, 2, 1))
    filing_services.record_filed(
        admin, world.filing, record_no="2026370000123", filed_on=dt.date(2026, 2, 20)
    )
    assert _audited("licensing.filing.submit", admin, obj=world.filing)
    assert _audited("licensing.filing.accept", admin, obj=world.filing)
    # income: the admin approves the TTO's computed sheet
    income.approve_distribution(admin, world.distribution, on=TODAY)
    assert _audited("licensing.income.approved", admin)
    # open licence: the admin records the withdrawal request of the published declaration
    open_licence.request_withdrawal(
        admin, world.declaration, on=TODAY, reason="专利权人决定撤回", coowners_consent=True
    )
    assert AuditEvent.objects.filter(actor=admin, target_id=str(world.declaration.pk)).exists()
    # the application: the admin rejects it through the page
    response = client_as(admin).post(
        reverse("licensing:application_reject", args=[world.application.pk]), {"reason": "不符合条件"}
    )
    assert response.status_code == 302
    assert _audited("licensing.application.rejected", admin, obj=world.application)
    # the admin's document upload
    assert _upload_as_admin(world).status_code == 302
    assert _audited("licensing.document.uploaded", admin, obj=world.contract)
    assert AuditEvent.objects.filter(actor=admin).count() >= count + 7
    del p


def _upload_as_admin(world: World) -> Any:
    url = reverse("licensing:document_upload", args=[world.contract.pk])
    return client_as(world.p.admin).post(
        url, {"kind": "other", "file": SimpleUploadedFile("admin.pdf", b"%PDF admin")}
    )


def test_every_licensing_write_in_the_world_left_an_audit_trail(world: World) -> None:
    """The world was built only through services: each row that records a change has its event,
    naming the actor who made it."""
    p = world.p
    assert _audited("licensing.offer.created", p.tto, obj=world.offer)
    assert _audited("licensing.application.submitted", p.enterprise_user, obj=world.application)
    assert _audited("licensing.document.uploaded", p.tto, obj=world.contract)
    assert _audited("licensing.payment.recorded", p.tto)
    assert _audited("licensing.usage_report.submitted", p.enterprise_user)
    assert _audited("licensing.income.computed", p.tto)
    assert _audited("licensing.open_acceptance.notified", p.enterprise_user) or _audited(
        "licensing.open_acceptance.licensed", p.enterprise_user
    )
    for step in lm.ContractStep.objects.all():
        assert AuditEvent.objects.filter(
            action=f"licensing.contract.{step.event}", actor_id=step.actor_id, target_id=str(step.contract_id)
        ).exists(), (step.contract_id, step.event)


# --- the licensee may act on its licence, but only as the licensee ----------------------------


def _conversion_due(p: Parties) -> Any:
    """A pre-agreed trial (¥50,000 entry fee + 3 % royalty) whose trial has ended on 2026-03-05."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC), tick=False):
        return make_contract(
            p,
            [make_granted_patent(p.university)],
            trial_months=2,
            start=dt.date(2026, 1, 5),
            stage="conversion_due",
        )


FREE = {"free": True, "components": []}


def test_the_licensee_cannot_rewrite_the_fee_when_converting_through_the_api(db: Any) -> None:
    """SECURITY: ``contracts.convert`` lets any party pass ``fee_schedule`` (only
    ``require_party``), so the licensee's enterprise converts its pre-agreed trial with
    ``{"free": true}`` and the licensor's ¥50,000 entry fee + 3 % royalty become a free licence,
    unilaterally (an audit event names the change but nobody on the licensor side agreed)."""
    p = make_parties()
    contract = _conversion_due(p)
    agreed = contract.fee_schedule
    response = client_as(p.enterprise_user).post(
        f"/api/licences/{contract.pk}/actions/convert",
        {"fee_schedule": FREE},
        content_type="application/json",
    )
    contract.refresh_from_db()
    assert contract.fee_schedule == agreed, response.status_code


def test_the_licensee_cannot_rewrite_the_fee_when_converting_through_the_page(db: Any) -> None:
    """SECURITY: the same through the contract page: the conversion form carries the fee builder
    (``FeeScheduleForm`` prefix ``fee``) for whoever may convert, the licensee included."""
    p = make_parties()
    contract = _conversion_due(p)
    agreed = contract.fee_schedule
    url = reverse("licensing:contract_act", args=[contract.pk, "convert"])
    client_as(p.enterprise_user).post(url, {"convert-on": TODAY.isoformat(), "fee-fee_type": "free"})
    contract.refresh_from_db()
    assert contract.fee_schedule == agreed


def test_the_licensee_may_convert_on_the_agreed_terms(db: Any) -> None:
    """Control: converting without a new fee is the licensee's right and keeps the agreed fee."""
    p = make_parties()
    contract = _conversion_due(p)
    agreed = contract.fee_schedule
    response = client_as(p.enterprise_user).post(
        f"/api/licences/{contract.pk}/actions/convert", {}, content_type="application/json"
    )
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.state == "active_paid" and contract.fee_schedule == agreed
    assert _audited("licensing.contract.convert", p.enterprise_user, obj=contract)


def test_the_licensee_cannot_run_the_licensors_contract_steps(db: Any) -> None:
    """Each manager-only step, in a state where it applies, refused to the licensee (page and API)."""
    p = make_parties()
    patent = make_granted_patent(p.university)
    draft = make_contract(p, [patent], stage="draft")
    in_approval = make_contract(p, [make_granted_patent(p.university)], stage="in_approval")
    approved = make_contract(p, [make_granted_patent(p.university)], stage="approved")
    active = make_contract(
        p, [make_granted_patent(p.university)], stage="signed", fee_schedule=fee_lump_sum()
    )
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC), tick=False):
        trial = make_contract(
            p, [make_granted_patent(p.university)], trial_months=6, start=dt.date(2026, 1, 5), stage="signed"
        )
    cases = [
        (draft, "submit", {}),
        (in_approval, "approve", {"note": "同意"}),
        (in_approval, "reject", {"note": "退回"}),
        (approved, "sign", {}),
        (active, "suspend", {"reason": "违约"}),
        (active, "terminate", {"reason": "违约"}),
        (trial, "extend", {"months": 3}),
    ]
    ent = client_as(p.enterprise_user)
    for contract, event, body in cases:
        before = snapshot()
        api = ent.post(
            f"/api/licences/{contract.pk}/actions/{event}",
            {"on": "2026-02-01", **body},
            content_type="application/json",
        )
        assert api.status_code in (403, 404, 422), (event, api.status_code)
        page = {f"{event}-on": "2026-02-01", **{f"{event}-{k}": v for k, v in body.items()}}
        ent.post(reverse("licensing:contract_act", args=[contract.pk, event]), page)
        assert snapshot() == before, event


def test_the_declarants_management_page_is_not_open_to_enterprises(world: World) -> None:
    """SECURITY: ``open_manage.manage`` looks the declaration up with the "view" rule, which lets
    every enterprise see published declarations, so any enterprise opens
    ``/licensing/open/<id>/manage/`` and reads the declarant's internal self-check (e.g.
    "年费缴纳情况未知，请核对缴费记录后再提交") — the same facts the API now hides from non-declarants."""
    reason = world.declaration.check_result[0]["reason"]
    url = reverse("licensing:open_manage", args=[world.declaration.pk])
    assert reason in client_as(world.p.tto).get(url).content.decode()  # control: the declarant
    for user in (world.p.other_enterprise_user, world.p.enterprise_user):
        response = client_as(user).get(url)
        assert response.status_code in (302, 403, 404) or reason not in response.content.decode()


def test_markup_in_names_does_not_break_the_pdf_statements(world: World) -> None:
    from patentbridge.accounts.models import Organization

    Organization.objects.filter(pk=world.p.enterprise.pk).update(name='<font name="x"><b>坏</i>&amp')
    tto = client_as(world.p.tto)
    for url in (
        reverse("licensing:money_statement_pdf", args=[world.royalty.pk]),
        reverse("licensing:money_distribution_pdf", args=[world.distribution.pk]),
    ):
        response = tto.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), url

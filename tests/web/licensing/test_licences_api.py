"""The licences REST API (frozen clock, bearer tokens): permissions per role and organisation, the
list with the board's filters, an enterprise's application and a TTO's draft through POST, the
detail with findings/filing/timeline, transitions with 422 + rule code and Chinese reason, the
application decisions, and hostile input answered with clear errors (never 500)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from patentbridge.licensing.models import LicenceApplication, LicenceContract
from patentbridge.licensing.services import applications as apps
from patentbridge.licensing.services import contracts, offers
from web.factories import make_member, make_token
from web.licensing.factories import Parties, fee_lump_sum, fee_royalty, make_contract, make_granted_patent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


class Api:
    """A client that sends the user's bearer token and JSON bodies."""

    def __init__(self, user: Any = None) -> None:
        self.client = Client()
        self.headers = {}
        if user is not None:
            _, key = make_token(user)
            self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, url: str) -> Any:
        return self.client.get(url, headers=self.headers)

    def post(self, url: str, body: Any = None) -> Any:
        return self.client.post(
            url, data=json.dumps(body or {}), content_type="application/json", headers=self.headers
        )


def publish(parties: Parties, patents: list[Any], **values: Any) -> Any:
    data: dict[str, Any] = {
        "title": "定向许可项目",
        "modes": ["trial_then_paid", "paid"],
        "paid_terms": fee_royalty(),
        "price_method": "listing",
    }
    data.update(values)
    offer = offers.create_offer(
        parties.tto, publisher_org=parties.university, patents=patents, on=TODAY, **data
    )
    offers.offer_step(parties.tto, offer, "submit", on=TODAY)
    return offers.offer_step(parties.tto, offer, "approve", on=TODAY)


def draft_body(parties: Parties, patent: Any, **extra: Any) -> dict[str, Any]:
    body = {
        "licensee_org_id": parties.enterprise.pk,
        "patents": [patent.application_number],
        "kind": "ordinary",
        "start": "2026-03-02",
        "end": "2028-03-01",
        "fee_schedule": fee_lump_sum("80000.00"),
        "price_method": "listing",
    }
    body.update(extra)
    return body


# --- permissions -------------------------------------------------------------------------------------


def test_anonymous_callers_get_401(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY)
    anonymous = Api()
    assert anonymous.get("/api/licences").status_code == 401
    assert anonymous.get(f"/api/licences/{contract.pk}").status_code == 401
    assert anonymous.post("/api/licences", draft_body(parties, patent)).status_code == 401
    assert anonymous.post(f"/api/licences/{contract.pk}/actions/submit").status_code == 401


def test_the_list_shows_each_caller_its_own_contracts(parties, patent):
    mine = make_contract(parties, [patent], start=TODAY)
    other_patent = make_granted_patent(parties.other_university)
    theirs = make_contract(
        parties,
        [other_patent],
        start=TODAY,
        licensor_org=parties.other_university,
        actor=parties.other_tto,
        licensee_org=parties.other_enterprise,
    )

    def ids(user: Any) -> set[int]:
        response = Api(user).get("/api/licences")
        assert response.status_code == 200
        return {r["id"] for r in response.json()["results"]}

    assert ids(parties.tto) == {mine.pk}
    assert ids(parties.other_tto) == {theirs.pk}
    assert ids(parties.enterprise_user) == {mine.pk}
    assert ids(parties.operator) == {mine.pk, theirs.pk}
    assert Api(parties.inventor).get("/api/licences").status_code == 403
    assert Api(make_member(parties.centre, "viewer")).get("/api/licences").status_code == 403


def test_detail_is_404_for_other_organisations(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY)
    for user in (parties.other_tto, parties.other_enterprise_user):
        assert Api(user).get(f"/api/licences/{contract.pk}").status_code == 404
    for user in (parties.tto, parties.enterprise_user, parties.operator):
        assert Api(user).get(f"/api/licences/{contract.pk}").status_code == 200
    assert Api(parties.inventor).get(f"/api/licences/{contract.pk}").status_code == 403


# --- list filters ----------------------------------------------------------------------------------


def test_list_filters_are_the_boards(parties, patent, chains):
    from patentbridge.patents.classification import replace_classes

    heat_pump = make_granted_patent(parties.university, ipc=["F25B30/02"], title="一种高温热泵机组")
    replace_classes([heat_pump])
    a = make_contract(parties, [patent], start=TODAY)
    b = make_contract(parties, [heat_pump], start=TODAY, licensee_org=parties.other_enterprise)
    api = Api(parties.operator)

    def ids(query: str) -> set[int]:
        response = api.get(f"/api/licences?{query}")
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert ids("county=370902") == {a.pk}
    assert ids("county=3702") == {b.pk}
    assert ids(f"university={parties.university.pk}") == {a.pk, b.pk}
    assert ids(f"university={parties.other_university.pk}") == set()
    chain = heat_pump.classes.filter(scheme="chain").values_list("code", flat=True).first()
    assert chain and ids(f"chain={chain}") == {b.pk}
    assert ids("q=高温热泵") == {b.pk}
    assert ids("state=draft") == {a.pk, b.pk} and ids("state=active_paid") == set()
    row = api.get("/api/licences?county=370902").json()["results"][0]
    assert row["state_label"] == "草稿" and row["licensee"]["region_label"] == "泰安市泰山区"


def test_invalid_filters_and_paging_answer_clearly(parties, patent):
    make_contract(parties, [patent], start=TODAY)
    api = Api(parties.operator)
    for query in ("university=abc", "county=12345", "state=bogus", "chain=%3Cscript%3E"):
        response = api.get(f"/api/licences?{query}")
        assert response.status_code == 400 and "已忽略" in response.json()["detail"], query
    body = api.get("/api/licences?page=99999&page_size=100000").json()
    assert body["page_size"] == 100 and body["page"] == 1 and body["count"] == 1


# --- POST /licences --------------------------------------------------------------------------------


def test_a_tto_drafts_a_contract_from_json(parties, patent):
    response = Api(parties.tto).post(
        "/api/licences", draft_body(parties, patent, trial_months=6, origin="directed_trial")
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "contract" and body["application"] is None
    contract = LicenceContract.objects.get(pk=body["contract"]["id"])
    assert contract.state == "draft" and contract.trial_end == dt.date(2026, 9, 2)
    assert body["contract"]["state_label"] == "草稿" and body["contract"]["check"] == "sign"
    assert {a["event"] for a in body["contract"]["allowed_actions"]} == {"submit"}


def test_drafting_is_refused_for_strangers_and_bad_input(parties, patent):
    assert Api(parties.inventor).post("/api/licences", draft_body(parties, patent)).status_code == 403
    response = Api(parties.other_tto).post("/api/licences", draft_body(parties, patent))
    assert response.status_code == 422 and "不是" in json.dumps(response.json(), ensure_ascii=False)
    response = Api(parties.other_tto).post(
        "/api/licences", draft_body(parties, patent, licensor_org_id=parties.university.pk)
    )
    assert response.status_code == 403
    api = Api(parties.tto)
    cases = {
        "start": draft_body(parties, patent, start="2026-02-30"),
        "end": draft_body(parties, patent, end=20280301),
        "patents": draft_body(parties, patent, patents="202310123456.6"),
        "licensee_org_id": draft_body(parties, patent, licensee_org_id=99999999999999999999),
        "trial_months": draft_body(parties, patent, trial_months=-3),
        "fee_schedule": draft_body(
            parties, patent, fee_schedule={"free": False, "components": [{"type": "x"}]}
        ),
        "field_of_use": draft_body(parties, patent, field_of_use="长" * 5000),
        "kind": draft_body(parties, patent, kind="forever"),
    }
    for name, body in cases.items():
        response = api.post("/api/licences", body)
        assert response.status_code == 422, (name, response.content)
        assert response.json()["error"] == "invalid"
    assert not LicenceContract.objects.exists()


def test_an_enterprise_applies_through_post(parties, patent):
    offer = publish(parties, [patent])
    response = Api(parties.enterprise_user).post(
        "/api/licences", {"offer_id": offer.pk, "requested_mode": "trial_then_paid", "intended_use": "试制"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "application" and body["contract"] is None
    application = LicenceApplication.objects.get(pk=body["application"]["id"])
    assert application.requested_mode == "trial_then_paid" and list(application.patents.all()) == [patent]
    assert body["application"]["state_label"] == "已申请"


def test_enterprise_application_errors(parties, patent):
    offer = publish(parties, [patent], max_trials_per_patent=1)
    api = Api(parties.enterprise_user)
    assert api.post("/api/licences", {"requested_mode": "paid"}).status_code == 422
    assert api.post("/api/licences", {"offer_id": "abc"}).status_code == 422
    assert api.post("/api/licences", {"offer_id": 99999999}).status_code == 404
    response = api.post("/api/licences", {"offer_id": offer.pk, "patents": ["202310123456.6"]})
    assert response.status_code == 422
    first = apps.apply_for_licence(
        parties.other_enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    apps.accept_application(parties.tto, first, on=TODAY)
    response = api.post("/api/licences", {"offer_id": offer.pk, "requested_mode": "trial_then_paid"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "MAX_TRIALS" and "名额已满" in body["detail"]


# --- actions ---------------------------------------------------------------------------------------


def test_the_api_walks_a_contract_to_signature(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY, trial_months=6)
    api = Api(parties.tto)
    for event in ("submit", "approve", "sign"):
        response = api.post(f"/api/licences/{contract.pk}/actions/{event}", {"on": "2026-03-02"})
        assert response.status_code == 200, (event, response.content)
    body = response.json()
    assert body["state"] == "active_trial" and body["state_label"] == "试用中"
    assert body["filings"][0]["due_date"] == "2026-06-02" and body["filings"][0]["state"] == "due"
    assert [s["event"] for s in body["timeline"]] == ["create", "submit", "approve", "sign", "start_trial"]
    assert body["check"] == "filing"


def test_a_refused_transition_answers_422_with_the_rule_code_and_reason(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY, price_method="agreement", stage="approved")
    response = Api(parties.tto).post(f"/api/licences/{contract.pk}/actions/sign", {"on": "2026-03-02"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "refused" and body["code"] == "L7" and "公示" in body["detail"]
    assert any(f["code"] == "L7" for f in body["findings"])
    response = Api(parties.tto).post(f"/api/licences/{contract.pk}/actions/submit")
    assert response.status_code == 422 and response.json()["code"] == "STATE"


def test_action_permissions_and_hostile_actions(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY)
    assert Api(parties.other_tto).post(f"/api/licences/{contract.pk}/actions/submit").status_code == 404
    assert Api(parties.enterprise_user).post(f"/api/licences/{contract.pk}/actions/submit").status_code == 403
    api = Api(parties.tto)
    assert api.post(f"/api/licences/{contract.pk}/actions/explode").status_code == 400
    for on in ("2026-13-01", "2099-01-01", 20260302, "x" * 5000):
        response = api.post(f"/api/licences/{contract.pk}/actions/submit", {"on": on})
        assert response.status_code == 422, on
    response = api.post(f"/api/licences/{contract.pk}/actions/reject", {"note": "x" * 3000})
    assert response.status_code == 422
    assert api.get("/api/licences/99999999999999999999").status_code in (404, 422)
    assert api.get("/api/licences/0").status_code == 404
    contract.refresh_from_db()
    assert contract.state == "draft"


def test_the_licensee_converts_through_the_api(parties, patent):
    contract = make_contract(
        parties, [patent], start=dt.date(2025, 6, 1), trial_months=6, stage="conversion_due"
    )
    response = Api(parties.enterprise_user).post(
        f"/api/licences/{contract.pk}/actions/convert", {"on": "2026-03-02"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "active_paid"


# --- applications ----------------------------------------------------------------------------------


def test_application_decisions_through_the_api(parties, patent):
    offer = publish(parties, [patent], target_regions="3715", region_only=True)
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    url = f"/api/licence-applications/{application.pk}"
    assert Api(parties.other_tto).get(url).status_code == 404
    assert Api(parties.enterprise_user).get(url).json()["needs_region_confirmation"] is True
    tto = Api(parties.tto)
    response = tto.post(f"{url}/accept", {})
    assert response.status_code == 422 and response.json()["code"] == "L11"
    assert tto.post(f"{url}/confirm-region").json()["needs_region_confirmation"] is False
    assert tto.post(f"{url}/accept", {"on": "2099-01-01"}).status_code == 422
    body = tto.post(f"{url}/accept", {"end": "2027-03-01"}).json()
    assert body["state"] == "accepted" and body["contract_id"]
    contract = LicenceContract.objects.get(pk=body["contract_id"])
    assert contract.end_date == dt.date(2027, 3, 1) and contract.origin == "directed"
    assert tto.post(f"{url}/shred").status_code == 400


def test_withdraw_and_reject_through_the_api(parties, patent):
    offer = publish(parties, [patent])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    url = f"/api/licence-applications/{application.pk}"
    assert Api(parties.tto).post(f"{url}/reject", {"reason": ""}).status_code == 422
    assert Api(parties.tto).post(f"{url}/withdraw").status_code == 403
    assert Api(parties.enterprise_user).post(f"{url}/withdraw").json()["state"] == "withdrawn"
    again = apps.apply_for_licence(parties.enterprise_user, offer, patents=[patent], requested_mode="paid")
    body = (
        Api(parties.tto).post(f"/api/licence-applications/{again.pk}/reject", {"reason": "方向不符"}).json()
    )
    assert body["state"] == "rejected" and body["decision_reason"] == "方向不符"


def test_the_full_api_flow_application_to_trial(parties, patent):
    """Enterprise applies → TTO accepts → submit, approve, sign → a trial with its filing task."""
    offer = publish(parties, [patent])
    created = Api(parties.enterprise_user).post("/api/licences", {"offer_id": offer.pk}).json()
    tto = Api(parties.tto)
    accepted = tto.post(f"/api/licence-applications/{created['application']['id']}/accept", {}).json()
    pk = accepted["contract_id"]
    for event in ("submit", "approve", "sign"):
        assert tto.post(f"/api/licences/{pk}/actions/{event}").status_code == 200
    detail = Api(parties.enterprise_user).get(f"/api/licences/{pk}").json()
    assert detail["state"] == "active_trial" and detail["origin"] == "directed_trial"
    assert detail["trial_end"] == "2026-09-02" and detail["fee_schedule"] == offer.paid_terms
    assert {a["event"] for a in detail["allowed_actions"]} == set()
    contracts.end_trial(None, LicenceContract.objects.get(pk=pk), on=dt.date(2026, 9, 2))
    detail = Api(parties.enterprise_user).get(f"/api/licences/{pk}").json()
    assert {a["event"] for a in detail["allowed_actions"]} == {"convert", "decline"}


# --- more API cases --------------------------------------------------------------------------------


def test_an_operator_drafts_for_the_owner_it_names(parties, patent):
    api = Api(parties.operator)
    response = api.post("/api/licences", draft_body(parties, patent, licensor_org_id=parties.university.pk))
    assert response.status_code == 201, response.content
    contract = LicenceContract.objects.get()
    assert contract.licensor_org == parties.university and contract.created_by == parties.operator
    # Without licensor_org_id the operator's own centre would license: it owns no such patent.
    response = api.post("/api/licences", draft_body(parties, patent))
    assert response.status_code == 422 and "不是" in response.json()["detail"][0]
    response = api.post("/api/licences", draft_body(parties, patent, licensor_org_id=999999))
    assert response.status_code == 422


def test_list_pages_through_the_results(parties):
    made = [make_contract(parties, [make_granted_patent(parties.university)], start=TODAY) for _ in range(3)]
    api = Api(parties.tto)
    first = api.get("/api/licences?page_size=2").json()
    second = api.get("/api/licences?page_size=2&page=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2 and len(second["results"]) == 1
    seen = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert seen == {c.pk for c in made}
    assert api.get("/api/licences?page=abc").status_code in (200, 422)


def test_detail_shows_findings_documents_and_filing(parties, patent):
    from patentbridge.licensing.services import documents

    contract = make_contract(parties, [patent], start=TODAY, price_method="agreement", stage="approved")

    class Upload:
        name = "合同.pdf"

        def chunks(self, size: int = 0) -> Any:
            yield b"%PDF"

    documents.attach_document(parties.tto, contract, Upload(), kind="contract")
    body = Api(parties.enterprise_user).get(f"/api/licences/{contract.pk}").json()
    assert body["check"] == "sign" and any(
        f["code"] == "L7" and f["severity"] == "block" for f in body["findings"]
    )
    assert body["documents"][0]["name"] == "合同.pdf" and len(body["documents"][0]["sha256"]) == 64
    assert body["filings"] == [] and body["allowed_actions"] == []
    tto = Api(parties.tto).get(f"/api/licences/{contract.pk}").json()
    assert {a["event"] for a in tto["allowed_actions"]} == {"start_notice"}


def test_notice_actions_through_the_api(parties, patent):
    contract = make_contract(
        parties, [patent], start=dt.date(2026, 1, 5), price_method="agreement", stage="approved"
    )
    api = Api(parties.tto)
    response = api.post(f"/api/licences/{contract.pk}/actions/start_notice", {"on": "2026-01-05"})
    assert response.status_code == 422 and response.json()["error"] == "invalid"
    response = api.post(
        f"/api/licences/{contract.pk}/actions/start_notice",
        {"on": "2026-01-05", "result_name": "电驱降噪", "proposed_price": "5 万元"},
    )
    assert response.json()["state"] == "public_notice"
    early = api.post(f"/api/licences/{contract.pk}/actions/notice_passed", {"on": "2026-01-10"})
    assert early.status_code == 422 and early.json()["code"] == "L7"
    passed = api.post(f"/api/licences/{contract.pk}/actions/notice_passed", {"on": "2026-03-02"})
    assert passed.json()["state"] == "approved"
    assert api.post(f"/api/licences/{contract.pk}/actions/sign").json()["state"] == "active_paid"


def test_trial_end_actions_through_the_api(parties, patent):
    contract = make_contract(
        parties,
        [patent],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="conversion_due",
        extensions_allowed=1,
    )
    tto, enterprise = Api(parties.tto), Api(parties.enterprise_user)
    assert tto.post(f"/api/licences/{contract.pk}/actions/extend", {"months": "x"}).status_code == 422
    assert enterprise.post(f"/api/licences/{contract.pk}/actions/extend", {"months": 2}).status_code == 403
    body = tto.post(f"/api/licences/{contract.pk}/actions/extend", {"months": 2}).json()
    assert body["trial_end"] == "2026-02-01" and body["trial_extensions_used"] == 1
    contracts.end_trial(None, LicenceContract.objects.get(pk=contract.pk), on=dt.date(2026, 2, 1))
    assert (
        tto.post(f"/api/licences/{contract.pk}/actions/extend", {"months": 1}).json()["code"]
        == "NO_EXTENSION_LEFT"
    )
    bad = enterprise.post(f"/api/licences/{contract.pk}/actions/decline", {"reason_code": "bored"})
    assert bad.status_code == 422
    body = enterprise.post(
        f"/api/licences/{contract.pk}/actions/decline", {"reason_code": "not_suitable"}
    ).json()
    assert body["state"] == "trial_ended" and body["end_reason"] == "技术不适合企业需要"


def test_convert_with_a_negotiated_fee_through_the_api(parties, patent):
    """New paid terms come from the licensor side; the licensee's attempt is refused (422) and
    changes nothing."""
    contract = make_contract(
        parties,
        [patent],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="conversion_due",
        conversion_mode="negotiate",
    )
    url = f"/api/licences/{contract.pk}/actions/convert"
    refused = Api(parties.enterprise_user).post(url, {"fee_schedule": fee_lump_sum("1.00")})
    assert refused.status_code == 422 and refused.json()["code"] == "FEE_CHANGE_BY_LICENSOR"
    api = Api(parties.tto)
    assert api.post(url, {"fee_schedule": "¥5万"}).status_code == 422
    body = api.post(url, {"fee_schedule": fee_lump_sum("45000.00")}).json()
    assert body["state"] == "active_paid" and body["fee_text"].startswith("一次性")
    assert {f["kind"] for f in body["filings"]} == {"initial", "change"}


def test_suspend_resume_terminate_through_the_api(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY, stage="signed")
    api = Api(parties.tto)
    assert api.post(f"/api/licences/{contract.pk}/actions/suspend", {"reason": ""}).status_code == 422
    assert (
        api.post(f"/api/licences/{contract.pk}/actions/suspend", {"reason": "逾期"}).json()["state"]
        == "suspended"
    )
    assert (
        api.post(f"/api/licences/{contract.pk}/actions/resume", {"reason": "已付"}).json()["state"]
        == "active_paid"
    )
    body = api.post(f"/api/licences/{contract.pk}/actions/terminate", {"reason": "解除"}).json()
    assert body["state"] == "terminated" and body["check"] == "" and body["findings"] == []


def test_enterprise_applies_for_part_of_the_package(parties, patent):
    second = make_granted_patent(parties.university)
    offer = publish(parties, [patent, second])
    body = (
        Api(parties.enterprise_user)
        .post(
            "/api/licences",
            {"offer_id": offer.pk, "requested_mode": "paid", "patents": [second.application_number]},
        )
        .json()
    )
    assert [p["application_number"] for p in body["application"]["patents"]] == [second.application_number]
    assert (
        Api(parties.other_enterprise_user)
        .get(f"/api/licence-applications/{body['application']['id']}")
        .status_code
        == 404
    )
    assert Api(parties.tto).get(f"/api/licence-applications/{body['application']['id']}").status_code == 200


def test_malformed_bodies_never_500(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY)
    api = Api(parties.tto)
    for raw in ("[1, 2]", "not json", '"text"', "{" * 5000):
        response = api.client.post(
            "/api/licences", data=raw, content_type="application/json", headers=api.headers
        )
        assert 400 <= response.status_code < 500, (raw[:10], response.status_code)
        # An action's inputs are all optional: a body that is not an object is never a 500.
        response = api.client.post(
            f"/api/licences/{contract.pk}/actions/submit",
            data=raw,
            content_type="application/json",
            headers=api.headers,
        )
        assert response.status_code < 500, (raw[:10], response.status_code)
    for user in (parties.inventor, make_member(parties.centre, "viewer")):
        assert Api(user).post("/api/licences", draft_body(parties, patent)).status_code == 403


# --- input parsing and output shapes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("2026-03-02", dt.date(2026, 3, 2))],
)
def test_as_date_accepts_iso_dates(value, expected):
    from patentbridge.licensing.api.licences_io import as_date

    assert as_date(value, "on", "业务日期") == expected


@pytest.mark.parametrize(
    "value", ["2026-3-2", "2026-02-30", 20260302, "x" * 10, ["2026-03-02"], "2026-03-02T00"]
)
def test_as_date_refuses_anything_else_in_chinese(value):
    from django.core.exceptions import ValidationError

    from patentbridge.licensing.api.licences_io import as_date

    with pytest.raises(ValidationError) as invalid:
        as_date(value, "on", "业务日期")
    assert invalid.value.message_dict["on"] == ["业务日期须为 YYYY-MM-DD 格式的日期"]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("12", 12), (12, 12), ("  7 ", 7), (None, None), ("", None)],
)
def test_as_int_reads_small_positive_numbers(value, ok):
    from patentbridge.licensing.api.licences_io import as_int

    assert as_int(value, "months", "月数", high=60) == ok


@pytest.mark.parametrize("value", [True, -1, "1.5", "9" * 30, 61, {"n": 1}, "一"])
def test_as_int_refuses_junk(value):
    from django.core.exceptions import ValidationError

    from patentbridge.licensing.api.licences_io import as_int

    with pytest.raises(ValidationError):
        as_int(value, "months", "月数", low=0, high=60)


def test_text_bool_and_number_lists():
    from django.core.exceptions import ValidationError

    from patentbridge.licensing.api.licences_io import as_bool, as_text, numbers_list

    assert as_text("  地域  ", "t", "文字", 10) == "地域" and as_text(None, "t", "文字", 10) == ""
    for bad in (5, "长" * 11, ["a"]):
        with pytest.raises(ValidationError):
            as_text(bad, "t", "文字", 10)
    assert as_bool(None, "b", "开关", default=True) is True and as_bool(False, "b", "开关") is False
    with pytest.raises(ValidationError):
        as_bool("true", "b", "开关")
    assert numbers_list(["202310123456.6"]) == ["202310123456.6"]
    for bad in ([], "202310123456.6", ["x" * 41], [1], ["a"] * 201):
        with pytest.raises(ValidationError):
            numbers_list(bad)


def test_a_list_row_names_stage_deadline_and_region(parties, patent):
    from patentbridge.licensing.api.licences_io import licence_row

    contract = make_contract(parties, [patent], start=TODAY, trial_months=6, stage="signed")
    row = licence_row(contract, as_of=TODAY)
    assert row["stage"] == "trial" and row["state_label"] == "试用中"
    assert row["next_deadline"] == dt.date(2026, 6, 2) and row["next_deadline_label"] == "备案期限"
    assert row["licensee"] == {
        "id": parties.enterprise.pk,
        "name": parties.enterprise.name,
        "region_code": "370902",
        "region_label": "泰安市泰山区",
    }
    assert row["url"] == f"/licensing/contracts/{contract.pk}/" and row["kind_label"] == "普通许可"
    assert row["origin_label"] == "定向许可（先试用）"


def test_an_application_shows_its_contract_once_accepted(parties, patent):
    from patentbridge.licensing.api.licences_io import application_out

    offer = publish(parties, [patent])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    shown = application_out(application)
    assert shown["contract_id"] is None and shown["requested_mode_label"] == "付费许可"
    contract = apps.accept_application(parties.tto, application, on=TODAY)
    application.refresh_from_db()
    assert application_out(application)["contract_id"] == contract.pk


def test_the_list_and_detail_reach_contracts_of_every_origin(parties, patent):
    """Contracts drafted directly (negotiated) and from offers share one list and detail."""
    negotiated = make_contract(parties, [patent], start=TODAY)
    offer = publish(parties, [make_granted_patent(parties.university)])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=list(offer.patents.all()), requested_mode="paid"
    )
    directed = apps.accept_application(parties.tto, application, on=TODAY)
    rows = Api(parties.enterprise_user).get("/api/licences").json()["results"]
    assert {r["origin"] for r in rows} == {"negotiated", "directed"}
    detail = Api(parties.enterprise_user).get(f"/api/licences/{directed.pk}").json()
    assert detail["offer_id"] == offer.pk and detail["application_id"] == application.pk
    assert Api(parties.enterprise_user).get(f"/api/licences/{negotiated.pk}").json()["offer_id"] is None

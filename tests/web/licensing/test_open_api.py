"""The open-licence REST API (frozen clock, bearer tokens): the public catalogue for anonymous
callers, a TTO declaring on its own in-library patent → publication → an enterprise's acceptance
with the filing due three months after the licence takes effect, 422 with the rule code and
Chinese reason (exclusive licence in force, withdrawn declaration), permissions per role and
organisation, and hostile input answered in Chinese (never 500)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from patentbridge.licensing.models import LicenceContract, OpenLicenceDeclaration
from patentbridge.licensing.services import open_licence
from web.factories import make_token
from web.licensing.factories import (
    fee_free,
    fee_royalty,
    make_contract,
    make_coowned_patent,
    make_declaration,
    make_granted_patent,
)

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
        self.headers: dict[str, str] = {}
        if user is not None:
            _, key = make_token(user)
            self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, body: Any = None) -> Any:
        return self.client.post(
            url,
            data=json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )


def _text(response: Any) -> str:
    """The JSON body with Chinese readable (the API escapes non-ASCII)."""
    return json.dumps(response.json(), ensure_ascii=False)


def _declaration(patent: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "application_number": patent.application_number,
        "fee_schedule": fee_royalty("0.03", entry_fee=None),
        "term_kind": "years_from_licence",
        "term_years": 5,
        "signed_by": list(patent.patentees),
        "contact": "技术转移中心 0531-88880000",
        "as_of": "2026-01-05",
    }
    body.update(overrides)
    return body


def test_the_whole_flow_declare_publish_accept(parties, patent):
    """TTO declares on its own in-library patent → publish → enterprise accepts → an ordinary
    licence whose filing is due three months after it takes effect."""
    tto = Api(parties.tto)
    created = tto.post("/api/open-licences", _declaration(patent))
    assert created.status_code == 201, created.content
    decl = created.json()
    assert decl["state"] == "checked" and decl["application_number"] == patent.application_number
    assert decl["fee"] == "净销售额的 3%，按年报告" or "净销售额的 3%" in decl["fee"]
    assert {f["code"] for f in decl["findings"]} == {"ANNUAL_FEE_UNPAID"}
    assert decl["public_url"] == ""
    published = tto.post(
        f"/api/open-licences/{decl['id']}/publish",
        {"published_at": "2026-02-02", "announcement_no": "GK-OL-2026-0001", "submitted_at": "2026-01-10"},
    )
    assert published.status_code == 200, published.content
    body = published.json()
    assert body["state"] == "published" and body["submitted_at"] == "2026-01-10"
    assert body["public_url"] == f"/licensing/open/{decl['id']}/"
    listed = Api().get("/api/open-licences")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    accepted = Api(parties.enterprise_user).post(
        f"/api/open-licences/{decl['id']}/accept", {"notified_at": "2026-02-27", "intended_use": "热泵机组"}
    )
    assert accepted.status_code == 201, accepted.content
    result = accepted.json()
    contract = LicenceContract.objects.get(pk=result["contract_id"])
    assert result["state"] == "licensed" and result["contract_state"] == "active_paid"
    assert contract.kind == "ordinary" and contract.origin == "open_licence"
    assert result["effective_at"] == "2026-02-27" and result["filing_due"] == "2026-05-27"
    assert result["end_date"] == "2031-02-26"


def test_a_patent_under_an_exclusive_licence_is_refused_with_its_reason(parties, patent):
    contract = make_contract(
        parties,
        [patent],
        kind="exclusive",
        stage="signed",
        start=dt.date(2025, 6, 1),
        end=dt.date(2027, 5, 31),
    )
    response = Api(parties.tto).post("/api/open-licences", _declaration(patent))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "EXCLUSIVE_OR_SOLE_ACTIVE"
    assert contract.contract_no in body["detail"] and "独占许可" in body["detail"]
    assert any(f["code"] == "EXCLUSIVE_OR_SOLE_ACTIVE" and f["source"] for f in body["findings"])
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()


def test_a_missing_co_owner_signature_is_refused(parties):
    patent = make_coowned_patent(parties.university, "某某新材料有限公司")
    response = Api(parties.tto).post(
        "/api/open-licences", _declaration(patent, signed_by=[parties.university.name])
    )
    assert response.status_code == 422 and response.json()["code"] == "NOT_ALL_PATENTEES"


def test_anonymous_callers_read_the_catalogue_but_nothing_unpublished(parties, patent):
    published = make_declaration(parties.tto, patent, fee_schedule=fee_free())
    draft = make_declaration(parties.tto, make_granted_patent(parties.university), stage="checked")
    anon = Api()
    listed = anon.get("/api/open-licences")
    assert listed.status_code == 200
    rows = listed.json()["results"]
    assert [r["id"] for r in rows] == [published.pk]
    assert rows[0]["fee_type"] == "free" and rows[0]["fee"] == "免费许可"
    assert "findings" not in rows[0] and "check_result" not in rows[0]
    assert anon.get(f"/api/open-licences/{published.pk}").status_code == 200
    assert anon.get(f"/api/open-licences/{draft.pk}").status_code == 404
    assert Api(parties.other_tto).get(f"/api/open-licences/{draft.pk}").status_code == 404
    mine = Api(parties.tto).get(f"/api/open-licences/{draft.pk}")
    assert mine.status_code == 200 and mine.json()["state"] == "checked"
    assert anon.post("/api/open-licences", _declaration(patent)).status_code == 401


def test_the_catalogue_filters_and_refuses_bad_values(parties, patent, django_assert_max_num_queries):
    make_declaration(parties.tto, patent, fee_schedule=fee_royalty("0.03", entry_fee=None))
    make_declaration(parties.tto, make_granted_patent(parties.university))
    anon = Api()
    with django_assert_max_num_queries(8):
        royalty = anon.get("/api/open-licences", fee_type="royalty")
    assert [r["application_number"] for r in royalty.json()["results"]] == [patent.application_number]
    assert anon.get("/api/open-licences", fee_type="free").json()["count"] == 1
    bad = anon.get("/api/open-licences", grade="Z")
    assert bad.status_code == 400 and "价值分级" in _text(bad)


@pytest.mark.parametrize("who", ["other_tto", "enterprise_user", "inventor"])
def test_only_the_owner_side_declares(parties, patent, who):
    response = Api(getattr(parties, who)).post("/api/open-licences", _declaration(patent))
    assert response.status_code in (403, 404)
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()


def test_other_organisations_cannot_publish_or_withdraw(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="checked")
    other = Api(parties.other_tto)
    assert (
        other.post(
            f"/api/open-licences/{decl.pk}/publish", {"published_at": "2026-02-02", "announcement_no": "X"}
        ).status_code
        == 404
    )
    assert Api(parties.enterprise_user).post(f"/api/open-licences/{decl.pk}/publish", {}).status_code == 403
    decl.refresh_from_db()
    assert decl.state == "checked"


def test_only_enterprises_accept(parties, patent):
    decl = make_declaration(parties.tto, patent)
    assert Api(parties.tto).post(f"/api/open-licences/{decl.pk}/accept", {}).status_code == 403
    assert Api().post(f"/api/open-licences/{decl.pk}/accept", {}).status_code == 401
    draft = make_declaration(parties.tto, make_granted_patent(parties.university), stage="submitted")
    assert Api(parties.enterprise_user).post(f"/api/open-licences/{draft.pk}/accept", {}).status_code == 404


def test_withdrawal_through_the_api_and_acceptance_after_it_is_refused(parties, patent):
    decl = make_declaration(parties.tto, patent)
    ok = Api(parties.enterprise_user).post(
        f"/api/open-licences/{decl.pk}/accept", {"notified_at": "2026-02-10"}
    )
    assert ok.status_code == 201
    no_reason = Api(parties.tto).post(f"/api/open-licences/{decl.pk}/withdraw", {"reason": ""})
    assert no_reason.status_code == 422 and "正当理由" in _text(no_reason)
    done = Api(parties.tto).post(
        f"/api/open-licences/{decl.pk}/withdraw",
        {"reason": "专利权拟转让", "submitted_at": "2026-02-15", "published_at": "2026-02-25"},
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "withdrawn" and done.json()["withdrawal_published_at"] == "2026-02-25"
    late = Api(parties.other_enterprise_user).post(f"/api/open-licences/{decl.pk}/accept", {})
    assert late.status_code == 422
    assert (
        late.json()["code"] == "OL_WITHDRAWN"
        and "该开放许可声明已于 2026-02-25 撤回" in late.json()["detail"]
    )
    contract = LicenceContract.objects.get(pk=ok.json()["contract_id"])
    assert contract.state == "active_paid", "the earlier licence continues"
    again = Api(parties.tto).post(f"/api/open-licences/{decl.pk}/withdraw", {"reason": "再次"})
    assert again.status_code == 422 and again.json()["code"] == "STATE"


def test_an_enterprise_accepting_twice_gets_a_chinese_refusal(parties, patent):
    decl = make_declaration(parties.tto, patent)
    firm = Api(parties.enterprise_user)
    assert firm.post(f"/api/open-licences/{decl.pk}/accept", {}).status_code == 201
    again = firm.post(f"/api/open-licences/{decl.pk}/accept", {})
    assert again.status_code == 422 and again.json()["code"] == "ALREADY_ACCEPTED"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"fee_schedule": "免费"}, "fee_schedule"),
        (
            {"fee_schedule": {"free": False, "components": [{"type": "lump_sum", "amount": 1.5}]}},
            "许可使用费",
        ),
        ({"term_years": "十年"}, "许可年限"),
        ({"term_years": 99}, "许可年限"),
        ({"as_of": "2026-13-45"}, "日期"),
        ({"signed_by": "全部"}, "signed_by"),
        ({"contact": "x" * 5000}, "联系方式"),
        ({"pledgee_consent": "yes"}, "质权人"),
        ({"term_kind": "forever"}, "许可期限"),
        ({"application_number": ["x"]}, "申请号"),
    ],
)
def test_hostile_declarations_are_refused_in_chinese(parties, patent, body, needle):
    response = Api(parties.tto).post("/api/open-licences", _declaration(patent, **body))
    assert response.status_code == 422, response.content
    assert needle in _text(response)
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()


def test_hostile_ids_and_dates_never_500(parties, patent):
    decl = make_declaration(parties.tto, patent)
    firm = Api(parties.enterprise_user)
    assert firm.post("/api/open-licences/99999999999999999999/accept", {}).status_code in (404, 422)
    assert firm.post(f"/api/open-licences/{decl.pk}/accept", {"notified_at": "2026-03-09"}).status_code == 422
    assert firm.post(f"/api/open-licences/{decl.pk}/accept", {"notified_at": 20260301}).status_code == 422
    assert Api().get("/api/open-licences/0").status_code == 404
    assert Api().get("/api/open-licences", page=-3, page_size=100000).status_code == 200
    unknown = Api(parties.tto).post("/api/open-licences", _declaration(patent, application_number="CN000"))
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("route", "body", "needle"),
    [
        ("accept", {"intended_use": 123}, "拟实施用途"),
        ("accept", {"intended_use": "用" * 2001}, "2000"),
        ("accept", {"notified_at": "03/01/2026"}, "书面通知日期"),
        ("withdraw", {"reason": ["拟转让"]}, "撤回理由"),
        ("withdraw", {"reason": "理" * 2001}, "撤回理由"),
        ("withdraw", {"reason": "拟转让", "coowners_consent": "true"}, "全体专利权人同意"),
        ("withdraw", {"reason": "拟转让", "published_at": "2026-2-25"}, "撤回公告日期"),
        ("publish", {"published_at": 20260202, "announcement_no": "X"}, "公告日期"),
    ],
)
def test_hostile_bodies_on_the_action_routes_are_refused_in_chinese(parties, patent, route, body, needle):
    decl = make_declaration(parties.tto, patent, stage="published" if route != "publish" else "checked")
    user = parties.enterprise_user if route == "accept" else parties.tto
    response = Api(user).post(f"/api/open-licences/{decl.pk}/{route}", body)
    assert response.status_code == 422, response.content
    assert needle in _text(response)
    decl.refresh_from_db()
    assert decl.state == ("published" if route != "publish" else "checked")
    assert not decl.acceptances.exists()


def test_a_deactivated_token_reads_the_public_list_as_anyone(parties, patent):
    """The public routes never refuse: a bad or revoked token is simply anonymous there, while the
    action routes still answer 401."""
    make_declaration(parties.tto, patent)
    api = Api(parties.enterprise_user)
    parties.enterprise_user.is_active = False
    parties.enterprise_user.save(update_fields=["is_active"])
    assert api.get("/api/open-licences").status_code == 200
    bogus = Client().get("/api/open-licences", headers={"Authorization": "Bearer pb_nonsense"})
    assert bogus.status_code == 200 and bogus.json()["count"] == 1
    assert (
        api.post(f"/api/open-licences/{OpenLicenceDeclaration.objects.get().pk}/accept", {}).status_code
        == 401
    )


def test_an_operator_declares_on_mandate_through_the_api(parties, patent):
    response = Api(parties.operator).post("/api/open-licences", _declaration(patent))
    assert response.status_code == 201
    assert response.json()["declarant"] == parties.university.name


def test_a_utility_model_needs_its_report_through_the_api(parties):
    um = make_granted_patent(parties.university, patent_type="utility_model")
    refused = Api(parties.tto).post("/api/open-licences", _declaration(um))
    assert refused.status_code == 422 and refused.json()["code"] == "NO_EVALUATION_REPORT"
    accepted = Api(parties.tto).post(
        "/api/open-licences",
        _declaration(
            um,
            evaluation_report_no="PJ-2025-08",
            evaluation_issued_at="2025-08-01",
            evaluation_conclusion="meets_conditions",
        ),
    )
    assert accepted.status_code == 201 and accepted.json()["state"] == "checked"


def test_the_detail_route_reads_with_bounded_queries(parties, patent, django_assert_max_num_queries):
    decl = make_declaration(parties.tto, patent)
    with django_assert_max_num_queries(8):
        response = Api().get(f"/api/open-licences/{decl.pk}")
    body = response.json()
    assert body["state"] == "published" and body["fee"] == "免费许可"


def test_the_public_detail_hides_findings_and_a_withdrawal_in_progress(parties, patent):
    """Anonymous callers and other organisations see what CNIPA published; the declarant sees its
    self-check findings and the pending withdrawal."""
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 2, 10), reason="拟转让给合作企业")
    for caller in (Api(), Api(parties.other_tto), Api(parties.enterprise_user)):
        body = caller.get(f"/api/open-licences/{decl.pk}").json()
        assert body["state"] == "published" and body["findings"] == []
        assert body["withdrawal_submitted_at"] is None and "拟转让" not in _text(
            caller.get(f"/api/open-licences/{decl.pk}")
        )
    own = Api(parties.tto).get(f"/api/open-licences/{decl.pk}").json()
    assert own["state"] == "withdrawal_submitted" and own["withdrawal_submitted_at"] == "2026-02-10"
    assert {f["code"] for f in own["findings"]} == {"ANNUAL_FEE_UNPAID"}

"""Open-licence forms and the remaining page paths: the fee builder's open-licence shapes, signer
rows, the written notice's date, editing rules, the self-check button, document downloads, the
"mine" page, and the extra API routes (detail for the declarant, publication twice, withdrawal of a
co-owned patent)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services import open_licence
from patentbridge.licensing.services.open_documents import attach_declaration_document
from patentbridge.licensing.views.forms_open import AcceptForm, DeclarationForm, OpenFeeForm
from web.factories import make_token
from web.licensing.factories import make_declaration, make_granted_patent
from web.test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _fee(**data):
    form = OpenFeeForm({f"fee-{k}": v for k, v in data.items()}, prefix="fee")
    return form, form.is_valid()


# --- forms --------------------------------------------------------------------------------------


def test_the_fee_builder_makes_open_licence_schedules():
    free, ok = _fee(fee_type="free")
    assert ok and free.schedule == {"free": True, "components": []}
    fixed, ok = _fee(fee_type="lump_sum", lump_sum_amount="50000")
    assert ok and fixed.schedule["components"] == [
        {"type": "lump_sum", "amount": "50000.00", "instalments": []}
    ]
    mixed, ok = _fee(
        fee_type="royalty",
        entry_fee_amount="20000",
        entry_fee_due="signing",
        royalty_base="net_sales",
        royalty_rate="3",
        royalty_report_period="year",
    )
    assert ok
    entry, royalty = mixed.schedule["components"]
    assert entry == {"type": "entry_fee", "amount": "20000.00", "due": "signing"}
    assert royalty["rates"] == [{"from_year": 1, "rate": "0.03"}] and royalty["base"] == "net_sales"


def test_the_fee_builder_refuses_what_an_open_licence_cannot_have():
    empty, ok = _fee()
    assert not ok and "开放许可须公布许可使用费" in str(empty.errors), (
        "a fee standard is required (free counts)"
    )
    conversion, ok = _fee(
        fee_type="royalty",
        entry_fee_amount="1000",
        entry_fee_due="conversion",
        royalty_base="sales",
        royalty_rate="2",
        royalty_report_period="year",
    )
    assert not ok and "entry_fee_due" in conversion.errors
    no_instalments = OpenFeeForm(prefix="fee")
    assert "lump_sum_instalments" not in no_instalments.fields
    assert [v for v, _ in no_instalments.fields["fee_type"].choices] == ["", "free", "lump_sum", "royalty"]
    via_json, ok = _fee(
        fee_json=json.dumps(
            {"free": False, "components": [{"type": "milestone", "event": "上市", "amount": "100.00"}]}
        )
    )
    assert ok and via_json.schedule["components"][0]["type"] == "milestone"


def test_signer_rows_tick_the_declarants_own_name():
    form = DeclarationForm(patentees=["甲大学", "乙公司"], own_name="甲大学")
    rows = form.signer_rows()
    assert [name for name, _, _ in rows] == ["甲大学", "乙公司"]
    assert form.fields["signed_0"].initial is True and form.fields["signed_1"].initial is False
    bound = DeclarationForm(
        {"signed_1": "on", "term_kind": "until_patent_expiry", "contact": "x"},
        {"consent_doc_1": SimpleUploadedFile("c.pdf", b"1")},
        patentees=["甲大学", "乙公司"],
    )
    assert bound.is_valid(), bound.errors
    assert bound.signed_by() == ["乙公司"]
    assert [name for name, _ in bound.consent_files()] == ["乙公司"]


def test_a_written_notice_cannot_be_dated_in_the_future():
    today = dt.date(2026, 3, 2)
    assert AcceptForm({"notified_at": "2026-03-02"}, today=today).is_valid()
    late = AcceptForm({"notified_at": "2026-03-03"}, today=today)
    assert not late.is_valid() and "不能晚于今天" in str(late.errors)
    assert not AcceptForm({"notified_at": "明天"}, today=today).is_valid()


# --- pages --------------------------------------------------------------------------------------


def test_a_published_declaration_cannot_be_opened_for_editing(parties, patent):
    decl = make_declaration(parties.tto, patent)
    client = client_for(parties.tto)
    response = client.get(f"/licensing/open/{decl.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/licensing/open/{decl.pk}/manage/"
    assert "已提交或已公告的声明不能修改" in response.content.decode()


def test_the_check_button_reports_the_result(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="draft")
    client = client_for(parties.tto)
    page = client.post(f"/licensing/open/{decl.pk}/act/check/", follow=True).content.decode()
    assert "自检通过" in page
    decl.refresh_from_db()
    assert decl.state == "checked"
    other = make_declaration(
        parties.tto,
        make_granted_patent(parties.university, legal_status="substantive_exam", grant_date=None),
        stage="draft",
    )
    page = client.post(f"/licensing/open/{other.pk}/act/check/", follow=True).content.decode()
    assert "自检未通过" in page and "尚未授权公告" in page


def test_bad_dates_in_the_step_forms_are_reported_without_a_change(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="checked")
    page = (
        client_for(parties.tto)
        .post(f"/licensing/open/{decl.pk}/act/submit/", {"submit-on": "2026-02-31"}, follow=True)
        .content.decode()
    )
    assert "提交国家知识产权局日期" in page
    decl.refresh_from_db()
    assert decl.state == "checked"


def test_documents_are_served_only_to_their_declarant(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="draft")
    other = make_declaration(parties.tto, make_granted_patent(parties.university), stage="draft")
    doc = attach_declaration_document(parties.tto, decl, SimpleUploadedFile("a.pdf", b"abc"), kind="other")
    client = client_for(parties.tto)
    assert client.get(f"/licensing/open/{other.pk}/documents/{doc.pk}/").status_code == 404
    response = client.get(f"/licensing/open/{decl.pk}/documents/{doc.pk}/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert (
        client_for(parties.other_tto).get(f"/licensing/open/{decl.pk}/documents/{doc.pk}/").status_code == 404
    )
    assert Client().get(f"/licensing/open/{decl.pk}/documents/{doc.pk}/").status_code == 302


def test_the_new_form_without_a_patent_explains_where_to_start(parties):
    response = client_for(parties.tto).get("/licensing/open/new/", follow=True)
    assert (
        "专利页面" in response.content.decode() and response.redirect_chain[-1][0] == "/licensing/open/mine/"
    )
    assert client_for(parties.tto).get("/licensing/open/new/", {"patent": "CN-NOPE"}).status_code == 404


def test_a_second_declaration_on_the_form_is_refused_in_chinese(parties, patent):
    make_declaration(parties.tto, patent)
    response = client_for(parties.tto).post(
        f"/licensing/open/new/?patent={patent.application_number}",
        {"signed_0": "on", "fee-fee_type": "free", "term_kind": "until_patent_expiry", "contact": "王老师"},
    )
    assert response.status_code == 200 and "同一专利只能有一份有效声明" in response.content.decode()
    assert OpenLicenceDeclaration.objects.filter(patent=patent).count() == 1


def test_mine_lists_the_acceptances_of_a_tto_s_declarations(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    page = client_for(parties.tto).get("/licensing/open/mine/").content.decode()
    assert parties.enterprise.name in page and "通过本机构声明获得的许可" in page
    assert client_for(parties.inventor).get("/licensing/open/mine/").status_code == 403


def test_the_accept_page_of_a_withdrawn_declaration_warns_before_submitting(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 2, 10), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 2, 20), on=dt.date(2026, 2, 20)
    )
    client = client_for(parties.enterprise_user)
    page = client.get(f"/licensing/open/{decl.pk}/accept/").content.decode()
    assert "该声明已不在开放许可目录中" in page
    assert "已于 2026-02-20 公告撤回" in page and "专利法第五十条第二款" in page
    # No notice form is offered for a declaration that can only refuse it.
    assert 'data-testid="open-accept-submit"' not in page
    # A notice posted anyway is refused by the service with a Chinese reason and no raw rule code.
    response = client.post(
        f"/licensing/open/{decl.pk}/accept/",
        {"notified_at": "2026-03-01", "intended_use": "生产"},
        follow=True,
    )
    text = response.content.decode()
    assert "不能再通过该声明获得许可" in text
    assert "OL_WITHDRAWN" not in text and "（规则" not in text
    assert not decl.acceptances.exists()


# --- extra API routes ---------------------------------------------------------------------------


def _api(user):
    _, key = make_token(user)
    client = Client()
    headers = {"Authorization": f"Bearer {key}"}

    def post(url, body):
        return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)

    def get(url):
        return client.get(url, headers=headers)

    return get, post


def test_publication_twice_is_refused_with_the_state(parties, patent):
    decl = make_declaration(parties.tto, patent)
    _, post = _api(parties.tto)
    again = post(
        f"/api/open-licences/{decl.pk}/publish", {"published_at": "2026-02-10", "announcement_no": "X2"}
    )
    assert again.status_code == 422 and again.json()["code"] == "STATE"
    missing = post(f"/api/open-licences/{decl.pk}/publish", {"announcement_no": "X2"})
    assert missing.status_code == 422 and "公告日期" in json.dumps(missing.json(), ensure_ascii=False)


def test_withdrawing_a_co_owned_patent_needs_every_consent_through_the_api(parties):
    patent = make_granted_patent(
        parties.university, patentees=[parties.university.name, "某某研究院有限公司"]
    )
    decl = make_declaration(parties.tto, patent)
    _, post = _api(parties.tto)
    refused = post(f"/api/open-licences/{decl.pk}/withdraw", {"reason": "拟转让"})
    assert refused.status_code == 422 and refused.json()["code"] == "NOT_ALL_PATENTEES"
    done = post(f"/api/open-licences/{decl.pk}/withdraw", {"reason": "拟转让", "coowners_consent": True})
    assert done.status_code == 200 and done.json()["state"] == "withdrawal_submitted"
    assert done.json()["withdrawal_reason"] == "", (
        "the reason is public only once the withdrawal is announced"
    )


def test_the_declarant_reads_its_withdrawn_declaration_the_public_does_not(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 2, 10), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 2, 20), on=dt.date(2026, 2, 20)
    )
    get, _ = _api(parties.tto)
    mine = get(f"/api/open-licences/{decl.pk}")
    assert mine.status_code == 200 and mine.json()["state"] == "withdrawn" and mine.json()["public_url"] == ""
    assert mine.json()["withdrawal_reason"] == "拟转让"
    assert Client().get(f"/api/open-licences/{decl.pk}").status_code == 404
    enterprise_get, _ = _api(parties.enterprise_user)
    assert enterprise_get(f"/api/open-licences/{decl.pk}").status_code == 404


def test_the_api_list_pages(parties):
    for _ in range(3):
        make_declaration(parties.tto, make_granted_patent(parties.university))
    body = Client().get("/api/open-licences", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 3 and body["page"] == 2 and body["page_size"] == 2 and len(body["results"]) == 1

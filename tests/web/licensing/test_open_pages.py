"""Open-licence pages: the public catalogue for anonymous visitors (published only, no internal
fields, filters, pagination, XLSX), the declarant's form and CNIPA steps, the enterprise's notice,
the patent panel (fee flag, buttons, public-list route) and who may open what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from patentbridge.grading import public_list
from patentbridge.grading import services as grading_services
from patentbridge.grading.models import PublicListEntry
from patentbridge.licensing.models import OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge.patents.models import PatentClass
from web.factories import HEAT_PUMP, make_grade
from web.licensing.factories import (
    fee_lump_sum,
    fee_royalty,
    make_coowned_patent,
    make_declaration,
    make_granted_patent,
    make_org,
)
from web.test_permissions import client_for

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_anonymous_visitors_see_published_declarations_only_without_internal_fields(parties):
    """Drafts, submitted and withdrawn declarations are absent; findings and users never shown."""
    published = make_declaration(
        parties.tto, make_granted_patent(parties.university, title="一种公开的换热器")
    )
    draft = make_declaration(
        parties.tto, make_granted_patent(parties.university, title="一种草稿中的阀门"), stage="draft"
    )
    submitted = make_declaration(
        parties.tto, make_granted_patent(parties.university, title="一种已提交的泵"), stage="submitted"
    )
    page = _page(Client(), "/licensing/open/")
    assert "一种公开的换热器" in page and "免费许可" in page and "至专利权期限届满" in page
    assert "一种草稿中的阀门" not in page and "一种已提交的泵" not in page
    assert 'data-testid="open-count">1<' in page
    for internal in ("ANNUAL_FEE_UNPAID", "自检", parties.tto.username):
        assert internal not in page
    detail = _page(Client(), f"/licensing/open/{published.pk}/")
    assert (
        "一种公开的换热器" in detail
        and "ANNUAL_FEE_UNPAID" not in detail
        and parties.tto.username not in detail
    )
    for hidden in (draft, submitted):
        assert Client().get(f"/licensing/open/{hidden.pk}/").status_code == 404
    assert Client().get("/licensing/open/99999999999999999999/").status_code == 404


def test_anonymous_visitors_are_sent_to_login_for_everything_else(parties):
    decl = make_declaration(parties.tto, make_granted_patent(parties.university))
    anon = Client()
    for url in (
        f"/licensing/open/{decl.pk}/accept/",
        f"/licensing/open/{decl.pk}/manage/",
        "/licensing/open/mine/",
    ):
        response = anon.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert anon.post(f"/licensing/open/{decl.pk}/act/check/").status_code == 302


def test_rows_show_fee_term_chain_grade_and_ipc(parties, chains):
    """The fields the national list lacks: industry chain, grade, IPC next to the fee in Chinese."""
    patent = make_granted_patent(parties.university, classify=True, **HEAT_PUMP)
    make_grade(patent)
    grading_services.override_grade(actor=parties.tto, patent=patent, grade="A", reason="核心技术")
    make_declaration(
        parties.tto,
        patent,
        fee_schedule=fee_royalty("0.03", entry_fee=None),
        term_kind="years_from_licence",
        term_years=5,
    )
    chain_code = (
        PatentClass.objects.filter(patent=patent, scheme="chain").values_list("code", flat=True).first()
    )
    assert chain_code, "the heat pump belongs to a chain"
    page = _page(Client(), "/licensing/open/")
    row = page.split(f'data-testid="open-row-{patent.application_number}"', 1)[1].split("</tr>", 1)[0]
    assert "净销售额的 3%" in row and "自许可生效之日起 5 年" in row
    assert "分级 <b>A</b>" in row and "F25B30/02" in row and "提成" in row
    assert chain_code not in row, "chains are shown by Chinese name, not code"


def test_filters_narrow_the_catalogue(parties, chains):
    """Chain, grade, IPC prefix, patent type, fee type, university and keyword each narrow it."""
    heat = make_granted_patent(parties.university, classify=True, **HEAT_PUMP)
    make_grade(heat)
    grading_services.override_grade(actor=parties.tto, patent=heat, grade="A", reason="核心技术")
    make_declaration(parties.tto, heat, fee_schedule=fee_royalty("0.03", entry_fee=None))
    um = make_granted_patent(
        parties.university, patent_type="utility_model", ipc=["A01B1/00"], title="一种翻土铲"
    )
    make_declaration(
        parties.tto,
        um,
        fee_schedule=fee_lump_sum("20000.00"),
        evaluation_conclusion="meets_conditions",
        evaluation_report_no="PJ1",
    )
    other = make_granted_patent(parties.other_university, ipc=["G06F17/00"], title="一种数据处理方法")
    make_declaration(parties.other_tto, other)
    chain = PatentClass.objects.filter(patent=heat, scheme="chain").values_list("code", flat=True).first()
    cases = {
        "chain": (chain, heat),
        "grade": ("A", heat),
        "ipc": ("f25b", heat),
        "patent_type": ("utility_model", um),
        "fee_type": ("fixed", um),
        "university": (str(parties.other_university.pk), other),
        "q": ("翻土", um),
    }
    client = Client()
    for name, (value, expected) in cases.items():
        page = _page(client, "/licensing/open/", **{name: value})
        assert 'data-testid="open-count">1<' in page, name
        assert f"open-row-{expected.application_number}" in page, name
    free = _page(client, "/licensing/open/", fee_type="free")
    assert f"open-row-{other.application_number}" in free and 'data-testid="open-count">1<' in free
    bad = _page(client, "/licensing/open/", grade="Z", fee_type="<script>")
    assert "价值分级取值无效" in bad and 'data-testid="open-count">3<' in bad and "<script>" not in bad


def test_the_catalogue_paginates_keeping_filters_with_bounded_queries(parties, django_assert_max_num_queries):
    for _ in range(22):
        make_declaration(parties.tto, make_granted_patent(parties.university))
    client = Client()
    with django_assert_max_num_queries(8):
        first = _page(client, "/licensing/open/", fee_type="free")
    assert 'data-testid="open-count">22<' in first and "第 1 / 2 页" in first
    assert "fee_type=free&amp;page=2" in first
    second = _page(client, "/licensing/open/", fee_type="free", page="2")
    assert second.count('data-testid="open-row-') == 2
    assert _page(client, "/licensing/open/", page="-5").count('data-testid="open-row-') == 20


def test_the_xlsx_export_lists_the_filtered_published_catalogue(parties):
    make_declaration(parties.tto, make_granted_patent(parties.university, title='=HYPERLINK("x")'))
    make_declaration(parties.tto, make_granted_patent(parties.university, title="一种草稿"), stage="checked")
    paid = make_declaration(
        parties.tto, make_granted_patent(parties.university), fee_schedule=fee_lump_sum("50000.00")
    )
    response = Client().get("/licensing/open/export.xlsx")
    assert response.status_code == 200 and "open-licences.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("申请号", "专利名称", "专利类型")
    titles = [r[1] for r in rows[1:]]
    assert len(rows) == 3 and "一种草稿" not in titles and '\'=HYPERLINK("x")' in titles
    fixed = Client().get("/licensing/open/export.xlsx", {"fee_type": "fixed"})
    fixed_rows = list(load_workbook(io.BytesIO(fixed.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in fixed_rows[1:]] == [paid.patent.application_number]
    assert "¥50,000.00" in fixed_rows[1][6]


def test_a_tto_declares_through_the_form_and_sees_each_finding(parties):
    """Co-owned patent, only the university ticked: saved as a draft showing NOT_ALL_PATENTEES
    with its reason; ticking the co-owner with a consent file passes the check."""
    patent = make_coowned_patent(parties.university, "某某新材料有限公司")
    client = client_for(parties.tto)
    form = _page(client, "/licensing/open/new/", patent=patent.application_number)
    assert (
        "某某新材料有限公司" in form
        and 'name="signed_0"' in form
        and "checked" in form.split('name="signed_0"')[1][:60]
    )
    data = {
        "signed_0": "on",
        "fee-fee_type": "royalty",
        "fee-royalty_base": "net_sales",
        "fee-royalty_rate": "3",
        "fee-royalty_report_period": "year",
        "term_kind": "years_from_licence",
        "term_years": "5",
        "contact": "王老师 0531-88880000",
    }
    response = client.post(f"/licensing/open/new/?patent={patent.application_number}", data)
    decl = OpenLicenceDeclaration.objects.get(patent=patent)
    assert response.status_code == 302 and response["Location"] == f"/licensing/open/{decl.pk}/manage/"
    assert decl.state == "draft" and decl.fee_schedule["components"][0]["rates"][0]["rate"] == "0.03"
    manage = _page(client, f"/licensing/open/{decl.pk}/manage/")
    assert 'data-testid="finding-NOT_ALL_PATENTEES"' in manage and "尚缺某某新材料有限公司签署" in manage
    assert "open-submit" not in manage
    from django.core.files.uploadedfile import SimpleUploadedFile

    consent = SimpleUploadedFile("同意书.pdf", b"%PDF-1.4 consent", content_type="application/pdf")
    response = client.post(
        f"/licensing/open/{decl.pk}/edit/", {**data, "signed_1": "on", "consent_doc_1": consent}
    )
    decl.refresh_from_db()
    assert decl.state == "checked" and decl.signed_by == [parties.university.name, "某某新材料有限公司"]
    document = decl.documents.get()
    assert document.kind == "coowner_consent" and len(document.sha256) == 64
    download = client.get(f"/licensing/open/{decl.pk}/documents/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 consent"
    assert (
        client_for(parties.enterprise_user)
        .get(f"/licensing/open/{decl.pk}/documents/{document.pk}/")
        .status_code
        == 404
    )


def test_the_form_refuses_a_missing_fee_and_bad_input_in_chinese(parties):
    """No fee standard and a 999-year term: the form comes back with Chinese errors, nothing saved."""
    patent = make_granted_patent(parties.university)
    client = client_for(parties.tto)
    response = client.post(
        f"/licensing/open/new/?patent={patent.application_number}",
        {"signed_0": "on", "term_kind": "years_from_licence", "term_years": "999", "contact": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "开放许可须公布许可使用费" in page.split('data-testid="open-fee-form"')[1]
    assert "确保该值小于或等于20" in page
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()


def test_cnipa_steps_through_the_management_page(parties):
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent, stage="checked")
    client = client_for(parties.tto)
    url = f"/licensing/open/{decl.pk}/act/"
    client.post(url + "submit/", {"submit-on": "2026-02-01"})
    client.post(
        url + "publish/", {"publish-published_at": "2026-02-20", "publish-announcement_no": "GK-2026-77"}
    )
    decl.refresh_from_db()
    assert decl.state == "published" and decl.announcement_no == "GK-2026-77"
    client.post(url + "withdraw/", {"withdraw-on": "2026-03-01", "withdraw-reason": ""})
    decl.refresh_from_db()
    assert decl.state == "published", "a withdrawal without a reason is refused"
    client.post(url + "withdraw/", {"withdraw-on": "2026-03-01", "withdraw-reason": "技术已被替代"})
    client.post(url + "withdrawal_published/", {"withdrawal_published-published_at": "2026-03-02"})
    decl.refresh_from_db()
    assert decl.state == "withdrawn" and decl.withdrawal_published_at == dt.date(2026, 3, 2)
    response = client.post(url + "bogus/", {})
    assert response.status_code == 302


def test_an_enterprise_accepts_through_the_page(parties):
    decl = make_declaration(parties.tto, make_granted_patent(parties.university))
    client = client_for(parties.enterprise_user)
    detail = _page(client, f"/licensing/open/{decl.pk}/")
    assert 'data-testid="open-accept-button"' in detail
    future = client.post(f"/licensing/open/{decl.pk}/accept/", {"notified_at": "2026-03-09"})
    assert "书面通知日期不能晚于今天" in future.content.decode()
    response = client.post(
        f"/licensing/open/{decl.pk}/accept/", {"notified_at": "2026-03-02", "intended_use": "换热器"}
    )
    assert response.status_code == 302 and response["Location"] == "/licensing/open/mine/"
    acc = OpenLicenceAcceptance.objects.get(declaration=decl)
    mine = _page(client, "/licensing/open/mine/")
    assert acc.contract.contract_no in mine and "期限 2026-06-02" in mine
    assert 'data-testid="open-accepted"' in _page(client, f"/licensing/open/{decl.pk}/")
    again = client.post(f"/licensing/open/{decl.pk}/accept/", {"notified_at": "2026-03-02"})
    assert "已接受过该开放许可声明" in again.content.decode()


def test_withdrawn_declarations_refuse_a_notice_with_the_date(parties):
    decl = make_declaration(parties.tto, make_granted_patent(parties.university))
    from patentbridge.licensing.services import open_licence

    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 2, 10), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 2, 20), on=dt.date(2026, 2, 20)
    )
    client = client_for(parties.enterprise_user)
    assert client.get(f"/licensing/open/{decl.pk}/").status_code == 404
    page = client.post(
        f"/licensing/open/{decl.pk}/accept/", {"notified_at": "2026-03-02"}, follow=True
    ).content.decode()
    assert "该开放许可声明已于 2026-02-20 撤回" in page


@pytest.mark.parametrize(
    ("who", "status"), [("other_tto", 403), ("enterprise_user", 403), ("inventor", 403), ("operator", 200)]
)
def test_who_may_open_the_declaration_form(parties, who, status):
    patent = make_granted_patent(parties.university)
    client = client_for(getattr(parties, who))
    assert client.get("/licensing/open/new/", {"patent": patent.application_number}).status_code == status


def test_other_organisations_cannot_see_or_act_on_a_draft(parties):
    decl = make_declaration(parties.tto, make_granted_patent(parties.university), stage="checked")
    for user in (parties.other_tto, parties.enterprise_user):
        client = client_for(user)
        assert client.get(f"/licensing/open/{decl.pk}/manage/").status_code == 404
        assert (
            client.post(f"/licensing/open/{decl.pk}/act/submit/", {"submit-on": "2026-03-01"}).status_code
            == 404
        )
    decl.refresh_from_db()
    assert decl.state == "checked"
    assert (
        client_for(parties.other_tto).get("/licensing/open/mine/").content.decode().count("open_manage") == 0
    )


def test_the_patent_panel_shows_buttons_and_the_fee_flag(parties):
    patent = make_granted_patent(parties.university)
    owner = _page(client_for(parties.tto), f"/patents/{patent.application_number}/")
    assert 'data-testid="open-declare"' in owner and "未作开放许可声明" in owner
    assert 'data-testid="open-fee-plan"' in owner and "¥1,200.00" in owner
    make_declaration(parties.tto, patent)
    owner = _page(client_for(parties.tto), f"/patents/{patent.application_number}/")
    assert 'data-testid="open-declare"' not in owner and "开放许可实施中" in owner
    assert "开放许可年费减缴 15% 适用" in owner and "¥180.00" in owner
    firm = _page(client_for(parties.enterprise_user), f"/patents/{patent.application_number}/")
    assert 'data-testid="open-panel-accept"' in firm and "open-fee-plan" not in firm
    other = _page(client_for(parties.other_tto), f"/patents/{patent.application_number}/")
    assert 'data-testid="open-declare"' not in other


def test_the_public_list_route_leads_to_a_prefilled_declaration(parties):
    """Choosing the "open licence" route on the public implementation list: the patent panel links
    to the form with origin public_list, and the declaration records that origin."""
    patent = make_granted_patent(parties.university, fiscal_funded=True)
    entry = PublicListEntry.objects.create(
        patent=patent,
        jurisdiction="shandong",
        jurisdiction_label="山东省",
        policy_version="t",
        reason="满 3 年未实施",
        since=dt.date(2026, 1, 1),
    )
    public_list.choose_route(actor=parties.tto, entry=entry, route="open_licence")
    client = client_for(parties.tto)
    panel = _page(client, f"/patents/{patent.application_number}/")
    assert f"patent={patent.application_number}&amp;origin=public_list" in panel
    form = _page(client, "/licensing/open/new/", patent=patent.application_number, origin="public_list")
    assert "来自专利公开实施清单" in form and 'value="public_list"' in form
    client.post(
        f"/licensing/open/new/?patent={patent.application_number}&origin=public_list",
        {
            "signed_0": "on",
            "fee-fee_type": "free",
            "term_kind": "until_patent_expiry",
            "contact": "王老师",
            "origin": "public_list",
        },
    )
    assert OpenLicenceDeclaration.objects.get(patent=patent).origin == "public_list"


def test_operators_see_every_declaration_in_mine(parties):
    make_declaration(parties.tto, make_granted_patent(parties.university, title="一种甲装置"), stage="draft")
    make_declaration(
        parties.other_tto, make_granted_patent(parties.other_university, title="一种乙装置"), stage="draft"
    )
    page = _page(client_for(parties.operator), "/licensing/open/mine/")
    assert "一种甲装置" in page and "一种乙装置" in page
    own = _page(client_for(parties.tto), "/licensing/open/mine/")
    assert "一种甲装置" in own and "一种乙装置" not in own
    assert make_org  # the helper stays importable for other tests


def test_demo_declarations_are_labelled_and_entry_fees_are_due_on_acceptance(parties):
    """A demonstration record is never presented as a real declaration (list, page, export); an
    entry fee reads 接受许可时支付 — an open licence has no signing."""
    schedule = fee_royalty("0.02", entry_fee=None)
    schedule["components"].insert(0, {"type": "entry_fee", "amount": "10000.00", "due": "signing"})
    decl = make_declaration(parties.tto, make_granted_patent(parties.university), fee_schedule=schedule)
    OpenLicenceDeclaration.objects.filter(pk=decl.pk).update(is_demo=True)  # as the demo loader marks it
    page = _page(Client(), "/licensing/open/")
    assert 'data-testid="open-demo"' in page
    assert "入门费 ¥10,000.00（接受许可时支付）" in page and "签约时支付" not in page
    assert "演示数据，不是真实的开放许可声明" in _page(Client(), f"/licensing/open/{decl.pk}/")
    rows = list(
        load_workbook(io.BytesIO(Client().get("/licensing/open/export.xlsx").content)).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][-1] == "演示数据" and rows[1][-1] == "是"

"""The deal pages over HTTP (frozen clock): who may open each page, the offer form with its fee
builder, the flow interest → application → accept → contract → sign → trial, refusals flashed with
their rule, the filing block, documents, panels and hostile input (never a 500)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from patentbridge.licensing.models import LicenceApplication, LicenceContract, LicenceOffer
from patentbridge.licensing.services import applications as apps
from patentbridge.licensing.services import contracts, offers
from web.conftest import PASSWORD
from web.factories import make_match_item, make_member, make_need
from web.licensing.factories import Parties, fee_lump_sum, fee_royalty, make_contract, make_granted_patent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def client_for(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def flashed(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def publish(parties: Parties, patents: list[Any], **values: Any) -> LicenceOffer:
    data: dict[str, Any] = {
        "title": "高端装备专利包",
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


def draft_contract(parties: Parties, patent: Any, **values: Any) -> LicenceContract:
    offer = publish(parties, [patent], **values)
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    return apps.accept_application(parties.tto, application, on=TODAY)


# --- permissions -------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(parties, patent):
    contract = draft_contract(parties, patent)
    urls = [
        "/licensing/",
        "/licensing/mine/",
        "/licensing/offers/",
        "/licensing/offers/new/",
        f"/licensing/offers/{contract.offer_id}/",
        f"/licensing/applications/{contract.application_id}/",
        f"/licensing/contracts/{contract.pk}/",
        f"/licensing/contracts/{contract.pk}/filing-form.xlsx",
    ]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_board_is_for_operators_and_ttos(parties, patent):
    assert "许可交易看板" in page(client_for(parties.tto).get("/licensing/"))
    assert "许可交易看板" in page(client_for(parties.operator).get("/licensing/"))
    response = client_for(parties.enterprise_user).get("/licensing/")
    assert response.status_code == 302 and response["Location"] == "/licensing/mine/"
    assert client_for(parties.inventor).get("/licensing/").status_code == 403
    viewer = make_member(parties.centre, "viewer")
    assert client_for(viewer).get("/licensing/").status_code == 403


def test_mine_is_for_enterprises(parties):
    assert "我的试用与许可" in page(client_for(parties.enterprise_user).get("/licensing/mine/"))
    assert client_for(parties.tto).get("/licensing/mine/")["Location"] == "/licensing/"
    assert client_for(parties.inventor).get("/licensing/mine/").status_code == 403


def test_offer_pages_follow_the_access_rules(parties, patent):
    offer = offers.create_offer(
        parties.tto,
        publisher_org=parties.university,
        patents=[patent],
        on=TODAY,
        title="草稿项目",
        modes=["paid"],
    )
    url = f"/licensing/offers/{offer.pk}/"
    assert "草稿项目" in page(client_for(parties.tto).get(url))
    assert "草稿项目" in page(client_for(parties.operator).get(url))
    assert client_for(parties.other_tto).get(url).status_code == 404
    assert client_for(parties.enterprise_user).get(url).status_code == 404
    assert client_for(parties.enterprise_user).get("/licensing/offers/new/").status_code == 403
    published = publish(parties, [patent])
    body = page(client_for(parties.enterprise_user).get(f"/licensing/offers/{published.pk}/"))
    assert 'data-testid="apply"' in body and "企业申请" not in body
    assert "草稿项目" not in page(client_for(parties.enterprise_user).get("/licensing/offers/"))


def test_application_and_contract_pages_are_private_to_the_parties(parties, patent):
    contract = draft_contract(parties, patent)
    for url in (
        f"/licensing/applications/{contract.application_id}/",
        f"/licensing/contracts/{contract.pk}/",
    ):
        for user in (parties.tto, parties.enterprise_user, parties.operator):
            assert client_for(user).get(url).status_code == 200, (url, user)
        for user in (parties.other_tto, parties.other_enterprise_user):
            assert client_for(user).get(url).status_code == 404, (url, user)
        assert client_for(parties.inventor).get(url).status_code == 403


# --- offer form -------------------------------------------------------------------------------------


def offer_post(patent: Any, **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "新能源汽车电驱专利",
        "patent_numbers": patent.application_number,
        "modes": ["trial_then_paid"],
        "licence_kind": "ordinary",
        "territory": "中国境内",
        "target_regions": "370900, 371522",
        "trial_conversion_mode": "pre_agreed",
        "trial_extensions_allowed": "0",
        "trial_usage_report_required": "on",
        "price_method": "listing",
        "fee-fee_type": "royalty",
        "fee-entry_fee_amount": "50000",
        "fee-entry_fee_due": "conversion",
        "fee-royalty_base": "net_sales",
        "fee-royalty_rate": "3",
        "fee-royalty_min_annual": "10000",
        "fee-royalty_report_period": "year",
    }
    data.update(extra)
    return data


def test_the_offer_form_builds_the_fee_schedule(parties, patent):
    response = client_for(parties.tto).post("/licensing/offers/new/", offer_post(patent))
    offer = LicenceOffer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/licensing/offers/{offer.pk}/"
    entry, royalty = offer.paid_terms["components"]
    assert entry == {"type": "entry_fee", "amount": "50000.00", "due": "conversion"}
    assert royalty["rates"] == [{"from_year": 1, "rate": "0.03"}] and royalty["min_annual"] == "10000.00"
    assert offer.target_regions == ["3709", "371522"] and offer.trial_months == 6
    body = page(client_for(parties.tto).get(response["Location"]))
    assert "入门费 ¥50,000.00" in body and "泰安市" in body and "聊城市莘县" in body


def test_a_fee_error_is_shown_next_to_its_field(parties, patent):
    response = client_for(parties.tto).post(
        "/licensing/offers/new/", offer_post(patent, **{"fee-royalty_rate": "150"})
    )
    body = page(response)
    assert "rates[0].rate" in body and not LicenceOffer.objects.exists()
    fee_form = response.context["fee"]
    assert "royalty_rate" in fee_form.errors


def test_offer_form_rejects_foreign_patents_and_bad_regions(parties, patent):
    foreign = make_granted_patent(parties.other_university)
    response = client_for(parties.tto).post(
        "/licensing/offers/new/", offer_post(foreign, target_regions="abc")
    )
    body = page(response)
    assert "不是" in body and not LicenceOffer.objects.exists()


def test_an_operator_picks_the_owner_it_acts_for(parties, patent):
    response = client_for(parties.operator).post(
        "/licensing/offers/new/", offer_post(patent, publisher_org=str(parties.university.pk))
    )
    assert response.status_code == 302
    assert LicenceOffer.objects.get().publisher_org == parties.university


def test_offer_steps_by_post(parties, patent):
    client = client_for(parties.tto)
    client.post("/licensing/offers/new/", offer_post(patent))
    offer = LicenceOffer.objects.get()
    client.post(f"/licensing/offers/{offer.pk}/step/submit/")
    client.post(f"/licensing/offers/{offer.pk}/step/approve/")
    offer.refresh_from_db()
    assert offer.state == "published"
    response = client.post(f"/licensing/offers/{offer.pk}/step/approve/", follow=True)
    assert any("不能执行" in m for m in flashed(response))
    assert client.post(f"/licensing/offers/{offer.pk}/step/explode/").status_code == 403
    assert client_for(parties.other_tto).post(f"/licensing/offers/{offer.pk}/step/pause/").status_code == 404


# --- the flow ----------------------------------------------------------------------------------------


def test_interest_to_trial_through_the_pages(parties, patent):
    """有意向 → one-click application → accept → contract → submit → approve → sign → 试用中."""
    publish(parties, [patent], trial_months=6)
    need = make_need(parties.enterprise_user, title="电驱动总成降噪")
    item = make_match_item(
        need,
        patent,
        operator=parties.operator,
        state="pushed",
        feedback="interested",
        enterprise=parties.enterprise_user,
    )
    enterprise = client_for(parties.enterprise_user)
    assert f'data-testid="trial-{patent.application_number}"' in page(enterprise.get("/licensing/mine/"))
    response = enterprise.post(f"/licensing/interest/{item.pk}/apply/")
    application = LicenceApplication.objects.get()
    assert response["Location"] == f"/licensing/applications/{application.pk}/"
    tto = client_for(parties.tto)
    board = page(tto.get("/licensing/"))
    assert f'data-testid="card-application-{application.pk}"' in board
    response = tto.post(f"/licensing/applications/{application.pk}/accept/", {"on": "2026-03-02"})
    contract = LicenceContract.objects.get()
    assert response["Location"] == f"/licensing/contracts/{contract.pk}/"
    for event in ("submit", "approve", "sign"):
        tto.post(f"/licensing/contracts/{contract.pk}/act/{event}/", {f"{event}-on": "2026-03-02"})
    contract.refresh_from_db()
    assert contract.state == "active_trial" and contract.trial_end == dt.date(2026, 9, 2)
    mine = page(enterprise.get("/licensing/mine/"))
    assert f'data-testid="days-left-{contract.pk}">（还剩 184 天）' in mine
    assert "期满后：试用期满后按约定转为付费许可：入门费" in mine
    body = page(tto.get(f"/licensing/contracts/{contract.pk}/"))
    assert "试用中" in body and "签订" in body and 'data-testid="filing-initial"' in body
    assert f'data-testid="card-contract-{contract.pk}"' in page(tto.get("/licensing/"))


def test_a_refused_action_is_flashed_with_its_reason_and_rule(parties, patent):
    """协议定价 at a state-run university: signing before the 公示 is refused, the reason shown."""
    contract = draft_contract(parties, patent, price_method="agreement")
    client = client_for(parties.tto)
    client.post(f"/licensing/contracts/{contract.pk}/act/submit/", {})
    client.post(f"/licensing/contracts/{contract.pk}/act/approve/", {})
    response = client.post(f"/licensing/contracts/{contract.pk}/act/sign/", {}, follow=True)
    messages = flashed(response)
    assert any("公示" in m and "（规则 L7）" in m for m in messages), messages
    contract.refresh_from_db()
    assert contract.state == "approved"
    body = page(response)
    assert 'data-testid="form-start_notice"' in body and 'data-testid="act-sign"' not in body


def test_the_public_notice_form(parties, patent):
    contract = draft_contract(parties, patent, price_method="agreement")
    contracts.submit(parties.tto, contract, on=TODAY)
    contracts.approve(parties.tto, contract, on=TODAY)
    client = client_for(parties.tto)
    client.post(
        f"/licensing/contracts/{contract.pk}/act/start_notice/",
        {"start_notice-result_name": "电驱降噪技术", "start_notice-proposed_price": "入门费5万元+3%提成"},
    )
    contract.refresh_from_db()
    assert contract.state == "public_notice" and contract.public_notice.result_name == "电驱降噪技术"
    assert "入门费5万元+3%提成" in page(client.get(f"/licensing/contracts/{contract.pk}/"))


def test_only_parties_act_and_others_get_404(parties, patent):
    contract = draft_contract(parties, patent)
    assert (
        client_for(parties.other_tto).post(f"/licensing/contracts/{contract.pk}/act/submit/").status_code
        == 404
    )
    response = client_for(parties.enterprise_user).post(f"/licensing/contracts/{contract.pk}/act/submit/")
    assert response.status_code == 403
    contract.refresh_from_db()
    assert contract.state == "draft"


def test_reject_and_withdraw_through_the_pages(parties, patent):
    offer = publish(parties, [patent])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    response = client_for(parties.tto).post(
        f"/licensing/applications/{application.pk}/reject/", {"reason": ""}, follow=True
    )
    assert any("拒绝理由" in m for m in flashed(response))
    client_for(parties.tto).post(f"/licensing/applications/{application.pk}/reject/", {"reason": "方向不符"})
    application.refresh_from_db()
    assert application.state == "rejected"
    second = apps.apply_for_licence(
        parties.other_enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    assert (
        client_for(parties.enterprise_user).post(f"/licensing/applications/{second.pk}/withdraw/").status_code
        == 404
    )
    client_for(parties.other_enterprise_user).post(f"/licensing/applications/{second.pk}/withdraw/")
    second.refresh_from_db()
    assert second.state == "withdrawn"


def test_apply_by_form_and_the_trial_cap_refusal(parties, patent):
    offer = publish(parties, [patent], max_trials_per_patent=1)
    first = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    apps.accept_application(parties.tto, first, on=TODAY)
    data = {
        "requested_mode": "trial_then_paid",
        "patents": [patent.application_number],
        "intended_use": "试制",
    }
    response = client_for(parties.other_enterprise_user).post(
        f"/licensing/offers/{offer.pk}/apply/", data, follow=True
    )
    # The reason in Chinese; an internal code (MAX_TRIALS) is not page text.
    assert any("名额已满" in m and "MAX_TRIALS" not in m for m in flashed(response))
    response = client_for(parties.other_enterprise_user).post(
        f"/licensing/offers/{offer.pk}/apply/", {**data, "requested_mode": "paid"}
    )
    second = LicenceApplication.objects.get(applicant_org=parties.other_enterprise)
    assert response["Location"] == f"/licensing/applications/{second.pk}/"


def test_out_of_region_confirmation_on_the_application_page(parties, patent):
    offer = publish(parties, [patent], target_regions="3715", region_only=True)
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    client = client_for(parties.tto)
    body = page(client.get(f"/licensing/applications/{application.pk}/"))
    assert 'data-testid="confirm-region"' in body and "定向地区以外" in body
    response = client.post(f"/licensing/applications/{application.pk}/accept/", {}, follow=True)
    assert any("L11" in m for m in flashed(response)) and not LicenceContract.objects.exists()
    client.post(f"/licensing/applications/{application.pk}/confirm-region/")
    response = client.post(f"/licensing/applications/{application.pk}/accept/", {})
    assert LicenceContract.objects.get().application == application


# --- filing, documents -----------------------------------------------------------------------------


def signed(parties: Parties, patent: Any) -> LicenceContract:
    contract = draft_contract(parties, patent)
    contracts.submit(parties.tto, contract, on=TODAY)
    contracts.approve(parties.tto, contract, on=TODAY)
    return contracts.sign(parties.tto, contract, on=TODAY)


def test_filing_block_submit_and_record(parties, patent):
    contract = signed(parties, patent)
    filing = contract.filings.get()
    client = client_for(parties.enterprise_user)
    client.post(
        f"/licensing/contracts/{contract.pk}/filings/{filing.pk}/submit/",
        {"submit-side": "licensee", "submit-on": "2026-03-02"},
    )
    client.post(
        f"/licensing/contracts/{contract.pk}/filings/{filing.pk}/filed/",
        {"filed-record_no": "2026370000012345", "filed-on": "2026-03-02"},
    )
    filing.refresh_from_db()
    assert filing.state == "filed" and filing.filed_by_side == "licensee"
    assert "2026370000012345" in page(client.get(f"/licensing/contracts/{contract.pk}/"))
    response = client.post(f"/licensing/contracts/{contract.pk}/filings/{filing.pk}/nonsense/")
    assert response.status_code == 403


def test_filing_form_xlsx_prefill(parties, patent):
    from openpyxl import load_workbook

    contract = signed(parties, patent)
    response = client_for(parties.tto).get(f"/licensing/contracts/{contract.pk}/filing-form.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    rows = {r[0]: r[1] for r in book["备案信息"].iter_rows(min_row=2, values_only=True)}
    assert rows["被许可人（受让人）"] == parties.enterprise.name and rows["许可类型"] == "普通许可"
    numbers = [r[0] for r in book["专利清单"].iter_rows(min_row=2, values_only=True)]
    assert numbers == [f"ZL{patent.application_number}"]
    assert (
        client_for(parties.other_tto).get(f"/licensing/contracts/{contract.pk}/filing-form.xlsx").status_code
        == 404
    )


def test_documents_are_hashed_stored_safely_and_downloaded(parties, patent, settings):
    contract = draft_contract(parties, patent)
    content = b"%PDF-1.4 signed contract"
    upload = SimpleUploadedFile("../../etc/合同扫描件.pdf", content, content_type="application/pdf")
    client = client_for(parties.enterprise_user)
    response = client.post(
        f"/licensing/contracts/{contract.pk}/documents/", {"kind": "contract", "file": upload}, follow=True
    )
    document = contract.documents.get()
    sha = hashlib.sha256(content).hexdigest()
    assert document.sha256 == sha and document.name == "合同扫描件.pdf" and document.size == len(content)
    assert sha in page(response)
    stored = settings.DATA_DIR / "licensing" / "contracts" / str(contract.pk) / sha
    assert stored.read_bytes() == content
    download = client.get(f"/licensing/contracts/{contract.pk}/documents/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert "attachment" in download["Content-Disposition"]
    assert (
        client_for(parties.other_enterprise_user)
        .get(f"/licensing/contracts/{contract.pk}/documents/{document.pk}/")
        .status_code
        == 404
    )
    again = SimpleUploadedFile("copy.pdf", content)
    response = client.post(
        f"/licensing/contracts/{contract.pk}/documents/", {"kind": "contract", "file": again}, follow=True
    )
    assert any("已上传过" in m for m in flashed(response)) and contract.documents.count() == 1


def test_documents_over_the_cap_or_by_strangers_are_refused(parties, patent, monkeypatch):
    from patentbridge.licensing.services import documents

    contract = draft_contract(parties, patent)
    monkeypatch.setattr(documents, "MAX_DOCUMENT_BYTES", 10)
    response = client_for(parties.tto).post(
        f"/licensing/contracts/{contract.pk}/documents/",
        {"kind": "other", "file": SimpleUploadedFile("big.bin", b"x" * 11)},
        follow=True,
    )
    assert any("上限" in m for m in flashed(response)) and not contract.documents.exists()
    response = client_for(parties.other_tto).post(
        f"/licensing/contracts/{contract.pk}/documents/",
        {"kind": "other", "file": SimpleUploadedFile("a", b"a")},
    )
    assert response.status_code == 404


# --- panels ------------------------------------------------------------------------------------------


def test_patent_page_panel_offers_a_trial_to_enterprises(parties, patent):
    offer = publish(parties, [patent])
    body = page(client_for(parties.enterprise_user).get(f"/patents/{patent.application_number}/"))
    assert 'data-testid="apply-trial"' in body and f"/licensing/offers/{offer.pk}/" in body
    tto_body = page(client_for(parties.tto).get(f"/patents/{patent.application_number}/"))
    assert 'data-testid="offer-from-patent"' in tto_body and 'data-testid="apply-trial"' not in tto_body


def test_organization_panel_lists_deals_visible_to_the_viewer(parties, patent):
    contract = signed(parties, patent)
    body = page(client_for(parties.enterprise_user).get(f"/orgs/{parties.enterprise.pk}/"))
    assert contract.contract_no in body
    other = page(client_for(parties.other_enterprise_user).get(f"/orgs/{parties.enterprise.pk}/"))
    assert contract.contract_no not in other


# --- hostile input ---------------------------------------------------------------------------------


def test_hostile_ids_dates_and_filters_never_500(parties, patent):
    contract = draft_contract(parties, patent)
    client = client_for(parties.tto)
    for url in (
        "/licensing/offers/99999999999999999999999/",
        "/licensing/applications/0/",
        "/licensing/contracts/99999999999999999999999/",
        f"/licensing/contracts/{contract.pk}/documents/99999999999999999999999/",
    ):
        assert client.get(url).status_code == 404, url
    board = client.get("/licensing/?university=abc&county=9&chain=%3Cscript%3E&q=" + "长" * 500)
    body = page(board)
    assert "已忽略" in body and "<script>" not in body
    for bad in ("2026-13-45", "2099-01-01", "1900-01-01", "x" * 5000):
        response = client.post(
            f"/licensing/contracts/{contract.pk}/act/submit/", {"submit-on": bad}, follow=True
        )
        assert response.status_code == 200 and flashed(response), bad
    contract.refresh_from_db()
    assert contract.state == "draft"
    response = client.post(
        f"/licensing/contracts/{contract.pk}/act/reject/", {"reject-note": "x" * 10_000}, follow=True
    )
    assert response.status_code == 200
    assert client.post(f"/licensing/contracts/{contract.pk}/act/explode/").status_code == 403


# --- query budget ----------------------------------------------------------------------------------


def test_board_and_api_list_queries_do_not_grow_with_the_deals(parties):
    """Cards read their patents, filings and notice in bulk: six deals cost what two do."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from web.factories import make_token

    _, key = make_token(parties.operator)

    def count() -> tuple[int, int]:
        client = client_for(parties.operator)
        with CaptureQueriesContext(connection) as board:
            page(client.get("/licensing/"))
        with CaptureQueriesContext(connection) as api:
            assert (
                Client().get("/api/licences", headers={"Authorization": f"Bearer {key}"}).status_code == 200
            )
        return len(board), len(api)

    for _ in range(2):
        draft_contract(parties, make_granted_patent(parties.university))
    before = count()
    for _ in range(4):
        draft_contract(parties, make_granted_patent(parties.university))
    assert count() == before


def test_mine_lists_what_the_enterprise_owes_but_not_periods_still_running(parties, patent):
    """A lump sum due at signing is owed; royalty quarters not yet over are not listed."""
    lump = make_contract(
        parties, [patent], start=TODAY, stage="signed", fee_schedule=fee_lump_sum("120000.00")
    )
    royalty_patent = make_granted_patent(parties.university)
    make_contract(
        parties,
        [royalty_patent],
        start=TODAY,
        stage="signed",
        fee_schedule=fee_royalty(entry_fee=None),
    )
    body = page(client_for(parties.enterprise_user).get("/licensing/mine/"))
    owed = body.split('data-testid="my-owed"', 1)[1].split("</table>", 1)[0]
    assert lump.contract_no in owed and "¥120,000.00" in owed
    assert "待提交使用情况报告" not in owed
    other = page(client_for(parties.other_enterprise_user).get("/licensing/mine/"))
    assert lump.contract_no not in other.split('data-testid="my-owed"', 1)[1].split("</table>", 1)[0]


def test_the_inbox_offers_the_one_click_trial_on_items_marked_interested(parties, patent):
    """The inbox row of a pushed patent marked 有意向 gets 申请免费试用; after applying it links
    to the application instead. Items without interest or without an offer get no button."""
    publish(parties, [patent])
    need = make_need(parties.enterprise_user, title="温室巡检")
    item = make_match_item(
        need,
        patent,
        operator=parties.operator,
        state="pushed",
        feedback="interested",
        enterprise=parties.enterprise_user,
    )
    quiet = make_granted_patent(parties.university)
    make_match_item(need, quiet, operator=parties.operator, state="pushed")
    client = client_for(parties.enterprise_user)
    body = page(client.get("/matching/inbox/"))
    assert f'data-testid="inbox-trial-{patent.application_number}"' in body
    assert f'data-testid="inbox-trial-{quiet.application_number}"' not in body
    client.post(f"/licensing/interest/{item.pk}/apply/")
    body = page(client.get("/matching/inbox/"))
    assert f'data-testid="inbox-application-{patent.application_number}"' in body
    assert f'data-testid="inbox-trial-{patent.application_number}"' not in body


# --- board contents and funnel ---------------------------------------------------------------------


def test_board_columns_and_the_conversion_funnel(parties):
    """Converted, declined and running trials land in their columns; the funnel counts them, the
    rate is converted / decided and the median counts days from start to the convert step."""
    from patentbridge.licensing.services import pipeline
    from patentbridge.licensing.services.deal_filter import DealFilter

    start = dt.date(2025, 6, 1)
    converted = make_contract(
        parties, [make_granted_patent(parties.university)], start=start, trial_months=6, stage="active_paid"
    )
    declined = make_contract(
        parties, [make_granted_patent(parties.university)], start=start, trial_months=3, stage="trial_ended"
    )
    running = make_contract(
        parties,
        [make_granted_patent(parties.university)],
        start=dt.date(2026, 1, 5),
        trial_months=6,
        stage="signed",
    )
    draft = make_contract(parties, [make_granted_patent(parties.university)], start=TODAY)
    result = pipeline.funnel(pipeline.visible_contracts(parties.tto, DealFilter()))
    assert (result.trials_started, result.converted, result.declined, result.running) == (3, 1, 1, 1)
    assert result.conversion_rate == 0.5
    assert result.median_days_to_convert == (dt.date(2025, 12, 1) - start).days
    assert result.decline_reasons == [("技术不适合企业需要", 1)]
    board = pipeline.board(parties.tto, DealFilter(), as_of=TODAY)
    columns = {key: [c.pk for c in cards] for key, _, _, cards in board.columns}
    assert columns["paid"] == [converted.pk] and columns["ended"] == [declined.pk]
    assert columns["trial"] == [running.pk] and columns["approval"] == [draft.pk]
    trial_card = next(c for _, _, _, cards in board.columns for c in cards if c.pk == running.pk)
    assert (trial_card.deadline, trial_card.deadline_label) == (dt.date(2026, 4, 5), "备案期限")
    assert trial_card.days_left == (dt.date(2026, 4, 5) - TODAY).days and trial_card.county == "泰安市泰山区"
    body = page(client_for(parties.tto).get("/licensing/"))
    assert 'data-testid="funnel-rate">50%' in body and 'data-testid="count-ended">1<' in body
    other = pipeline.funnel(pipeline.visible_contracts(parties.other_tto, DealFilter()))
    assert other.trials_started == 0 and other.conversion_rate is None


def test_board_filters_narrow_applications_and_contracts(parties, patent):
    from patentbridge.licensing.services import pipeline
    from patentbridge.licensing.services.deal_filter import DealFilter

    offer = publish(parties, [patent])
    taian = apps.apply_for_licence(parties.enterprise_user, offer, patents=[patent], requested_mode="paid")
    qingdao = apps.apply_for_licence(
        parties.other_enterprise_user, offer, patents=[patent], requested_mode="paid"
    )

    def applying(**values: str) -> list[int]:
        board = pipeline.board(parties.operator, DealFilter(**values), as_of=TODAY)
        return sorted(c.pk for key, _, _, cards in board.columns if key == "applying" for c in cards)

    assert applying() == sorted([taian.pk, qingdao.pk])
    assert applying(county="3709") == [taian.pk]
    assert applying(county="3702") == [qingdao.pk]
    assert applying(university=str(parties.other_university.pk)) == []
    assert applying(q="青岛") == [qingdao.pk]
    assert DealFilter.from_mapping({"county": "370900", "university": "x"}).active() == {"county": "3709"}


def test_the_board_filter_answers_htmx_with_the_board_alone(parties, patent):
    draft_contract(parties, patent)
    response = client_for(parties.tto).get("/licensing/?county=3709", headers={"HX-Request": "true"})
    body = page(response)
    assert 'data-testid="board"' in body and 'data-testid="funnel"' in body
    assert "<html" not in body and 'data-testid="board-filter"' not in body


# --- more pages ------------------------------------------------------------------------------------


def test_offer_list_filters_by_state_for_the_publisher(parties, patent):
    offers.create_offer(
        parties.tto,
        publisher_org=parties.university,
        patents=[patent],
        on=TODAY,
        title="草稿甲",
        modes=["paid"],
    )
    publish(parties, [patent], title="已发布乙")
    client = client_for(parties.tto)
    assert "草稿甲" in page(client.get("/licensing/offers/")) and "已发布乙" in page(
        client.get("/licensing/offers/")
    )
    drafts = page(client.get("/licensing/offers/?state=draft"))
    assert "草稿甲" in drafts and "已发布乙" not in drafts
    assert "草稿甲" in page(client.get("/licensing/offers/?state=bogus"))
    assert "已发布乙" not in page(client_for(parties.other_tto).get("/licensing/offers/?state=published"))


def test_offer_edit_prefills_and_saves(parties, patent):
    offer = offers.create_offer(
        parties.tto,
        publisher_org=parties.university,
        patents=[patent],
        on=TODAY,
        title="旧名称",
        modes=["paid"],
        paid_terms=fee_royalty(),
        target_regions="3709",
    )
    client = client_for(parties.tto)
    form = page(client.get(f"/licensing/offers/{offer.pk}/edit/"))
    assert 'value="旧名称"' in form and patent.application_number in form and 'value="3709"' in form
    response = client.post(
        f"/licensing/offers/{offer.pk}/edit/",
        offer_post(
            patent,
            title="新名称",
            modes=["paid"],
            **{"fee-fee_type": "lump_sum", "fee-lump_sum_amount": "9000"},
        ),
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "新名称" and offer.paid_terms["components"][0]["type"] == "lump_sum"
    offers.offer_step(parties.tto, offer, "submit", on=TODAY)
    response = client.get(f"/licensing/offers/{offer.pk}/edit/", follow=True)
    assert any("只有草稿" in m for m in flashed(response))
    assert client_for(parties.other_tto).get(f"/licensing/offers/{offer.pk}/edit/").status_code == 404


def test_an_offer_can_be_started_from_the_patent_page(parties, patent):
    body = page(client_for(parties.tto).get(f"/licensing/offers/new/?patent={patent.application_number}"))
    assert patent.application_number in body.split("patent_numbers", 1)[1][:400]


def test_contract_buttons_follow_the_role_and_state(parties, patent):
    contract = make_contract(
        parties, [patent], start=dt.date(2025, 6, 1), trial_months=6, stage="conversion_due"
    )
    enterprise = page(client_for(parties.enterprise_user).get(f"/licensing/contracts/{contract.pk}/"))
    assert 'data-testid="act-convert"' in enterprise and 'data-testid="act-decline"' in enterprise
    assert 'name="file"' in enterprise
    tto = page(client_for(parties.tto).get(f"/licensing/contracts/{contract.pk}/"))
    # No extension is allowed on this trial, and a contract awaiting conversion cannot be terminated.
    assert 'data-testid="act-convert"' in tto and 'data-testid="act-extend"' not in tto
    assert 'data-testid="act-terminate"' not in tto
    paid = make_contract(parties, [make_granted_patent(parties.university)], start=TODAY, stage="signed")
    operator = page(client_for(parties.operator).get(f"/licensing/contracts/{paid.pk}/"))
    assert 'data-testid="act-terminate"' in operator and 'data-testid="act-suspend"' in operator
    licensee = page(client_for(parties.enterprise_user).get(f"/licensing/contracts/{paid.pk}/"))
    assert 'data-testid="act-terminate"' not in licensee
    ended = make_contract(
        parties,
        [make_granted_patent(parties.university)],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="trial_ended",
    )
    body = page(client_for(parties.tto).get(f"/licensing/contracts/{ended.pk}/"))
    assert 'data-testid="contract-actions"' not in body and 'data-testid="findings"' not in body
    assert "技术不适合企业需要" in body


def test_negotiated_terms_are_entered_by_the_licensor_on_the_page(parties, patent):
    """The licensor's TTO converts with the negotiated terms (a change filing follows); the
    licensee may convert only on the agreed terms and never sees the fee builder."""
    contract = make_contract(
        parties,
        [patent],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="conversion_due",
        conversion_mode="negotiate",
    )
    url = f"/licensing/contracts/{contract.pk}/act/convert/"
    enterprise = client_for(parties.enterprise_user)
    assert 'name="fee-fee_type"' not in page(enterprise.get(f"/licensing/contracts/{contract.pk}/"))
    agreed = contract.fee_schedule
    response = enterprise.post(url, {"convert-on": "2026-03-02", "fee-fee_type": "free"}, follow=True)
    assert any("被许可方只能按已约定的付费条件" in m for m in flashed(response)), flashed(response)
    assert not any("FEE_CHANGE_BY_LICENSOR" in m for m in flashed(response))
    contract.refresh_from_db()
    assert contract.state == "conversion_due" and contract.fee_schedule == agreed
    tto = client_for(parties.tto)
    assert 'name="fee-fee_type"' in page(tto.get(f"/licensing/contracts/{contract.pk}/"))
    response = tto.post(
        url,
        {"convert-on": "2026-03-02", "fee-fee_type": "lump_sum", "fee-lump_sum_amount": "30000"},
        follow=True,
    )
    assert any("已办理" in m for m in flashed(response)), flashed(response)
    contract.refresh_from_db()
    assert contract.state == "active_paid"
    assert contract.fee_schedule["components"] == [
        {"type": "lump_sum", "amount": "30000.00", "instalments": []}
    ]
    assert contract.filings.filter(kind="change").exists()
    bad = make_contract(
        parties,
        [make_granted_patent(parties.university)],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="conversion_due",
    )
    response = tto.post(
        f"/licensing/contracts/{bad.pk}/act/convert/",
        {"fee-fee_type": "royalty", "fee-royalty_rate": "500"},
        follow=True,
    )
    assert flashed(response) and bad.__class__.objects.get(pk=bad.pk).state == "conversion_due"


def test_the_licensee_converts_on_the_agreed_terms_on_the_page(parties, patent):
    contract = make_contract(
        parties, [patent], start=dt.date(2025, 6, 1), trial_months=6, stage="conversion_due"
    )
    agreed = contract.fee_schedule
    client_for(parties.enterprise_user).post(f"/licensing/contracts/{contract.pk}/act/convert/", {})
    contract.refresh_from_db()
    assert contract.state == "active_paid" and contract.fee_schedule == agreed


def test_decline_extend_and_terminate_on_the_page(parties, patent):
    contract = make_contract(
        parties,
        [patent],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="conversion_due",
        extensions_allowed=1,
    )
    client = client_for(parties.tto)
    client.post(
        f"/licensing/contracts/{contract.pk}/act/extend/", {"extend-months": "2", "extend-on": "2026-03-02"}
    )
    contract.refresh_from_db()
    assert contract.state == "active_trial" and contract.trial_end == dt.date(2026, 2, 1)
    contracts.end_trial(None, contract, on=dt.date(2026, 2, 1))
    response = client_for(parties.enterprise_user).post(
        f"/licensing/contracts/{contract.pk}/act/decline/", {"decline-reason_code": "other"}, follow=True
    )
    assert any("其他原因" in m for m in flashed(response))
    client_for(parties.enterprise_user).post(
        f"/licensing/contracts/{contract.pk}/act/decline/",
        {"decline-reason_code": "other", "decline-note": "已另行采购"},
    )
    contract.refresh_from_db()
    assert contract.state == "trial_ended" and contract.end_reason == "其他原因：已另行采购"
    paid = make_contract(parties, [make_granted_patent(parties.university)], start=TODAY, stage="signed")
    client.post(f"/licensing/contracts/{paid.pk}/act/terminate/", {"terminate-reason": "违约解除"})
    paid.refresh_from_db()
    assert paid.state == "terminated" and "违约解除" in page(client.get(f"/licensing/contracts/{paid.pk}/"))


def test_public_notice_objection_and_pass_on_the_page(parties, patent):
    contract = make_contract(
        parties,
        [patent],
        start=dt.date(2026, 1, 5),
        price_method="agreement",
        stage="approved",
        on=dt.date(2026, 1, 5),
    )
    contracts.start_public_notice(
        parties.tto, contract, on=dt.date(2026, 1, 5), result_name="成果", proposed_price="8 万元"
    )
    client = client_for(parties.tto)
    response = client.post(
        f"/licensing/contracts/{contract.pk}/act/notice_objected/",
        {"notice_objected-objections": ""},
        follow=True,
    )
    assert flashed(response)
    client.post(f"/licensing/contracts/{contract.pk}/act/notice_passed/", {"notice_passed-on": "2026-03-02"})
    contract.refresh_from_db()
    assert contract.state == "approved" and contract.public_notice.outcome == "passed"
    client.post(f"/licensing/contracts/{contract.pk}/act/sign/", {"sign-on": "2026-03-02"})
    contract.refresh_from_db()
    assert contract.state == "active_paid"


def test_a_refused_filing_is_shown_and_can_be_resubmitted(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY, stage="signed")
    filing = contract.filings.get()
    client = client_for(parties.tto)
    client.post(
        f"/licensing/contracts/{contract.pk}/filings/{filing.pk}/submit/", {"submit-side": "licensor"}
    )
    client.post(
        f"/licensing/contracts/{contract.pk}/filings/{filing.pk}/refused/",
        {"refused-reason": "合同未写明许可期限"},
    )
    body = page(client.get(f"/licensing/contracts/{contract.pk}/"))
    assert "不予备案理由：合同未写明许可期限" in body and 'data-testid="filing-submit"' in body
    assert client.post(f"/licensing/contracts/{contract.pk}/filings/999999/submit/").status_code == 404
    response = client.post(
        f"/licensing/contracts/{contract.pk}/filings/{filing.pk}/filed/", {"filed-record_no": ""}, follow=True
    )
    assert flashed(response)


def test_a_missing_document_file_is_a_404(parties, patent, settings):
    contract = draft_contract(parties, patent)
    client = client_for(parties.tto)
    client.post(
        f"/licensing/contracts/{contract.pk}/documents/",
        {"kind": "other", "file": SimpleUploadedFile("a.txt", b"hello")},
    )
    document = contract.documents.get()
    (settings.DATA_DIR / "licensing" / "contracts" / str(contract.pk) / document.sha256).unlink()
    assert client.get(f"/licensing/contracts/{contract.pk}/documents/{document.pk}/").status_code == 404


def test_panels_hide_from_those_who_may_not_see(parties, patent):
    publish(parties, [patent])
    inventor = page(client_for(parties.inventor).get(f"/patents/{patent.application_number}/"))
    assert 'data-testid="licensing-panel"' not in inventor
    other = page(client_for(parties.other_tto).get(f"/patents/{patent.application_number}/"))
    assert 'data-testid="licensing-panel"' not in other
    tto = page(client_for(parties.tto).get(f"/orgs/{parties.university.pk}/"))
    assert 'data-testid="org-licensing"' in tto and "高端装备专利包" in tto


def test_mine_shows_decisions_and_the_application_links_its_contract(parties, patent):
    offer = publish(parties, [patent])
    rejected = apps.apply_for_licence(parties.enterprise_user, offer, patents=[patent], requested_mode="paid")
    apps.reject_application(parties.tto, rejected, reason="本期名额已满")
    accepted = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    contract = apps.accept_application(parties.tto, accepted, on=TODAY)
    client = client_for(parties.enterprise_user)
    mine = page(client.get("/licensing/mine/"))
    assert "本期名额已满" in mine and "已拒绝" in mine and "已接受" in mine
    body = page(client.get(f"/licensing/applications/{accepted.pk}/"))
    assert f'href="/licensing/contracts/{contract.pk}/"' in body and 'data-testid="withdraw"' not in body


def test_nav_links_follow_the_role(parties):
    assert 'data-testid="nav-licensing"' in page(client_for(parties.tto).get("/licensing/"))
    mine = page(client_for(parties.enterprise_user).get("/licensing/mine/"))
    assert 'data-testid="nav-licensing-mine"' in mine and 'data-testid="nav-licensing"' not in mine
    inventor = page(client_for(parties.inventor).get("/patents/"))
    assert "nav-licensing" not in inventor


# --- decisions and applications through the pages: hostile and foreign input -------------------------


def test_accept_form_dates_are_checked(parties, patent):
    offer = publish(parties, [patent])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    client = client_for(parties.tto)
    url = f"/licensing/applications/{application.pk}/accept/"
    for data in ({"on": "2099-01-01"}, {"on": "2026-02-31"}, {"end": "2026-03-02"}, {"end": "yesterday"}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200 and flashed(response), data
    assert not LicenceContract.objects.exists()
    assert client_for(parties.other_tto).post(url, {}).status_code == 404
    assert client_for(parties.enterprise_user).post(url, {}).status_code == 403
    assert (
        client_for(parties.enterprise_user)
        .post(f"/licensing/applications/{application.pk}/confirm-region/")
        .status_code
        == 403
    )


def test_apply_form_errors_and_unpublished_offers(parties, patent):
    offer = publish(parties, [patent])
    client = client_for(parties.enterprise_user)
    response = client.post(f"/licensing/offers/{offer.pk}/apply/", {"requested_mode": "paid"}, follow=True)
    assert flashed(response) and not LicenceApplication.objects.exists()
    response = client.post(
        f"/licensing/offers/{offer.pk}/apply/",
        {"requested_mode": "equity", "patents": [patent.application_number]},
        follow=True,
    )
    assert flashed(response) and not LicenceApplication.objects.exists()
    offers.offer_step(parties.tto, offer, "pause", on=TODAY)
    assert client.post(f"/licensing/offers/{offer.pk}/apply/", {}).status_code == 404
    assert client_for(parties.tto).post(f"/licensing/offers/{offer.pk}/apply/", {}).status_code == 403


def test_one_click_from_someone_elses_inbox_item_is_refused(parties, patent):
    publish(parties, [patent])
    need = make_need(parties.enterprise_user)
    item = make_match_item(
        need,
        patent,
        operator=parties.operator,
        state="pushed",
        feedback="interested",
        enterprise=parties.enterprise_user,
    )
    response = client_for(parties.other_enterprise_user).post(
        f"/licensing/interest/{item.pk}/apply/", follow=True
    )
    assert any("未找到该推送" in m for m in flashed(response))
    response = client_for(parties.enterprise_user).post(
        "/licensing/interest/99999999999999999999/apply/", follow=True
    )
    assert any("未找到该推送" in m for m in flashed(response))
    assert not LicenceApplication.objects.exists()
    assert client_for(parties.tto).post(f"/licensing/interest/{item.pk}/apply/").status_code == 403


def test_strangers_cannot_move_offers(parties, patent):
    offer = publish(parties, [patent])
    assert (
        client_for(parties.enterprise_user).post(f"/licensing/offers/{offer.pk}/step/pause/").status_code
        == 404
    )
    assert client_for(parties.inventor).post(f"/licensing/offers/{offer.pk}/step/pause/").status_code == 404
    offer.refresh_from_db()
    assert offer.state == "published"


def test_an_operator_must_pick_the_owner(parties, patent):
    response = client_for(parties.operator).post("/licensing/offers/new/", offer_post(patent))
    body = page(response)
    assert "publisher_org" in response.context["form"].errors and not LicenceOffer.objects.exists()
    assert parties.university.name in body


def test_offer_page_shows_places_left_and_warnings_to_the_publisher(parties, patent):
    offer = publish(parties, [patent], max_trials_per_patent=2, price_method="agreement")
    first = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    apps.accept_application(parties.tto, first, on=TODAY)
    body = page(client_for(parties.tto).get(f"/licensing/offers/{offer.pk}/"))
    assert "剩余试用名额" in body and "<td>1</td>" in body
    assert "公示" in body.split('data-testid="offer"', 1)[1].split('data-testid="offer-actions"', 1)[0]
    enterprise = page(client_for(parties.other_enterprise_user).get(f"/licensing/offers/{offer.pk}/"))
    assert (
        "finding-warn" not in enterprise.split('data-testid="apply"', 1)[0].split('data-testid="offer"', 1)[1]
    )


def test_outside_region_hint_for_the_applicant(parties, patent):
    offer = publish(parties, [patent], target_regions="3715", region_only=True)
    body = page(client_for(parties.enterprise_user).get(f"/licensing/offers/{offer.pk}/"))
    assert 'data-testid="outside-region"' in body and "须由发布单位确认" in body
    inside = publish(parties, [make_granted_patent(parties.university)], target_regions="3709")
    body = page(client_for(parties.enterprise_user).get(f"/licensing/offers/{inside.pk}/"))
    assert 'data-testid="outside-region"' not in body


# --- the contract page in detail -------------------------------------------------------------------


def test_contract_page_header_timeline_and_badges(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY, trial_months=6, stage="signed", is_demo=True)
    body = page(client_for(parties.enterprise_user).get(f"/licensing/contracts/{contract.pk}/"))
    assert 'data-testid="demo-badge"' in body and "不是真实的许可合同" in body
    assert contract.contract_no in body and parties.university.name in body and patent.title in body
    timeline = body.split('data-testid="timeline"', 1)[1]
    for label in ("新建草稿", "提交审批", "审批通过", "签订", "开始试用"):
        assert label in timeline, label
    assert "已审批待签订 → 已签订" in timeline
    assert "试用中" in body and "2026-09-02" in body


def test_contract_page_check_label_and_empty_state(parties, patent):
    draft = make_contract(parties, [patent], start=TODAY, price_method="agreement")
    body = page(client_for(parties.tto).get(f"/licensing/contracts/{draft.pk}/"))
    assert "签订前检查" in body and 'data-testid="finding-L7"' in body and "阻止" in body
    signed = make_contract(parties, [make_granted_patent(parties.university)], start=TODAY, stage="signed")
    body = page(client_for(parties.tto).get(f"/licensing/contracts/{signed.pk}/"))
    assert "备案检查" in body and 'data-testid="no-findings"' in body


def test_the_operator_confirms_an_out_of_region_licence_on_the_contract_page(parties, patent):
    """A contract drafted under a region-only offer for an outside licensee (no application to
    confirm) carries the L11 warning; only an operator confirms it, once."""
    offer = publish(parties, [patent], target_regions="3715", region_only=True)
    contract = make_contract(parties, [patent], start=TODAY, offer=offer)
    body = page(client_for(parties.operator).get(f"/licensing/contracts/{contract.pk}/"))
    assert 'data-testid="finding-L11"' in body and 'data-testid="act-confirm_region"' in body
    assert 'data-testid="act-confirm_region"' not in page(
        client_for(parties.tto).get(f"/licensing/contracts/{contract.pk}/")
    )
    assert (
        client_for(parties.tto).post(f"/licensing/contracts/{contract.pk}/act/confirm_region/").status_code
        == 403
    )
    client_for(parties.operator).post(f"/licensing/contracts/{contract.pk}/act/confirm_region/")
    contract.refresh_from_db()
    assert contract.out_of_region
    body = page(client_for(parties.operator).get(f"/licensing/contracts/{contract.pk}/"))
    assert 'data-testid="act-confirm_region"' not in body and "区域外成交" in body


def test_an_application_confirmed_out_of_region_needs_no_second_confirmation(parties, patent):
    offer = publish(parties, [patent], target_regions="3715", region_only=True)
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    apps.confirm_region(parties.tto, application)
    contract = apps.accept_application(parties.tto, application, on=TODAY)
    body = page(client_for(parties.operator).get(f"/licensing/contracts/{contract.pk}/"))
    assert 'data-testid="finding-L11"' in body and 'data-testid="act-confirm_region"' not in body


def test_filing_form_download_permissions(parties, patent):
    contract = make_contract(parties, [patent], start=TODAY, stage="signed")
    url = f"/licensing/contracts/{contract.pk}/filing-form.xlsx"
    assert client_for(parties.enterprise_user).get(url).status_code == 200
    assert client_for(parties.inventor).get(url).status_code == 403
    assert client_for(parties.other_enterprise_user).get(url).status_code == 404


def test_co_licensors_appear_in_the_filing_prefill(parties):
    from patentbridge.licensing.services import filing as filing_services
    from patentbridge.licensing.views.contract_files import filing_rows
    from web.licensing.factories import make_coowned_patent

    patent = make_coowned_patent(parties.university, "某某研究院有限公司")
    contract = make_contract(
        parties,
        [patent],
        start=TODAY,
        licensors=[
            {"name": parties.university.name, "share": "0.6"},
            {"name": "某某研究院有限公司", "share": "0.4"},
        ],
    )
    rows = dict(filing_rows(filing_services.filing_form(contract)))
    assert rows["共有专利权人"] == "某某研究院有限公司（分成比例 0.4）"
    assert rows["专利件数"] == 1 and rows["许可期限"] == "2026-03-02 至 2028-12-31"


def test_uploads_need_a_party_and_a_login(parties, patent):
    contract = draft_contract(parties, patent)
    url = f"/licensing/contracts/{contract.pk}/documents/"
    upload = {"kind": "other", "file": SimpleUploadedFile("a.txt", b"a")}
    assert client_for(parties.inventor).post(url, upload).status_code == 403
    response = Client().post(url, {"kind": "other", "file": SimpleUploadedFile("a.txt", b"a")})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client_for(parties.operator).post(
        url, {"kind": "nope", "file": SimpleUploadedFile("a.txt", b"a")}, follow=True
    )
    assert flashed(response) and not contract.documents.exists()


# --- helpers of the views --------------------------------------------------------------------------


def test_view_helpers(parties):
    from django.http import Http404

    from patentbridge.licensing.errors import LicensingRefused
    from patentbridge.licensing.views.contract import step_label
    from patentbridge.licensing.views.deal_common import optional_url, refused_text, visible_or_404

    assert refused_text(LicensingRefused("L3", "已有独占许可")) == "已有独占许可（规则 L3）"
    assert optional_url("licensing:board") == "/licensing/" and optional_url("licensing:nowhere") == ""
    assert (
        step_label("sign") == "签订"
        and step_label("create") == "新建草稿"
        and step_label("zzz") == "其他操作"
    )
    for bad in ("abc", None, -1, 0, 2**63):
        with pytest.raises(Http404):
            visible_or_404(LicenceContract.objects.all(), parties.operator, bad)


# --- the role matrix -------------------------------------------------------------------------------

# role → expected status of: board, mine, offer list, offer, application, contract (pages) and the
# API list and detail. 302 on board/mine is the redirect to the role's own page.
_MATRIX = {
    "admin": (200, 302, 200, 200, 200, 200, 200, 200),
    "operator": (200, 302, 200, 200, 200, 200, 200, 200),
    "tto": (200, 302, 200, 200, 200, 200, 200, 200),
    "other_tto": (200, 302, 200, 404, 404, 404, 200, 404),
    "inventor": (403, 403, 403, 403, 403, 403, 403, 403),
    "enterprise_user": (302, 200, 200, 200, 200, 200, 200, 200),
    "other_enterprise_user": (302, 200, 200, 200, 404, 404, 200, 404),
    "viewer": (403, 403, 403, 403, 403, 403, 403, 403),
    "nobody": (403, 403, 403, 403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", sorted(_MATRIX))
def test_every_deal_page_and_endpoint_by_role(parties, patent, role):
    """Each role's answer on every page and endpoint of the deal screens (one organisation's
    offer, application and contract; the others are strangers to them)."""
    from web.factories import make_token
    from web.matrix import stripped_user

    contract = draft_contract(parties, patent)
    users = {
        "viewer": lambda: make_member(parties.centre, "viewer"),
        "nobody": lambda: stripped_user(),
    }
    user = users[role]() if role in users else getattr(parties, role)
    client = client_for(user)
    urls = [
        "/licensing/",
        "/licensing/mine/",
        "/licensing/offers/",
        f"/licensing/offers/{contract.offer_id}/",
        f"/licensing/applications/{contract.application_id}/",
        f"/licensing/contracts/{contract.pk}/",
    ]
    got = [client.get(url).status_code for url in urls]
    _, key = make_token(user)
    api = Client()
    auth = {"Authorization": f"Bearer {key}"}
    got += [
        api.get("/api/licences", headers=auth).status_code,
        api.get(f"/api/licences/{contract.pk}", headers=auth).status_code,
    ]
    assert tuple(got) == _MATRIX[role]

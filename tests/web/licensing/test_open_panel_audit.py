"""The patent page's open-licence card per role and over versions, the declarant's remaining page
steps (return, announcement in the future, refused withdrawal, form errors), and Chinese names
for every audit action the open-licence services write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from patentbridge.core.labels import action_label
from patentbridge.core.models import AuditEvent
from patentbridge.licensing.services import open_licence
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.open_documents import attach_declaration_document
from web.licensing.factories import (
    fee_lump_sum,
    make_declaration,
    make_granted_patent,
    open_declaration_input,
)
from web.test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _panel(user, patent):
    page = client_for(user).get(f"/patents/{patent.application_number}/").content.decode()
    assert 'data-testid="open-panel"' in page
    return page.split('data-testid="open-panel"', 1)[1].split('<div class="card"', 1)[0]


def test_an_inventor_sees_the_state_and_the_flag_but_no_buttons(parties, patent):
    make_declaration(parties.tto, patent)
    panel = _panel(parties.inventor, patent)
    assert "开放许可实施中" in panel and "15% 适用" in panel
    assert "open-declare" not in panel and "open-panel-accept" not in panel and "open-fee-plan" not in panel


def test_operators_may_declare_on_any_patent_and_see_the_versions(parties, patent):
    assert 'data-testid="open-declare"' in _panel(parties.operator, patent)
    first = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, first, on=dt.date(2026, 2, 10), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, first, published_at=dt.date(2026, 2, 20), on=dt.date(2026, 2, 20)
    )
    make_declaration(parties.tto, patent, stage="draft")
    panel = _panel(parties.operator, patent)
    assert "历次声明：第 2 版 草稿；第 1 版 已撤回" in panel
    assert "open-declare" not in panel, "a live draft exists"
    assert "不适用" in panel and "无已公告且未撤回" in panel


def test_after_withdrawal_the_owner_may_declare_again(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 2, 10), reason="拟转让")
    assert "open-declare" not in _panel(parties.tto, patent)
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 2, 20), on=dt.date(2026, 2, 20)
    )
    panel = _panel(parties.tto, patent)
    assert 'data-testid="open-declare"' in panel and "已撤回" in panel


def test_an_enterprise_that_accepted_sees_its_acceptance_instead_of_the_button(parties, patent):
    decl = make_declaration(parties.tto, patent, fee_schedule=fee_lump_sum("1000.00"))
    open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 1))
    panel = _panel(parties.enterprise_user, patent)
    assert "open-panel-accept" not in panel and "本企业已于 2026-03-01 接受（已通知待付款）" in panel
    assert 'data-testid="open-panel-accept"' in _panel(parties.other_enterprise_user, patent)


def test_the_return_and_a_future_withdrawal_announcement_through_the_page(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="submitted")
    client = client_for(parties.tto)
    url = f"/licensing/open/{decl.pk}/act/"
    client.post(url + "return/", {"return-on": "2026-01-20", "return-reason": "联系方式须写明电话"})
    decl.refresh_from_db()
    assert decl.state == "returned" and decl.return_reason == "联系方式须写明电话"
    page = client.get(f"/licensing/open/{decl.pk}/manage/").content.decode()
    assert "联系方式须写明电话" in page and "open-edit" in page
    published = make_declaration(parties.tto, make_granted_patent(parties.university))
    url = f"/licensing/open/{published.pk}/act/"
    client.post(url + "withdraw/", {"withdraw-on": "2026-03-01", "withdraw-reason": "拟转让"})
    client.post(url + "withdrawal_published/", {"withdrawal_published-published_at": "2026-03-20"})
    published.refresh_from_db()
    assert published.state == "withdrawal_submitted" and published.withdrawal_published_at == dt.date(
        2026, 3, 20
    )
    page = client.get(f"/licensing/open/{published.pk}/manage/").content.decode()
    assert "已登记撤回公告日 2026-03-20，届时自动生效" in page
    client.post(url + "withdrawal_refused/", {"withdrawal_refused-on": "2026-03-05"})
    published.refresh_from_db()
    assert published.state == "published" and published.withdrawal_published_at is None


def test_a_publication_without_a_number_is_reported_in_chinese(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="submitted")
    page = (
        client_for(parties.tto)
        .post(
            f"/licensing/open/{decl.pk}/act/publish/",
            {"publish-published_at": "2026-02-02", "publish-announcement_no": ""},
            follow=True,
        )
        .content.decode()
    )
    assert "公告号" in page
    decl.refresh_from_db()
    assert decl.state == "submitted"


def test_a_withdrawal_consent_file_is_attached_with_the_request(parties, patent):
    decl = make_declaration(parties.tto, patent)
    client_for(parties.tto).post(
        f"/licensing/open/{decl.pk}/act/withdraw/",
        {
            "withdraw-on": "2026-03-01",
            "withdraw-reason": "拟转让",
            "withdraw-consent_doc": SimpleUploadedFile("撤回同意书.pdf", b"%PDF withdraw"),
        },
    )
    decl.refresh_from_db()
    assert decl.state == "withdrawal_submitted"
    assert decl.documents.get().kind == "withdrawal_consent"


def test_every_open_licence_audit_action_has_a_chinese_name(parties, patent):
    """Run the whole life — draft, check, edit, submit, return, publish, document, notice,
    payment, withdrawal, its announcement, end — and name every action the services wrote."""
    decl = make_declaration(parties.tto, patent, stage="submitted", fee_schedule=fee_lump_sum("1000.00"))
    open_licence.record_return(parties.tto, decl, on=dt.date(2026, 1, 15), reason="补正")
    decl = open_licence.update_draft(
        parties.tto,
        decl,
        open_declaration_input(signed_by=patent.patentees, fee_schedule=fee_lump_sum("1000.00")),
        on=dt.date(2026, 1, 16),
    )
    open_licence.check_declaration(decl, dt.date(2026, 1, 16), actor=parties.tto)
    open_licence.submit_declaration(parties.tto, decl, on=dt.date(2026, 1, 17))
    open_licence.record_publication(
        parties.tto, decl, published_at=dt.date(2026, 2, 2), announcement_no="GK-1"
    )
    attach_declaration_document(parties.tto, decl, SimpleUploadedFile("a.pdf", b"a"), kind="other")
    acc = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 2, 10))
    record_payment(
        parties.tto, acc.contract.receivables.get(), amount="1000.00", paid_on=dt.date(2026, 2, 12)
    )
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 2, 15), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 2, 25), on=dt.date(2026, 2, 20)
    )
    open_licence.record_withdrawal_refused(parties.tto, decl, on=dt.date(2026, 2, 22))
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 2, 23), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 2, 26), on=dt.date(2026, 2, 24)
    )
    open_licence.apply_withdrawals(dt.date(2026, 2, 26))
    actions = set(
        AuditEvent.objects.filter(action__regex=r"^licensing\.(declaration|open_acceptance)\.").values_list(
            "action", flat=True
        )
    )
    assert {
        "licensing.declaration.returned",
        "licensing.declaration.withdrawal_refused",
        "licensing.declaration.withdrawn",
        "licensing.open_acceptance.licensed",
    } <= actions
    for action in actions:
        label = action_label(action)
        assert not label.startswith("其他") and not label.isascii(), action
    page = client_for(parties.operator).get("/audit/", {"action": "licensing.declaration"}).content.decode()
    assert "开放许可声明：撤回生效" in page and "licensing.declaration.withdrawn<" not in page

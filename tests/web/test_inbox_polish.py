"""Curation feedback, the operator's note reaching the enterprise, unread badges, and the need page order."""

from __future__ import annotations

import pytest

from patentbridge.core.models import AuditEvent, Notification
from patentbridge.demands.services import create_need
from patentbridge.matching import services

from .test_matching import HEAT_NEED, library  # noqa: F401  (fixture)
from .test_permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(users, library):  # noqa: F811
    return create_need(actor=users["enterprise"], data=HEAT_NEED)


def _top(need, k=2):
    return [m.patent.application_number for m in services.candidates(need, k)]


def test_pin_drop_and_note_tell_the_operator_what_happened(users, need):
    """Each curation click ends with a visible Chinese message naming the patent and where it went."""
    first, second = _top(need)
    client = client_for(users["operator"])
    url = f"/matching/needs/{need.pk}/curate/"
    page = client.post(url, {"patent": first, "action": "pin"}, follow=True).content.decode()
    assert f"已入选 {first}" in page
    page = client.post(url, {"patent": second, "action": "drop"}, follow=True).content.decode()
    assert f"已剔除 {second}" in page
    page = client.post(url, {"patent": first, "action": "note", "note": "温区对口"}, follow=True)
    assert f"已保存 {first} 的备注" in page.content.decode()


def test_operator_note_reaches_the_enterprise_only_after_the_push(users, need):
    """The note is the operator's private working note until pushed; then the enterprise reads it."""
    (first,) = _top(need, 1)
    services.curate(
        actor=users["operator"], need=need, application_number=first, action="pin", note="余热回收对口"
    )
    company = client_for(users["enterprise"])
    assert "余热回收对口" not in company.get(f"/needs/{need.pk}/").content.decode()
    services.push_shortlist(actor=users["operator"], need=need)
    inbox = company.get("/matching/inbox/").content.decode()
    assert f'data-testid="centre-note-{first}"' in inbox and "运营中心说明：余热回收对口" in inbox
    assert "运营中心说明：余热回收对口" in company.get(f"/needs/{need.pk}/").content.decode()


def test_inbox_badge_counts_unseen_pushes_until_the_inbox_is_opened(users, need):
    """After a push the enterprise's navigation shows the number of new patents; opening the inbox
    highlights them once, clears the badge and writes one audit event."""
    first, second = _top(need)
    for number in (first, second):
        services.curate(actor=users["operator"], need=need, application_number=number, action="pin")
    company = client_for(users["enterprise"])
    assert 'data-testid="inbox-badge"' not in company.get("/").content.decode()
    services.push_shortlist(actor=users["operator"], need=need)
    home = company.get("/").content.decode()
    assert 'data-testid="inbox-badge" title="2 件新推送未查看">2<' in home
    inbox = company.get("/matching/inbox/").content.decode()
    assert inbox.count('data-testid="new-push"') == 2
    assert 'data-testid="inbox-badge"' not in company.get("/").content.decode()
    assert company.get("/matching/inbox/").content.decode().count('data-testid="new-push"') == 0
    seen = AuditEvent.objects.filter(action="matching.inbox.seen")
    assert seen.count() == 1 and len(seen.get().data["items"]) == 2
    # Other roles never get an inbox badge.
    assert 'data-testid="inbox-badge"' not in client_for(users["operator"]).get("/").content.decode()


def test_notification_badge_and_page_mark_read_for_the_organisation(users, orgs):
    """Unread notifications of the user's organisation show as a badge; the page marks them read (audited);
    another organisation's notifications are neither counted nor listed."""
    Notification.objects.create(org=orgs["uni"], message="专利 CN1 已列入公开实施清单")
    Notification.objects.create(org=orgs["other_uni"], message="别校的通知")
    tto = client_for(users["tto"])
    assert 'data-testid="notification-badge" title="1 条未读通知">1<' in tto.get("/").content.decode()
    page = tto.get("/notifications/").content.decode()
    assert "已列入公开实施清单" in page and "别校的通知" not in page
    assert page.count('data-testid="unread-notice"') == 1
    assert 'data-testid="notification-badge"' not in tto.get("/").content.decode()
    assert AuditEvent.objects.filter(action="core.notifications.read", org=orgs["uni"]).count() == 1
    other = client_for(users["other_tto"])
    assert 'data-testid="notification-badge" title="1 条未读通知"' in other.get("/").content.decode()


def test_enterprise_need_page_leads_with_the_shortlist(users, need):
    """The enterprise that posted the need sees the pushed patents before classification and candidates;
    with nothing pushed yet it is told so plainly."""
    company = client_for(users["enterprise"])
    page = company.get(f"/needs/{need.pk}/").content.decode()
    assert page.index('data-testid="need-shortlist-empty"') < page.index('data-testid="need-classification"')
    (first,) = _top(need, 1)
    services.curate(actor=users["operator"], need=need, application_number=first, action="pin")
    services.push_shortlist(actor=users["operator"], need=need)
    page = company.get(f"/needs/{need.pk}/").content.decode()
    assert page.index('data-testid="need-shortlist"') < page.index('data-testid="need-classification"')
    operator_page = client_for(users["operator"]).get(f"/needs/{need.pk}/").content.decode()
    assert operator_page.index('data-testid="need-classification"') < operator_page.index(
        'data-testid="need-shortlist"'
    )

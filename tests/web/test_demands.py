"""Technology needs: posting, suggested classification with reasons, operator correction, visibility."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.demands.models import TechNeed
from patentbridge.demands.services import create_need, set_need_ipc

from .test_permissions import client_for

pytestmark = pytest.mark.django_db

NEED = {
    "title": "动力电池高温循环寿命提升",
    "description": "我们的锂离子电池在高温循环后容量衰减快，希望找到正极材料改性技术。",
}


def test_enterprise_posts_a_need_and_gets_ipc_and_chain_with_reasons(users, chains):
    """The need is classified at once: suggested subclasses with scores and words, chains with reasons."""
    need = create_need(actor=users["enterprise"], data=NEED)
    assert need.org == users["enterprise"].membership.org
    assert need.suggested_ipc and need.suggested_ipc[0]["code"] == "H01M"
    assert need.suggested_ipc[0]["score"] > 0 and "电池" in need.suggested_ipc[0]["reason"]
    assert need.ipc == ["H01M"] and not need.ipc_edited
    assert any(c["code"] == "NEV" for c in need.chains)
    assert AuditEvent.objects.filter(action="demands.need.created", target_id=str(need.pk)).exists()


def test_operator_corrects_the_ipc_and_chains_follow(users, chains):
    """An operator's IPC replaces the suggestion, chains are recomputed, before/after audited."""
    need = create_need(actor=users["enterprise"], data=NEED)
    need = set_need_ipc(actor=users["operator"], need=need, ipc_text="F25B30/02")
    assert need.ipc == ["F25B30/02"] and need.ipc_edited
    assert {c["code"] for c in need.chains} >= {"GLC"}
    event = AuditEvent.objects.get(action="demands.need.classified")
    assert event.data["before"]["ipc"] == ["H01M"] and event.data["after"]["ipc"] == ["F25B30/02"]
    with pytest.raises(ValidationError):
        set_need_ipc(actor=users["operator"], need=need, ipc_text="坏号")
    with pytest.raises(PermissionDenied):
        set_need_ipc(actor=users["enterprise"], need=need, ipc_text="H01M")


@pytest.mark.parametrize("role", ["tto", "inventor", "viewer"])
def test_only_enterprises_and_operators_post_needs(users, role):
    """Universities and viewers cannot post needs (service and page)."""
    with pytest.raises(PermissionDenied):
        create_need(actor=users[role], data=NEED)
    assert client_for(users[role]).get("/needs/new/").status_code == 403


def test_budget_range_is_validated(users):
    """A maximum below the minimum is refused."""
    with pytest.raises(ValidationError):
        create_need(actor=users["enterprise"], data={**NEED, "budget_min": 50, "budget_max": 10})


def test_visibility_by_role(users, orgs):
    """Enterprises see their own needs; universities open ones; closed needs only their owners and operators."""
    from patentbridge.accounts.models import Membership, Organization

    other = Organization.objects.create(name="另一家企业", kind="enterprise")
    from django.contrib.auth import get_user_model

    rival = get_user_model().objects.create_user("rival", password="x")
    Membership.objects.create(user=rival, org=other, role="enterprise")
    mine = create_need(actor=users["enterprise"], data=NEED)
    closed = create_need(actor=users["enterprise"], data={**NEED, "title": "已关闭的需求"})
    TechNeed.objects.filter(pk=closed.pk).update(status="closed")
    assert client_for(users["tto"]).get(f"/needs/{mine.pk}/").status_code == 200
    assert client_for(users["tto"]).get(f"/needs/{closed.pk}/").status_code == 404
    assert client_for(users["enterprise"]).get(f"/needs/{closed.pk}/").status_code == 200
    assert client_for(users["operator"]).get(f"/needs/{closed.pk}/").status_code == 200
    from django.test import Client

    client = Client()
    client.force_login(rival)
    assert client.get(f"/needs/{mine.pk}/").status_code == 404


def test_need_pages_post_and_show_reasons(users, chains):
    """Posting through the page redirects to the need, whose page shows the suggestions and reasons."""
    client = client_for(users["enterprise"])
    response = client.post("/needs/new/", {**NEED, "wanted_mode": "trial_then_licence"})
    need = TechNeed.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/needs/{need.pk}/"
    page = client.get(f"/needs/{need.pk}/").content.decode()
    assert "先免费试用、再达成许可" in page and "H01M" in page and "主要依据词" in page
    assert "一种" not in need.suggested_ipc[0]["reason"]
    listing = client_for(users["operator"]).get("/needs/?q=高温").content.decode()
    assert "动力电池高温循环寿命提升" in listing

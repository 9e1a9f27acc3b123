"""The admin never writes; accounts change only through audited services; confidential drafts stay
out of other organisations' audit views."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client, RequestFactory

from patentbridge.accounts import services
from patentbridge.accounts.models import ApiToken, Membership, Organization
from patentbridge.core.models import AuditEvent
from patentbridge.grading.assessment import assess_draft
from patentbridge.site.confidential import MASK

from .conftest import make_user
from .test_permissions import client_for

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "一种尚未申请的固态电池隔膜涂层"


@pytest.fixture
def superuser(orgs) -> Any:
    user = make_user("root", orgs["centre"], "admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _admin_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_registered_admin_is_read_only(superuser):
    """No ModelAdmin or inline of any app lets even a superuser add, change or delete."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for checked in (model_admin, *inlines):
            label = f"{model._meta.label} {type(checked).__name__}"
            assert not checked.has_add_permission(request), label
            assert not checked.has_change_permission(request), label
            assert not checked.has_delete_permission(request), label


def test_admin_change_and_delete_posts_are_refused_and_write_nothing(users, superuser):
    """POSTs to change, delete, add and password URLs answer 403; data and audit log are unchanged."""
    client = _admin_client(superuser)
    org, target = users["tto"].membership.org, users["viewer"]
    events = AuditEvent.objects.count()
    posts = [
        (f"/admin/accounts/organization/{org.pk}/change/", {"name": "被改名的大学", "kind": "enterprise"}),
        (f"/admin/accounts/organization/{org.pk}/delete/", {"post": "yes"}),
        ("/admin/accounts/organization/add/", {"name": "新机构", "kind": "enterprise"}),
        (f"/admin/auth/user/{target.pk}/change/", {"username": "viewer", "is_superuser": "on"}),
        (
            f"/admin/auth/user/{target.pk}/password/",
            {"password1": "x-9f8e7d6c5b", "password2": "x-9f8e7d6c5b"},
        ),
        (f"/admin/accounts/membership/{target.membership.pk}/change/", {"role": "admin"}),
        (f"/admin/accounts/membership/{target.membership.pk}/delete/", {"post": "yes"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    org.refresh_from_db()
    target.refresh_from_db()
    assert (
        org.name == "西安交通大学" and not target.is_superuser and target.check_password("pw-for-tests-only")
    )
    assert Membership.objects.get(user=target).role == "viewer"
    assert AuditEvent.objects.count() == events
    assert client.get(f"/admin/accounts/organization/{org.pk}/change/").status_code == 200  # still readable


def test_token_services_and_command_write_audit_events(users):
    """Creating and revoking tokens (service or command) writes an audit event each, and the key works
    only until revoked; nobody manages another user's tokens except an administrator."""
    token, key = services.create_token(actor=users["tto"], user=users["tto"], name="省平台同步")
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(key)) == token
    created = AuditEvent.objects.get(action="accounts.token.created")
    assert created.actor == users["tto"] and created.data == {"name": "省平台同步", "user": "tto"}
    api = Client()
    assert api.get("/api/patents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    with pytest.raises(PermissionDenied):
        services.revoke_token(actor=users["enterprise"], token=token)
    services.revoke_token(actor=users["admin"], token=token)
    assert not ApiToken.objects.exists()
    revoked = AuditEvent.objects.get(action="accounts.token.revoked")
    assert revoked.actor == users["admin"] and revoked.data["name"] == "省平台同步"
    assert api.get("/api/patents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    with pytest.raises(PermissionDenied):
        services.create_token(actor=users["enterprise"], user=users["tto"], name="越权")

    out = StringIO()
    call_command("token", "viewer", "看板", stdout=out)
    assert out.getvalue().strip().startswith("pb_")
    call_command("token", "viewer", "看板", "--revoke", "--by", "admin", stdout=StringIO())
    actions = list(AuditEvent.objects.filter(data__user="viewer").values_list("action", "actor_name"))
    assert sorted(actions) == [("accounts.token.created", "viewer"), ("accounts.token.revoked", "admin")]


def test_org_and_membership_services_are_admin_only_and_audited(users):
    """create_org/update_org/set_membership check the admin role and audit the change with its diff."""
    with pytest.raises(PermissionDenied):
        services.create_org(actor=users["operator"], name="某研究院", kind="university")
    org = services.create_org(actor=users["admin"], name="某研究院", kind="university", province="山东省")
    services.update_org(actor=users["admin"], org=org, city="济南市")
    updated = AuditEvent.objects.get(action="accounts.organization.updated")
    assert updated.data == {"before": {"city": ""}, "after": {"city": "济南市"}}
    newcomer = get_user_model().objects.create_user(username="newcomer", password="x-9f8e7d6c5b")
    services.set_membership(actor=users["admin"], user=newcomer, org=org, role="tto")
    services.set_membership(actor=users["admin"], user=newcomer, org=org, role="inventor", college="材料学院")
    assert Membership.objects.get(user=newcomer).role == "inventor"
    changed = AuditEvent.objects.get(action="accounts.membership.updated")
    assert changed.data["after"] == {"role": "inventor", "college": "材料学院"}
    assert AuditEvent.objects.filter(action="accounts.organization.created", target_id=str(org.pk)).exists()
    assert Organization.objects.get(pk=org.pk).city == "济南市"


def test_audit_log_masks_other_organisations_assessment_titles(users, superuser):
    """Operators and admins see that a draft was assessed, never its title; the drafting
    organisation's own staff see it; the Django admin leaves such events out entirely."""
    assessment = assess_draft(
        actor=users["tto"],
        title=DRAFT_TITLE,
        abstract="本发明公开一种固态电池隔膜涂层，采用陶瓷颗粒与聚合物复合，提高热稳定性并抑制锂枝晶。",
    )
    assert AuditEvent.objects.filter(
        action="grading.assessment.created", target_id=str(assessment.pk)
    ).exists()
    for outsider in ("operator", "admin"):
        page = client_for(users[outsider]).get("/audit/").content.decode()
        assert DRAFT_TITLE not in page and MASK in page, outsider
    own = client_for(users["tto"]).get("/audit/").content.decode()
    assert DRAFT_TITLE in own and MASK not in own
    changelist = _admin_client(superuser).get("/admin/core/auditevent/", {"q": "固态电池"})
    assert changelist.status_code == 200 and DRAFT_TITLE not in changelist.content.decode()
    event = AuditEvent.objects.get(action="grading.assessment.created")
    assert _admin_client(superuser).get(f"/admin/core/auditevent/{event.pk}/change/").status_code in (
        302,
        404,
    )

"""Per-role access: views and API refuse what a role may not see or do."""

from __future__ import annotations

import pytest
from django.test import Client

from patentbridge.accounts import policies
from patentbridge.patents import services

from .conftest import PASSWORD
from .factories import import_rows, patent_row

pytestmark = pytest.mark.django_db

FORM = {
    "application_number": "202310123456.6",
    "title": "一种锂离子电池正极材料",
    "filing_date": "2023-05-01",
}


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("operator", True),
        ("tto", True),
        ("inventor", False),
        ("enterprise", False),
        ("viewer", False),
    ],
)
def test_import_page_by_role(users, role, allowed):
    """Only admins, operators and TTO staff reach the import page."""
    response = client_for(users[role]).get("/imports/")
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("operator", True),
        ("tto", True),
        ("inventor", False),
        ("enterprise", False),
        ("viewer", False),
    ],
)
def test_audit_page_by_role(users, role, allowed):
    """Audit log: platform roles and TTO staff (own organisation only)."""
    assert client_for(users[role]).get("/audit/").status_code == (200 if allowed else 403)


def test_tto_sees_only_their_organisations_audit_events(users):
    """Another university's events do not leak into a TTO's audit list."""
    services.create_patent(actor=users["other_tto"], data=FORM)
    page = client_for(users["tto"]).get("/audit/").content.decode()
    assert "patents.patent.created" not in page
    assert "patents.patent.created" in client_for(users["operator"]).get("/audit/").content.decode()


@pytest.mark.parametrize("role", ["enterprise", "viewer", "other_tto"])
def test_unapproved_patent_is_invisible_in_page_and_api(users, role):
    """A draft of one university is a 404 for enterprises, viewers and other universities."""
    services.create_patent(actor=users["inventor"], data=FORM)
    client = client_for(users[role])
    assert client.get("/patents/202310123456.6/").status_code == 404
    assert client.get("/api/patents/202310123456.6").status_code == 404
    assert client.get("/api/patents").json()["count"] == 0


@pytest.mark.parametrize("role", ["inventor", "tto", "operator"])
def test_owner_side_sees_the_draft(users, role):
    """The submitter, their TTO and the operators see the draft."""
    services.create_patent(actor=users["inventor"], data=FORM)
    assert client_for(users[role]).get("/patents/202310123456.6/").status_code == 200


def test_anonymous_requests_are_redirected_or_refused(users):
    """Pages redirect to login; the API answers 401."""
    client = Client()
    assert client.get("/patents/").status_code == 302
    assert client.get("/api/patents").status_code == 401
    assert client.get("/imports/").status_code == 302


@pytest.mark.parametrize("role", ["enterprise", "viewer", "inventor"])
def test_review_actions_refused_for_non_reviewers(users, role):
    """POSTing a review action without the role changes nothing."""
    patent = services.create_patent(actor=users["inventor"], data=FORM, submit=True)
    response = client_for(users[role]).post(f"/patents/{patent.application_number}/college/")
    assert response.status_code in (403, 404)
    patent.refresh_from_db()
    assert patent.library_status == "pending_college"


def test_batches_of_other_organisations_are_hidden(users, tmp_path):
    """A TTO sees their own batches only; operators see all."""
    batch = import_rows(
        users["other_tto"], [patent_row(), patent_row(), {"application_number": "bad"}], tmp_path
    )
    assert (batch.imported, batch.rejected) == (2, 1)
    assert client_for(users["tto"]).get(f"/imports/{batch.pk}/").status_code == 404
    assert client_for(users["tto"]).get(f"/api/imports/{batch.pk}").status_code == 404
    assert client_for(users["operator"]).get(f"/imports/{batch.pk}/").status_code == 200
    assert client_for(users["other_tto"]).get(f"/api/imports/{batch.pk}/rejects.csv").status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", "admin"),
        ("operator", "operator"),
        ("tto", "tto"),
        ("inventor", "inventor"),
        ("enterprise", "enterprise"),
        ("viewer", "viewer"),
    ],
)
def test_role_of_every_member(users, role, expected):
    """The policy layer reads the membership role."""
    assert policies.role_of(users[role]) == expected


def test_user_without_membership_sees_nothing(db):
    """An account that belongs to no organisation has no role and no access."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password=PASSWORD)
    client = Client()
    client.login(username="nobody", password=PASSWORD)
    assert policies.role_of(user) == ""
    assert client.get("/patents/").status_code == 403

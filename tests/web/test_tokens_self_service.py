"""Each user creates, names, sees the last use of, and revokes their own API tokens (hashed, audited)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from patentbridge.accounts.models import ApiToken
from patentbridge.core.models import AuditEvent

from .test_permissions import client_for

pytestmark = pytest.mark.django_db


def _create(client: Client, name: str) -> str:
    page = client.post("/accounts/profile/tokens/", {"name": name}, follow=True).content.decode()
    found = re.search(r'data-testid="new-token-key">(pb_[^<]+)<', page)
    assert found, page
    return found.group(1)


def test_create_use_and_revoke_own_token(users, django_capture_on_commit_callbacks):
    """The key is shown once and stored only as a hash; it authenticates the API; last use appears;
    revoking stops it at once; both changes are audited with the user as actor."""
    client = client_for(users["tto"])
    key = _create(client, "校内成果系统同步")
    token = ApiToken.objects.get(user=users["tto"])
    assert (
        token.name == "校内成果系统同步"
        and key not in token.key_hash
        and token.key_hash == ApiToken.hash_key(key)
    )
    again = client.get("/accounts/profile/").content.decode()
    assert key not in again and "校内成果系统同步" in again and "从未使用" in again

    api = Client()
    with django_capture_on_commit_callbacks(execute=True):  # last use is written after the request
        assert api.get("/api/patents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert "从未使用" not in client.get("/accounts/profile/").content.decode()

    page = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/", follow=True).content.decode()
    assert "已吊销令牌“校内成果系统同步”" in page
    assert api.get("/api/patents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    actions = list(
        AuditEvent.objects.filter(action__startswith="accounts.token.").values_list("action", "actor")
    )
    assert actions == [
        ("accounts.token.revoked", users["tto"].pk),
        ("accounts.token.created", users["tto"].pk),
    ]


def test_nobody_revokes_or_sees_another_users_token(users):
    """Another user's token id answers 404 and stays valid; the profile lists only one's own tokens."""
    key = _create(client_for(users["tto"]), "我的令牌")
    token = ApiToken.objects.get(user=users["tto"])
    other = client_for(users["other_tto"])
    assert other.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert "我的令牌" not in other.get("/accounts/profile/").content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert Client().get("/api/patents", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_empty_name_is_refused_in_chinese_and_anonymous_users_are_sent_to_login(users):
    """A token needs a purpose; the profile requires a login."""
    client = client_for(users["enterprise"])
    page = client.post("/accounts/profile/tokens/", {"name": "  "}, follow=True).content.decode()
    assert "令牌用途不能为空" in page and not ApiToken.objects.exists()
    response = Client().get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

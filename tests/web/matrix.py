"""Helpers of the role-matrix tests: one logged-in client per role, query counting, messages.

Roles are the ``users`` fixture's keys: two platform roles (admin, operator), the university's
TTO, its college reviewer (a TTO scoped to one college) and an inventor, another university's
TTO, an enterprise user and a government viewer.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .conftest import PASSWORD

__all__ = [
    "ALL_ROLES",
    "PLATFORM",
    "anonymous",
    "client_for",
    "queries",
    "stripped_user",
]

ALL_ROLES = ("admin", "operator", "tto", "college", "inventor", "other_tto", "enterprise", "viewer")
PLATFORM = ("admin", "operator")


def client_for(user: Any) -> Client:
    """A test client logged in as ``user`` through the real login (password check included)."""
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def anonymous() -> Client:
    return Client()


def stripped_user(username: str = "nobody") -> Any:
    """An active account that belongs to no organisation (so has no role)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username, password=PASSWORD)


def queries(client: Client, url: str, **extra: Any) -> int:
    """How many SQL queries one GET of ``url`` costs (the response must be a 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)

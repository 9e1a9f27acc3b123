"""Links that tie the licensing, menus and statistics pages into the site: the navigation per role,
the open-licence list for anonymous visitors, the policy page's link to the licensing parameters,
and the public implementation list's open-licence route starting a declaration."""

from __future__ import annotations

import pytest

from patentbridge.grading.models import PublicListEntry

from .matrix import ALL_ROLES, anonymous, client_for
from .test_grading_roles import ACTORS, listed  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# data-testid of each navigation link → the roles that see it.
NAV = {
    "nav-open-licences": set(ALL_ROLES),
    "nav-menus": {"admin", "operator", "tto", "college", "other_tto"},
    "nav-menu-inbox": {"enterprise"},
    "nav-receivables": {"admin", "operator", "tto", "college", "other_tto"},
    "nav-my-income": {"inventor"},
    "nav-stats": {"admin", "operator", "viewer"},
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_navigation_shows_each_role_its_licensing_menu_and_statistics_links(users, role):
    page = client_for(users[role]).get("/").content.decode()
    for testid, roles in NAV.items():
        assert (f'data-testid="{testid}"' in page) == (role in roles), testid


def test_anonymous_visitors_get_a_way_to_the_open_licence_list(db):
    page = anonymous().get("/accounts/login/").content.decode()
    assert 'data-testid="nav-open-licences"' in page
    assert anonymous().get("/licensing/open/").status_code == 200


def test_grading_policy_page_links_to_the_licensing_parameters(users):
    page = client_for(users["tto"]).get("/grading/policy/").content.decode()
    assert 'data-testid="licensing-policy-link"' in page
    assert client_for(users["tto"]).get("/licensing/ledger/policy/").status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_open_licence_route_on_the_public_list_starts_a_declaration(users, listed, role):  # noqa: F811
    """Once the patentee's side chose the open-licence route, it gets a link to a declaration
    prefilled with the patent; nobody else sees it, and another route shows no link."""
    PublicListEntry.objects.filter(patent=listed).update(route="open_licence")
    page = client_for(users[role]).get("/grading/public-list/").content.decode()
    link = f"/licensing/open/new/?patent={listed.application_number}&amp;origin=public_list"
    assert (link in page) == (role in ACTORS)
    PublicListEntry.objects.filter(patent=listed).update(route="exchange")
    assert link not in client_for(users[role]).get("/grading/public-list/").content.decode()

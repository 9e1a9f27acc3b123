"""The organisation page renders sections other apps register (patents, needs), each with its own
access rule, so accounts imports neither patents nor demands."""

from __future__ import annotations

import pytest

from patentbridge.core.panels import panels_for
from patentbridge.demands.services import create_need
from patentbridge.patents import services as patent_services

from .test_permissions import client_for
from .test_workflow import FORM

pytestmark = pytest.mark.django_db


def test_panels_come_from_other_apps():
    """patents and demands register their organisation panels in ready()."""
    keys = {p.key for p in panels_for("organization")}
    assert {"portfolio", "needs"} <= keys


def test_university_page_shows_only_what_each_viewer_may_see(users, orgs):
    """A draft of the university is counted for its own TTO, never for an enterprise visitor."""
    patent_services.create_patent(actor=users["inventor"], data=FORM)
    uni = orgs["uni"]
    own = client_for(users["tto"]).get(f"/orgs/{uni.pk}/").content.decode()
    assert 'data-testid="org-portfolio"' in own and FORM["title"] in own
    outsider = client_for(users["enterprise"]).get(f"/orgs/{uni.pk}/").content.decode()
    assert uni.name in outsider and FORM["title"] not in outsider and "没有您有权查看的该机构专利" in outsider


def test_enterprise_page_lists_needs_by_the_needs_rule(users, orgs):
    """An enterprise's own needs appear on its page for itself; a university sees only open ones."""
    need = create_need(actor=users["enterprise"], data={"title": "余热制蒸汽", "description": "车间余热回收"})
    company = orgs["company"]
    page = client_for(users["enterprise"]).get(f"/orgs/{company.pk}/").content.decode()
    assert 'data-testid="org-needs"' in page and need.title in page
    assert need.title in client_for(users["tto"]).get(f"/orgs/{company.pk}/").content.decode()


def test_patent_page_links_its_owner_and_unknown_orgs_are_404(users, orgs):
    """The patent page links the owning organisation; a missing organisation is a Chinese 404."""
    patent = patent_services.create_patent(actor=users["inventor"], data=FORM)
    page = client_for(users["tto"]).get(f"/patents/{patent.application_number}/").content.decode()
    assert f'href="/orgs/{orgs["uni"].pk}/"' in page
    assert client_for(users["tto"]).get("/orgs/999999/").status_code == 404

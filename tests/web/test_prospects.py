"""Reverse matching: a patent → open needs and the enterprises behind them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from patentbridge.accounts.models import Organization
from patentbridge.demands.models import TechNeed
from patentbridge.demands.services import create_need
from patentbridge.matching.prospects import may_market, prospects_for
from patentbridge.patents.models import Patent
from patentbridge.search.index import get_needs_index, rebuild_needs_index

from .test_matching import library  # noqa: F401  (fixture)
from .test_permissions import client_for

pytestmark = pytest.mark.django_db

NEEDS = [
    ("工厂余热回收制蒸汽", "车间有大量低温余热，希望用热泵把它提升成工业用高温蒸汽，降低燃气消耗。"),
    ("冬季供暖热泵结霜", "空气源热泵冬季室外机结霜严重，制热量下降，需要除霜控制方案。"),
    ("包装袋封口不严", "食品包装袋热封口经常漏气，想找更可靠的封口工艺和设备。"),
]


@pytest.fixture
def needs(users, library, django_capture_on_commit_callbacks):  # noqa: F811
    """Three posted needs, indexed the way the platform does it: by the task run after commit."""
    other = Organization.objects.create(name="济南某食品有限公司", kind="enterprise")
    with django_capture_on_commit_callbacks(execute=True):
        created = [
            create_need(actor=users["enterprise"], data={"title": t, "description": d}) for t, d in NEEDS[:2]
        ]
        created.append(
            create_need(
                actor=users["operator"], org=other, data={"title": NEEDS[2][0], "description": NEEDS[2][1]}
            )
        )
    return created


@pytest.fixture
def heat_pump(users, library):  # noqa: F811
    """A library heat-pump patent, attributed to the TTO's university for these tests."""
    patent = Patent.objects.filter(title__contains="高温热泵").order_by("pk").first()
    Patent.objects.filter(pk=patent.pk).update(owner_org=users["tto"].membership.org)
    patent.refresh_from_db()
    return patent


def test_needs_reach_the_needs_index_after_commit(users, needs):
    """Posting a need indexes it (on commit, through the task); a rebuild gives the same set."""
    assert set(get_needs_index().docs) == {str(n.pk) for n in needs}
    assert rebuild_needs_index() == 3


def test_heat_pump_patent_finds_heat_needs_and_their_enterprise(users, needs, heat_pump):
    """The heat needs rank above the packaging need, with terms; the enterprise is grouped."""
    ranked, enterprises = prospects_for(users["tto"], heat_pump)
    titles = [p.need.title for p in ranked]
    assert set(titles[:2]) == {NEEDS[0][0], NEEDS[1][0]}
    assert ranked[0].hit.terms
    assert enterprises[0].org == users["enterprise"].membership.org
    assert {p.need.title for p in enterprises[0].needs} == {NEEDS[0][0], NEEDS[1][0]}


def test_closed_needs_are_not_offered(users, needs, heat_pump):
    TechNeed.objects.filter(pk=needs[0].pk).update(status="closed")
    ranked, _ = prospects_for(users["tto"], heat_pump)
    assert needs[0].pk not in {p.need.pk for p in ranked}


def test_only_the_owner_side_may_market(users, needs, heat_pump):
    """The owning TTO and operators may; another university, enterprises and viewers may not."""
    assert may_market(users["tto"], heat_pump) and may_market(users["operator"], heat_pump)
    for outsider in ("other_tto", "enterprise", "viewer"):
        assert not may_market(users[outsider], heat_pump)
    with pytest.raises(PermissionDenied):
        prospects_for(users["other_tto"], heat_pump)
    url = f"/matching/patents/{heat_pump.application_number}/"
    page = client_for(users["tto"]).get(url)
    assert page.status_code == 200 and NEEDS[0][0] in page.content.decode()
    assert client_for(users["other_tto"]).get(url).status_code == 403
    assert client_for(users["enterprise"]).get(url).status_code == 403
    detail = client_for(users["tto"]).get(f"/patents/{heat_pump.application_number}/").content.decode()
    assert 'data-testid="prospects-link"' in detail
    other = client_for(users["other_tto"]).get(f"/patents/{heat_pump.application_number}/").content.decode()
    assert 'data-testid="prospects-link"' not in other

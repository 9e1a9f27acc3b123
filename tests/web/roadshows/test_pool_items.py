"""Roadshow patents from a patent pool: the pool's agency (a 服务机构, allowed to organise)
puts an admitted patent on its event, labelled with the pool; a patent not admitted, or a pool the
organiser may not see, is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.patents.models import IndustryChain
from patentbridge.roadshows.services import events
from web.pools.factories import farm_patent, make_cast, make_pool, pool_patent

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 2)


def _event(organiser_user, organiser_org):
    return events.create_event(
        organiser_user,
        organiser_org=organiser_org,
        chain=IndustryChain.objects.get(code="AGRI"),
        month="2026-03",
        title="一月一链·农机专利池专场",
        event_date=dt.date(2026, 3, 26),
        region_code="3709",
        online_url="https://example.org/roadshow",
    )


def test_pool_agency_shows_an_admitted_patent_with_the_pools_name(chains):
    cast = make_cast()
    pool = make_pool(cast)
    admitted = farm_patent(cast.uni_a)
    pool_patent(cast, pool, admitted, tto=cast.tto_a)
    event = _event(cast.agency_user, cast.agency)
    item = events.add_item(cast.agency_user, event, on=ON, patent=admitted, pool=pool, asking_mode="licence")
    assert (item.source, item.pool, item.source_label) == ("pool", pool, f"专利池《{pool.name}》")
    assert AuditEvent.objects.get(action="roadshows.item.added").data["source"] == f"专利池《{pool.name}》"
    outside = farm_patent(cast.uni_b)
    with pytest.raises(ValidationError, match="不在专利池"):
        events.add_item(cast.agency_user, event, on=ON, patent=outside, pool=pool)
    # Without a pool the same patent comes straight from the library.
    plain = events.add_item(cast.agency_user, event, on=ON, patent=outside)
    assert (plain.source, plain.pool) == ("library", None)


def test_a_pool_the_organiser_may_not_see_is_refused(chains):
    from django.core.exceptions import PermissionDenied

    cast = make_cast()
    draft = make_pool(cast, open_on=None)  # not opened: visible to its agency only
    patent = farm_patent(cast.outsider)
    event = _event(cast.outsider_tto, cast.outsider)
    with pytest.raises(PermissionDenied, match="专利池"):
        events.add_item(cast.outsider_tto, event, on=ON, patent=patent, pool=draft)

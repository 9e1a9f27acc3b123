"""Every indicator exports as a workbook matching its computed rows, and a dashboard's query count
does not grow with the number of records (no query per patent, contract or organisation)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from patentbridge.analytics import rollups
from patentbridge.analytics.dashboards import build_dashboard
from patentbridge.analytics.indicators import compute
from patentbridge_engine.analytics import CATALOGUE, Scope
from web.analytics.world import AS_OF, World, at
from web.factories import make_org, make_patent
from web.matrix import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("indicator_id", [d.id for d in CATALOGUE])
def test_each_indicator_exports_its_rows(world: World, indicator_id: str):
    response = client_for(world.users["operator"]).get(f"/stats/export/{indicator_id}.xlsx?as_of=2024-06-30")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="stats-{indicator_id}-2024-06-30.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames[0] == indicator_id
    value = compute(Scope(as_of=AS_OF), [indicator_id])[0]
    sheet_rows = list(book[indicator_id].iter_rows(values_only=True))[1:]
    assert [r[0] for r in sheet_rows] == [r.label for r in value.rows]
    total = list(book["合计"].iter_rows(values_only=True))[1]
    assert total[0] == value.definition.name and total[3] == value.display


def _grow(world: World, n: int) -> None:
    """``n`` more organisations, each with a library patent and a signed licence."""
    from patentbridge.licensing.models import LicenceContract

    for i in range(n):
        uni = make_org(f"新增大学{i}", "university", region_code="370102")
        ent = make_org(f"新增企业{i}", "enterprise", region_code="371522")
        patent = make_patent(owner=uni)
        type(patent).objects.filter(pk=patent.pk).update(created_at=at(2024, 1, 2))
        contract = LicenceContract.objects.create(
            contract_no=f"G-{i}",
            licensor_org=uni,
            licensee_org=ent,
            created_by=world.users["operator"],
            kind="ordinary",
            origin="negotiated",
            start_date=dt.date(2024, 2, 1),
            end_date=dt.date(2026, 1, 1),
            signed_at=dt.date(2024, 2, 1),
            trial_end=dt.date(2024, 3, 1),
            state="active_paid",
        )
        contract.patents.set([patent])


@pytest.mark.parametrize("user", ["operator", "officer_lc", "tto_a"])
def test_dashboard_queries_do_not_grow_with_the_records(world: World, user: str):
    from patentbridge.analytics.scope import scope_for

    account = world.users[user]

    def count() -> int:
        scope = scope_for(account, as_of=AS_OF)
        # The rollup catches up first, as the background task does after writes: its own queries
        # (a full or an incremental pass) are not the dashboard's.
        rollups.refresh()
        with CaptureQueriesContext(connection) as queries:
            build_dashboard(account, scope)
        return len(queries)

    before = count()
    _grow(world, 4)
    assert count() == before
    assert before < 150

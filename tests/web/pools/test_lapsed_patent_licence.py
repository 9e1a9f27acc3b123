"""A pool's outbound licence when one pooled patent lapses: the licence runs on for the other
patents (the lapsed one leaves its scope on the lapse day) and the distribution statement counts
the lapsed patent only for its days in the pool before the lapse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from patentbridge.licensing.models import ContractPatent, LicenceContract, Receivable
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.licensing.services.sweep import run_sweep
from patentbridge.pools.services import distributions, licences
from web.pools.factories import Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
D = dt.date


def test_outbound_licence_survives_a_lapse_and_the_statement_stops_counting_it(
    cast: Cast, django_capture_on_commit_callbacks: object
) -> None:
    """A: 2 patents from 2026-01-05 (177 days to 06-30 each); B: 1 patent lapsing 2026-04-01, so
    in the pool 01-05…03-31 = 86 days. Weights 354 : 86 of ¥270,000 → A 217,227.2727…, B
    52,772.7272…; the spare fen goes to the larger remainder (B)."""
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    lapsing = pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b).patent
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 2, 1), on=D(2026, 2, 1)
    )
    contract = LicenceContract.objects.get(pk=licence.contract_id)
    record_right_event(
        cast.operator, lapsing, kind="lapse", start=D(2026, 4, 1), source="manual", source_ref="未缴年费-1"
    )
    actions = run_sweep(D(2026, 4, 10), recompute=False).actions
    assert [a["action"] for a in actions if a["action"].startswith("contract_")] == ["contract_patent_left"]
    contract.refresh_from_db()
    assert contract.state == "active_paid"
    scope = dict(ContractPatent.objects.filter(licencecontract=contract).values_list("patent_id", "ended_on"))
    assert scope[lapsing.pk] == D(2026, 4, 1)
    assert [v for k, v in scope.items() if k != lapsing.pk] == [None, None]

    receivable = Receivable.objects.get(contract=contract)
    record_payment(cast.agency_user, receivable, amount="300000.00", paid_on=D(2026, 5, 20))
    dist = distributions.compute_distribution(
        cast.agency_user, pool, start=D(2026, 1, 1), end=D(2026, 6, 30), on=D(2026, 7, 1)
    )
    days = {h["patent"]: h["days"] for h in dist.inputs["holdings"]}
    assert days[lapsing.application_number] == 86
    assert sorted(days.values()) == [86, 177, 177]
    lines = {line.org_id: line.amount for line in dist.lines.all()}
    assert lines == {cast.uni_a.pk: Decimal("217227.27"), cast.uni_b.pk: Decimal("52772.73")}
    # A later sweep leaves the running licence alone.
    later = run_sweep(D(2026, 7, 2), recompute=False).actions
    assert [a for a in later if a["action"].startswith("contract_")] == []

"""Service edges of the pool workflows: states that refuse an action, re-admission after removal,
cross-licences for a member joining later, outbound licences only of patents in the pool on the
day, distribution periods, grade-weighted statements from stored grades and the status history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import LicenceContract, Receivable, RightEvent
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import MemberApplication, PoolPatent
from patentbridge.pools.services import applications, distributions, ledger, licences, pools
from web.pools.factories import FOUNDED, Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
D = dt.date


def test_forming_pool_takes_applications_but_no_licences(cast: Cast) -> None:
    pool = make_pool(cast, open_on=None)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    with pytest.raises(ValidationError, match="不能对外许可"):
        licences.grant_outbound(
            cast.agency_user, pool, cast.enterprise, start=D(2026, 2, 1), on=D(2026, 2, 1)
        )
    assert LicenceContract.objects.count() == 0


def test_pool_without_tariff_cannot_open(cast: Cast) -> None:
    pool = make_pool(cast, open_on=None, tariff={})
    with pytest.raises(ValidationError, match="请先公布池外统一许可费"):
        pools.open_pool(cast.agency_user, pool, on=FOUNDED)
    pools.set_charter(cast.agency_user, pool, tariff=pools.lump_sum_tariff("1000"))
    assert pools.open_pool(cast.agency_user, pool, on=FOUNDED).state == "operating"
    with pytest.raises(ValidationError, match="不能开始运营"):
        pools.open_pool(cast.agency_user, pool, on=FOUNDED)


def test_only_agencies_create_pools(cast: Cast) -> None:
    with pytest.raises(PermissionDenied, match="服务机构"):
        pools.create_pool(cast.tto_a, name="x", chain=None, founded_on=FOUNDED)
    with pytest.raises(PermissionDenied):
        pools.create_pool(cast.enterprise_user, name="x", chain=None, founded_on=FOUNDED)
    with pytest.raises(ValidationError, match="服务机构"):
        pools.create_pool(cast.operator, name="x", chain=None, founded_on=FOUNDED, agency_org=cast.uni_a)
    pool = pools.create_pool(
        cast.operator, name="运营中心代建", chain=None, founded_on=FOUNDED, agency_org=cast.agency
    )
    assert pool.agency_org == cast.agency and pool.region_code == "370900"
    with pytest.raises(ValidationError, match="已有名为"):
        pools.create_pool(cast.agency_user, name="运营中心代建", chain=None, founded_on=FOUNDED)


def test_chain_defaults_fill_the_criteria(cast: Cast, chains: None) -> None:
    from patentbridge.patents.models import IndustryChain

    agri = IndustryChain.objects.get(code="AGRI")
    pool = pools.create_pool(cast.agency_user, name="农业链池", chain=agri, founded_on=FOUNDED)
    assert "A01C" in pool.ipc_prefixes and all("*" not in p for p in pool.ipc_prefixes)
    assert pool.keywords == list(agri.keywords)


def test_duplicate_and_repeated_applications_are_refused(cast: Cast) -> None:
    pool = make_pool(cast)
    patent = farm_patent(cast.uni_a)
    app = applications.submit_application(cast.tto_a, pool, patent, on=FOUNDED)
    with pytest.raises(ValidationError, match="待审核"):
        applications.submit_application(cast.tto_a, pool, patent, on=FOUNDED)
    applications.admit(cast.agency_user, app, on=FOUNDED)
    with pytest.raises(ValidationError, match="已在本池中"):
        applications.submit_application(cast.tto_a, pool, patent, on=FOUNDED)
    with pytest.raises(ValidationError, match="不能再审核"):
        applications.admit(cast.agency_user, app, on=FOUNDED)
    with pytest.raises(ValidationError, match="不能再审核"):
        applications.reject(cast.agency_user, app, on=FOUNDED, opinion="晚了")


def test_removed_patent_can_apply_again_and_history_continues(cast: Cast) -> None:
    pool = make_pool(cast)
    patent = farm_patent(cast.uni_a)
    pp = pool_patent(cast, pool, patent, tto=cast.tto_a)
    applications.withdraw_patent(cast.tto_a, pp, on=D(2026, 3, 1), reason="自行实施")
    again = pool_patent(cast, pool, patent, tto=cast.tto_a, on=D(2026, 5, 1))
    assert again.pk == pp.pk and again.status == "admitted" and again.withdrawn_on is None
    assert [(c.on_date, c.to_status) for c in again.changes.order_by("on_date", "pk")] == [
        (FOUNDED, "admitted"),
        (D(2026, 3, 1), "removed"),
        (D(2026, 5, 1), "admitted"),
    ]
    assert MemberApplication.objects.filter(pool=pool, patent=patent).count() == 2


def test_member_joining_later_gets_and_gives_cross_licences(cast: Cast) -> None:
    pool = make_pool(cast)
    pa = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    assert not RightEvent.objects.filter(source="pool").exists()  # one member: nobody to cross-license
    pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b, on=D(2026, 3, 1))
    pool_patent(cast, pool, farm_patent(cast.outsider), tto=cast.outsider_tto, on=D(2026, 4, 1))
    under_a = RightEvent.objects.filter(patent=pa.patent, source="pool").order_by("start_date")
    assert [(r.counterparty, r.start_date) for r in under_a] == [
        (cast.uni_b.name, D(2026, 3, 1)),
        (cast.outsider.name, D(2026, 4, 1)),
    ]
    assert RightEvent.objects.filter(source="pool").count() == 6  # 3 patents × 2 other members
    # A second sync writes nothing new.
    ledger.sync_cross_licences(cast.agency_user, pool)
    assert RightEvent.objects.filter(source="pool").count() == 6


def test_cross_licence_never_suspends_and_exclusive_licence_outside_does(cast: Cast) -> None:
    pool = make_pool(cast)
    pa = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b)
    assert ledger.refresh_patent(pa, D(2026, 6, 1)) == []
    record_right_event(
        cast.tto_a,
        pa.patent,
        kind="licence",
        sub_kind="sole",
        start=D(2026, 7, 1),
        counterparty="乙公司",
        source="manual",
        source_ref="排他-1",
    )
    changes = ledger.refresh_patent(pa, D(2026, 7, 1))
    assert [(c.on_date, c.to_status) for c in changes] == [(D(2026, 7, 1), "suspended")]
    assert "排他许可" in changes[0].reason


def test_outbound_licence_covers_only_patents_in_the_pool_that_day(cast: Cast) -> None:
    pool = make_pool(cast)
    pa = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pb = pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b)
    record_right_event(
        cast.tto_b, pb.patent, kind="preservation", start=D(2026, 2, 1), source="manual", source_ref="保全-1"
    )
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 3, 1), on=D(2026, 3, 1)
    )
    assert list(licence.contract.patents.values_list("pk", flat=True)) == [pa.patent_id]
    assert [p["name"] for p in licence.contract.licensors] == [cast.uni_a.name]
    pb.refresh_from_db()
    assert pb.status == "suspended"
    assert AuditEvent.objects.get(action="pools.licence.granted").data["patents"] == [
        pa.patent.application_number
    ]


def test_outbound_licence_refusals(cast: Cast) -> None:
    pool = make_pool(cast)
    with pytest.raises(ValidationError, match="没有在池专利"):
        licences.grant_outbound(
            cast.agency_user, pool, cast.enterprise, start=D(2026, 3, 1), on=D(2026, 3, 1)
        )
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    with pytest.raises(ValidationError, match="池内交叉许可"):
        licences.grant_outbound(cast.agency_user, pool, cast.uni_a, start=D(2026, 3, 1), on=D(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        licences.grant_outbound(cast.tto_a, pool, cast.enterprise, start=D(2026, 3, 1), on=D(2026, 3, 1))
    with pytest.raises(ValidationError, match="被许可企业"):
        licences.grant_outbound(cast.agency_user, pool, None, start=D(2026, 3, 1), on=D(2026, 3, 1))


def test_distribution_period_rules(cast: Cast) -> None:
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    agency = cast.agency_user
    with pytest.raises(ValidationError, match="早于开始日"):
        distributions.compute_distribution(
            agency, pool, start=D(2026, 6, 1), end=D(2026, 5, 1), on=D(2026, 7, 1)
        )
    with pytest.raises(ValidationError, match="已经结束"):
        distributions.compute_distribution(
            agency, pool, start=D(2026, 1, 1), end=D(2026, 8, 1), on=D(2026, 7, 1)
        )
    with pytest.raises(ValidationError, match="三年"):
        distributions.compute_distribution(
            agency, pool, start=D(2020, 1, 1), end=D(2026, 6, 1), on=D(2026, 7, 1)
        )
    with pytest.raises(PermissionDenied):
        distributions.compute_distribution(
            cast.tto_a, pool, start=D(2026, 1, 1), end=D(2026, 6, 1), on=D(2026, 7, 1)
        )


def test_grade_weighted_statement_counts_suspended_days_out(cast: Cast) -> None:
    """Grade weights A=3, C=1 (defaults). A: an A-grade patent in the pool 2026-01-05…03-31 (86
    days) but suspended 02-01…02-28 (28 days) → 58 days × 3 = 174. B: a C-grade patent all of
    01-05…03-31 → 86 × 1 = 86. ¥26,000 gross, no fee: A 26,000 × 174 / 260 = ¥17,400.00,
    B 26,000 × 86 / 260 = ¥8,600.00."""
    pool = make_pool(
        cast, sharing_rule="grade_weight", mgmt_fee_rate="0", tariff=pools.lump_sum_tariff("26000")
    )
    pa = pool_patent(cast, pool, farm_patent(cast.uni_a, "A"), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_b, "C"), tto=cast.tto_b)
    record_right_event(
        cast.tto_a,
        pa.patent,
        kind="suspension",
        start=D(2026, 2, 1),
        end=D(2026, 2, 28),
        source="manual",
        source_ref="中止-1",
    )
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 3, 1), on=D(2026, 3, 1)
    )
    record_payment(
        cast.agency_user,
        Receivable.objects.get(contract=licence.contract),
        amount="26000",
        paid_on=D(2026, 3, 5),
    )
    dist = distributions.compute_distribution(
        cast.agency_user, pool, start=D(2026, 1, 1), end=D(2026, 3, 31), on=D(2026, 4, 1)
    )
    lines = {line.org_id: line for line in dist.lines.all()}
    assert (lines[cast.uni_a.pk].weight, lines[cast.uni_b.pk].weight) == (Decimal(174), Decimal(86))
    assert (lines[cast.uni_a.pk].amount, lines[cast.uni_b.pk].amount) == (
        Decimal("17400.00"),
        Decimal("8600.00"),
    )
    assert dist.mgmt_fee == Decimal("0.00")
    assert {h["patent"]: h["days"] for h in dist.inputs["holdings"]} == {
        pa.patent.application_number: 58,
        PoolPatent.objects.exclude(pk=pa.pk).get(pool=pool).patent.application_number: 86,
    }


def test_payments_outside_the_period_or_on_other_contracts_do_not_count(cast: Cast) -> None:
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 3, 1), on=D(2026, 3, 1)
    )
    receivable = Receivable.objects.get(contract=licence.contract)
    record_payment(cast.agency_user, receivable, amount="100000", paid_on=D(2026, 3, 10))
    record_payment(cast.agency_user, receivable, amount="200000", paid_on=D(2026, 4, 10))
    assert distributions.income_for(pool, D(2026, 3, 1), D(2026, 3, 31)) == Decimal("100000.00")
    assert distributions.income_for(pool, D(2026, 1, 1), D(2026, 12, 31)) == Decimal("300000.00")
    other = make_pool(cast)
    assert distributions.income_for(other, D(2026, 1, 1), D(2026, 12, 31)) == Decimal("0.00")


def test_sweep_skips_dissolved_pools_and_removed_patents(cast: Cast) -> None:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    applications.withdraw_patent(cast.tto_a, pp, on=D(2026, 2, 1))
    assert ledger.sweep(D(2026, 3, 1))["checked"] == 0
    live = pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b)
    type(pool).objects.filter(pk=pool.pk).update(state="dissolved")
    assert ledger.sweep(D(2026, 3, 1))["checked"] == 0
    live.refresh_from_db()
    assert live.checked_on is None


def test_withdrawal_date_before_the_current_status_is_refused(cast: Cast) -> None:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a, on=D(2026, 3, 1))
    with pytest.raises(ValidationError, match="不能早于"):
        applications.withdraw_patent(cast.tto_a, pp, on=D(2026, 2, 1))


def test_agency_and_operator_may_withdraw_a_patent(cast: Cast) -> None:
    pool = make_pool(cast)
    first = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    second = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    applications.withdraw_patent(cast.agency_user, first, on=D(2026, 2, 1), reason="无效宣告风险")
    applications.withdraw_patent(cast.operator, second, on=D(2026, 2, 1))
    assert set(PoolPatent.objects.filter(pool=pool).values_list("status", flat=True)) == {"removed"}
    events: Any = AuditEvent.objects.filter(action="pools.patent.withdrawn").order_by("pk")
    assert [e.data["reason"] for e in events] == ["无效宣告风险", "成员撤回"]

"""A pool's life through the services on frozen dates: admission with its check, the cross-licences
in the ledger, suspension and restoration from ledger burdens, removal on lapse and withdrawal, the
outbound licence through the licensing contract services, and a distribution statement computed
from the payments received against a hand-worked example."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import LicenceContract, Receivable, RightEvent
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import PoolDistribution, PoolPatentStatusChange
from patentbridge.pools.services import applications, distributions, ledger, licences
from web.pools.factories import FOUNDED, Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
D = dt.date


def history(pp: Any) -> list[tuple[dt.date, str]]:
    return [
        (c.on_date, c.to_status)
        for c in PoolPatentStatusChange.objects.filter(pool_patent=pp).order_by("on_date", "pk")
    ]


def test_admission_writes_member_catalogue_history_and_cross_licences(cast: Cast) -> None:
    pool = make_pool(cast)
    pa = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pb = pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b, on=D(2026, 2, 1))
    assert pa.status == "admitted" and pa.admitted_on == FOUNDED
    assert history(pa) == [(FOUNDED, "admitted")]
    assert sorted(pool.members.values_list("org__name", flat=True)) == sorted(
        [cast.uni_a.name, cast.uni_b.name]
    )
    # B's patent is licensed royalty-free to A from B's admission, A's to B from B's joining.
    rows = RightEvent.objects.filter(source="pool").order_by("patent_id")
    assert {(r.patent_id, r.counterparty, r.sub_kind, r.start_date) for r in rows} == {
        (pa.patent_id, cast.uni_b.name, "ordinary", D(2026, 2, 1)),
        (pb.patent_id, cast.uni_a.name, "ordinary", D(2026, 2, 1)),
    }
    assert AuditEvent.objects.filter(action="pools.application.admitted").count() == 2
    assert AuditEvent.objects.filter(action="pools.member.joined").count() == 2


def test_blocked_patent_cannot_be_admitted_and_reasons_are_kept(cast: Cast) -> None:
    pool = make_pool(cast, min_grade="B")
    low = farm_patent(cast.uni_a, "C")
    app = applications.submit_application(cast.tto_a, pool, low, on=FOUNDED)
    assert app.auto_check["blocks"] == ["价值分级为 C 一般，低于本池要求的 B 重要"]
    with pytest.raises(ValidationError, match="不能入池"):
        applications.admit(cast.agency_user, app, on=FOUNDED)
    rejected = applications.reject(cast.agency_user, app, on=FOUNDED, opinion="分级不足")
    assert rejected.state == "rejected" and rejected.review_opinion == "分级不足"


def test_coowned_patent_needs_consent(cast: Cast) -> None:
    pool = make_pool(cast)
    shared = farm_patent(cast.uni_a, patentees=[cast.uni_a.name, "某农机研究院"])
    app = applications.submit_application(cast.tto_a, pool, shared, on=FOUNDED)
    assert any("全体共有人书面同意" in b for b in app.auto_check["blocks"])
    applications.withdraw_application(cast.tto_a, app, on=FOUNDED)
    ok = applications.submit_application(cast.tto_a, pool, shared, on=FOUNDED, coowner_consent=True)
    assert ok.auto_check["blocks"] == []


def test_open_licensed_patent_enters_non_exclusively(cast: Cast) -> None:
    pool = make_pool(cast)
    patent = farm_patent(cast.uni_a)
    record_right_event(
        cast.tto_a,
        patent,
        kind="open_licence",
        start=D(2025, 10, 1),
        source="manual",
        source_ref="开放许可-测试",
    )
    pp = pool_patent(cast, pool, patent, tto=cast.tto_a)
    assert pp.non_exclusive_only


def test_ledger_burden_suspends_and_restores_then_lapse_removes(cast: Cast) -> None:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b)
    record_right_event(
        cast.tto_a,
        pp.patent,
        kind="licence",
        sub_kind="exclusive",
        start=D(2026, 3, 1),
        end=D(2026, 4, 30),
        counterparty="池外某公司",
        source="manual",
        source_ref="独占-1",
    )
    assert [c.to_status for c in ledger.refresh_patent(pp, D(2026, 3, 15))] == ["suspended"]
    pp.refresh_from_db()
    assert pp.status == "suspended" and "池外某公司" in pp.status_reason
    assert ledger.refresh_patent(pp, D(2026, 3, 20)) == []  # nothing new: no duplicate change
    counts = ledger.sweep(D(2026, 6, 1))
    assert counts == {"checked": 2, "suspended": 0, "removed": 0, "admitted": 1}
    record_right_event(
        cast.tto_a, pp.patent, kind="lapse", start=D(2026, 9, 1), source="manual", source_ref="终止-1"
    )
    ledger.sweep(D(2026, 9, 30))
    pp.refresh_from_db()
    assert history(pp) == [
        (FOUNDED, "admitted"),
        (D(2026, 3, 1), "suspended"),
        (D(2026, 5, 1), "admitted"),
        (D(2026, 9, 1), "removed"),
    ]
    # The cross-licence under the removed patent ended the day before removal.
    row = RightEvent.objects.get(patent=pp.patent, source="pool")
    assert row.end_date == D(2026, 8, 31)
    # Removal is final: a later sweep changes nothing.
    assert ledger.refresh_patent(pp, D(2027, 1, 1)) == []
    assert AuditEvent.objects.filter(action="pools.patent.status_changed").count() == 2 + 3


def test_withdrawal_removes_and_refuses_twice(cast: Cast) -> None:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    applications.withdraw_patent(cast.tto_a, pp, on=D(2026, 7, 1), reason="自行实施")
    pp.refresh_from_db()
    assert pp.status == "removed" and pp.withdrawn_on == D(2026, 7, 1)
    assert history(pp)[-1] == (D(2026, 7, 1), "removed")
    with pytest.raises(ValidationError):
        applications.withdraw_patent(cast.tto_a, pp, on=D(2026, 7, 2))


def test_outbound_licence_and_distribution_worked_example(cast: Cast) -> None:
    """Tariff ¥300,000 lump sum, fee 10 %, by patent count. A: 2 patents in the pool for all of
    2026-01-05…06-30 (177 days each); B: 1 patent admitted 2026-04-01 (91 days). Weights 354 : 91
    of ¥270,000: A 270,000 × 354 / 445 = 214,786.5168… and B 270,000 × 91 / 445 = 55,213.4831…;
    floors 214,786.51 + 55,213.48 leave one fen, which goes to the larger remainder (A)."""
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b, on=D(2026, 4, 1))
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 5, 1), on=D(2026, 5, 1)
    )
    contract = LicenceContract.objects.get(pk=licence.contract_id)
    assert contract.state == "active_paid" and contract.kind == "ordinary"
    assert contract.licensor_org == cast.agency and contract.licensee_org == cast.enterprise
    assert contract.patents.count() == 3
    assert {p["name"] for p in contract.licensors} == {cast.uni_a.name, cast.uni_b.name}
    assert contract.end_date == D(2029, 4, 30)
    receivable = Receivable.objects.get(contract=contract)
    record_payment(cast.agency_user, receivable, amount="300000.00", paid_on=D(2026, 5, 20))
    dist = distributions.compute_distribution(
        cast.agency_user, pool, start=D(2026, 1, 1), end=D(2026, 6, 30), on=D(2026, 7, 1)
    )
    assert (dist.gross, dist.mgmt_fee, dist.distributable) == (
        Decimal("300000.00"),
        Decimal("30000.00"),
        Decimal("270000.00"),
    )
    lines = {line.org_id: line for line in dist.lines.all()}
    assert lines[cast.uni_a.pk].amount == Decimal("214786.52")
    assert lines[cast.uni_b.pk].amount == Decimal("55213.48")
    assert (lines[cast.uni_a.pk].patents, lines[cast.uni_b.pk].patents) == (2, 1)
    assert lines[cast.uni_a.pk].weight == Decimal(354)
    assert [h["days"] for h in dist.inputs["holdings"]] == [177, 177, 91]
    with pytest.raises(ValidationError, match="已经生成"):
        distributions.compute_distribution(
            cast.agency_user, pool, start=D(2026, 1, 1), end=D(2026, 6, 30), on=D(2026, 7, 1)
        )
    assert PoolDistribution.objects.count() == 1
    assert AuditEvent.objects.filter(action="pools.distribution.computed").count() == 1


def test_no_income_no_distribution(cast: Cast) -> None:
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    with pytest.raises(ValidationError, match="没有收到许可费"):
        distributions.compute_distribution(
            cast.agency_user, pool, start=D(2026, 1, 1), end=D(2026, 6, 30), on=D(2026, 7, 1)
        )

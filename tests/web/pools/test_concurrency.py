"""Two people acting on one pool at the same moment (PostgreSQL; SQLite serialises writers): two
reviewers admitting one application, two TTO sessions applying with one patent, two statements for
one period — the pool row lock lets exactly one through and the other gets a Chinese refusal."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import MemberApplication, PoolDistribution, PoolPatent, PoolPatentStatusChange
from patentbridge.pools.services import applications, distributions, licences
from web.factories import make_member
from web.licensing.test_contract_concurrency import run_together
from web.pools.factories import FOUNDED, farm_patent, make_cast, make_pool, pool_patent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = dt.date


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发测试需要 PostgreSQL（SQLite 由数据库串行写入）")


def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the gap between reading and writing: without the lock both calls would pass."""
    real = applications.admission_check

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        time.sleep(0.4)
        return result

    monkeypatch.setattr(applications, "admission_check", slow_check)


def refusals(results: list[Any]) -> list[str]:
    return ["；".join(r.messages) for r in results if isinstance(r, ValidationError)]


def test_two_reviewers_admit_one_application_once(monkeypatch: pytest.MonkeyPatch) -> None:
    cast = make_cast()
    second_reviewer = make_member(cast.agency, "tto")
    pool = make_pool(cast)
    app = applications.submit_application(cast.tto_a, pool, farm_patent(cast.uni_a), on=FOUNDED)
    slow(monkeypatch)
    results = run_together(
        [
            lambda: applications.admit(cast.agency_user, app, on=FOUNDED),
            lambda: applications.admit(second_reviewer, app, on=FOUNDED),
        ]
    )
    assert sum(isinstance(r, PoolPatent) for r in results) == 1
    assert any("不能再审核" in m for m in refusals(results))
    assert PoolPatent.objects.filter(pool=pool).count() == 1
    assert PoolPatentStatusChange.objects.filter(pool_patent__pool=pool).count() == 1


def test_one_patent_applied_twice_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    cast = make_cast()
    pool = make_pool(cast)
    patent = farm_patent(cast.uni_a)
    slow(monkeypatch)
    results = run_together(
        [lambda: applications.submit_application(cast.tto_a, pool, patent, on=FOUNDED) for _ in range(2)]
    )
    assert sum(isinstance(r, MemberApplication) for r in results) == 1
    assert any("待审核" in m for m in refusals(results))


def test_one_period_distributed_twice_at_once() -> None:
    cast = make_cast()
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 2, 1), on=D(2026, 2, 1)
    )
    record_payment(
        cast.agency_user,
        Receivable.objects.get(contract=licence.contract),
        amount="1000",
        paid_on=D(2026, 2, 2),
    )
    results = run_together(
        [
            lambda: distributions.compute_distribution(
                cast.agency_user, pool, start=D(2026, 1, 1), end=D(2026, 3, 31), on=D(2026, 4, 1)
            )
            for _ in range(2)
        ]
    )
    assert sum(isinstance(r, PoolDistribution) for r in results) == 1
    assert any("已经生成" in m for m in refusals(results))
    assert PoolDistribution.objects.filter(pool=pool).count() == 1

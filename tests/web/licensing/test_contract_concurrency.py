"""Two exclusive contracts on one patent can never both be signed, even at the same moment
(PostgreSQL: ``sign`` locks the patents in primary-key order, then re-reads the ledger), and two
drafts created at once never share a number. SQLite serialises writers at ``BEGIN IMMEDIATE``
(core/dblock.py), so these tests run on PostgreSQL only (``make test-postgres``)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, RightEvent
from patentbridge.licensing.services import contract_checks, contracts
from web.licensing.factories import make_contract, make_granted_patent, make_parties

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

START = dt.date(2026, 1, 15)
END = dt.date(2028, 12, 31)


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发签订测试需要 PostgreSQL（SQLite 由数据库串行写入）")


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at the same moment, each on its own thread and database connection;
    return each call's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return results


def test_two_exclusive_contracts_signed_at_once_one_wins_the_other_gets_l3(monkeypatch):
    parties = make_parties()
    patent = make_granted_patent(parties.university)
    first = make_contract(parties, [patent], kind="exclusive", stage="approved", start=START, end=END)
    second = make_contract(
        parties,
        [patent],
        kind="exclusive",
        stage="approved",
        start=START,
        end=END,
        licensee_org=parties.other_enterprise,
    )
    real_check = contract_checks.check_contract

    def slow_check(contract: LicenceContract, **kw: Any) -> Any:
        # Widen the gap between reading the ledger and writing the licence: without the patent
        # lock both signings would read an empty ledger here and both would pass.
        verdict = real_check(contract, **kw)
        time.sleep(0.5)
        return verdict

    monkeypatch.setattr(contracts, "check_contract", slow_check)
    results = run_together(
        [
            lambda: contracts.sign(parties.tto, LicenceContract.objects.get(pk=first.pk), on=START),
            lambda: contracts.sign(parties.tto, LicenceContract.objects.get(pk=second.pk), on=START),
        ]
    )
    refused = [r for r in results if isinstance(r, LicensingRefused)]
    signed = [r for r in results if isinstance(r, LicenceContract)]
    assert len(signed) == 1 and len(refused) == 1, results
    assert refused[0].code == "L3" and signed[0].contract_no in refused[0].reason
    states = sorted(
        LicenceContract.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True)
    )
    assert states == ["active_paid", "approved"]
    rows = RightEvent.objects.filter(patent=patent, kind="licence")
    assert list(rows.values_list("source_ref", flat=True)) == [signed[0].contract_no]


def test_contracts_created_at_once_get_distinct_consecutive_numbers():
    parties = make_parties()
    patent = make_granted_patent(parties.university)

    def create() -> str:
        return make_contract(parties, [patent], start=START, end=END).contract_no

    numbers = run_together([create] * 4)
    assert all(isinstance(n, str) for n in numbers), numbers
    assert sorted(numbers) == [f"XK-2026-{i:06d}" for i in range(1, 5)]

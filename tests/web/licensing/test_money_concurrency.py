"""Two people recording the same receivable's last payment at the same moment: exactly one
succeeds and the other is refused as an overpayment (PostgreSQL: the receivable row is locked;
SQLite serialises writers, so this runs with ``make test-postgres``)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import Payment, Receivable
from patentbridge.licensing.services.money_payments import record_payment
from web.licensing.factories import fee_lump_sum, make_contract, make_granted_patent, make_parties

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("并发收款测试需要 PostgreSQL（SQLite 由数据库串行写入）")


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
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


def test_the_same_last_payment_twice_at_once_is_collected_once():
    parties = make_parties()
    contract = make_contract(
        parties,
        [make_granted_patent(parties.university)],
        fee_schedule=fee_lump_sum("1000.00"),
        stage="signed",
    )
    pk = contract.receivables.get().pk
    paid_on = contract.signed_at or dt.date(2026, 1, 1)
    results = run_together(
        [
            lambda: record_payment(
                parties.tto, Receivable.objects.get(pk=pk), amount="1000.00", paid_on=paid_on
            ),
            lambda: record_payment(
                parties.operator, Receivable.objects.get(pk=pk), amount="1000.00", paid_on=paid_on
            ),
        ]
    )
    done = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, LicensingRefused)]
    assert len(done) == 1 and len(refused) == 1, results
    assert refused[0].code in ("PAYMENT_SETTLED", "PAYMENT_OVER")
    row = Receivable.objects.get(pk=pk)
    assert row.amount_paid == Decimal("1000.00") and row.state == "paid"
    assert Payment.objects.filter(receivable_id=pk).count() == 1

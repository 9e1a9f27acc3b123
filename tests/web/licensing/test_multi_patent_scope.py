"""A licence over several patents when one of them ends (sweep_contracts, contract_lifecycle).

Invariants protected:
- a single-patent contract still ends on its patent's lapse (ENDED_BY_PATENT, scope row dated);
- a multi-patent contract does not end when one patent lapses: that patent leaves the scope on
  the lapse day (scope row, its licence row in the rights ledger, timeline + audit, a notice to
  both parties) and the licence runs on for the rest; the contract ends with its last patent;
- a sweep that catches up takes each patent's end on its own day, in order;
- reruns for the same or a later day take no further action and send no further notice;
- a trial whose patent left the scope converts for the remaining patents and the conversion does
  not stretch the lapsed patent's licence row again;
- the contract page marks the patent 已失效 with the day it left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from patentbridge.core.models import AuditEvent, Notification
from patentbridge.licensing.models import ContractPatent, ContractStep, RightEvent
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.contract_lifecycle import live_patents, patent_leaves
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.sweep import run_sweep
from web.conftest import PASSWORD
from web.licensing.factories import make_contract, make_granted_patent

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 15)


def _sweep(day: str, capture: Any) -> list[dict[str, Any]]:
    with capture(execute=True):
        return run_sweep(dt.date.fromisoformat(day), recompute=False).actions


def _of(actions: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [a for a in actions if a["action"] == kind]


def _lapse(parties: Any, patent: Any, day: dt.date, capture: Any) -> None:
    """An annual-fee lapse of ``patent`` recorded in the rights ledger from ``day``."""
    with capture(execute=True):
        record_right_event(
            parties.operator,
            patent,
            kind="lapse",
            start=day,
            source="manual",
            source_ref=f"lapse-{patent.pk}",
        )


def _licence_end(contract: Any, patent: Any) -> dt.date | None:
    row = RightEvent.objects.get(
        source="contract", source_ref=contract.contract_no, patent=patent, kind="licence"
    )
    return row.end_date


@pytest.fixture
def three(parties: Any) -> list[Any]:
    return [make_granted_patent(parties.university) for _ in range(3)]


@pytest.fixture
def paid(parties: Any, three: list[Any], django_capture_on_commit_callbacks: Any) -> Any:
    """A signed paid ordinary licence of three patents, 2026-01-15 → 2028-12-31 (ACTIVE_PAID)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_contract(parties, three, start=START, stage="signed")


def test_single_patent_contract_still_ends_and_its_row_is_dated(
    parties: Any, patent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        c = make_contract(parties, [patent], start=START, stage="signed")
    _lapse(parties, patent, dt.date(2026, 5, 1), cap)
    actions = _sweep("2026-05-10", cap)
    assert _of(actions, "contract_patent_left") == []
    assert [a["on"] for a in _of(actions, "contract_ended_by_patent")] == ["2026-05-01"]
    c.refresh_from_db()
    assert c.state == "ended_by_patent"
    row = ContractPatent.objects.get(licencecontract=c, patent=patent)
    assert row.ended_on == dt.date(2026, 5, 1)
    assert row.end_reason == "专利权因未缴年费终止"  # the row names its patent and day itself


def test_one_lapsed_patent_leaves_the_scope_and_the_contract_runs_on(
    paid: Any, parties: Any, three: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    cap = django_capture_on_commit_callbacks
    a, b, c = three
    _lapse(parties, a, dt.date(2026, 5, 1), cap)
    actions = _sweep("2026-05-10", cap)
    assert _of(actions, "contract_ended_by_patent") == []
    left = _of(actions, "contract_patent_left")
    assert [(x["contract"], x["patent"], x["on"], x["remaining"]) for x in left] == [
        (paid.contract_no, a.application_number, "2026-05-01", 2)
    ]
    paid.refresh_from_db()
    assert paid.state == "active_paid" and paid.end_reason == ""
    assert [p.pk for p in live_patents(paid)] == sorted([b.pk, c.pk])
    scope = ContractPatent.objects.get(licencecontract=paid, patent=a)
    assert scope.ended_on == dt.date(2026, 5, 1) and "未缴年费" in scope.end_reason
    # The rights ledger: the lapsed patent's licence ends on the lapse day, the others run on.
    assert _licence_end(paid, a) == dt.date(2026, 5, 1)
    assert _licence_end(paid, b) == paid.end_date
    assert _licence_end(paid, c) == paid.end_date
    step = ContractStep.objects.get(contract=paid, event="patent_left")
    assert step.on_date == dt.date(2026, 5, 1) and "其余 2 件" in step.note
    event = AuditEvent.objects.get(action="licensing.contract.patent_left")
    assert event.data["patent"] == a.application_number
    notices = Notification.objects.filter(message__contains="退出许可范围")
    assert sorted(n.org_id for n in notices) == sorted([parties.university.pk, parties.enterprise.pk])


def test_the_contract_ends_with_its_last_patent(
    paid: Any, parties: Any, three: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    cap = django_capture_on_commit_callbacks
    a, b, c = three
    _lapse(parties, a, dt.date(2026, 5, 1), cap)
    _sweep("2026-05-10", cap)
    _lapse(parties, b, dt.date(2026, 8, 1), cap)
    assert [x["patent"] for x in _of(_sweep("2026-08-02", cap), "contract_patent_left")] == [
        b.application_number
    ]
    paid.refresh_from_db()
    assert paid.state == "active_paid"
    _lapse(parties, c, dt.date(2026, 9, 1), cap)
    actions = _sweep("2026-09-03", cap)
    assert _of(actions, "contract_patent_left") == []
    assert [(x["contract"], x["on"]) for x in _of(actions, "contract_ended_by_patent")] == [
        (paid.contract_no, "2026-09-01")
    ]
    paid.refresh_from_db()
    assert paid.state == "ended_by_patent" and c.application_number in paid.end_reason
    ends = dict(ContractPatent.objects.filter(licencecontract=paid).values_list("patent_id", "ended_on"))
    assert ends == {a.pk: dt.date(2026, 5, 1), b.pk: dt.date(2026, 8, 1), c.pk: dt.date(2026, 9, 1)}
    assert _licence_end(paid, c) == dt.date(2026, 9, 1)


def test_catch_up_takes_each_end_on_its_day_in_order(
    paid: Any, parties: Any, three: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """One run months late: A leaves on 05-01, B on 06-01, and C (same day as B) ends the contract."""
    cap = django_capture_on_commit_callbacks
    a, b, c = three
    _lapse(parties, a, dt.date(2026, 5, 1), cap)
    _lapse(parties, b, dt.date(2026, 6, 1), cap)
    _lapse(parties, c, dt.date(2026, 6, 1), cap)
    actions = _sweep("2026-07-01", cap)
    assert [(x["patent"], x["on"]) for x in _of(actions, "contract_patent_left")] == [
        (a.application_number, "2026-05-01"),
        (b.application_number, "2026-06-01"),
    ]
    assert [x["on"] for x in _of(actions, "contract_ended_by_patent")] == ["2026-06-01"]
    paid.refresh_from_db()
    assert paid.state == "ended_by_patent"


def test_reruns_take_no_further_action(
    paid: Any, parties: Any, three: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    cap = django_capture_on_commit_callbacks
    _lapse(parties, three[0], dt.date(2026, 5, 1), cap)
    assert len(_of(_sweep("2026-05-10", cap), "contract_patent_left")) == 1
    notices = Notification.objects.count()
    steps = ContractStep.objects.filter(contract=paid).count()
    for day in ("2026-05-10", "2026-05-11", "2026-06-30"):
        actions = _sweep(day, cap)
        assert _of(actions, "contract_patent_left") == [] and _of(actions, "contract_ended_by_patent") == []
    assert Notification.objects.count() == notices
    assert ContractStep.objects.filter(contract=paid).count() == steps
    # The service itself is idempotent too, and refuses to drop the last patent.
    assert patent_leaves(paid, three[0], on=dt.date(2026, 5, 1), reason="x") is False


def test_the_last_patent_cannot_merely_leave(
    parties: Any, patent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from patentbridge.licensing.errors import LicensingRefused

    with django_capture_on_commit_callbacks(execute=True):
        c = make_contract(parties, [patent], start=START, stage="signed")
    with pytest.raises(LicensingRefused):
        patent_leaves(c, patent, on=dt.date(2026, 5, 1), reason="专利权终止")
    assert ContractPatent.objects.get(licencecontract=c).ended_on is None


def test_trial_converts_for_the_remaining_patents(
    parties: Any, three: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """A 6-month trial whose first patent lapsed in May converts in July for the other two; the
    lapsed patent's licence row keeps its lapse day (not stretched to the contract's end)."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        trial = make_contract(parties, three, start=START, trial_months=6, stage="signed")
    _lapse(parties, three[0], dt.date(2026, 5, 1), cap)
    _sweep("2026-05-10", cap)
    _sweep("2026-07-15", cap)
    trial.refresh_from_db()
    assert trial.state == "conversion_due"
    with cap(execute=True):
        contracts.convert(parties.enterprise_user, trial, on=dt.date(2026, 7, 16))
    trial.refresh_from_db()
    assert trial.state == "active_paid"
    assert _licence_end(trial, three[0]) == dt.date(2026, 5, 1)
    assert _licence_end(trial, three[1]) == trial.end_date


def test_contract_page_marks_the_lapsed_patent(
    paid: Any, parties: Any, three: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    cap = django_capture_on_commit_callbacks
    _lapse(parties, three[0], dt.date(2026, 5, 1), cap)
    _sweep("2026-05-10", cap)
    client = Client()
    assert client.login(username=parties.enterprise_user.username, password=PASSWORD)
    with time_machine.travel(dt.datetime(2026, 5, 11, 10, 0, tzinfo=dt.UTC), tick=False):
        html = client.get(reverse("licensing:contract", args=[paid.pk])).content.decode()
    assert html.count('data-testid="patent-ended"') == 1
    marked = html.split('data-testid="patent-ended"')[0].rsplit('data-testid="contract-patent"', 1)[1]
    assert three[0].application_number in marked
    assert "2026-05-01 起退出许可范围：专利权因未缴年费终止" in html
    # The timeline names the step (not 其他操作).
    assert "专利失效退出许可范围" in html and "其他操作" not in html
    for other in three[1:]:
        assert other.application_number in html

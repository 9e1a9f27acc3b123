"""The daily sweep (services/sweep.py, ``patentbridge sweep``) and serve's scheduler for it.

Invariants protected:
- every kind of calendar action happens on its day through the owning service, with its timeline
  entry / audit event and notices to both parties: trial reminders 30 and 7 days ahead, the trial's
  end (CONVERSION_DUE), no answer after the grace (TRIAL_ENDED "no_answer"), expiry, the end by a
  lapsed patent, filing reminders and the overdue flag (after the next working day), overdue
  receivables, open-licence withdrawals and declarations of lapsed patents, the ledger caught up
  with imported cells, grading and the public list;
- a run that catches up months takes each contract's steps on their own dates, in order;
- a second run for the same date takes no action (and sends no notice); one summary audit event
  per run;
- the command prints one JSON object per action with ``--json``;
- the scheduler runs at start when today has no run, then daily at the hour, never twice a day
  and never while another process holds the data directory's sweep lock.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from patentbridge.core.models import AuditEvent, Notification
from patentbridge.licensing.models import ContractStep, LicenceContract, LicenceFiling, RightEvent
from patentbridge.licensing.services import contracts, open_licence
from patentbridge.licensing.services.contract_lifecycle import decline_reason_of
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.sweep import SUMMARY_ACTION, last_daily_run, run_sweep
from patentbridge.site import scheduler
from web.licensing.factories import make_contract, make_declaration, make_granted_patent

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 15)  # a 6-month trial from here ends 2026-07-15 (§13 vector)
TRIAL_END = dt.date(2026, 7, 15)


def _sweep(day: str | dt.date, capture: Any) -> list[dict[str, Any]]:
    with capture(execute=True):
        return run_sweep(dt.date.fromisoformat(day) if isinstance(day, str) else day, recompute=False).actions


def _of(actions: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [a for a in actions if a["action"] == kind]


@pytest.fixture
def trial(parties, patent, django_capture_on_commit_callbacks):
    """A signed 6-month free trial from 2026-01-15 (ACTIVE_TRIAL, filing due 2026-04-15)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_contract(parties, [patent], start=START, trial_months=6, stage="signed")


def test_trial_reminders_30_and_7_days_before_once_each(trial, parties, django_capture_on_commit_callbacks):
    """2026-06-15 and 2026-07-08 (§13 vector) each send one reminder; runs in between send none."""
    cap = django_capture_on_commit_callbacks
    assert _of(_sweep("2026-06-14", cap), "trial_reminder") == []
    first = _of(_sweep("2026-06-15", cap), "trial_reminder")
    assert first == [
        {
            "action": "trial_reminder",
            "contract": trial.contract_no,
            "days_left": 30,
            "trial_end": "2026-07-15",
        }
    ]
    assert _of(_sweep("2026-06-15", cap), "trial_reminder") == []
    assert _of(_sweep("2026-06-20", cap), "trial_reminder") == []
    second = _of(_sweep("2026-07-08", cap), "trial_reminder")
    assert [a["days_left"] for a in second] == [7]
    assert _of(_sweep("2026-07-10", cap), "trial_reminder") == []
    steps = ContractStep.objects.filter(contract=trial, event="trial_reminder").order_by("on_date")
    assert [s.on_date for s in steps] == [dt.date(2026, 6, 15), dt.date(2026, 7, 8)]
    notices = Notification.objects.filter(message__contains="免费试用期将于 2026-07-15 结束")
    assert sorted(n.org_id for n in notices) == sorted([parties.university.pk, parties.enterprise.pk] * 2)
    assert AuditEvent.objects.filter(action="licensing.contract.trial_reminder").count() == 2


def test_late_first_run_sends_only_the_most_imminent_reminder(trial, django_capture_on_commit_callbacks):
    """A sweep first run 5 days before the end sends the 7-day reminder, never the stale 30-day one."""
    cap = django_capture_on_commit_callbacks
    assert [a["days_left"] for a in _of(_sweep("2026-07-10", cap), "trial_reminder")] == [5]
    assert _of(_sweep("2026-07-11", cap), "trial_reminder") == []


def test_trial_end_makes_the_conversion_due(trial, parties, django_capture_on_commit_callbacks):
    """On the trial's last day the contract becomes CONVERSION_DUE (dated that day) and both parties
    hear by when to answer; a second run changes nothing."""
    cap = django_capture_on_commit_callbacks
    assert _of(_sweep("2026-07-14", cap), "trial_ended") == []
    actions = _of(_sweep("2026-07-15", cap), "trial_ended")
    assert actions == [
        {
            "action": "trial_ended",
            "contract": trial.contract_no,
            "on": "2026-07-15",
            "answer_by": "2026-08-14",
        }
    ]
    trial.refresh_from_db()
    assert trial.state == "conversion_due"
    step = ContractStep.objects.get(contract=trial, to_state="conversion_due")
    assert step.on_date == TRIAL_END and step.actor is None
    assert Notification.objects.filter(org=parties.enterprise, message__contains="2026-08-14 前确认").exists()
    assert _of(_sweep("2026-07-15", cap), "trial_ended") == []


def test_no_answer_after_the_grace_ends_the_trial(trial, django_capture_on_commit_callbacks):
    """30 days' grace (policy CONVERSION_GRACE_DAYS): still due on 2026-08-14, declined "no_answer"
    on 2026-08-15; the licence row ends on the trial's end."""
    cap = django_capture_on_commit_callbacks
    _sweep("2026-07-15", cap)
    assert _of(_sweep("2026-08-14", cap), "conversion_no_answer") == []
    actions = _of(_sweep("2026-08-15", cap), "conversion_no_answer")
    assert actions == [
        {
            "action": "conversion_no_answer",
            "contract": trial.contract_no,
            "on": "2026-08-15",
            "answer_by": "2026-08-14",
        }
    ]
    trial.refresh_from_db()
    assert trial.state == "trial_ended" and trial.end_reason.startswith("逾期未答复")
    assert decline_reason_of(trial) == "no_answer"
    licence = RightEvent.objects.get(source="contract", source_ref=trial.contract_no)
    assert licence.end_date == TRIAL_END
    assert _sweep("2026-08-15", cap) == []


def test_an_answer_within_the_grace_is_kept(trial, parties, django_capture_on_commit_callbacks):
    """A licensee that converts inside the grace is not declined by a later sweep."""
    cap = django_capture_on_commit_callbacks
    _sweep("2026-07-15", cap)
    with cap(execute=True):
        contracts.convert(parties.enterprise_user, trial, on=dt.date(2026, 8, 1))
    assert _of(_sweep("2026-09-01", cap), "conversion_no_answer") == []
    trial.refresh_from_db()
    assert trial.state == "active_paid"


def test_catch_up_takes_each_step_on_its_own_day_in_order(trial, django_capture_on_commit_callbacks):
    """A first run months late leaves the history daily runs would have left."""
    actions = _sweep("2026-09-30", django_capture_on_commit_callbacks)
    steps = [
        (a["action"], a["on"]) for a in actions if a["action"] in ("trial_ended", "conversion_no_answer")
    ]
    assert steps == [("trial_ended", "2026-07-15"), ("conversion_no_answer", "2026-08-15")]
    log = ContractStep.objects.filter(contract=trial, on_date__gte=TRIAL_END).order_by("pk")
    assert [(s.to_state, s.on_date) for s in log] == [
        ("conversion_due", dt.date(2026, 7, 15)),
        ("trial_ended", dt.date(2026, 8, 15)),
    ]
    assert _of(actions, "trial_reminder") == []  # the trial is over: no stale reminder


def test_expiry_after_the_last_day(parties, patent, django_capture_on_commit_callbacks):
    """A paid licence to 2026-12-31 is still running that day and EXPIRED on 2027-01-01."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        paid = make_contract(
            parties, [patent], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), stage="signed"
        )
    assert _of(_sweep("2026-12-31", cap), "contract_expired") == []
    assert _of(_sweep("2027-01-01", cap), "contract_expired") == [
        {"action": "contract_expired", "contract": paid.contract_no, "on": "2027-01-01"}
    ]
    paid.refresh_from_db()
    assert paid.state == "expired" and paid.end_reason == "许可期限届满"
    assert Notification.objects.filter(
        org=parties.enterprise, message__contains="许可期限已于 2026-12-31 届满"
    ).exists()
    assert _of(_sweep("2027-01-01", cap), "contract_expired") == []


def test_lapse_in_the_ledger_ends_the_licence_on_the_lapse_day(
    trial, parties, patent, django_capture_on_commit_callbacks
):
    """An annual-fee lapse recorded on 2026-05-01 ends the trial contract that day (专利法 Art. 47)."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        record_right_event(
            parties.operator,
            patent,
            kind="lapse",
            start=dt.date(2026, 5, 1),
            source="manual",
            source_ref="lapse-1",
        )
    actions = _sweep("2026-05-10", cap)
    ended = _of(actions, "contract_ended_by_patent")
    assert [(a["contract"], a["on"]) for a in ended] == [(trial.contract_no, "2026-05-01")]
    assert patent.application_number in ended[0]["reason"] and "未缴年费" in ended[0]["reason"]
    trial.refresh_from_db()
    assert trial.state == "ended_by_patent"
    assert _of(_sweep("2026-06-15", cap), "trial_reminder") == []  # an ended trial is not reminded
    assert _of(_sweep("2026-05-10", cap), "contract_ended_by_patent") == []


def test_expired_patent_ends_the_contract(parties, django_capture_on_commit_callbacks):
    """A utility model expiring 2026-06-30 (its last day) ends its licence dated that day."""
    cap = django_capture_on_commit_callbacks
    short = make_granted_patent(
        parties.university,
        patent_type="utility_model",
        filing_date=dt.date(2016, 7, 1),
        grant_date=dt.date(2017, 1, 6),
    )
    short.expiry_date = dt.date(2026, 6, 30)
    short.save(update_fields=["expiry_date"])
    with cap(execute=True):
        c = make_contract(
            parties, [short], start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30), stage="signed"
        )
    assert _of(_sweep("2026-06-30", cap), "contract_ended_by_patent") == []
    ended = _of(_sweep("2026-07-01", cap), "contract_ended_by_patent")
    assert [(a["contract"], a["on"]) for a in ended] == [(c.contract_no, "2026-06-30")]
    assert "期限届满" in ended[0]["reason"]


def test_filing_reminders_and_overdue_flag(trial, parties, django_capture_on_commit_callbacks):
    """Filing due 2026-04-15 (Wed): reminders on 03-16 and 04-08, overdue from 04-16; each once,
    kept on the filing."""
    cap = django_capture_on_commit_callbacks
    filing = LicenceFiling.objects.get(contract=trial)
    assert filing.due_date == dt.date(2026, 4, 15)
    assert _of(_sweep("2026-03-15", cap), "filing_reminder") == []
    assert [a["days_left"] for a in _of(_sweep("2026-03-16", cap), "filing_reminder")] == [30]
    assert _of(_sweep("2026-03-20", cap), "filing_reminder") == []
    assert [a["days_left"] for a in _of(_sweep("2026-04-08", cap), "filing_reminder")] == [7]
    assert _of(_sweep("2026-04-15", cap), "filing_overdue") == []
    overdue = _of(_sweep("2026-04-16", cap), "filing_overdue")
    assert overdue == [
        {
            "action": "filing_overdue",
            "contract": trial.contract_no,
            "filing": filing.pk,
            "kind": "initial",
            "due_date": "2026-04-15",
            "days_overdue": 1,
        }
    ]
    assert _of(_sweep("2026-05-01", cap), "filing_overdue") == []
    filing.refresh_from_db()
    assert [(r.get("days"), r.get("overdue"), r["sent_on"]) for r in filing.reminders_sent] == [
        (30, None, "2026-03-16"),
        (7, None, "2026-04-08"),
        (None, True, "2026-04-16"),
    ]
    assert AuditEvent.objects.filter(action="licensing.filing.reminder").count() == 2
    assert Notification.objects.filter(org=parties.enterprise, message__contains="逾期 1 天").exists()


def test_filing_due_on_a_saturday_is_on_time_until_monday(
    parties, patent, django_capture_on_commit_callbacks
):
    """Effective 2025-11-30 → due 2026-02-28 (Sat, 细则 Art. 5): not overdue on Mon 03-02, overdue 03-03."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        c = make_contract(
            parties, [patent], start=dt.date(2025, 11, 30), end=dt.date(2027, 11, 29), stage="signed"
        )
    assert LicenceFiling.objects.get(contract=c).due_date == dt.date(2026, 2, 28)
    assert _of(_sweep("2026-03-02", cap), "filing_overdue") == []
    assert [a["days_overdue"] for a in _of(_sweep("2026-03-03", cap), "filing_overdue")] == [1]


def test_filed_filings_get_no_reminders(trial, parties, django_capture_on_commit_callbacks):
    from patentbridge.licensing.services import filing as filing_services

    cap = django_capture_on_commit_callbacks
    filing = LicenceFiling.objects.get(contract=trial)
    with cap(execute=True):
        filing_services.submit_filing(parties.tto, filing, side="licensor", on=dt.date(2026, 2, 1))
    assert _of(_sweep("2026-04-08", cap), "filing_reminder") == []
    assert _of(_sweep("2026-05-01", cap), "filing_overdue") == []


def test_overdue_receivable_through_the_money_service(parties, patent, django_capture_on_commit_callbacks):
    """A lump sum due at signing on 2026-01-01 and unpaid is OVERDUE the next day, once."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        paid = make_contract(
            parties, [patent], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), stage="signed"
        )
    overdue = _of(_sweep("2026-01-02", cap), "receivable_overdue")
    assert [(a["contract"], a["days_overdue"], a["to_state"]) for a in overdue] == [
        (paid.contract_no, 1, "overdue")
    ]
    assert _of(_sweep("2026-01-02", cap), "receivable_overdue") == []


def test_withdrawal_takes_effect_on_its_announcement_day(parties, patent, django_capture_on_commit_callbacks):
    """A withdrawal announced for 2026-04-01 leaves the declaration in force until then."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        decl = make_declaration(parties.tto, patent)
        open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 3, 1), reason="专利拟转让给企业")
        open_licence.record_withdrawal_published(
            parties.tto, decl, published_at=dt.date(2026, 4, 1), on=dt.date(2026, 3, 5)
        )
    assert _of(_sweep("2026-03-31", cap), "open_licence_withdrawn") == []
    withdrawn = _of(_sweep("2026-04-01", cap), "open_licence_withdrawn")
    assert [(a["declaration"], a["patent"]) for a in withdrawn] == [(decl.pk, patent.application_number)]
    decl.refresh_from_db()
    assert decl.state == "withdrawn"
    assert _of(_sweep("2026-04-01", cap), "open_licence_withdrawn") == []


def test_declaration_of_a_lapsed_patent_ends(parties, patent, django_capture_on_commit_callbacks):
    """A patent that lapsed on 2026-05-01 ends its published declaration, dated that day."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        decl = make_declaration(parties.tto, patent)
    patent.legal_status, patent.lapse_date = "lapsed_non_payment", dt.date(2026, 5, 1)
    patent.save(update_fields=["legal_status", "lapse_date"])
    ended = _of(_sweep("2026-05-03", cap), "open_licence_ended")
    assert [(a["declaration"], a["ended_on"]) for a in ended] == [(decl.pk, "2026-05-01")]
    decl.refresh_from_db()
    assert decl.state == "ended"
    assert _of(_sweep("2026-05-03", cap), "open_licence_ended") == []


def test_ledger_catches_up_with_imported_cells(parties, patent, django_capture_on_commit_callbacks):
    """Cells stored without their event (e.g. a worker that died) become ledger rows in the sweep."""
    cap = django_capture_on_commit_callbacks
    patent.right_records = {"质押号": "Y7", "质押期限": "2025-01-01至2027-01-01", "质权人": "某银行"}
    patent.save(update_fields=["right_records"])
    synced = _of(_sweep("2026-03-01", cap), "ledger_synced")
    assert synced == [
        {
            "action": "ledger_synced",
            "patent": patent.application_number,
            "created": 1,
            "updated": 0,
            "removed": 0,
            "counts": {"pledge_count": [None, 1]},
        }
    ]
    assert _of(_sweep("2026-03-01", cap), "ledger_synced") == []


def test_signing_counts_the_licence_at_once(parties, patent, monkeypatch, django_capture_on_commit_callbacks):
    """With the ledger wiring, a signed contract raises the patent's licence count in its transaction."""
    from patentbridge.core import events
    from patentbridge.licensing import signals
    from patentbridge.licensing.services import rights_import

    # Connected as at start-up, and put back as found afterwards (the wiring may already list it).
    for name in (events.PATENTS_CHANGED, events.IMPORT_COMPLETED):
        monkeypatch.setitem(events._subscribers, name, list(events._subscribers[name]))
    monkeypatch.setattr(signals.contract_signed, "receivers", list(signals.contract_signed.receivers))
    rights_import.register()
    with django_capture_on_commit_callbacks(execute=True):
        make_contract(parties, [patent], start=START, trial_months=6, stage="signed")
    patent.refresh_from_db()
    assert patent.license_count == 1
    assert _of(_sweep("2026-02-01", django_capture_on_commit_callbacks), "ledger_synced") == []


def test_second_run_for_the_same_day_takes_no_action(trial, parties, django_capture_on_commit_callbacks):
    """Everything at once (reminders, steps, filing, receivable), then the same date again: nothing,
    no new notice, and one summary audit event per run."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        make_contract(
            parties,
            [make_granted_patent(parties.university)],
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 6, 30),
            stage="signed",
        )
    first = _sweep("2026-07-15", cap)
    assert {a["action"] for a in first} >= {
        "trial_ended",
        "contract_expired",
        "filing_overdue",
        "receivable_overdue",
    }
    notices = Notification.objects.count()
    assert _sweep("2026-07-15", cap) == []
    assert Notification.objects.count() == notices
    summaries = AuditEvent.objects.filter(action=SUMMARY_ACTION).order_by("pk")
    assert [s.data["as_of"] for s in summaries] == ["2026-07-15", "2026-07-15"]
    assert summaries[0].data["actions"]["trial_ended"] == 1 and summaries[1].data["actions"] == {}


def test_a_refused_step_is_a_problem_and_the_run_goes_on(
    parties, patent, monkeypatch, django_capture_on_commit_callbacks
):
    """One contract's refusal is reported; the other contracts still take their steps."""
    from patentbridge.licensing.errors import LicensingRefused
    from patentbridge.licensing.services import sweep_contracts

    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        a = make_contract(
            parties, [patent], start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), stage="signed"
        )
        b = make_contract(
            parties,
            [make_granted_patent(parties.university)],
            start=START,
            trial_months=6,
            stage="signed",
        )
    real = sweep_contracts.contracts.expire

    def refuse(contract: LicenceContract, **kwargs: Any) -> Any:
        if contract.pk == a.pk:
            raise LicensingRefused("TEST", "测试拒绝")
        return real(contract, **kwargs)

    monkeypatch.setattr(sweep_contracts.contracts, "expire", refuse)
    with cap(execute=True):
        result = run_sweep(dt.date(2026, 7, 15), recompute=False)
    assert result.problems == [f"合同 {a.contract_no}：测试拒绝"]
    assert [x["contract"] for x in _of(result.actions, "trial_ended")] == [b.contract_no]
    a.refresh_from_db()
    assert a.state == "active_paid"


def test_grades_and_public_list_are_recomputed(parties, django_capture_on_commit_callbacks):
    """The run regrades every patent and enters a funded, unexploited Shandong patent in the list
    once; the second run grades again but changes no list entry."""
    from patentbridge.grading.models import PatentGrade, PublicListEntry
    from patentbridge.patents.models import Patent

    funded = make_granted_patent(
        parties.university,
        fiscal_funded=True,
        province="山东省",
        city="济南市",
        filing_date=dt.date(2018, 3, 1),
        grant_date=dt.date(2020, 6, 1),
        expiry_date=dt.date(2038, 3, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = run_sweep(dt.date(2026, 3, 1))
    assert first.graded == Patent.objects.count() == PatentGrade.objects.count()
    changed = _of(first.actions, "public_list_changed")
    assert len(changed) == 1 and changed[0]["entered"] >= 1
    assert PublicListEntry.objects.filter(patent=funded, left_on=None).exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = run_sweep(dt.date(2026, 3, 1))
    assert second.actions == [] and second.graded == first.graded


def test_command_prints_one_json_object_per_action(trial, django_capture_on_commit_callbacks):
    """`patentbridge sweep --as-of 2026-06-15 --json`: JSON Lines, each with an action; the reminder
    line has the documented shape; a second run prints nothing."""
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", as_of=dt.date(2026, 6, 15), json=True, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines and all(isinstance(x, dict) and "action" in x for x in lines)
    reminder = _of(lines, "trial_reminder")
    assert reminder == [
        {
            "action": "trial_reminder",
            "contract": trial.contract_no,
            "days_left": 30,
            "trial_end": "2026-07-15",
        }
    ]
    again = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", "--as-of", "2026-06-15", "--json", stdout=again)
    assert again.getvalue() == ""


def test_command_text_output_is_chinese(trial, parties, django_capture_on_commit_callbacks):
    """Plain output: one Chinese line per action (no JSON fallback, no field codes) and a summary."""
    with django_capture_on_commit_callbacks(execute=True):
        make_contract(
            parties,
            [make_granted_patent(parties.university)],
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 6, 30),
            stage="signed",
        )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", "--as-of", "2026-07-15", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"试用期满，待转化  {trial.contract_no}  2026-07-15 届满，答复期限 2026-08-14" in lines
    assert any(line.startswith("合同期限届满  ") for line in lines)
    assert any(line.startswith("逾期未备案  ") and "初次备案期限" in line for line in lines)
    assert any(line.startswith("应收款逾期  ") and "¥120,000.00" in line for line in lines)
    assert not any(line.startswith("{") or "_" in line for line in lines)
    assert lines[-1].startswith("2026-07-15：处理") and "重新分级" in lines[-1]


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="日期格式应为 YYYY-MM-DD"):
        call_command("sweep", "--as-of", "2026-02-30")


@time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_last_daily_run_counts_runs_for_their_own_day_only(db, django_capture_on_commit_callbacks):
    """A catch-up run for another date does not stop today's scheduled run."""
    assert last_daily_run() is None
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(dt.date(2026, 2, 1), recompute=False)
    assert last_daily_run() is None
    with django_capture_on_commit_callbacks(execute=True):
        run_sweep(dt.date(2026, 3, 1), recompute=False)
    assert last_daily_run() == dt.date(2026, 3, 1)


# --- serve's scheduler ------------------------------------------------------------------------

T = dt.datetime(2026, 3, 1, 1, 30)  # 01:30 local


@pytest.mark.parametrize(
    ("now", "last", "hour", "at_start", "due"),
    [
        (T, None, 2, True, True),  # never ran: run at start
        (T, None, 2, False, False),  # …but later checks wait for the hour
        (T, dt.date(2026, 2, 28), 2, True, True),  # start: today has no run yet
        (T, dt.date(2026, 3, 1), 2, True, False),  # start: already ran today (other process, cron)
        (T.replace(hour=2), dt.date(2026, 2, 28), 2, False, True),  # the hour has come
        (T.replace(hour=23), dt.date(2026, 2, 28), 2, False, True),  # missed the hour (asleep): still today
        (T.replace(hour=2), dt.date(2026, 3, 1), 2, False, False),  # never twice a day
        (T, dt.date(2026, 3, 5), 0, True, False),  # a clock set back: not before the recorded day
    ],
)
def test_is_due(now, last, hour, at_start, due):
    assert scheduler.is_due(now, last, hour, at_start=at_start) is due


@pytest.mark.parametrize(
    ("now", "hour", "seconds"),
    [(T, 2, 1800.0), (T, 1, 24 * 3600 - 1800.0), (T.replace(hour=2, minute=0), 2, 24 * 3600.0)],
)
def test_seconds_until_next_hour(now, hour, seconds):
    assert scheduler.seconds_until(now, hour) == seconds


def _scheduler(tmp_path, runs: list[dt.date], now: dt.datetime, last: dt.date | None = None) -> Any:
    return scheduler.SweepScheduler(tmp_path, 2, runs.append, clock=lambda: now, last_run=lambda: last)


def test_tick_runs_once_per_day_across_processes_sharing_the_data_dir(tmp_path):
    """Two schedulers on one data directory: the first runs at start, the second sees the day taken."""
    runs: list[dt.date] = []
    assert _scheduler(tmp_path, runs, T).tick(at_start=True) is True
    assert _scheduler(tmp_path, runs, T).tick(at_start=True) is False
    assert _scheduler(tmp_path, runs, T.replace(hour=3)).tick(at_start=False) is False
    assert _scheduler(tmp_path, runs, T + dt.timedelta(days=1, hours=1)).tick(at_start=False) is True
    assert runs == [dt.date(2026, 3, 1), dt.date(2026, 3, 2)]
    assert scheduler.last_started(tmp_path) == dt.date(2026, 3, 2)


def test_tick_skips_while_another_process_holds_the_lock(tmp_path):
    runs: list[dt.date] = []
    with scheduler._Lock(tmp_path) as held:
        assert held
        assert _scheduler(tmp_path, runs, T).tick(at_start=True) is False
    assert runs == []
    assert _scheduler(tmp_path, runs, T).tick(at_start=True) is True


def test_tick_respects_a_run_recorded_in_the_database(tmp_path):
    """A run made today by hand or from cron (audit log) counts: no second run at start."""
    runs: list[dt.date] = []
    assert _scheduler(tmp_path, runs, T, last=dt.date(2026, 3, 1)).tick(at_start=True) is False
    assert runs == []


def test_unreadable_state_file_is_treated_as_never_started(tmp_path):
    (tmp_path / scheduler.STATE_NAME).write_text("{not json", encoding="utf-8")
    assert scheduler.last_started(tmp_path) is None
    runs: list[dt.date] = []
    assert _scheduler(tmp_path, runs, T).tick(at_start=True) is True


def test_daily_sweep_job_runs_the_sweep(db, django_capture_on_commit_callbacks):
    """The job serve queues for its worker runs the sweep for the given day (immediate backend)."""
    from patentbridge.licensing.services.sweep import daily_sweep

    with django_capture_on_commit_callbacks(execute=True):
        result = daily_sweep.enqueue("2026-03-01")
    assert result.return_value["as_of"] == "2026-03-01"
    assert AuditEvent.objects.filter(action=SUMMARY_ACTION, data__as_of="2026-03-01").count() == 1


def test_an_extended_trial_is_reminded_again_before_its_new_end(
    parties, patent, django_capture_on_commit_callbacks
):
    """Reminders belong to a trial period: after a one-month extension (new end 2026-08-15) the
    30- and 7-day reminders are sent again for the new end, once each."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        c = make_contract(
            parties, [patent], start=START, trial_months=6, stage="signed", extensions_allowed=1
        )
    _sweep("2026-06-15", cap)
    _sweep("2026-07-08", cap)
    _sweep("2026-07-15", cap)
    with cap(execute=True):
        contracts.extend_trial(parties.tto, c, on=dt.date(2026, 7, 20), months=1)
    c.refresh_from_db()
    assert (c.state, c.trial_end) == ("active_trial", dt.date(2026, 8, 15))
    again = _of(_sweep("2026-07-20", cap), "trial_reminder")
    assert [(a["days_left"], a["trial_end"]) for a in again] == [(26, "2026-08-15")]
    assert _of(_sweep("2026-07-21", cap), "trial_reminder") == []
    assert [a["days_left"] for a in _of(_sweep("2026-08-08", cap), "trial_reminder")] == [7]
    assert [a["on"] for a in _of(_sweep("2026-08-15", cap), "trial_ended")] == ["2026-08-15"]


def test_a_refused_filing_is_still_reminded_and_flagged(trial, parties, django_capture_on_commit_callbacks):
    """不予备案 leaves the filing to be filed again: the deadline still counts."""
    from patentbridge.licensing.services import filing as filing_services

    cap = django_capture_on_commit_callbacks
    filing = LicenceFiling.objects.get(contract=trial)
    with cap(execute=True):
        filing_services.submit_filing(parties.tto, filing, side="licensor", on=dt.date(2026, 2, 1))
        filing_services.record_refused(parties.tto, filing, reason="合同缺少专利号", on=dt.date(2026, 3, 1))
    assert [a["days_left"] for a in _of(_sweep("2026-04-08", cap), "filing_reminder")] == [7]
    assert [a["days_overdue"] for a in _of(_sweep("2026-04-20", cap), "filing_overdue")] == [5]


def test_scheduler_thread_runs_at_start_and_stops(tmp_path):
    """Started, the thread runs the due sweep at once; stop() ends its wait."""
    import threading

    ran = threading.Event()
    runs: list[dt.date] = []

    def runner(day: dt.date) -> None:
        runs.append(day)
        ran.set()

    s = scheduler.SweepScheduler(tmp_path, 2, runner, clock=lambda: T, last_run=lambda: None)
    s.start()
    assert ran.wait(30)
    s.stop()
    assert s._thread is not None
    s._thread.join(30)
    assert not s._thread.is_alive()
    assert runs == [dt.date(2026, 3, 1)]


def test_a_failing_run_is_logged_and_the_scheduler_survives(tmp_path, caplog):
    """An exception in the sweep is logged in Chinese; the day stays marked, so it is not retried
    in a loop, and the next day runs again."""

    def boom(day: dt.date) -> None:
        raise RuntimeError("disk full")

    s = scheduler.SweepScheduler(tmp_path, 2, boom, clock=lambda: T, last_run=lambda: None)
    with caplog.at_level("ERROR", logger="patentbridge.supervisor"):
        s._safe_tick(at_start=True)
    assert "每日例行任务运行失败" in caplog.text
    assert s.tick(at_start=True) is False
    runs: list[dt.date] = []
    later = scheduler.SweepScheduler(
        tmp_path, 2, runs.append, clock=lambda: T + dt.timedelta(days=1, hours=2)
    )
    later.last_run = lambda: None
    assert later.tick(at_start=False) is True and runs == [dt.date(2026, 3, 2)]


def test_sweep_hour_setting_is_declared_and_checked():
    """PATENTBRIDGE_SWEEP_HOUR is a documented setting; a value outside 0–23 is refused by name."""
    from django.core.exceptions import ImproperlyConfigured

    from patentbridge.settings import env

    declared = env.REGISTRY["PATENTBRIDGE_SWEEP_HOUR"]
    assert declared.default == "2" and "daily sweep" in declared.doc
    assert env.convert("PATENTBRIDGE_SWEEP_HOUR", "23", declared.parse) == 23
    for bad in ("24", "-1", "two", ""):
        with pytest.raises(ImproperlyConfigured, match="PATENTBRIDGE_SWEEP_HOUR"):
            env.convert("PATENTBRIDGE_SWEEP_HOUR", bad, declared.parse)

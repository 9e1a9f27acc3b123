"""The ledger services: the engine's view of a stored patent, recording right events (audited,
idempotent, permission-checked), ending a record's events, and the encumbrances read from them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import RightEvent
from patentbridge.licensing.services import ledger
from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing.ledger import FeeState, RightKind
from web.licensing.factories import make_contract, make_coowned_patent, make_granted_patent

D = dt.date


# --- patent_facts --------------------------------------------------------------------------------


def test_facts_of_a_granted_patent(parties, patent):
    facts = ledger.patent_facts(patent, D(2026, 1, 1))
    assert facts.application_number == patent.application_number
    assert facts.patent_type is PatentType.INVENTION
    assert (facts.granted, facts.valid) == (True, True)
    assert facts.grant_date == D(2024, 3, 1) and facts.expiry_date == D(2042, 3, 1)
    assert facts.patentees == (parties.university.name,)
    assert ledger.patent_facts(patent, D(2024, 2, 1)).valid is False  # before the grant


def test_facts_follow_the_lapse_and_expiry_dates(parties):
    lapsed = make_granted_patent(
        parties.university, legal_status="lapsed_non_payment", lapse_date=D(2026, 4, 1)
    )
    assert ledger.patent_facts(lapsed, D(2026, 3, 31)).valid is True
    assert ledger.patent_facts(lapsed, D(2026, 4, 1)).valid is False
    expired = make_granted_patent(parties.university, legal_status="expired", expiry_date=D(2026, 6, 30))
    assert ledger.patent_facts(expired, D(2026, 6, 30)).valid is True
    assert ledger.patent_facts(expired, D(2026, 7, 1)).valid is False
    invalid = make_granted_patent(parties.university, legal_status="invalidated")
    assert (
        ledger.patent_facts(invalid, D(2025, 1, 1)).granted,
        ledger.patent_facts(invalid, D(2025, 1, 1)).valid,
    ) == (
        True,
        False,
    )


def test_facts_fall_back_to_applicants_and_keep_coowners(parties):
    from web.factories import make_patent

    bare = make_patent(owner=parties.university, applicants=["甲大学", " 乙公司 ", "甲大学"], patentees=[])
    assert ledger.patent_facts(bare, D(2026, 1, 1)).patentees == ("甲大学", "乙公司")
    assert ledger.patent_facts(bare, D(2026, 1, 1)).granted is False
    shared = make_coowned_patent(parties.university, ["乙公司", "丙研究院"])
    assert ledger.patent_facts(shared, D(2026, 1, 1)).patentees == (
        parties.university.name,
        "乙公司",
        "丙研究院",
    )


# --- record_right_event --------------------------------------------------------------------------


def _pledge(actor, patent, **kw):
    values = {
        "kind": "pledge",
        "start": D(2025, 5, 1),
        "counterparty": "某银行",
        "record_no": "Y2025370000001",
        "source": "manual",
        "source_ref": "pledge-1",
    }
    values.update(kw)
    return ledger.record_right_event(actor, patent, **values)


def test_record_creates_once_and_audits(parties, patent):
    row = _pledge(parties.tto, patent, consents=["pledgee", "pledgee"])
    assert (row.kind, row.counterparty, row.consents, row.territory) == (
        "pledge",
        "某银行",
        ["pledgee"],
        "CN",
    )
    [event] = AuditEvent.objects.filter(action="licensing.right_event.recorded")
    assert event.actor == parties.tto and event.data["patent"] == patent.application_number
    again = _pledge(parties.tto, patent, consents=["pledgee"])
    assert again.pk == row.pk
    assert RightEvent.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="licensing.right_event").count() == 1


def test_record_again_with_changes_updates_the_row_and_audits_the_diff(parties, patent):
    row = _pledge(parties.tto, patent)
    updated = _pledge(parties.tto, patent, end=D(2026, 5, 1), note="已解除")
    assert updated.pk == row.pk
    row.refresh_from_db()
    assert (row.end_date, row.note) == (D(2026, 5, 1), "已解除")
    [event] = AuditEvent.objects.filter(action="licensing.right_event.updated")
    assert event.data["before"] == {"end_date": None, "note": ""}
    assert event.data["after"] == {"end_date": "2026-05-01", "note": "已解除"}


def test_same_ref_of_another_kind_or_source_is_another_fact(parties, patent):
    _pledge(parties.tto, patent)
    _pledge(parties.tto, patent, kind="preservation")
    _pledge(parties.tto, patent, source="import")
    assert RightEvent.objects.filter(patent=patent).count() == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "rumour"}, "未知的权利事件类型"),
        ({"source": "gossip"}, "未知的权利事件来源"),
        ({"source_ref": " "}, "须注明来源记录"),
        ({"source_ref": "x" * 121}, "须注明来源记录"),
        ({"end": D(2025, 4, 30)}, "早于开始日期"),
    ],
)
def test_record_refuses_bad_input(parties, patent, changes, message):
    with pytest.raises(ValidationError, match=message):
        _pledge(parties.tto, patent, **changes)
    assert not RightEvent.objects.exists()


def test_record_permissions(parties, patent):
    with pytest.raises(PermissionDenied, match="本机构的专利"):
        _pledge(parties.other_tto, patent)
    with pytest.raises(PermissionDenied, match="技术转移办公室或运营人员"):
        _pledge(parties.enterprise_user, patent)
    with pytest.raises(PermissionDenied):
        _pledge(parties.inventor, patent)
    assert not RightEvent.objects.exists()
    assert _pledge(parties.operator, patent).pk
    # a service that checked its own object records without the ledger role check
    row = _pledge(parties.enterprise_user, patent, source_ref="pledge-2", check_access=False)
    assert row.source_ref == "pledge-2"


def test_long_text_is_cut_to_the_column(parties, patent):
    row = _pledge(parties.tto, patent, counterparty="银" * 400, note="注" * 400, record_no="9" * 100)
    row.refresh_from_db()
    assert (len(row.counterparty), len(row.note), len(row.record_no)) == (300, 300, 64)


# --- end_right_events ------------------------------------------------------------------------------


def test_end_right_events_closes_only_what_runs_past_the_day(parties, patent):
    other = make_granted_patent(parties.university)
    for p, start, end in ((patent, D(2026, 1, 1), None), (other, D(2026, 1, 1), D(2026, 3, 1))):
        ledger.record_right_event(
            None, p, kind="licence", start=start, end=end, source="contract", source_ref="XK-T-1"
        )
    late = make_granted_patent(parties.university)
    ledger.record_right_event(
        None, late, kind="licence", start=D(2026, 9, 1), source="contract", source_ref="XK-T-1"
    )
    ledger.record_right_event(
        None, patent, kind="licence", start=D(2026, 1, 1), source="contract", source_ref="XK-T-2"
    )
    assert ledger.end_right_events("contract", "XK-T-1", D(2026, 6, 30), actor=parties.tto) == 2
    ends = dict(RightEvent.objects.filter(source_ref="XK-T-1").values_list("patent_id", "end_date"))
    assert ends == {patent.pk: D(2026, 6, 30), other.pk: D(2026, 3, 1), late.pk: D(2026, 9, 1)}
    assert RightEvent.objects.get(source_ref="XK-T-2").end_date is None
    [event] = AuditEvent.objects.filter(action="licensing.right_event.ended")
    assert sorted(event.data["patents"]) == sorted([patent.application_number, late.application_number])
    assert ledger.end_right_events("contract", "XK-T-1", D(2026, 6, 30)) == 0  # idempotent
    assert AuditEvent.objects.filter(action="licensing.right_event.ended").count() == 1


# --- reading the ledger --------------------------------------------------------------------------


def test_ledger_events_and_encumbrances(parties, patent):
    c = make_contract(
        parties, [patent], kind="exclusive", stage="signed", start=D(2026, 1, 15), end=D(2028, 12, 31)
    )
    ledger.record_right_event(
        None,
        patent,
        kind="fee_late_period",
        start=D(2026, 3, 1),
        end=D(2026, 8, 31),
        source="import",
        source_ref="r1",
    )
    events = ledger.ledger_events(patent)
    assert [(e.kind, e.ref) for e in events] == [
        (RightKind.LICENCE, c.contract_no),
        (RightKind.FEE_LATE_PERIOD, ""),
    ]
    assert [e.kind for e in ledger.ledger_events(patent, exclude_ref=c.contract_no)] == [
        RightKind.FEE_LATE_PERIOD
    ]
    enc = ledger.encumbrances_for(patent, D(2026, 5, 1))
    assert [e.ref for e in enc.exclusive_or_sole] == [c.contract_no]
    assert enc.exclusive_or_sole[0].counterparty == parties.enterprise.name
    assert (enc.fee_state, enc.late_months) == (FeeState.LATE, 3)
    assert ledger.encumbrances_for(patent, D(2026, 5, 1), exclude_ref=c.contract_no).exclusive_or_sole == ()
    assert ledger.encumbrances_for(patent, D(2029, 1, 1)).exclusive_or_sole == ()


def test_territory_codes():
    assert [ledger.territory_code(t) for t in ("中国境内", "全国", "cn", "", " 370000 ", "山东省")] == [
        "CN",
        "CN",
        "CN",
        "CN",
        "370000",
        "山东省",
    ]

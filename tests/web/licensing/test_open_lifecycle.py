"""An open-licence declaration's CNIPA life through the services: input checks at each step, the
re-check on the submission date, the ledger event's sub-kind, audit events with the states, the
window of future licences, transfers of the patent, and the end of declarations whose patent
expired or was invalidated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.services import ledger, open_licence
from patentbridge.patents.models import Patent
from web.licensing.factories import (
    OL_DECLARED,
    OL_PUBLISHED,
    fee_lump_sum,
    fee_royalty,
    make_contract,
    make_declaration,
    make_granted_patent,
    open_declaration_input,
)

pytestmark = pytest.mark.django_db


def _actions(decl):
    return list(
        AuditEvent.objects.filter(target_id=str(decl.pk), action__startswith="licensing.declaration.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_every_step_is_audited_with_its_states(parties, patent):
    decl = make_declaration(parties.tto, patent)
    assert _actions(decl) == [
        "licensing.declaration.drafted",
        "licensing.declaration.checked",
        "licensing.declaration.submitted",
        "licensing.declaration.published",
    ]
    published = AuditEvent.objects.get(action="licensing.declaration.published", target_id=str(decl.pk))
    assert published.data["state"] == {"before": "submitted", "after": "published"}
    assert published.data["published_at"] == OL_PUBLISHED.isoformat()
    assert published.org == parties.university and published.actor == parties.tto


@pytest.mark.parametrize(
    ("schedule", "sub_kind"),
    [(fee_lump_sum(), "fixed"), (fee_royalty("0.03", entry_fee=None), "royalty"), (None, "free")],
)
def test_the_ledger_event_carries_the_payment_type(parties, patent, schedule, sub_kind):
    fields = {"fee_schedule": schedule} if schedule else {}
    make_declaration(parties.tto, patent, **fields)
    event = patent.right_events.get(kind="open_licence")
    assert event.sub_kind == sub_kind and event.counterparty == parties.university.name


@pytest.mark.parametrize("number", ["", "   ", "X" * 41])
def test_publication_needs_an_announcement_number(parties, patent, number):
    decl = make_declaration(parties.tto, patent, stage="submitted")
    with pytest.raises(ValidationError, match="公告号"):
        open_licence.record_publication(parties.tto, decl, published_at=OL_PUBLISHED, announcement_no=number)
    decl.refresh_from_db()
    assert decl.state == "submitted" and not patent.right_events.exists()


def test_publication_cannot_precede_submission(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="submitted")
    with pytest.raises(ValidationError, match="不能早于提交日期"):
        open_licence.record_publication(
            parties.tto, decl, published_at=decl.submitted_at - dt.timedelta(days=1), announcement_no="G1"
        )


def test_a_return_needs_its_reason(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="submitted")
    with pytest.raises(ValidationError, match="退回理由"):
        open_licence.record_return(parties.tto, decl, on=dt.date(2026, 1, 20), reason=" ")
    with pytest.raises(LicensingRefused):
        open_licence.record_return(
            parties.tto,
            make_declaration(parties.tto, make_granted_patent(parties.university)),
            on=dt.date(2026, 3, 1),
            reason="补正",
        )


def test_submission_rechecks_on_its_date_and_returns_a_blocked_declaration_to_draft(parties, patent):
    """Checked on 01-05; an exclusive licence signed on 01-07; submitting on 01-10 is refused and
    the findings of 01-10 are stored."""
    decl = make_declaration(parties.tto, patent, stage="checked")
    make_contract(
        parties,
        [patent],
        kind="exclusive",
        stage="signed",
        start=dt.date(2026, 1, 7),
        end=dt.date(2027, 1, 6),
    )
    with pytest.raises(LicensingRefused) as info:
        open_licence.submit_declaration(parties.tto, decl, on=dt.date(2026, 1, 10))
    assert info.value.code == "EXCLUSIVE_OR_SOLE_ACTIVE"
    decl.refresh_from_db()
    assert decl.state == "draft" and decl.submitted_at is None
    assert {f["as_of"] for f in decl.check_result} == {"2026-01-10"}
    assert "EXCLUSIVE_OR_SOLE_ACTIVE" in {f["code"] for f in decl.check_result}


def test_an_exclusive_licence_starting_later_blocks_too(parties, patent):
    """A licence that begins after the check date is read from the ledger's window of later events."""
    make_contract(
        parties, [patent], kind="sole", stage="signed", start=dt.date(2026, 6, 1), end=dt.date(2027, 5, 31)
    )
    decl = open_licence.draft_declaration(
        parties.tto, patent, open_declaration_input(signed_by=patent.patentees), on=OL_DECLARED
    )
    verdict = open_licence.check_declaration(decl, OL_DECLARED, actor=parties.tto)
    assert "EXCLUSIVE_OR_SOLE_ACTIVE" in {f.code for f in verdict.blocks}
    assert "排他许可" in verdict.blocks[0].reason


def test_an_expired_exclusive_licence_no_longer_blocks(parties, patent):
    make_contract(
        parties,
        [patent],
        kind="exclusive",
        stage="signed",
        start=dt.date(2024, 6, 1),
        end=dt.date(2025, 5, 31),
    )
    decl = open_licence.draft_declaration(
        parties.tto, patent, open_declaration_input(signed_by=patent.patentees), on=OL_DECLARED
    )
    assert open_licence.check_declaration(decl, OL_DECLARED, actor=parties.tto).allowed


def test_check_never_changes_a_submitted_declaration(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="submitted")
    before = list(decl.check_result)
    ledger.record_right_event(
        parties.operator,
        patent,
        kind="suspension",
        start=dt.date(2026, 1, 11),
        source="manual",
        source_ref="s",
    )
    verdict = open_licence.check_declaration(decl, dt.date(2026, 1, 12), actor=parties.tto)
    assert not verdict.allowed
    decl.refresh_from_db()
    assert decl.state == "submitted" and decl.check_result == before


def test_after_a_recorded_transfer_the_new_patentee_must_sign(parties, patent):
    """Patentees are read from the ledger: after a transfer to a company the university alone
    cannot declare."""
    ledger.record_right_event(
        parties.operator,
        patent,
        kind="transfer",
        start=dt.date(2025, 9, 1),
        counterparty=f"{parties.university.name}；某某转化有限公司",
        source="manual",
        source_ref="transfer-1",
    )
    assert open_licence.current_patentees(patent, OL_DECLARED) == [
        parties.university.name,
        "某某转化有限公司",
    ]
    decl = open_licence.draft_declaration(
        parties.tto, patent, open_declaration_input(signed_by=[parties.university.name]), on=OL_DECLARED
    )
    assert decl.patentees == [parties.university.name, "某某转化有限公司"]
    verdict = open_licence.check_declaration(decl, OL_DECLARED, actor=parties.tto)
    assert "NOT_ALL_PATENTEES" in {f.code for f in verdict.blocks}


def test_withdrawal_dates_are_checked(parties, patent):
    decl = make_declaration(parties.tto, patent)
    with pytest.raises(ValidationError, match="不能早于声明公告日"):
        open_licence.request_withdrawal(
            parties.tto, decl, on=OL_PUBLISHED - dt.timedelta(days=1), reason="拟转让"
        )
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 4, 1), reason="拟转让")
    with pytest.raises(ValidationError, match="不能早于撤回申请日期"):
        open_licence.record_withdrawal_published(
            parties.tto, decl, published_at=dt.date(2026, 3, 31), on=dt.date(2026, 4, 2)
        )
    decl.refresh_from_db()
    assert decl.state == "withdrawal_submitted" and decl.withdrawal_published_at is None


def test_withdrawal_steps_out_of_order_are_refused_by_the_state_machine(parties, patent):
    decl = make_declaration(parties.tto, patent)
    with pytest.raises(LicensingRefused) as info:
        open_licence.record_withdrawal_published(
            parties.tto, decl, published_at=dt.date(2026, 4, 2), on=dt.date(2026, 4, 2)
        )
    assert info.value.code == "STATE"
    with pytest.raises(LicensingRefused):
        open_licence.record_withdrawal_refused(parties.tto, decl, on=dt.date(2026, 4, 2))
    draft = make_declaration(parties.tto, make_granted_patent(parties.university), stage="checked")
    with pytest.raises(LicensingRefused) as info:
        open_licence.request_withdrawal(parties.tto, draft, on=dt.date(2026, 4, 1), reason="拟转让")
    assert "已自检" in info.value.reason


def test_a_corrected_withdrawal_announcement_moves_the_ledger_end(parties, patent):
    """CNIPA corrected the announcement date before it came (earlier, then later): the event's end
    follows each correction."""
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 4, 1), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 4, 20), on=dt.date(2026, 4, 2)
    )
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 4, 15), on=dt.date(2026, 4, 3)
    )
    event = patent.right_events.get(kind="open_licence")
    assert event.end_date == dt.date(2026, 4, 15)
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 4, 28), on=dt.date(2026, 4, 4)
    )
    event.refresh_from_db()
    assert event.end_date == dt.date(2026, 4, 28)
    assert open_licence.apply_withdrawals(dt.date(2026, 4, 27)) == []
    assert len(open_licence.apply_withdrawals(dt.date(2026, 4, 28))) == 1


def test_declarations_end_when_the_patent_expires(parties):
    patent = make_granted_patent(parties.university, expiry_date=dt.date(2026, 8, 31))
    decl = make_declaration(parties.tto, patent, term_kind="until_date", term_until=dt.date(2026, 8, 31))
    assert open_licence.end_declarations_for_lapsed(dt.date(2026, 8, 31)) == []
    done = open_licence.end_declarations_for_lapsed(dt.date(2026, 9, 3))
    assert [d["ended_on"] for d in done] == ["2026-08-31"]
    decl.refresh_from_db()
    assert decl.state == "ended"


def test_a_declaration_under_withdrawal_also_ends_with_an_invalidated_patent(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 4, 1), reason="被提出无效宣告")
    Patent.objects.filter(pk=patent.pk).update(legal_status="invalidated")
    done = open_licence.end_declarations_for_lapsed(dt.date(2026, 5, 6))
    assert done and done[0]["declaration"] == decl.pk and done[0]["ended_on"] == "2026-05-06"
    decl.refresh_from_db()
    assert decl.state == "ended"
    assert AuditEvent.objects.filter(action="licensing.declaration.ended", target_id=str(decl.pk)).exists()


def test_a_valid_patent_keeps_its_declaration(parties, patent):
    make_declaration(parties.tto, patent)
    assert open_licence.end_declarations_for_lapsed(dt.date(2030, 1, 1)) == []

"""Open-licence declarations through the services: every §3.d blocking case read from the real
ledger, the §13 vectors, the state machine, one live declaration per patent, and who may declare."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services import ledger, open_licence
from web.licensing.factories import (
    OL_DECLARED,
    fee_free,
    fee_lump_sum,
    fee_royalty,
    make_contract,
    make_coowned_patent,
    make_declaration,
    make_granted_patent,
    open_declaration_input,
)

pytestmark = pytest.mark.django_db

DAY = OL_DECLARED


def _draft(parties, patent, **fields):
    fields.setdefault("signed_by", patent.patentees)
    return open_licence.draft_declaration(parties.tto, patent, open_declaration_input(**fields), on=DAY)


def _check(parties, patent, **fields):
    decl = _draft(parties, patent, **fields)
    return decl, open_licence.check_declaration(decl, DAY, actor=parties.tto)


def _event(parties, patent, kind, start, *, ref="t-1", **extra):
    return ledger.record_right_event(
        parties.operator, patent, kind=kind, start=start, source="manual", source_ref=ref, **extra
    )


def _blocks(verdict):
    return {f.code for f in verdict.blocks}


def test_a_clean_invention_is_checked_and_every_finding_is_stored_with_reason_and_source(parties):
    """A granted invention signed by its patentee passes; the stored findings carry code, Chinese
    reason, source and the check date, and the state moves DRAFT → CHECKED."""
    patent = make_granted_patent(parties.university)
    decl, verdict = _check(parties, patent)
    assert verdict.allowed
    decl.refresh_from_db()
    assert decl.state == "checked"
    assert decl.check_result, "the unknown fee state is reported as a warning"
    for stored in decl.check_result:
        assert stored["code"] and stored["source"] and stored["as_of"] == DAY.isoformat()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in stored["reason"])
    assert AuditEvent.objects.filter(action="licensing.declaration.checked", target_id=str(decl.pk)).exists()


def test_not_granted_blocks(parties):
    """NOT_GRANTED_OR_INVALID: an application still in examination cannot be declared open."""
    patent = make_granted_patent(parties.university, legal_status="substantive_exam", grant_date=None)
    decl, verdict = _check(parties, patent)
    assert "NOT_GRANTED_OR_INVALID" in _blocks(verdict)
    decl.refresh_from_db()
    assert decl.state == "draft"


def test_an_exclusive_licence_in_force_blocks_and_names_the_contract(parties):
    """EXCLUSIVE_OR_SOLE_ACTIVE (细则 86(1)) from a platform contract written into the ledger."""
    patent = make_granted_patent(parties.university)
    contract = make_contract(
        parties,
        [patent],
        kind="exclusive",
        stage="signed",
        start=dt.date(2025, 6, 1),
        end=dt.date(2027, 5, 31),
    )
    _, verdict = _check(parties, patent)
    assert "EXCLUSIVE_OR_SOLE_ACTIVE" in _blocks(verdict)
    reason = next(f.reason for f in verdict.blocks if f.code == "EXCLUSIVE_OR_SOLE_ACTIVE")
    assert contract.contract_no in reason and "独占许可" in reason


def test_an_ordinary_licence_does_not_block(parties):
    """Ordinary licences coexist with an open licence (专利法 Art. 51 ¶3 only bars exclusive/sole)."""
    patent = make_granted_patent(parties.university)
    make_contract(parties, [patent], kind="ordinary", stage="signed", start=dt.date(2025, 6, 1))
    _, verdict = _check(parties, patent)
    assert verdict.allowed


@pytest.mark.parametrize(
    ("kind", "extra", "code"),
    [
        ("suspension", {}, "SUSPENDED_OR_PRESERVED"),
        ("preservation", {}, "SUSPENDED_OR_PRESERVED"),
        ("fee_late_period", {"end": dt.date(2026, 6, 30)}, "ANNUAL_FEE_UNPAID"),
        ("pledge", {"counterparty": "某某银行", "record_no": "Z2025-1"}, "PLEDGED_NO_CONSENT"),
    ],
)
def test_ledger_burdens_block(parties, kind, extra, code):
    """细则 86(2)–(4): suspension or preservation, the late-fee period, a pledge without consent."""
    patent = make_granted_patent(parties.university)
    _event(parties, patent, kind, dt.date(2025, 12, 1), **extra)
    _, verdict = _check(parties, patent)
    assert code in _blocks(verdict)


def test_a_pledge_with_the_pledgees_consent_and_a_royalty_on_net_sales_is_allowed(parties):
    """§13: pledged invention + pledgee consent, fee 3 % of net sales → allowed."""
    patent = make_granted_patent(parties.university)
    _event(parties, patent, "pledge", dt.date(2025, 12, 1), counterparty="某某银行", record_no="Z2025-2")
    _, verdict = _check(
        parties, patent, pledgee_consent=True, fee_schedule=fee_royalty("0.03", entry_fee=None)
    )
    assert verdict.allowed, verdict.codes()


def test_a_pending_invalidation_is_a_warning_not_a_block(parties):
    """OTHER_IMPEDIMENT: an invalidation request pending is shown for a human to judge."""
    patent = make_granted_patent(parties.university)
    _event(parties, patent, "invalidation_request", dt.date(2025, 11, 1))
    _, verdict = _check(parties, patent)
    assert verdict.allowed and "OTHER_IMPEDIMENT" in {f.code for f in verdict.warnings}


def test_a_co_owner_who_has_not_signed_blocks(parties):
    """§13: invention co-owned by 大学A + 企业B, only A signed → NOT_ALL_PATENTEES."""
    patent = make_coowned_patent(parties.university, "某某新材料有限公司")
    decl, verdict = _check(parties, patent, signed_by=[parties.university.name])
    assert "NOT_ALL_PATENTEES" in _blocks(verdict)
    assert "某某新材料有限公司" in next(f.reason for f in verdict.blocks if f.code == "NOT_ALL_PATENTEES")
    decl.refresh_from_db()
    assert decl.patentees == [parties.university.name, "某某新材料有限公司"], "prefilled from the patent"
    signed = open_licence.update_draft(
        parties.tto, decl, open_declaration_input(signed_by=decl.patentees), on=DAY
    )
    assert open_licence.check_declaration(signed, DAY, actor=parties.tto).allowed


def test_signers_must_be_patentees(parties):
    """A name that is not a patentee cannot sign the declaration."""
    patent = make_granted_patent(parties.university)
    with pytest.raises(ValidationError) as info:
        _draft(parties, patent, signed_by=[parties.university.name, "冒名公司"])
    assert "冒名公司" in str(info.value)


def test_utility_model_needs_a_favourable_evaluation_report(parties):
    """§13: UM with a report saying 不符合授予专利权条件 → REPORT_NEGATIVE; none → NO_EVALUATION_REPORT;
    a favourable report → allowed."""
    um = make_granted_patent(parties.university, patent_type="utility_model")
    _, none = _check(parties, um)
    assert "NO_EVALUATION_REPORT" in _blocks(none)
    um2 = make_granted_patent(parties.university, patent_type="utility_model")
    _, negative = _check(parties, um2, evaluation_report_no="PJ2025-1", evaluation_conclusion="not_meets")
    assert "REPORT_NEGATIVE" in _blocks(negative)
    um3 = make_granted_patent(parties.university, patent_type="utility_model")
    _, positive = _check(
        parties,
        um3,
        evaluation_report_no="PJ2025-2",
        evaluation_issued_at=dt.date(2025, 10, 1),
        evaluation_conclusion="meets_conditions",
    )
    assert positive.allowed, positive.codes()


def test_territory_and_licensee_filters_block(parties):
    """§13: terms "仅限山东省内中小企业" → TERRITORY_NOT_CHINA and LICENSEE_FILTER."""
    patent = make_granted_patent(parties.university)
    _, verdict = _check(parties, patent, other_terms="仅限山东省内中小企业实施")
    assert {"TERRITORY_NOT_CHINA", "LICENSEE_FILTER"} <= _blocks(verdict)


def test_a_fee_to_be_negotiated_blocks(parties):
    """§13: fee "面议" → FEE_NOT_COMPUTABLE, and the declaration cannot be submitted."""
    patent = make_granted_patent(parties.university)
    decl, verdict = _check(parties, patent, fee_schedule=fee_lump_sum("100000.00"), fee_text="具体金额面议")
    assert "FEE_NOT_COMPUTABLE" in _blocks(verdict)
    with pytest.raises(LicensingRefused) as info:
        open_licence.submit_declaration(parties.tto, decl, on=DAY)
    assert info.value.code == "FEE_NOT_COMPUTABLE"
    decl.refresh_from_db()
    assert decl.state == "draft" and decl.submitted_at is None


def test_a_royalty_without_a_measurable_base_blocks(parties):
    """A royalty with no base cannot be computed by a licensee alone."""
    patent = make_granted_patent(parties.university)
    schedule = fee_royalty("0.03", entry_fee=None)
    schedule["components"][0]["base"] = None
    _, verdict = _check(parties, patent, fee_schedule=schedule)
    assert "FEE_NOT_COMPUTABLE" in _blocks(verdict)


def test_a_royalty_above_the_guide_only_warns(parties):
    """§13: royalty 25 % of net sales → allowed with FEE_ABOVE_GUIDE (guidance, not a block)."""
    patent = make_granted_patent(parties.university)
    _, verdict = _check(parties, patent, fee_schedule=fee_royalty("0.25", entry_fee=None))
    assert verdict.allowed and "FEE_ABOVE_GUIDE" in {f.code for f in verdict.warnings}


def test_advertising_words_warn(parties):
    """ADVERTISING_WORDS (细则 85 ¶3) goes to human review."""
    patent = make_granted_patent(parties.university)
    _, verdict = _check(parties, patent, other_terms="本技术国际领先")
    assert verdict.allowed and "ADVERTISING_WORDS" in {f.code for f in verdict.warnings}


def test_a_term_beyond_the_patent_blocks(parties):
    """TERM_BEYOND_PATENT: the declared term ends after the patent's expiry."""
    patent = make_granted_patent(parties.university)
    _, verdict = _check(
        parties, patent, term_kind="until_date", term_until=patent.expiry_date + dt.timedelta(days=1)
    )
    assert "TERM_BEYOND_PATENT" in _blocks(verdict)


def test_open_licence_fee_shapes_that_cannot_fit_every_licensee_are_refused(parties):
    """Dated instalments and an entry fee due "on conversion" make no sense for an open licence."""
    patent = make_granted_patent(parties.university)
    dated = fee_lump_sum("100000.00")
    dated["components"][0]["instalments"] = [
        {"date": "2026-03-01", "amount": "50000.00"},
        {"date": "2026-09-01", "amount": "50000.00"},
    ]
    with pytest.raises(ValidationError, match="分期"):
        _draft(parties, patent, fee_schedule=dated)
    with pytest.raises(ValidationError, match="入门费"):
        _draft(parties, patent, fee_schedule=fee_royalty("0.03"))  # entry fee due at conversion


def test_a_malformed_fee_schedule_is_refused_in_chinese(parties):
    patent = make_granted_patent(parties.university)
    with pytest.raises(ValidationError) as info:
        _draft(
            parties, patent, fee_schedule={"free": False, "components": [{"type": "lump_sum", "amount": -5}]}
        )
    assert "许可使用费" in str(info.value)


def test_states_run_draft_checked_submitted_published_and_publication_writes_the_ledger(parties):
    """PUBLISHED writes one open_licence event from the announcement date with ref OL-<id>-v<n>."""
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent, announcement_no="CN-OL-2026-001")
    assert decl.state == "published" and decl.submitted_at and decl.published_at
    event = patent.right_events.get(kind="open_licence")
    assert event.source == "declaration" and event.source_ref == f"OL-{decl.pk}-v1"
    assert event.start_date == decl.published_at and event.end_date is None
    assert event.record_no == "CN-OL-2026-001"
    assert ledger.encumbrances_for(patent, decl.published_at).open_licence is not None
    assert ledger.encumbrances_for(patent, decl.published_at - dt.timedelta(days=1)).open_licence is None


def test_a_published_declaration_is_never_edited(parties):
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent)
    with pytest.raises(LicensingRefused) as info:
        open_licence.update_draft(
            parties.tto, decl, open_declaration_input(signed_by=patent.patentees), on=DAY
        )
    assert info.value.code == "STATE" and "撤回" in info.value.reason


def test_editing_a_checked_declaration_returns_it_to_draft(parties):
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent, stage="checked")
    edited = open_licence.update_draft(
        parties.tto,
        decl,
        open_declaration_input(signed_by=patent.patentees, fee_schedule=fee_lump_sum()),
        on=DAY,
    )
    assert edited.state == "draft" and edited.check_result == []
    with pytest.raises(LicensingRefused):
        open_licence.submit_declaration(parties.tto, edited, on=DAY)


def test_a_returned_declaration_keeps_the_reason_and_may_be_corrected(parties):
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent, stage="submitted")
    open_licence.record_return(parties.tto, decl, on=dt.date(2026, 1, 20), reason="联系方式不完整")
    decl.refresh_from_db()
    assert decl.state == "returned" and decl.return_reason == "联系方式不完整"
    edited = open_licence.update_draft(
        parties.tto, decl, open_declaration_input(signed_by=patent.patentees), on=DAY
    )
    assert edited.state == "draft"


def test_publication_without_submission_is_refused_by_the_state_machine(parties):
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent, stage="checked")
    with pytest.raises(LicensingRefused) as info:
        open_licence.record_publication(parties.tto, decl, published_at=DAY, announcement_no="X1")
    assert info.value.code == "STATE" and "已自检" in info.value.reason


def test_one_live_declaration_per_patent_is_refused_in_chinese(parties):
    """The DB constraint surfaces as a Chinese refusal; after withdrawal a new version is allowed."""
    patent = make_granted_patent(parties.university)
    first = make_declaration(parties.tto, patent)
    with pytest.raises(LicensingRefused) as info:
        _draft(parties, patent)
    assert info.value.code == "DECLARATION_EXISTS" and "已公告" in info.value.reason
    open_licence.request_withdrawal(parties.tto, first, on=dt.date(2026, 5, 1), reason="专利拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, first, published_at=dt.date(2026, 5, 20), on=dt.date(2026, 5, 20)
    )
    second = _draft(parties, patent)
    assert second.version == 2 and OpenLicenceDeclaration.objects.filter(patent=patent).count() == 2


@pytest.mark.parametrize("who", ["other_tto", "enterprise_user", "inventor"])
def test_only_the_owner_side_may_declare(parties, who):
    """Another university's TTO, an enterprise and an inventor are refused (403)."""
    patent = make_granted_patent(parties.university)
    with pytest.raises(PermissionDenied):
        open_licence.draft_declaration(
            getattr(parties, who), patent, open_declaration_input(signed_by=patent.patentees), on=DAY
        )
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()


def test_an_operator_declares_on_the_owners_mandate(parties):
    """The declarant organisation is the patent's owner, not the operation centre."""
    patent = make_granted_patent(parties.university)
    decl = open_licence.draft_declaration(
        parties.operator, patent, open_declaration_input(signed_by=patent.patentees), on=DAY
    )
    assert decl.declarant_org == parties.university


def test_other_universities_cannot_move_a_declaration_through_its_states(parties):
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent, stage="checked")
    with pytest.raises(PermissionDenied):
        open_licence.submit_declaration(parties.other_tto, decl, on=DAY)
    with pytest.raises(PermissionDenied):
        open_licence.check_declaration(decl, DAY, actor=parties.enterprise_user)


def test_declare_is_all_or_nothing(parties):
    """The API's one-step declare stores nothing when a rule blocks."""
    patent = make_coowned_patent(parties.university, "某某新材料有限公司")
    with pytest.raises(LicensingRefused) as info:
        open_licence.declare(
            parties.tto, patent, open_declaration_input(signed_by=[parties.university.name]), on=DAY
        )
    assert info.value.code == "NOT_ALL_PATENTEES"
    assert not OpenLicenceDeclaration.objects.filter(patent=patent).exists()
    decl, verdict = open_licence.declare(
        parties.tto,
        patent,
        open_declaration_input(signed_by=patent.patentees, fee_schedule=fee_free()),
        on=DAY,
    )
    assert verdict.allowed and decl.state == "checked"

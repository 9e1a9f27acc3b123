"""Open-licence building blocks: declaration documents (hashing, caps, names, access), the
catalogue's filter parsing and descriptions, licence terms and expiry, payment on acceptance, the
licensor acting for the patentee, the annual-fee table and the payment receiver."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import Document
from patentbridge.licensing.services import open_documents, open_fees, open_licence
from patentbridge.patents.models import Patent
from web.licensing.factories import (
    fee_free,
    fee_lump_sum,
    fee_royalty,
    make_declaration,
    make_granted_patent,
    make_member,
    make_org,
)

pytestmark = pytest.mark.django_db


def _upload(name="同意书.pdf", content=b"%PDF-1.4 consent"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- documents ----------------------------------------------------------------------------------


def test_a_consent_is_stored_by_its_hash_under_the_declaration(parties, patent, settings):
    decl = make_declaration(parties.tto, patent, stage="draft")
    doc = open_documents.attach_declaration_document(
        parties.tto, decl, _upload(), kind="coowner_consent", note="某某研究院"
    )
    digest = hashlib.sha256(b"%PDF-1.4 consent").hexdigest()
    assert doc.sha256 == digest and doc.size == 16 and doc.path == f"{decl.pk}/{digest}"
    path = open_documents.declaration_document_path(doc)
    assert path == (Path(settings.DATA_DIR) / "licensing" / "declarations" / str(decl.pk) / digest).resolve()
    assert path.read_bytes() == b"%PDF-1.4 consent"
    event = AuditEvent.objects.get(action="licensing.declaration.document_uploaded")
    assert event.data["sha256"] == digest and event.data["note"] == "某某研究院"


def test_empty_duplicate_oversized_and_unknown_kinds_are_refused(parties, patent, monkeypatch):
    decl = make_declaration(parties.tto, patent, stage="draft")
    with pytest.raises(ValidationError, match="文件为空"):
        open_documents.attach_declaration_document(parties.tto, decl, _upload(content=b""), kind="other")
    open_documents.attach_declaration_document(parties.tto, decl, _upload(), kind="other")
    with pytest.raises(ValidationError, match="已上传过"):
        open_documents.attach_declaration_document(parties.tto, decl, _upload("again.pdf"), kind="other")
    monkeypatch.setattr(open_documents, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="上限"):
        open_documents.attach_declaration_document(
            parties.tto, decl, _upload(content=b"x" * 11), kind="other"
        )
    with pytest.raises(ValidationError, match="文件类型"):
        open_documents.attach_declaration_document(parties.tto, decl, _upload(content=b"y"), kind="virus")
    assert decl.documents.count() == 1
    leftovers = [
        p.name for p in open_documents.declaration_document_path(decl.documents.get()).parent.iterdir()
    ]
    assert not [n for n in leftovers if n.startswith(".upload-")], "temporary files are removed"


def test_uploaded_names_cannot_escape_and_other_organisations_cannot_attach(parties, patent):
    decl = make_declaration(parties.tto, patent, stage="draft")
    doc = open_documents.attach_declaration_document(
        parties.tto, decl, _upload("../../etc/passwd"), kind="other"
    )
    assert doc.name == "passwd" and ".." not in doc.path
    with pytest.raises(PermissionDenied):
        open_documents.attach_declaration_document(
            parties.other_tto, decl, _upload(content=b"z"), kind="other"
        )
    forged = Document(
        name="x", kind="other", sha256="0" * 64, size=1, path="../../../etc/passwd", declaration=decl
    )
    with pytest.raises(PermissionDenied):
        open_documents.declaration_document_path(forged)


# --- catalogue helpers --------------------------------------------------------------------------


def test_catalogue_filters_are_trimmed_and_bad_values_ignored_with_a_reason():
    flt, problems = open_licence.CatalogueFilter.from_mapping(
        {
            "q": "  热泵  ",
            "ipc": " f25b 30",
            "grade": "E",
            "fee_type": "cheap",
            "patent_type": "x",
            "university": "1;drop",
        }
    )
    assert flt.q == "热泵" and flt.ipc == "F25B30"
    assert (flt.grade, flt.fee_type, flt.patent_type, flt.university) == ("", "", "", "")
    assert set(problems) == {"grade", "fee_type", "patent_type", "university"}
    long, _ = open_licence.CatalogueFilter.from_mapping({"q": "热" * 5000})
    assert len(long.q) == 100
    assert open_licence.CatalogueFilter.from_mapping({"grade": "A"})[0].active() == {"grade": "A"}


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"term_kind": "years_from_licence", "term_years": 3}, "自许可生效之日起 3 年（不超过专利权期限）"),
        ({"term_kind": "until_date", "term_until": dt.date(2030, 6, 30)}, "至 2030-06-30"),
        ({"term_kind": "until_patent_expiry"}, "至专利权期限届满（2042-03-01）"),
    ],
)
def test_terms_read_in_chinese(parties, patent, fields, text):
    decl = make_declaration(parties.tto, patent, stage="draft", **fields)
    assert open_licence.describe_term(decl) == text


def test_fee_descriptions_and_types(parties, patent):
    decl = make_declaration(
        parties.tto, patent, stage="draft", fee_schedule=fee_lump_sum("8000.00"), fee_text="含技术资料"
    )
    assert open_licence.describe_fee(decl) == "一次性许可费 ¥8,000.00（含技术资料）"
    assert open_licence.fee_type(fee_free()) == "free"
    assert open_licence.fee_type(fee_royalty("0.03", entry_fee=None)) == "royalty"
    assert open_licence.fee_type({"free": "maybe"}) == ""


def test_only_declarations_in_force_are_public(parties, patent):
    decl = make_declaration(parties.tto, patent)
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 4, 1), reason="拟转让")
    assert open_licence.get_public(decl.pk) == decl, "a requested withdrawal is not yet in effect"
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 4, 9), on=dt.date(2026, 4, 9)
    )
    for key in (decl.pk, "abc", "1e9", -1):
        with pytest.raises(Http404):
            open_licence.get_public(key)


def test_university_choices_list_only_declarants_with_declarations_in_force(parties, patent):
    make_declaration(parties.tto, patent)
    make_declaration(parties.other_tto, make_granted_patent(parties.other_university), stage="checked")
    names = [name for _, name in open_licence.filter_choices()["universities"]]
    assert names == [parties.university.name]


# --- licence terms, payment, licensor -----------------------------------------------------------


def test_expiry_is_computed_from_the_filing_date_when_not_recorded(parties):
    patent = make_granted_patent(parties.university, expiry_date=None)
    decl = make_declaration(parties.tto, patent)
    # 专利法 Art. 42: 20 years from the filing date 2022-03-01, the last day being 2042-02-28.
    assert open_licence.patent_expiry(decl) == dt.date(2042, 2, 28)
    acc = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    assert acc.contract.end_date == dt.date(2042, 2, 28)


def test_without_any_expiry_no_licence_end_can_be_set(parties, patent):
    decl = make_declaration(parties.tto, patent)
    Patent.objects.filter(pk=patent.pk).update(expiry_date=None, filing_date=None)
    decl.refresh_from_db()
    with pytest.raises(LicensingRefused) as info:
        open_licence.licence_end(decl, dt.date(2026, 3, 2))
    assert info.value.code == "L1" and "期限届满日未知" in info.value.reason


@pytest.mark.parametrize(
    ("schedule", "upfront"),
    [
        (fee_free(), False),
        (fee_royalty("0.03", entry_fee=None), False),
        (fee_lump_sum(), True),
        (
            {
                "free": False,
                "components": [
                    {"type": "entry_fee", "amount": "5000.00", "due": "signing"},
                    *fee_royalty("0.03", entry_fee=None)["components"],
                ],
            },
            True,
        ),
        (
            {
                "free": False,
                "components": [{"type": "milestone", "event": "首批产品上市", "amount": "9000.00"}],
            },
            False,
        ),
    ],
)
def test_which_standards_ask_for_money_on_acceptance(schedule, upfront):
    assert open_licence.needs_payment_on_acceptance(schedule) is upfront


def test_a_very_long_intended_use_is_refused(parties, patent):
    decl = make_declaration(parties.tto, patent)
    with pytest.raises(ValidationError, match="2000"):
        open_licence.accept_declaration(
            parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2), intended_use="用" * 2001
        )


def test_without_a_licensor_account_the_acceptance_is_refused_in_chinese(parties, patent):
    decl = make_declaration(parties.tto, patent)
    parties.tto.is_active = False
    parties.tto.save(update_fields=["is_active"])
    with pytest.raises(LicensingRefused) as info:
        open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    assert info.value.code == "OL_NO_LICENSOR" and parties.university.name in info.value.reason
    assert not decl.acceptances.exists(), "nothing is kept when the licence cannot be made"


def test_an_operator_declaration_is_executed_by_the_operator(parties, patent):
    decl = make_declaration(parties.operator, patent)
    assert open_licence.licensor_actor(decl) == parties.operator


def test_mark_paid_is_idempotent_and_ignores_other_contracts(
    parties, patent, django_capture_on_commit_callbacks
):
    decl = make_declaration(parties.tto, patent, fee_schedule=fee_lump_sum("1000.00"))
    acc = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    assert acc.state == "notified"
    assert open_licence.mark_paid(acc.contract, on=dt.date(2026, 3, 3)).state == "licensed"
    assert open_licence.mark_paid(acc.contract, on=dt.date(2026, 3, 4)).state == "licensed"
    assert AuditEvent.objects.filter(action="licensing.open_acceptance.licensed").count() == 1
    from web.licensing.factories import make_contract

    other = make_contract(parties, [make_granted_patent(parties.university)], stage="signed")
    assert open_licence.mark_paid(other, on=dt.date(2026, 3, 3)) is None


def test_the_acceptance_is_audited_for_the_enterprise(parties, patent):
    decl = make_declaration(parties.tto, patent)
    acc = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    event = AuditEvent.objects.get(action="licensing.open_acceptance.notified")
    assert event.actor == parties.enterprise_user and event.org == parties.enterprise
    assert event.data["contract_no"] == acc.contract.contract_no and event.data["notified_at"] == "2026-03-02"


def test_a_user_without_an_organisation_cannot_accept(parties, patent):
    from django.contrib.auth import get_user_model

    decl = make_declaration(parties.tto, patent)
    loner = get_user_model().objects.create_user(username="loner", password="x")
    with pytest.raises(PermissionDenied):
        open_licence.accept_declaration(loner, decl, notified_at=dt.date(2026, 3, 2))


# --- annual fees --------------------------------------------------------------------------------


def test_design_fees_run_to_the_fifteenth_year_and_stop_after_the_term(parties):
    design = make_granted_patent(parties.university, patent_type="design", filing_date=dt.date(2015, 3, 1))
    assert open_fees.next_fee_due(design, dt.date(2026, 2, 1)) == (12, dt.date(2026, 2, 28))
    plan = open_licence.annual_fee_plan(design, dt.date(2026, 2, 1))
    assert plan is not None and plan["full"] == "¥3,000.00"
    assert open_fees.next_fee_due(design, dt.date(2030, 3, 1)) is None
    assert open_licence.annual_fee_plan(design, dt.date(2030, 3, 1)) is None


def test_unknown_types_or_dates_give_no_fee_plan(parties):
    undated = make_granted_patent(parties.university)
    Patent.objects.filter(pk=undated.pk).update(filing_date=None)
    undated.refresh_from_db()
    assert open_fees.next_fee_due(undated, dt.date(2026, 1, 1)) is None
    untyped = make_granted_patent(parties.university, patent_type="invention")
    Patent.objects.filter(pk=untyped.pk).update(patent_type="")
    untyped.refresh_from_db()
    assert open_licence.annual_fee_plan(untyped, dt.date(2026, 1, 1)) is None


def test_declaration_refs_are_read_strictly(parties, patent):
    decl = make_declaration(parties.tto, patent)
    assert open_fees.declaration_for_ref(f"OL-{decl.pk}-v1") == decl
    for ref in ("", "OL-x-v1", "XK-2026-000001", f"OL-{decl.pk}"):
        assert open_fees.declaration_for_ref(ref) is None


def test_the_fee_flag_ignores_an_open_licence_recorded_by_hand_without_a_declaration(parties, patent):
    """A manual ledger entry (e.g. from an import) still counts for the reduction; it just names
    no platform declaration."""
    from patentbridge.licensing.services import ledger

    ledger.record_right_event(
        parties.operator,
        patent,
        kind="open_licence",
        start=dt.date(2025, 1, 1),
        source="import",
        source_ref="row-7",
    )
    flag = open_licence.open_licence_fee_flag(patent, dt.date(2026, 1, 1))
    assert flag.applies and flag.declaration_id is None and "公告号未登记" in flag.reason


def test_a_third_university_enterprise_member_sees_nothing_of_drafts(parties, patent):
    make_declaration(parties.tto, patent, stage="checked")
    third = make_org("第三所大学", "university")
    stranger = make_member(third, "tto")
    assert not open_licence.declarations_for(stranger).exists()
    assert open_licence.declarations_for(parties.tto).count() == 1
    assert not open_licence.declarations_for(parties.enterprise_user).exists(), "drafts are not published"

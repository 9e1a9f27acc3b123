"""Inventory chain (盘点入库): form entry, college review, university review, rejection; all audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.patents import services
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import restrict

pytestmark = pytest.mark.django_db

FORM = {
    "application_number": "CN202310123456.6",
    "title": "一种锂离子电池正极材料",
    "abstract": "提高循环寿命",
    "ipc": "H01M10/0525",
    "applicants": "西安交通大学",
    "filing_date": "2023-05-01",
    "college": "能源学院",
}


def _library_for(user):
    return set(restrict(Patent.objects.all(), user).values_list("application_number", flat=True))


def test_full_chain_from_inventor_to_library(users):
    """Draft → college → university → library; only then do enterprises see it; each step audited."""
    patent = services.create_patent(actor=users["inventor"], data=FORM)
    assert patent.library_status == "draft" and patent.application_number == "202310123456.6"
    assert patent.owner_org == users["inventor"].membership.org and patent.source_form
    assert patent.application_number not in _library_for(users["enterprise"])
    services.submit_patent(actor=users["inventor"], patent=patent)
    services.approve_college(actor=users["college"], patent=patent, note="同意")
    with pytest.raises(PermissionDenied):
        services.approve_university(actor=users["college"], patent=patent, self_assessment="good")
    with pytest.raises(ValidationError):
        services.approve_university(actor=users["tto"], patent=patent, self_assessment="")
    patent = services.approve_university(actor=users["tto"], patent=patent, self_assessment="fairly_good")
    assert patent.library_status == "in_library" and patent.self_assessment == "fairly_good"
    assert patent.application_number in _library_for(users["enterprise"])
    actions = list(
        AuditEvent.objects.filter(target_id=str(patent.pk), target_type="patents.patent")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "patents.patent.created",
        "patents.patent.submitted",
        "patents.patent.college_approved",
        "patents.patent.approved",
    ]
    approved = AuditEvent.objects.get(action="patents.patent.approved", target_id=str(patent.pk))
    assert approved.data["before"]["library_status"] == "pending_university"
    assert approved.actor_name == "tto" and approved.org == users["tto"].membership.org


def test_rejection_needs_a_reason_and_returns_to_the_inventor(users):
    """A reviewer must say why; the inventor can then edit and resubmit."""
    patent = services.create_patent(actor=users["inventor"], data=FORM, submit=True)
    with pytest.raises(ValidationError):
        services.reject_patent(actor=users["tto"], patent=patent, reason="  ")
    patent = services.reject_patent(actor=users["tto"], patent=patent, reason="摘要不完整")
    assert patent.library_status == "rejected" and patent.review_note == "摘要不完整"
    patent = services.update_patent(
        actor=users["inventor"], patent=patent, data={**FORM, "abstract": "完整摘要"}
    )
    assert patent.abstract == "完整摘要"
    patent = services.submit_patent(actor=users["inventor"], patent=patent)
    assert patent.library_status == "pending_college" and patent.review_note == ""


def test_other_organisations_cannot_review_or_see_pending_patents(users):
    """Another university's TTO neither sees nor reviews; enterprises never see pending records."""
    patent = services.create_patent(actor=users["inventor"], data=FORM, submit=True)
    for role in ("other_tto", "enterprise", "viewer"):
        assert patent.application_number not in _library_for(users[role])
    with pytest.raises(PermissionDenied):
        services.approve_college(actor=users["other_tto"], patent=patent)
    with pytest.raises(PermissionDenied):
        services.approve_college(actor=users["inventor"], patent=patent)
    assert patent.application_number in _library_for(users["operator"])
    assert patent.application_number in _library_for(users["tto"])


def test_college_reviewer_only_sees_their_college_at_the_college_step(users):
    """A reviewer scoped to 能源学院 cannot approve another college's patent."""
    other = services.create_patent(
        actor=users["inventor"],
        data={**FORM, "application_number": "202320123456.1", "college": "机械学院"},
        submit=True,
    )
    with pytest.raises(PermissionDenied):
        services.approve_college(actor=users["college"], patent=other)
    mine = services.create_patent(actor=users["inventor"], data=FORM, submit=True)
    services.approve_college(actor=users["college"], patent=mine)


def test_form_entry_validates_like_an_import(users):
    """A wrong check character or a duplicate number is refused with a field error."""
    with pytest.raises(ValidationError) as bad:
        services.create_patent(actor=users["inventor"], data={**FORM, "application_number": "202310123456.5"})
    assert "application_number" in bad.value.message_dict
    services.create_patent(actor=users["inventor"], data=FORM)
    with pytest.raises(ValidationError) as dup:
        services.create_patent(actor=users["tto"], data=FORM)
    assert "已在库中" in dup.value.message_dict["application_number"][0]
    with pytest.raises(PermissionDenied):
        services.create_patent(
            actor=users["enterprise"], data={**FORM, "application_number": "202320123456.1"}
        )


def test_state_guard_refuses_out_of_order_steps(users):
    """University approval of a patent still at the college step is refused."""
    patent = services.create_patent(actor=users["inventor"], data=FORM, submit=True)
    with pytest.raises(ValidationError):
        services.approve_university(actor=users["tto"], patent=patent, self_assessment="good")


def test_chain_configuration_is_validated_audited_and_reclassifies(users, chains):
    """Operators edit chains; bad patterns are refused; patents are reclassified after commit."""
    from patentbridge.patents.models import PatentClass

    patent = services.create_patent(actor=users["inventor"], data=FORM)
    assert PatentClass.objects.filter(patent=patent, scheme="chain", code="NEV").exists()
    with pytest.raises(PermissionDenied):
        services.save_chains(actor=users["tto"], config={"chains": []})
    with pytest.raises(ValidationError):
        services.save_chains(
            actor=users["operator"], config={"chains": [{"code": "X", "name": "x", "ipc": ["坏"]}]}
        )
    config = {"chains": [{"code": "BAT", "name": "储能电池", "ipc": ["H01M*"], "keywords": []}]}
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        services.save_chains(actor=users["operator"], config=config)
    assert set(PatentClass.objects.filter(patent=patent, scheme="chain").values_list("code", flat=True)) == {
        "BAT"
    }
    assert AuditEvent.objects.filter(action="patents.chains.saved").exists()


def test_form_entries_link_their_parties_like_imports(users):
    """A form-entered patent is findable by applicant (Party links), and an edit relinks them."""
    patent = services.create_patent(actor=users["inventor"], data=FORM)
    links = list(patent.party_links.select_related("party").values_list("party__name", "role", "position"))
    assert links == [("西安交通大学", "applicant", 0)]
    assert patent.party_links.get().party.kind == "university"
    services.update_patent(
        actor=users["inventor"], patent=patent, data={**FORM, "applicants": "山东大学;西安交通大学"}
    )
    names = list(
        patent.party_links.filter(role="applicant").order_by("position").values_list("party__name", flat=True)
    )
    assert names == ["山东大学", "西安交通大学"]

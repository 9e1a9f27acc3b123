"""Every state-changing service writes exactly one audit event for its change — with the action, the
actor, the organisation, the target and the before/after values — and a refused or invalid call
writes none (services are atomic: the event and the change commit together or not at all).

The view tests check the same events through the pages; these call the services directly, so a
service that a later page, command or API route reuses stays audited whoever calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.accounts import services as accounts
from patentbridge.accounts.models import ApiToken, Membership
from patentbridge.core.models import AuditEvent
from patentbridge.demands.services import set_need_ipc
from patentbridge.grading import public_list
from patentbridge.grading.services import grade_numbers, override_grade
from patentbridge.matching import services as matching
from patentbridge.matching.inbox import mark_inbox_seen
from patentbridge.patents import services as patents
from patentbridge.site.notifications import mark_all_read

from .factories import (
    chain_patent,
    import_rows,
    make_grade,
    make_match_item,
    make_need,
    make_notification,
    make_org,
    make_patent,
    make_token,
    patent_row,
)
from .matrix import stripped_user

pytestmark = pytest.mark.django_db


def _new_events(call: Callable[[], Any]) -> list[AuditEvent]:
    """Run ``call`` and return the audit events it wrote, oldest first."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    call()
    return list(AuditEvent.objects.filter(id__gt=last).order_by("id"))


def _one(call: Callable[[], Any]) -> AuditEvent:
    events = _new_events(call)
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def _refused(call: Callable[[], Any], exc: type[Exception]) -> None:
    """The call raises ``exc`` and leaves no audit event behind."""
    before = AuditEvent.objects.count()
    with pytest.raises(exc):
        call()
    assert AuditEvent.objects.count() == before


# --- accounts -----------------------------------------------------------------------------------------


def test_create_org_is_audited_with_its_values(users):
    event = _one(
        lambda: accounts.create_org(actor=users["admin"], name="新大学", kind="university", city="泰安市")
    )
    assert (event.action, event.actor, event.actor_name) == (
        "accounts.organization.created",
        users["admin"],
        "admin",
    )
    assert event.data["after"] == {
        "name": "新大学",
        "kind": "university",
        "province": "",
        "city": "泰安市",
        "uscc": "",
    }
    assert event.object_repr == "新大学"


@pytest.mark.parametrize("role", ["operator", "tto", "inventor", "enterprise", "viewer"])
def test_only_admins_create_organisations(users, role):
    _refused(
        lambda: accounts.create_org(actor=users[role], name="越权机构", kind="university"), PermissionDenied
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"name": "", "kind": "university"}, "name"), ({"name": "新机构", "kind": "bank"}, "kind")],
)
def test_invalid_organisation_is_refused_in_chinese(users, kwargs, field):
    with pytest.raises(ValidationError) as info:
        accounts.create_org(actor=users["admin"], **kwargs)
    assert field in info.value.message_dict
    assert not AuditEvent.objects.filter(action="accounts.organization.created").exists()


def test_duplicate_organisation_name_is_refused(users, orgs):
    _refused(
        lambda: accounts.create_org(actor=users["admin"], name="西安交通大学", kind="university"),
        ValidationError,
    )


def test_update_org_audits_only_the_changed_fields(users, orgs):
    event = _one(
        lambda: accounts.update_org(actor=users["admin"], org=orgs["uni"], city="西安市", province="陕西")
    )
    assert event.action == "accounts.organization.updated" and event.target_id == str(orgs["uni"].pk)
    assert event.data == {
        "before": {"province": "", "city": ""},
        "after": {"province": "陕西", "city": "西安市"},
    }


def test_update_org_refuses_unknown_fields_and_other_roles(users, orgs):
    _refused(
        lambda: accounts.update_org(actor=users["admin"], org=orgs["uni"], created_at=None), ValidationError
    )
    _refused(
        lambda: accounts.update_org(actor=users["operator"], org=orgs["uni"], city="x"), PermissionDenied
    )


def test_set_membership_audits_creation_and_change(users, orgs):
    """A new membership is audited as created (after only), a change as updated with the diff."""
    person = stripped_user("newcomer")
    created = _one(
        lambda: accounts.set_membership(actor=users["admin"], user=person, org=orgs["uni"], role="inventor")
    )
    assert created.action == "accounts.membership.created" and created.org == orgs["uni"]
    assert created.data == {
        "before": {"org": None, "role": None, "college": None},
        "after": {"org": "西安交通大学", "role": "inventor", "college": ""},
    }
    changed = _one(
        lambda: accounts.set_membership(
            actor=users["admin"], user=person, org=orgs["uni"], role="tto", college="能源学院"
        )
    )
    assert changed.action == "accounts.membership.updated"
    assert changed.data == {
        "before": {"role": "inventor", "college": ""},
        "after": {"role": "tto", "college": "能源学院"},
    }
    assert Membership.objects.get(user=person).role == "tto"


def test_set_membership_refuses_unknown_roles_and_non_admins(users, orgs):
    person = stripped_user("newcomer")
    _refused(
        lambda: accounts.set_membership(actor=users["admin"], user=person, org=orgs["uni"], role="king"),
        ValidationError,
    )
    _refused(
        lambda: accounts.set_membership(actor=users["operator"], user=person, org=orgs["uni"], role="viewer"),
        PermissionDenied,
    )
    assert not Membership.objects.filter(user=person).exists()


def test_tokens_are_audited_without_the_key(users):
    """Creating and revoking a token are audited with its name and owner; the key appears nowhere."""
    events = _new_events(lambda: make_token(users["viewer"], "报表同步"))
    token = ApiToken.objects.get(user=users["viewer"])
    assert [e.action for e in events] == ["accounts.token.created"]
    assert events[0].data == {"name": "报表同步", "user": "viewer"} and token.key_hash not in str(
        events[0].data
    )
    pk = token.pk
    revoked = _one(lambda: accounts.revoke_token(actor=users["viewer"], token=token))
    assert revoked.action == "accounts.token.revoked" and revoked.target_id == str(pk)
    assert not ApiToken.objects.filter(pk=pk).exists()


def test_admins_manage_others_tokens_but_nobody_else_does(users):
    token, _ = make_token(users["viewer"])
    _refused(
        lambda: accounts.create_token(actor=users["operator"], user=users["viewer"], name="x"),
        PermissionDenied,
    )
    _refused(lambda: accounts.revoke_token(actor=users["enterprise"], token=token), PermissionDenied)
    event = _one(lambda: accounts.revoke_token(actor=users["admin"], token=token))
    assert event.actor == users["admin"] and event.data["user"] == "viewer"


# --- patents ---------------------------------------------------------------------------------------------


def test_update_patent_audits_the_changed_fields_only(users):
    patent = chain_patent("draft", inventor=users["inventor"], reviewer=users["tto"])
    old_title = patent.title
    data = {**patent_row(patent.application_number), "title": "一种改进后的测试装置"}
    event = _one(lambda: patents.update_patent(actor=users["inventor"], patent=patent, data=data))
    assert event.action == "patents.patent.updated" and event.actor == users["inventor"]
    assert event.org == users["inventor"].membership.org
    assert (
        event.data["before"]["title"] == old_title and event.data["after"]["title"] == "一种改进后的测试装置"
    )
    assert "application_number" not in event.data["after"]


@pytest.mark.parametrize("role", ["other_tto", "enterprise", "viewer"])
def test_update_patent_refused_for_other_organisations(users, role):
    patent = chain_patent("draft", inventor=users["inventor"], reviewer=users["tto"])
    _refused(
        lambda: patents.update_patent(actor=users[role], patent=patent, data={"title": "篡改的名称"}),
        PermissionDenied,
    )
    patent.refresh_from_db()
    assert patent.title != "篡改的名称"


def test_inventor_cannot_edit_after_submission(users):
    """Once submitted, the inventor's record is the reviewers' until it is returned."""
    patent = chain_patent("pending_college", inventor=users["inventor"], reviewer=users["tto"])
    _refused(
        lambda: patents.update_patent(actor=users["inventor"], patent=patent, data={"title": "改"}),
        PermissionDenied,
    )


@pytest.mark.parametrize(
    ("status", "call", "action", "before", "after"),
    [
        ("draft", "submit", "patents.patent.submitted", "draft", "pending_college"),
        ("rejected", "submit", "patents.patent.submitted", "rejected", "pending_college"),
        (
            "pending_college",
            "college",
            "patents.patent.college_approved",
            "pending_college",
            "pending_university",
        ),
        ("pending_university", "approve", "patents.patent.approved", "pending_university", "in_library"),
        ("pending_college", "reject", "patents.patent.rejected", "pending_college", "rejected"),
        ("pending_university", "reject", "patents.patent.rejected", "pending_university", "rejected"),
    ],
)
def test_each_chain_step_writes_one_event_with_the_status_change(users, status, call, action, before, after):
    patent = chain_patent(status, inventor=users["inventor"], reviewer=users["tto"])
    actor = users["inventor"] if call == "submit" else users["tto"]
    step = {
        "submit": lambda: patents.submit_patent(actor=actor, patent=patent),
        "college": lambda: patents.approve_college(actor=actor, patent=patent, note="同意"),
        "approve": lambda: patents.approve_university(actor=actor, patent=patent, self_assessment="good"),
        "reject": lambda: patents.reject_patent(actor=actor, patent=patent, reason="请补充附图"),
    }[call]
    event = _one(step)
    assert (event.action, event.actor, event.org) == (action, actor, actor.membership.org)
    assert event.target_type == "patents.patent" and event.target_id == str(patent.pk)
    assert event.data["before"] == {"library_status": before}
    assert event.data["after"]["library_status"] == after


@pytest.mark.parametrize(
    ("status", "call", "exc"),
    [
        ("in_library", "submit", ValidationError),
        ("pending_college", "approve", ValidationError),
        ("draft", "college", ValidationError),
        ("in_library", "reject", ValidationError),
    ],
)
def test_steps_out_of_order_are_refused_without_an_event(users, status, call, exc):
    patent = chain_patent(status, inventor=users["inventor"], reviewer=users["tto"])
    actor = users["tto"]
    step = {
        "submit": lambda: patents.submit_patent(actor=actor, patent=patent),
        "college": lambda: patents.approve_college(actor=actor, patent=patent),
        "approve": lambda: patents.approve_university(actor=actor, patent=patent, self_assessment="good"),
        "reject": lambda: patents.reject_patent(actor=actor, patent=patent, reason="理由"),
    }[call]
    _refused(step, exc)
    patent.refresh_from_db()
    assert patent.library_status == status


def test_college_reviewer_is_limited_to_their_college(users):
    """A college reviewer approves their college's records at the college step, nothing else."""
    own = chain_patent(
        "pending_college",
        inventor=users["inventor"],
        reviewer=users["tto"],
        data=patent_row(college="能源学院"),
    )
    other = chain_patent(
        "pending_college",
        inventor=users["inventor"],
        reviewer=users["tto"],
        data=patent_row(college="化学学院"),
    )
    event = _one(lambda: patents.approve_college(actor=users["college"], patent=own))
    assert event.actor == users["college"]
    _refused(lambda: patents.approve_college(actor=users["college"], patent=other), PermissionDenied)
    own.refresh_from_db()
    _refused(
        lambda: patents.approve_university(actor=users["college"], patent=own, self_assessment="good"),
        PermissionDenied,
    )


def test_save_chains_audits_before_and_after(users, chains):
    config = {"chains": [{"code": "HP", "name": "热泵", "ipc": ["F25B"], "keywords": ["热泵"]}]}
    event = _one(lambda: patents.save_chains(actor=users["operator"], config=config, reclassify=False))
    assert event.action == "patents.chains.saved" and event.actor == users["operator"]
    assert {c["code"] for c in event.data["before"]} >= {"GLC"} and event.data["after"] == config["chains"]
    _refused(lambda: patents.save_chains(actor=users["tto"], config=config), PermissionDenied)
    _refused(
        lambda: patents.save_chains(actor=users["operator"], config={"chains": [{"code": "X"}]}),
        ValidationError,
    )


# --- demands ----------------------------------------------------------------------------------------------


def test_need_creation_and_correction_are_audited(users):
    need = make_need(users["enterprise"])
    created = AuditEvent.objects.get(action="demands.need.created", target_id=str(need.pk))
    assert created.actor == users["enterprise"] and created.org == need.org
    assert created.data["after"] == {"ipc": need.ipc, "chains": [c["code"] for c in need.chains]}
    before = {"ipc": need.ipc, "chains": [c["code"] for c in need.chains]}
    event = _one(lambda: set_need_ipc(actor=users["operator"], need=need, ipc_text="H01M10/0525"))
    assert event.action == "demands.need.classified" and event.data["before"] == before
    assert event.data["after"]["ipc"] == ["H01M10/0525"]


# --- matching ----------------------------------------------------------------------------------------------


@pytest.fixture
def need(users):
    return make_need(users["enterprise"])


def test_curation_push_feedback_and_inbox_each_write_one_event(users, need):
    """pin, push, feedback and the first inbox visit: one event each, on the need's organisation."""
    patent = make_patent(title="一种余热回收热泵")
    pin = _one(
        lambda: matching.curate(
            actor=users["operator"], need=need, application_number=patent.application_number, action="pin"
        )
    )
    assert pin.action == "matching.item.pinned" and pin.org == need.org
    push = _one(lambda: matching.push_shortlist(actor=users["operator"], need=need))
    assert push.action == "matching.shortlist.pushed" and push.data == {
        "need": need.pk,
        "patents": [patent.application_number],
    }
    seen = _one(lambda: mark_inbox_seen(actor=users["enterprise"]))
    assert seen.action == "matching.inbox.seen" and seen.actor == users["enterprise"]
    assert _new_events(lambda: mark_inbox_seen(actor=users["enterprise"])) == []
    item = need.match_items.get()
    feedback = _one(
        lambda: matching.give_feedback(actor=users["enterprise"], item=item, verdict="interested")
    )
    assert feedback.data["after"] == {"feedback": "interested", "reason": ""}


def test_refused_curation_and_feedback_write_nothing(users, need):
    patent = make_patent()
    _refused(
        lambda: matching.curate(
            actor=users["tto"], need=need, application_number=patent.application_number, action="pin"
        ),
        PermissionDenied,
    )
    _refused(lambda: matching.push_shortlist(actor=users["operator"], need=need), ValidationError)
    item = make_match_item(need, patent, operator=users["operator"], state="pushed")
    _refused(
        lambda: matching.give_feedback(actor=users["operator"], item=item, verdict="interested"),
        PermissionDenied,
    )
    _refused(
        lambda: matching.give_feedback(actor=users["enterprise"], item=item, verdict="meh"), ValidationError
    )


def test_feedback_can_be_changed_and_the_change_is_audited(users, need):
    """A second answer replaces the first; its event keeps the first as ``before``."""
    patent = make_patent()
    item = make_match_item(
        need,
        patent,
        operator=users["operator"],
        state="pushed",
        feedback="interested",
        enterprise=users["enterprise"],
    )
    event = _one(
        lambda: matching.give_feedback(
            actor=users["enterprise"], item=item, verdict="not_relevant", reason="温区不符"
        )
    )
    assert event.data == {
        "before": {"feedback": "interested", "reason": ""},
        "after": {"feedback": "not_relevant", "reason": "温区不符"},
    }


# --- grading ------------------------------------------------------------------------------------------------


def test_recomputed_grades_write_one_summary_event(users):
    """Grades are derived data: one system event per recomputation, not one per patent."""
    for _ in range(3):
        make_patent()
    event = _one(lambda: grade_numbers())
    assert event.action == "grading.grades.computed" and event.actor is None and event.actor_name == "system"
    assert event.data["patents"] == 3 and event.data["policy_version"]
    assert _new_events(lambda: grade_numbers([])) == []


def test_override_refused_without_a_grade_writes_nothing(users, orgs):
    patent = make_patent(owner=orgs["uni"])
    _refused(
        lambda: override_grade(actor=users["tto"], patent=patent, grade="A", reason="已有许可意向"),
        ValidationError,
    )
    make_grade(patent)
    event = _one(lambda: override_grade(actor=users["tto"], patent=patent, grade="A", reason="已有许可意向"))
    assert event.org == orgs["uni"] and event.data["after"]["final"] == "A"


def test_public_list_entry_and_exit_are_system_events_with_notifications(users, orgs):
    """Entering and leaving the list are audited as the system, on the owner's organisation, and the
    owner is notified each time."""
    patent = make_patent(
        owner=orgs["uni"],
        legal_status="granted",
        fiscal_funded=True,
        grant_date=dt.date(2018, 3, 1),
        filing_date=dt.date(2016, 1, 5),
        province="山东省",
        city="青岛市",
    )
    entered = _new_events(lambda: public_list.recompute_public_list())
    assert [e.action for e in entered] == ["grading.public_list.entered"]
    assert (
        entered[0].actor is None
        and entered[0].org == orgs["uni"]
        and entered[0].data["jurisdiction"] == "shandong"
    )
    left = _new_events(
        lambda: public_list.record_implementation(
            actor=users["tto"], patent=patent, kind="transfer", date=dt.date(2024, 1, 2), evidence="转让合同"
        )
    )
    assert [e.action for e in left] == ["grading.implementation.recorded", "grading.public_list.left"]
    assert left[1].data["reason"] == "已记录实施（2024-01-02）"
    assert orgs["uni"].notifications.count() == 2


def test_notifications_read_is_one_event_per_visit_with_news(users, orgs):
    make_notification(orgs["uni"])
    event = _one(lambda: mark_all_read(actor=users["tto"]))
    assert event.action == "core.notifications.read" and event.org == orgs["uni"]
    assert _new_events(lambda: mark_all_read(actor=users["tto"])) == []
    assert _new_events(lambda: mark_all_read(actor=stripped_user())) == []


# --- ingest -----------------------------------------------------------------------------------------------


def test_an_import_writes_created_started_and_completed(users, tmp_path):
    """Three batch events (not one per row for the batch itself), all on the importer's organisation."""
    events = _new_events(lambda: import_rows(users["tto"], [patent_row(), patent_row()], tmp_path))
    batch_events = [e for e in events if e.action.startswith("ingest.batch.")]
    assert [e.action for e in batch_events] == [
        "ingest.batch.created",
        "ingest.batch.started",
        "ingest.batch.completed",
    ]
    assert {e.org for e in batch_events} == {users["tto"].membership.org}
    assert batch_events[-1].data == {"rows": 2, "imported": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert sum(e.action == "patents.patent.imported" for e in events) == 2


def test_a_failed_import_is_audited_with_the_chinese_reason(users, tmp_path):
    """A file the reader cannot parse ends as a failed batch with its reason in the audit log."""
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    from .conftest import run_import

    try:
        batch = run_import(users["operator"], path, org=make_org())
    except ValidationError as exc:  # refused up front when the archive cannot be opened at all
        assert exc.messages and not exc.messages[0].isascii()
        assert not AuditEvent.objects.filter(action="ingest.batch.created").exists()
        return
    assert batch.status == "failed" and batch.error and not batch.error.isascii()
    failed = AuditEvent.objects.get(action="ingest.batch.failed")
    assert failed.data == {"error": batch.error}

"""Offers and applications through their services (real database, frozen business dates): who may
publish what, the fee schedule and region checks, the offer workflow, applications with the trial
cap and rule L11, acceptance into a contract draft, and the one-click trial from the inbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceApplication
from patentbridge.licensing.services import applications as apps
from patentbridge.licensing.services import contracts, offers
from patentbridge.licensing.services.deal_regions import parse_region_codes, region_label, within
from patentbridge_engine.licensing import policy
from web.factories import make_match_item, make_need
from web.licensing.factories import Parties, fee_royalty, make_granted_patent

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 3, 2)


def draft(parties: Parties, patents: list[Any], actor: Any = None, **values: Any) -> Any:
    """A draft offer of the university with a trial and pre-agreed royalty terms."""
    data: dict[str, Any] = {
        "title": "高端装备专利包定向许可",
        "modes": ["trial_then_paid", "paid"],
        "paid_terms": fee_royalty(),
        "price_method": "listing",
    }
    data.update(values)
    return offers.create_offer(
        actor or parties.tto, publisher_org=parties.university, patents=patents, on=ON, **data
    )


def published(parties: Parties, patents: list[Any], **values: Any) -> Any:
    offer = draft(parties, patents, **values)
    offers.offer_step(parties.tto, offer, "submit", on=ON)
    return offers.offer_step(parties.tto, offer, "approve", on=ON)


def audit_actions(target: Any) -> list[str]:
    label = target._meta.label_lower
    return list(
        AuditEvent.objects.filter(target_type=label, target_id=str(target.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- offers -------------------------------------------------------------------------------------


def test_tto_drafts_an_offer_with_policy_trial_months_and_canonical_terms(parties, patent):
    """A draft gets the policy's default trial length when none is given and the canonical fee
    dict, and its creation is audited with the terms."""
    offer = draft(parties, [patent])
    assert offer.state == "draft"
    assert offer.trial_months == int(policy.value("TRIAL_DEFAULT_MONTHS", as_of=ON))
    assert offer.paid_terms["components"][-1]["rates"] == [{"from_year": 1, "rate": "0.03"}]
    assert list(offer.patents.all()) == [patent]
    event = AuditEvent.objects.get(action="licensing.offer.created", target_id=str(offer.pk))
    assert event.data["patents"] == [patent.application_number]
    assert event.data["after"]["trial_months"] == offer.trial_months


def test_trial_months_are_kept_when_given_and_dropped_without_a_trial_mode(parties, patent):
    assert draft(parties, [patent], trial_months=3).trial_months == 3
    assert draft(parties, [patent], modes=["paid"], trial_months=3).trial_months is None


def test_an_operator_publishes_on_behalf_of_the_owner(parties, patent):
    offer = draft(parties, [patent], actor=parties.operator)
    assert offer.publisher_org == parties.university
    assert (
        AuditEvent.objects.get(action="licensing.offer.created", target_id=str(offer.pk)).actor
        == parties.operator
    )


def test_a_tto_cannot_publish_for_another_organisation(parties, patent):
    with pytest.raises(LicensingRefused) as refused:
        draft(parties, [patent], actor=parties.other_tto)
    assert refused.value.code == "NOT_PUBLISHER"


def test_enterprises_and_inventors_may_not_offer(parties, patent):
    for user in (parties.enterprise_user, parties.inventor):
        with pytest.raises(PermissionDenied):
            draft(parties, [patent], actor=user)


def test_only_the_publishers_in_library_patents_can_be_offered(parties, patent):
    foreign = make_granted_patent(parties.other_university)
    with pytest.raises(ValidationError) as invalid:
        draft(parties, [patent, foreign])
    assert "patents" in invalid.value.message_dict
    pending = make_granted_patent(parties.university, status="pending_university")
    with pytest.raises(ValidationError, match="尚未入库"):
        draft(parties, [pending])
    with pytest.raises(ValidationError, match="至少选择一件"):
        draft(parties, [])


def test_resolve_patents_reads_common_spellings_and_does_not_reveal_other_owners(parties, patent):
    digits = patent.application_number.replace(".", "")
    found = offers.resolve_patents(parties.university, [f"CN{digits}", patent.application_number])
    assert found == [patent]
    foreign = make_granted_patent(parties.other_university)
    with pytest.raises(ValidationError) as invalid:
        offers.resolve_patents(parties.university, [foreign.application_number, "not-a-number"])
    text = "；".join(invalid.value.message_dict["patents"])
    assert foreign.application_number in text and parties.other_university.name not in text
    assert "申请号格式不正确" in text


def test_a_malformed_fee_schedule_is_refused_on_the_field_with_the_engine_reason(parties, patent):
    bad = fee_royalty()
    bad["components"][1]["rates"][0]["rate"] = "1.5"
    with pytest.raises(ValidationError) as invalid:
        draft(parties, [patent], paid_terms=bad)
    message = invalid.value.message_dict["paid_terms"][0]
    assert message.startswith("components[1].rates[0].rate：")


def test_a_trial_must_be_an_ordinary_licence(parties, patent):
    with pytest.raises(ValidationError) as invalid:
        draft(parties, [patent], licence_kind="exclusive")
    assert "L10" in invalid.value.message_dict["licence_kind"][0]
    assert draft(parties, [patent], modes=["paid"], licence_kind="exclusive").licence_kind == "exclusive"


def test_target_regions_are_checked_and_kept_as_prefixes(parties, patent):
    offer = draft(parties, [patent], target_regions="370900，371522 370000")
    assert offer.target_regions == ["3709", "371522", "37"]
    with pytest.raises(ValidationError) as invalid:
        draft(parties, [patent], target_regions="37090X, 1")
    assert "GB/T 2260" in invalid.value.message_dict["target_regions"][0]


def test_hostile_text_and_numbers_are_refused(parties, patent):
    with pytest.raises(ValidationError) as invalid:
        draft(parties, [patent], title="长" * 201, trial_months="9" * 30, max_trials_per_patent=-1)
    errors = invalid.value.message_dict
    assert set(errors) >= {"title", "trial_months", "max_trials_per_patent"}


def test_the_offer_workflow_runs_through_the_engine_machine_and_is_audited(parties, patent):
    offer = published(parties, [patent])
    assert offer.state == "published" and offer.published_at is not None
    offers.offer_step(parties.tto, offer, "pause", on=ON)
    offers.offer_step(parties.tto, offer, "resume", on=ON)
    offer = offers.offer_step(parties.tto, offer, "close", on=ON)
    assert offer.state == "closed"
    assert audit_actions(offer) == [
        "licensing.offer.created",
        "licensing.offer.submitted",
        "licensing.offer.published",
        "licensing.offer.paused",
        "licensing.offer.resumed",
        "licensing.offer.closed",
    ]
    with pytest.raises(LicensingRefused) as refused:
        offers.offer_step(parties.tto, offer, "resume", on=ON)
    assert refused.value.code == "INVALID_TRANSITION" and "已关闭" in refused.value.reason


def test_review_can_return_an_offer_to_draft_for_editing(parties, patent):
    offer = draft(parties, [patent])
    offers.offer_step(parties.tto, offer, "submit", on=ON)
    with pytest.raises(LicensingRefused, match="只有草稿"):
        offers.update_offer(parties.tto, offer, patents=[patent], on=ON, title="改名", modes=["paid"])
    offers.offer_step(parties.tto, offer, "reject", on=ON, note="请补充付费条件")
    offer = offers.update_offer(parties.tto, offer, patents=[patent], on=ON, title="改名", modes=["paid"])
    assert offer.title == "改名" and offer.modes == ["paid"]
    event = AuditEvent.objects.filter(action="licensing.offer.updated", target_id=str(offer.pk)).get()
    assert event.data["after"]["title"] == "改名"


def test_publishing_needs_computable_paid_terms_when_the_enterprise_must_see_them(parties, patent):
    offer = draft(parties, [patent], paid_terms={})
    offers.offer_step(parties.tto, offer, "submit", on=ON)
    with pytest.raises(LicensingRefused) as refused:
        offers.offer_step(parties.tto, offer, "approve", on=ON)
    assert refused.value.code == "L9"
    incomplete = fee_royalty()
    incomplete["components"][1]["base"] = None
    offer = draft(parties, [patent], paid_terms=incomplete)
    offers.offer_step(parties.tto, offer, "submit", on=ON)
    with pytest.raises(LicensingRefused) as refused:
        offers.offer_step(parties.tto, offer, "approve", on=ON)
    assert refused.value.code == "L9" and "计提基数" in refused.value.reason
    negotiated = draft(
        parties, [patent], modes=["trial_then_paid"], paid_terms={}, trial_conversion_mode="negotiate"
    )
    offers.offer_step(parties.tto, negotiated, "submit", on=ON)
    assert offers.offer_step(parties.tto, negotiated, "approve", on=ON).state == "published"


def test_warnings_name_the_pricing_rule_for_a_state_run_publisher(parties, patent):
    offer = draft(parties, [patent], price_method="", region_only=True)
    texts = offers.offer_warnings(offer)
    assert any("L7" in t for t in texts) and any("未填写定向地区" in t for t in texts)


# --- regions ---------------------------------------------------------------------------------------


def test_region_helpers():
    assert region_label("371522") == "聊城市莘县"
    assert region_label("370900") == "泰安市"
    assert region_label("370999") == "泰安市（370999）"
    assert region_label("") == "未知地区"
    assert within("370902", ["3709"]) and not within("370212", ["3709"])
    assert within("", []) and not within("", ["37"])
    codes, problems = parse_region_codes(["37", "37", "abc"])
    assert codes == ["37"] and problems


# --- applications ----------------------------------------------------------------------------------


def test_an_enterprise_applies_for_a_trial(parties, patent):
    offer = published(parties, [patent], target_regions="3709")
    application = apps.apply_for_licence(
        parties.enterprise_user,
        offer,
        patents=[patent],
        requested_mode="trial_then_paid",
        intended_use="数控机床主轴",
    )
    assert application.state == "submitted" and application.applicant_org == parties.enterprise
    assert application.out_of_region is False
    assert audit_actions(application) == ["licensing.application.submitted"]


def test_applications_are_checked(parties, patent):
    offer = draft(parties, [patent], modes=["paid"])
    with pytest.raises(LicensingRefused) as refused:
        apps.apply_for_licence(parties.enterprise_user, offer, patents=[patent], requested_mode="paid")
    assert refused.value.code == "OFFER_NOT_PUBLISHED"
    offers.offer_step(parties.tto, offer, "submit", on=ON)
    offers.offer_step(parties.tto, offer, "approve", on=ON)
    with pytest.raises(ValidationError, match="可申请的方式：付费许可"):
        apps.apply_for_licence(
            parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
        )
    other = make_granted_patent(parties.university)
    with pytest.raises(ValidationError, match=other.application_number):
        apps.apply_for_licence(parties.enterprise_user, offer, patents=[other], requested_mode="paid")
    with pytest.raises(ValidationError):
        apps.apply_for_licence(
            parties.enterprise_user, offer, patents=[patent], requested_mode="paid", intended_use="x" * 2001
        )
    with pytest.raises(PermissionDenied):
        apps.apply_for_licence(parties.tto, offer, patents=[patent], requested_mode="paid")
    apps.apply_for_licence(parties.enterprise_user, offer, patents=[patent], requested_mode="paid")
    with pytest.raises(LicensingRefused) as refused:
        apps.apply_for_licence(parties.enterprise_user, offer, patents=[patent], requested_mode="paid")
    assert refused.value.code == "APPLICATION_PENDING"


def test_max_trials_per_patent_is_enforced_with_a_chinese_refusal(parties, patent):
    offer = published(parties, [patent], max_trials_per_patent=1)
    first = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    second = apps.apply_for_licence(
        parties.other_enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    assert apps.trial_places_left(offer, patent) == 1
    apps.accept_application(parties.tto, first, on=ON)
    assert apps.trial_places_left(offer, patent) == 0
    assert apps.trial_places_left(offer, patent, applicant_org=parties.enterprise) == 1
    with pytest.raises(LicensingRefused) as refused:
        apps.accept_application(parties.tto, second, on=ON)
    assert refused.value.code == "MAX_TRIALS" and "名额已满" in refused.value.reason
    third_org_user = parties.other_enterprise_user
    apps.withdraw_application(third_org_user, second)
    with pytest.raises(LicensingRefused, match="最多 1 家企业试用"):
        apps.apply_for_licence(third_org_user, offer, patents=[patent], requested_mode="trial_then_paid")
    # A paid licence is not capped.
    assert apps.apply_for_licence(third_org_user, offer, patents=[patent], requested_mode="paid").pk


def test_accepting_creates_a_directed_trial_contract_with_the_offer_terms(parties, patent):
    offer = published(parties, [patent], trial_months=6, trial_extensions_allowed=1)
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    contract = apps.accept_application(parties.tto, application, on=ON)
    application.refresh_from_db()
    assert application.state == "accepted" and application.decided_at is not None
    assert contract.state == "draft" and contract.origin == "directed_trial"
    assert contract.offer == offer and contract.application == application
    assert contract.start_date == ON and contract.trial_end == dt.date(2026, 9, 2)
    assert contract.end_date == dt.date(2029, 3, 2)
    assert contract.fee_schedule == offer.paid_terms and contract.kind == "ordinary"
    assert contract.trial_extensions_allowed == 1 and contract.usage_report_required
    assert contract.licensee_org == parties.enterprise and contract.licensor_org == parties.university
    accepted = AuditEvent.objects.get(action="licensing.application.accepted", target_id=str(application.pk))
    assert accepted.data["contract"] == contract.contract_no
    with pytest.raises(LicensingRefused) as refused:
        apps.accept_application(parties.tto, application, on=ON)
    assert refused.value.code == "INVALID_TRANSITION"


def test_a_paid_application_becomes_a_directed_contract_of_the_offer_kind(parties, patent):
    offer = published(parties, [patent], modes=["paid"], licence_kind="sole")
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    contract = apps.accept_application(parties.tto, application, on=ON, end=dt.date(2027, 3, 1))
    assert contract.origin == "directed" and contract.kind == "sole" and contract.trial_months is None
    assert contract.end_date == dt.date(2027, 3, 1)
    with pytest.raises(ValidationError):
        apps.accept_application(
            parties.tto,
            apps.apply_for_licence(
                parties.other_enterprise_user, offer, patents=[patent], requested_mode="paid"
            ),
            on=ON,
            end=ON,
        )


def test_the_default_term_stops_at_the_earliest_expiry(parties):
    short = make_granted_patent(parties.university, expiry_date=dt.date(2027, 1, 1))
    offer = published(parties, [short], modes=["paid"])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[short], requested_mode="paid"
    )
    assert apps.default_end(application, ON) == dt.date(2027, 1, 1)


def test_only_the_publisher_or_an_operator_decides(parties, patent):
    offer = published(parties, [patent])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    with pytest.raises(LicensingRefused) as refused:
        apps.accept_application(parties.other_tto, application, on=ON)
    assert refused.value.code == "NOT_PUBLISHER"
    with pytest.raises(PermissionDenied):
        apps.reject_application(parties.enterprise_user, application, reason="不行")
    with pytest.raises(ValidationError, match="拒绝理由"):
        apps.reject_application(parties.operator, application, reason="  ")
    rejected = apps.reject_application(parties.operator, application, reason="技术方向不符")
    assert rejected.state == "rejected" and rejected.decision_reason == "技术方向不符"
    with pytest.raises(LicensingRefused):
        apps.withdraw_application(parties.enterprise_user, rejected)


def test_only_the_applicant_withdraws(parties, patent):
    offer = published(parties, [patent])
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    with pytest.raises(LicensingRefused) as refused:
        apps.withdraw_application(parties.other_enterprise_user, application)
    assert refused.value.code == "NOT_APPLICANT"
    assert apps.withdraw_application(parties.enterprise_user, application).state == "withdrawn"
    assert audit_actions(application)[-1] == "licensing.application.withdrawn"


def test_out_of_region_applicant_needs_confirmation_when_the_offer_is_region_only(parties, patent):
    """L11: flagged, refused until the publisher confirms, then the contract signs as out-of-region."""
    offer = published(parties, [patent], target_regions="3715", region_only=True)
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    assert application.out_of_region and apps.needs_region_confirmation(application)
    with pytest.raises(LicensingRefused) as refused:
        apps.accept_application(parties.tto, application, on=ON)
    assert refused.value.code == "L11" and "确认区域外申请" in refused.value.reason
    application = apps.confirm_region(parties.tto, application)
    assert application.region_confirmed_by == parties.tto and not apps.needs_region_confirmation(application)
    with pytest.raises(LicensingRefused):
        apps.confirm_region(parties.other_tto, application)
    contract = apps.accept_application(parties.tto, application, on=ON)
    contracts.submit(parties.tto, contract, on=ON)
    contracts.approve(parties.tto, contract, on=ON)
    contract = contracts.sign(parties.tto, contract, on=ON)
    assert contract.state == "active_trial" and contract.out_of_region


def test_out_of_region_is_only_counted_without_region_only(parties, patent):
    offer = published(parties, [patent], target_regions="3715")
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="paid"
    )
    assert application.out_of_region and not apps.needs_region_confirmation(application)
    assert apps.accept_application(parties.tto, application, on=ON).state == "draft"
    inside = apps.apply_for_licence(
        parties.other_enterprise_user, published(parties, [patent]), patents=[patent], requested_mode="paid"
    )
    assert not inside.out_of_region
    with pytest.raises(LicensingRefused, match="无需确认"):
        apps.confirm_region(parties.tto, inside)


def test_one_click_trial_from_a_pushed_patent_marked_interested(parties, patent):
    offer = published(parties, [patent])
    need = make_need(parties.enterprise_user, title="主轴热变形补偿")
    item = make_match_item(
        need,
        patent,
        operator=parties.operator,
        state="pushed",
        feedback="interested",
        enterprise=parties.enterprise_user,
    )
    application = apps.apply_from_interest(parties.enterprise_user, item)
    assert application.offer == offer and application.requested_mode == "trial_then_paid"
    assert list(application.patents.all()) == [patent] and application.match_item == item
    assert "主轴热变形补偿" in application.intended_use
    with pytest.raises(LicensingRefused) as refused:
        apps.apply_from_interest(parties.other_enterprise_user, item)
    assert refused.value.code == "NOT_OWN_ITEM"


def test_one_click_needs_interest_and_an_offer(parties, patent):
    need = make_need(parties.enterprise_user)
    item = make_match_item(need, patent, operator=parties.operator, state="pushed")
    with pytest.raises(LicensingRefused) as refused:
        apps.apply_from_interest(parties.enterprise_user, item)
    assert refused.value.code == "NOT_INTERESTED"
    other = make_granted_patent(parties.university)
    item = make_match_item(
        need,
        other,
        operator=parties.operator,
        state="pushed",
        feedback="interested",
        enterprise=parties.enterprise_user,
    )
    with pytest.raises(LicensingRefused) as refused:
        apps.apply_from_interest(parties.enterprise_user, item)
    assert refused.value.code == "NO_OFFER"
    assert not LicenceApplication.objects.exists()


# --- the fee-schedule builder form -------------------------------------------------------------------


def fee_form(**data: str) -> Any:
    from patentbridge.licensing.views.forms_fee import FeeScheduleForm

    form = FeeScheduleForm({f"fee-{k}": v for k, v in data.items()}, prefix="fee")
    form.is_valid()
    return form


def test_fee_builder_free_and_nothing():
    assert fee_form(fee_type="free").schedule == {"free": True, "components": []}
    empty = fee_form(fee_type="")
    assert empty.is_valid() and empty.schedule == {} and empty.describe() == "未约定付费条件"
    assert fee_form(fee_type="free").describe() == "免费许可"


def test_fee_builder_lump_sum_with_instalments():
    form = fee_form(
        fee_type="lump_sum",
        lump_sum_amount="120000",
        lump_sum_instalments="2026-03-01 60,000\n\n2026-09-01 60000",
    )
    assert form.is_valid(), form.errors
    (lump,) = form.schedule["components"]
    assert lump == {
        "type": "lump_sum",
        "amount": "120000.00",
        "instalments": [
            {"date": "2026-03-01", "amount": "60000.00"},
            {"date": "2026-09-01", "amount": "60000.00"},
        ],
    }


def test_fee_builder_instalment_lines_are_checked():
    form = fee_form(
        fee_type="lump_sum", lump_sum_amount="1000", lump_sum_instalments="明天 500\n2026-02-30 500"
    )
    errors = " ".join(form.errors["lump_sum_instalments"])
    assert "第 1 行" in errors and "第 2 行" in errors and form.schedule == {}
    uneven = fee_form(fee_type="lump_sum", lump_sum_amount="1000", lump_sum_instalments="2026-03-01 600")
    assert "lump_sum_instalments" in uneven.errors


def test_fee_builder_entry_fee_and_royalty_with_percent_rates():
    form = fee_form(
        fee_type="royalty",
        entry_fee_amount="50000",
        entry_fee_due="signing",
        royalty_base="net_sales",
        royalty_rate="2.5",
        royalty_min_annual="10000",
        royalty_cap_annual="200000",
        royalty_cap_total="1000000",
        royalty_report_period="half",
        royalty_pay_within_days="45",
    )
    assert form.is_valid(), form.errors
    entry, royalty = form.schedule["components"]
    assert entry == {"type": "entry_fee", "amount": "50000.00", "due": "signing"}
    assert royalty["rates"] == [{"from_year": 1, "rate": "0.025"}]
    assert (royalty["min_annual"], royalty["cap_annual"], royalty["cap_total"]) == (
        "10000.00",
        "200000.00",
        "1000000.00",
    )
    assert royalty["report_period"] == "half" and royalty["pay_within_days"] == 45
    assert form.describe().startswith("入门费 ¥50,000.00")


def test_fee_builder_per_unit_royalty():
    form = fee_form(
        fee_type="royalty", royalty_base="units", royalty_rate="2.5", royalty_report_period="year"
    )
    assert form.is_valid(), form.errors
    assert form.schedule["components"][0]["rates"] == [{"from_year": 1, "per_unit": "2.50"}]


def test_fee_builder_maps_engine_errors_to_fields():
    too_high = fee_form(
        fee_type="royalty", royalty_base="sales", royalty_rate="150", royalty_report_period="year"
    )
    assert "rates[0].rate" in " ".join(too_high.errors["royalty_rate"])
    missing = fee_form(fee_type="lump_sum")
    assert missing.errors["lump_sum_amount"]
    negative = fee_form(fee_type="royalty", entry_fee_amount="-5", royalty_rate="3")
    assert negative.errors["entry_fee_amount"]


def test_fee_builder_advanced_json():
    good = fee_form(
        fee_json='{"free": false, "components": [{"type": "milestone", "event": "上市", "amount": "9"}]}'
    )
    assert good.is_valid() and good.schedule["components"][0]["type"] == "milestone"
    assert "不是合法的 JSON" in fee_form(fee_json="{oops").errors["fee_json"][0]
    assert "JSON 对象" in fee_form(fee_json="[1, 2]").errors["fee_json"][0]
    bad = fee_form(fee_json='{"free": false, "components": [{"type": "gift"}]}')
    assert bad.errors["fee_json"] and bad.schedule == {}


def test_fee_initial_round_trips_what_the_builder_can_show():
    from patentbridge.licensing.views.forms_fee import fee_initial

    assert fee_initial(None) == {"fee_type": ""}
    assert fee_initial({"free": True, "components": []}) == {"fee_type": "free"}
    schedule = fee_royalty(min_annual="10000.00")
    initial = fee_initial(schedule)
    assert initial["fee_type"] == "royalty" and initial["royalty_rate"] == 3
    rebuilt = fee_form(**{k: "" if v is None else str(v) for k, v in initial.items()})
    assert rebuilt.schedule == schedule
    stepped = fee_royalty()
    stepped["components"][1]["kind"] = "increasing"
    stepped["components"][1]["rates"].append({"from_year": 3, "rate": "0.04"})
    shown = fee_initial(stepped)
    assert shown["fee_type"] == "" and '"increasing"' in shown["fee_json"]


# --- the deal filter -------------------------------------------------------------------------------


def test_deal_filter_problems_name_each_bad_value():
    from patentbridge.licensing.services.deal_filter import DealFilter, deal_filter_problems

    problems = deal_filter_problems(
        {"university": "-1", "county": "3", "chain": "a b", "state": "nope", "q": "x" * 101}
    )
    assert set(problems) == {"university", "county", "chain", "state", "q"}
    assert all(not p.isascii() for p in problems.values())
    assert (
        deal_filter_problems({"university": "12", "county": "371522", "chain": "GLC", "state": "draft"}) == {}
    )
    flt = DealFilter.from_mapping({"county": "371522", "q": "  热泵  ", "state": "active_trial"})
    assert flt.active() == {"county": "371522", "q": "热泵", "state": "active_trial"}


# --- documents ---------------------------------------------------------------------------------------


class _Upload:
    def __init__(self, name: str, content: bytes) -> None:
        self.name, self.content = name, content

    def chunks(self, size: int = 65536) -> Any:
        for start in range(0, len(self.content), size):
            yield self.content[start : start + size]


def test_document_names_are_cleaned():
    from patentbridge.licensing.services.documents import clean_name

    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\合同\\扫描件.pdf") == "扫描件.pdf"
    assert clean_name("a\x00b<c>.txt") == "a_b_c_.txt"
    assert clean_name("...") == "未命名文件" and clean_name("") == "未命名文件"
    long = clean_name("长" * 300 + ".pdf")
    assert len(long) <= 200 and long.endswith(".pdf")


def test_documents_are_for_parties_with_a_kind_and_content(parties, patent, settings):
    from patentbridge.licensing.services import documents
    from web.licensing.factories import make_contract

    contract = make_contract(parties, [patent], start=ON)
    with pytest.raises(PermissionDenied):
        documents.attach_document(parties.other_tto, contract, _Upload("a.pdf", b"x"), kind="contract")
    with pytest.raises(ValidationError, match="文件类型"):
        documents.attach_document(parties.tto, contract, _Upload("a.pdf", b"x"), kind="virus")
    with pytest.raises(ValidationError, match="文件为空"):
        documents.attach_document(parties.tto, contract, _Upload("a.pdf", b""), kind="contract")
    doc = documents.attach_document(
        parties.enterprise_user, contract, _Upload("a.pdf", b"abc" * 30000), kind="contract"
    )
    assert doc.size == 90000 and documents.document_path(doc).read_bytes() == b"abc" * 30000
    event = AuditEvent.objects.get(action="licensing.document.uploaded")
    assert event.data["sha256"] == doc.sha256 and event.actor == parties.enterprise_user
    leftovers = [
        p.name for p in documents.document_path(doc).parent.iterdir() if p.name.startswith(".upload-")
    ]
    assert leftovers == []
    doc.path = "../../../../etc/passwd"
    with pytest.raises(PermissionDenied):
        documents.document_path(doc)


# --- contract actions and deadlines -----------------------------------------------------------------


def test_run_action_reaches_each_service(parties, patent):
    from patentbridge.licensing.services.contract_actions import ACTION_EVENTS, ActionInput, run_action
    from web.licensing.factories import make_contract

    assert set(ACTION_EVENTS) >= {"submit", "sign", "convert", "decline", "extend", "terminate"}
    contract = make_contract(
        parties, [patent], start=dt.date(2025, 1, 10), trial_months=3, extensions_allowed=1
    )
    day = dt.date(2025, 1, 10)
    for event in ("submit", "approve", "sign"):
        contract = run_action(parties.tto, contract, event, ActionInput(on=day))
    assert contract.state == "active_trial"
    with pytest.raises(LicensingRefused) as refused:
        run_action(parties.tto, contract, "trial_ended", ActionInput(on=day))
    assert refused.value.code == "TRIAL_RUNNING"
    contract = run_action(parties.tto, contract, "trial_ended", ActionInput(on=dt.date(2025, 4, 10)))
    with pytest.raises(ValidationError, match="月数"):
        run_action(parties.tto, contract, "extend", ActionInput(on=dt.date(2025, 4, 10)))
    contract = run_action(parties.tto, contract, "extend", ActionInput(on=dt.date(2025, 4, 10), months=2))
    assert contract.state == "active_trial" and contract.trial_end == dt.date(2025, 6, 10)
    contract = run_action(parties.tto, contract, "trial_ended", ActionInput(on=dt.date(2025, 6, 10)))
    contract = run_action(
        parties.enterprise_user,
        contract,
        "decline",
        ActionInput(on=dt.date(2025, 6, 10), reason_code="price"),
    )
    assert contract.state == "trial_ended" and contract.end_reason.startswith("付费条件不能接受")
    with pytest.raises(ValidationError, match="未知的合同操作"):
        run_action(parties.tto, contract, "expire", ActionInput(on=day))


def test_suspend_resume_terminate_through_run_action(parties, patent):
    from patentbridge.licensing.services.contract_actions import ActionInput, run_action
    from web.licensing.factories import make_contract

    contract = make_contract(parties, [patent], start=ON, stage="signed")
    assert contract.state == "active_paid"
    with pytest.raises(ValidationError, match="原因"):
        run_action(parties.tto, contract, "suspend", ActionInput(on=ON))
    contract = run_action(parties.tto, contract, "suspend", ActionInput(on=ON, reason="逾期未付款超过 90 日"))
    assert contract.state == "suspended"
    contract = run_action(parties.tto, contract, "resume", ActionInput(on=ON, reason="已补缴"))
    contract = run_action(parties.tto, contract, "terminate", ActionInput(on=ON, reason="双方协商解除"))
    assert contract.state == "terminated" and contract.end_reason == "双方协商解除"


def test_next_deadline_by_state(parties, patent):
    from patentbridge.licensing.services.pipeline import next_deadline
    from web.licensing.factories import make_contract

    contract = make_contract(parties, [patent], start=ON, price_method="agreement", stage="approved")
    contracts.start_public_notice(parties.tto, contract, on=ON, result_name="成果", proposed_price="5 万元")
    assert next_deadline(contract, as_of=ON) == (ON + dt.timedelta(days=15), "公示结束")
    due = make_contract(
        parties,
        [make_granted_patent(parties.university)],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="conversion_due",
    )
    from patentbridge.licensing.services import filing as filing_services

    grace = int(policy.value("CONVERSION_GRACE_DAYS", as_of=ON))
    assert next_deadline(due, as_of=ON) == (due.filings.get().due_date, "备案期限")
    task = filing_services.submit_filing(
        parties.tto, due.filings.get(), side="licensor", on=dt.date(2025, 7, 1)
    )
    filing_services.record_filed(
        parties.tto, task, record_no="2025370000000001", filed_on=dt.date(2025, 8, 1)
    )
    assert next_deadline(due, as_of=ON) == (dt.date(2025, 12, 1) + dt.timedelta(days=grace), "转化答复期限")
    draft_only = make_contract(parties, [make_granted_patent(parties.university)], start=ON)
    assert next_deadline(draft_only, as_of=ON) == (None, "")
    paid = make_contract(parties, [make_granted_patent(parties.university)], start=ON, stage="signed")
    filing = paid.filings.get()
    assert next_deadline(paid, as_of=ON) == (filing.due_date, "备案期限")


def test_offer_steps_are_the_publishers(parties, patent):
    offer = draft(parties, [patent])
    with pytest.raises(LicensingRefused) as refused:
        offers.offer_step(parties.other_tto, offer, "submit", on=ON)
    assert refused.value.code == "NOT_PUBLISHER"
    with pytest.raises(LicensingRefused, match="未知"):
        offers.offer_step(parties.tto, offer, "explode", on=ON)
    with pytest.raises(PermissionDenied):
        offers.offer_step(parties.enterprise_user, offer, "submit", on=ON)
    assert offers.may_manage_offer(parties.operator, offer) and not offers.may_manage_offer(
        parties.other_tto, offer
    )


def test_editing_the_package_is_audited_with_the_patent_change(parties, patent):
    second = make_granted_patent(parties.university)
    offer = draft(parties, [patent])
    offers.update_offer(
        parties.tto,
        offer,
        patents=[patent, second],
        on=ON,
        title=offer.title,
        modes=["paid"],
        paid_terms=fee_royalty(),
    )
    event = AuditEvent.objects.get(action="licensing.offer.updated", target_id=str(offer.pk))
    assert event.data["after"]["patents"] == sorted([patent.application_number, second.application_number])
    assert event.data["before"]["patents"] == [patent.application_number]
    assert event.data["after"]["modes"] == ["paid"]


def test_negotiated_conversion_and_its_warning_reach_the_contract(parties, patent):
    offer = published(
        parties,
        [patent],
        modes=["trial_then_paid"],
        paid_terms={},
        trial_conversion_mode="negotiate",
        trial_usage_report_required=False,
    )
    assert any("协商" in w for w in offers.offer_warnings(offer))
    application = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    contract = apps.accept_application(parties.tto, application, on=ON)
    assert contract.conversion_mode == "negotiate" and contract.fee_schedule == {}
    assert contract.usage_report_required is False


def test_one_click_falls_back_to_a_paid_offer(parties, patent):
    offer = published(parties, [patent], modes=["paid"])
    need = make_need(parties.enterprise_user)
    item = make_match_item(
        need,
        patent,
        operator=parties.operator,
        state="pushed",
        feedback="interested",
        enterprise=parties.enterprise_user,
    )
    application = apps.apply_from_interest(parties.enterprise_user, item)
    assert application.offer == offer and application.requested_mode == "paid"


# --- panels and read helpers --------------------------------------------------------------------------


def _request(user: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_patent_panel_context_by_role(parties, patent):
    from patentbridge.licensing.panels import _organization_deals, _patent_deals

    assert _patent_deals(_request(parties.tto), patent)["may_offer"] is True
    assert _patent_deals(_request(parties.enterprise_user), patent) is None  # nothing published yet
    offer = published(parties, [patent])
    shown = _patent_deals(_request(parties.enterprise_user), patent)
    assert shown["trial_offer"] == offer and shown["offers"] == [offer] and shown["may_offer"] is False
    assert _patent_deals(_request(parties.tto), patent)["trial_offer"] is None
    assert _patent_deals(_request(parties.other_tto), patent) is None
    assert _patent_deals(_request(parties.inventor), patent) is None
    paid_only = published(parties, [make_granted_patent(parties.university)], modes=["paid"])
    other = paid_only.patents.get()
    assert _patent_deals(_request(parties.enterprise_user), other)["trial_offer"] is None
    org = _organization_deals(_request(parties.operator), parties.university)
    assert org["counts"] == (2, 0, 0)
    assert _organization_deals(_request(parties.operator), parties.other_university) is None


def test_offers_for_a_patent_are_the_published_ones_newest_first(parties, patent):
    from patentbridge.licensing.services.application_queries import offers_for_patent

    first = published(parties, [patent], title="第一期")
    second = published(parties, [patent], title="第二期")
    draft(parties, [patent], title="草稿")
    offers.offer_step(parties.tto, first, "pause", on=ON)
    assert offers_for_patent(parties.enterprise_user, patent) == [second]
    offers.offer_step(parties.tto, first, "resume", on=ON)
    assert set(offers_for_patent(parties.enterprise_user, patent)) == {first, second}


def test_trial_outlook_says_what_happens_at_the_end(parties, patent):
    from patentbridge.licensing.views.deals import _trial_outlook
    from web.licensing.factories import make_contract

    running = make_contract(
        parties, [patent], start=ON, trial_months=6, stage="signed", usage_report_required=True
    )
    outlook = _trial_outlook(running, ON + dt.timedelta(days=10))
    assert outlook["days_left"] == (running.trial_end - ON).days - 10
    assert outlook["outcome"].startswith("试用期满后按约定转为付费许可：入门费")
    assert outlook["outcome"].endswith("试用结束时须提交使用情况报告")
    negotiated = make_contract(
        parties,
        [make_granted_patent(parties.university)],
        start=ON,
        trial_months=6,
        stage="signed",
        conversion_mode="negotiate",
    )
    assert _trial_outlook(negotiated, ON)["outcome"].startswith("试用期满后与许可方协商付费条件")
    due = make_contract(
        parties,
        [make_granted_patent(parties.university)],
        start=dt.date(2025, 6, 1),
        trial_months=6,
        stage="conversion_due",
    )
    outlook = _trial_outlook(due, ON)
    assert outlook["days_left"] < 0 and outlook["outcome"].startswith("试用期已满")


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("370100", "济南市"),
        ("370200", "青岛市"),
        ("370300", "淄博市"),
        ("370600", "烟台市"),
        ("370700", "潍坊市"),
        ("370800", "济宁市"),
        ("371500", "聊城市"),
        ("371700", "菏泽市"),
        ("370000", "山东省"),
        ("440000", "广东省"),
        ("610100", "西安市"),
        ("3715", "聊城市"),
        ("37", "山东省"),
        ("371599", "聊城市（371599）"),
        ("999999", "地区 999999"),
    ],
)
def test_region_labels(code, label):
    assert region_label(code) == label


# --- concurrency (PostgreSQL) ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_never_exceed_the_trial_cap(monkeypatch):
    """The last trial place of a patent, taken by two acceptances at the same moment: the offer row
    lock makes the second see the first, so one contract is drafted and the other refused."""
    import threading
    import time

    from django.db import connection

    from patentbridge.licensing.models import LicenceContract
    from web.licensing.factories import make_parties

    if connection.vendor != "postgresql":
        pytest.skip("并发接受测试需要 PostgreSQL（SQLite 由数据库串行写入）")
    parties = make_parties()
    patent = make_granted_patent(parties.university)
    offer = published(parties, [patent], max_trials_per_patent=1)
    first = apps.apply_for_licence(
        parties.enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    second = apps.apply_for_licence(
        parties.other_enterprise_user, offer, patents=[patent], requested_mode="trial_then_paid"
    )
    real = apps.trial_places_left

    def slow(*args: Any, **kwargs: Any) -> Any:
        # Widen the gap between counting the places and taking one.
        left = real(*args, **kwargs)
        time.sleep(0.5)
        return left

    monkeypatch.setattr(apps, "trial_places_left", slow)
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def accept(i: int, application: Any) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = apps.accept_application(parties.tto, application, on=ON)
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(i, a)) for i, a in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    refused = [r for r in results if isinstance(r, LicensingRefused)]
    assert len(refused) == 1 and refused[0].code == "MAX_TRIALS", results
    assert LicenceContract.objects.filter(offer=offer).count() == 1

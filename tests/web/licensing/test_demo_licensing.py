"""The demo's licensing records (``patentbridge init --demo``): each kind is made through the
licensing services, labelled as a demonstration record, dated from the load day, and a second run
adds nothing.

The demo is loaded once per module by ``load_demo`` itself, inside a transaction rolled back at
the end, on a frozen day. Only the bundled files that hold licensable patents are imported (the
high-temperature heat pumps and the 61-column sample: granted, with expiry dates); the 泰安 and
CNKI subsets carry no legal status or expiry, so the query never picks their patents and they are
left out to keep the module fast (the browser suite loads the whole demo)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings

from patentbridge.accounts.models import Organization
from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import (
    IncomeDistribution,
    LicenceApplication,
    LicenceContract,
    LicenceFiling,
    LicenceOffer,
    OpenLicenceAcceptance,
    OpenLicenceDeclaration,
    Payment,
    PublicNotice,
    RightEvent,
    UsageReport,
)
from patentbridge.licensing.services import open_licence
from patentbridge.site import demo as demo_module
from patentbridge.site.demo_licensing import COOWNED_FIELD, OFFER_SUFFIXES, build_kind, load_licensing_demo
from patentbridge.site.demo_licensing_open import DEMO_TERMS, PLEDGE_REF
from patentbridge.site.demo_licensing_pick import PREFERRED, Cast, Need, candidates, owner
from patentbridge.site.demo_orgs import DEMO_ORGS, STATE_RUN
from patentbridge_engine.legal.terms import add_months
from web.licensing.factories import make_granted_patent

pytestmark = pytest.mark.django_db

# The day the demo is loaded in these tests (every demo date is relative to it).
LOAD_DAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DEMO_FILES = ("hthp_patents.json.gz", "schema_sample_10.csv.gz")


@dataclass(frozen=True)
class Loaded:
    """What the two demo runs printed and the licensing row counts after each."""

    first: str
    second: str
    counts_first: dict[str, int]
    counts_second: dict[str, int]
    audit_first: int
    audit_second: int


def licensing_counts() -> dict[str, int]:
    """Rows per licensing model."""
    return {m.__name__: m.objects.count() for m in apps.get_app_config("licensing").get_models()}


def licensing_audit() -> int:
    """Audit events the licensing services wrote."""
    return AuditEvent.objects.filter(action__startswith="licensing.").count()


def load_demo_twice() -> Loaded:
    """Run ``load_demo`` (on the licensable files) twice, as ``init --demo`` twice would."""
    plan = tuple(row for row in demo_module.DEMO_PLAN if row[1] in DEMO_FILES)
    assert len(plan) == len(DEMO_FILES)  # the files are still in the demo plan
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(demo_module, "DEMO_PLAN", plan)
        first = io.StringIO()
        demo_module.load_demo(first)
        counts_first, audit_first = licensing_counts(), licensing_audit()
        second = io.StringIO()
        demo_module.load_demo(second)
    return Loaded(
        first.getvalue(),
        second.getvalue(),
        counts_first,
        licensing_counts(),
        audit_first,
        licensing_audit(),
    )


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Loaded]:
    """The demo loaded twice on ``LOAD_DAY``; rolled back after the module. Tests run on that
    day too (pages and the API read today's date). Its own data directory: the search indexes
    the loader builds must not meet another worker's."""
    data = tmp_path_factory.mktemp("demo-data")
    local = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DATA_DIR=data,
        MEDIA_ROOT=data / "media",
    )
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True), local, transaction.atomic():
        yield load_demo_twice()
        transaction.set_rollback(True)


def demo_contracts() -> dict[str, LicenceContract]:
    """The demo contracts by kind: converted, declined, in_trial, coowned, open_licence."""
    out: dict[str, LicenceContract] = {}
    for contract in LicenceContract.objects.filter(is_demo=True).select_related("licensee_org"):
        if contract.origin == "open_licence":
            out["open_licence"] = contract
        elif contract.field_of_use == COOWNED_FIELD:
            out["coowned"] = contract
        else:
            key = {"active_paid": "converted", "trial_ended": "declined", "active_trial": "in_trial"}
            out[key[contract.state]] = contract
    return out


def test_every_kind_of_record_is_created(demo: Loaded) -> None:
    """Two published offers, three trials (converted, declined, running), a co-owned licence, an
    open-licence licence; three published declarations and one blocked draft."""
    contracts = demo_contracts()
    assert set(contracts) == {"converted", "declined", "in_trial", "coowned", "open_licence"}
    assert contracts["converted"].licensee_org.name == "泰安示范输变电设备有限公司（演示）"
    assert contracts["declined"].licensee_org.name == "济宁示范矿山装备有限公司（演示）"
    assert contracts["in_trial"].licensee_org.name == "济南示范信息技术有限公司（演示）"
    offers = LicenceOffer.objects.filter(is_demo=True)
    assert sorted(o.state for o in offers) == ["published", "published"]
    assert {o.title.split(" · ", 1)[1] for o in offers} == set(OFFER_SUFFIXES.values())
    declarations = OpenLicenceDeclaration.objects.filter(is_demo=True)
    published = [d for d in declarations if d.state == "published"]
    assert sorted(open_licence.fee_type(d.fee_schedule) for d in published) == ["fixed", "free", "royalty"]
    assert [d.state for d in declarations if d not in published] == ["draft"]
    assert OpenLicenceAcceptance.objects.count() == 1


def test_the_taian_offer_carries_the_guide_terms(demo: Loaded) -> None:
    """A six-month trial to 泰安 converting to ¥50,000 entry fee + 3 % of net sales (min ¥10,000/yr)."""
    offer = LicenceOffer.objects.get(title__endswith=OFFER_SUFFIXES["taian"])
    assert offer.target_regions == ["3709"] and offer.trial_months == 6  # 泰安市, stored as its prefix
    assert offer.modes == ["trial_then_paid"] and offer.trial_conversion_mode == "pre_agreed"
    entry, royalty = offer.paid_terms["components"]
    assert (entry["type"], entry["amount"], entry["due"]) == ("entry_fee", "50000.00", "conversion")
    assert (royalty["base"], royalty["rates"], royalty["min_annual"]) == (
        "net_sales",
        [{"from_year": 1, "rate": "0.03"}],
        "10000.00",
    )


def test_the_converted_trial_has_report_payment_and_approved_distribution(demo: Loaded) -> None:
    """(a) The trial's usage report and the first paid period's report, the receivable paid in full
    (entry fee billed with the first royalty period), and an approved income distribution whose
    inventor lines add up to the pool."""
    contract = demo_contracts()["converted"]
    assert contract.state == "active_paid" and contract.paid_start == contract.trial_end + dt.timedelta(1)
    reports = list(UsageReport.objects.filter(contract=contract).order_by("period_start"))
    assert len(reports) == 2 and reports[0].period_label == "试用期"
    paid = contract.receivables.get(state="paid")
    assert paid.usage_report == reports[1] and paid.inputs["includes_entry_fee"] is True
    # 3 % of the reported net sales (above the scaled minimum) plus the ¥50,000 entry fee.
    assert paid.amount_due == reports[1].net_sales * 3 / 100 + 50000
    payment = Payment.objects.get(receivable=paid)
    assert payment.amount == paid.amount_due and payment.paid_on <= LOAD_DAY
    dist = IncomeDistribution.objects.get(payment=payment)
    assert dist.state == "approved" and dist.approved_by_id != dist.computed_by_id
    assert sum(line.amount for line in dist.lines.all()) == dist.inventor_pool
    assert dist.inventor_pool + dist.tto_amount + dist.unit_amount == dist.net


def test_the_declined_trial_keeps_its_reason(demo: Loaded) -> None:
    """(b) Ended without conversion, the licensee's reason on the contract and its timeline."""
    contract = demo_contracts()["declined"]
    assert contract.state == "trial_ended"
    assert contract.end_reason.startswith("付费条件不能接受：") and "演示数据" in contract.end_reason
    assert contract.steps.filter(event="decline", note__startswith="付费条件不能接受").exists()


def test_the_running_trial_has_days_left_and_its_filing_due(demo: Loaded) -> None:
    """(c) Signed two months before the load day: six-month trial still running, filing due."""
    contract = demo_contracts()["in_trial"]
    assert contract.signed_at == add_months(LOAD_DAY, -2)
    assert contract.state == "active_trial" and contract.trial_end == add_months(contract.signed_at, 6)
    assert contract.trial_end > LOAD_DAY
    assert contract.filings.get().state == "due"


def test_dates_follow_the_load_day(demo: Loaded) -> None:
    """The converted trial was signed ten months before the load day, the declined one nine;
    every filing is due three months after its contract took effect (细则 Art. 15 with Art. 5)."""
    contracts = demo_contracts()
    assert contracts["converted"].signed_at == add_months(LOAD_DAY, -10)
    assert contracts["declined"].signed_at == add_months(LOAD_DAY, -9)
    assert contracts["converted"].trial_end == add_months(contracts["converted"].start_date, 6)
    for contract in contracts.values():
        assert contract.effective_at is not None and contract.effective_at <= LOAD_DAY
        for task in contract.filings.all():
            assert task.due_date == add_months(contract.effective_at, 3), contract.contract_no


def test_filings_are_in_different_states(demo: Loaded) -> None:
    """Filed with a demo record number, submitted by the licensee, and due."""
    filings = LicenceFiling.objects.filter(contract__is_demo=True)
    states = sorted(f.state for f in filings)
    assert "filed" in states and "submitted" in states and states.count("due") >= 2
    filed = filings.get(state="filed")
    assert filed.record_no.startswith("演示备案号") and filed.contract.state == "active_paid"
    assert filings.get(state="submitted").filed_by_side == "licensee"


def test_the_coowned_licence_names_every_coowner_after_its_public_notice(demo: Loaded) -> None:
    """(d) Every patentee grants; a 政府设立 licensor pricing by agreement held its 公示 first."""
    contract = demo_contracts()["coowned"]
    patent = contract.patents.get()
    owners = patent.patentees or patent.applicants
    assert len(owners) > 1 and sorted(p["name"] for p in contract.licensors) == sorted(owners)
    assert contract.kind == "ordinary" and contract.coowner_consent
    notice = PublicNotice.objects.get(contract=contract)
    assert notice.outcome == "passed" and contract.signed_at >= notice.end_date
    assert contract.licensor_org.state_run
    assert contract.receivables.filter(state="paid").count() == 1


def test_open_licences_published_accepted_and_blocked(demo: Loaded) -> None:
    """(e) Published declarations write ledger events; the accepted one made an ordinary licence;
    the pledged patent's draft shows its refusal."""
    for decl in OpenLicenceDeclaration.objects.filter(is_demo=True, state="published"):
        assert decl.announcement_no.startswith("演示公告号") and DEMO_TERMS in decl.other_terms
        event = RightEvent.objects.get(source="declaration", source_ref=open_licence.declaration_ref(decl))
        assert event.kind == "open_licence" and event.is_demo and event.start_date == decl.published_at
    acceptance = OpenLicenceAcceptance.objects.select_related("contract").get()
    assert acceptance.declaration.fee_schedule["free"] is True and acceptance.state == "licensed"
    assert acceptance.contract.kind == "ordinary" and acceptance.contract.is_demo
    blocked = OpenLicenceDeclaration.objects.get(is_demo=True, state="draft")
    codes = [f["code"] for f in blocked.check_result if f["severity"] == "block"]
    assert codes == ["PLEDGED_NO_CONSENT"]
    pledge = RightEvent.objects.get(patent=blocked.patent, kind="pledge")
    assert pledge.source_ref.startswith(PLEDGE_REF) and pledge.is_demo and pledge.consents == []


def test_every_record_is_labelled_as_demo(demo: Loaded) -> None:
    """Nothing the demo made passes for a real record."""
    assert not LicenceOffer.objects.filter(is_demo=False).exists()
    assert all(o.title.endswith("（演示）") for o in LicenceOffer.objects.all())
    assert not LicenceApplication.objects.filter(is_demo=False).exists()
    assert not LicenceContract.objects.filter(is_demo=False).exists()
    assert not OpenLicenceDeclaration.objects.filter(is_demo=False).exists()
    assert not RightEvent.objects.filter(is_demo=False).exists()
    assert all("演示" in n.proposed_price for n in PublicNotice.objects.all())


def test_records_went_through_the_services(demo: Loaded) -> None:
    """Each step left the audit trail its service writes (a raw write would leave none)."""

    def audited(action: str) -> int:
        return AuditEvent.objects.filter(action=action).count()

    assert audited("licensing.offer.published") == 2
    assert audited("licensing.application.accepted") == 3
    # Five licensing-demo contracts and the pool demo's outbound licence, signed through the same service.
    assert audited("licensing.contract.sign") == 6
    assert audited("licensing.contract.convert") == 1
    assert audited("licensing.contract.decline") == 1
    assert audited("licensing.usage_report.submitted") == 2
    assert audited("licensing.payment.recorded") == 3  # two licensing-demo payments + the pool's
    assert audited("licensing.income.approved") == 1
    assert audited("licensing.declaration.published") == 3
    assert audited("licensing.open_acceptance.notified") == 1
    assert audited("licensing.filing.accept") == 1


def test_a_second_run_adds_nothing(demo: Loaded) -> None:
    """Re-running ``init --demo`` creates no licensing row and writes no licensing audit event."""
    assert demo.counts_first == demo.counts_second
    assert demo.counts_first["LicenceContract"] == 6  # five licensing-demo contracts + the pool's licence
    assert demo.audit_second == demo.audit_first
    # The licensing demo's own lines (this module loads only the licensable files, so the menu
    # demo may honestly report that it has nothing to list).
    for output in (demo.first, demo.second):
        licensing_lines = [ln for ln in output.splitlines() if ln.strip().startswith("许可演示")]
        assert licensing_lines and not any("未生成" in ln for ln in licensing_lines)


def test_one_summary_line_per_kind(demo: Loaded) -> None:
    """Each kind is reported on its own line, with the note on why Shandong licenses nothing."""
    lines = [ln.strip() for ln in demo.first.splitlines() if ln.strip().startswith("许可演示")]
    labels = [ln.split("：", 1)[0] for ln in lines]
    for label in (
        "试用转付费",
        "试用未转化",
        "试用中",
        "共有专利普通许可",
        "开放许可声明",
        "开放许可实施",
        "开放许可被阻止",
        "备案",
    ):
        assert labels.count(f"许可演示（{label}）") == 1, label
    assert labels.count("许可演示（定向许可项目）") == 2
    assert "山东农业大学、山东科技大学在演示库中没有已授权且有效的专利" in demo.first
    assert demo.first.index("许可演示") < demo.first.index("价值分级")  # before the grades


def test_public_universities_are_state_run(demo: Loaded) -> None:
    """政府设立 units are marked; enterprises, bodies and 中科大数据研究院 are not."""
    for name, (kind, *_rest) in DEMO_ORGS.items():
        org = Organization.objects.get(name=name)
        assert org.state_run == (name in STATE_RUN), name
        if kind != "university":
            assert not org.state_run, name
    assert not Organization.objects.get(name="中科大数据研究院").state_run


def test_the_licensor_tto_sees_the_demo_badge(demo: Loaded) -> None:
    """The contract page tells the reader it is a demonstration record."""
    contract = demo_contracts()["converted"]
    client = Client()
    client.force_login(contract.licensor_org.memberships.get(role="tto").user)
    page = client.get(f"/licensing/contracts/{contract.pk}/").content.decode()
    assert "演示数据" in page and "本合同是平台演示流程生成的示例记录" in page
    assert contract.contract_no in page


def test_a_granted_shandong_patent_would_be_preferred(demo: Loaded) -> None:
    """The query puts 山东农业大学 first once it has a granted, valid patent, and the note goes."""
    cast = Cast.load(LOAD_DAY)
    need = Need(start=add_months(LOAD_DAY, -10), until=add_months(LOAD_DAY, 36))
    before = candidates(cast, need)
    assert before and all(owner(p).name not in PREFERRED for p in before)
    assert cast.licensor_note().startswith("山东农业大学、山东科技大学")
    sdau = Organization.objects.get(name="山东农业大学")
    granted = make_granted_patent(sdau)
    after = candidates(cast, need)
    assert after[0] == granted and after[1:] == before
    assert cast.licensor_note() == ""


def test_burdened_or_unsuitable_patents_are_never_chosen(demo: Loaded) -> None:
    """A patent already licensed, offered, declared or pledged by the demo, one without an expiry
    date, and one granted after the record's first date are all skipped."""
    cast = Cast.load(LOAD_DAY)
    used = set(RightEvent.objects.values_list("patent_id", flat=True))
    used |= set(LicenceOffer.patents.through.objects.values_list("patent_id", flat=True))
    need = Need(start=add_months(LOAD_DAY, -10), until=add_months(LOAD_DAY, 36), coowned=None)
    chosen = candidates(cast, need)
    assert chosen and not {p.pk for p in chosen} & used
    sdau = Organization.objects.get(name="山东农业大学")
    no_expiry = make_granted_patent(sdau, expiry_date=None)
    too_late = make_granted_patent(sdau, grant_date=LOAD_DAY - dt.timedelta(days=10))
    picked = {p.pk for p in candidates(cast, need)}
    assert no_expiry.pk not in picked and too_late.pk not in picked


def test_a_refused_kind_is_reported_and_leaves_nothing(demo: Loaded) -> None:
    """When a service refuses one kind, the loader prints the rule's reason for it, writes none of
    its rows, and carries on with the next kind."""
    out = io.StringIO()
    before = licensing_counts()

    def half_then_refused() -> str:
        LicenceOffer.objects.filter(is_demo=True).update(title="改名")  # undone by the rollback
        raise LicensingRefused("L1", "专利尚未授权，不能许可他人实施")

    build_kind(out, "试验", half_then_refused)
    build_kind(out, "后续", lambda: "已生成")
    assert out.getvalue().splitlines() == [
        "  许可演示（试验）：未生成——[L1] 专利尚未授权，不能许可他人实施",
        "  许可演示（后续）：已生成",
    ]
    assert licensing_counts() == before
    assert not LicenceOffer.objects.filter(title="改名").exists()


def test_a_rerun_on_a_later_day_keeps_the_original_dates(demo: Loaded) -> None:
    """Loading again months later finds every record by its demo label and moves no date."""
    signed = {c.contract_no: c.signed_at for c in LicenceContract.objects.all()}
    out = io.StringIO()
    load_licensing_demo(out, today=add_months(LOAD_DAY, 4))
    assert {c.contract_no: c.signed_at for c in LicenceContract.objects.all()} == signed
    assert licensing_counts() == demo.counts_second
    assert "未生成" not in out.getvalue()

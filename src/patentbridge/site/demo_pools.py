"""The demo's patent pool (guide §4.e), built through the pool services: a high-temperature heat-pump
pool on the 绿色低碳 chain run by the demo pool agency (泰安市专利池运营服务中心（演示）).

The members are the real applicants whose granted heat-pump patents are in the demo library (the
patents are picked from the data, not hard-coded); every application goes through the admission
check and the agency's review — a patent the check blocks (an exclusive licence, an unconsented
pledge, no grant yet) is rejected with its reasons, and a 泰安 university's application for a
patent without a recorded grant is rejected the same way. After admission the nightly status run
reads the rights ledger, so a patent pledged later in the demo shows as suspended. One outbound
licence to a demo enterprise under the pool's tariff, its payment, and one distribution statement.

Every record is a demonstration (``is_demo``), dated relative to the load day; a second run finds
each record and adds nothing. Call after the licensing demo (the pool reads its ledger) and after
grading when grades should count for the grade-weighted sharing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from patentbridge.accounts.models import Membership, Organization
from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.patents.models import IndustryChain, Patent
from patentbridge.pools.choices import ApplicationStateChoices
from patentbridge.pools.models import MemberApplication, Pool, PoolDistribution, PoolLicence
from patentbridge.pools.services import applications, distributions, licences, pools
from patentbridge.pools.services.ledger import sweep
from patentbridge.site.demo_orgs import POOL_AGENCY
from patentbridge_engine.legal.terms import add_months

__all__ = ["LICENSEE", "POOL_NAME", "load_pools_demo"]

POOL_NAME = "高温热泵产业专利池（演示）"
LICENSEE = "泰安示范输变电设备有限公司（演示）"
TAIAN_APPLICANT = "山东农业大学"
TARIFF = {"free": False, "components": [{"type": "lump_sum", "amount": "300000.00", "instalments": []}]}
# At most this many patents per member and members in the demo pool (a readable catalogue).
PER_MEMBER, MAX_MEMBERS = 3, 5
_DEMO_NOTE = "演示数据：入池申请"


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _applicant_for(org: Organization, operator: Any) -> Any:
    """The organisation's own TTO account when the demo has one, else the operator on its behalf."""
    member = Membership.objects.filter(org=org, role="tto", college="").select_related("user").first()
    return member.user if member is not None else operator


def _candidates() -> list[Patent]:
    """Granted heat-pump patents of member organisations, a few per organisation."""
    rows = (
        Patent.objects.filter(legal_status="granted", owner_org__isnull=False, grant_date__isnull=False)
        .filter(Q(ipc_main__startswith="F25B") | Q(title__contains="热泵"))
        .exclude(owner_org__name=POOL_AGENCY)
        .select_related("owner_org")
        .order_by("owner_org__name", "application_number")
    )
    picked: dict[int, list[Patent]] = {}
    for patent in rows:
        group = picked.setdefault(int(patent.owner_org_id or 0), [])
        if len(group) < PER_MEMBER and (len(picked) <= MAX_MEMBERS or group):
            group.append(patent)
    return [p for group in list(picked.values())[:MAX_MEMBERS] for p in group]


def _pool(agency_user: Any, founded: dt.date, stdout: Any) -> Pool:
    agency = Organization.objects.get(name=POOL_AGENCY)
    pool = Pool.objects.filter(agency_org=agency, name=POOL_NAME).first()
    if pool is not None:
        return pool
    pool = pools.create_pool(
        agency_user,
        name=POOL_NAME,
        chain=IndustryChain.objects.filter(code="GLC").first(),
        founded_on=founded,
        technical_field="高温热泵（压缩机与工质、复叠/多级循环、余热回收）",
        ipc_prefixes=["F25B", "F24D", "F22B", "F02G"],
        keywords=["热泵"],
        min_grade="",
        mgmt_fee_rate="0.10",
        sharing_rule="grade_weight",
        tariff=TARIFF,
        tariff_years=3,
        tariff_note="演示数据：池外统一许可费，签约时一次性支付",
        is_demo=True,
    )
    pools.open_pool(agency_user, pool, on=founded)
    stdout.write(f"  专利池：设立「{pool.name}」并开始运营\n")
    return pool


def _apply_and_review(pool: Pool, patent: Patent, applicant: Any, agency_user: Any, on: dt.date) -> str:
    """One application reviewed on ``on``: admitted when the check passes, else rejected with the
    check's reasons. Returns the new application's state; "" when one exists (left as it is)."""
    if MemberApplication.objects.filter(pool=pool, patent=patent).exists():
        return ""
    coowned = len(patent.patentees or patent.applicants or []) > 1
    app = applications.submit_application(
        applicant,
        pool,
        patent,
        on=on,
        category="core" if patent.ipc_main.startswith("F25B") else "general",
        coowner_consent=coowned,  # the demo assumes the co-owners' written consent is on file
        note=_DEMO_NOTE,
        is_demo=True,
    )
    if app.auto_check["blocks"]:
        applications.reject(
            agency_user, app, on=on, opinion="不予入池：" + "；".join(app.auto_check["blocks"])
        )
        return ApplicationStateChoices.REJECTED
    applications.admit(agency_user, app, on=on, method="expert_panel", opinion="演示数据：专家组评审通过")
    return ApplicationStateChoices.ADMITTED


def _taian_application(pool: Pool, on: dt.date, agency_user: Any) -> None:
    """A 泰安 university proposes one of its patents; without a recorded grant the check blocks it."""
    org = Organization.objects.filter(name=TAIAN_APPLICANT).first()
    if org is None:
        return
    patent = (
        Patent.objects.filter(owner_org=org).filter(Q(title__contains="热") | Q(title__contains="能")).first()
    )
    patent = patent or Patent.objects.filter(owner_org=org).order_by("application_number").first()
    if patent is None:
        return
    _apply_and_review(pool, patent, _applicant_for(org, _user("operator")), agency_user, on)


def _licence_and_payment(pool: Pool, agency_user: Any, signed: dt.date, paid: dt.date, stdout: Any) -> None:
    licensee = Organization.objects.filter(name=LICENSEE).first()
    if licensee is None:
        return
    licence = PoolLicence.objects.filter(pool=pool, contract__licensee_org=licensee).first()
    if licence is None:
        try:
            licence = licences.grant_outbound(
                agency_user, pool, licensee, start=signed, on=signed, is_demo=True
            )
        except ValidationError as exc:
            stdout.write(f"  专利池：池外许可未能签订（{'；'.join(exc.messages)}）\n")
            return
        stdout.write(f"  专利池：池外统一许可 {licence.contract.contract_no} → {licensee.name}\n")
    receivable = Receivable.objects.filter(contract=licence.contract).order_by("pk").first()
    if receivable is not None and receivable.amount_paid == Decimal(0) and receivable.amount_due:
        record_payment(agency_user, receivable, amount=str(receivable.amount_due), paid_on=paid)


def load_pools_demo(stdout: Any) -> None:
    """Build (or find) the demo pool and its records; idempotent."""
    today = timezone.localdate()
    founded, reviewed = add_months(today, -6), add_months(today, -6) + dt.timedelta(days=7)
    signed, paid = add_months(today, -2), add_months(today, -2) + dt.timedelta(days=10)
    agency_user, operator = _user("pool_agency"), _user("operator")
    pool = _pool(agency_user, founded, stdout)
    admitted = rejected = 0
    for patent in _candidates():
        state = _apply_and_review(
            pool,
            patent,
            _applicant_for(patent.owner_org, operator) if patent.owner_org else operator,
            agency_user,
            reviewed,
        )
        admitted += state == ApplicationStateChoices.ADMITTED
        rejected += state == ApplicationStateChoices.REJECTED
    _taian_application(pool, reviewed, agency_user)
    sweep(today)
    _licence_and_payment(pool, agency_user, signed, paid, stdout)
    period_end = today - dt.timedelta(days=1)
    # One statement in the demo, whatever day a rerun happens on.
    if not PoolDistribution.objects.filter(pool=pool).exists():
        try:
            dist = distributions.compute_distribution(
                agency_user, pool, start=founded, end=period_end, on=today, is_demo=True
            )
            stdout.write(f"  专利池：收益分配单 {founded}–{period_end}，可分配 ¥{dist.distributable}\n")
        except ValidationError as exc:
            stdout.write(f"  专利池：未生成收益分配单（{'；'.join(exc.messages)}）\n")
    stdout.write(f"  专利池：入池申请 通过 {admitted}、不予入池 {rejected}（本次新审核）\n")

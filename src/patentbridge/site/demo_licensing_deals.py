"""The directed-licence steps the demo repeats: the two demo offers (a package of two patents, a
six-month free trial, pre-agreed paid terms), an enterprise's trial application accepted and signed
through the approval steps the licensor needs (a 公示 at a 政府设立 unit pricing by agreement)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from patentbridge.accounts.models import Organization
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, LicenceOffer
from patentbridge.licensing.services import applications, contracts, offers
from patentbridge.licensing.services.contract_states import notice_required
from patentbridge.licensing.services.money import fee_description
from patentbridge.site.demo_licensing_pick import Cast, Need, owner, package
from patentbridge_engine.licensing import policy

__all__ = [
    "DAY",
    "OFFER_SUFFIXES",
    "OTHER_TERMS",
    "TAIAN_TERMS",
    "TRIAL",
    "existing_trial",
    "notice_days",
    "offer",
    "sign_through",
    "trial",
]

DAY = dt.timedelta(days=1)
TRIAL = "trial_then_paid"
# The offers' title endings: how a rerun finds them (publisher-independent).
OFFER_SUFFIXES = {
    "taian": "定向泰安 · 先免费试用再付费许可（演示）",
    "jinan_jining": "定向济南、济宁 · 先免费试用再付费许可（演示）",
}
_ROYALTY = {"type": "royalty", "base": "net_sales", "kind": "fixed", "cap_annual": None, "cap_total": None}
# (a) The guide's §13 vector: ¥50,000 entry fee at conversion + 3 % of net sales, at least ¥10,000 a year.
TAIAN_TERMS = {
    "free": False,
    "components": [
        {"type": "entry_fee", "amount": "50000.00", "due": "conversion"},
        {**_ROYALTY, "rates": [{"from_year": 1, "rate": "0.03"}], "min_annual": "10000.00"}
        | {"report_period": "quarter", "pay_within_days": 30},
    ],
}
OTHER_TERMS = {
    "free": False,
    "components": [
        {"type": "entry_fee", "amount": "20000.00", "due": "conversion"},
        {**_ROYALTY, "rates": [{"from_year": 1, "rate": "0.025"}], "min_annual": "5000.00"}
        | {"report_period": "quarter", "pay_within_days": 30},
    ],
}


def sign_through(cast: Cast, contract: LicenceContract, *, ready_on: dt.date) -> dt.date:
    """Submit, approve, hold the 公示 when the licensor must (协议定价 at a 政府设立 unit), and sign;
    returns the signing date (``ready_on`` plus the notice period when there was one)."""
    actor = cast.manager(contract.licensor_org)
    contracts.submit(actor, contract, on=ready_on)
    contracts.approve(actor, contract, on=ready_on, note="演示：内部审批同意")
    sign_on = ready_on
    if notice_required(contract):
        patent = contract.patents.order_by("application_number").first()
        notice = contracts.start_public_notice(
            actor,
            contract,
            on=ready_on,
            result_name=f"{patent.title if patent else '专利'}（演示）",
            proposed_price=f"{fee_description(contract)}（演示）"[:200],
        )
        sign_on = notice.end_date
        contracts.close_public_notice(actor, contract, on=sign_on, outcome="passed")
    contracts.sign(actor, contract, on=sign_on)
    return sign_on


def notice_days(org: Organization, on: dt.date) -> int:
    """The 公示 period a state-run licensor holds before signing an agreed price (0 otherwise)."""
    if not org.state_run:
        return 0
    return int(policy.value("PUBLIC_NOTICE_DAYS", as_of=on, region_code=org.region_code or ""))


def offer(cast: Cast, key: str, need: Need, *, regions: list[str], terms: dict[str, Any]) -> LicenceOffer:
    """The published demo offer ``key`` (made when missing): a package of two patents of one
    licensor, a six-month free trial, then the pre-agreed paid terms."""
    found = LicenceOffer.objects.filter(is_demo=True, title__endswith=OFFER_SUFFIXES[key]).first()
    if found is not None:
        return found
    patents = package(cast, need, 2)
    if not patents:
        raise LicensingRefused("DEMO_NO_PATENT", "演示库中没有符合条件（已授权、有效、已入库）的专利")
    org = owner(patents[0])
    actor = cast.manager(org)
    on = need.start - dt.timedelta(days=14)
    made = offers.create_offer(
        actor,
        publisher_org=org,
        patents=patents,
        on=on,
        is_demo=True,
        title=f"{org.name}专利包 · {OFFER_SUFFIXES[key]}",
        description="演示数据：由平台演示流程生成的定向许可项目，不是真实的许可要约。",
        modes=[TRIAL],
        licence_kind="ordinary",
        target_regions=regions,
        trial_months=6,
        trial_usage_report_required=True,
        trial_conversion_mode="pre_agreed",
        paid_terms=terms,
        price_method="agreement",
    )
    made = offers.offer_step(actor, made, "submit", on=on)
    return offers.offer_step(actor, made, "approve", on=on)


def trial(cast: Cast, published: LicenceOffer, username: str, *, start: dt.date, use: str) -> LicenceContract:
    """``username``'s enterprise applies for the offer's trial; the publisher accepts on ``start``
    (the trial starts that day) and signs."""
    enterprise = cast.user(username)
    application = applications.apply_for_licence(
        enterprise,
        published,
        patents=list(published.patents.order_by("application_number")),
        requested_mode=TRIAL,
        intended_use=f"{use}（演示）",
        is_demo=True,
    )
    contract = applications.accept_application(cast.manager(published.publisher_org), application, on=start)
    sign_through(cast, contract, ready_on=start)
    contract.refresh_from_db()
    return contract


def existing_trial(published: LicenceOffer, username: str, cast: Cast) -> LicenceContract | None:
    """The demo contract ``username``'s enterprise already holds under ``published`` (a rerun)."""
    return LicenceContract.objects.filter(
        is_demo=True, offer=published, licensee_org=cast.org(username)
    ).first()

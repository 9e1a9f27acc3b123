"""Accepting a published open licence (专利法 Art. 51 ¶1): any enterprise, anywhere in China, notifies
the patentee in writing and obtains an ordinary licence on the declared terms — no eligibility or
region filter (guide §3.b item 2).

The licence is an ordinary ``LicenceContract`` made through the contract services (``create_contract``
+ ``sign``; origin ``open_licence``, price method ``open_licence``) with the terms frozen from the
declaration version, so the ledger event, the filing task (due three months after the licence takes
effect, 细则 Art. 87 with Art. 15 ¶2) and the receivables come from the same code as every licence.

Decision (guide §3.d "on first required payment"): the contract is signed on the notice date, so it
takes effect then and its filing is due three months later — never later than the law's deadline,
which runs from the licence taking effect. The acceptance itself is LICENSED at once when nothing is
payable on acceptance (a free declaration, or royalties reported later); when the declaration asks
for money on acceptance (an entry fee or a lump sum) it stays NOTIFIED until the first payment is
recorded (``signals.payment_recorded``), because Art. 51 grants the licence on notice *and* payment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.choices import (
    DeclarationStateChoices,
    LicenceKindChoices,
    OriginChoices,
    PriceMethodChoices,
    TermKindChoices,
)
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, OpenLicenceAcceptance, OpenLicenceDeclaration
from patentbridge.licensing.services import contracts
from patentbridge.licensing.services.open_lifecycle import IN_FORCE
from patentbridge_engine.legal.terms import PatentType, add_years, term_expiry
from patentbridge_engine.licensing import policy
from patentbridge_engine.licensing.fees import EntryFee, FeeSchedule, LumpSum

__all__ = [
    "accept_declaration",
    "licence_end",
    "licensor_actor",
    "mark_paid",
    "needs_payment_on_acceptance",
    "patent_expiry",
]

_USE_LIMIT = 2000


def patent_expiry(decl: OpenLicenceDeclaration) -> dt.date | None:
    """The patent's expiry date as recorded, else computed from its type and filing date."""
    patent = decl.patent
    if patent.expiry_date is not None:
        return patent.expiry_date
    try:
        ptype = PatentType(patent.patent_type)
    except ValueError:
        return None
    return term_expiry(ptype, patent.filing_date) if patent.filing_date else None


def licence_end(decl: OpenLicenceDeclaration, start: dt.date) -> dt.date:
    """The last day of a licence that starts on ``start``: the declared term (policy
    ``OL_TERM_MEANING`` = each_licence: N years from this licence, the declared date, or the
    patent's expiry; = offer: the term only bounds the offer, so the licence runs to expiry), never
    past the patent's expiry."""
    expiry = patent_expiry(decl)
    if expiry is None:
        raise LicensingRefused(
            "L1",
            f"专利 {decl.patent.application_number} 的专利权期限届满日未知，无法确定开放许可的许可期限",
        )
    meaning = str(policy.value("OL_TERM_MEANING", as_of=start))
    end = expiry
    if meaning == "each_licence":
        if decl.term_kind == TermKindChoices.YEARS_FROM_LICENCE and decl.term_years:
            end = add_years(start, decl.term_years) - dt.timedelta(days=1)
        elif decl.term_kind == TermKindChoices.UNTIL_DATE and decl.term_until:
            end = decl.term_until
    return min(end, expiry)


def needs_payment_on_acceptance(schedule: dict[str, Any]) -> bool:
    """True when the declared standard asks for money on acceptance: an entry fee or a lump sum."""
    parsed = FeeSchedule.from_dict(schedule or {"free": True, "components": []})
    return any(isinstance(c, EntryFee | LumpSum) for c in parsed.components)


def _withdrawn_text(decl: OpenLicenceDeclaration) -> str:
    return f"该开放许可声明已于 {decl.withdrawal_published_at} 撤回，撤回公告后不能再通过该声明获得许可"


def _refusal(decl: OpenLicenceDeclaration, notified_at: dt.date) -> LicensingRefused | None:
    """Why a notice on ``notified_at`` cannot make a licence, or None."""
    if decl.withdrawal_published_at is not None and notified_at >= decl.withdrawal_published_at:
        return LicensingRefused("OL_WITHDRAWN", _withdrawn_text(decl))
    if decl.state == DeclarationStateChoices.ENDED:
        return LicensingRefused("OL_ENDED", "该开放许可声明因专利权终止已失效，不能再接受")
    if decl.state not in IN_FORCE or decl.published_at is None:
        return LicensingRefused("OL_NOT_PUBLISHED", "该开放许可声明尚未公告，不能接受")
    if notified_at < decl.published_at:
        return LicensingRefused(
            "OL_NOT_PUBLISHED",
            f"书面通知日期 {notified_at} 早于声明公告日 {decl.published_at}，不能据此获得许可",
        )
    if str(policy.value("OL_TERM_MEANING", as_of=notified_at)) == "offer" and (
        decl.term_kind == TermKindChoices.UNTIL_DATE and decl.term_until and notified_at > decl.term_until
    ):
        return LicensingRefused("OL_ENDED", f"该开放许可声明的有效期已于 {decl.term_until} 届满")
    return None


def _licensee_org(actor: Any) -> Any:
    if not policies.can(actor, "licensing.accept"):
        raise PermissionDenied("只有企业用户可以接受开放许可（以书面通知专利权人）")
    member = policies.membership_of(actor)
    if member is None:
        raise PermissionDenied("账号未关联企业，不能接受开放许可")
    return member.org


def accept_declaration(
    actor: Any, decl: OpenLicenceDeclaration, *, notified_at: dt.date, intended_use: str = ""
) -> OpenLicenceAcceptance:
    """The enterprise's written notice on ``notified_at``: an ordinary licence on the declared terms
    (start = notice date, end = the declared term, never past expiry) is created and signed at once.
    Refusals: not (yet) published, withdrawn on or before the notice date, ended, or this enterprise
    already accepted this declaration."""
    org = _licensee_org(actor)
    use = (intended_use or "").strip()
    if len(use) > _USE_LIMIT:
        raise ValidationError({"intended_use": f"拟实施产品/用途不能超过 {_USE_LIMIT} 个字符"})
    with transaction.atomic():
        locked = (
            OpenLicenceDeclaration.objects.select_for_update()
            .select_related("patent", "declarant_org")
            .get(pk=decl.pk)
        )
        refusal = _refusal(locked, notified_at)
        if refusal is not None:
            raise refusal
        try:
            with transaction.atomic():
                acceptance = OpenLicenceAcceptance.objects.create(
                    declaration=locked,
                    licensee_org=org,
                    notified_at=notified_at,
                    intended_use=use,
                    created_by=actor,
                )
        except IntegrityError:
            raise LicensingRefused(
                "ALREADY_ACCEPTED", f"{org.name} 已接受过该开放许可声明，无需重复通知"
            ) from None
        contract = _licence(locked, org, notified_at, notice_by=actor)
        paid_first = needs_payment_on_acceptance(locked.fee_schedule)
        acceptance.contract = contract
        acceptance.state = "notified" if paid_first else "licensed"
        acceptance.save(update_fields=["contract", "state"])
        audit.record(
            "licensing.open_acceptance.notified",
            actor=actor,
            target=acceptance,
            org=org,
            data={
                "declaration": locked.pk,
                "patent": locked.patent.application_number,
                "notified_at": notified_at.isoformat(),
                "contract_no": contract.contract_no,
                "state": acceptance.state,
            },
        )
    return acceptance


def licensor_actor(decl: OpenLicenceDeclaration) -> Any:
    """The user the contract services act as for the patentee. The published declaration is the
    patentee's standing consent to license anyone on its terms, so the licence is made in the
    declarant's name: the user who drafted it while they still manage the declarant organisation's
    licences, else another TTO member of it. (Interim: the contract services accept only licensor
    actors and an APPROVED contract at signing — see the report to the contract core's owner.)"""
    from django.contrib.auth import get_user_model

    def manages(user: Any) -> bool:
        if user is None or not user.is_active or not policies.can(user, "licensing.manage"):
            return False
        member = policies.membership_of(user)
        return policies.is_platform_wide(user) or (
            member is not None and member.org_id == decl.declarant_org_id
        )

    if manages(decl.created_by):
        return decl.created_by
    candidates = (
        get_user_model()
        .objects.filter(is_active=True, membership__org_id=decl.declarant_org_id, membership__role="tto")
        .order_by("pk")
    )
    for user in candidates:
        if manages(user):
            return user
    raise LicensingRefused(
        "OL_NO_LICENSOR",
        f"{decl.declarant_org.name} 暂无可代表许可方办理的账号，请联系运营人员处理该开放许可",
    )


def _licence(decl: OpenLicenceDeclaration, org: Any, start: dt.date, *, notice_by: Any) -> LicenceContract:
    """The ordinary licence on the declaration's frozen terms, made and signed on ``start``: created,
    then (the declaration being the patentee's approval) submitted, approved and signed at once."""
    licensor = licensor_actor(decl)
    ref = f"开放许可声明第 {decl.version} 版（公告号 {decl.announcement_no}）"
    contract = contracts.create_contract(
        licensor,
        licensor_org=decl.declarant_org,
        licensee_org=org,
        patents=[decl.patent],
        kind=LicenceKindChoices.ORDINARY,
        origin=OriginChoices.OPEN_LICENCE,
        start=start,
        end=licence_end(decl, start),
        fee_schedule=dict(decl.fee_schedule),
        price_method=PriceMethodChoices.OPEN_LICENCE,
        licensors=[{"name": name} for name in decl.patentees or [decl.declarant_org.name]],
        territory="中国境内",
        is_demo=decl.is_demo,
        coowner_consent=True,  # every patentee signed the declaration (checked before publication)
        pledgee_consent=decl.pledgee_consent,
        on=start,
    )
    contracts.submit(licensor, contract, on=start)
    note = f"依{ref}及 {org.name} 的书面通知（{notice_by.get_username()}）自动办理，无需另行审批"
    contracts.approve(licensor, contract, on=start, note=note)
    return contracts.sign(licensor, contract, on=start)


def mark_paid(contract: LicenceContract, *, on: dt.date, actor: Any = None) -> OpenLicenceAcceptance | None:
    """NOTIFIED → LICENSED once the first payment under an open-licence contract is recorded (the
    ``payment_recorded`` receiver calls it inside the payment's transaction). Idempotent."""
    acceptance = OpenLicenceAcceptance.objects.select_for_update().filter(contract=contract).first()
    if acceptance is None or acceptance.state != "notified":
        return acceptance
    acceptance.state = "licensed"
    acceptance.save(update_fields=["state"])
    audit.record(
        "licensing.open_acceptance.licensed",
        actor=actor,
        target=acceptance,
        org=acceptance.licensee_org,
        data={"contract_no": contract.contract_no, "paid_on": on.isoformat()},
    )
    return acceptance

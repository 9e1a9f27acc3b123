"""Demo licensing records for ``patentbridge init --demo`` (transactions-and-analytics.md §2.e, §3.e):
a few licences in different states, each made by the platform's own services exactly as the people
involved would make them (offer → application → contract → approval → signing → trial → conversion
or decline → filing → usage report → payment → income distribution; open-licence declarations
through their check, submission, publication and acceptance).

Every record is a demonstration record, never presented as a real contract: ``is_demo`` is set,
offer titles and free-text terms end with （演示）, filing and announcement numbers start with 演示.

Dates are relative to the day the demo is loaded (the anchor), so the demo makes sense on any day:
the converted trial was signed ten months earlier, the trial in progress two months earlier, and
so on. Re-running ``init --demo`` adds nothing: each record is looked up by its demo label first.

Which patents: granted, valid, in-library patents chosen by query, licensors in
``LICENSOR_PREFERENCE`` order (the Shandong universities first). The bundled 泰安 applications
carry no legal status (demo_data/README.md), so no 山东农业大学 or 山东科技大学 patent qualifies
and the next licensor that has suitable patents is used; the loader prints a note saying so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from patentbridge.licensing.choices import FilingStateChoices
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import LicenceContract, LicenceFiling, LicenceOffer
from patentbridge.licensing.services import contracts, filing, income, money_usage
from patentbridge.licensing.services.money import cny
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.site import demo_licensing_open as open_demo
from patentbridge.site.demo_licensing_deals import (
    DAY,
    OFFER_SUFFIXES,
    OTHER_TERMS,
    TAIAN_TERMS,
    existing_trial,
    notice_days,
    offer,
    sign_through,
    trial,
)
from patentbridge.site.demo_licensing_pick import (
    LICENSOR_PREFERENCE,
    Cast,
    Need,
    candidates,
    owner,
    patentee_names,
)
from patentbridge_engine.legal.terms import add_months

__all__ = ["COOWNED_FIELD", "LICENSOR_PREFERENCE", "OFFER_SUFFIXES", "build_kind", "load_licensing_demo"]

COOWNED_FIELD = "专利技术产品的制造与销售（演示）"
_FAILURES = (LicensingRefused, ValidationError, PermissionDenied)


def _reason(exc: Exception) -> str:
    if isinstance(exc, LicensingRefused):
        return f"[{exc.code}] {exc.reason}"
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def build_kind(stdout: Any, label: str, build: Callable[[], str]) -> None:
    """Build one kind of record in its own transaction; a refusal is printed (with the rule's
    reason) and leaves nothing half-made, so the rest of the demo still loads."""
    try:
        with transaction.atomic():
            line = build()
    except _FAILURES as exc:
        line = f"未生成——{_reason(exc)}"
    stdout.write(f"  许可演示（{label}）：{line}\n")


def _converted(cast: Cast, published: LicenceOffer, start: dt.date) -> str:
    """(a) trial → filed → usage report → conversion → royalty report → payment → income sheet."""
    contract = existing_trial(published, "ent_taian", cast)
    if contract is None:
        contract = trial(cast, published, "ent_taian", start=start, use="输电线路无人机巡检")
        actor, enterprise, today = cast.manager(contract.licensor_org), cast.user("ent_taian"), cast.today
        task = contract.filings.get(kind="initial")
        filing.submit_filing(actor, task, side="licensor", on=start + 20 * DAY)
        filing.record_filed(
            actor, task, record_no=f"演示备案号{contract.contract_no}", filed_on=start + 35 * DAY
        )
        assert contract.trial_end is not None  # a trial contract
        trial_end = contract.trial_end
        contracts.end_trial(actor, contract, on=trial_end)
        money_usage.submit_usage_report(
            enterprise,
            contract,
            period_start=contract.start_date,
            values={"units": "60", "sales": "180000.00", "net_sales": "165000.00"},
            note="演示数据：试用期小批量试制",
            on=trial_end,
        )
        contracts.convert(enterprise, contract, on=trial_end + DAY)
        first = contract.receivables.filter(component="royalty").order_by("period_start").first()
        assert first is not None and first.period_start is not None and first.period_end is not None
        report_on = min(first.period_end + 10 * DAY, today)
        money_usage.submit_usage_report(
            enterprise,
            contract,
            period_start=first.period_start,
            values={"units": "160", "sales": "520000.00", "net_sales": "480000.00"},
            note="演示数据：首个付费报告期",
            on=report_on,
        )
        first.refresh_from_db()
        paid_on = min(report_on + 14 * DAY, today)
        payment = record_payment(actor, first, amount=str(first.amount_due), paid_on=paid_on)
        dist = income.compute_distribution(
            actor,
            payment,
            deductions={},
            own_rule_share=None,
            tto_share=Decimal("0.10"),
            inventors=income.default_inventor_splits(contract),
            on=paid_on,
        )
        income.approve_distribution(cast.second(actor), dist, on=min(paid_on + 3 * DAY, today))
    paid = sum((p.amount for r in contract.receivables.all() for p in r.payments.all()), Decimal(0))
    return (
        f"{contract.contract_no} {contract.licensee_org.name} {contract.get_state_display()}，"
        f"试用至 {contract.trial_end}，已收 {cny(paid)}，收益分配 "
        f"{contract.receivables.filter(payments__distribution__state='approved').count()} 笔已审批"
    )


def _declined(cast: Cast, published: LicenceOffer, start: dt.date) -> str:
    """(b) a trial that ended without conversion, with the licensee's reason; its filing submitted."""
    contract = existing_trial(published, "ent_jining", cast)
    if contract is None:
        contract = trial(cast, published, "ent_jining", start=start, use="矿区环境无人机监测")
        enterprise = cast.user("ent_jining")
        task = contract.filings.get(kind="initial")
        filing.submit_filing(enterprise, task, side="licensee", on=start + 30 * DAY)
        assert contract.trial_end is not None
        contracts.end_trial(cast.manager(contract.licensor_org), contract, on=contract.trial_end)
        contracts.decline(
            enterprise,
            contract,
            on=min(contract.trial_end + 5 * DAY, cast.today),
            reason_code="price",
            note="演示数据：入门费超出企业当年预算，暂不转为付费许可",
        )
        contract.refresh_from_db()
    return f"{contract.contract_no} {contract.licensee_org.name} {contract.get_state_display()}：{contract.end_reason}"


def _in_trial(cast: Cast, published: LicenceOffer, start: dt.date) -> str:
    """(c) a trial still running, its filing due."""
    contract = existing_trial(published, "ent_jinan", cast) or trial(
        cast, published, "ent_jinan", start=start, use="园区空气质量监测平台"
    )
    left = (contract.trial_end - cast.today).days if contract.trial_end else 0
    return (
        f"{contract.contract_no} {contract.licensee_org.name} {contract.get_state_display()}，"
        f"试用至 {contract.trial_end}（还剩 {max(left, 0)} 天）"
    )


def _coowned(cast: Cast) -> str:
    """(d) an ordinary licence of a co-owned patent, every co-owner granting (专利法 Art. 14), the
    lump sum in two instalments, the first paid; its filing left due."""
    contract = LicenceContract.objects.filter(is_demo=True, field_of_use=COOWNED_FIELD).first()
    if contract is None:
        start = add_months(cast.today, -5)
        found = candidates(cast, Need(start=start - 30 * DAY, until=add_months(start, 36), coowned=True))
        if not found:
            return "跳过——演示库中没有共有且符合条件的已入库专利"
        patent = found[0]
        org = owner(patent)
        actor = cast.manager(org)
        names = [org.name, *(n for n in patentee_names(patent, start) if n != org.name)]
        ready_on = start - notice_days(org, start) * DAY
        contract = contracts.create_contract(
            actor,
            licensor_org=org,
            licensee_org=cast.org("enterprise"),
            patents=[patent],
            kind="ordinary",
            origin="negotiated",
            start=start,
            end=add_months(start, 36) - DAY,
            fee_schedule={
                "free": False,
                "components": [
                    {
                        "type": "lump_sum",
                        "amount": "80000.00",
                        "instalments": [
                            {"date": (start + 30 * DAY).isoformat(), "amount": "40000.00"},
                            {"date": add_months(start, 12).isoformat(), "amount": "40000.00"},
                        ],
                    }
                ],
            },
            price_method="agreement",
            licensors=[{"name": n} for n in names],
            coowner_consent=True,
            field_of_use=COOWNED_FIELD,
            is_demo=True,
            on=ready_on,
        )
        sign_through(cast, contract, ready_on=ready_on)
        first = contract.receivables.order_by("due_date", "pk").first()
        if first is not None and first.amount_due:
            record_payment(actor, first, amount=str(first.amount_due), paid_on=start + 28 * DAY)
        contract.refresh_from_db()
    owners = "、".join(str(p.get("name")) for p in contract.licensors)
    return f"{contract.contract_no} 共有人 {owners} 普通许可给 {contract.licensee_org.name}，{contract.get_state_display()}"


def _filings_line() -> str:
    rows = LicenceFiling.objects.filter(contract__is_demo=True)
    counts = [(label, rows.filter(state=code).count()) for code, label in FilingStateChoices.choices]
    return "，".join(f"{label} {n}" for label, n in counts if n) or "无"


def load_licensing_demo(stdout: Any, *, today: dt.date | None = None) -> None:
    """Create the demo licensing records (idempotent) and print one line per kind."""
    cast = Cast.load(today or timezone.localdate())
    note = cast.licensor_note()
    if note:
        stdout.write(f"  许可演示：{note}\n")
    starts = {
        "converted": add_months(cast.today, -10),
        "declined": add_months(cast.today, -9),
        "in_trial": add_months(cast.today, -2),
    }
    made: dict[str, LicenceOffer] = {}

    def offer_line(key: str, need: Need, regions: list[str], terms: dict[str, Any]) -> str:
        made[key] = offer(cast, key, need, regions=regions, terms=terms)
        return f"{made[key].title}（{made[key].get_state_display()}，{made[key].patents.count()} 件专利）"

    need_a = Need(
        start=starts["converted"] - 30 * DAY, until=add_months(starts["converted"], 37), inventors=True
    )
    build_kind(stdout, "定向许可项目", lambda: offer_line("taian", need_a, ["370900"], TAIAN_TERMS))
    need_b = Need(start=starts["declined"] - 30 * DAY, until=add_months(starts["in_trial"], 37))
    build_kind(
        stdout, "定向许可项目", lambda: offer_line("jinan_jining", need_b, ["370100", "370800"], OTHER_TERMS)
    )
    if "taian" in made:
        build_kind(stdout, "试用转付费", lambda: _converted(cast, made["taian"], starts["converted"]))
    if "jinan_jining" in made:
        build_kind(stdout, "试用未转化", lambda: _declined(cast, made["jinan_jining"], starts["declined"]))
        build_kind(stdout, "试用中", lambda: _in_trial(cast, made["jinan_jining"], starts["in_trial"]))
    build_kind(stdout, "共有专利普通许可", lambda: _coowned(cast))
    for label, build in open_demo.builders(cast):
        build_kind(stdout, label, build)
    stdout.write(f"  许可演示（备案）：{_filings_line()}\n")

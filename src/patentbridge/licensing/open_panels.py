"""What open licences add to the rest of the site (connected once by ``licensing.wiring``): the
open-licence panel on the patent page, and the ``payment_recorded`` receiver that turns a paid
acceptance into a licence (NOTIFIED → LICENSED)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core.labels import ACTION_LABELS
from patentbridge.core.panels import register_panel
from patentbridge.licensing import signals
from patentbridge.licensing.models import LIVE_DECLARATION_STATES
from patentbridge.licensing.services import open_licence

__all__ = ["ACTION_LABELS_OPEN", "patent_panel", "register"]

# Chinese names of the audit actions the open-licence services write (core.labels).
ACTION_LABELS_OPEN: dict[str, str] = {
    "licensing.declaration.drafted": "开放许可声明：起草",
    "licensing.declaration.updated": "开放许可声明：修改",
    "licensing.declaration.checked": "开放许可声明：自检",
    "licensing.declaration.submitted": "开放许可声明：提交国家知识产权局",
    "licensing.declaration.published": "开放许可声明：公告",
    "licensing.declaration.returned": "开放许可声明：退回",
    "licensing.declaration.withdrawal_requested": "开放许可声明：申请撤回",
    "licensing.declaration.withdrawal_announced": "开放许可声明：登记撤回公告日期",
    "licensing.declaration.withdrawn": "开放许可声明：撤回生效",
    "licensing.declaration.withdrawal_refused": "开放许可声明：撤回未获准",
    "licensing.declaration.ended": "开放许可声明：因专利权终止而终止",
    "licensing.declaration.document_uploaded": "开放许可声明：上传材料",
    "licensing.open_acceptance.notified": "开放许可：企业书面通知",
    "licensing.open_acceptance.licensed": "开放许可：付款后获得许可",
}


def _today() -> dt.date:
    return timezone.localdate()


def patent_panel(request: HttpRequest, patent: Any) -> dict[str, Any] | None:
    """The patent page's open-licence card: the declaration in force (or the owner's draft), the
    15 % reduction flag today with the next annual fee, and the buttons the user may use. A patent
    whose public-implementation-list entry chose the "open licence" route gets a declaration form
    prefilled with that origin."""
    user = request.user
    today = _today()
    visible = open_licence.declarations_for(user).filter(patent=patent)
    current = visible.first()
    public = open_licence.public_declarations().filter(patent=patent).first()
    may_declare = False
    if policies.can(user, "licensing.declare"):
        try:
            open_licence.may_declare(user, patent)
            may_declare = True
        except PermissionDenied:  # not this organisation's patent
            may_declare = False
    accepted = None
    member = policies.membership_of(user)
    may_accept = policies.can(user, "licensing.accept") and public is not None and member is not None
    if may_accept and public is not None:
        accepted = public.acceptances.filter(licensee_org_id=member.org_id).first()
    live = current is not None and current.state in LIVE_DECLARATION_STATES
    listed = patent.public_list_entries.filter(route="open_licence", left_on=None).exists()
    declare_url = f"{reverse('licensing:open_new')}?patent={patent.application_number}"
    return {
        "patent": patent,
        "current": current,
        "public": public,
        "fee_text": open_licence.describe_fee(public) if public else "",
        "term_text": open_licence.describe_term(public) if public else "",
        "flag": open_licence.open_licence_fee_flag(patent, today),
        "plan": open_licence.annual_fee_plan(patent, today) if may_declare else None,
        "may_declare": may_declare and not live,
        "listed": listed,
        "declare_url": f"{declare_url}&origin=public_list" if listed else declare_url,
        "may_accept": may_accept and accepted is None,
        "accepted": accepted,
        "history": list(visible[:5]) if may_declare or policies.is_platform_wide(user) else [],
    }


def _on_payment(sender: Any, payment: Any, actor: Any = None, **kwargs: Any) -> None:
    """A payment under an open-licence contract: the acceptance that waited for it is licensed."""
    contract = payment.receivable.contract
    if contract.origin == "open_licence":
        open_licence.mark_paid(contract, on=payment.paid_on, actor=actor)


def register() -> None:
    """The patent page's open-licence card, the payment receiver and the audit labels."""
    ACTION_LABELS.update(ACTION_LABELS_OPEN)
    register_panel("patent", "open_licence", "licensing/open/_patent_panel.html", patent_panel, order=45)
    signals.payment_recorded.connect(_on_payment, dispatch_uid="open_licence_payment")

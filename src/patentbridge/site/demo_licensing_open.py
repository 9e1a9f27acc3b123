"""Demo open licences (专利开放许可, guide §3.e), made through the declaration services: three
declarations checked, submitted and published — free, a fixed fee, an entry fee plus a royalty — one
accepted by a demo enterprise (an ordinary licence with its filing task), and one refused by the
self-check because the patent carries a (demo) pledge without the pledgee's consent.

The declaration service takes no ``is_demo`` argument yet; the flag is set on the new draft before
anything else happens to it, so the ledger event and the licences made from it inherit it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import OpenLicenceDeclaration
from patentbridge.licensing.services import open_licence
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.patents.models import Patent
from patentbridge.site.demo_licensing_pick import Cast, Need, candidates, owner, patentee_names
from patentbridge_engine.legal.terms import add_months

__all__ = ["DEMO_TERMS", "FEES", "PLEDGE_REF", "builders"]

DAY = dt.timedelta(days=1)
DEMO_TERMS = "演示数据：本声明由专利桥演示流程生成，不是真实的开放许可声明，不产生任何法律效力。"
PLEDGE_REF = "演示质押登记"
# fee type (open_licence.fee_type) → (label, fee schedule, term kind, term years)
FEES: dict[str, tuple[str, dict[str, Any], str, int | None]] = {
    "free": ("免费", {"free": True, "components": []}, "until_patent_expiry", None),
    "fixed": (
        "固定费用",
        {"free": False, "components": [{"type": "lump_sum", "amount": "30000.00", "instalments": []}]},
        "years_from_licence",
        3,
    ),
    "royalty": (
        "入门费+提成",
        {
            "free": False,
            "components": [
                {"type": "entry_fee", "amount": "10000.00", "due": "signing"},
                {
                    "type": "royalty",
                    "base": "net_sales",
                    "kind": "fixed",
                    "rates": [{"from_year": 1, "rate": "0.02"}],
                    "min_annual": None,
                    "cap_annual": None,
                    "cap_total": None,
                    "report_period": "year",
                    "pay_within_days": 30,
                },
            ],
        },
        "years_from_licence",
        5,
    ),
}


def _demo_declarations() -> QuerySet[OpenLicenceDeclaration]:
    return OpenLicenceDeclaration.objects.filter(is_demo=True).select_related("patent", "declarant_org")


def _draft(cast: Cast, patent: Patent, fee: str, *, on: dt.date) -> OpenLicenceDeclaration:
    """A draft signed by every patentee, labelled as a demonstration record."""
    _, schedule, term_kind, years = FEES[fee]
    org = owner(patent)
    data = open_licence.DeclarationInput(
        fee_schedule=schedule,
        term_kind=term_kind,
        term_years=years,
        other_terms=DEMO_TERMS,
        signed_by=tuple(patentee_names(patent, on)),
        contact=f"{org.name}技术转移部门（演示联系人）",
    )
    decl = open_licence.draft_declaration(cast.manager(org), patent, data, on=on)
    # Label only (no service takes is_demo yet): before the check, so everything made later inherits it.
    OpenLicenceDeclaration.objects.filter(pk=decl.pk).update(is_demo=True)
    decl.is_demo = True
    return decl


def _published(cast: Cast, fee: str, *, published: dt.date) -> OpenLicenceDeclaration:
    """The demo declaration of fee type ``fee``, drafted a month before ``published`` and published then."""
    for decl in _demo_declarations().filter(state__in=open_licence.IN_FORCE):
        if open_licence.fee_type(decl.fee_schedule) == fee:
            return decl
    drafted = published - 30 * DAY
    found = candidates(cast, Need(start=drafted, until=published, invention=True))
    if not found:
        raise LicensingRefused("DEMO_NO_PATENT", "演示库中没有符合条件的已授权发明专利")
    patent = found[0]
    actor = cast.manager(owner(patent))
    decl = _draft(cast, patent, fee, on=drafted)
    verdict = open_licence.check_declaration(decl, drafted, actor=actor)
    if not verdict.allowed:
        raise LicensingRefused.from_verdict(verdict)
    open_licence.submit_declaration(actor, decl, on=drafted + 5 * DAY)
    open_licence.record_publication(
        actor, decl, published_at=published, announcement_no=f"演示公告号{published.year}-{decl.pk:05d}"
    )
    return decl


def _published_line(cast: Cast) -> str:
    published = add_months(cast.today, -3)
    decls = [_published(cast, fee, published=published) for fee in FEES]
    return "；".join(
        f"{FEES[open_licence.fee_type(d.fee_schedule)][0]}：{d.patent.application_number}"
        f"（{d.declarant_org.name}，{d.get_state_display()}，公告号 {d.announcement_no}）"
        for d in decls
    )


def _accepted_line(cast: Cast) -> str:
    """The free declaration accepted by a demo enterprise a month ago."""
    free = next(
        (
            d
            for d in _demo_declarations().filter(state__in=open_licence.IN_FORCE)
            if d.fee_schedule.get("free")
        ),
        None,
    )
    if free is None:
        return "跳过——没有已公告的免费演示声明"
    acceptance = free.acceptances.select_related("contract", "licensee_org").first()
    if acceptance is None:
        acceptance = open_licence.accept_declaration(
            cast.user("ent_weifang"),
            free,
            notified_at=max(add_months(cast.today, -1), free.published_at or cast.today),
            intended_use="演示数据：农产品冷链温湿度监测",
        )
    contract = acceptance.contract
    task = contract.filings.filter(kind="initial").first() if contract else None
    return (
        f"{acceptance.licensee_org.name} 接受 {free.patent.application_number}，"
        f"{acceptance.get_state_display()}，合同 {contract.contract_no if contract else '—'}，"
        f"备案期限 {task.due_date if task else '—'}"
    )


def _blocked_line(cast: Cast) -> str:
    """A declaration refused by its self-check: the patent is pledged without the pledgee's consent."""
    decl = _demo_declarations().filter(patent__right_events__source_ref__startswith=PLEDGE_REF).first()
    if decl is None:
        pledged_on = add_months(cast.today, -4)
        on = add_months(cast.today, -3)
        found = candidates(cast, Need(start=pledged_on, until=on, coowned=None, invention=True))
        found = found or candidates(cast, Need(start=pledged_on, until=on, coowned=None))
        if not found:
            return "跳过——演示库中没有可用于展示的专利"
        patent = found[0]
        record_right_event(
            cast.user("operator"),
            patent,
            kind="pledge",
            start=pledged_on,
            counterparty="演示质权银行（演示）",
            source="manual",
            source_ref=f"{PLEDGE_REF}-{patent.application_number}",
            note="演示数据：虚构的质押登记，用于展示质押未经质权人同意时开放许可声明被阻止",
            is_demo=True,
        )
        decl = _draft(cast, patent, "free", on=on)
        open_licence.check_declaration(decl, on, actor=cast.manager(owner(patent)))
        decl.refresh_from_db()
    blocks = [f for f in decl.check_result or [] if f.get("severity") == "block"]
    reasons = "；".join(f"[{f.get('code')}] {f.get('reason')}" for f in blocks) or "（未发现阻止项）"
    return f"{decl.patent.application_number}（{decl.get_state_display()}）未通过自检：{reasons}"


def builders(cast: Cast) -> list[tuple[str, Callable[[], str]]]:
    """(label, build) of each open-licence kind, in the order they depend on each other."""
    return [
        ("开放许可声明", lambda: _published_line(cast)),
        ("开放许可实施", lambda: _accepted_line(cast)),
        ("开放许可被阻止", lambda: _blocked_line(cast)),
    ]

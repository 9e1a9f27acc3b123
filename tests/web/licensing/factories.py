"""Licensing factories for the web tests: the parties of a licence, granted patents, co-owned
patents, fee schedules and contracts taken through the real contract services.

Plain functions like ``tests/web/factories.py`` (which they build on). Names, numbers and USCCs
are unique per call. Other engineers ADD functions at the end of this file; existing functions
keep their signatures.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from web.factories import app_number, make_member, make_org, make_patent

__all__ = [
    "Parties",
    "fee_free",
    "fee_lump_sum",
    "fee_royalty",
    "make_contract",
    "make_coowned_patent",
    "make_granted_patent",
    "make_parties",
    "uscc",
]

_serial = itertools.count(1)

# Dates the licensing tests use by default (frozen; no test reads today's date).
GRANT_DATE = dt.date(2024, 3, 1)
FILING_DATE = dt.date(2022, 3, 1)


def _next() -> int:
    return next(_serial)


def uscc(serial: int | None = None) -> str:
    """An 18-character USCC-shaped code, unique per call (the format only; no check digit rule)."""
    return f"91370200MA{(serial if serial is not None else _next()):08d}"


@dataclass
class Parties:
    """The cast of a licence: a state-run university with its TTO, a second university with its
    TTO (for "other organisation" refusals), an enterprise licensee with its user, a second
    enterprise, and the operation centre with an operator and an admin."""

    university: Any
    tto: Any
    other_university: Any
    other_tto: Any
    enterprise: Any
    enterprise_user: Any
    other_enterprise: Any
    other_enterprise_user: Any
    centre: Any
    operator: Any
    admin: Any
    inventor: Any


def make_parties(*, state_run: bool = True, enterprise_region: str = "370902") -> Parties:
    """Organisations and members for licensing tests (ORM, as the conftest fixtures do).

    The university is 政府设立 when ``state_run`` (rule L7 applies to it); the enterprise sits in
    ``enterprise_region`` (GB/T 2260, default 泰安市泰山区) and has a USCC and address fields."""
    n = _next()
    university = make_org(
        f"测试大学{n}", "university", state_run=state_run, region_code="370102", province="山东"
    )
    other_university = make_org(f"另一所大学{n}", "university", state_run=True, region_code="370202")
    enterprise = make_org(
        f"泰安某机械有限公司{n}",
        "enterprise",
        uscc=uscc(),
        region_code=enterprise_region,
        province="山东",
        city="泰安",
    )
    other_enterprise = make_org(
        f"青岛某科技有限公司{n}", "enterprise", uscc=uscc(), region_code="370212", province="山东"
    )
    centre = make_org(f"运营中心{n}", "operation_centre")
    return Parties(
        university=university,
        tto=make_member(university, "tto"),
        other_university=other_university,
        other_tto=make_member(other_university, "tto"),
        enterprise=enterprise,
        enterprise_user=make_member(enterprise, "enterprise"),
        other_enterprise=other_enterprise,
        other_enterprise_user=make_member(other_enterprise, "enterprise"),
        centre=centre,
        operator=make_member(centre, "operator"),
        admin=make_member(centre, "admin"),
        inventor=make_member(university, "inventor"),
    )


def make_granted_patent(
    owner: Any,
    *,
    patentees: Sequence[str] | None = None,
    patent_type: str = "invention",
    grant_date: dt.date = GRANT_DATE,
    filing_date: dt.date = FILING_DATE,
    legal_status: str = "granted",
    **fields: Any,
) -> Any:
    """An in-library granted patent of ``owner`` (its patentee unless ``patentees`` is given), with
    a grant number and an expiry date (20 years for inventions, 10 for utility models, 15 for
    designs) so the checks see it valid."""
    kind = {"invention": "1", "utility_model": "2", "design": "3"}[patent_type]
    years = {"invention": 20, "utility_model": 10, "design": 15}[patent_type]
    names = list(patentees) if patentees is not None else [owner.name]
    values: dict[str, Any] = {
        "number": app_number(year=filing_date.year, kind=kind),
        "owner": owner,
        "status": "in_library",
        "patent_type": patent_type,
        "legal_status": legal_status,
        "filing_date": filing_date,
        "grant_date": grant_date,
        "grant_number": f"CN{110000000 + _next()}B",
        "expiry_date": filing_date.replace(year=filing_date.year + years),
        "applicants": names,
        "patentees": names,
        "inventors": ["张三", "李四"],
        "applicant_kind": "university",
        "province": "山东",
    }
    values.update(fields)
    return make_patent(**values)


def make_coowned_patent(
    owner: Any, co_owner: str | Iterable[str] = "某某研究院有限公司", **fields: Any
) -> Any:
    """A granted patent owned by ``owner`` together with ``co_owner`` (one name or several):
    rule L4 wants every co-owner's consent or share."""
    others = [co_owner] if isinstance(co_owner, str) else list(co_owner)
    return make_granted_patent(owner, patentees=[owner.name, *others], **fields)


def fee_free() -> dict[str, Any]:
    """免费许可 (a trial phase or a free licence): the engine FeeSchedule dict."""
    return {"free": True, "components": []}


def fee_lump_sum(amount: str = "120000.00") -> dict[str, Any]:
    """A lump sum paid at signing."""
    return {"free": False, "components": [{"type": "lump_sum", "amount": amount, "instalments": []}]}


def fee_royalty(
    rate: str = "0.03",
    *,
    entry_fee: str | None = "50000.00",
    base: str = "net_sales",
    min_annual: str | None = None,
) -> dict[str, Any]:
    """Entry fee (due at conversion) + fixed royalty on ``base``, reported quarterly."""
    components: list[dict[str, Any]] = []
    if entry_fee is not None:
        components.append({"type": "entry_fee", "amount": entry_fee, "due": "conversion"})
    components.append(
        {
            "type": "royalty",
            "base": base,
            "kind": "fixed",
            "rates": [{"from_year": 1, "rate": rate}],
            "min_annual": min_annual,
            "cap_annual": None,
            "cap_total": None,
            "report_period": "quarter",
            "pay_within_days": 30,
        }
    )
    return {"free": False, "components": components}


# How far make_contract walks the state machine; each stage runs the real service.
_STAGES = ("draft", "in_approval", "approved", "signed", "conversion_due", "active_paid", "trial_ended")


def make_contract(
    parties: Parties,
    patents: Sequence[Any],
    *,
    kind: str = "ordinary",
    start: dt.date = dt.date(2026, 1, 1),
    end: dt.date = dt.date(2028, 12, 31),
    trial_months: int | None = None,
    fee_schedule: dict[str, Any] | None = None,
    price_method: str = "listing",
    origin: str | None = None,
    licensee_org: Any = None,
    licensor_org: Any = None,
    stage: str = "draft",
    on: dt.date | None = None,
    actor: Any = None,
    **extra: Any,
) -> Any:
    """A contract created through ``services.contracts.create_contract`` and walked to ``stage``
    with the real services: ``draft`` → ``in_approval`` (submit) → ``approved`` (approve) →
    ``signed`` (sign: ACTIVE_TRIAL with a trial, else ACTIVE_PAID) → ``conversion_due``
    (end_trial) → ``active_paid`` (convert) or ``trial_ended`` (decline "not_suitable").

    The default price method ``listing`` (挂牌交易) needs no 公示 at a state-run licensor, so
    walking to ``signed`` does not stop at PUBLIC_NOTICE; pass ``price_method="agreement"`` to
    test rule L7. ``on`` (default ``start``) is the business date of every step; ``actor``
    (default the parties' TTO) acts; the enterprise user converts/declines. Without a
    ``fee_schedule`` a trial contract gets a royalty schedule and a paid one a lump sum."""
    from patentbridge.licensing.services import contracts

    if stage not in _STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    actor = actor or parties.tto
    on = on or start
    if fee_schedule is None:
        fee_schedule = fee_royalty() if trial_months else fee_lump_sum()
    if origin is None:
        origin = "directed_trial" if trial_months else "negotiated"
    contract = contracts.create_contract(
        actor,
        licensor_org=licensor_org or parties.university,
        licensee_org=licensee_org or parties.enterprise,
        patents=list(patents),
        kind=kind,
        origin=origin,
        start=start,
        end=end,
        trial_months=trial_months,
        fee_schedule=fee_schedule,
        price_method=price_method,
        **extra,
    )
    target = _STAGES.index(stage)
    if target >= 1:
        contracts.submit(actor, contract, on=on)
    if target >= 2:
        contracts.approve(actor, contract, on=on, note="同意")
    if target >= 3:
        contracts.sign(actor, contract, on=on)
    if stage in ("conversion_due", "active_paid", "trial_ended"):
        trial_end = contract.trial_end or on
        contracts.end_trial(None, contract, on=trial_end)
        if stage == "active_paid":
            contracts.convert(parties.enterprise_user, contract, on=trial_end)
        elif stage == "trial_ended":
            contracts.decline(parties.enterprise_user, contract, on=trial_end, reason_code="not_suitable")
    contract.refresh_from_db()
    return contract


# --- open licences (added by the open-licence module) -------------------------------------------

OL_DECLARED = dt.date(2026, 1, 5)  # drafted and checked
OL_SUBMITTED = dt.date(2026, 1, 10)
OL_PUBLISHED = dt.date(2026, 2, 2)


def open_declaration_input(**overrides: Any) -> Any:
    """A complete ``DeclarationInput``: free licence until the patent's expiry, signed by
    ``signed_by`` (pass the patentees), with a contact; override any field."""
    from patentbridge.licensing.services.open_licence import DeclarationInput

    values: dict[str, Any] = {
        "fee_schedule": fee_free(),
        "term_kind": "until_patent_expiry",
        "contact": "技术转移中心 王老师 0531-88880000",
        "signed_by": (),
    }
    values.update(overrides)
    if "signed_by" in overrides:
        values["signed_by"] = tuple(overrides["signed_by"])
    return DeclarationInput(**values)


_OL_STAGES = ("draft", "checked", "submitted", "published")


def make_declaration(
    actor: Any,
    patent: Any,
    *,
    stage: str = "published",
    signed_by: Sequence[str] | None = None,
    declared: dt.date = OL_DECLARED,
    submitted: dt.date = OL_SUBMITTED,
    published: dt.date = OL_PUBLISHED,
    announcement_no: str | None = None,
    **fields: Any,
) -> Any:
    """A declaration taken through the real open-licence services to ``stage`` (draft → checked →
    submitted → published). ``signed_by`` defaults to every current patentee; ``fields`` override
    the ``DeclarationInput`` (fee_schedule, term_kind, term_years, …)."""
    from patentbridge.licensing.services import open_licence

    if stage not in _OL_STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    names = list(signed_by) if signed_by is not None else list(patent.patentees or [])
    data = open_declaration_input(signed_by=names, **fields)
    decl = open_licence.draft_declaration(actor, patent, data, on=declared)
    target = _OL_STAGES.index(stage)
    if target >= 1:
        verdict = open_licence.check_declaration(decl, declared, actor=actor)
        if not verdict.allowed:
            raise AssertionError(f"declaration blocked: {verdict.codes()}")
    if target >= 2:
        open_licence.submit_declaration(actor, decl, on=submitted)
    if target >= 3:
        number = announcement_no or f"GK{published:%Y%m%d}{_next():04d}"
        open_licence.record_publication(actor, decl, published_at=published, announcement_no=number)
    decl.refresh_from_db()
    return decl


# --- money (receivables, usage reports, payments, income) -----------------------------------

# A trial of two months from 2025-10-31 ends on 2025-12-31 (corresponding day), so the paid phase
# starts on 2026-01-01 and its first yearly report period is the whole calendar year 2026.
MONEY_TRIAL_START = dt.date(2025, 10, 31)
MONEY_PAID_START = dt.date(2026, 1, 1)


def fee_entry_royalty(
    *,
    entry_fee: str | None = "50000.00",
    entry_due: str = "conversion",
    rate: str = "0.03",
    base: str = "net_sales",
    min_annual: str | None = "10000.00",
    cap_annual: str | None = None,
    cap_total: str | None = None,
    report_period: str = "year",
    pay_within_days: int = 30,
) -> dict[str, Any]:
    """The §13 schedule by default: ¥50,000 entry fee due at conversion + 3 % of net sales, at
    least ¥10,000 a year, reported yearly and paid within 30 days."""
    components: list[dict[str, Any]] = []
    if entry_fee is not None:
        components.append({"type": "entry_fee", "amount": entry_fee, "due": entry_due})
    rates: list[dict[str, Any]] = (
        [{"from_year": 1, "per_unit": rate}] if base == "units" else [{"from_year": 1, "rate": rate}]
    )
    components.append(
        {
            "type": "royalty",
            "base": base,
            "kind": "fixed",
            "rates": rates,
            "min_annual": min_annual,
            "cap_annual": cap_annual,
            "cap_total": cap_total,
            "report_period": report_period,
            "pay_within_days": pay_within_days,
        }
    )
    return {"free": False, "components": components}


def make_money_contract(
    parties: Parties,
    patents: Sequence[Any],
    *,
    fee_schedule: dict[str, Any] | None = None,
    end: dt.date = dt.date(2027, 12, 31),
    **kwargs: Any,
) -> Any:
    """A trial licence converted to paid on 2026-01-01 (see ``MONEY_PAID_START``) under
    ``fee_schedule`` (default ``fee_entry_royalty()``), walked through the real services."""
    return make_contract(
        parties,
        patents,
        start=MONEY_TRIAL_START,
        end=end,
        trial_months=2,
        fee_schedule=fee_schedule or fee_entry_royalty(),
        stage="active_paid",
        **kwargs,
    )

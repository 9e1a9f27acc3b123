"""Pool factories for the web tests: the cast of a pool (agency, two member universities, an
outsider university, an enterprise, an operator, officers), granted patents on the chain with
grades, and a pool walked through the real services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from web.factories import make_member, make_org
from web.licensing.factories import make_granted_patent, uscc

__all__ = ["TARIFF", "Cast", "farm_patent", "grade", "make_cast", "make_pool", "pool_patent"]

_serial = itertools.count(1)
D = dt.date
FOUNDED = D(2026, 1, 5)
TARIFF = {"free": False, "components": [{"type": "lump_sum", "amount": "300000.00", "instalments": []}]}


@dataclass
class Cast:
    agency: Any
    agency_user: Any
    uni_a: Any
    tto_a: Any
    uni_b: Any
    tto_b: Any
    outsider: Any
    outsider_tto: Any
    enterprise: Any
    enterprise_user: Any
    operator: Any
    admin: Any
    officer_city: Any
    officer_other: Any
    inventor: Any
    viewer: Any


def make_cast() -> Cast:
    n = next(_serial)
    agency = make_org(f"测试专利池运营中心{n}", "agency", region_code="370900")
    uni_a = make_org(f"甲农业大学{n}", "university", state_run=True, region_code="370900")
    uni_b = make_org(f"乙科技大学{n}", "university", state_run=True, region_code="370900")
    outsider = make_org(f"丙大学{n}", "university", state_run=True, region_code="370200")
    enterprise = make_org(f"泰安某农机有限公司{n}", "enterprise", uscc=uscc(), region_code="370902")
    centre = make_org(f"运营中心{n}", "operation_centre")
    city = make_org(f"泰安市市场监管局{n}", "government", region_code="370900")
    other_city = make_org(f"青岛市市场监管局{n}", "government", region_code="370200")
    return Cast(
        agency=agency,
        agency_user=make_member(agency, "tto"),
        uni_a=uni_a,
        tto_a=make_member(uni_a, "tto"),
        uni_b=uni_b,
        tto_b=make_member(uni_b, "tto"),
        outsider=outsider,
        outsider_tto=make_member(outsider, "tto"),
        enterprise=enterprise,
        enterprise_user=make_member(enterprise, "enterprise"),
        operator=make_member(centre, "operator"),
        admin=make_member(centre, "admin"),
        officer_city=make_member(city, "gov_officer"),
        officer_other=make_member(other_city, "gov_officer"),
        inventor=make_member(uni_a, "inventor"),
        viewer=make_member(centre, "viewer"),
    )


def grade(patent: Any, letter: str) -> Any:
    """Give ``patent`` the final grade ``letter`` (a stored grade row, as grading writes it)."""
    from patentbridge.grading.models import PatentGrade

    row, _ = PatentGrade.objects.update_or_create(
        patent=patent,
        defaults={
            "grade": letter,
            "final": letter,
            "score": 50.0,
            "coverage": 1.0,
            "policy_version": "test",
            "detail": {},
            "graded_at": timezone.now(),
        },
    )
    return row


def farm_patent(owner: Any, letter: str = "B", **fields: Any) -> Any:
    """A granted agricultural-machinery invention (IPC A01C 7/20) of ``owner`` graded ``letter``."""
    values: dict[str, Any] = {"title": "一种玉米精量播种装置", "ipc_main": "A01C7/20", "ipc": ["A01C7/20"]}
    values.update(fields)
    patent = make_granted_patent(owner, **values)
    grade(patent, letter)
    return patent


def make_pool(cast: Cast, *, chain: Any = None, open_on: dt.date | None = FOUNDED, **charter: Any) -> Any:
    """A pool of the cast's agency through the services (opened on ``open_on`` unless None)."""
    from patentbridge.pools.services import pools

    values: dict[str, Any] = {
        "ipc_prefixes": ["A01C", "A01B"],
        "keywords": ["播种"],
        "min_grade": "C",
        "mgmt_fee_rate": "0.10",
        "sharing_rule": "patent_count",
        "tariff": TARIFF,
        "tariff_years": 3,
    }
    values.update(charter)
    pool = pools.create_pool(
        cast.agency_user, name=f"农机专利池{next(_serial)}", chain=chain, founded_on=FOUNDED, **values
    )
    if open_on is not None:
        pool = pools.open_pool(cast.agency_user, pool, on=open_on)
    return pool


def pool_patent(cast: Cast, pool: Any, patent: Any, *, tto: Any, on: dt.date = FOUNDED, **kw: Any) -> Any:
    """Apply (by ``tto``) and admit (by the agency) ``patent`` on ``on``; returns the PoolPatent."""
    from patentbridge.pools.services import applications

    app = applications.submit_application(tto, pool, patent, on=on, **kw)
    return applications.admit(cast.agency_user, app, on=on, opinion="符合入池条件")

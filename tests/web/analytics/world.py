"""A small hand-built world with known statistics (every date chosen so each indicator has a
known answer as of 2024-06-30 and a different one on another day).

Organisations (GB/T 2260): uni_a 370102 济南历下, uni_b 370902 泰安泰山, ent_x 371522 聊城莘县,
ent_y 370212 青岛崂山, gov_lc 371500 聊城市, gov_qd 370200 青岛市, gov_none (no region).

Patents: p1 uni_a in library (created 2024-01-10, A, high-value, GLC, inventor 张三); p2 uni_a
approved 2024-06-15 (B graded 2024-06-20, GLC, submitted by inventor_a); p3 uni_a pending; p4 uni_b
in library (C graded 2024-09-01, SWYY); p5 no owner in library (D).

Contracts: c1 uni_a→ent_x on p1, trial from 2024-02-01 to 2024-04-30, paid from 2024-05-02
(origin directed_trial, royalty, filed 2024-04-01); c2 uni_a→ent_y on p2 signed 2024-08-01
(exclusive); c3 uni_b→ent_x on p4, trial 2024-03-01..05-31, not converted; c4 a draft; c5
uni_b→ent_y on p4, the open-licence acceptance of d1, signed 2024-03-01, free.

Money on c1: r1 entry fee 10,000 due 03-01 paid 03-05; r2 royalty 5,000 due 06-01 paid 2,000
on 06-10 and 1,000 on 07-10; r3 3,000 waived; r4 royalty not yet reported. Inventor income
张三 1,500 + 李四 1,500 approved 2024-03-10; 张三 600 approved 2024-07-01.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from web.factories import make_member, make_org, make_patent
from web.licensing.factories import fee_free, fee_royalty

AS_OF = dt.date(2024, 6, 30)


def at(y: int, m: int, d: int, hour: int = 10) -> dt.datetime:
    """An aware datetime in the site's zone."""
    return timezone.make_aware(dt.datetime(y, m, d, hour), timezone.get_default_timezone())


@dataclass
class World:
    orgs: dict[str, Any]
    users: dict[str, Any]
    patents: dict[str, Any]
    contracts: dict[str, Any]


def _set(obj: Any, **fields: Any) -> Any:
    """Overwrite auto dates (created_at …) the way history left them."""
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()
    return obj


def _orgs() -> dict[str, Any]:
    return {
        "uni_a": make_org("甲大学", "university", region_code="370102"),
        "uni_b": make_org("乙学院", "university", region_code="370902"),
        "ent_x": make_org("莘县某机械有限公司", "enterprise", region_code="371522"),
        "ent_y": make_org("崂山某科技有限公司", "enterprise", region_code="370212"),
        "centre": make_org("某运营中心", "operation_centre"),
        "gov_lc": make_org("聊城市市场监管局", "government", region_code="371500"),
        "gov_qd": make_org("青岛市市场监管局", "government", region_code="370200"),
        "gov_none": make_org("某未登记地区的部门", "government"),
    }


def _users(o: dict[str, Any]) -> dict[str, Any]:
    users = {
        "operator": make_member(o["centre"], "operator"),
        "tto_a": make_member(o["uni_a"], "tto"),
        "tto_b": make_member(o["uni_b"], "tto"),
        "ent_x": make_member(o["ent_x"], "enterprise"),
        "ent_y": make_member(o["ent_y"], "enterprise"),
        "officer_lc": make_member(o["gov_lc"], "gov_officer"),
        "officer_qd": make_member(o["gov_qd"], "gov_officer"),
        "officer_none": make_member(o["gov_none"], "gov_officer"),
        "viewer_lc": make_member(o["gov_lc"], "viewer"),
        "viewer_none": make_member(o["gov_none"], "viewer"),
        "inventor_a": make_member(o["uni_a"], "inventor"),
    }
    inv = users["inventor_a"]
    inv.last_name, inv.first_name = "张", "三"
    inv.save(update_fields=["last_name", "first_name"])
    return users


def _chains() -> None:
    from patentbridge.patents.models import IndustryChain

    IndustryChain.objects.all().delete()
    IndustryChain.objects.create(code="GLC", name="绿色低碳", position=1)
    IndustryChain.objects.create(code="SWYY", name="生物医药", position=2)


def _grade(patent: Any, final: str, graded: dt.datetime, high_value: bool = False) -> None:
    from patentbridge.grading.models import PatentGrade

    PatentGrade.objects.create(
        patent=patent,
        grade=final,
        final=final,
        score=50,
        coverage=1,
        policy_version="test",
        high_value=high_value,
        graded_at=graded,
    )


def _chain(patent: Any, code: str) -> None:
    from patentbridge.patents.models import PatentClass

    PatentClass.objects.create(
        patent=patent, scheme="chain", code=code, name=code, method="rule", reason="测试"
    )


def _patents(o: dict[str, Any], u: dict[str, Any]) -> dict[str, Any]:
    from patentbridge.core.models import AuditEvent

    p = {
        "p1": make_patent(owner=o["uni_a"], inventors=["张三", "王五"]),
        "p2": make_patent(owner=o["uni_a"], submitted_by=u["inventor_a"], inventors=["赵六"]),
        "p3": make_patent(owner=o["uni_a"], status="pending_college"),
        "p4": make_patent(owner=o["uni_b"]),
        "p5": make_patent(owner=None),
    }
    _set(p["p1"], created_at=at(2024, 1, 10))
    _set(p["p2"], created_at=at(2024, 3, 1))
    _set(p["p3"], created_at=at(2024, 2, 1))
    _set(p["p4"], created_at=at(2024, 2, 1))
    _set(p["p5"], created_at=at(2024, 1, 5))
    event = AuditEvent.objects.create(
        action="patents.patent.approved", target_type="patents.patent", target_id=str(p["p2"].pk)
    )
    AuditEvent.objects.filter(pk=event.pk).update(timestamp=at(2024, 6, 15))
    _grade(p["p1"], "A", at(2024, 2, 1), high_value=True)
    _grade(p["p2"], "B", at(2024, 6, 20))
    _grade(p["p4"], "C", at(2024, 9, 1))
    _grade(p["p5"], "D", at(2024, 2, 1))
    _chain(p["p1"], "GLC")
    _chain(p["p2"], "GLC")
    _chain(p["p4"], "SWYY")
    return p


def _contract(no: str, licensor: Any, licensee: Any, patents: list[Any], by: Any, **fields: Any) -> Any:
    from patentbridge.licensing.models import LicenceContract

    values: dict[str, Any] = {
        "kind": "ordinary",
        "origin": "negotiated",
        "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2027, 12, 31),
        "state": "active_paid",
    }
    values.update(fields)
    created = values.pop("created", at(2024, 1, 30))
    c = LicenceContract.objects.create(
        contract_no=no, licensor_org=licensor, licensee_org=licensee, created_by=by, **values
    )
    c.patents.set(patents)
    return _set(c, created_at=created)


def _licensing(o: dict[str, Any], u: dict[str, Any], p: dict[str, Any]) -> dict[str, Any]:
    from patentbridge.licensing.models import ContractStep, LicenceApplication, LicenceFiling, LicenceOffer

    op = u["operator"]
    offer = LicenceOffer.objects.create(
        publisher_org=o["uni_a"],
        title="甲大学定向许可",
        created_by=op,
        state="published",
        published_at=at(2024, 1, 15),
        target_regions=["371522"],
    )
    offer.patents.set([p["p1"], p["p2"]])
    LicenceOffer.objects.create(
        publisher_org=o["uni_b"],
        title="乙学院定向许可",
        created_by=op,
        state="published",
        published_at=at(2024, 8, 1),
        target_regions=["3702"],
    )
    LicenceOffer.objects.create(publisher_org=o["uni_b"], title="草稿", created_by=op)
    app = LicenceApplication.objects.create(
        offer=offer, applicant_org=o["ent_x"], requested_mode="trial_then_paid", created_by=op
    )
    app.patents.set([p["p1"]])
    _set(app, created_at=at(2024, 1, 25))
    c = {
        "c1": _contract(
            "T-1",
            o["uni_a"],
            o["ent_x"],
            [p["p1"]],
            op,
            origin="directed_trial",
            application=app,
            start_date=dt.date(2024, 2, 1),
            trial_months=3,
            trial_end=dt.date(2024, 4, 30),
            signed_at=dt.date(2024, 2, 1),
            fee_schedule=fee_royalty(),
            created=at(2024, 1, 28),
        ),
        "c2": _contract(
            "T-2",
            o["uni_a"],
            o["ent_y"],
            [p["p2"]],
            op,
            kind="exclusive",
            signed_at=dt.date(2024, 8, 1),
            fee_schedule=fee_royalty(entry_fee=None),
        ),
        "c3": _contract(
            "T-3",
            o["uni_b"],
            o["ent_x"],
            [p["p4"]],
            op,
            origin="directed_trial",
            state="trial_ended",
            start_date=dt.date(2024, 3, 1),
            trial_months=3,
            trial_end=dt.date(2024, 5, 31),
            signed_at=dt.date(2024, 3, 1),
            fee_schedule=fee_royalty(),
        ),
        "c4": _contract("T-4", o["uni_a"], o["ent_x"], [p["p2"]], op, state="draft"),
        "c5": _contract(
            "T-5",
            o["uni_b"],
            o["ent_y"],
            [p["p4"]],
            op,
            origin="open_licence",
            signed_at=dt.date(2024, 3, 1),
            fee_schedule=fee_free(),
        ),
    }
    ContractStep.objects.create(
        contract=c["c1"],
        event="convert",
        from_state="conversion_due",
        to_state="active_paid",
        on_date=dt.date(2024, 5, 2),
    )
    LicenceFiling.objects.create(
        contract=c["c1"],
        kind="initial",
        due_date=dt.date(2024, 5, 1),
        state="filed",
        filed_at=dt.date(2024, 4, 1),
        record_no="BA-1",
    )
    LicenceFiling.objects.create(contract=c["c3"], kind="initial", due_date=dt.date(2024, 6, 1))
    return c


def _money(u: dict[str, Any], c: dict[str, Any]) -> None:
    from patentbridge.licensing.models import IncomeDistribution, IncomeLine, Payment, Receivable

    op = u["operator"]
    c1 = c["c1"]

    def recv(component: str, label: str, due: str | None, day: dt.date | None, **kw: Any) -> Any:
        return Receivable.objects.create(
            contract=c1,
            component=component,
            period_label=label,
            amount_due=Decimal(due) if due is not None else None,
            due_date=day,
            **kw,
        )

    r1 = recv("entry_fee", "入门费", "10000", dt.date(2024, 3, 1), state="paid")
    r2 = recv("royalty", "2024Q1", "5000", dt.date(2024, 6, 1), state="partial")
    recv("milestone", "里程碑", "3000", dt.date(2024, 5, 1), state="waived")
    recv("royalty", "2024Q2", None, dt.date(2024, 9, 1))
    pay1 = Payment.objects.create(
        receivable=r1, amount=Decimal("10000"), paid_on=dt.date(2024, 3, 5), recorded_by=op
    )
    pay2 = Payment.objects.create(
        receivable=r2, amount=Decimal("2000"), paid_on=dt.date(2024, 6, 10), recorded_by=op
    )
    Payment.objects.create(
        receivable=r2, amount=Decimal("1000"), paid_on=dt.date(2024, 7, 10), recorded_by=op
    )

    def dist(payment: Any, approved: dt.datetime, lines: list[tuple[str, str, Any]]) -> None:
        d = IncomeDistribution.objects.create(
            payment=payment,
            gross=payment.amount,
            net=payment.amount,
            inventor_share=Decimal("0.5"),
            inventor_pool=payment.amount / 2,
            tto_amount=0,
            unit_amount=payment.amount / 2,
            computed_by=op,
            state="approved",
            approved_at=approved,
        )
        for person, amount, user in lines:
            IncomeLine.objects.create(
                distribution=d, person=person, share=Decimal("0.5"), amount=Decimal(amount), user=user
            )

    dist(pay1, at(2024, 3, 10), [("张三", "1500", u["inventor_a"]), ("李四", "1500", None)])
    dist(pay2, at(2024, 7, 1), [("张三", "600", u["inventor_a"])])


def _open_and_lists(o: dict[str, Any], u: dict[str, Any], p: dict[str, Any], c: dict[str, Any]) -> None:
    from patentbridge.grading.models import PublicListEntry
    from patentbridge.licensing.models import OpenLicenceAcceptance, OpenLicenceDeclaration

    op = u["operator"]
    d1 = OpenLicenceDeclaration.objects.create(
        patent=p["p4"],
        declarant_org=o["uni_b"],
        term_kind="until_patent_expiry",
        created_by=op,
        state="withdrawn",
        published_at=dt.date(2024, 2, 1),
        withdrawal_published_at=dt.date(2024, 5, 1),
        fee_schedule=fee_free(),
    )
    OpenLicenceDeclaration.objects.create(
        patent=p["p2"],
        declarant_org=o["uni_a"],
        term_kind="until_patent_expiry",
        created_by=op,
        state="published",
        published_at=dt.date(2024, 7, 15),
        fee_schedule=fee_royalty(),
    )
    OpenLicenceAcceptance.objects.create(
        declaration=d1,
        licensee_org=o["ent_y"],
        notified_at=dt.date(2024, 2, 20),
        contract=c["c5"],
        state="licensed",
        created_by=op,
    )
    common = {"jurisdiction": "37", "jurisdiction_label": "山东省", "policy_version": "t", "reason": "测试"}
    PublicListEntry.objects.create(
        patent=p["p1"], since=dt.date(2024, 1, 1), left_on=dt.date(2024, 5, 1), **common
    )
    PublicListEntry.objects.create(
        patent=p["p2"], since=dt.date(2024, 2, 1), route="open_licence", route_at=at(2024, 3, 1), **common
    )
    PublicListEntry.objects.create(patent=p["p4"], since=dt.date(2024, 8, 1), **common)


def _matching(o: dict[str, Any], u: dict[str, Any], p: dict[str, Any]) -> None:
    from patentbridge.demands.models import TechNeed
    from patentbridge.matching.models import MatchItem, Push

    n1 = _set(
        TechNeed.objects.create(org=o["ent_x"], title="余热回收", description="需求"),
        created_at=at(2024, 1, 20),
    )
    _set(
        TechNeed.objects.create(org=o["ent_y"], title="新材料", description="需求"), created_at=at(2024, 7, 1)
    )
    push = _set(Push.objects.create(need=n1, item_count=2), created_at=at(2024, 2, 1))
    MatchItem.objects.create(
        need=n1, patent=p["p1"], state="pushed", push=push, feedback="interested", feedback_at=at(2024, 2, 10)
    )
    MatchItem.objects.create(
        need=n1,
        patent=p["p2"],
        state="pushed",
        push=push,
        feedback="not_relevant",
        feedback_at=at(2024, 8, 1),
    )


def _menus(o: dict[str, Any], u: dict[str, Any], p: dict[str, Any], c: dict[str, Any]) -> None:
    from patentbridge.licensing.models import LicenceApplication
    from patentbridge.menus.models import MenuDelivery, MenuItem, MenuPush, PatentMenu

    op = u["operator"]
    menu = PatentMenu.objects.create(
        publisher_org=o["uni_a"], title="莘县菜单", target_region="371522", created_by=op, state="published"
    )
    i1 = MenuItem.objects.create(menu=menu, patent=p["p1"])
    i2 = MenuItem.objects.create(menu=menu, patent=p["p2"])
    push = MenuPush.objects.create(menu=menu, sent_by=op, sent_on=dt.date(2024, 1, 20))
    app = LicenceApplication.objects.get(applicant_org=o["ent_x"])
    MenuDelivery.objects.create(
        push=push,
        menu=menu,
        item=i1,
        enterprise=o["ent_x"],
        delivered_on=dt.date(2024, 1, 20),
        delivered_at=at(2024, 1, 20, 9),
        viewed_on=dt.date(2024, 1, 21),
        response="interested",
        responded_on=dt.date(2024, 1, 22),
        application=app,
    )
    MenuDelivery.objects.create(
        push=push,
        menu=menu,
        item=i2,
        enterprise=o["ent_y"],
        delivered_on=dt.date(2024, 3, 1),
        delivered_at=at(2024, 3, 1, 9),
    )


def build_world() -> World:
    """Everything above, through the ORM (the statistics read records; no service is under test)."""
    orgs = _orgs()
    users = _users(orgs)
    _chains()
    patents = _patents(orgs, users)
    contracts = _licensing(orgs, users, patents)
    _money(users, contracts)
    _open_and_lists(orgs, users, patents, contracts)
    _matching(orgs, users, patents)
    _menus(orgs, users, patents, contracts)
    return World(orgs, users, patents, contracts)

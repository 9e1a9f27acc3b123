"""The pool pages by role: the agency sets up a pool through the form, a member's TTO applies
through the form, the agency admits from the review queue, grants the outbound licence and
computes a distribution from the page; who sees which pools and buttons; 403/404 outside one's
scope; hostile posts answered in Chinese (never a 500)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.models import MemberApplication, Pool, PoolDistribution, PoolLicence
from web.matrix import anonymous, client_for
from web.pools.factories import Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def page(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode() if status == 200 else ""


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_agency_sets_up_a_pool_through_the_form(cast: Cast) -> None:
    client = client_for(cast.agency_user)
    assert "设立专利池" in page(client, "/pools/")
    response = client.post(
        "/pools/new/",
        {
            "name": "玉米播种装备专利池",
            "technical_field": "精量播种",
            "ipc_prefixes": "A01C，A01B",
            "keywords": "播种、农机",
            "min_grade": "C",
            "mgmt_fee_rate": "8%",
            "sharing_rule": "grade_weight",
            "tariff_amount": "200000",
            "tariff_years": "3",
        },
    )
    pool = Pool.objects.get(name="玉米播种装备专利池")
    assert response.status_code == 302 and response["Location"] == f"/pools/{pool.pk}/"
    assert pool.agency_org == cast.agency and pool.state == "forming"
    assert pool.ipc_prefixes == ["A01C", "A01B"] and pool.keywords == ["播种", "农机"]
    assert pool.mgmt_fee_rate == Decimal("0.0800")
    html = page(client, f"/pools/{pool.pk}/")
    assert "一次性" in html or "200,000.00" in html
    assert "开始运营" in html
    client.post(f"/pools/{pool.pk}/act/open/")
    pool.refresh_from_db()
    assert pool.state == "operating"


def test_a_university_cannot_set_up_a_pool(cast: Cast) -> None:
    client = client_for(cast.tto_a)
    assert "设立专利池" not in page(client, "/pools/")
    response = client.post(
        "/pools/new/",
        {"name": "x", "mgmt_fee_rate": "0", "sharing_rule": "patent_count", "tariff_years": "3"},
    )
    assert response.status_code == 403
    assert Pool.objects.count() == 0


def test_form_errors_are_chinese(cast: Cast) -> None:
    client = client_for(cast.agency_user)
    response = client.post(
        "/pools/new/",
        {"name": "x", "mgmt_fee_rate": "abc", "sharing_rule": "patent_count", "tariff_years": "3"},
    )
    assert response.status_code == 200
    assert "管理费比例须为数字" in response.content.decode()


def test_apply_admit_licence_distribute_through_the_pages(cast: Cast) -> None:
    pool = make_pool(cast)
    patent = farm_patent(cast.uni_a)
    farm_patent(cast.uni_b)  # another university's patent is never offered to A
    tto = client_for(cast.tto_a)
    html = page(tto, f"/pools/{pool.pk}/apply/")
    assert patent.application_number in html
    response = tto.post(f"/pools/{pool.pk}/apply/", {"patent": patent.pk, "category": "core"})
    assert response.status_code == 302
    app = MemberApplication.objects.get(pool=pool)
    assert app.submitted_on == dt.date(2026, 6, 1) and app.category == "core"
    agency = client_for(cast.agency_user)
    html = page(agency, f"/pools/{pool.pk}/")
    assert f"admit-{app.pk}" in html and "符合" in html
    agency.post(
        f"/pools/{pool.pk}/act/admit/",
        {"application": app.pk, "method": "expert_panel", "opinion": "专家组同意"},
    )
    app.refresh_from_db()
    assert app.state == "admitted" and app.review_method == "expert_panel"
    response = agency.post(
        f"/pools/{pool.pk}/act/licence/",
        {"licensee": cast.enterprise.pk, "start": "2026-06-01"},
        follow=True,
    )
    assert "池外统一许可合同已签订" in messages_of(response)
    licence = PoolLicence.objects.get(pool=pool)
    assert licence.contract.state == "active_paid"
    record_payment(
        cast.agency_user,
        Receivable.objects.get(contract=licence.contract),
        amount="300000",
        paid_on=dt.date(2026, 6, 1),
    )
    agency.post(f"/pools/{pool.pk}/act/distribute/", {"start": "2026-01-01", "end": "2026-06-01"})
    dist = PoolDistribution.objects.get(pool=pool)
    assert dist.gross == Decimal("300000.00") and dist.mgmt_fee == Decimal("30000.00")
    assert [(line.org_id, line.amount) for line in dist.lines.all()] == [
        (cast.uni_a.pk, Decimal("270000.00"))
    ]
    statement = page(agency, f"/pools/distributions/{dist.pk}/")
    assert "¥270,000.00" in statement and cast.uni_a.name in statement
    # The member reads the statement; the enterprise and an outsider university do not.
    assert "¥270,000.00" in page(tto, f"/pools/distributions/{dist.pk}/")
    page(client_for(cast.enterprise_user), f"/pools/distributions/{dist.pk}/", 404)
    # The patent page shows its pool membership.
    assert pool.name in page(tto, f"/patents/{patent.application_number}/")


def test_refused_admission_is_a_chinese_message(cast: Cast) -> None:
    pool = make_pool(cast, min_grade="A")
    patent = farm_patent(cast.uni_a, "C")
    client_for(cast.tto_a).post(f"/pools/{pool.pk}/apply/", {"patent": patent.pk, "category": "general"})
    app = MemberApplication.objects.get(pool=pool)
    agency = client_for(cast.agency_user)
    response = agency.post(
        f"/pools/{pool.pk}/act/admit/", {"application": app.pk, "method": "internal"}, follow=True
    )
    assert response.status_code == 200
    assert any("不能入池" in m and "低于本池要求" in m for m in messages_of(response))
    response = agency.post(
        f"/pools/{pool.pk}/act/reject/", {"application": app.pk, "opinion": ""}, follow=True
    )
    assert any("请填写不予入池的理由" in m for m in messages_of(response))


def test_visibility_by_role(cast: Cast) -> None:
    forming = make_pool(cast, open_on=None)
    operating = make_pool(cast)
    assert operating.name in page(client_for(cast.enterprise_user), "/pools/")
    assert forming.name not in page(client_for(cast.enterprise_user), "/pools/")
    page(client_for(cast.enterprise_user), f"/pools/{forming.pk}/", 404)
    assert forming.name in page(client_for(cast.agency_user), "/pools/")
    assert operating.name in page(client_for(cast.officer_city), "/pools/")
    assert operating.name not in page(client_for(cast.officer_other), "/pools/")
    page(client_for(cast.officer_other), f"/pools/{operating.pk}/", 404)
    page(client_for(cast.inventor), "/pools/", 403)
    page(client_for(cast.viewer), "/pools/", 403)
    assert anonymous().get("/pools/").status_code == 302
    html = page(client_for(cast.enterprise_user), f"/pools/{operating.pk}/")
    assert "池外统一许可费" in html and "licence-form" not in html and "distribute-form" not in html


def test_outsiders_cannot_act(cast: Cast) -> None:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    app = MemberApplication.objects.get(pool=pool)
    for user in (cast.tto_b, cast.enterprise_user, cast.officer_city):
        client = client_for(user)
        for action, data in (
            ("open", {}),
            ("admit", {"application": app.pk}),
            ("licence", {"licensee": cast.enterprise.pk}),
            ("distribute", {}),
            ("refresh", {}),
            ("withdraw_patent", {"entry": pp.pk}),
        ):
            response = client.post(f"/pools/{pool.pk}/act/{action}/", data)
            assert response.status_code in (302, 403, 404), (user.username, action, response.status_code)
    pp.refresh_from_db()
    assert pp.status == "admitted"
    assert PoolLicence.objects.count() == 0


def test_hostile_posts_never_500(cast: Cast) -> None:
    pool = make_pool(cast)
    agency = client_for(cast.agency_user)
    assert agency.post(f"/pools/{pool.pk}/act/nonsense/").status_code == 404
    assert agency.post(f"/pools/{pool.pk}/act/admit/", {"application": "9" * 40}).status_code == 404
    assert agency.post(f"/pools/{pool.pk}/act/admit/", {"application": "abc"}).status_code == 404
    response = agency.post(f"/pools/{pool.pk}/act/licence/", {"licensee": "x"}, follow=True)
    assert any("请选择被许可企业" in m for m in messages_of(response))
    response = agency.post(f"/pools/{pool.pk}/act/distribute/", {"start": "2026-13-01"}, follow=True)
    assert any("日期格式" in m for m in messages_of(response))
    assert agency.get("/pools/99999999999999999999999/").status_code == 404


def test_contract_page_says_it_is_a_pool_licence(cast: Cast) -> None:
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    from patentbridge.pools.services import licences

    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=dt.date(2026, 6, 1), on=dt.date(2026, 6, 1)
    )
    url = f"/licensing/contracts/{licence.contract_id}/"
    html = page(client_for(cast.enterprise_user), url)
    assert "池外统一许可" in html and pool.name in html and f"/pools/{pool.pk}/" in html
    assert "contract-pool" in page(client_for(cast.agency_user), url)


def test_statement_exports_as_xlsx_with_the_same_visibility(cast: Cast) -> None:
    import io

    from openpyxl import load_workbook

    from patentbridge.pools.services import distributions, licences

    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=dt.date(2026, 2, 1), on=dt.date(2026, 2, 1)
    )
    record_payment(
        cast.agency_user,
        Receivable.objects.get(contract=licence.contract),
        amount="1000",
        paid_on=dt.date(2026, 2, 3),
    )
    dist = distributions.compute_distribution(
        cast.agency_user, pool, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), on=dt.date(2026, 4, 1)
    )
    url = f"/pools/distributions/{dist.pk}/statement.xlsx"
    response = client_for(cast.tto_a).get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["分配单", "成员分配明细", "在池专利", "收款"]
    rows = list(book["成员分配明细"].iter_rows(values_only=True))
    assert rows[1][0] == cast.uni_a.name and str(rows[1][4]) in ("900", "900.00")
    assert client_for(cast.enterprise_user).get(url).status_code == 404
    assert client_for(cast.outsider_tto).get(url).status_code == 404


def test_an_enterprise_sees_no_distribution_section_the_agency_does(cast: Cast) -> None:
    """Enterprises never read statements; an empty table would tell them nothing was shared."""
    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    enterprise_html = page(client_for(cast.enterprise_user), f"/pools/{pool.pk}/")
    assert "入池专利目录" in enterprise_html
    assert 'data-testid="distributions"' not in enterprise_html and "尚无收益分配单" not in enterprise_html
    agency_html = page(client_for(cast.agency_user), f"/pools/{pool.pk}/")
    assert 'data-testid="distributions"' in agency_html

"""Refusal branches of the pool services that the flow tests do not reach (each refusal changes
nothing and says why in Chinese), and the distribution statement's XLSX, cell by cell."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import Receivable
from patentbridge.licensing.services.money_payments import record_payment
from patentbridge.pools.exports import statement_xlsx
from patentbridge.pools.models import MemberApplication, Pool, PoolPatent
from patentbridge.pools.services import applications, distributions, licences, pools
from web.pools.factories import FOUNDED, Cast, farm_patent, make_pool, pool_patent

pytestmark = pytest.mark.django_db
D = dt.date


def _submit(cast: Cast, pool: Pool, patent: Any, **kw: Any) -> MemberApplication:
    return applications.submit_application(cast.tto_a, pool, patent, on=FOUNDED, **kw)


@pytest.mark.parametrize("state", ["suspended", "dissolved"])
def test_no_applications_to_a_suspended_or_dissolved_pool(cast: Cast, state: str) -> None:
    pool = make_pool(cast)
    Pool.objects.filter(pk=pool.pk).update(state=state)
    with pytest.raises(ValidationError, match="不接受入池申请"):
        _submit(cast, pool, farm_patent(cast.uni_a))
    assert not MemberApplication.objects.exists()


def test_application_refusals(cast: Cast) -> None:
    pool = make_pool(cast)
    with pytest.raises(ValidationError, match="请选择专利类别"):
        _submit(cast, pool, farm_patent(cast.uni_a), category="secret")
    with pytest.raises(PermissionDenied, match="本机构"):
        _submit(cast, pool, farm_patent(cast.uni_b))  # another university's patent
    with pytest.raises(ValidationError, match="另行登记"):
        applications.submit_application(cast.agency_user, pool, farm_patent(cast.agency), on=FOUNDED)
    with pytest.raises(ValidationError, match="说明"):
        _submit(cast, pool, farm_patent(cast.uni_a), note="长" * 501)
    assert not MemberApplication.objects.exists()


def test_review_refusals_and_no_second_review(cast: Cast) -> None:
    pool = make_pool(cast)
    app = _submit(cast, pool, farm_patent(cast.uni_a))
    with pytest.raises(ValidationError, match="请选择审查方式"):
        applications.admit(cast.agency_user, app, on=FOUNDED, method="coin_toss")
    with pytest.raises(ValidationError, match="不予入池的理由"):
        applications.reject(cast.agency_user, app, on=FOUNDED, opinion=" ")
    with pytest.raises(PermissionDenied):
        applications.admit(cast.tto_a, app, on=FOUNDED)  # the applicant does not admit itself
    with pytest.raises(PermissionDenied):
        applications.reject(cast.tto_b, app, on=FOUNDED, opinion="不要")
    app.refresh_from_db()
    assert app.state == "submitted" and not PoolPatent.objects.exists()
    applications.reject(cast.agency_user, app, on=FOUNDED, opinion="技术领域不符")
    with pytest.raises(ValidationError, match="不能再审核"):
        applications.admit(cast.agency_user, app, on=FOUNDED)
    assert AuditEvent.objects.filter(action="pools.application.rejected").count() == 1


def test_blocked_application_cannot_be_admitted_even_by_the_agency(cast: Cast) -> None:
    """A patent outside the pool's IPC classes and keywords fails the admission check."""
    pool = make_pool(cast)
    app = _submit(
        cast, pool, farm_patent(cast.uni_a, title="一种锂电池隔膜", ipc_main="H01M2/16", ipc=["H01M2/16"])
    )
    assert app.auto_check["blocks"]
    with pytest.raises(ValidationError, match="不能入池"):
        applications.admit(cast.agency_user, app, on=FOUNDED)
    assert not PoolPatent.objects.exists()


def test_withdrawing_another_organisations_application_is_refused(cast: Cast) -> None:
    pool = make_pool(cast)
    app = _submit(cast, pool, farm_patent(cast.uni_a))
    with pytest.raises(PermissionDenied, match="本机构"):
        applications.withdraw_application(cast.tto_b, app, on=FOUNDED)
    applications.withdraw_application(cast.tto_a, app, on=FOUNDED)
    app.refresh_from_db()
    assert app.state == "withdrawn"
    with pytest.raises(ValidationError):
        applications.withdraw_application(cast.tto_a, app, on=FOUNDED)


def test_withdrawing_another_members_patent_is_refused(cast: Cast) -> None:
    pool = make_pool(cast)
    pp = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    with pytest.raises(PermissionDenied):
        applications.withdraw_patent(cast.tto_b, pp, on=D(2026, 3, 1))
    pp.refresh_from_db()
    assert pp.status == "admitted"


def test_charter_refusals_not_reached_elsewhere(cast: Cast) -> None:
    pool = make_pool(cast)
    for values, word in (
        ({"tariff_years": "abc"}, "1 至 20 年"),
        ({"tariff_years": 21}, "1 至 20 年"),
        ({"essential_required": "yes"}, "true 或 false"),
        ({"tariff": {"components": [{"type": "nonsense"}]}}, None),
    ):
        with pytest.raises(ValidationError, match=word):
            pools.set_charter(cast.agency_user, pool, **values)
    pool.refresh_from_db()
    assert pool.tariff_years == 3 and pool.essential_required is False
    Pool.objects.filter(pk=pool.pk).update(state="dissolved")
    with pytest.raises(ValidationError, match="已解散"):
        pools.set_charter(cast.agency_user, Pool.objects.get(pk=pool.pk), min_grade="A")
    with pytest.raises(ValidationError, match="不能开始运营"):
        pools.open_pool(cast.agency_user, Pool.objects.get(pk=pool.pk), on=FOUNDED)


def test_agreed_shares_need_members(cast: Cast) -> None:
    pool = make_pool(cast, sharing_rule="agreed")
    with pytest.raises(ValidationError, match="尚无成员"):
        pools.set_agreed_shares(cast.agency_user, pool, {cast.uni_a.pk: "1"})
    with pytest.raises(PermissionDenied):
        pools.set_agreed_shares(cast.tto_a, pool, {cast.uni_a.pk: "1"})


def test_another_agency_cannot_run_the_pool(cast: Cast) -> None:
    from web.factories import make_member, make_org

    pool = make_pool(cast)
    pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    stranger = make_member(make_org("别家运营机构", "agency", region_code="370900"), "tto")
    with pytest.raises(PermissionDenied):
        licences.grant_outbound(stranger, pool, cast.enterprise, start=D(2026, 2, 1), on=D(2026, 2, 1))
    with pytest.raises(PermissionDenied):
        distributions.compute_distribution(
            stranger, pool, start=D(2026, 1, 1), end=D(2026, 3, 31), on=D(2026, 4, 1)
        )
    with pytest.raises(PermissionDenied):
        pools.set_charter(stranger, pool, min_grade="A")


def test_statement_xlsx_cells(cast: Cast) -> None:
    """Two members (A: 1 patent from 01-05, B: 1 patent from 02-01), ¥100,000 received on 03-03,
    fee 10 %: over 01-01…03-31 A has 86 days and B 59, so ¥90,000 splits 86 : 59."""
    pool = make_pool(cast)
    a = pool_patent(cast, pool, farm_patent(cast.uni_a), tto=cast.tto_a)
    b = pool_patent(cast, pool, farm_patent(cast.uni_b), tto=cast.tto_b, on=D(2026, 2, 1))
    licence = licences.grant_outbound(
        cast.agency_user, pool, cast.enterprise, start=D(2026, 3, 1), on=D(2026, 3, 1)
    )
    receivable = Receivable.objects.get(contract=licence.contract)
    record_payment(cast.agency_user, receivable, amount="100000.00", paid_on=D(2026, 3, 3))
    dist = distributions.compute_distribution(
        cast.agency_user, pool, start=D(2026, 1, 1), end=D(2026, 3, 31), on=D(2026, 4, 1)
    )
    book = load_workbook(io.BytesIO(statement_xlsx(dist)))
    facts = {row[0]: row[1] for row in book["分配单"].iter_rows(min_row=2, values_only=True)}
    assert facts["专利池"] == pool.name and facts["运营管理机构"] == cast.agency.name
    assert facts["分配期间"] == "2026-01-01 至 2026-03-31"
    assert Decimal(str(facts["本期池外许可收入（元）"])) == Decimal("100000")
    assert facts["管理费比例"] == "10%"
    assert Decimal(str(facts["管理费（元）"])) == Decimal("10000")
    assert Decimal(str(facts["可分配收入（元）"])) == Decimal("90000")
    assert facts["分配规则"] == "按入池专利数量" and facts["演示数据"] == "否"
    lines = {row[0]: row[1:] for row in book["成员分配明细"].iter_rows(min_row=2, values_only=True)}
    # 90,000 × 86 / 145 = 53,379.31…, 90,000 × 59 / 145 = 36,620.68… (+1 fen to the larger remainder)
    assert lines[cast.uni_a.name][0] == 1 and Decimal(str(lines[cast.uni_a.name][1])) == 86
    assert Decimal(str(lines[cast.uni_a.name][3])) == Decimal("53379.31")
    assert Decimal(str(lines[cast.uni_b.name][3])) == Decimal("36620.69")
    assert Decimal(str(lines[cast.uni_a.name][2])) + Decimal(str(lines[cast.uni_b.name][2])) == Decimal(
        "100.00"
    )
    holdings = sorted(book["在池专利"].iter_rows(min_row=2, values_only=True), key=lambda r: r[3])
    assert holdings == [
        (cast.uni_b.name, b.patent.application_number, "B", 59),
        (cast.uni_a.name, a.patent.application_number, "B", 86),
    ]
    payments = list(book["收款"].iter_rows(min_row=2, values_only=True))
    assert payments == [(licence.contract.contract_no, "2026-03-03", "100000.00")]
    # No cell is a formula (an exported statement must not compute anything when opened).
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith("=") for v in row)

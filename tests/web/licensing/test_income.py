"""Income distribution per receipt (rule L12, guide §13 vectors): floors by region and state-run
status, deductions, co-owner shares, inventor splits and accounts, two-person approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.models import IncomeDistribution, IncomeLine
from patentbridge.licensing.services import income
from patentbridge.licensing.services.money_payments import record_payment
from web.factories import make_member, make_org
from web.licensing.factories import fee_lump_sum, make_contract, make_coowned_patent, make_granted_patent

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 2, 1)


def paid(parties, patents, amount="1000000.00", **kwargs):
    """A lump-sum licence paid in full on its signing day; returns the payment."""
    contract = make_contract(parties, patents, fee_schedule=fee_lump_sum(amount), stage="signed", **kwargs)
    receivable = contract.receivables.get()
    return record_payment(
        kwargs.get("actor") or parties.tto, receivable, amount=amount, paid_on=contract.signed_at
    )


def compute(actor, payment, *, own=None, tto="0.1", deductions=None, inventors=None):
    return income.compute_distribution(
        actor,
        payment,
        deductions=deductions or {},
        own_rule_share=None if own is None else Decimal(own),
        tto_share=Decimal(tto),
        inventors=inventors or [("张三", Decimal("0.5")), ("李四", Decimal("0.5"))],
        on=ON,
    )


def refused(call) -> LicensingRefused:
    with pytest.raises(LicensingRefused) as caught:
        call()
    return caught.value


def test_shandong_public_university_pays_inventors_at_least_70_percent(parties, patent):
    """§13: 山东 public university, net ¥1,000,000 → inventors ≥ ¥700,000 (山东条例 Art. 34)."""
    payment = paid(parties, [patent])
    dist = compute(parties.tto, payment)
    assert dist.net == Decimal("1000000.00")
    assert dist.inventor_share == Decimal("0.7000") and dist.inventor_pool >= Decimal("700000.00")
    assert dist.inventor_pool + dist.tto_amount + dist.unit_amount == dist.net
    assert dist.tto_amount == Decimal("100000.00")
    assert sorted((ln.person, ln.amount) for ln in dist.lines.all()) == [
        ("张三", Decimal("350000.00")),
        ("李四", Decimal("350000.00")),
    ]
    assert "INVENTOR_SHARE_MIN_LICENCE@37@2017-12-01" in dist.policy["versions"]
    assert "NET_INCOME_DEDUCTIONS@CN@2015-10-01" in dist.policy["versions"]
    assert dist.state == "computed" and dist.computed_by == parties.tto
    assert AuditEvent.objects.filter(action="licensing.income.computed", target_id=str(dist.pk)).exists()


def test_public_university_outside_shandong_with_a_40_percent_rule_is_refused(parties):
    """§13: a state-run university in 陕西 whose own rule says 40 % → refused, Art. 45 ¶2."""
    xian = make_org("西部某大学", "university", state_run=True, region_code="610100", province="陕西")
    tto = make_member(xian, "tto")
    patent = make_granted_patent(xian)
    payment = paid(parties, [patent], licensor_org=xian, actor=tto)
    problem = refused(lambda: compute(tto, payment, own="0.4"))
    assert problem.code == "L12"
    assert "40%" in problem.reason and "50%" in problem.reason and "第四十五条第二款" in problem.reason
    assert not IncomeDistribution.objects.filter(payment=payment).exists()
    ok = compute(tto, payment)  # without an own rule the national floor applies: 50 %, not 70 %
    assert ok.inventor_share == Decimal("0.5000")
    assert not any("@37@" in v for v in ok.policy["versions"])


def test_a_unit_not_state_run_uses_its_own_rule_and_the_national_floor_only(parties):
    """A private Shandong university: no provincial floor; its own 40 % rule applies (Art. 45 ¶1)."""
    private = make_org("山东某民办大学", "university", state_run=False, region_code="370100")
    tto = make_member(private, "tto")
    payment = paid(parties, [make_granted_patent(private)], licensor_org=private, actor=tto)
    assert compute(tto, payment, own="0.4").inventor_share == Decimal("0.4000")
    basis = income.income_basis(payment)
    assert [f.share for f in basis.floors] == [Decimal("0.5")]


def test_deductions_reduce_net_income_only_for_allowed_kinds(parties, patent):
    """Taxes and transaction costs are deducted; an unknown kind and a deduction above the receipt
    are refused with Chinese reasons."""
    payment = paid(parties, [patent])
    dist = compute(
        parties.tto,
        payment,
        deductions={"taxes": Decimal("60000.00"), "transaction": Decimal("40000.00")},
    )
    assert dist.net == Decimal("900000.00") and dist.inventor_pool == Decimal("630000.00")
    assert dist.deductions == {"taxes": "60000.00", "transaction": "40000.00"}
    bad = refused(lambda: compute(parties.tto, payment, deductions={"bonus": Decimal("1.00")}))
    assert bad.code == "INCOME_INVALID" and "不在本单位允许扣除的范围内" in bad.reason
    too_much = refused(lambda: compute(parties.tto, payment, deductions={"taxes": Decimal("1000000.01")}))
    assert "超过本单位收入" in too_much.reason


def test_coowners_share_the_receipt_first(parties):
    """A co-owned patent licensed with fee shares 60/40: only the university's ¥600,000 is distributed."""
    patent = make_coowned_patent(parties.university, "某某研究院有限公司")
    licensors = [
        {"name": parties.university.name, "share": "0.6"},
        {"name": "某某研究院有限公司", "share": "0.4"},
    ]
    payment = paid(parties, [patent], licensors=licensors, coowner_consent=True)
    dist = compute(parties.tto, payment)
    assert dist.gross == Decimal("600000.00") and dist.inventor_pool == Decimal("420000.00")
    assert dist.policy["coowners"] == [
        [parties.university.name, "600000.00"],
        ["某某研究院有限公司", "400000.00"],
    ]


def test_coowners_without_shares_split_equally(parties):
    patent = make_coowned_patent(parties.university, ["研究院甲", "研究院乙"])
    licensors = [{"name": parties.university.name}, {"name": "研究院甲"}, {"name": "研究院乙"}]
    payment = paid(parties, [patent], amount="100000.00", licensors=licensors, coowner_consent=True)
    basis = income.income_basis(payment)
    assert sorted(a for _, a in basis.coowners) == [
        Decimal("33333.33"),
        Decimal("33333.33"),
        Decimal("33333.34"),
    ]
    assert sum(a for _, a in basis.coowners) == Decimal("100000.00")


@pytest.mark.parametrize(
    ("inventors", "words"),
    [
        ([("张三", Decimal("0.5")), ("李四", Decimal("0.4"))], "必须等于 100%"),
        ([("张三", Decimal("0.5")), ("张三", Decimal("0.5"))], "发明人重复"),
        ([("张三", Decimal("1.0")), ("李四", Decimal("0"))], "必须大于 0"),
        ([("", Decimal("1"))], "姓名不能为空"),
        ([("张三", Decimal("0.33333")), ("李四", Decimal("0.66667"))], "两位小数"),
    ],
)
def test_inventor_splits_must_be_named_positive_and_sum_to_100(parties, patent, inventors, words):
    payment = paid(parties, [patent])
    problem = refused(lambda: compute(parties.tto, payment, inventors=inventors))
    assert words in problem.reason
    assert not IncomeDistribution.objects.exists()


def test_default_splits_are_equal_among_the_patents_inventors(parties):
    """Three inventors over two patents (one shared): 33.34 % + 33.33 % + 33.33 %, summing to 100 %."""
    a = make_granted_patent(parties.university, inventors=["王五", "赵六"])
    b = make_granted_patent(parties.university, inventors=["赵六", "钱七"])
    contract = make_contract(parties, [a, b], fee_schedule=fee_lump_sum(), stage="draft")
    splits = income.default_inventor_splits(contract)
    assert sorted(n for n, _ in splits) == ["王五", "赵六", "钱七"]
    assert sum(s for _, s in splits) == Decimal(1)
    assert sorted(s for _, s in splits) == [Decimal("0.3333"), Decimal("0.3333"), Decimal("0.3334")]


def test_six_inventors_split_within_one_hundredth_of_a_percent(parties):
    """1/6 is 16.666…%: four get 16.67 % and two 16.66 % (not 16.70 % and 16.66 % ×5)."""
    names = ["甲一", "乙二", "丙三", "丁四", "戊五", "己六"]
    patent = make_granted_patent(parties.university, inventors=names)
    contract = make_contract(parties, [patent], fee_schedule=fee_lump_sum(), stage="draft")
    splits = income.default_inventor_splits(contract)
    assert [n for n, _ in splits] == names
    assert [s for _, s in splits] == [Decimal("0.1667")] * 4 + [Decimal("0.1666")] * 2
    assert sum(s for _, s in splits) == Decimal(1)


def test_lines_link_to_the_inventor_account_of_the_same_name(parties, patent):
    """张三 has an inventor account at the university (username), 李四 one by full name; an
    enterprise user called 张三 elsewhere is never linked."""
    zhang = make_member(parties.university, "inventor", username="张三")
    li = make_member(parties.university, "inventor")
    get_user_model().objects.filter(pk=li.pk).update(last_name="李", first_name="四")
    make_member(parties.enterprise, "enterprise", username="张三丰")
    payment = paid(parties, [patent])
    dist = compute(parties.tto, payment)
    users = {ln.person: ln.user_id for ln in dist.lines.all()}
    assert users == {"张三": zhang.pk, "李四": li.pk}


def test_two_people_compute_and_approve(parties, patent):
    """The computing TTO cannot approve; an operator can; afterwards no recompute or second approval."""
    payment = paid(parties, [patent])
    dist = compute(parties.tto, payment)
    same = refused(lambda: income.approve_distribution(parties.tto, dist, on=ON))
    assert same.code == "INCOME_SAME_USER"
    with pytest.raises(PermissionDenied):
        income.approve_distribution(parties.other_tto, dist, on=ON)
    approved = income.approve_distribution(parties.operator, dist, on=ON)
    assert (approved.state, approved.approved_by) == ("approved", parties.operator)
    assert approved.approved_at is not None
    assert refused(lambda: income.approve_distribution(parties.admin, dist, on=ON)).code == "INCOME_APPROVED"
    assert refused(lambda: compute(parties.tto, payment)).code == "INCOME_APPROVED"
    assert AuditEvent.objects.filter(action="licensing.income.approved", target_id=str(dist.pk)).count() == 1


def test_recomputing_before_approval_replaces_the_lines(parties, patent):
    payment = paid(parties, [patent])
    compute(parties.tto, payment)
    dist = compute(parties.operator, payment, inventors=[("张三", Decimal("0.8")), ("李四", Decimal("0.2"))])
    assert IncomeDistribution.objects.filter(payment=payment).count() == 1
    assert sorted((ln.person, ln.amount) for ln in IncomeLine.objects.filter(distribution=dist)) == [
        ("张三", Decimal("560000.00")),
        ("李四", Decimal("140000.00")),
    ]
    assert dist.computed_by == parties.operator
    assert AuditEvent.objects.filter(action="licensing.income.recomputed", target_id=str(dist.pk)).exists()


def test_only_the_licensors_tto_and_operators_compute(parties, patent):
    payment = paid(parties, [patent])
    for user in (parties.other_tto, parties.enterprise_user, parties.inventor):
        with pytest.raises(PermissionDenied):
            compute(user, payment)


def test_a_licensor_that_is_not_a_university_is_refused(parties):
    """Income distribution is for 职务科技成果 of universities and institutes."""
    company = make_org("某专利运营有限公司", "enterprise", region_code="370100")
    payment = paid(parties, [make_granted_patent(company)], licensor_org=company, actor=parties.operator)
    problem = refused(lambda: compute(parties.operator, payment))
    assert problem.code == "INCOME_NOT_UNIVERSITY"


def test_inventors_see_only_their_own_lines(parties, patent, client):
    """own_income_lines and the my-income page show the logged-in inventor's lines only."""
    zhang = make_member(parties.university, "inventor", username="张三")
    li = make_member(parties.university, "inventor", username="李四")
    payment = paid(parties, [patent])
    dist = compute(parties.tto, payment, inventors=[("张三", Decimal("0.75")), ("李四", Decimal("0.25"))])
    income.approve_distribution(parties.operator, dist, on=ON)
    assert [ln.person for ln in income.own_income_lines(zhang)] == ["张三"]
    with pytest.raises(PermissionDenied):
        income.own_income_lines(parties.tto)
    client.force_login(li)
    page = client.get("/licensing/money/my-income/").content.decode()
    assert "¥175,000.00" in page and "¥525,000.00" not in page and "张三" not in page
    client.force_login(parties.tto)
    assert client.get("/licensing/money/my-income/").status_code == 403


def test_my_income_page_is_honest_when_empty(parties, client):
    client.force_login(parties.inventor)
    page = client.get("/licensing/money/my-income/").content.decode()
    assert 'data-testid="no-income"' in page and "¥0.00" in page


def test_an_own_rule_above_the_floor_is_kept(parties, patent):
    """A Shandong public university whose rule gives inventors 80 % pays 80 %, not the 70 % floor."""
    payment = paid(parties, [patent])
    dist = compute(parties.tto, payment, own="0.8", tto="0.05")
    assert dist.inventor_share == Decimal("0.8000") and dist.inventor_pool == Decimal("800000.00")
    assert dist.tto_amount == Decimal("50000.00") and dist.unit_amount == Decimal("150000.00")
    assert dist.policy["split"]["own_rule_share"] == "0.8"


def test_tto_and_inventor_shares_above_100_percent_are_refused(parties, patent):
    payment = paid(parties, [patent])
    problem = refused(lambda: compute(parties.tto, payment, tto="0.4"))
    assert problem.code == "L12" and "合计超过 100%" in problem.reason


def test_a_share_outside_0_to_1_is_refused(parties, patent):
    payment = paid(parties, [patent])
    problem = refused(lambda: compute(parties.tto, payment, tto="1.5"))
    assert problem.code == "INCOME_INVALID" and "0 到 1" in problem.reason


def test_a_jinan_university_gets_the_shandong_floor(parties):
    """Region 370102 (济南市历下区) is inside 37: the provincial row applies to a state-run unit."""
    jinan = make_org("济南某公办学院", "university", state_run=True, region_code="370102")
    tto = make_member(jinan, "tto")
    payment = paid(parties, [make_granted_patent(jinan)], licensor_org=jinan, actor=tto)
    basis = income.income_basis(payment)
    assert max(f.share for f in basis.floors) == Decimal("0.7")
    assert basis.versions[-1] == "INVENTOR_SHARE_MIN_LICENCE@37@2017-12-01"


def test_coowner_shares_given_for_some_split_the_rest_equally(parties):
    """The university takes 50 %; the two other co-owners without a share split the other half."""
    patent = make_coowned_patent(parties.university, ["研究院甲", "研究院乙"])
    licensors = [
        {"name": parties.university.name, "share": "0.5"},
        {"name": "研究院甲"},
        {"name": "研究院乙"},
    ]
    payment = paid(parties, [patent], amount="100000.00", licensors=licensors, coowner_consent=True)
    parts = dict(income.income_basis(payment).coowners)
    assert parts == {
        parties.university.name: Decimal("50000.00"),
        "研究院甲": Decimal("25000.00"),
        "研究院乙": Decimal("25000.00"),
    }


def test_coowner_shares_that_leave_nothing_for_the_rest_are_refused(parties):
    patent = make_coowned_patent(parties.university, ["研究院甲", "研究院乙"])
    licensors = [{"name": parties.university.name, "share": "1"}, {"name": "研究院甲"}, {"name": "研究院乙"}]
    payment = paid(parties, [patent], amount="100000.00", licensors=licensors, coowner_consent=True)
    problem = refused(lambda: income.income_basis(payment))
    assert problem.code == "L4" and "共有人许可费分成有误" in problem.reason


def test_a_licensor_list_without_the_university_is_refused(parties):
    """Shares recorded only for other patentees: the university's part cannot be found."""
    patent = make_coowned_patent(parties.university, ["研究院甲"])
    licensors = [{"name": "研究院甲", "share": "0.5"}, {"name": "研究院乙", "share": "0.5"}]
    payment = paid(parties, [patent], amount="100000.00", licensors=licensors, coowner_consent=True)
    problem = refused(lambda: income.income_basis(payment))
    assert problem.code == "L4" and parties.university.name in problem.reason


def test_rounding_cents_go_to_the_largest_share_and_the_pool_rounds_up(parties, patent):
    """¥100.01 net at 70 %: the pool is rounded up to ¥70.01 (a floor is a minimum); three inventors'
    amounts sum exactly to the pool."""
    payment = paid(parties, [patent], amount="100.01")
    dist = compute(
        parties.tto,
        payment,
        tto="0",
        inventors=[("甲", Decimal("0.3334")), ("乙", Decimal("0.3333")), ("丙", Decimal("0.3333"))],
    )
    assert dist.inventor_pool == Decimal("70.01")
    amounts = {ln.person: ln.amount for ln in dist.lines.all()}
    assert sum(amounts.values()) == dist.inventor_pool and amounts["甲"] >= amounts["乙"]

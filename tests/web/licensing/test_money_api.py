"""REST API of the money module: POST /api/licences/{id}/usage-reports (licensee enterprise only,
422 with a Chinese reason) and GET /api/licences/{id}/receivables (whoever sees the contract)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client

from patentbridge.licensing.models import UsageReport
from web.factories import make_token
from web.licensing.factories import MONEY_PAID_START, make_money_contract

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2027, 1, 5, 9, 0, tzinfo=dt.UTC)


def api(user) -> tuple[Client, dict[str, str]]:
    _, key = make_token(user)
    return Client(), {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(user, contract_id, body):
    client, headers = api(user)
    with time_machine.travel(NOW, tick=False):
        return client.post(
            f"/api/licences/{contract_id}/usage-reports",
            data=json.dumps(body),
            content_type="application/json",
            **headers,
        )


def get(user, contract_id):
    client, headers = api(user)
    with time_machine.travel(NOW, tick=False):
        return client.get(f"/api/licences/{contract_id}/receivables", **headers)


@pytest.fixture
def contract(parties, patent):
    return make_money_contract(parties, [patent])


def test_the_licensee_reports_and_gets_the_computed_receivable(parties, contract):
    """§13 through the API: ¥60,000 due with the three statement lines."""
    response = post(
        parties.enterprise_user, contract.pk, {"period_start": "2026-01-01", "net_sales": "200000.00"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["report"]["period_label"] == "2026年度" and body["report"]["net_sales"] == "200000.00"
    receivable = body["receivable"]
    assert receivable["amount_due"] == "60000.00" and receivable["outstanding"] == "60000.00"
    assert receivable["state"] == "open" and receivable["state_label"] == "待收"
    assert receivable["label"] == "提成（2026年度）（含入门费）"
    assert receivable["computation"] == [
        ["入门费", "50000.00"],
        ["提成 (净销售额 ¥200,000.00 × 3%)", "6000.00"],
        ["年最低提成补足", "4000.00"],
    ]


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ({"period_start": "2026-01-01", "sales": "1"}, "USAGE_BASE_MISSING", "净销售额"),
        ({"period_start": "2026-01-01", "net_sales": -5}, "USAGE_INVALID", "不能为负数"),
        ({"period_start": "2026-01-01", "net_sales": 2.5}, "USAGE_INVALID", "浮点数"),
        ({"period_start": "2026-01-01", "net_sales": "1e99"}, "USAGE_INVALID", "格式不正确"),
        ({"period_start": "2026-01-01", "net_sales": {"$gt": 1}}, "USAGE_INVALID", "数字字符串"),
        ({"period_start": "2030-01-01", "net_sales": "1"}, "USAGE_PERIOD", "不在本合同"),
        ({"period_start": "not-a-date", "net_sales": "1"}, "USAGE_PERIOD", "YYYY-MM-DD"),
        ({"net_sales": "1"}, "USAGE_PERIOD", "period_start"),
        ({"period_start": "2027-01-01", "net_sales": "1"}, "USAGE_ORDER", "请先提交2026年度"),
        ({"period_start": "2026-01-01", "net_sales": "1", "note": "长" * 3000}, "USAGE_INVALID", "说明"),
    ],
)
def test_invalid_reports_answer_422_with_the_chinese_reason(parties, contract, body, code, words):
    response = post(parties.enterprise_user, contract.pk, body)
    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["code"] == code and words in payload["detail"]
    assert not UsageReport.objects.filter(contract=contract).exists()


def test_a_duplicate_report_is_422(parties, contract):
    body = {"period_start": "2026-01-01", "net_sales": "1.00"}
    assert post(parties.enterprise_user, contract.pk, body).status_code == 200
    again = post(parties.enterprise_user, contract.pk, body)
    assert again.status_code == 422 and again.json()["code"] == "USAGE_DUPLICATE"


def test_only_the_licensee_enterprise_may_report(parties, contract):
    """The licensor's TTO and operators see the contract but may not report (403); another
    enterprise does not even see it (404); anonymous callers are 401."""
    body = {"period_start": "2026-01-01", "net_sales": "1.00"}
    assert post(parties.tto, contract.pk, body).status_code == 403
    assert post(parties.operator, contract.pk, body).status_code == 403
    assert post(parties.other_enterprise_user, contract.pk, body).status_code == 404
    anonymous = Client().post(
        f"/api/licences/{contract.pk}/usage-reports", data=json.dumps(body), content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert not UsageReport.objects.filter(contract=contract).exists()


def test_receivables_are_listed_for_the_parties_only(parties, contract):
    post(parties.enterprise_user, contract.pk, {"period_start": "2026-01-01", "net_sales": "200000.00"})
    for user in (parties.tto, parties.enterprise_user, parties.operator):
        response = get(user, contract.pk)
        assert response.status_code == 200
        rows = response.json()
        assert [r["period_start"] for r in rows] == [MONEY_PAID_START.isoformat(), "2027-01-01"]
        assert [r["amount_due"] for r in rows] == ["60000.00", None]
        assert rows[1]["outstanding"] is None and rows[1]["component_label"] == "提成"
    assert get(parties.other_tto, contract.pk).status_code == 404
    assert get(parties.other_enterprise_user, contract.pk).status_code == 404
    assert get(parties.inventor, contract.pk).status_code == 403


@pytest.mark.parametrize("bad", ["abc", "0", "-3", "99999999999999999999999999"])
def test_bad_ids_are_404(parties, bad):
    assert get(parties.operator, bad).status_code == 404
    assert post(parties.enterprise_user, bad, {"period_start": "2026-01-01"}).status_code == 404

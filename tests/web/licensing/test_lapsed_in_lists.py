"""A patent that left a multi-patent licence's scope, as the lists show it: the licences REST API
(list and detail) and the enterprise's 我的试用与许可 page (licences table and trials).

Invariants protected:
- the API says per patent whether it is still in scope and, for the one that left, the day and the
  Chinese reason the scope row keeps; the other patent stays in scope with no day or reason;
- the OpenAPI schema documents those fields;
- the list page marks exactly the patent that left 已失效 with its day (the contract page's
  wording), and not the other;
- a scope row ending after today is not marked yet (the day it leaves is the day it counts);
- another organisation still cannot see the contract, through the API or the page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from patentbridge.licensing.models import ContractPatent
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.sweep import run_sweep
from web.conftest import PASSWORD
from web.factories import make_token
from web.licensing.factories import make_contract, make_granted_patent

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 15)
LAPSE = dt.date(2026, 5, 1)
# The day the lists are read: after the sweep took the lapse.
READ_AT = dt.datetime(2026, 5, 11, 10, 0, tzinfo=dt.UTC)


def _lapse_and_sweep(parties: Any, patent: Any, capture: Any) -> None:
    """An annual-fee lapse of ``patent`` from LAPSE, taken by the daily sweep on 2026-05-10."""
    with capture(execute=True):
        record_right_event(
            parties.operator,
            patent,
            kind="lapse",
            start=LAPSE,
            source="manual",
            source_ref=f"lapse-{patent.pk}",
        )
    with capture(execute=True):
        run_sweep(dt.date(2026, 5, 10), recompute=False)


def _api(user: Any, url: str) -> Any:
    with time_machine.travel(READ_AT, tick=False):
        _, key = make_token(user)
        return Client().get(url, headers={"Authorization": f"Bearer {key}"})


def _page(user: Any, url: str = "/licensing/mine/") -> Any:
    client = Client()
    with time_machine.travel(READ_AT, tick=False):
        assert client.login(username=user.username, password=PASSWORD)
        return client.get(url)


def _entries(html: str) -> dict[str, str]:
    """Each scope entry of the page (application number → its whole ``<span>``, nested spans
    included)."""
    out: dict[str, str] = {}
    for m in re.finditer(r'<span data-testid="scope-patent-([^"]+)"', html):
        depth, pos = 0, m.start()
        for tag in re.finditer(r"<span\b|</span>", html[m.start() :]):
            depth += 1 if tag.group() != "</span>" else -1
            if depth == 0:
                pos = m.start() + tag.end()
                break
        out[m.group(1)] = html[m.start() : pos]
    return out


def _marked(html: str) -> set[str]:
    """Application numbers of the patents the page marks 已失效 (a scope entry holding the tag)."""
    return {
        n for n, body in _entries(html).items() if 'data-testid="patent-ended"' in body and "已失效" in body
    }


@pytest.fixture
def two(parties: Any) -> list[Any]:
    """Two granted patents of the university, by application number."""
    return sorted(
        (make_granted_patent(parties.university) for _ in range(2)), key=lambda p: p.application_number
    )


@pytest.fixture
def paid(parties: Any, two: list[Any], django_capture_on_commit_callbacks: Any) -> Any:
    """A signed paid licence of the two patents whose first patent lapsed on LAPSE (swept)."""
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        contract = make_contract(parties, two, start=START, stage="signed")
    _lapse_and_sweep(parties, two[0], cap)
    contract.refresh_from_db()
    assert contract.state == "active_paid"
    assert ContractPatent.objects.get(licencecontract=contract, patent=two[0]).ended_on == LAPSE
    assert ContractPatent.objects.get(licencecontract=contract, patent=two[1]).ended_on is None
    return contract


def test_the_api_list_and_detail_say_which_patent_left(paid: Any, parties: Any, two: list[Any]) -> None:
    gone, kept = two
    listed = _api(parties.enterprise_user, "/api/licences")
    assert listed.status_code == 200
    rows = [r for r in listed.json()["results"] if r["id"] == paid.pk]
    assert len(rows) == 1
    detail = _api(parties.enterprise_user, f"/api/licences/{paid.pk}")
    assert detail.status_code == 200
    for patents in (rows[0]["patents"], detail.json()["patents"]):
        by_number = {p["application_number"]: p for p in patents}
        assert set(by_number) == {gone.application_number, kept.application_number}
        assert by_number[gone.application_number]["in_scope"] is False
        assert by_number[gone.application_number]["left_on"] == "2026-05-01"
        assert by_number[gone.application_number]["left_reason"] == "专利权因未缴年费终止"
        assert by_number[kept.application_number] == {
            "application_number": kept.application_number,
            "title": kept.title,
            "in_scope": True,
            "left_on": None,
            "left_reason": "",
        }
    # The licensor's TTO reads the same.
    tto_rows = _api(parties.tto, f"/api/licences/{paid.pk}").json()["patents"]
    assert [p["in_scope"] for p in tto_rows] == [False, True]


def test_a_scope_row_ending_later_is_still_in_scope_today(
    parties: Any, two: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """A row dated after today (recorded ahead) is still licensed today: not marked yet."""
    with django_capture_on_commit_callbacks(execute=True):
        contract = make_contract(parties, two, start=START, stage="signed")
    ContractPatent.objects.filter(licencecontract=contract, patent=two[0]).update(
        ended_on=dt.date(2026, 6, 1), end_reason="专利权期限届满"
    )
    patents = _api(parties.enterprise_user, f"/api/licences/{contract.pk}").json()["patents"]
    assert [(p["in_scope"], p["left_on"], p["left_reason"]) for p in patents] == [
        (True, None, ""),
        (True, None, ""),
    ]
    html = _page(parties.enterprise_user).content.decode()
    assert _marked(html) == set() and "已失效" not in html


def test_the_openapi_schema_documents_the_scope_fields(parties: Any) -> None:
    client = Client()
    assert client.login(username=parties.enterprise_user.username, password=PASSWORD)
    schema = client.get("/api/openapi.json").json()
    out = schema["components"]["schemas"]["LicensedPatentOut"]
    assert {"application_number", "title", "in_scope", "left_on", "left_reason"} <= set(out["properties"])
    licence = schema["components"]["schemas"]["LicenceOut"]["properties"]["patents"]
    assert licence["items"]["$ref"].endswith("/LicensedPatentOut")
    json.dumps(schema)  # serialisable as served


def test_the_licences_list_page_marks_only_the_patent_that_left(
    paid: Any, parties: Any, two: list[Any]
) -> None:
    gone, kept = two
    response = _page(parties.enterprise_user)
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('data-testid="my-licences"', 1)[1].split('data-testid="my-filings"', 1)[0]
    assert paid.contract_no in table
    entries = _entries(table)
    assert set(entries) == {gone.application_number, kept.application_number}
    assert (
        kept.title[:20] in entries[kept.application_number]
        and "退出许可范围" not in entries[kept.application_number]
    )
    assert _marked(table) == {gone.application_number}
    assert table.count('data-testid="patent-ended"') == 1
    assert "2026-05-01 起退出许可范围：专利权因未缴年费终止" in table


def test_a_trial_card_marks_the_patent_that_left(
    parties: Any, two: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    cap = django_capture_on_commit_callbacks
    with cap(execute=True):
        trial = make_contract(parties, two, start=START, trial_months=6, stage="signed")
    _lapse_and_sweep(parties, two[0], cap)
    trial.refresh_from_db()
    assert trial.state == "active_trial"
    html = _page(parties.enterprise_user).content.decode()
    card = html.split('data-testid="my-trials"', 1)[1].split('data-testid="my-applications"', 1)[0]
    assert trial.contract_no in card
    assert f"{two[0].title}（已失效）" in card and f"{two[1].title}（已失效）" not in card
    assert _marked(card) == {two[0].application_number}
    assert "2026-05-01 起退出许可范围" in card


def test_another_organisation_still_cannot_see_the_contract(paid: Any, parties: Any, two: list[Any]) -> None:
    for user in (parties.other_enterprise_user, parties.other_tto):
        assert _api(user, f"/api/licences/{paid.pk}").status_code == 404
        listed = _api(user, "/api/licences")
        assert listed.status_code == 200
        assert paid.pk not in {r["id"] for r in listed.json()["results"]}
    html = _page(parties.other_enterprise_user).content.decode()
    assert paid.contract_no not in html
    assert two[0].application_number not in html and two[1].application_number not in html
    assert _page(parties.other_enterprise_user, f"/licensing/contracts/{paid.pk}/").status_code in (403, 404)

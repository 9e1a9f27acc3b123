"""Documents of a multi-patent licence after one patent left its scope (services.scope, filing,
statements, the contract page).

Invariants protected:
- from the day a patent left, the CNIPA filing prefill (data and XLSX), the royalty statement and
  the contract page list only the patents still in scope, and name the patent that left with its
  day and reason; a document dated before that day still lists it as licensed;
- a co-patentee (共有专利权人) who owned only the patent that left is no longer named as a
  licensor (filing prefill, contract page) but named apart; one who still owns a patent in scope
  stays; the licensor organisation always stays;
- the licence ledger workbook marks the patent that left with its day.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from patentbridge.licensing.services import filing, statements
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.licensing.services.scope import contract_scope
from patentbridge.licensing.services.sweep import run_sweep
from web.conftest import PASSWORD
from web.licensing.factories import make_contract, make_coowned_patent, make_granted_patent

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 15)
LAPSE = dt.date(2026, 5, 1)
AFTER = dt.date(2026, 5, 10)
BEFORE = dt.date(2026, 4, 30)
CO = "某某研究院有限公司"


def _lapse_and_sweep(parties: Any, patent: Any, capture: Any) -> None:
    """An annual-fee lapse of ``patent`` from ``LAPSE``, taken by the sweep on ``AFTER``."""
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
        actions = run_sweep(AFTER, recompute=False).actions
    assert [a["action"] for a in actions if a["action"].startswith("contract_")] == ["contract_patent_left"]


def _sheet(content: bytes, title: str) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content))
    return [[c.value for c in row] for row in book[title].iter_rows()]


@pytest.fixture
def deal(parties: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """A signed lump-sum licence of three patents: ``shared`` (the university with CO, who owns
    nothing else in the contract) and two of the university alone; ``shared`` lapses on LAPSE."""
    shared = make_coowned_patent(parties.university, CO, title="一种高温热泵机组")
    own = [make_granted_patent(parties.university, title=f"一种换热器{i}") for i in range(2)]
    licensors = [{"name": parties.university.name, "share": "0.6"}, {"name": CO, "share": "0.4"}]
    with django_capture_on_commit_callbacks(execute=True):
        c = make_contract(parties, [shared, *own], stage="signed", licensors=licensors, start=START)
    _lapse_and_sweep(parties, shared, django_capture_on_commit_callbacks)
    return {"contract": c, "shared": shared, "own": own}


def test_filing_prefill_lists_only_the_patents_in_scope(deal: dict[str, Any]) -> None:
    c, shared, own = deal["contract"], deal["shared"], deal["own"]
    form = filing.filing_form(c, as_of=AFTER)
    assert [p["application_number"] for p in form["patents"]] == sorted(p.application_number for p in own)
    [left] = form["left_patents"]
    assert (left["patent_no"], left["ended_on"]) == (f"ZL{shared.application_number}", "2026-05-01")
    assert "未缴年费" in left["reason"]
    # CO owned only the patent that left: no longer a co-patentee of the filing, but named apart.
    assert form["co_licensors"] == []
    assert form["left_co_licensors"] == [CO]
    # Without a day every recorded end counts (the same here).
    assert filing.filing_form(c)["patents"] == form["patents"]


def test_filing_prefill_dated_before_the_lapse_still_lists_it(deal: dict[str, Any]) -> None:
    form = filing.filing_form(deal["contract"], as_of=BEFORE)
    assert len(form["patents"]) == 3 and form["left_patents"] == []
    assert form["co_licensors"] == [{"name": CO, "share": "0.4"}]
    assert form["left_co_licensors"] == []


def test_a_co_owner_of_a_patent_still_in_scope_stays(
    parties: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lapsing = make_coowned_patent(parties.university, CO)
    staying = make_coowned_patent(parties.university, CO)
    licensors = [{"name": parties.university.name, "share": "0.5"}, {"name": CO, "share": "0.5"}]
    with django_capture_on_commit_callbacks(execute=True):
        c = make_contract(parties, [lapsing, staying], stage="signed", licensors=licensors, start=START)
    _lapse_and_sweep(parties, lapsing, django_capture_on_commit_callbacks)
    scope = contract_scope(c, as_of=AFTER)
    assert [p.pk for p in scope.patents] == [staying.pk]
    assert [x["name"] for x in scope.licensors] == [parties.university.name, CO]
    assert scope.left_licensors == []


def test_the_licensor_organisation_is_never_dropped(
    parties: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The university owns the lapsed patent alone and the remaining one only through CO's name:
    the university still signs and stays; CO stays as owner of the patent in scope."""
    lapsing = make_granted_patent(parties.university)
    staying = make_granted_patent(parties.university, patentees=[CO])
    licensors = [{"name": parties.university.name, "share": "0.5"}, {"name": CO, "share": "0.5"}]
    with django_capture_on_commit_callbacks(execute=True):
        c = make_contract(parties, [lapsing, staying], stage="signed", licensors=licensors, start=START)
    _lapse_and_sweep(parties, lapsing, django_capture_on_commit_callbacks)
    scope = contract_scope(c, as_of=AFTER)
    assert [x.patent.pk for x in scope.left] == [lapsing.pk]
    assert [x["name"] for x in scope.licensors] == [parties.university.name, CO]
    assert scope.left_licensors == []


def test_filing_xlsx_after_the_lapse(parties: Any, deal: dict[str, Any]) -> None:
    c, shared, own = deal["contract"], deal["shared"], deal["own"]
    client = Client()
    assert client.login(username=parties.tto.username, password=PASSWORD)
    with time_machine.travel(dt.datetime(2026, 5, 11, 10, 0, tzinfo=dt.UTC), tick=False):
        response = client.get(reverse("licensing:filing_form_xlsx", args=[c.pk]))
    assert response.status_code == 200
    listed = [row[0] for row in _sheet(response.content, "专利清单")[1:]]
    assert listed == sorted(f"ZL{p.application_number}" for p in own)
    info = {}
    for label, value in _sheet(response.content, "备案信息")[1:]:
        info.setdefault(label, []).append(value)
    assert info["专利件数"] == [2]
    assert "共有专利权人" not in info
    assert info["不再列为共有专利权人"] == [f"{CO}（其专利均已退出许可范围）"]
    [left] = info["已退出许可范围的专利"]
    assert left.startswith(f"ZL{shared.application_number} 一种高温热泵机组：2026-05-01 起退出")
    assert "未缴年费" in left


def test_royalty_statement_after_the_lapse_names_what_left(parties: Any, deal: dict[str, Any]) -> None:
    c, shared, own = deal["contract"], deal["shared"], deal["own"]
    receivable = c.receivables.order_by("pk").first()
    assert receivable is not None
    after = dict(statements.royalty_statement(parties.enterprise_user, receivable, as_of=AFTER).fields)
    assert shared.application_number not in after["许可专利"]
    assert all(p.application_number in after["许可专利"] for p in own)
    assert after["已退出许可范围的专利"].startswith(
        f"ZL{shared.application_number} 一种高温热泵机组：2026-05-01"
    )
    before = dict(statements.royalty_statement(parties.enterprise_user, receivable, as_of=BEFORE).fields)
    assert shared.application_number in before["许可专利"]
    assert "已退出许可范围的专利" not in before


def test_ledger_workbook_marks_the_patent_that_left(parties: Any, deal: dict[str, Any]) -> None:
    c, shared = deal["contract"], deal["shared"]
    rows = _sheet(statements.ledger_xlsx(parties.operator), "许可合同台账")
    values = dict(zip(statements.LEDGER_HEADER, next(r for r in rows if r[0] == c.contract_no), strict=True))
    numbers = str(values["专利号"]).split("；")
    assert len(numbers) == 3
    assert f"{shared.application_number}（2026-05-01 起退出许可范围）" in numbers
    assert sum("退出" in n for n in numbers) == 1


def test_contract_page_drops_the_co_owner_of_the_lapsed_patent(parties: Any, deal: dict[str, Any]) -> None:
    client = Client()
    assert client.login(username=parties.enterprise_user.username, password=PASSWORD)
    with time_machine.travel(dt.datetime(2026, 5, 11, 10, 0, tzinfo=dt.UTC), tick=False):
        html = client.get(reverse("licensing:contract", args=[deal["contract"].pk])).content.decode()
    assert 'data-testid="co-licensor"' not in html
    assert f"原共有专利权人：{CO}（其专利均已退出许可范围" in html
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        earlier = client.get(reverse("licensing:contract", args=[deal["contract"].pk])).content.decode()
    assert f"共有专利权人：{CO}（分成 0.4）" in earlier and "原共有专利权人" not in earlier

"""One patent's 权利负担台账 page (/licensing/ledger/patents/<number>/).

Invariants protected:
- only the owner organisation's TTO and platform roles see a patent's ledger; another TTO gets
  404 (no hint the patent exists), roles without ledger work get 403, anonymous users log in;
- the events table shows every event with Chinese labels, dates, counterparty, record number and
  source; "on date D" lists exactly the burdens in force that day, or says there are none;
- a manual entry is recorded through the ledger service (audited, counts follow); entering the
  same fact again updates it; bad input is a Chinese form error (400) and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from patentbridge.core.models import AuditEvent
from patentbridge.licensing.models import RightEvent
from patentbridge.licensing.services.ledger import record_right_event
from web.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _url(patent: Any, suffix: str = "") -> str:
    return f"/licensing/ledger/patents/{patent.application_number}/{suffix}"


def _event(patent: Any, **fields: Any) -> RightEvent:
    values: dict[str, Any] = {
        "kind": "licence",
        "start": dt.date(2025, 1, 1),
        "source": "import",
        "source_ref": f"X{RightEvent.objects.count() + 1}-2025-01-01",
    }
    values.update(fields)
    return record_right_event(None, patent, **values)


def _form(**fields: Any) -> dict[str, str]:
    data = {
        "kind": "licence",
        "sub_kind": "exclusive",
        "start": "2025-02-01",
        "end": "2027-01-31",
        "counterparty": "泰安某机械有限公司",
        "record_no": "X2025370000077",
        "note": "合同原件已核对",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("tto", 200),
        ("operator", 200),
        ("admin", 200),
        ("other_tto", 404),
        ("enterprise_user", 403),
        ("inventor", 403),
    ],
)
def test_ledger_page_permissions(parties, patent, who, status):
    """Owner TTO and platform roles read it; another university's TTO cannot learn it exists."""
    response = _client(getattr(parties, who)).get(_url(patent))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(parties, patent):
    response = Client().get(_url(patent))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_or_hostile_number_is_404(parties):
    """A number nobody has (or a huge one) is simply not found."""
    client = _client(parties.operator)
    assert client.get("/licensing/ledger/patents/202399999999.9/").status_code == 404
    assert client.get("/licensing/ledger/patents/" + "9" * 3000 + "/").status_code == 404


def test_events_table_shows_labels_dates_counterparty_record_and_source(parties, patent):
    """Every event appears with its Chinese kind and sub-kind, dates, counterparty, number and source."""
    licence = _event(
        patent,
        sub_kind="sole",
        counterparty="甲公司",
        record_no="X2025370000001",
        source_ref="X2025370000001-2025-01-01",
    )
    pledge = _event(
        patent,
        kind="pledge",
        start=dt.date(2024, 5, 6),
        end=dt.date(2026, 5, 5),
        sub_kind="registered",
        counterparty="某银行济南分行",
        record_no="Y2024370000009",
        source="manual",
        source_ref="manual:pledge",
    )
    html = _client(parties.tto).get(_url(patent)).content.decode()
    for row, texts in (
        (licence, ("实施许可", "排他许可", "2025-01-01", "甲公司", "X2025370000001", "导入", "未记载")),
        (
            pledge,
            ("质押", "质押登记", "2024-05-06", "2026-05-05", "某银行济南分行", "Y2024370000009", "人工录入"),
        ),
    ):
        start = html.index(f'data-testid="event-{row.pk}"')
        cell = html[start : html.index("</tr>", start)]
        for text in texts:
            assert text in cell, text
    assert ">sole<" not in html and ">import<" not in html  # no raw codes


def test_empty_ledger_says_so(parties, patent):
    html = _client(parties.tto).get(_url(patent)).content.decode()
    assert 'data-testid="no-events"' in html and 'data-testid="no-burden"' in html


def test_burdens_follow_the_chosen_date(parties, patent):
    """An exclusive licence in 2025 burdens the patent on 2025-06-01, not on 2026-06-01."""
    _event(patent, sub_kind="exclusive", end=dt.date(2025, 12, 31), counterparty="甲公司")
    client = _client(parties.tto)
    during = client.get(_url(patent), {"on": "2025-06-01"}).content.decode()
    after = client.get(_url(patent), {"on": "2026-06-01"}).content.decode()
    assert "独占/排他许可有效" in during and "甲公司" in during.split('data-testid="ledger-events"')[0]
    assert "独占/排他许可有效" not in after and 'data-testid="no-burden"' in after


def test_pledge_without_consent_and_co_owners_are_shown(parties):
    """A pledge lacking the pledgee's consent and a co-owned patent are both named."""
    from web.licensing.factories import make_coowned_patent

    coowned = make_coowned_patent(parties.university, "某某研究院有限公司")
    _event(coowned, kind="pledge", sub_kind="registered", counterparty="某银行", source_ref="Y1-2025-01-01")
    html = _client(parties.tto).get(_url(coowned), {"on": "2025-03-01"}).content.decode()
    burdens = html.split('data-testid="ledger-events"')[0]
    assert "质押中" in burdens and "未记载质权人同意许可" in burdens
    assert "共有专利" in burdens and "某某研究院有限公司" in burdens


@time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_bad_date_falls_back_to_today_with_a_message(parties, patent):
    html = _client(parties.tto).get(_url(patent), {"on": "2025-13-45"}).content.decode()
    assert 'data-testid="date-error"' in html and "2026年3月1日" in html


def test_manual_event_is_recorded_audited_and_counted(parties, patent):
    """The TTO's entry becomes a manual ledger row, one audit event, and license_count follows."""
    response = _client(parties.tto).post(_url(patent, "events/"), _form())
    assert response.status_code == 302 and response["Location"] == _url(patent)
    row = RightEvent.objects.get(patent=patent)
    assert (row.kind, row.sub_kind, row.source, row.start_date, row.end_date) == (
        "licence",
        "exclusive",
        "manual",
        dt.date(2025, 2, 1),
        dt.date(2027, 1, 31),
    )
    assert (row.counterparty, row.record_no, row.note) == (
        "泰安某机械有限公司",
        "X2025370000077",
        "合同原件已核对",
    )
    audit = AuditEvent.objects.filter(action="licensing.right_event.recorded", target_id=str(row.pk))
    assert audit.count() == 1 and audit.get().actor == parties.tto
    patent.refresh_from_db()
    assert patent.license_count == 1


def test_same_fact_entered_again_updates_instead_of_adding(parties, patent):
    """A corrected end date for the same licence (same kind, start, record number) updates the row."""
    client = _client(parties.operator)
    client.post(_url(patent, "events/"), _form())
    client.post(_url(patent, "events/"), _form(end="2028-01-31"))
    row = RightEvent.objects.get(patent=patent)
    assert row.end_date == dt.date(2028, 1, 31)
    assert (
        AuditEvent.objects.filter(action="licensing.right_event.updated", target_id=str(row.pk)).count() == 1
    )
    patent.refresh_from_db()
    assert patent.license_count == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end": "2024-01-01"}, "结束日期早于开始日期"),
        ({"sub_kind": "registered"}, "细分类型可选"),
        ({"start": "2025-02-30"}, "日期"),
        ({"start": "1900-01-01"}, "开始日期应在"),
        ({"kind": "lottery"}, "选择"),
        ({"counterparty": "甲" * 400}, "300"),
    ],
)
def test_bad_input_is_a_chinese_form_error_and_writes_nothing(parties, patent, fields, message):
    response = _client(parties.tto).post(_url(patent, "events/"), _form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RightEvent.objects.filter(patent=patent).exists()


@pytest.mark.parametrize(("who", "status"), [("other_tto", 404), ("enterprise_user", 403), ("inventor", 403)])
def test_others_cannot_add_events(parties, patent, who, status):
    response = _client(getattr(parties, who)).post(_url(patent, "events/"), _form())
    assert response.status_code == status
    assert not RightEvent.objects.exists()


def test_get_on_the_add_url_is_refused(parties, patent):
    assert _client(parties.tto).get(_url(patent, "events/")).status_code == 405


@pytest.mark.parametrize(
    ("events", "title", "level"),
    [
        ([{"kind": "suspension", "start": dt.date(2025, 1, 1)}], "程序中止", "bad"),
        ([{"kind": "preservation", "start": dt.date(2025, 1, 1)}], "财产保全", "bad"),
        (
            [{"kind": "fee_late_period", "start": dt.date(2025, 3, 1), "end": dt.date(2025, 9, 1)}],
            "年费滞纳期",
            "bad",
        ),
        ([{"kind": "fee_due", "start": dt.date(2025, 3, 1)}], "年费应缴未缴", "warn"),
        ([{"kind": "invalidation_request", "start": dt.date(2025, 2, 1)}], "无效宣告请求审理中", "warn"),
        ([{"kind": "lapse", "start": dt.date(2025, 2, 1)}], "专利权已终止", "bad"),
        (
            [{"kind": "evaluation_report", "start": dt.date(2024, 6, 1), "sub_kind": "not_meets"}],
            "专利权评价报告",
            "bad",
        ),
        ([{"kind": "open_licence", "start": dt.date(2025, 1, 1)}], "开放许可声明有效", "ok"),
    ],
)
def test_each_burden_is_named_with_its_level(parties, patent, events, title, level):
    """Every kind of burden the engine answers appears in words with how serious it is."""
    from patentbridge.licensing.services.ledger_display import burdens_on

    for n, fields in enumerate(events):
        _event(patent, source="manual", source_ref=f"m{n}", **fields)
    _, burdens = burdens_on(patent, dt.date(2025, 6, 1))
    found = [b for b in burdens if title in b.title]
    assert len(found) == 1 and found[0].level == level, burdens


def test_fee_late_month_is_counted(parties, patent):
    """The late period's month (细则 Art. 5 corresponding days) is shown with the fee state."""
    from patentbridge.licensing.services.ledger_display import burdens_on, fee_label

    _event(
        patent, kind="fee_late_period", start=dt.date(2025, 3, 1), end=dt.date(2025, 9, 1), source="manual"
    )
    enc, burdens = burdens_on(patent, dt.date(2025, 5, 10))
    assert fee_label(enc) == "年费滞纳期（第 3 个月）"
    assert [b.details for b in burdens if b.title == "年费滞纳期"] == [("滞纳期第 3 个月",)]


def test_manual_ref_names_the_fact():
    """The same kind, start and record number (or counterparty) give the same ref; it fits the column."""
    from patentbridge.licensing.services.ledger_display import manual_ref

    day = dt.date(2025, 1, 1)
    assert manual_ref("licence", day, "X1", "甲公司") == "manual:licence:2025-01-01:X1"
    assert manual_ref("pledge", day, "", "某银行") == "manual:pledge:2025-01-01:某银行"
    assert manual_ref("lapse", day, "", "") == "manual:lapse:2025-01-01:lapse"
    assert len(manual_ref("licence", day, "", "甲" * 500)) <= 120


@pytest.fixture
def ledger_panel(monkeypatch):
    """The ledger panel registered as wiring does at start-up, removed afterwards."""
    from patentbridge.core import panels
    from patentbridge.licensing import ledger_panels

    monkeypatch.setitem(panels._registry, "patent", dict(panels._registry["patent"]))
    ledger_panels.register()


@time_machine.travel(dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_patent_page_shows_todays_burdens_and_links_the_ledger(parties, patent, ledger_panel):
    """The owner's TTO sees today's burdens on the patent page and a link to the ledger."""
    _event(patent, sub_kind="exclusive", counterparty="甲公司")
    html = _client(parties.tto).get(f"/patents/{patent.application_number}/").content.decode()
    panel = html[html.index('data-testid="ledger-panel"') :]
    panel = panel[: panel.index("</div>")]
    assert "独占/排他许可有效" in panel and "甲公司" in panel
    assert f'href="{_url(patent)}"' in panel and "1 条事件" in panel


@pytest.mark.parametrize(
    ("who", "shown"), [("operator", True), ("other_tto", False), ("enterprise_user", False)]
)
def test_patent_page_ledger_panel_only_for_ledger_keepers(parties, patent, ledger_panel, who, shown):
    from django.test import RequestFactory

    from patentbridge.licensing.ledger_panels import patent_ledger_panel

    request = RequestFactory().get("/")
    request.user = getattr(parties, who)
    context = patent_ledger_panel(request, patent)
    assert (context is not None) is shown
    if shown:
        assert context["events"] == 0 and context["burdens"] == []

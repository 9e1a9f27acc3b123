"""The read-only policy parameter page (/licensing/ledger/policy/).

Invariants protected:
- every parameter in force on the chosen date is listed with its value, source and tag, and every
  dated version (in force or not) is listed with its version id;
- the evidence tags are explained in Chinese;
- every logged-in role may read it, anonymous visitors are sent to log in;
- a bad date never breaks the page: it says so and shows today.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from patentbridge.licensing.services.ledger_display import TAG_LABELS
from patentbridge_engine.licensing import policy
from web.conftest import PASSWORD
from web.factories import make_member, make_org

pytestmark = pytest.mark.django_db

URL = "/licensing/ledger/policy/"


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _html(client: Client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


def _section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    end = html.find('<div class="card"', start)
    return html[start : end if end > 0 else len(html)]


@pytest.mark.parametrize("day", [dt.date(2024, 1, 19), dt.date(2024, 1, 20), dt.date(2026, 3, 1)])
def test_every_parameter_in_force_is_listed_with_value_source_and_tag(parties, day):
    """The table for a date has exactly the rows the engine says are in force then."""
    html = _html(_client(parties.tto), f"?on={day.isoformat()}")
    table = _section(html, "in-force")
    expected = policy.params_in_force(day)
    assert expected, "the parameter file has rows in force on the test dates"
    listed = re.findall(r'data-testid="param-([A-Z0-9_]+-[A-Z0-9]+)"', table)
    assert sorted(listed) == sorted(f"{p.key}-{p.jurisdiction}" for p in expected)
    for p in expected:
        row_start = table.index(f'data-testid="param-{p.key}-{p.jurisdiction}"')
        row = table[row_start : table.index("</tr>", row_start)]
        assert p.label in row and p.source_doc in row and p.source_article in row
        assert f">{p.tag}</span>" in row


def test_filing_months_version_changes_with_the_date(parties):
    """LICENCE_FILING_MONTHS comes from 62号令 until 2024-01-19 and from 细则 Art. 15 after."""
    before = _section(_html(_client(parties.tto), "?on=2024-01-19"), "in-force")
    after = _section(_html(_client(parties.tto), "?on=2024-01-20"), "in-force")
    assert "国家知识产权局令第62号" in before and "国务院令第769号" not in before
    assert "国务院令第769号" in after and "国家知识产权局令第62号" not in after


def test_all_versions_are_listed_with_their_version_ids(parties):
    """Old versions stay visible (a stored computation names the version it used)."""
    table = _section(_html(_client(parties.tto), "?on=2026-03-01"), "all-versions")
    for p in policy.load_params():
        assert f'data-testid="version-{policy.version_id(p)}"' in table


def test_ratios_show_as_percentages_and_lists_joined(parties):
    """0.15 reads 15%, (30, 7) reads 30、7 — not raw Decimals or Python tuples."""
    table = _section(_html(_client(parties.tto), "?on=2026-03-01"), "in-force")
    row = table[table.index('data-testid="param-OL_ANNUAL_FEE_REDUCTION-') :]
    assert "<b>15%</b>" in row[: row.index("</tr>")]
    row = table[table.index('data-testid="param-TRIAL_REMINDER_DAYS-') :]
    assert "<b>30、7</b>" in row[: row.index("</tr>")]
    assert "Decimal(" not in table and "(30, 7)" not in table


def test_tags_are_explained_in_chinese(parties):
    """V/R/S/U each carry their Chinese meaning on the page."""
    html = _html(_client(parties.tto))
    for label in TAG_LABELS.values():
        assert label in html
    assert "已核对法律原文" in html and "未核实" in html


@pytest.mark.parametrize("role", ["enterprise", "inventor", "viewer", "operator", "admin"])
def test_every_logged_in_role_may_read(role):
    """Read-only public policy: any member sees it."""
    org = make_org(kind="enterprise" if role == "enterprise" else "operation_centre")
    html = _html(_client(make_member(org, role)))
    assert 'data-testid="in-force"' in html


def test_anonymous_is_sent_to_login(db):
    """The page is for logged-in users."""
    response = Client().get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday", "9999-01-01", "x" * 5000])
def test_bad_date_says_so_and_shows_today(parties, bad):
    """A hostile date is a Chinese message and today's table, never a 500."""
    html = _html(_client(parties.tto), f"?on={bad}")
    assert 'data-testid="date-error"' in html and "无法识别" in html
    listed = re.findall(r'data-testid="param-([A-Z0-9_]+-[A-Z0-9]+)"', _section(html, "in-force"))
    expected = policy.params_in_force(dt.date(2026, 3, 1))
    assert sorted(listed) == sorted(f"{p.key}-{p.jurisdiction}" for p in expected)


def test_option_and_list_values_read_in_chinese(parties):
    """Choice parameters show their meaning (签约时约定付费条件), never the stored code (pre_agreed)."""
    table = _section(_html(_client(parties.tto), "?on=2026-03-01"), "in-force")
    coded = [p for p in policy.params_in_force(dt.date(2026, 3, 1)) if p.unit in ("选项", "项目", "开关")]
    assert coded, "the parameter file has choice parameters"
    for p in coded:
        start = table.index(f'data-testid="param-{p.key}-{p.jurisdiction}"')
        shown = re.search(r"<b>(.*?)</b>", table[start : table.index("</tr>", start)])
        assert shown is not None
        raw = p.value if isinstance(p.value, tuple) else (p.value,)
        for code in raw:
            assert str(code) not in shown.group(1), (p.key, shown.group(1))
    row = table[table.index('data-testid="param-TRIAL_CONVERSION_DEFAULT-CN"') :]
    assert "<b>签约时约定付费条件</b>" in row[: row.index("</tr>")]

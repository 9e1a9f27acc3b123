"""The daily sweep command drives the open-licence calendar: a withdrawal announced for a date takes
effect on that date (one JSON line, once), a lapsed patent ends its declaration, and licences
obtained before either stay in force."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from patentbridge.licensing.errors import LicensingRefused
from patentbridge.licensing.services import open_licence
from patentbridge.patents.models import Patent
from web.licensing.factories import make_declaration, make_granted_patent

pytestmark = pytest.mark.django_db


def _sweep(day: str) -> list[dict]:
    out = StringIO()
    call_command("sweep", "--as-of", day, "--json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def _open(actions: list[dict]) -> list[dict]:
    return [a for a in actions if a["action"].startswith("open_licence_")]


def test_the_sweep_makes_an_announced_withdrawal_effective_once(parties, patent):
    decl = make_declaration(parties.tto, patent)
    licensed = open_licence.accept_declaration(parties.enterprise_user, decl, notified_at=dt.date(2026, 3, 2))
    open_licence.request_withdrawal(parties.tto, decl, on=dt.date(2026, 4, 1), reason="拟转让")
    open_licence.record_withdrawal_published(
        parties.tto, decl, published_at=dt.date(2026, 4, 20), on=dt.date(2026, 4, 2)
    )
    assert _open(_sweep("2026-04-19")) == []
    done = _open(_sweep("2026-04-20"))
    assert done == [
        {
            "action": "open_licence_withdrawn",
            "declaration": decl.pk,
            "patent": patent.application_number,
            "version": 1,
            "withdrawal_published_at": "2026-04-20",
        }
    ]
    assert _open(_sweep("2026-04-20")) == [], "the same day again changes nothing"
    decl.refresh_from_db()
    licensed.contract.refresh_from_db()
    assert decl.state == "withdrawn" and licensed.contract.state == "active_paid"
    with pytest.raises(LicensingRefused):
        open_licence.accept_declaration(parties.other_enterprise_user, decl, notified_at=dt.date(2026, 4, 21))


def test_the_sweep_ends_declarations_of_lapsed_patents_and_says_so_in_chinese(parties):
    patent = make_granted_patent(parties.university)
    decl = make_declaration(parties.tto, patent)
    Patent.objects.filter(pk=patent.pk).update(
        legal_status="lapsed_non_payment", lapse_date=dt.date(2026, 5, 1)
    )
    out = StringIO()
    call_command("sweep", "--as-of", "2026-05-03", stdout=out)
    assert (
        f"开放许可因专利失效终止  专利 {patent.application_number}  声明第 1 版，2026-05-01 终止"
        in out.getvalue()
    )
    decl.refresh_from_db()
    assert decl.state == "ended"
    assert _open(_sweep("2026-05-04")) == []

"""The public implementation list across jurisdictions and dates, notifications, routes, CLI."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from patentbridge.core.models import AuditEvent, Notification
from patentbridge.grading import public_list
from patentbridge.grading.models import PublicListEntry
from patentbridge.patents.models import Patent

from .test_permissions import client_for

pytestmark = pytest.mark.django_db


def _patent(users, number, *, city="济南市", **fields):
    values = dict(
        application_number=number,
        title="一种财政资助的余热回收装置",
        patent_type="invention",
        legal_status="granted",
        fiscal_funded=True,
        fiscal_project="鲁科字2019-001",
        filing_date=dt.date(2022, 1, 5),
        grant_date=dt.date(2024, 2, 29),
        province="山东省",
        city=city,
        owner_org=users["tto"].membership.org,
        library_status="in_library",
    )
    values.update(fields)
    return Patent.objects.create(**values)


@pytest.fixture
def funded(users):
    return {
        "jinan": _patent(users, "201810000001.1"),
        "qingdao": _patent(users, "201810000002.X", city="青岛市"),
        "jiangsu": _patent(users, "201810000003.8", province="江苏省", city="南京市"),
        "licensed": _patent(users, "201810000004.6", license_count=1),
        "unfunded": _patent(users, "201810000005.4", fiscal_funded=None),
        "lapsed": _patent(users, "201810000006.2", legal_status="lapsed_non_payment"),
    }


def _active():
    return {
        (e.patent.application_number, e.jurisdiction) for e in PublicListEntry.objects.filter(left_on=None)
    }


def test_entry_and_exit_across_jurisdictions_and_dates(users, funded):
    """Granted 2024-02-29: Shandong from 2027-02-28, Jinan from 2029-02-28; exclusions hold; implementation releases."""
    assert public_list.recompute_public_list(dt.date(2027, 2, 27))["active"] == 0
    counts = public_list.recompute_public_list(dt.date(2027, 2, 28))
    assert counts == {"entered": 2, "left": 0, "active": 2}
    assert _active() == {("201810000001.1", "shandong"), ("201810000002.X", "shandong")}
    entry = PublicListEntry.objects.get(patent=funded["jinan"], jurisdiction="shandong")
    assert entry.since == dt.date(2027, 2, 28) and "满 3 年" in entry.reason and entry.policy_version
    assert public_list.recompute_public_list(dt.date(2027, 3, 1))["entered"] == 0  # idempotent
    public_list.recompute_public_list(dt.date(2029, 3, 1))
    assert ("201810000001.1", "jinan") in _active() and ("201810000002.X", "jinan") not in _active()
    assert PublicListEntry.objects.get(patent=funded["jinan"], jurisdiction="jinan").government_use
    notes = Notification.objects.filter(org=users["tto"].membership.org)
    assert notes.count() == 3 and "公开实施清单" in notes.first().message
    assert AuditEvent.objects.filter(action="grading.public_list.entered").count() == 3

    with time_machine.travel(dt.datetime(2029, 6, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        public_list.record_implementation(
            actor=users["tto"],
            patent=funded["jinan"],
            kind="licence",
            date=dt.date(2029, 6, 1),
            evidence="许可合同 2029-017",
        )
        with pytest.raises(ValidationError):
            public_list.record_implementation(
                actor=users["tto"],
                patent=funded["qingdao"],
                kind="self",
                date=dt.date(2029, 7, 1),
                evidence="未来日期",
            )
    assert _active() == {("201810000002.X", "shandong")}
    left = PublicListEntry.objects.get(patent=funded["jinan"], jurisdiction="jinan")
    assert left.left_on == dt.date(2029, 6, 2) and "已记录实施" in left.left_reason
    assert AuditEvent.objects.filter(action="grading.public_list.left").count() == 2
    with pytest.raises(PermissionDenied):
        public_list.record_implementation(
            actor=users["other_tto"],
            patent=funded["qingdao"],
            kind="self",
            date=dt.date(2024, 1, 1),
            evidence="x",
        )


def test_route_choice_is_the_patentees_and_audited(users, funded):
    public_list.recompute_public_list(dt.date(2027, 6, 1))
    entry = PublicListEntry.objects.get(patent=funded["qingdao"])
    with pytest.raises(PermissionDenied):
        public_list.choose_route(actor=users["other_tto"], entry=entry, route="exchange")
    with pytest.raises(ValidationError):
        public_list.choose_route(actor=users["tto"], entry=entry, route="sell")
    public_list.choose_route(actor=users["tto"], entry=entry, route="open_licence", note="拟按 3% 提成声明")
    entry.refresh_from_db()
    assert entry.route == "open_licence" and entry.route_by == users["tto"]
    assert (
        AuditEvent.objects.get(action="grading.public_list.route_chosen").data["after"]["route"]
        == "open_licence"
    )


def test_command_json_page_and_export(users, funded):
    out = StringIO()
    call_command("public_list", "--as-of", "2029-03-01", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {(r["application_number"], r["jurisdiction"]) for r in rows} == {
        ("201810000001.1", "shandong"),
        ("201810000001.1", "jinan"),
        ("201810000002.X", "shandong"),
    }
    assert all(
        {"application_number", "jurisdiction", "policy_version", "reason", "since"} <= set(r) for r in rows
    )
    page = client_for(users["tto"]).get("/grading/public-list/", {"jurisdiction": "jinan"})
    assert [e.patent.application_number for e in page.context["page"]] == ["201810000001.1"]
    assert 'data-testid="route-save"' in page.content.decode()
    viewer = client_for(users["viewer"]).get("/grading/public-list/")
    assert (
        viewer.context["page"].paginator.count == 3
        and 'data-testid="route-save"' not in viewer.content.decode()
    )
    export = client_for(users["viewer"]).get("/grading/public-list/export/")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.max_row == 4 and sheet.cell(1, 2).value == "申请号"
    response = client_for(users["other_tto"]).post(
        f"/grading/public-list/{PublicListEntry.objects.first().pk}/route/", {"route": "exchange"}
    )
    assert response.status_code == 403


def test_patentbridge_cli_accepts_the_hyphenated_name(users, funded, capsys):
    """``patentbridge public-list --as-of … --json`` as documented (the console script's dispatcher)."""
    from patentbridge.cli import main

    main(["public-list", "--as-of", "2027-03-01", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert {r["jurisdiction"] for r in rows} == {"shandong"} and len(rows) == 2

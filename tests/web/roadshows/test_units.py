"""Smaller rules of the roadshow services and helpers: presenters from inventor teams, attendance,
month and amount parsing, the calendar's grouping and the funnel chart's bars, and the Chinese
names of the audit actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from patentbridge.core.labels import ACTION_LABELS, value_label
from patentbridge.matching.models import InventorTeam
from patentbridge.roadshows.funnel import EventFunnel
from patentbridge.roadshows.labels import ROADSHOW_ACTION_LABELS
from patentbridge.roadshows.page import by_month, chart_bars
from patentbridge.roadshows.services import events, people
from patentbridge.roadshows.services.common import clean_amount, clean_month
from web.roadshows.factories import HELD_DAY, make_event, make_show


def _team(**fields):
    values = {
        "key": "测试大学|张三",
        "lead": "张三",
        "institution": "测试大学",
        "members": [["李四", 3], ["王五", 1]],
        "patent_numbers": [],
        "patent_count": 4,
    }
    values.update(fields)
    return InventorTeam.objects.create(**values)


@pytest.mark.django_db
def test_presenter_from_a_team_is_its_lead_or_a_member(cast):
    show = make_show(cast, status="planned")
    team = _team()
    lead = events.add_presenter(cast.p.tto, show.items[0], team=team)
    assert (lead.name, lead.affiliation, lead.team) == ("张三", "测试大学", team)
    member = events.add_presenter(cast.p.tto, show.items[0], team=team, name="李四")
    assert member.name == "李四"
    with pytest.raises(ValidationError, match="不是该发明人团队的成员"):
        events.add_presenter(cast.p.tto, show.items[1], team=team, name="赵六")
    with pytest.raises(ValidationError, match="已是该专利的路演人"):
        events.add_presenter(cast.p.tto, show.items[0], name="张三")
    with pytest.raises(ValidationError, match="请填写路演人"):
        events.add_presenter(cast.p.tto, show.items[1], name="  ")
    with pytest.raises(PermissionDenied):
        events.add_presenter(cast.p.other_tto, show.items[1], name="某人")


@pytest.mark.django_db
def test_presenters_are_fixed_once_the_event_is_held(cast):
    show = make_show(cast)
    with pytest.raises(ValidationError, match="不能调整路演人"):
        events.add_presenter(cast.p.tto, show.items[0], name="张三")


@pytest.mark.django_db
def test_attendance_is_marked_by_the_organiser_only(cast):
    show = make_show(cast, status="open")
    registration = show.event.registrations.get(org=cast.ent_a)
    with pytest.raises(PermissionDenied):
        people.mark_attended(cast.ent_a_user, registration)
    with pytest.raises(PermissionDenied):
        people.mark_attended(cast.officer, registration)
    people.mark_attended(cast.p.tto, registration)
    registration.refresh_from_db()
    assert registration.attended is True
    events.set_status(cast.p.tto, show.event, to="held", on=HELD_DAY)
    events.set_status(cast.p.tto, show.event, to="closed", on=HELD_DAY)
    with pytest.raises(ValidationError, match="不能登记到场"):
        people.mark_attended(cast.p.tto, registration, attended=False)


@pytest.mark.django_db
def test_invitations_close_with_registration_and_check_the_kind(cast):
    show = make_show(cast)
    with pytest.raises(ValidationError, match="不能邀请"):
        people.invite(cast.p.tto, show.event, cast.ent_far)
    april = make_event(cast, month="2026-04")
    with pytest.raises(ValidationError, match="不是投资/金融机构"):
        people.invite(cast.p.tto, april, cast.p.other_university, kind="investor")
    with pytest.raises(ValidationError, match="不是企业"):
        people.invite(cast.p.tto, april, cast.p.other_university)
    with pytest.raises(ValidationError, match="邀请类别无效"):
        people.invite(cast.p.tto, april, cast.ent_a, kind="friend")
    row = people.invite(cast.p.tto, april, cast.ent_far, kind="investor")  # an enterprise may invest
    assert row.get_kind_display() == "投资/金融机构" and row.invited_by_org == cast.p.university


def test_clean_month_gives_the_months_first_and_last_day():
    assert clean_month("2026-02") == ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert clean_month(" 2028-02 ") == ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert clean_month("2026-12") == ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    for bad in ("2026-00", "2026-13", "26-1", "", None, "1999-01", "2026-1"):
        with pytest.raises(ValidationError):
            clean_month(bad)


def test_clean_amount_reads_yuan_with_two_decimals():
    assert clean_amount("1,234.5", "a", "金额") == Decimal("1234.50")
    assert clean_amount(" 200000 ", "a", "金额") == Decimal("200000.00")
    assert clean_amount("", "a", "金额", required=False) is None
    assert clean_amount(None, "a", "金额", required=False) is None
    for bad in ("Infinity", "NaN", "-0.01", "999999999999.995", "1,0,0x", "1e3.5"):
        with pytest.raises(ValidationError):
            clean_amount(bad, "a", "金额")


def test_by_month_keeps_the_order_it_is_given():
    class E:
        def __init__(self, month: str, pk: int) -> None:
            self.month, self.pk = month, pk

    rows = [E("2026-04", 1), E("2026-03", 2), E("2026-03", 3)]
    grouped = by_month(rows)  # type: ignore[arg-type]
    assert [(m, [e.pk for e in es]) for m, es in grouped] == [("2026-04", [1]), ("2026-03", [2, 3])]


def test_chart_bars_scale_to_the_largest_step():
    bars = chart_bars(EventFunnel(items=4, registered=3, intentions=2, deals=0), width=400)
    assert [b["count"] for b in bars] == [4, 3, 2, 0]
    assert [b["w"] for b in bars] == [400, 300, 200, 0]
    assert [b["y"] for b in bars] == [8, 44, 80, 116]
    empty = chart_bars(EventFunnel())
    assert all(b["w"] == 0 for b in empty)


def test_every_audit_action_has_a_chinese_name():
    for code, label in ROADSHOW_ACTION_LABELS.items():
        assert ACTION_LABELS[code] == label and not label.isascii()
    assert value_label("roadshow_status", "held") == "已举办（跟进中）"
    assert value_label("intention_mode", "trial") == "先试用后付费"


def test_last_months_cross_the_year():
    from patentbridge.roadshows.page import last_months

    assert last_months(dt.date(2026, 2, 14), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert len(last_months(dt.date(2026, 12, 31))) == 12


def test_chain_coverage_marks_months_and_flags_skipped_chains():
    from patentbridge.roadshows.page import SKIP_WARN_MONTHS, chain_coverage

    class Chain:
        def __init__(self, pk: int) -> None:
            self.pk = pk

    class Event:
        def __init__(self, chain: int, month: str) -> None:
            self.chain_id, self.month = chain, month

    glc, agri, bio = Chain(1), Chain(2), Chain(3)
    rows = [Event(1, "2026-03"), Event(1, "2026-01"), Event(2, "2026-01"), Event(2, "2025-01")]
    out = chain_coverage(rows, [glc, agri, bio], dt.date(2026, 3, 23), n=3)  # type: ignore[arg-type]
    assert out["months"] == ["2026-01", "2026-02", "2026-03"] and SKIP_WARN_MONTHS == 2
    glc_row, agri_row, bio_row = out["rows"]
    assert glc_row["cells"] == [True, False, True] and glc_row["count"] == 2 and not glc_row["skipped"]
    # AGRI's last roadshow was in January: February and March without one → flagged.
    assert agri_row["cells"] == [True, False, False] and agri_row["skipped"]
    assert bio_row["count"] == 0 and bio_row["skipped"]

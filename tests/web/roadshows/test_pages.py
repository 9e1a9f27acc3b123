"""The roadshow pages by role: the organiser's flow through the forms (create → add items and
presenters → open → held → capture → follow up → outcome), the enterprise's registration and its
own intention, the county officer's read-and-invite view, the calendar's filters, 404 outside
one's scope and hostile parameters (a Chinese message, never a 500)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from patentbridge.core.models import AuditEvent
from patentbridge.roadshows.models import (
    RoadshowEvent,
    RoadshowFollowUp,
    RoadshowIntention,
    RoadshowInvitation,
    RoadshowPresenter,
    RoadshowRegistration,
)
from web.licensing.factories import make_contract
from web.matrix import client_for, stripped_user
from web.menus.factories import chain_patents
from web.roadshows.factories import make_event, make_show

pytestmark = pytest.mark.django_db

# Pages read today's date: the business day is after the event (held 2026-03-20).
NOW = dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode() if status == 200 else ""


def post(client, url, data, *, follow=True):
    response = client.post(url, data, follow=follow)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_organiser_runs_an_event_through_the_forms(cast):
    from patentbridge.patents.models import IndustryChain

    tto = client_for(cast.p.tto)
    glc = IndustryChain.objects.get(code="GLC")
    response = tto.post(
        "/roadshows/new/",
        {
            "title": "一月一链·绿色低碳专场",
            "organiser_org": cast.p.university.pk,
            "chain": glc.pk,
            "month": "2026-03",
            "event_date": "2026-03-20",
            "region_code": "371522",
            "cohost_org": cast.county_gov.pk,
            "venue": "莘县科技会堂",
        },
    )
    event = RoadshowEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/roadshows/{event.pk}/"
    act = f"/roadshows/{event.pk}/act"
    patent = chain_patents(cast.p.university, 1)[0]
    html = post(
        tto,
        f"{act}/add_item/",
        {"patent": patent.application_number, "asking_mode": "licence", "asking_amount": "200000"},
    )
    assert "已加入路演专利" in html and patent.title in html
    item = event.items.get()
    assert item.asking_amount == Decimal("200000.00") and item.get_source_display() == "资源库"
    post(
        tto, f"{act}/add_presenter/", {"item": item.pk, "name": "张三", "affiliation": cast.p.university.name}
    )
    assert RoadshowPresenter.objects.get().name == "张三"
    post(tto, f"{act}/status/", {"to": "open"})
    post(tto, f"{act}/invite/", {"org": cast.ent_a.pk, "kind": "enterprise"})
    assert RoadshowInvitation.objects.get().org == cast.ent_a
    ent = client_for(cast.ent_a_user)
    html = post(ent, f"{act}/register/", {"contact": "王经理"})
    assert "报名成功" in html and "贵单位已报名本场路演" in html
    post(tto, f"{act}/attended/", {"registration": RoadshowRegistration.objects.get().pk})
    html = post(tto, f"{act}/status/", {"to": "held"})
    assert "已举办" in html
    html = post(
        ent,
        f"{act}/intend/",
        {"item": item.pk, "mode": "licence", "amount": "180000", "note": "拟用于烘干线"},
    )
    assert "已登记意向" in html
    intention = RoadshowIntention.objects.get()
    assert (intention.org, intention.amount) == (cast.ent_a, Decimal("180000.00"))
    post(
        tto,
        f"{act}/follow_up/",
        {"intention": intention.pk, "on": "2026-03-22", "note": "企业来校洽谈", "next_step": "起草合同"},
    )
    assert RoadshowFollowUp.objects.get().next_step == "起草合同"
    contract = make_contract(cast.p, [patent], licensee_org=cast.ent_a, stage="signed")
    html = get(tto, f"/roadshows/{event.pk}/")
    assert f'value="{contract.pk}"' in html  # offered in the outcome picker
    html = post(tto, f"{act}/outcome/", {"intention": intention.pk, "contract": contract.pk})
    assert "已关联许可成果" in html and contract.contract_no in html
    # The funnel table: 1 item, 1 registration (attended), 1 intention of ¥180,000, 1 deal of ¥120,000.
    for key, value in (
        ("f-items", "1"),
        ("f-registered", "1"),
        ("f-attended", "1"),
        ("f-intentions", "1"),
        ("f-deals", "1"),
    ):
        assert f'data-testid="{key}">{value}<' in html
    assert "¥180,000.00" in html and "¥120,000.00" in html
    # created, item, presenter, opened, invited, registered, attended, held, intention, follow-up, outcome
    assert AuditEvent.objects.filter(action__startswith="roadshows.").count() == 11


def test_refusals_are_chinese_messages_not_errors(cast):
    show = make_show(cast)
    tto = client_for(cast.p.tto)
    act = f"/roadshows/{show.event.pk}/act"
    html = post(
        tto,
        f"{act}/intend/",
        {"item": show.items[0].pk, "org": cast.ent_a.pk, "mode": "licence", "amount": "abc"},
    )
    assert "意向金额应为金额" in html
    html = post(tto, f"{act}/outcome/", {"intention": "99999999999999999999999999999"})
    assert "未找到意向" in html
    html = post(tto, f"{act}/add_item/", {"patent": "not-a-number"})
    assert "路演当前为「已举办（跟进中）」，不能调整路演专利" in html or "未找到该专利" in html
    assert tto.post(f"{act}/explode/", {}).status_code == 403
    assert tto.get(f"{act}/register/").status_code == 405


def test_enterprise_sees_its_own_intentions_and_funnel_only(cast):
    show = make_show(cast)
    html = get(client_for(cast.ent_a_user), f"/roadshows/{show.event.pk}/")
    assert "¥200,000.00" in html and "¥150,000.50" not in html and cast.ent_b.name not in html
    assert "（贵单位）" in html and 'data-testid="registrations"' not in html
    assert 'data-testid="intend-form"' in html  # it registered, the event is held: may state another


def test_officer_reads_the_funnel_and_invites_but_has_no_organiser_forms(cast):
    show = make_show(cast, status="open")
    officer = client_for(cast.officer)
    html = get(officer, f"/roadshows/{show.event.pk}/")
    assert 'data-testid="invite-form"' in html and 'data-testid="funnel-chart"' in html
    assert 'data-testid="next-status"' not in html and 'data-testid="add-item-form"' not in html
    # Invitable: 莘县 enterprises not yet invited (ent_a was, by the factory); never 东昌府区.
    assert cast.ent_far.name not in html.split('data-testid="invite-select"')[1].split("</select>")[0]
    assert (
        officer.post(f"/roadshows/{show.event.pk}/act/invite/", {"org": cast.ent_far.pk}).status_code == 403
    )
    assert RoadshowInvitation.objects.filter(org=cast.ent_far).count() == 0
    assert officer.post(f"/roadshows/{show.event.pk}/act/status/", {"to": "held"}).status_code == 403
    get(client_for(cast.other_officer), f"/roadshows/{show.event.pk}/", status=404)


def test_calendar_groups_by_month_and_filters(cast):
    march = make_show(cast, status="open").event
    april = make_event(cast, month="2026-04", chain="AGRI")
    tto = client_for(cast.p.tto)
    html = get(tto, "/roadshows/")
    assert 'data-testid="month-2026-04"' in html and 'data-testid="month-2026-03"' in html
    assert "聊城市莘县" in html  # the region by name, not its code
    assert html.index("month-2026-04") < html.index("month-2026-03")
    # Coverage: GLC had its March roadshow; every other chain is flagged 待安排 (April is planned).
    coverage = html.split('data-testid="coverage"')[1].split("</table>")[0]
    glc_row = coverage.split('data-testid="coverage-GLC"')[1].split("</tr>")[0]
    assert "●" in glc_row and "待安排" not in glc_row
    assert "待安排" in coverage.split('data-testid="coverage-NEV"')[1].split("</tr>")[0]
    html = get(tto, "/roadshows/?chain=AGRI")
    assert f"event-{april.pk}" in html and f"event-{march.pk}" not in html
    html = get(tto, "/roadshows/?region=3716")
    assert "没有符合筛选条件的路演" in html
    html = get(tto, "/roadshows/?region=<script>")
    assert "地区应为 2、4 或 6 位行政区划代码" in html and "<script>" not in html.split("</header>")[-1]
    # Enterprises see the announced March event, not the planned April one.
    html = get(client_for(cast.ent_b_user), "/roadshows/")
    assert f"event-{march.pk}" in html and f"event-{april.pk}" not in html
    assert "本辖区" in get(client_for(cast.officer), "/roadshows/")


def test_pages_refuse_outsiders(cast, client):
    show = make_show(cast)
    url = f"/roadshows/{show.event.pk}/"
    assert client.get(url).status_code == 302  # anonymous → login
    get(client_for(cast.p.inventor), url, status=403)
    get(client_for(cast.p.inventor), "/roadshows/", status=403)
    get(client_for(stripped_user()), "/roadshows/", status=403)
    get(client_for(cast.ent_a_user), "/roadshows/new/", status=403)
    get(client_for(cast.officer), "/roadshows/new/", status=403)
    get(client_for(cast.p.tto), "/roadshows/99999999999999999999999/", status=404)
    # Another university's TTO sees the announced event but may not act as organiser.
    other = client_for(cast.p.other_tto)
    get(other, url)
    assert other.post(f"{url}act/status/", {"to": "closed"}).status_code == 403
    assert show.event.status == "held"


def test_new_event_form_shows_service_errors_on_fields(cast):
    make_event(cast)
    from patentbridge.patents.models import IndustryChain

    response = client_for(cast.p.tto).post(
        "/roadshows/new/",
        {
            "title": "同月第二场",
            "organiser_org": cast.p.university.pk,
            "chain": IndustryChain.objects.get(code="GLC").pk,
            "month": "2026-03",
            "event_date": "2026-03-25",
            "region_code": "371522",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and "一月一链" in html and "请填写举办地点或线上链接" in html

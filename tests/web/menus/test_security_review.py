"""Security review of the menus app: every page and API route, attacked by callers who own nothing
of a county menu, must neither leak nor change it, and never answer 500; ids of other menus,
deliveries and enterprises in URLs and bodies are refused; hostile parameters get a Chinese 4xx;
exports are scoped and formula-free; every state change is audited with its actor.

The world: a state-run university composes a menu for 莘县 (three own patents, two drawn from a
second university through the 资源库), publishes it, the 莘县 officer selects two items and the
university pushes them to two 莘县 enterprises; a draft menu; a second university's published menu
for 东昌府区. Attackers: anonymous, the second university's TTO, the 东昌府区 enterprise (nothing
delivered), the university's inventor, a viewer and the 东昌府区 officer (another region).

Each test passes when the code is safe; a route added without being listed here fails
``test_every_route_is_attacked``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from patentbridge.core.models import AuditEvent
from patentbridge.menus import models as mm
from patentbridge.menus.services import compose, inbox, release
from patentbridge.patents.models import IndustryChain, Patent
from web.factories import make_member, make_org
from web.licensing.test_security_review import api_routes, readable, url_names
from web.menus.factories import COUNTY, ON, OTHER_COUNTY, Cast, chain_patents

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
SECRET_TITLE = "莘县保密专利菜单甲乙"
DRAFT_TITLE = "尚未发布的草稿菜单丙丁"
SELECTION_NOTE = "遴选内部说明戊己"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel("2026-03-02 10:00:00+00:00", tick=False):
        yield


@dataclass
class MenuWorld:
    cast: Cast
    menu: Any  # published, selected, pushed
    draft: Any
    other_menu: Any  # the second university's, for 东昌府区
    items: list[Any]  # the menu's included items (rank order)
    selected: list[Any]
    delivery: Any  # one of ent_a's
    ent_b_delivery: Any
    attackers: dict[str, Any] = field(default_factory=dict)

    def secrets(self) -> list[str]:
        return [SECRET_TITLE, DRAFT_TITLE, SELECTION_NOTE, self.cast.ent_a.name, self.cast.ent_b.name]


def _new_menu(cast: Cast, actor: Any, org: Any, title: str, region: str = COUNTY) -> Any:
    return compose.create_menu(
        actor,
        publisher_org=org,
        title=title,
        target_region=region,
        chains=list(IndustryChain.objects.filter(code="GLC")),
        on=ON,
    )


def build_world(cast: Cast) -> MenuWorld:
    chain_patents(cast.p.other_university, 2)
    chain_patents(cast.p.university, 3)
    menu = _new_menu(cast, cast.p.tto, cast.p.university, SECRET_TITLE)
    compose.compose(cast.p.tto, menu, on=ON)
    release.publish(cast.p.tto, menu, on=ON)
    items = list(mm.MenuItem.objects.filter(menu=menu, state="included").order_by("rank"))
    release.select_items(cast.officer, menu, items=[i.pk for i in items[:2]], on=ON, note=SELECTION_NOTE)
    release.push(cast.p.tto, menu, enterprises=[cast.ent_a.pk, cast.ent_b.pk], on=ON)
    draft = _new_menu(cast, cast.p.tto, cast.p.university, DRAFT_TITLE)
    compose.compose(cast.p.tto, draft, on=ON)
    chain_patents(cast.p.other_university, 3)
    other_menu = _new_menu(cast, cast.p.other_tto, cast.p.other_university, "东昌府区菜单", OTHER_COUNTY)
    compose.compose(cast.p.other_tto, other_menu, on=ON)
    release.publish(cast.p.other_tto, other_menu, on=ON)
    viewer = make_member(make_org("某市统计局", "government", region_code="371500"), "viewer")
    world = MenuWorld(
        cast=cast,
        menu=menu,
        draft=draft,
        other_menu=other_menu,
        items=items,
        selected=items[:2],
        delivery=mm.MenuDelivery.objects.filter(menu=menu, enterprise=cast.ent_a).order_by("pk").first(),
        ent_b_delivery=mm.MenuDelivery.objects.filter(menu=menu, enterprise=cast.ent_b)
        .order_by("pk")
        .first(),
    )
    world.attackers = {
        "anonymous": None,
        "other_tto": cast.p.other_tto,
        "ent_far": cast.ent_far_user,
        "inventor": cast.p.inventor,
        "viewer": viewer,
        "other_officer": cast.other_officer,
    }
    return world


@pytest.fixture
def world(cast: Cast) -> MenuWorld:
    return build_world(cast)


def client_as(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def snapshot() -> dict[str, Any]:
    """Row counts and states of every menu row, and the audit events other than logins."""
    state: dict[str, Any] = {"audit": AuditEvent.objects.exclude(action__startswith="accounts.").count()}
    for model in (
        mm.PatentMenu,
        mm.MenuItem,
        mm.MenuDelivery,
        mm.MenuSelection,
        mm.MenuPush,
        mm.SupplementRequest,
    ):
        state[model.__name__] = model.objects.count()
    state["menus"] = list(mm.PatentMenu.objects.order_by("pk").values_list("pk", "state", "title"))
    state["items"] = list(mm.MenuItem.objects.order_by("pk").values_list("pk", "state"))
    state["deliveries"] = list(
        mm.MenuDelivery.objects.order_by("pk").values_list("pk", "response", "viewed_on", "application_id")
    )
    state["selection"] = list(
        mm.MenuSelection.objects.order_by("pk").values_list("pk", "items", "note", "selected_by_id")
    )
    from patentbridge.licensing.models import LicenceApplication

    state["applications"] = LicenceApplication.objects.count()
    return state


def page_targets(w: MenuWorld) -> list[tuple[str, dict[str, Any]]]:
    m, d = w.menu, w.delivery
    return [
        ("menus:list", {}),
        ("menus:new", {}),
        ("menus:funnel", {}),
        ("menus:inbox", {}),
        ("menus:inbox_menu", {"pk": m.pk}),
        ("menus:respond", {"pk": d.pk}),
        ("menus:trial", {"pk": d.pk}),
        ("menus:detail", {"pk": m.pk}),
        ("menus:detail", {"pk": w.draft.pk}),
        ("menus:act", {"pk": m.pk, "action": "close"}),
        ("menus:act", {"pk": w.draft.pk, "action": "publish"}),
        ("menus:act", {"pk": w.draft.pk, "action": "remove"}),
        ("menus:select", {"pk": m.pk}),
        ("menus:push", {"pk": m.pk}),
        ("menus:menu_funnel", {"pk": m.pk}),
        ("menus:export_xlsx", {"pk": m.pk}),
        ("menus:export_pdf", {"pk": m.pk}),
    ]


def api_targets(w: MenuWorld) -> list[tuple[str, str, str, dict[str, Any]]]:
    c = w.cast
    return [
        ("GET", "/menus", "/api/menus", {}),
        (
            "POST",
            "/menus",
            "/api/menus",
            {
                "title": "冒名菜单",
                "target_region": COUNTY,
                "chains": ["GLC"],
                "publisher_org": c.p.university.pk,
            },
        ),
        ("GET", "/menus/{menu_id}", f"/api/menus/{w.menu.pk}", {}),
        ("POST", "/menus/{menu_id}/publish", f"/api/menus/{w.draft.pk}/publish", {}),
        ("GET", "/menus/{menu_id}/funnel", f"/api/menus/{w.menu.pk}/funnel", {}),
    ]


def _post_data(w: MenuWorld) -> dict[str, Any]:
    """A body that would succeed for the rightful owner of each form."""
    return {
        "verdict": "not_relevant",
        "reason": "other",
        "note": "恶意操作说明",
        "items": [i.pk for i in w.items],
        "enterprises": [w.cast.ent_a.pk, w.cast.ent_far.pk],
        "item": w.draft.items.order_by("pk").values_list("pk", flat=True).first() or "",
        "patent": "",
        "title": "被篡改",
        "target_region": COUNTY,
    }


def _refused(response: Any, anonymous: bool) -> bool:
    if response.status_code in (302, 303):
        return not anonymous or "/accounts/login/" in response["Location"]
    return response.status_code in (400, 401, 403, 404, 405, 422)


def _leaks(body: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s in body]


def test_every_route_is_attacked(world: MenuWorld) -> None:
    assert {name for name, _ in page_targets(world)} == url_names("menus")
    assert {(m, t) for m, t, _, _ in api_targets(world)} == api_routes("patentbridge.menus")


ATTACKERS = ["anonymous", "other_tto", "ent_far", "inventor", "viewer", "other_officer"]


@pytest.mark.parametrize("role", ATTACKERS)
def test_pages_neither_leak_nor_change_another_organisations_menus(world: MenuWorld, role: str) -> None:
    user = world.attackers[role]
    client = client_as(user)
    secrets = world.secrets()
    problems: list[str] = []
    for name, kwargs in page_targets(world):
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url} → {response.status_code}")
        elif response.status_code == 200 and (
            leaked := _leaks(response.content.decode(errors="replace"), secrets)
        ):
            problems.append(f"GET {url} → 200 showing {leaked}")
        before = snapshot()
        response = client.post(url, _post_data(world))
        if response.status_code >= 500:
            problems.append(f"POST {url} → {response.status_code}")
        elif response.status_code == 200:
            if leaked := _leaks(response.content.decode(errors="replace"), secrets):
                problems.append(f"POST {url} → 200 showing {leaked}")
        elif not _refused(response, user is None):
            problems.append(f"POST {url} → unexpected {response.status_code}")
        if snapshot() != before:
            problems.append(f"POST {url} changed data")
    assert problems == []


@pytest.mark.parametrize("role", ATTACKERS)
def test_api_neither_leaks_nor_changes_another_organisations_menus(world: MenuWorld, role: str) -> None:
    user = world.attackers[role]
    client = client_as(user)
    secrets = world.secrets()
    problems: list[str] = []
    for method, _template, path, body in api_targets(world):
        before = snapshot()
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, body, content_type="application/json")
        text = readable(response)
        if response.status_code >= 500:
            problems.append(f"{method} {path} → {response.status_code}")
        elif response.status_code in (200, 201):
            if method == "POST":
                problems.append(f"{method} {path} → accepted")
            elif leaked := _leaks(text, secrets):
                problems.append(f"{method} {path} → showing {leaked}")
        elif response.status_code not in (400, 401, 403, 404, 405, 422):
            problems.append(f"{method} {path} → unexpected {response.status_code}")
        if snapshot() != before:
            problems.append(f"{method} {path} changed data")
    assert problems == []


def test_the_secrets_are_real_the_rightful_callers_see_them(world: MenuWorld) -> None:
    """Control: the publisher and the county officer do read the texts the attackers never see."""
    c = world.cast
    detail = client_as(c.p.tto).get(reverse("menus:detail", args=[world.menu.pk])).content.decode()
    assert SECRET_TITLE in detail
    funnel = client_as(c.p.tto).get(reverse("menus:menu_funnel", args=[world.menu.pk])).content.decode()
    assert c.ent_a.name in funnel
    assert SECRET_TITLE in readable(client_as(c.officer).get("/api/menus"))
    assert DRAFT_TITLE in readable(client_as(c.p.operator).get("/api/menus"))
    assert SECRET_TITLE in client_as(c.ent_a_user).get(reverse("menus:inbox")).content.decode()


# --- what a delivered enterprise may read -------------------------------------------------------


def _delivered_numbers(world: MenuWorld) -> set[str]:
    return {i.patent.application_number for i in world.selected}


def _undelivered_numbers(world: MenuWorld) -> set[str]:
    return {i.patent.application_number for i in world.items[2:]}


def test_the_enterprise_inbox_page_shows_only_the_items_delivered_to_it(world: MenuWorld) -> None:
    html = (
        client_as(world.cast.ent_a_user)
        .get(reverse("menus:inbox_menu", args=[world.menu.pk]))
        .content.decode()
    )
    assert all(n in html for n in _delivered_numbers(world))
    assert not [n for n in _undelivered_numbers(world) if n in html]
    assert SELECTION_NOTE not in html


def test_the_menu_api_shows_an_enterprise_only_the_items_delivered_to_it(world: MenuWorld) -> None:
    """SECURITY: GET /api/menus/{id} answers a delivered enterprise with every included item of the
    menu (``included_items``) and the 资源库 supplement log, though the access rule (``item_rule``)
    and the inbox page give it only the items pushed to it: the items the county did not select,
    and the other universities' patents drawn in, leak."""
    body = client_as(world.cast.ent_a_user).get(f"/api/menus/{world.menu.pk}")
    assert body.status_code in (200, 403, 404)
    if body.status_code == 200:
        data = body.json()
        numbers = {i["application_number"] for i in data["items"]}
        assert numbers <= _delivered_numbers(world), numbers - _delivered_numbers(world)
        assert data["supplements"] == []


def test_an_enterprise_cannot_export_or_read_the_funnel_of_a_delivered_menu(world: MenuWorld) -> None:
    ent = client_as(world.cast.ent_a_user)
    for name in ("menus:export_xlsx", "menus:export_pdf", "menus:menu_funnel"):
        assert ent.get(reverse(name, args=[world.menu.pk])).status_code in (302, 403, 404), name
    assert ent.get(f"/api/menus/{world.menu.pk}/funnel").status_code in (403, 404)
    assert ent.get(reverse("menus:funnel")).status_code in (302, 403)


# --- IDOR in bodies -------------------------------------------------------------------------------


def test_the_county_officer_cannot_select_items_of_another_menu(world: MenuWorld) -> None:
    """The selection may still change before the first push: use the other university's menu's
    items in the county officer's selection of a fresh published menu."""
    c = world.cast
    chain_patents(c.p.university, 3)
    fresh = _new_menu(c, c.p.tto, c.p.university, "新菜单")
    compose.compose(c.p.tto, fresh, on=ON)
    release.publish(c.p.tto, fresh, on=ON)
    foreign = [*world.other_menu.items.values_list("pk", flat=True), world.draft.items.first().pk]
    before = snapshot()
    response = client_as(c.officer).post(reverse("menus:select", args=[fresh.pk]), {"items": foreign})
    assert response.status_code == 302
    assert snapshot() == before


def test_another_regions_officer_cannot_select_the_county_menu(world: MenuWorld) -> None:
    before = snapshot()
    response = client_as(world.cast.other_officer).post(
        reverse("menus:select", args=[world.menu.pk]), {"items": [world.items[0].pk]}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_a_push_cannot_reach_enterprises_outside_the_region_or_organisations_that_are_not_enterprises(
    world: MenuWorld,
) -> None:
    c = world.cast
    before = snapshot()
    for recipients in ([c.ent_far.pk], [c.p.other_university.pk], [c.county_gov.pk], ["abc", "-1", "9" * 40]):
        response = client_as(c.p.tto).post(
            reverse("menus:push", args=[world.menu.pk]), {"enterprises": recipients}
        )
        assert response.status_code in (200, 302), recipients
    assert snapshot() == before
    other = client_as(c.p.other_tto).post(
        reverse("menus:push", args=[world.menu.pk]), {"enterprises": [c.ent_a.pk]}
    )
    assert other.status_code == 404
    assert snapshot() == before


def test_an_item_of_another_menu_cannot_be_removed_through_ones_own_draft(world: MenuWorld) -> None:
    c = world.cast
    foreign = world.other_menu.items.order_by("pk").first()
    before = snapshot()
    response = client_as(c.p.tto).post(
        reverse("menus:act", args=[world.draft.pk, "remove"]), {"item": foreign.pk, "note": "移出他人条目"}
    )
    assert response.status_code == 302
    assert snapshot() == before


def test_another_universitys_patent_cannot_be_added_by_hand(world: MenuWorld) -> None:
    c = world.cast
    foreign = (
        Patent.objects.filter(owner_org=c.p.other_university).exclude(menu_items__menu=world.draft).first()
    )
    assert foreign is not None
    before = snapshot()
    response = client_as(c.p.tto).post(
        reverse("menus:act", args=[world.draft.pk, "add"]),
        {"patent": foreign.application_number, "note": "夹带"},
    )
    assert response.status_code == 302
    assert snapshot() == before


def test_an_enterprise_cannot_answer_or_request_a_trial_on_another_enterprises_delivery(
    world: MenuWorld,
) -> None:
    ent = client_as(world.cast.ent_a_user)
    before = snapshot()
    for name in ("menus:respond", "menus:trial"):
        response = ent.post(reverse(name, args=[world.ent_b_delivery.pk]), {"verdict": "interested"})
        assert response.status_code == 404, name
    assert snapshot() == before


def test_a_menu_cannot_be_created_in_another_organisations_name(world: MenuWorld) -> None:
    c = world.cast
    before = snapshot()
    tto = client_as(c.p.tto)
    for org in (c.p.other_university, c.county_gov, c.ent_a):
        api = tto.post(
            "/api/menus",
            {"title": "冒名", "target_region": COUNTY, "chains": ["GLC"], "publisher_org": org.pk},
            content_type="application/json",
        )
        assert api.status_code in (403, 422), org
        glc = IndustryChain.objects.get(code="GLC")
        page = tto.post(
            reverse("menus:new"),
            {
                "title": "冒名",
                "publisher_org": org.pk,
                "target_region": COUNTY,
                "chains": [glc.pk],
                "source": "own_library",
            },
        )
        assert page.status_code in (200, 403), org
    officer = client_as(c.officer).post(
        "/api/menus",
        {"title": "政府推荐", "target_region": COUNTY, "chains": ["GLC"], "publisher_org": c.p.university.pk},
        content_type="application/json",
    )
    assert officer.status_code == 403
    assert snapshot() == before


def test_the_publisher_cannot_publish_or_close_another_universitys_menu_through_the_api(
    world: MenuWorld,
) -> None:
    before = snapshot()
    assert client_as(world.cast.p.tto).post(f"/api/menus/{world.other_menu.pk}/publish").status_code == 404
    response = client_as(world.cast.p.tto).post(reverse("menus:act", args=[world.other_menu.pk, "close"]))
    assert response.status_code == 404
    assert snapshot() == before


# --- hostile parameters --------------------------------------------------------------------------


def _cjk(response: Any) -> bool:
    return bool(CJK.search(response.content.decode("unicode_escape", errors="replace")))


def test_hostile_ids_and_queries_never_500(world: MenuWorld) -> None:
    c = world.cast
    tto, ent, officer = client_as(c.p.tto), client_as(c.ent_a_user), client_as(c.officer)
    huge = "9" * 40
    for client, path in (
        (tto, f"/menus/{huge}/"),
        (tto, f"/menus/{huge}/export.xlsx"),
        (tto, f"/menus/{huge}/funnel/"),
        (ent, f"/menus/inbox/{huge}/"),
        (tto, "/menus/funnel/?group=<script>alert(1)</script>"),
        (tto, "/menus/funnel/?group=" + "x" * 10_000),
        (tto, f"/api/menus/{huge}"),
        (tto, "/api/menus/abc"),
        (tto, "/api/menus/-1/funnel"),
        (tto, "/api/menus?page=-5&page_size=99999999"),
        (officer, f"/api/menus/{huge}/funnel"),
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), (path[:60], response.status_code)
    for client, path in (
        (ent, f"/menus/deliveries/{huge}/respond/"),
        (ent, f"/menus/deliveries/{huge}/trial/"),
    ):
        assert client.post(path).status_code == 404


def test_hostile_selection_push_and_answers_are_refused_in_chinese(world: MenuWorld) -> None:
    from django.contrib.messages import get_messages

    c = world.cast
    chain_patents(c.p.university, 3)
    fresh = _new_menu(c, c.p.tto, c.p.university, "新菜单")
    compose.compose(c.p.tto, fresh, on=ON)
    release.publish(c.p.tto, fresh, on=ON)
    before = snapshot()
    cases = [
        (c.officer, reverse("menus:select", args=[fresh.pk]), {"items": ["abc", "-1", "9" * 40, "1e3"]}),
        (
            c.officer,
            reverse("menus:select", args=[fresh.pk]),
            {"items": [fresh.items.first().pk], "note": "x" * 10_000},
        ),
        (c.p.tto, reverse("menus:push", args=[fresh.pk]), {"enterprises": ["abc"]}),
        (c.ent_a_user, reverse("menus:respond", args=[world.delivery.pk]), {"verdict": "<script>"}),
        (
            c.ent_a_user,
            reverse("menus:respond", args=[world.delivery.pk]),
            {"verdict": "not_relevant", "reason": "bogus"},
        ),
        (
            c.ent_a_user,
            reverse("menus:respond", args=[world.delivery.pk]),
            {"verdict": "not_relevant", "reason": "other", "note": "x" * 10_000},
        ),
        (c.p.tto, reverse("menus:act", args=[world.draft.pk, "add"]), {"patent": "x" * 10_000}),
        (c.p.tto, reverse("menus:act", args=[world.draft.pk, "remove"]), {"item": "abc"}),
    ]
    for user, url, data in cases:
        response = client_as(user).post(url, data)
        flashed = [str(m) for m in get_messages(response.wsgi_request)]
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert flashed and all(CJK.search(m) for m in flashed), (url, data, flashed)
    assert snapshot() == before


def test_the_new_menu_form_refuses_hostile_input_with_chinese_errors(world: MenuWorld) -> None:
    c = world.cast
    glc = IndustryChain.objects.get(code="GLC")
    before = snapshot()
    for data in (
        {
            "title": "x" * 10_000,
            "publisher_org": c.p.university.pk,
            "target_region": COUNTY,
            "chains": [glc.pk],
        },
        {"title": "t", "publisher_org": c.p.university.pk, "target_region": "99999999", "chains": [glc.pk]},
        {"title": "t", "publisher_org": c.p.university.pk, "target_region": "<script>", "chains": [glc.pk]},
        {"title": "t", "publisher_org": "abc", "target_region": COUNTY, "chains": ["abc"]},
    ):
        response = client_as(c.p.tto).post(reverse("menus:new"), {**data, "source": "own_library"})
        assert response.status_code == 200 and CJK.search(response.content.decode())
        assert response.context["form"].errors
    assert snapshot() == before


def test_api_menu_bodies_with_bad_values_are_refused_in_chinese(world: MenuWorld) -> None:
    tto = client_as(world.cast.p.tto)
    before = snapshot()
    for body in (
        {"title": "t", "target_region": "abc", "chains": ["GLC"]},
        {"title": "t", "target_region": COUNTY, "chains": ["NOPE"]},
        {"title": "t", "target_region": COUNTY, "chains": ["GLC"], "publisher_org": 10**30},
        {"title": "t", "target_region": COUNTY, "chains": ["GLC"], "source": "bogus"},
        {"title": "", "target_region": COUNTY, "chains": ["GLC"]},
    ):
        response = tto.post("/api/menus", body, content_type="application/json")
        assert 400 <= response.status_code < 500 and _cjk(response), (body, response.content[:200])
    assert snapshot() == before


def test_api_menu_bodies_of_the_wrong_shape_are_refused_in_chinese(world: MenuWorld) -> None:
    """SECURITY/UX: ``MenuIn`` is typed (``title: str`` max 200, ``chains: list[str]``), so ninja
    refuses before the view with English pydantic messages ("String should have at most 200
    characters", "Input should be a valid list"); a non-JSON body gets "Cannot parse request body"."""
    tto = client_as(world.cast.p.tto)
    before = snapshot()
    for raw in (
        {"title": "x" * 10_000, "target_region": COUNTY, "chains": ["GLC"]},
        {"title": "t", "target_region": COUNTY, "chains": 5},
        {"title": ["t"], "target_region": COUNTY, "chains": ["GLC"]},
        {"title": "t", "target_region": COUNTY, "chains": ["GLC"], "publisher_org": "abc"},
        "not json",
    ):
        response = tto.post("/api/menus", raw, content_type="application/json")
        assert 400 <= response.status_code < 500 and _cjk(response), (str(raw)[:40], response.content[:200])
    for path in ("/api/menus?page=abc", "/api/menus?page_size=NaN"):
        response = tto.get(path)
        assert 400 <= response.status_code < 500 and _cjk(response), (path, response.content[:200])
    assert snapshot() == before


# --- exports ---------------------------------------------------------------------------------------


def _cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_menu_exports_are_scoped_to_who_may_see_the_menu(world: MenuWorld) -> None:
    c = world.cast
    for name in ("menus:export_xlsx", "menus:export_pdf"):
        url = reverse(name, args=[world.menu.pk])
        for user in (c.p.tto, c.officer, c.city_officer, c.p.operator):
            assert client_as(user).get(url).status_code == 200, (name, user)
        for user in (c.other_officer, c.p.other_tto):
            assert client_as(user).get(url).status_code == 404, (name, user)
        draft = reverse(name, args=[world.draft.pk])
        assert client_as(c.officer).get(draft).status_code == 404  # not released yet


def test_menu_workbook_cells_never_carry_a_formula(world: MenuWorld) -> None:
    from patentbridge.accounts.models import Organization
    from patentbridge.core.spreadsheet import FORMULA_PREFIXES

    c = world.cast
    payloads = ('=HYPERLINK("http://evil.example","点我")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1)")
    mm.PatentMenu.objects.filter(pk=world.menu.pk).update(title=payloads[0], description=payloads[1])
    Patent.objects.filter(pk__in=[i.patent_id for i in world.items]).update(title=payloads[2])
    Organization.objects.filter(pk=c.p.university.pk).update(name=payloads[3])
    Organization.objects.filter(pk=c.p.other_university.pk).update(name=payloads[3] + "+1")
    mm.SupplementRequest.objects.filter(menu=world.menu).update(note=payloads[0], chain_name=payloads[1])
    response = client_as(c.p.tto).get(reverse("menus:export_xlsx", args=[world.menu.pk]))
    assert response.status_code == 200
    cells = _cells(response.content)
    assert any(isinstance(x.value, str) and x.value == "'" + payloads[2] for x in cells)
    for cell in cells:
        assert cell.data_type != "f", cell.coordinate
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_PREFIXES), (cell.coordinate, cell.value)
    assert client_as(c.p.tto).get(reverse("menus:export_pdf", args=[world.menu.pk])).status_code == 200


# --- audit -------------------------------------------------------------------------------------------


def _audited(action: str, actor: Any, target: Any = None) -> bool:
    events = AuditEvent.objects.filter(action=action, actor=actor)
    if target is not None:
        events = events.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
    return events.exists()


def test_the_world_left_an_audit_trail_with_every_actor(world: MenuWorld) -> None:
    c = world.cast
    assert _audited("menus.menu.created", c.p.tto, world.menu)
    assert _audited("menus.menu.composed", c.p.tto, world.menu)
    assert _audited("menus.supplement.drawn", c.p.tto)
    assert _audited("menus.menu.published", c.p.tto, world.menu)
    assert _audited("menus.selection.saved", c.officer, world.menu)
    assert _audited("menus.menu.pushed", c.p.tto)
    assert _audited("menus.menu.published", c.p.other_tto, world.other_menu)


def test_an_admins_menu_changes_are_audited_with_the_admin_as_actor(world: MenuWorld) -> None:
    c, admin = world.cast, world.cast.p.admin
    chain_patents(c.p.university, 3)
    menu = _new_menu(c, admin, c.p.university, "运营中心代编菜单")
    assert _audited("menus.menu.created", admin, menu)
    client = client_as(admin)
    client.post(reverse("menus:act", args=[menu.pk, "compose"]))
    assert _audited("menus.menu.composed", admin, menu)
    item = menu.items.filter(state="included").order_by("pk").first()
    client.post(reverse("menus:act", args=[menu.pk, "remove"]), {"item": item.pk, "note": "不适合本县"})
    item.refresh_from_db()
    assert item.state != "included" and _audited("menus.item.removed", admin)
    client.post(reverse("menus:act", args=[menu.pk, "publish"]))
    menu.refresh_from_db()
    assert menu.state == "published" and _audited("menus.menu.published", admin, menu)
    client.post(reverse("menus:act", args=[world.menu.pk, "close"]))
    world.menu.refresh_from_db()
    assert world.menu.state == "closed" and _audited("menus.menu.closed", admin, world.menu)
    api = client.post(
        "/api/menus",
        {"title": "API 菜单", "target_region": COUNTY, "chains": ["GLC"], "publisher_org": c.p.university.pk},
        content_type="application/json",
    )
    assert api.status_code == 201
    assert _audited("menus.menu.created", admin, mm.PatentMenu.objects.get(pk=api.json()["id"]))


def test_an_enterprises_answers_and_views_are_audited(world: MenuWorld) -> None:
    c = world.cast
    ent = client_as(c.ent_a_user)
    assert ent.get(reverse("menus:inbox_menu", args=[world.menu.pk])).status_code == 200
    assert _audited("menus.delivery.viewed", c.ent_a_user, world.menu)
    response = ent.post(reverse("menus:respond", args=[world.delivery.pk]), {"verdict": "interested"})
    assert response.status_code == 302
    world.delivery.refresh_from_db()
    assert world.delivery.response == "interested"
    assert _audited("menus.delivery.answered", c.ent_a_user)
    inbox.mark_viewed(c.ent_a_user, world.menu, on=ON)  # nothing new: no second event
    assert AuditEvent.objects.filter(action="menus.delivery.viewed", actor=c.ent_a_user).count() == 1


def test_a_patent_page_does_not_show_another_publishers_draft_menu(world: MenuWorld) -> None:
    """SECURITY (low): the menus panel of the patent page lists every menu item of the patent,
    drafts included, to the patent's owner TTO: the second university, whose patents the 资源库
    drew into the university's menus, reads the title, target region and state of the
    university's unpublished draft menu. Released menus it was drawn into may be shown."""
    supplement = (
        mm.MenuItem.objects.filter(menu=world.draft, is_supplement=True).select_related("patent").first()
    )
    assert supplement is not None and supplement.patent.owner_org_id == world.cast.p.other_university.pk
    response = client_as(world.cast.p.other_tto).get(f"/patents/{supplement.patent.application_number}/")
    assert response.status_code == 200 and DRAFT_TITLE not in response.content.decode()
    own = client_as(world.cast.p.tto).get(f"/patents/{world.items[0].patent.application_number}/").content
    assert SECRET_TITLE in own.decode()  # control: the publisher sees its own menus there

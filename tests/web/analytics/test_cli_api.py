"""``patentbridge stats`` and ``GET /api/stats``: every indicator with id and value, official
figures apart, Chinese errors (exit code 2 / HTTP 422), the caller's scope."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from patentbridge_engine.analytics import CATALOGUE, OFFICIAL_SECTION_LABEL
from web.analytics.world import World
from web.factories import make_token
from web.matrix import anonymous, client_for

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("stats", *args, stdout=out)
    return out.getvalue()


def test_json_has_one_object_per_indicator_then_the_official_figures(world: World):
    data = json.loads(run("--json", "--as-of", "2024-06-30"))
    platform = [d for d in data if d["kind"] == "platform"]
    official = [d for d in data if d["kind"] == "official"]
    assert [d["id"] for d in platform] == [d.id for d in CATALOGUE]
    assert len(platform) + len(official) == len(data)
    by_id = {d["id"]: d for d in platform}
    assert by_id["LIC-LICENCES"]["value"] == 3
    assert by_id["MON-RECEIVED"]["value"] == 12000.0
    assert by_id["LIC-CONVERSION"]["unit"] == "%" and by_id["LIC-CONVERSION"]["value"] == 50.0
    assert by_id["LIB-GRADED"]["scope"]["as_of"] == "2024-06-30"
    # Official figures come after every platform indicator and none refers to a later day.
    assert data.index(official[0]) == len(platform)
    assert all(f["date"] <= "2024-06-30" for f in official)
    assert all(f["source"] and f["tag_label"] for f in official)


def test_region_option_scopes_the_numbers(world: World):
    data = {d["id"]: d for d in json.loads(run("--json", "--as-of", "2024-06-30", "--region", "371500"))}
    assert data["LIC-LICENCES"]["value"] == 2
    assert data["LIC-LICENCES"]["scope"]["region"] == "3715"


def test_text_output_lists_ids_names_values_and_a_separate_official_section(world: World):
    text = run("--as-of", "2024-06-30")
    platform, _, official = text.partition(OFFICIAL_SECTION_LABEL)
    assert "LIC-LICENCES" in platform and "许可合同签订数（按许可类型）：3 份" in platform
    assert "¥12,000.00" in platform
    assert "OF-I5-2023" in official and "OF-I5-2023" not in platform
    assert "LIC-LICENCES" not in official


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "2024-02-30"), "日期格式"),
        (("--as-of", "1900-01-01"), "不能早于"),
        (("--as-of", "2999-01-01"), "不能晚于今天"),
        (("--region", "99"), "地区代码无效"),
        (("--region", "abc"), "地区代码无效"),
    ],
)
def test_bad_arguments_fail_with_chinese_errors_and_exit_code_2(db, args, message):
    with pytest.raises(CommandError, match=message) as caught:
        run(*args)
    assert caught.value.returncode == 2


def test_api_answers_the_callers_scope(world: World):
    response = client_for(world.users["officer_lc"]).get("/api/stats?as_of=2024-06-30")
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == "3715" and body["region_name"] == "聊城市"
    values = {d["id"]: d["value"] for d in body["platform"]["indicators"]}
    assert values["LIC-LICENCES"] == 2
    assert body["official"]["label"] == OFFICIAL_SECTION_LABEL
    tto = client_for(world.users["tto_a"]).get("/api/stats?as_of=2024-06-30").json()
    assert {d["id"]: d["value"] for d in tto["platform"]["indicators"]}["LIB-APPROVED"] == 2


def test_api_platform_and_official_lists_never_mix(world: World):
    body = client_for(world.users["operator"]).get("/api/stats?as_of=2024-06-30").json()
    assert set(body) >= {"platform", "official"}
    assert {d["kind"] for d in body["platform"]["indicators"]} == {"platform"}
    assert {f["kind"] for f in body["official"]["figures"]} == {"official"}
    assert not {d["id"] for d in body["platform"]["indicators"]} & {
        f["id"] for f in body["official"]["figures"]
    }


def test_api_refuses_other_regions_bad_values_and_anonymous_callers(world: World):
    officer = client_for(world.users["officer_lc"])
    outside = officer.get("/api/stats?region=3702")
    assert outside.status_code == 403 and "本辖区" in outside.json()["detail"]
    bad = officer.get("/api/stats?as_of=2024-99-99")
    assert bad.status_code == 422 and "日期格式" in bad.json()["detail"][0]
    assert officer.get("/api/stats?region=" + "9" * 500).status_code == 422
    assert anonymous().get("/api/stats").status_code == 401
    nowhere = client_for(world.users["officer_none"]).get("/api/stats")
    assert nowhere.status_code == 403


def test_api_works_with_a_bearer_token(world: World):
    _, key = make_token(world.users["operator"])
    response = anonymous().get("/api/stats?as_of=2024-06-30", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert {d["id"]: d["value"] for d in response.json()["platform"]["indicators"]}["LIB-APPROVED"] == 4

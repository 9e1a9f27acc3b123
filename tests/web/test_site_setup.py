"""Site setup: ``patentbridge init`` idempotence and data-directory permissions, demo account
passwords (kept across reruns, replaced only with --reset-passwords) and demo need routing."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from patentbridge.accounts.models import Membership, Organization
from patentbridge.core.datadir import restrict_data_dir
from patentbridge.patents.models import IndustryChain
from patentbridge.site.demo_needs import enterprise_for
from patentbridge.site.demo_orgs import (
    CENTRE,
    DEMO_ORGS,
    DEMO_USERS,
    create_demo_accounts,
    credentials_path,
)
from patentbridge.site.management.commands.init import SYSTEM_ORG
from patentbridge_engine.classify import load_chain_config

pytestmark = pytest.mark.django_db


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _init(*args: str) -> str:
    out = io.StringIO()
    call_command("init", *args, stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# init
# ---------------------------------------------------------------------------------------------


def test_init_twice_creates_the_system_account_and_chains_once(settings):
    """Rerunning ``init`` neither duplicates the system organisation, account or membership nor
    re-creates the chain configuration."""
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    _init()
    _init()
    assert Organization.objects.filter(name=SYSTEM_ORG).count() == 1
    system = get_user_model().objects.get(username="system")
    assert Membership.objects.filter(user=system).count() == 1
    assert system.membership.role == "admin"
    assert IndustryChain.objects.count() == len(load_chain_config()["chains"])


def test_init_keeps_a_chain_configuration_that_was_edited(settings):
    """Chains are seeded only into an empty table: an operator's edits survive a rerun."""
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    _init()
    first = IndustryChain.objects.order_by("position").first()
    first.name = "运营人员改过的名称"
    first.save()
    IndustryChain.objects.exclude(pk=first.pk).delete()
    _init()
    assert list(IndustryChain.objects.values_list("name", flat=True)) == ["运营人员改过的名称"]


def test_the_system_account_cannot_log_in(settings):
    """The system account is created without a usable password, and a rerun does not give it one."""
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    _init()
    _init()
    system = get_user_model().objects.get(username="system")
    assert not system.has_usable_password()


def test_init_keeps_an_existing_system_membership(settings, orgs):
    """If ``system`` already belongs somewhere, init does not move it to the system organisation."""
    from .conftest import make_user

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    make_user("system", orgs["centre"], "admin")
    _init()
    assert get_user_model().objects.get(username="system").membership.org == orgs["centre"]


def test_init_makes_existing_files_and_directories_owner_only(settings, tmp_path):
    """Files and directories left with group/world bits are 0600 / 0700 after ``init``."""
    data = Path(settings.DATA_DIR)
    (data / "nested" / "deeper").mkdir(parents=True)
    loose = data / "nested" / "deeper" / "report.csv"
    loose.write_text("申请号\n")
    loose.chmod(0o666)
    (data / "nested").chmod(0o777)
    _init()
    assert _mode(loose) == 0o600
    assert _mode(data) == _mode(data / "nested") == _mode(data / "nested" / "deeper") == 0o700


def test_restricting_the_data_dir_never_follows_symlinks(tmp_path):
    """A symbolic link inside the data directory must not make us chmod a file elsewhere."""
    data = tmp_path / "data"
    data.mkdir()
    outside = tmp_path / "shared.txt"
    outside.write_text("不属于数据目录")
    outside.chmod(0o644)
    (data / "link.txt").symlink_to(outside)
    restrict_data_dir(data)
    assert _mode(outside) == 0o644


def test_restricting_twice_changes_nothing_the_second_time(tmp_path):
    """The count of changed entries is honest: a second pass has nothing left to fix."""
    data = tmp_path / "data"
    (data / "a").mkdir(parents=True)
    (data / "a" / "f").write_text("x")
    os.chmod(data / "a" / "f", 0o640)
    os.chmod(data / "a", 0o750)
    first = restrict_data_dir(data)
    assert first >= 2
    assert restrict_data_dir(data) == 0
    assert restrict_data_dir(tmp_path / "missing") == 0


# ---------------------------------------------------------------------------------------------
# demo accounts
# ---------------------------------------------------------------------------------------------


def _passwords(credentials):
    return {username: password for username, password, _ in credentials}


def test_demo_passwords_persist_across_reruns(settings):
    """A rerun keeps every password: people who wrote them down can still log in."""
    first = _passwords(create_demo_accounts())
    second = _passwords(create_demo_accounts())
    assert first == second
    users = get_user_model().objects.in_bulk(list(first), field_name="username")
    assert all(users[name].check_password(password) for name, password in second.items())


def test_reset_passwords_replaces_every_password(settings):
    """``reset_passwords`` gives every account a new password and the old ones stop working."""
    before = _passwords(create_demo_accounts())
    after = _passwords(create_demo_accounts(reset_passwords=True))
    assert set(after) == set(before)
    assert all(after[name] != before[name] for name in before)
    for name, old in before.items():
        user = get_user_model().objects.get(username=name)
        assert not user.check_password(old) and user.check_password(after[name])


def test_the_credentials_file_is_owner_only_and_lists_what_was_returned(settings):
    """The file holds exactly the returned (username, password, role) lines, readable by the owner only."""
    credentials = create_demo_accounts()
    path = credentials_path()
    assert _mode(path) == 0o600
    lines = [line.strip().split(" / ", 2) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [tuple(parts) for parts in lines] == [tuple(c) for c in credentials]


def test_an_account_missing_from_the_file_gets_a_new_password_and_others_keep_theirs(settings):
    """With a line removed from the credentials file, only that account changes password."""
    first = _passwords(create_demo_accounts())
    path = credentials_path()
    kept = [
        line for line in path.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("tto ")
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    second = _passwords(create_demo_accounts())
    assert second["tto"] != first["tto"]
    assert {k: v for k, v in second.items() if k != "tto"} == {k: v for k, v in first.items() if k != "tto"}
    assert get_user_model().objects.get(username="tto").check_password(second["tto"])


def test_a_password_changed_in_the_database_is_set_back_to_the_listed_one(settings):
    """The file is the demo's source of truth: an account whose password no longer matches its line
    gets the listed password back, so the printed credentials always work."""
    first = _passwords(create_demo_accounts())
    user = get_user_model().objects.get(username="operator")
    user.set_password("someone-changed-it-123")
    user.save()
    again = _passwords(create_demo_accounts())
    assert again["operator"] == first["operator"]
    user.refresh_from_db()
    assert user.check_password(first["operator"])


def test_demo_roles_decide_staff_and_superuser_flags(settings):
    """Only the centre's admin is a superuser; admin and operator are staff; nobody else is."""
    create_demo_accounts()
    users = get_user_model().objects.in_bulk([d.username for d in DEMO_USERS], field_name="username")
    for demo in DEMO_USERS:
        user = users[demo.username]
        assert user.is_superuser == (demo.role == "admin"), demo.username
        assert user.is_staff == (demo.role in ("admin", "operator")), demo.username


def test_demo_memberships_and_organisations_match_the_declarations(settings):
    """Each demo user belongs to its declared organisation with its role and college; each
    organisation has its declared kind and region; a rerun repairs drifted values."""
    create_demo_accounts()
    centre = Organization.objects.get(name=CENTRE)
    centre.kind, centre.region_code = "enterprise", "000000"
    centre.save()
    create_demo_accounts()
    for name, (kind, province, city, code) in DEMO_ORGS.items():
        org = Organization.objects.get(name=name)
        assert (org.kind, org.province, org.city, org.region_code) == (kind, province, city, code)
    for demo in DEMO_USERS:
        membership = Membership.objects.get(user__username=demo.username)
        assert (membership.org.name, membership.role, membership.college) == (
            demo.org,
            demo.role,
            demo.college,
        )


def test_demo_enterprises_and_bodies_are_marked_as_demo():
    """Every non-university demo organisation carries "（演示）" so it cannot pass for a real company."""
    for name, (kind, *_rest) in DEMO_ORGS.items():
        if kind != "university":
            assert name.endswith("（演示）"), name


# ---------------------------------------------------------------------------------------------
# demo need routing
# ---------------------------------------------------------------------------------------------

_DEFAULT = "青岛示范制造有限公司（演示）"


def test_a_field_word_in_the_title_routes_the_need_to_that_enterprise():
    """A title naming a field goes to that field's enterprise."""
    assert enterprise_for("煤矿巷道支护技术", "") == "济宁示范矿山装备有限公司（演示）"
    assert enterprise_for("新型疫苗佐剂研究", "") == "烟台示范生物医药有限公司（演示）"
    assert enterprise_for("小麦抗旱品种选育", "") == "潍坊示范农业食品有限公司（演示）"


def test_the_title_decides_before_the_description():
    """When title and description point to different fields, the title wins, even if the
    description's field is checked earlier."""
    assert enterprise_for("变压器局部放电检测", "用于煤矿井下供电") == "泰安示范输变电设备有限公司（演示）"


def test_the_description_decides_when_the_title_names_no_field():
    """A neutral title falls back to the description's field words."""
    assert (
        enterprise_for("一项技术难题", "需要提高陶瓷材料的烧结致密度") == "淄博示范化工材料有限公司（演示）"
    )


def test_more_specific_industries_are_checked_first():
    """A title with both a mining word and a generic IT word goes to mining (listed first)."""
    assert enterprise_for("煤矿智能监测系统", "") == "济宁示范矿山装备有限公司（演示）"
    assert enterprise_for("智能监测系统", "") == "济南示范信息技术有限公司（演示）"


def test_needs_without_field_words_go_to_the_default_manufacturer():
    """No field word anywhere: the Qingdao manufacturer posts it."""
    assert enterprise_for("", "") == _DEFAULT
    assert enterprise_for("一种新型结构", "提高可靠性") == _DEFAULT


def test_every_routing_target_is_a_declared_demo_enterprise():
    """Routing never names an organisation the demo does not create (load_needs looks names up)."""
    from patentbridge.site import demo_needs

    targets = {name for name, _ in demo_needs._FIELDS} | {_DEFAULT}
    for name in targets:
        assert name in DEMO_ORGS and DEMO_ORGS[name][0] == "enterprise", name

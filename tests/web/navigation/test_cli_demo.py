"""``patentbridge navigate`` on the loaded demo (the heat-pump records and the 泰安 subset, loaded
by the real demo loader on a frozen day and rolled back after the module)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from patentbridge.patents.models import IndustryChain, Patent
from patentbridge.site import demo as demo_module
from patentbridge_engine.classify import load_chain_config
from web.licensing.test_statements import pdf_text

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DEMO_FILES = ("hthp_patents.json.gz", "taian_subset.xlsx")


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    data = tmp_path_factory.mktemp("nav-demo")
    local = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DATA_DIR=data,
        MEDIA_ROOT=data / "media",
    )
    plan = tuple(row for row in demo_module.DEMO_PLAN if row[1] in DEMO_FILES)
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=True), local, transaction.atomic():
        # ``patentbridge init`` seeds the chain configuration before loading the demo.
        for position, chain in enumerate(load_chain_config()["chains"]):
            IndustryChain.objects.create(
                code=chain["code"],
                name=chain["name"],
                ipc_patterns=chain["ipc"],
                keywords=chain["keywords"],
                position=position,
            )
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(demo_module, "DEMO_PLAN", plan)
            demo_module.load_demo(io.StringIO())
        yield
        transaction.set_rollback(True)


def navigate(tmp_path: Path, *args: str, fmt: str = "json") -> Path:
    out = tmp_path / f"report.{fmt}"
    call_command("navigate", *args, "--format", fmt, "--output", str(out), stdout=io.StringIO())
    return out


def test_whole_library_json(demo: None, tmp_path: Path) -> None:
    data = json.loads(navigate(tmp_path, "--kind", "region", "--scope", "all").read_text())
    library = Patent.objects.filter(library_status="in_library").count()
    assert data["key_numbers"]["patents"] == library > 100
    years = sum(r[1] for r in data["sections"]["trend"]["rows"]) + data["sections"]["trend"]["undated"]
    assert years == library
    assert data["sections"]["positioning"]["whole_library"] is True
    assert len(data["snapshot_sha256"]) == 64
    # the same library gives the same snapshot
    again = json.loads(navigate(tmp_path, "--kind", "region", "--scope", "all").read_text())
    assert again["snapshot_sha256"] == data["snapshot_sha256"]


def test_region_pdf_contains_the_text(demo: None, tmp_path: Path) -> None:
    pdf = navigate(tmp_path, "--kind", "region", "--scope", "3709", fmt="pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "专利导航报告" in text and "泰安市" in text and "结论与对策" in text


def test_region_json_is_the_taian_records(demo: None, tmp_path: Path) -> None:
    data = json.loads(navigate(tmp_path, "--kind", "region", "--scope", "3709").read_text())
    expected = Patent.objects.filter(
        library_status="in_library", province__startswith="山东", city__startswith="泰安"
    )
    assert data["key_numbers"]["patents"] == expected.count() > 0
    assert data["findings"] and all(f["action"] for f in data["findings"])


def test_chain_xlsx_and_applicant(demo: None, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(navigate(tmp_path, "--kind", "chain", "--scope", "all", fmt="xlsx"))
    assert book.sheetnames[:3] == ["概况", "关键数字", "结论与对策"]
    first = Patent.objects.filter(library_status="in_library").exclude(applicants=[]).first()
    assert first is not None
    data = json.loads(navigate(tmp_path, "--kind", "applicant", "--scope", first.applicants[0]).read_text())
    assert data["key_numbers"]["patents"] >= 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "galaxy", "--scope", "all"], "导航类型无效"),
        (["--kind", "region", "--scope", "99"], "地区代码无效"),
        (["--kind", "chain", "--scope", "NOPE"], "未找到产业链"),
        (["--kind", "region", "--scope", "all", "--as-of", "2026-13-01"], "日期"),
        (["--kind", "region", "--scope", "all", "--format", "doc"], "输出格式无效"),
    ],
)
def test_bad_arguments_are_chinese_usage_errors(
    demo: None, tmp_path: Path, args: list[str], message: str
) -> None:
    extra = [] if "--format" in args else ["--format", "json"]
    with pytest.raises(CommandError, match=message) as info:
        call_command("navigate", *args, *extra, "--output", str(tmp_path / "x"), stdout=io.StringIO())
    assert info.value.returncode == 2


def test_demo_projects_are_published_labelled_and_idempotent(demo: None) -> None:
    from django.contrib.auth import get_user_model

    from patentbridge.navigation.demo import DEMO_PROJECTS, load_navigation_demo
    from patentbridge.navigation.models import NavigationProject, NavigationReport
    from patentbridge.navigation.services import verify

    projects = NavigationProject.objects.filter(is_demo=True)
    assert sorted(projects.values_list("title", flat=True)) == sorted(p["title"] for p in DEMO_PROJECTS)
    assert all("演示" in p.title for p in projects)
    reports = NavigationReport.objects.filter(project__in=projects)
    assert reports.count() == 2 and set(reports.values_list("state", flat=True)) == {"published"}
    region = reports.get(project__kind="region")
    taian = Patent.objects.filter(
        library_status="in_library", province__startswith="山东", city__startswith="泰安"
    )
    assert region.row_count == taian.count() > 0
    assert all(verify(r) for r in reports)
    operator = get_user_model().objects.get(username="operator")
    assert load_navigation_demo(operator, io.StringIO()) == 0
    assert NavigationReport.objects.filter(project__is_demo=True).count() == 2

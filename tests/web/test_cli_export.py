"""``patentbridge export`` and ``patentbridge --help``: filters, permissions, formats, clear usage errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from patentbridge.cli import COMMANDS, usage
from patentbridge.patents import services as patent_services

from .factories import import_rows, patent_row

pytestmark = pytest.mark.django_db


HEAT_PUMPS, OTHERS = 3, 4
LIBRARY = HEAT_PUMPS + OTHERS


@pytest.fixture
def library(users, chains, tmp_path):
    """An operator's import (straight into the library): three heat-pump patents (F25B) and four others."""
    rows = [patent_row(title=f"一种高温热泵{n}", ipc="F25B30/02;F24D3/18") for n in range(HEAT_PUMPS)]
    rows += [patent_row() for _ in range(OTHERS)]
    batch = import_rows(users["operator"], rows, tmp_path, name="library.csv")
    assert batch.imported == LIBRARY


def _jsonl(**options) -> list[dict]:
    out = io.StringIO()
    call_command("export", stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_jsonl_has_one_object_per_patent_with_origin_and_owner(users, library):
    """Each patent once, with its numbers, parties, owner, IPC list, legal status, grade and origin."""
    records = _jsonl(user="operator")
    numbers = [r["application_number"] for r in records]
    assert len(numbers) == len(set(numbers)) == LIBRARY
    first = records[0]
    assert set(first) >= {
        "application_number",
        "title",
        "applicants",
        "owner_org",
        "ipc",
        "legal_status",
        "grade",
        "origin",
    }
    assert first["origin"]["kind"] == "import" and first["origin"]["row"] >= 1
    assert first["origin"]["file"] == "library.csv"


def test_filters_are_the_library_lists(users, library):
    """--ipc is the list's IPC prefix filter; --status the library status; --owner the owning organisation."""
    heat = _jsonl(user="operator", ipc="F25B")
    assert len(heat) == HEAT_PUMPS and all(any(c.startswith("F25B") for c in r["ipc"]) for r in heat)
    assert len(_jsonl(user="operator", status="in_library")) == LIBRARY
    assert _jsonl(user="operator", status="rejected") == []
    assert _jsonl(user="operator", owner="不存在的机构") == []


def test_export_only_lists_what_the_user_may_see(users, library):
    """An enterprise user never exports another organisation's unapproved patent."""
    patent_services.create_patent(
        actor=users["inventor"],
        data={
            "application_number": "202310123456.6",
            "title": "未入库的热泵",
            "abstract": "热泵",
            "ipc": "F25B30/02",
        },
    )
    operator_numbers = {r["application_number"] for r in _jsonl(user="operator")}
    enterprise_numbers = {r["application_number"] for r in _jsonl(user="enterprise")}
    assert "202310123456.6" in operator_numbers
    assert "202310123456.6" not in enterprise_numbers


def test_bad_values_say_the_value_is_invalid(users, library):
    """A wrong --status is reported as an invalid value with the allowed ones, not as no permission."""
    with pytest.raises(CommandError, match=r"无效的取值 'approved'.*in_library"):
        call_command("export", user="operator", status="approved")
    with pytest.raises(CommandError, match="无效的申请年份"):
        call_command("export", user="operator", year="二〇二〇")
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("export", user="nobody")


def test_xlsx_and_csv_outputs(users, library, tmp_path: Path):
    """XLSX goes to a file with one row per patent under Chinese headers; CSV likewise."""
    target = tmp_path / "out.xlsx"
    call_command("export", user="operator", format="xlsx", output=str(target), ipc="F25B")
    sheet = load_workbook(target, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申请号" and len(rows) - 1 == len(_jsonl(user="operator", ipc="F25B"))
    csv_target = tmp_path / "out.csv"
    call_command("export", user="operator", format="csv", output=str(csv_target))
    assert csv_target.read_bytes().decode("utf-8-sig").splitlines()[0].startswith("申请号")
    with pytest.raises(CommandError, match="--output"):
        call_command("export", user="operator", format="xlsx")


def test_help_lists_every_command_in_chinese():
    """`patentbridge --help` names every product command with a one-line Chinese description."""
    text = usage()
    for name, description in COMMANDS:
        assert f"  {name}" in text and description in text
    assert {"serve", "init", "import", "export", "grade", "public-list", "reindex"} <= {
        n for n, _ in COMMANDS
    }

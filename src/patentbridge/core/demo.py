"""Demo organisations, one user per role, and the bundled real records (``patentbridge init --demo``)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Membership, Organization
from patentbridge.ingest.services import create_batch, run_batch

__all__ = ["DEMO_DIR", "DEMO_USERS", "load_demo"]

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo_data"
CENTRE = "山东省知识产权运营中心（演示）"
# (username, organisation, org kind, role, college)
DEMO_USERS = (
    ("admin", CENTRE, OrgKindChoices.OPERATION_CENTRE, RoleChoices.ADMIN, ""),
    ("operator", CENTRE, OrgKindChoices.OPERATION_CENTRE, RoleChoices.OPERATOR, ""),
    ("tto", "西安交通大学", OrgKindChoices.UNIVERSITY, RoleChoices.TTO, ""),
    ("college", "西安交通大学", OrgKindChoices.UNIVERSITY, RoleChoices.TTO, "能源与动力工程学院"),
    ("inventor", "西安交通大学", OrgKindChoices.UNIVERSITY, RoleChoices.INVENTOR, "能源与动力工程学院"),
    ("enterprise", "青岛示范制造有限公司（演示）", OrgKindChoices.ENTERPRISE, RoleChoices.ENTERPRISE, ""),
    ("viewer", "山东省市场监督管理局（演示）", OrgKindChoices.GOVERNMENT, RoleChoices.VIEWER, ""),
)
# Real applicant organisations in the bundled data that get an organisation record, so their
# patents are attributed to them on import.
_APPLICANT_ORGS = ("中国科学院理化技术研究所", "中国科学技术大学", "天津商业大学", "中科大数据研究院")


def _user(username: str, org: Organization, role: str, college: str) -> tuple[Any, str]:
    password = secrets.token_urlsafe(9)
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_staff = role in (RoleChoices.ADMIN, RoleChoices.OPERATOR)
    user.is_superuser = role == RoleChoices.ADMIN
    user.save()
    Membership.objects.update_or_create(user=user, defaults={"org": org, "role": role, "college": college})
    return user, password


def _load_needs(operator: Any, stdout: Any) -> None:
    """The 176 real needs of the BDCI-2019 set, posted under the demo enterprise (once)."""
    import csv
    import gzip
    import io

    from patentbridge.demands.models import TechNeed
    from patentbridge.demands.services import create_need

    source = "CCF BDCI 2019 公开技术需求数据"
    if TechNeed.objects.filter(source=source).exists():
        return
    company = Organization.objects.get(name="青岛示范制造有限公司（演示）")
    text = gzip.decompress((DEMO_DIR / "bdci2019_tech_needs.csv.gz").read_bytes()).decode("utf-8")
    count = 0
    for row in csv.DictReader(io.StringIO(text)):
        description = (row.get("content") or "").strip() or row["title"]
        create_need(
            actor=operator,
            data={"title": row["title"], "description": description},
            org=company,
            source=source,
        )
        count += 1
    stdout.write(f"  技术需求：{count} 条\n")


def load_demo(stdout: Any) -> list[tuple[str, str, str]]:
    """Create demo organisations and users, import the bundled records; returns credentials."""
    credentials = []
    users: dict[str, Any] = {}
    with transaction.atomic():
        for username, org_name, kind, role, college in DEMO_USERS:
            org, _ = Organization.objects.get_or_create(
                name=org_name, defaults={"kind": kind, "province": "山东"}
            )
            user, password = _user(username, org, role, college)
            users[username] = user
            credentials.append(
                (
                    username,
                    password,
                    f"{org_name} · {RoleChoices(role).label}" + (f" · {college}" if college else ""),
                )
            )
        for name in _APPLICANT_ORGS:
            Organization.objects.get_or_create(name=name, defaults={"kind": OrgKindChoices.UNIVERSITY})
    operator, tto = users["operator"], users["tto"]
    plan = (
        (operator, "hthp_patents.json.gz", "json", None),
        (operator, "schema_sample_10.csv.gz", "csv", None),
        (operator, "cnipa_fulltext", "xml", None),
        (tto, "cnipa_application", "xml", "pending_college"),
    )
    import gzip
    import tempfile

    for actor, name, fmt, status in plan:
        source = DEMO_DIR / name
        with tempfile.TemporaryDirectory() as tmp:
            if name.endswith(".gz"):
                plain = Path(tmp) / name.removesuffix(".gz")
                plain.write_bytes(gzip.decompress(source.read_bytes()))
                source = plain
            batch = create_batch(
                actor=actor, source=source, original_name=source.name, fmt=fmt, initial_status=status
            )
            batch = run_batch(batch.pk)
        stdout.write(
            f"  {batch.original_name}: 读取 {batch.rows_read}，新增 {batch.imported}，更新 {batch.updated}，"
            f"未变化 {batch.unchanged}，拒绝 {batch.rejected}\n"
        )
    _load_needs(users["operator"], stdout)
    from patentbridge.matching.teams import rebuild_teams
    from patentbridge.search.index import rebuild_index, rebuild_needs_index

    stdout.write(f"  检索索引：{rebuild_index()} 件专利，{rebuild_needs_index()} 条技术需求\n")
    stdout.write(f"  发明人团队：{rebuild_teams()} 个\n")
    from patentbridge.grading.public_list import recompute_public_list
    from patentbridge.grading.services import grade_numbers

    stdout.write(f"  价值分级：{grade_numbers()} 件；公开实施清单：{recompute_public_list()['active']} 件\n")
    path = Path(settings.DATA_DIR) / "demo_credentials.txt"
    path.write_text("".join(f"  {u} / {p} / {r}\n" for u, p, r in credentials), encoding="utf-8")
    path.chmod(0o600)
    return credentials

"""Demonstration navigation projects, built through the real services and labelled 演示: a region
navigation of 泰安市 (the 泰安 records) and an R&D navigation of heat pumps (IPC F25B, the
high-temperature heat-pump records), each generated and published with its automatic findings.
Idempotent: a project already there (same title, demo flag) is left as it is."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from patentbridge.navigation import services
from patentbridge.navigation.choices import ReportStateChoices
from patentbridge.navigation.models import NavigationProject

__all__ = ["DEMO_PROJECTS", "load_navigation_demo"]

DEMO_PROJECTS: tuple[dict[str, str], ...] = (
    {
        "title": "泰安市区域专利导航（演示）",
        "kind": "region",
        "scope": "3709",
        "need": "演示：摸清泰安市专利结构、优势与短板分支，找出可对接的高校，支撑招商引资与产学研合作。",
    },
    {
        "title": "热泵技术研发活动专利导航（演示）",
        "kind": "rnd",
        "scope": "F25B",
        "need": "演示：梳理热泵（IPC F25B）技术的申请趋势、重点专利与研发团队，为研发立项提供参考。",
    },
)


def load_navigation_demo(actor: Any, stdout: Any) -> int:
    """Create, generate and publish the demo projects that are missing; returns how many were made."""
    made = 0
    for spec in DEMO_PROJECTS:
        if NavigationProject.objects.filter(title=spec["title"], is_demo=True).exists():
            continue
        with transaction.atomic():
            project = services.create_project(actor, {**spec, "is_demo": True})
            report = services.request_report(actor, project)
        # Generated here rather than by the worker so the demo is complete when loading ends;
        # the queued task then finds the version finished and does nothing.
        report = services.run_report(report.pk)
        if report.state == ReportStateChoices.DRAFT and any(f.has_action for f in report.findings.all()):
            services.publish(actor, report)
        made += 1
        stdout.write(f"  专利导航：{project.title}，{report.row_count} 件专利\n")
    return made

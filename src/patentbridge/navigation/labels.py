"""Chinese names of the navigation audit actions (core.labels)."""

from __future__ import annotations

from patentbridge.core.labels import ACTION_LABELS

__all__ = ["NAVIGATION_ACTION_LABELS", "register"]

NAVIGATION_ACTION_LABELS = {
    "navigation.project.created": "新建导航项目",
    "navigation.report.requested": "申请生成导航报告",
    "navigation.report.generated": "生成导航报告",
    "navigation.report.failed": "导航报告生成失败",
    "navigation.finding.added": "添加导航结论与对策",
    "navigation.finding.deleted": "删除导航结论",
    "navigation.report.published": "发布导航报告",
}


def register() -> None:
    for code, label in NAVIGATION_ACTION_LABELS.items():
        ACTION_LABELS.setdefault(code, label)

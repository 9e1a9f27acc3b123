"""Models of 专利导航 (patent navigation reports, GB/T 39551 (guide §6)).

A project names the navigation type and scope; each generation freezes a snapshot of the library
into a new report version (compressed canonical JSON + its sha256) and stores the sections computed
from it, so a version is reproducible from its own snapshot and a refresh never edits an old one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.navigation.choices import ActionKindChoices, KindChoices, ReportStateChoices


class NavigationProject(models.Model):
    """A navigation project: type, scope value (chain code, region prefix, applicant name, IPC
    prefix), optional narrowing (years, IPC prefix, region), the need it answers and its owner."""

    title = models.CharField("项目名称", max_length=200)
    kind = models.CharField("导航类型", max_length=20, choices=KindChoices.choices)
    scope = models.CharField("导航范围", max_length=200)
    region = models.CharField("地区代码", max_length=6, blank=True, db_index=True)
    ipc_prefix = models.CharField("IPC 限定", max_length=16, blank=True)
    year_from = models.PositiveSmallIntegerField("起始申请年", null=True, blank=True)
    year_to = models.PositiveSmallIntegerField("截止申请年", null=True, blank=True)
    need = models.TextField("导航需求", blank=True)
    owner_org = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="navigation_projects",
        verbose_name="承担单位",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "专利导航项目"
        verbose_name_plural = "专利导航项目"

    def __str__(self) -> str:
        return self.title


class NavigationReport(models.Model):
    """One version of a project's report: the frozen snapshot, the computed sections and key
    numbers, the generation progress and the publication state."""

    project = models.ForeignKey(NavigationProject, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveIntegerField("版本")
    as_of = models.DateField("数据截止日")
    state = models.CharField(
        "状态", max_length=20, choices=ReportStateChoices.choices, default=ReportStateChoices.GENERATING
    )
    progress = models.PositiveSmallIntegerField("进度", default=0)
    progress_note = models.CharField("进度说明", max_length=100, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    snapshot = models.BinaryField("数据快照", null=True, blank=True)
    snapshot_sha256 = models.CharField("快照摘要", max_length=64, blank=True)
    row_count = models.PositiveIntegerField("快照专利数", default=0)
    sections = models.JSONField("报告内容", default=dict, blank=True)
    key_numbers = models.JSONField("关键数字", default=dict, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="上一版本"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ("project", "-version")
        constraints = (
            models.UniqueConstraint(fields=("project", "version"), name="unique_navigation_version"),
        )
        verbose_name = "专利导航报告"
        verbose_name_plural = "专利导航报告"

    def __str__(self) -> str:
        return f"{self.project.title} 第{self.version}版"


class NavigationFinding(models.Model):
    """A conclusion (结论) of a report with the action (对策) it leads to; automatic ones come from
    the engine, the rest are written by the project's operator."""

    report = models.ForeignKey(NavigationReport, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("结论")
    action_kind = models.CharField("对策类型", max_length=20, choices=ActionKindChoices.choices, blank=True)
    action = models.TextField("对策", blank=True)
    section = models.CharField("依据章节", max_length=30, blank=True)
    automatic = models.BooleanField("自动生成", default=False)

    class Meta:
        ordering = ("report", "position", "id")
        verbose_name = "导航结论"
        verbose_name_plural = "导航结论"

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def has_action(self) -> bool:
        return bool(self.action.strip() and self.action_kind)

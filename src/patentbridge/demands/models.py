"""Technology needs posted by enterprises."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.demands.choices import NeedStatusChoices, WantedModeChoices


class TechNeed(models.Model):
    """A technology need (技术需求) with the IPC subclasses and industry chains suggested for it.

    ``suggested_ipc`` holds the engine's text suggestions with scores and the words behind them;
    ``ipc`` is the classification in force (the suggestions until an operator edits it);
    ``chains`` the regional industry chains with their reasons.
    """

    org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="needs", verbose_name="发布企业"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField("需求名称", max_length=300)
    description = models.TextField("需求描述")
    industry = models.CharField("所属行业", max_length=100, blank=True)
    region = models.CharField("所在地区", max_length=50, blank=True)
    budget_min = models.DecimalField(
        "预算下限（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_max = models.DecimalField(
        "预算上限（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    wanted_mode = models.CharField(
        "合作方式", max_length=24, choices=WantedModeChoices.choices, default=WantedModeChoices.LICENCE
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=NeedStatusChoices.choices,
        default=NeedStatusChoices.OPEN,
        db_index=True,
    )
    suggested_ipc = models.JSONField("建议IPC", default=list, blank=True)
    ipc = models.JSONField("IPC分类", default=list, blank=True)
    ipc_edited = models.BooleanField("分类经运营人员确认", default=False)
    chains = models.JSONField("重点产业链", default=list, blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "技术需求"
        verbose_name_plural = "技术需求"

    def __str__(self) -> str:
        return self.title

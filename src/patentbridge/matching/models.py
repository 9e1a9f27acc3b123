"""Curated need ↔ patent pairs, pushes to enterprises, and the enterprises' feedback."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.matching.choices import CurationChoices, FeedbackChoices


class Push(models.Model):
    """One shortlist sent by an operator to the enterprise that posted the need (定向推送)."""

    need = models.ForeignKey("demands.TechNeed", on_delete=models.CASCADE, related_name="pushes")
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("推送说明", blank=True)
    item_count = models.PositiveIntegerField("推送专利数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "推送记录"
        verbose_name_plural = "推送记录"

    def __str__(self) -> str:
        return f"推送 {self.item_count} 件 → 需求 {self.need_id}"


class MatchItem(models.Model):
    """A library patent an operator acted on for a need: pinned, dropped or pushed.

    ``score``/``terms``/``sentence``/``shared_ipc`` keep the reasons as they stood when the
    operator acted, so the enterprise sees why it was recommended even after the index moves on.
    A dropped pair never comes back among the need's candidates.
    """

    need = models.ForeignKey("demands.TechNeed", on_delete=models.CASCADE, related_name="match_items")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="match_items")
    state = models.CharField("状态", max_length=10, choices=CurationChoices.choices, db_index=True)
    note = models.TextField("运营备注", blank=True)
    score = models.FloatField("匹配得分", default=0.0)
    terms = models.JSONField("匹配词", default=list, blank=True)
    sentence = models.TextField("最佳匹配句", blank=True)
    shared_ipc = models.JSONField("共有IPC", default=list, blank=True)
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    push = models.ForeignKey(Push, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    feedback = models.CharField(
        "企业反馈", max_length=12, choices=FeedbackChoices.choices, default=FeedbackChoices.NONE, blank=True
    )
    feedback_reason = models.TextField("反馈理由", blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    # When the enterprise first opened its inbox after the push: unseen pushes make the unread badge.
    seen_at = models.DateTimeField("企业查看时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-score", "id")
        constraints = (models.UniqueConstraint(fields=("need", "patent"), name="one_item_per_need_patent"),)
        verbose_name = "匹配条目"
        verbose_name_plural = "匹配条目"

    def __str__(self) -> str:
        return f"{self.need_id} ↔ {self.patent_id} ({self.state})"


class InventorTeam(models.Model):
    """An inventor team derived from the approved library (institution + lead inventor, the
    inventor named on most of the institution's patents among each patent's inventors).

    Rebuilt from the patents whenever they change (see ``matching.teams``); only library
    patents count, so a profile never reveals unapproved records.
    """

    key = models.CharField("团队标识", max_length=400, unique=True)
    lead = models.CharField("团队负责人（第一发明人）", max_length=100, db_index=True)
    institution = models.CharField("所属单位", max_length=300, db_index=True)
    institution_kind = models.CharField("单位类型", max_length=20, blank=True)
    members = models.JSONField("主要成员", default=list)
    patent_numbers = models.JSONField("专利申请号", default=list)
    patent_count = models.PositiveIntegerField("专利数", default=0, db_index=True)
    ipc = models.JSONField("IPC小类分布", default=list)
    topics = models.JSONField("主题词", default=list)
    first_year = models.PositiveSmallIntegerField("最早申请年", null=True)
    last_year = models.PositiveSmallIntegerField("最近申请年", null=True)
    recent_count = models.PositiveIntegerField("近三年申请数", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-patent_count", "key")
        verbose_name = "发明人团队"
        verbose_name_plural = "发明人团队"

    def __str__(self) -> str:
        return f"{self.institution} · {self.lead}团队"


class TeamPatentLink(models.Model):
    """Which team a library patent counts for (one team per patent)."""

    team = models.ForeignKey(InventorTeam, on_delete=models.CASCADE, related_name="links")
    patent = models.OneToOneField("patents.Patent", on_delete=models.CASCADE, related_name="team_link")

    class Meta:
        verbose_name = "团队专利"
        verbose_name_plural = "团队专利"

    def __str__(self) -> str:
        return f"{self.team_id} ← {self.patent_id}"

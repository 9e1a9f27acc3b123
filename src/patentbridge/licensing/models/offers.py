"""Directed licence offers (定向发布) and enterprises' applications for a trial or licence."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.licensing.choices import (
    ApplicationStateChoices,
    LicenceKindChoices,
    ModeChoices,
    OfferStateChoices,
    PriceMethodChoices,
)


class LicenceOffer(models.Model):
    """What a university or the operation centre publishes to a region: a package of patents,
    the licence modes on offer, the free-trial terms and the paid terms (guide §2.d).

    ``target_regions`` are GB/T 2260 prefixes used for targeting and reporting; ``region_only``
    only warns (a region is never a legal limit on who may licence)."""

    publisher_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="licence_offers"
    )
    title = models.CharField("发布名称", max_length=200)
    description = models.TextField("说明", blank=True)
    patents = models.ManyToManyField("patents.Patent", related_name="licence_offers", verbose_name="专利")
    modes = models.JSONField("许可方式", default=list)
    licence_kind = models.CharField(
        "许可类型", max_length=12, choices=LicenceKindChoices.choices, default=LicenceKindChoices.ORDINARY
    )
    territory = models.CharField("地域范围", max_length=60, default="中国境内")
    field_of_use = models.CharField("实施领域", max_length=200, blank=True)
    target_regions = models.JSONField("定向地区", default=list, blank=True)
    target_chains = models.ManyToManyField(
        "patents.IndustryChain", blank=True, related_name="licence_offers", verbose_name="定向产业链"
    )
    region_only = models.BooleanField("仅面向定向地区（提示）", default=False)
    trial_months = models.PositiveSmallIntegerField("免费试用期（月）", null=True, blank=True)
    trial_usage_report_required = models.BooleanField("试用结束须提交使用报告", default=True)
    trial_conversion_mode = models.CharField(
        "试用后转化方式",
        max_length=12,
        choices=(("pre_agreed", "按预先约定的付费条件"), ("negotiate", "试用结束后协商")),
        default="pre_agreed",
    )
    trial_extensions_allowed = models.PositiveSmallIntegerField("可延长试用次数", default=0)
    max_trials_per_patent = models.PositiveSmallIntegerField("每件专利最多试用企业数", null=True, blank=True)
    paid_terms = models.JSONField("付费条件", default=dict, blank=True)
    price_method = models.CharField(
        "定价方式", max_length=16, choices=PriceMethodChoices.choices, blank=True, default=""
    )
    state = models.CharField(
        "状态",
        max_length=16,
        choices=OfferStateChoices.choices,
        default=OfferStateChoices.DRAFT,
        db_index=True,
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "定向许可发布"
        verbose_name_plural = "定向许可发布"

    def __str__(self) -> str:
        return self.title


class LicenceApplication(models.Model):
    """An enterprise's request for a free trial or a licence under an offer (also made with one
    click from a pushed patent it marked 有意向: ``match_item``)."""

    offer = models.ForeignKey(LicenceOffer, on_delete=models.PROTECT, related_name="applications")
    applicant_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="licence_applications"
    )
    patents = models.ManyToManyField(
        "patents.Patent", related_name="licence_applications", verbose_name="专利"
    )
    requested_mode = models.CharField("申请方式", max_length=20, choices=ModeChoices.choices)
    intended_use = models.TextField("拟实施产品/用途", blank=True)
    match_item = models.ForeignKey(
        "matching.MatchItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="licence_applications",
    )
    state = models.CharField(
        "状态",
        max_length=12,
        choices=ApplicationStateChoices.choices,
        default=ApplicationStateChoices.SUBMITTED,
        db_index=True,
    )
    decision_reason = models.TextField("处理意见", blank=True)
    out_of_region = models.BooleanField("定向地区以外", default=False)
    region_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "试用/许可申请"
        verbose_name_plural = "试用/许可申请"

    def __str__(self) -> str:
        return f"{self.applicant_org} → {self.offer}"

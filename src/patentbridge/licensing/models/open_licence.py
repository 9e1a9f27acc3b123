"""Open-licence declarations (专利开放许可声明, Patent Law Arts. 50–52) and their acceptances."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from patentbridge.licensing.choices import DeclarationStateChoices, TermKindChoices

LIVE_DECLARATION_STATES = ("draft", "checked", "submitted", "published", "withdrawal_submitted")


class OpenLicenceDeclaration(models.Model):
    """One patent's open-licence declaration. A published declaration is never edited: a
    withdrawal and a new declaration (``version`` + 1) replace it; earlier acceptances keep
    their licences (Law Art. 50 ¶2). ``check_result`` stores the last eligibility verdict."""

    patent = models.ForeignKey("patents.Patent", on_delete=models.PROTECT, related_name="open_licences")
    version = models.PositiveSmallIntegerField("版本", default=1)
    declarant_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="open_licence_declarations"
    )
    patentees = models.JSONField("专利权人", default=list)
    signed_by = models.JSONField("已签署的专利权人", default=list)
    contact = models.CharField("联系人及联系方式", max_length=200, blank=True)
    fee_schedule = models.JSONField("许可使用费支付方式及标准", default=dict)
    fee_text = models.CharField("许可使用费说明", max_length=300, blank=True)
    term_kind = models.CharField("许可期限", max_length=24, choices=TermKindChoices.choices)
    term_years = models.PositiveSmallIntegerField("许可年限", null=True, blank=True)
    term_until = models.DateField("许可期限至", null=True, blank=True)
    other_terms = models.TextField("其他事项", blank=True)
    evaluation_report_no = models.CharField("评价报告编号", max_length=40, blank=True)
    evaluation_conclusion = models.CharField(
        "评价报告结论",
        max_length=20,
        blank=True,
        choices=(("meets_conditions", "符合授予专利权条件"), ("not_meets", "不符合授予专利权条件")),
    )
    evaluation_issued_at = models.DateField("评价报告出具日", null=True, blank=True)
    pledgee_consent = models.BooleanField("质权人书面同意", default=False)
    origin = models.CharField(
        "来源",
        max_length=20,
        default="platform",
        choices=(
            ("platform", "平台申报"),
            ("public_list", "公开实施清单"),
            ("pilot_conversion", "试点项目转入"),
            ("imported_gazette", "公告导入"),
        ),
    )
    state = models.CharField(
        "状态",
        max_length=24,
        choices=DeclarationStateChoices.choices,
        default=DeclarationStateChoices.DRAFT,
        db_index=True,
    )
    check_result = models.JSONField("自检结果", default=list, blank=True)
    submitted_at = models.DateField("提交日期", null=True, blank=True)
    published_at = models.DateField("公告日期", null=True, blank=True)
    announcement_no = models.CharField("公告号", max_length=40, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    withdrawal_reason = models.TextField("撤回理由", blank=True)
    withdrawal_submitted_at = models.DateField("撤回提交日期", null=True, blank=True)
    withdrawal_published_at = models.DateField("撤回公告日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "开放许可声明"
        verbose_name_plural = "开放许可声明"
        constraints = (
            models.UniqueConstraint(fields=("patent", "version"), name="declaration_version_once"),
            # One live declaration per patent: a new one only after withdrawal, return or end.
            models.UniqueConstraint(
                fields=("patent",),
                condition=Q(state__in=LIVE_DECLARATION_STATES),
                name="one_live_declaration_per_patent",
            ),
        )

    def __str__(self) -> str:
        return f"{self.patent_id} 开放许可声明 v{self.version}"


class OpenLicenceAcceptance(models.Model):
    """An enterprise's written notice accepting a published declaration; it becomes an ordinary
    licence on the declared terms (Law Art. 51) — ``contract`` — once the first required payment
    is made (at once for a free declaration)."""

    declaration = models.ForeignKey(
        OpenLicenceDeclaration, on_delete=models.PROTECT, related_name="acceptances"
    )
    licensee_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="open_licence_acceptances"
    )
    notified_at = models.DateField("书面通知日期")
    intended_use = models.TextField("拟实施产品/用途", blank=True)
    contract = models.OneToOneField(
        "licensing.LicenceContract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="open_licence_acceptance",
    )
    state = models.CharField(
        "状态",
        max_length=10,
        default="notified",
        choices=(("notified", "已通知待付款"), ("licensed", "已获许可"), ("filed", "已备案")),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "开放许可实施"
        verbose_name_plural = "开放许可实施"
        constraints = (
            models.UniqueConstraint(fields=("declaration", "licensee_org"), name="accept_declaration_once"),
        )

    def __str__(self) -> str:
        return f"{self.licensee_org_id} → {self.declaration_id}"

"""Licence contracts with their phases, approvals, 公示 and filing (实施许可合同备案)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.licensing.choices import (
    ContractStateChoices,
    FilingStateChoices,
    LicenceKindChoices,
    OriginChoices,
    PriceMethodChoices,
)
from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError


class LicenceContract(models.Model):
    """A patent licence contract (实施许可合同), free trials included: a free trial is an ordinary
    licence like any other, checked by the same rules and filed within three months.

    ``state`` follows the engine's contract state machine; the trial dates, the paid terms
    (``fee_schedule``, the engine's FeeSchedule dict) and the licensed patents are fixed at
    signing; a later change of terms is an amendment recorded in the timeline and a change
    filing. ``licensor_org`` is the organisation that grants and manages the contract;
    ``licensors`` names every patentee granting (co-owners, 专利法 Art. 14) with fee shares."""

    contract_no = models.CharField("合同编号", max_length=40, unique=True)
    offer = models.ForeignKey(
        "licensing.LicenceOffer", null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    application = models.OneToOneField(
        "licensing.LicenceApplication",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contract",
    )
    licensor_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="licences_granted"
    )
    licensee_org = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="licences_taken"
    )
    licensors = models.JSONField("许可人（共有人及分成比例）", default=list)
    patents = models.ManyToManyField(
        "patents.Patent",
        through="licensing.ContractPatent",
        related_name="licence_contracts",
        verbose_name="专利",
    )
    kind = models.CharField("许可类型", max_length=12, choices=LicenceKindChoices.choices)
    origin = models.CharField("来源", max_length=16, choices=OriginChoices.choices)
    territory = models.CharField("地域范围", max_length=60, default="中国境内")
    field_of_use = models.CharField("实施领域", max_length=200, blank=True)
    sublicence_allowed = models.BooleanField("允许分许可", default=False)
    start_date = models.DateField("许可开始日")
    end_date = models.DateField("许可结束日")
    trial_months = models.PositiveSmallIntegerField("免费试用期（月）", null=True, blank=True)
    trial_end = models.DateField("试用结束日", null=True, blank=True)
    trial_extensions_allowed = models.PositiveSmallIntegerField("可延长试用次数", default=0)
    trial_extensions_used = models.PositiveSmallIntegerField("已延长次数", default=0)
    usage_report_required = models.BooleanField("试用结束须提交使用报告", default=False)
    conversion_mode = models.CharField("试用后转化方式", max_length=12, blank=True)
    paid_start = models.DateField("付费期开始日", null=True, blank=True)
    fee_schedule = models.JSONField("付费条件", default=dict, blank=True)
    price_method = models.CharField(
        "定价方式", max_length=16, choices=PriceMethodChoices.choices, blank=True, default=""
    )
    coowner_consent = models.BooleanField("全体共有人书面同意", default=False)
    pledgee_consent = models.BooleanField("质权人同意", default=False)
    out_of_region = models.BooleanField("定向地区以外", default=False)
    state = models.CharField(
        "状态",
        max_length=16,
        choices=ContractStateChoices.choices,
        default=ContractStateChoices.DRAFT,
        db_index=True,
    )
    end_reason = models.CharField("终止原因", max_length=300, blank=True)
    signed_at = models.DateField("签订日期", null=True, blank=True)
    effective_at = models.DateField("生效日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = "许可合同"
        verbose_name_plural = "许可合同"

    def __str__(self) -> str:
        return self.contract_no

    @property
    def state_label(self) -> str:
        """The state as a person reads it: a licence in force on free terms (a free open licence,
        a royalty-free grant) is 实施中（免费）, not 付费实施中."""
        if self.state == "active_paid" and self.fee_schedule:
            try:
                free = FeeSchedule.from_dict(self.fee_schedule).is_free
            except FeeScheduleError:
                free = False
            if free:
                return "实施中（免费）"
        return str(self.get_state_display())

    @property
    def scope_rows(self) -> list[ContractPatent]:
        """The licensed patents as rows of the contract's scope, by application number: a row
        whose patent lapsed, expired or was invalidated carries the day it left the scope."""
        return list(
            ContractPatent.objects.filter(licencecontract=self)
            .select_related("patent")
            .order_by("patent__application_number")
        )


class ContractPatent(models.Model):
    """One patent of a contract's scope. A patent that stops being in force while others of the
    contract run on leaves the scope on that day (``ended_on``, ``end_reason``) and the contract
    continues for the rest; the contract itself ends when its last patent ends.

    The table is the one the plain many-to-many field used (its columns keep their names)."""

    # Named as the plain many-to-many named it: reports read ``patents.through`` by this name.
    licencecontract = models.ForeignKey(LicenceContract, on_delete=models.CASCADE, related_name="scope")
    patent = models.ForeignKey("patents.Patent", on_delete=models.CASCADE, related_name="contract_scopes")
    ended_on = models.DateField("退出许可范围日期", null=True, blank=True)
    end_reason = models.CharField("退出原因", max_length=300, blank=True)

    class Meta:
        db_table = "licensing_licencecontract_patents"
        verbose_name = "合同专利"
        verbose_name_plural = "合同专利"
        # The many-to-many table's own unique pair, declared as Django created it.
        unique_together = (("licencecontract", "patent"),)

    def __str__(self) -> str:
        return f"{self.licencecontract_id}:{self.patent_id}"


class ContractStep(models.Model):
    """One entry of a contract's timeline: a state change, an approval, a reminder, an amendment."""

    contract = models.ForeignKey(LicenceContract, on_delete=models.CASCADE, related_name="steps")
    event = models.CharField("事件", max_length=30)
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16, blank=True)
    note = models.TextField("说明", blank=True)
    on_date = models.DateField("业务日期")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "pk")
        verbose_name = "合同进程"
        verbose_name_plural = "合同进程"

    def __str__(self) -> str:
        return f"{self.contract_id} {self.event} {self.on_date}"


class PublicNotice(models.Model):
    """公示 of an agreed price at a state-run unit (促进科技成果转化法 Art. 18)."""

    contract = models.OneToOneField(LicenceContract, on_delete=models.CASCADE, related_name="public_notice")
    result_name = models.CharField("成果名称", max_length=300)
    proposed_price = models.CharField("拟交易价格", max_length=200)
    start_date = models.DateField("公示开始日")
    end_date = models.DateField("公示结束日")
    objections = models.TextField("异议", blank=True)
    outcome = models.CharField(
        "结果",
        max_length=12,
        choices=(("", "公示中"), ("passed", "无异议"), ("objected", "有异议")),
        blank=True,
    )

    class Meta:
        verbose_name = "公示"
        verbose_name_plural = "公示"

    def __str__(self) -> str:
        return f"公示：{self.result_name}"


class LicenceFiling(models.Model):
    """The filing (实施许可合同备案) every licence needs within three months of taking effect
    (细则 Art. 15 ¶2; Art. 87 for open licences). A trial→paid conversion that changes the fee
    is a change filing (``kind = change``)."""

    contract = models.ForeignKey(LicenceContract, on_delete=models.CASCADE, related_name="filings")
    kind = models.CharField(
        "备案类型", max_length=10, choices=(("initial", "初次备案"), ("change", "变更备案"))
    )
    due_date = models.DateField("备案期限")
    state = models.CharField(
        "状态",
        max_length=12,
        choices=FilingStateChoices.choices,
        default=FilingStateChoices.DUE,
        db_index=True,
    )
    filed_by_side = models.CharField(
        "备案方",
        max_length=10,
        blank=True,
        choices=(("licensor", "许可方"), ("licensee", "被许可方"), ("agency", "代理机构")),
    )
    submitted_at = models.DateField("提交日期", null=True, blank=True)
    record_no = models.CharField("备案号", max_length=64, blank=True)
    filed_at = models.DateField("备案日期", null=True, blank=True)
    refusal_reason = models.TextField("不予备案理由", blank=True)
    reminders_sent = models.JSONField("已发提醒", default=list, blank=True)
    hold_reason = models.CharField("暂缓原因", max_length=300, blank=True)

    class Meta:
        ordering = ("due_date", "pk")
        verbose_name = "许可合同备案"
        verbose_name_plural = "许可合同备案"
        constraints = (models.UniqueConstraint(fields=("contract", "kind"), name="one_filing_per_kind"),)

    def __str__(self) -> str:
        return f"{self.contract_id} {self.get_kind_display()} {self.get_state_display()}"

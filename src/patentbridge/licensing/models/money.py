"""Usage reports, receivables, payments and the income distribution of each receipt."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patentbridge.licensing.choices import ReceivableStateChoices


class UsageReport(models.Model):
    """The licensee's report for one royalty period: the measured base the royalty is charged on."""

    contract = models.ForeignKey(
        "licensing.LicenceContract", on_delete=models.CASCADE, related_name="usage_reports"
    )
    period_label = models.CharField("报告期", max_length=40)
    period_start = models.DateField("报告期开始")
    period_end = models.DateField("报告期结束")
    units = models.DecimalField("产量/销量（件）", null=True, blank=True, max_digits=14, decimal_places=2)
    sales = models.DecimalField("销售额", null=True, blank=True, max_digits=14, decimal_places=2)
    net_sales = models.DecimalField("净销售额", null=True, blank=True, max_digits=14, decimal_places=2)
    profit = models.DecimalField("利润", null=True, blank=True, max_digits=14, decimal_places=2)
    new_output_value = models.DecimalField("新增产值", null=True, blank=True, max_digits=14, decimal_places=2)
    note = models.TextField("说明", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("period_start",)
        verbose_name = "使用情况报告"
        verbose_name_plural = "使用情况报告"
        constraints = (
            models.UniqueConstraint(fields=("contract", "period_start"), name="one_report_per_period"),
        )

    def __str__(self) -> str:
        return f"{self.contract_id} {self.period_label}"


class Receivable(models.Model):
    """An amount the licensee owes: an entry fee, an instalment, a period's royalty, a milestone.

    ``inputs`` keeps everything the amount was computed from (base, rate, minimum, policy
    versions), so the royalty statement can show the working."""

    contract = models.ForeignKey(
        "licensing.LicenceContract", on_delete=models.CASCADE, related_name="receivables"
    )
    component = models.CharField("费用类型", max_length=20)
    period_label = models.CharField("期间", max_length=40)
    period_start = models.DateField("期间开始", null=True, blank=True)
    period_end = models.DateField("期间结束", null=True, blank=True)
    amount_due = models.DecimalField("应收金额", null=True, blank=True, max_digits=14, decimal_places=2)
    amount_paid = models.DecimalField("已收金额", default=0, max_digits=14, decimal_places=2)
    due_date = models.DateField("到期日", null=True, blank=True)
    state = models.CharField(
        "状态",
        max_length=10,
        choices=ReceivableStateChoices.choices,
        default=ReceivableStateChoices.OPEN,
        db_index=True,
    )
    usage_report = models.OneToOneField(
        UsageReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="receivable"
    )
    inputs = models.JSONField("计算依据", default=dict, blank=True)

    class Meta:
        ordering = ("due_date", "pk")
        verbose_name = "应收款"
        verbose_name_plural = "应收款"
        constraints = (
            models.UniqueConstraint(fields=("contract", "component", "period_label"), name="receivable_once"),
        )

    def __str__(self) -> str:
        return f"{self.contract_id} {self.component} {self.period_label}"


class Payment(models.Model):
    """Money received against one receivable, with its evidence."""

    receivable = models.ForeignKey(Receivable, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    paid_on = models.DateField("收款日期")
    evidence = models.ForeignKey(
        "licensing.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("paid_on", "pk")
        verbose_name = "收款"
        verbose_name_plural = "收款"

    def __str__(self) -> str:
        return f"{self.receivable_id} ¥{self.amount} {self.paid_on}"


class IncomeDistribution(models.Model):
    """How one receipt is shared: net income after the allowed deductions, the inventors' pool
    under the dated floors (促进科技成果转化法 Art. 45; 山东条例 Art. 34), the TTO's and the
    unit's shares. ``policy`` records the parameter versions used."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="distribution")
    gross = models.DecimalField("收入", max_digits=14, decimal_places=2)
    deductions = models.JSONField("扣除项", default=dict)
    net = models.DecimalField("净收入", max_digits=14, decimal_places=2)
    inventor_share = models.DecimalField("发明人奖励比例", max_digits=5, decimal_places=4)
    inventor_pool = models.DecimalField("发明人奖励总额", max_digits=14, decimal_places=2)
    tto_amount = models.DecimalField("技术转移机构", max_digits=14, decimal_places=2)
    unit_amount = models.DecimalField("单位留存", max_digits=14, decimal_places=2)
    policy = models.JSONField("依据的政策参数", default=dict)
    state = models.CharField(
        "状态", max_length=10, choices=(("computed", "已计算"), ("approved", "已审批")), default="computed"
    )
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "收益分配"
        verbose_name_plural = "收益分配"

    def __str__(self) -> str:
        return f"收益分配 #{self.payment_id}"


class IncomeLine(models.Model):
    """One inventor's line of a distribution; an inventor sees only their own lines."""

    distribution = models.ForeignKey(IncomeDistribution, on_delete=models.CASCADE, related_name="lines")
    person = models.CharField("发明人", max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="income_lines",
    )
    share = models.DecimalField("分配比例", max_digits=5, decimal_places=4)
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)

    class Meta:
        ordering = ("-amount", "person")
        verbose_name = "发明人收益"
        verbose_name_plural = "发明人收益"

    def __str__(self) -> str:
        return f"{self.person} ¥{self.amount}"

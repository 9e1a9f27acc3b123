"""Forms of the money pages: a usage report, a payment with its evidence, an income distribution.

The forms only read what was posted into plain values (dates, strings, fractions); every rule —
the period, the base figure, the outstanding amount, the floors — is the service's, whose
Chinese reason the page shows. Percentages are typed as percent (70 = 70 %) and handed to the
services as fractions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms

__all__ = [
    "DistributionForm",
    "PaymentForm",
    "UsageReportForm",
    "inventor_rows",
    "parse_percent",
]

_MAX_TEXT = 40  # a figure longer than this is not a number anyone typed
MAX_INVENTORS = 50
_NUMBER = re.compile(r"[0-9]{1,13}(\.[0-9]+)?")


def parse_percent(raw: str, what: str) -> Decimal:
    """``"33.33"`` → ``Decimal("0.3333")``; a percent with at most two decimals, 0–100."""
    text = (raw or "").strip().rstrip("%％").strip()
    # Plain digits only: Decimal() would also read "1e2", "NaN" or "1_0".
    if not _NUMBER.fullmatch(text):
        raise forms.ValidationError(f"{what}须填写 0 到 100 之间的百分数")
    value = Decimal(text)
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise forms.ValidationError(f"{what}须填写 0 到 100 之间的百分数")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise forms.ValidationError(f"{what}最多保留两位小数")
    return value / 100


class UsageReportForm(forms.Form):
    """One period's measured figures (the service requires the royalty base's field)."""

    period = forms.DateField(
        label="报告期", input_formats=["%Y-%m-%d"], error_messages={"invalid": "请选择报告期"}
    )
    units = forms.CharField(label="产量/销量（件）", required=False, max_length=_MAX_TEXT)
    sales = forms.CharField(label="销售额（元）", required=False, max_length=_MAX_TEXT)
    net_sales = forms.CharField(label="净销售额（元）", required=False, max_length=_MAX_TEXT)
    profit = forms.CharField(label="利润（元）", required=False, max_length=_MAX_TEXT)
    new_output_value = forms.CharField(label="新增产值（元）", required=False, max_length=_MAX_TEXT)
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def values(self) -> dict[str, str]:
        """The figures as typed (the service parses and checks them)."""
        return {
            k: self.cleaned_data.get(k, "")
            for k in ("units", "sales", "net_sales", "profit", "new_output_value")
        }


class PaymentForm(forms.Form):
    """收款登记: amount, date received and an optional evidence file (PDF or image)."""

    amount = forms.CharField(label="收款金额（元）", max_length=_MAX_TEXT)
    paid_on = forms.DateField(
        label="收款日期",
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "收款日期格式应为 YYYY-MM-DD"},
    )
    evidence = forms.FileField(label="收款凭证", required=False)

    def clean_paid_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["paid_on"]
        if value.year < 2000:
            raise forms.ValidationError("收款日期不正确")
        return value


def inventor_rows(data: Any) -> list[tuple[str, str]]:
    """The posted inventor rows (``inventor_name`` / ``inventor_share`` lists), blanks dropped."""
    names = data.getlist("inventor_name") if hasattr(data, "getlist") else []
    shares = data.getlist("inventor_share") if hasattr(data, "getlist") else []
    rows = []
    for name, share in zip(names[:MAX_INVENTORS], shares[:MAX_INVENTORS], strict=False):
        if str(name).strip() or str(share).strip():
            rows.append((str(name).strip()[:100], str(share).strip()[:_MAX_TEXT]))
    return rows


class DistributionForm(forms.Form):
    """收益分配: deductions by allowed kind, the unit's own rule, the TTO's share; the inventor
    rows come as repeated ``inventor_name`` / ``inventor_share`` fields (see ``inventors``)."""

    own_rule = forms.CharField(label="本单位规定的发明人比例（%）", required=False, max_length=10)
    tto_share = forms.CharField(label="技术转移机构提取比例（%）", max_length=10, initial="10")

    def __init__(self, *args: Any, deduction_kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deduction_kinds = deduction_kinds
        for kind, label in deduction_kinds:
            self.fields[f"deduct_{kind}"] = forms.CharField(
                label=f"{label}（元）", required=False, max_length=_MAX_TEXT
            )
        self.inventors: list[tuple[str, Decimal]] = []

    def clean_own_rule(self) -> Decimal | None:
        raw = self.cleaned_data.get("own_rule", "")
        return parse_percent(raw, "本单位规定的发明人比例") if raw.strip() else None

    def clean_tto_share(self) -> Decimal:
        return parse_percent(self.cleaned_data.get("tto_share", ""), "技术转移机构提取比例")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        deductions: dict[str, Decimal] = {}
        for kind, label in self.deduction_kinds:
            raw = (data.get(f"deduct_{kind}") or "").replace(",", "").strip()
            if not raw:
                continue
            if not _NUMBER.fullmatch(raw):
                self.add_error(f"deduct_{kind}", f"{label}须为不小于 0 的金额，最多两位小数")
                continue
            amount = Decimal(raw)
            if (
                not amount.is_finite()
                or amount < 0
                or amount >= Decimal(10) ** 12
                or amount != amount.quantize(Decimal("0.01"))
            ):
                self.add_error(f"deduct_{kind}", f"{label}须为不小于 0 的金额，最多两位小数")
                continue
            deductions[kind] = amount
        data["deductions"] = deductions
        rows = inventor_rows(self.data)
        if not rows:
            raise forms.ValidationError("请填写发明人及分配比例")
        parsed = []
        for name, share in rows:
            if not name:
                raise forms.ValidationError("每一行都须填写发明人姓名")
            parsed.append((name, parse_percent(share, f"发明人 {name} 的分配比例")))
        self.inventors = parsed
        return data

"""The fee-schedule builder form: free, a lump sum (with instalments), or entry fee + royalty (base,
rate, annual minimum and caps, report period) — built into the engine's FeeSchedule dict and
validated by ``FeeSchedule.from_dict``; the engine's Chinese reason is shown next to the field it
is about. An "advanced" JSON box takes any schedule the API accepts (tiers, stepped rates,
milestones)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from patentbridge_engine.licensing.fees import FeeSchedule, FeeScheduleError

__all__ = ["FeeScheduleForm", "fee_initial"]


def _money_field(label: str) -> forms.DecimalField:
    """An optional amount in yuan: positive, two decimals, at most ¥999,999,999,999.99."""
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal("0.01"), required=False
    )


FEE_TYPES = (
    ("", "暂不约定"),
    ("free", "免费许可"),
    ("lump_sum", "一次性总付（可分期）"),
    ("royalty", "提成（可加入门费，即“基本许可费+提成”）"),
)
BASES = (
    ("net_sales", "净销售额"),
    ("sales", "销售额"),
    ("profit", "利润"),
    ("new_output_value", "新增产值"),
    ("units", "销售数量（按件计费）"),
)
PERIODS = (("quarter", "每季度"), ("half", "每半年"), ("year", "每年"))
_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s+([\d,，.]+)\s*$")
# Component path (as the engine names it) → form field, per component type.
_FIELDS = {
    "entry_fee": {"amount": "entry_fee_amount", "due": "entry_fee_due"},
    "lump_sum": {"amount": "lump_sum_amount", "instalments": "lump_sum_instalments"},
    "royalty": {
        "rates": "royalty_rate",
        "base": "royalty_base",
        "min_annual": "royalty_min_annual",
        "cap_annual": "royalty_cap_annual",
        "cap_total": "royalty_cap_total",
        "report_period": "royalty_report_period",
        "pay_within_days": "royalty_pay_within_days",
    },
}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


class FeeScheduleForm(forms.Form):
    """Prefix it (``prefix="fee"``) inside a bigger form; ``schedule`` holds the dict after
    ``is_valid()`` ({} when nothing was agreed)."""

    fee_type = forms.ChoiceField(label="付费方式", choices=FEE_TYPES, required=False)
    entry_fee_amount = _money_field("入门费（基本许可费，元）")
    entry_fee_due = forms.ChoiceField(
        label="入门费支付时点",
        choices=(("conversion", "试用转为付费时"), ("signing", "签订合同时")),
        required=False,
    )
    lump_sum_amount = _money_field("总价（元）")
    lump_sum_instalments = forms.CharField(
        label="分期（每行“日期 金额”，留空则签约时一次付清）",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-03-01 60000\n2026-09-01 60000"}),
        required=False,
        max_length=4000,
    )
    royalty_base = forms.ChoiceField(label="提成基数", choices=BASES, required=False)
    royalty_rate = forms.DecimalField(
        label="提成比例（%）或每件金额（元）",
        max_digits=12,
        decimal_places=6,
        min_value=Decimal("0"),
        required=False,
    )
    royalty_min_annual = _money_field("年度最低提成（元）")
    royalty_cap_annual = _money_field("年度提成上限（元）")
    royalty_cap_total = _money_field("累计提成上限（元）")
    royalty_report_period = forms.ChoiceField(label="报告与支付周期", choices=PERIODS, required=False)
    royalty_pay_within_days = forms.IntegerField(
        label="报告后付款期限（日）", min_value=0, max_value=365, required=False
    )
    fee_json = forms.CharField(
        label="高级：付费条件 JSON（填写后以此为准）",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20000,
    )

    schedule: dict[str, Any]

    def _components(self, data: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
        """The component dicts and, per component, its type (to map engine errors to fields)."""
        kind = data.get("fee_type") or ""
        parts: list[dict[str, Any]] = []
        if kind == "lump_sum":
            parts.append(
                {
                    "type": "lump_sum",
                    "amount": _money(data.get("lump_sum_amount")) or "0",
                    "instalments": self._instalments(data.get("lump_sum_instalments") or ""),
                }
            )
        if kind == "royalty":
            if data.get("entry_fee_amount") is not None:
                parts.append(
                    {
                        "type": "entry_fee",
                        "amount": _money(data["entry_fee_amount"]),
                        "due": data.get("entry_fee_due") or "conversion",
                    }
                )
            parts.append(self._royalty(data))
        return parts, [p["type"] for p in parts]

    def _royalty(self, data: dict[str, Any]) -> dict[str, Any]:
        base = data.get("royalty_base") or None
        rate = data.get("royalty_rate")
        rates: list[dict[str, str | int]] = []
        if rate is not None:
            if base == "units":
                rates.append({"from_year": 1, "per_unit": f"{rate:.2f}"})
            else:
                rates.append({"from_year": 1, "rate": format((rate / 100).normalize(), "f")})
        days = data.get("royalty_pay_within_days")
        return {
            "type": "royalty",
            "base": base,
            "kind": "fixed",
            "rates": rates,
            "min_annual": _money(data.get("royalty_min_annual")),
            "cap_annual": _money(data.get("royalty_cap_annual")),
            "cap_total": _money(data.get("royalty_cap_total")),
            "report_period": data.get("royalty_report_period") or None,
            "pay_within_days": 30 if days is None else days,
        }

    def _instalments(self, text: str) -> list[dict[str, str]]:
        out = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            found = _LINE.match(line)
            if found is None:
                self.add_error("lump_sum_instalments", f"第 {n} 行应为“YYYY-MM-DD 金额”：{line.strip()[:30]}")
                continue
            try:
                dt.date.fromisoformat(found.group(1))
                amount = Decimal(found.group(2).replace(",", "").replace("，", ""))
            except (ValueError, InvalidOperation):
                self.add_error("lump_sum_instalments", f"第 {n} 行日期或金额无效：{line.strip()[:30]}")
                continue
            out.append({"date": found.group(1), "amount": f"{amount:.2f}"})
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.schedule = {}
        raw_json = (data.get("fee_json") or "").strip()
        if raw_json:
            try:
                parsed = json.loads(raw_json)
            except ValueError:
                self.add_error("fee_json", "不是合法的 JSON")
                return data
            if not isinstance(parsed, dict):
                self.add_error("fee_json", "应为 JSON 对象")
                return data
            self._parse(parsed, [])
            return data
        kind = data.get("fee_type") or ""
        if kind == "":
            return data
        if kind == "free":
            self._parse({"free": True, "components": []}, [])
            return data
        parts, types = self._components(data)
        if self.errors:
            return data
        self._parse({"free": False, "components": parts}, types)
        return data

    def _parse(self, raw: dict[str, Any], types: list[str]) -> None:
        try:
            self.schedule = FeeSchedule.from_dict(raw).to_dict()
        except FeeScheduleError as exc:
            self.add_error(self._field_for(exc.field, types), f"{exc.reason}（{exc.field}）")

    def _field_for(self, path: str, types: list[str]) -> str | None:
        if not types:
            return "fee_json" if self.cleaned_data.get("fee_json") else "fee_type"
        found = re.match(r"components\[(\d+)\]\.?([a-z_]*)", path)
        if found is None or int(found.group(1)) >= len(types):
            return "fee_type"
        fields = _FIELDS.get(types[int(found.group(1))], {})
        return fields.get(found.group(2), "fee_type")

    def describe(self) -> str:
        """The schedule in one Chinese line (after ``is_valid()``)."""
        schedule = getattr(self, "schedule", {})
        return FeeSchedule.from_dict(schedule).describe() if schedule else "未约定付费条件"


def fee_initial(schedule: dict[str, Any] | None) -> dict[str, Any]:
    """Form values for a stored schedule: the builder's fields when it can show it (one fixed
    royalty, entry fee, lump sum), else the JSON box."""
    if not schedule:
        return {"fee_type": ""}
    if schedule.get("free"):
        return {"fee_type": "free"}
    comps = list(schedule.get("components") or [])
    types = [c.get("type") for c in comps]
    simple = types in (["lump_sum"], ["royalty"], ["entry_fee", "royalty"])
    royalty = next((c for c in comps if c.get("type") == "royalty"), None)
    if royalty is not None and (royalty.get("kind") != "fixed" or len(royalty.get("rates") or []) > 1):
        simple = False
    if not simple:
        return {"fee_type": "", "fee_json": json.dumps(schedule, ensure_ascii=False, indent=1)}
    out: dict[str, Any] = {}
    for c in comps:
        if c["type"] == "lump_sum":
            lines = [f"{i['date']} {i['amount']}" for i in c.get("instalments") or []]
            out.update(
                fee_type="lump_sum", lump_sum_amount=c["amount"], lump_sum_instalments="\n".join(lines)
            )
        elif c["type"] == "entry_fee":
            out.update(entry_fee_amount=c["amount"], entry_fee_due=c.get("due"))
        else:
            step = (c.get("rates") or [{}])[0]
            rate = step.get("per_unit") or (Decimal(step["rate"]) * 100 if "rate" in step else None)
            out.update(
                fee_type="royalty",
                royalty_base=c.get("base"),
                royalty_rate=rate,
                royalty_min_annual=c.get("min_annual"),
                royalty_cap_annual=c.get("cap_annual"),
                royalty_cap_total=c.get("cap_total"),
                royalty_report_period=c.get("report_period"),
                royalty_pay_within_days=c.get("pay_within_days"),
            )
    return out

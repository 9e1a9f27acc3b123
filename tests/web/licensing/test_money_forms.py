"""The money forms read what was posted into plain values (percent → fraction, amounts, rows)
and never let malformed input through to a service."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.http import QueryDict

from patentbridge.licensing.views.forms_money import (
    MAX_INVENTORS,
    DistributionForm,
    PaymentForm,
    UsageReportForm,
    inventor_rows,
    parse_percent,
)

KINDS = [("taxes", "税费"), ("maintenance", "专利维护费用")]


@pytest.mark.parametrize(
    ("raw", "fraction"),
    [
        ("70", Decimal("0.7")),
        ("33.33", Decimal("0.3333")),
        (" 50% ", Decimal("0.5")),
        ("0", 0),
        ("100", 1),
        ("12.5％", Decimal("0.125")),
    ],
)
def test_percent_becomes_a_fraction(raw, fraction):
    assert parse_percent(raw, "比例") == fraction


@pytest.mark.parametrize("raw", ["", "abc", "-1", "100.01", "1e2", "NaN", "Infinity", "33.333", "七十"])
def test_bad_percent_is_a_chinese_error(raw):
    with pytest.raises(forms.ValidationError) as caught:
        parse_percent(raw, "技术转移机构提取比例")
    assert "技术转移机构提取比例" in str(caught.value.messages[0])


def distribution(data: dict[str, object]) -> DistributionForm:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return DistributionForm(query, deduction_kinds=KINDS)


def test_distribution_form_reads_deductions_rule_and_rows():
    form = distribution(
        {
            "tto_share": "10",
            "own_rule": "75",
            "deduct_taxes": "1,200.50",
            "deduct_maintenance": "",
            "inventor_name": ["张三", " 李四 ", ""],
            "inventor_share": ["60", "40", ""],
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tto_share"] == Decimal("0.1")
    assert form.cleaned_data["own_rule"] == Decimal("0.75")
    assert form.cleaned_data["deductions"] == {"taxes": Decimal("1200.50")}
    assert form.inventors == [("张三", Decimal("0.6")), ("李四", Decimal("0.4"))]


def test_an_empty_own_rule_means_none():
    form = distribution({"tto_share": "0", "inventor_name": ["张三"], "inventor_share": ["100"]})
    assert form.is_valid() and form.cleaned_data["own_rule"] is None


@pytest.mark.parametrize("amount", ["abc", "-1", "1.234", "1e3", "1000000000000", "NaN"])
def test_bad_deductions_are_field_errors(amount):
    form = distribution(
        {"tto_share": "10", "deduct_taxes": amount, "inventor_name": ["张三"], "inventor_share": ["100"]}
    )
    assert not form.is_valid() and "deduct_taxes" in form.errors


def test_an_unlisted_deduction_kind_is_ignored():
    """Only the policy's kinds become fields; a posted ``deduct_bonus`` never reaches the service."""
    form = distribution(
        {"tto_share": "10", "deduct_bonus": "99", "inventor_name": ["张三"], "inventor_share": ["100"]}
    )
    assert form.is_valid() and form.cleaned_data["deductions"] == {}


def test_inventor_rows_are_capped_and_trimmed():
    query = QueryDict(mutable=True)
    query.setlist("inventor_name", ["名" * 300] + [f"人{i}" for i in range(MAX_INVENTORS + 20)])
    query.setlist("inventor_share", ["1"] * (MAX_INVENTORS + 21))
    rows = inventor_rows(query)
    assert len(rows) == MAX_INVENTORS and len(rows[0][0]) == 100
    assert inventor_rows({}) == []


def test_usage_form_keeps_figures_as_typed():
    form = UsageReportForm({"period": "2026-01-01", "net_sales": "200,000.00", "note": "按季度汇总"})
    assert form.is_valid()
    assert form.values() == {
        "units": "",
        "sales": "",
        "net_sales": "200,000.00",
        "profit": "",
        "new_output_value": "",
    }
    assert not UsageReportForm({"period": "2026/01/01"}).is_valid()


def test_payment_form_dates():
    assert PaymentForm({"amount": "1", "paid_on": "2027-01-20"}).is_valid()
    for bad in ("2027-02-30", "20270120", "1999-12-31", ""):
        assert not PaymentForm({"amount": "1", "paid_on": bad}).is_valid()

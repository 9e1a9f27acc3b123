"""Translation between engine records / merged field dicts and Patent model instances."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from patentbridge.patents.models import Patent
from patentbridge_engine.ingest.merge import MERGE_FIELDS, derive
from patentbridge_engine.ingest.prepare import ColumnSpec

__all__ = ["DERIVED_FIELDS", "MODEL_FIELDS", "apply_fields", "column_spec", "snapshot"]

MODEL_FIELDS = tuple(f for f in MERGE_FIELDS if f != "application_number")
DERIVED_FIELDS = ("expiry_date", "legal_status", "applicant_kind", "province", "city")


def snapshot(patent: Patent) -> dict[str, Any]:
    """The patent's merge-relevant values as an engine field dict."""
    data: dict[str, Any] = {"application_number": patent.application_number}
    for field in MODEL_FIELDS:
        value = getattr(patent, field)
        data[field] = list(value) if isinstance(value, list) else value
    return data


def _field(name: str) -> models.Field[Any, Any]:
    field = Patent._meta.get_field(name)
    assert isinstance(field, models.Field), name  # merged fields are concrete columns
    return field


def _field_specs() -> list[tuple[str, Any, int | None]]:
    """(name, empty value or None when nullable, max_length) per merged field, computed once."""
    specs = []
    for name in MODEL_FIELDS:
        field = _field(name)
        empty = (
            None if field.null else (field.get_default() if field.get_internal_type() == "JSONField" else "")
        )
        specs.append((name, empty, getattr(field, "max_length", None)))
    return specs


_SPECS: list[tuple[str, Any, int | None]] = []


def column_spec() -> list[ColumnSpec]:
    """How each merged field is stored, for the engine to hand over rows in stored form."""
    out: list[ColumnSpec] = []
    for name in MODEL_FIELDS:
        field = _field(name)
        internal = field.get_internal_type()
        if internal == "JSONField":
            out.append((name, "json", None, field.get_default()))
        elif internal in ("CharField", "TextField"):
            out.append((name, "text", getattr(field, "max_length", None), ""))
        else:
            out.append((name, "value", None, None))
    return out


def apply_fields(patent: Patent, fields: dict[str, Any], as_of: dt.date) -> None:
    """Write merged values and the derived ones onto ``patent`` (not saved)."""
    if not _SPECS:
        _SPECS.extend(_field_specs())
    for name, empty, max_length in _SPECS:
        value = fields.get(name)
        if value is None:
            value = empty if empty is None else type(empty)()
        elif max_length and isinstance(value, str) and len(value) > max_length:
            value = value[:max_length]
        setattr(patent, name, value)
    derived = derive(fields, as_of)
    patent.expiry_date = derived.expiry_date
    patent.legal_status = derived.legal_status
    patent.applicant_kind = derived.applicant_kind
    patent.province = derived.province
    patent.city = derived.city

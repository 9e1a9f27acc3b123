"""Translation between engine records / merged field dicts and Patent model instances."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from patentbridge.patents.models import Patent
from patentbridge_engine.ingest.merge import MERGE_FIELDS, derive

__all__ = ["DERIVED_FIELDS", "MODEL_FIELDS", "apply_fields", "content_hash", "snapshot"]

MODEL_FIELDS = tuple(f for f in MERGE_FIELDS if f != "application_number")
DERIVED_FIELDS = ("expiry_date", "legal_status", "applicant_kind", "province", "city")


def snapshot(patent: Patent) -> dict[str, Any]:
    """The patent's merge-relevant values as an engine field dict."""
    data: dict[str, Any] = {"application_number": patent.application_number}
    for field in MODEL_FIELDS:
        value = getattr(patent, field)
        data[field] = list(value) if isinstance(value, list) else value
    return data


def _normalised(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def content_hash(fields: dict[str, Any]) -> str:
    """Stable hash of the merge-relevant values (empty and None compare equal)."""
    payload = {k: _normalised(fields.get(k)) for k in MODEL_FIELDS}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def apply_fields(patent: Patent, fields: dict[str, Any], as_of: dt.date) -> None:
    """Write merged values and the derived ones onto ``patent`` (not saved)."""
    for field in MODEL_FIELDS:
        value = fields.get(field)
        model_field = Patent._meta.get_field(field)
        if value is None and not model_field.null:
            value = [] if model_field.get_internal_type() == "JSONField" else ""
        if isinstance(value, str):
            max_length = getattr(model_field, "max_length", None)
            if max_length:
                value = value[:max_length]
        setattr(patent, field, value)
    derived = derive(fields, as_of)
    patent.expiry_date = derived.expiry_date
    patent.legal_status = derived.legal_status
    patent.applicant_kind = derived.applicant_kind
    patent.province = derived.province
    patent.city = derived.city
    patent.content_hash = content_hash(fields)

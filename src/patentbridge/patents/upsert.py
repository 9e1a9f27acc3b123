"""Bulk upsert of prepared rows into the library, keyed by application number.

Called by the importer once per chunk, inside the chunk's transaction. New patents arrive
with their fields, derived values and classes already computed (see the engine's
``ingest.prepare``) and go in with multi-row INSERTs; rows about stored patents are merged
here. One audit event is written per created or changed patent, none for unchanged rows.

Ownership: a row about a stored patent the importer may not change (another organisation's, see
``ownership.py`` for the rule and for why the refusal says no more than "not yours") is refused
before anything is merged: no field, party link, class or audit event of that patent changes, and
the row comes back in ``UpsertResult.refused`` for the importer to count and report as rejected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from patentbridge.accounts.models import Organization
from patentbridge.core.audit import current_request_id, diff, insert_event_rows
from patentbridge.core.bulk import insert_rows
from patentbridge.patents.classification import CLASS_COLUMNS, class_rows, get_classifier
from patentbridge.patents.models import Patent, PatentClass
from patentbridge.patents.ownership import REFUSED_IMPORT, writable_ids
from patentbridge.patents.parties import link_parties
from patentbridge.patents.records import MODEL_FIELDS, apply_fields, column_spec, snapshot
from patentbridge_engine.classify.rows import classification_rows
from patentbridge_engine.ids.orgs import normalize_org_name
from patentbridge_engine.ingest.build import is_publication_key
from patentbridge_engine.ingest.merge import derive, merge_fields, publication_conflict
from patentbridge_engine.ingest.prepare import PreparedRow, classification_text, column_values

__all__ = ["Refusal", "UpsertResult", "upsert_records"]

_DERIVED = ("expiry_date", "legal_status", "applicant_kind", "province", "city")
_NEW_COLUMNS = (
    *MODEL_FIELDS,
    *_DERIVED,
    "application_number",
    "owner_org",
    "submitted_by",
    "library_status",
    "self_assessment",
    "review_note",
    "source_batch",
    "source_row",
    "source_form",
    "created_at",
    "updated_at",
)
# Long texts (claims) are cut in the audit copy; the record itself keeps them whole.
_AUDIT_TEXT_LIMIT = 500


@dataclass(frozen=True)
class Refusal:
    """Why a valid row was not applied: the field, the row's value and a Chinese reason."""

    field: str
    value: str
    reason: str


@dataclass
class UpsertResult:
    """Per-row outcome of one chunk: "imported", "updated", "unchanged" or "rejected" by row number.

    ``refused`` holds the reason for each "rejected" row (a stored patent the importer may not change).
    """

    outcomes: dict[int, str] = field(default_factory=dict)
    refused: dict[int, Refusal] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for v in self.outcomes.values() if v == kind)


@dataclass
class _Context:
    actor: Any
    batch: Any
    now: dt.datetime
    org_id: int | None

    def event(
        self, action: str, patent_id: int, title: str, number: str, data: dict[str, Any]
    ) -> tuple[Any, ...]:
        actor_id = getattr(self.actor, "pk", None)
        name = self.actor.get_username() if actor_id else "system"
        return (
            self.now,
            actor_id,
            name,
            self.org_id,
            action,
            "patents.patent",
            str(patent_id),
            f"{number} {title}"[:300],
            current_request_id(),
            data,
        )


def _owners_by_applicant(rows: Sequence[PreparedRow]) -> dict[str, int]:
    """A platform-wide import attributes each new patent to the member organisation named as its
    first applicant, so a university sees its patents in a province-wide file."""

    names = {
        normalize_org_name(r.outcome.record.applicants[0])
        for r in rows
        if r.outcome.record and r.outcome.record.applicants
    }
    return dict(Organization.objects.filter(name__in=names).values_list("name", "pk"))


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, str) and len(value) > _AUDIT_TEXT_LIMIT:
            value = value[:_AUDIT_TEXT_LIMIT] + "…"
        out[key] = value
    return out


def upsert_records(
    rows: Sequence[PreparedRow],
    *,
    actor: Any,
    owner_org: Any,
    initial_status: str,
    batch: Any = None,
    as_of: dt.date | None = None,
) -> UpsertResult:
    """Merge accepted ``rows`` into the library; must run inside a transaction."""
    as_of = as_of or timezone.localdate()
    ctx = _Context(actor=actor, batch=batch, now=timezone.now(), org_id=getattr(owner_org, "pk", None))
    result = UpsertResult()
    accepted = [r for r in rows if r.outcome.record is not None]
    numbers = {r.outcome.record.application_number for r in accepted}  # type: ignore[union-attr]
    stored = {p.application_number: p for p in Patent.objects.filter(application_number__in=numbers)}
    writable = writable_ids(actor, owner_org, list(stored.values()))
    owners = _owners_by_applicant(accepted) if owner_org is None else {}
    new: dict[str, PreparedRow] = {}
    pending: dict[str, dict[str, Any]] = {}  # merged fields of new patents hit again in this chunk
    changed: dict[str, Patent] = {}
    before: dict[str, dict[str, Any]] = {}
    for row in accepted:
        record = row.outcome.record
        assert record is not None
        number = record.application_number
        if number not in stored and number not in new:
            new[number] = row
            result.outcomes[row.outcome.row_number] = "imported"
            continue
        if number in new:  # the same application again in this chunk (an A and a B publication)
            current = pending.get(number) or merge_fields({}, new[number].outcome.record)  # type: ignore[arg-type]
            if _refuse_if_other_application(number, current, row, result):
                continue
            merged = merge_fields(current, record)
            result.outcomes[row.outcome.row_number] = "unchanged" if merged == current else "updated"
            pending[number] = merged
            continue
        patent = stored[number]
        if patent.pk not in writable:
            # Refused whatever the row says: "unchanged" for an identical row would confirm the
            # other organisation's data (ownership.py).
            result.outcomes[row.outcome.row_number] = "rejected"
            result.refused[row.outcome.row_number] = Refusal("application_number", number, REFUSED_IMPORT)
            continue
        current = snapshot(patent)
        if _refuse_if_other_application(number, current, row, result):
            continue
        merged = merge_fields(current, record)
        if all(merged.get(f) == current.get(f) for f in MODEL_FIELDS):
            result.outcomes[row.outcome.row_number] = "unchanged"
            continue
        before.setdefault(number, current)
        apply_fields(patent, merged, as_of)
        patent.source_batch, patent.source_row = batch, row.outcome.row_number
        changed[number] = patent
        result.outcomes[row.outcome.row_number] = "updated"

    _refuse_untitled(new, pending, rows, result)
    events: list[tuple[Any, ...]] = []
    links: dict[int, tuple[list[str], list[str]]] = {}
    classes: list[tuple[Any, ...]] = []
    if new:
        _insert_new(new, pending, ctx, owner_org, owners, initial_status, as_of, events, links, classes)
    if changed:
        update_fields = [*MODEL_FIELDS, *_DERIVED, "source_batch", "source_row", "updated_at"]
        for patent in changed.values():
            patent.updated_at = ctx.now
        Patent.objects.bulk_update(list(changed.values()), update_fields, batch_size=500)
        PatentClass.objects.filter(patent__in=[p.pk for p in changed.values()]).delete()
        classifier = get_classifier()
        for number, patent in changed.items():
            classes.extend(class_rows(patent, classifier))
            links[patent.pk] = (list(patent.applicants), list(patent.patentees))
            change = diff(_jsonable(before[number]), _jsonable(snapshot(patent)), MODEL_FIELDS)
            change.update({"batch": getattr(batch, "pk", None), "row": patent.source_row})
            events.append(ctx.event("patents.patent.updated", patent.pk, patent.title, number, change))
    if links:
        link_parties(links, {p.pk for p in changed.values()})
    insert_rows(PatentClass, CLASS_COLUMNS, classes)
    insert_event_rows(events)
    return result


def _refuse_if_other_application(
    number: str, current: dict[str, Any], row: PreparedRow, result: UpsertResult
) -> bool:
    """Publication-keyed patents merge an A and a B row only when they are one application
    (engine ``publication_conflict``); otherwise the row is refused with the reason."""
    if not is_publication_key(number):
        return False
    record = row.outcome.record
    assert record is not None
    reason = publication_conflict(current, record)
    if not reason:
        return False
    result.outcomes[row.outcome.row_number] = "rejected"
    result.refused[row.outcome.row_number] = Refusal(
        "publication_number", record.publication_number or number, reason
    )
    return True


_UNTITLED = "缺少专利名称，不能入库；请补全专利名称后重新导入该行"


def _refuse_untitled(
    new: dict[str, PreparedRow],
    pending: dict[str, dict[str, Any]],
    rows: Sequence[PreparedRow],
    result: UpsertResult,
) -> None:
    """A new patent whose rows (merged) still carry no title never goes live: every row of it in
    this chunk is refused. Rows about stored patents may omit the title (merging never erases it)."""
    untitled = {
        number
        for number, row in new.items()
        if not str((pending.get(number) or {}).get("title") or row.outcome.record.title or "").strip()  # type: ignore[union-attr]
    }
    if not untitled:
        return
    for row in rows:
        record = row.outcome.record
        if record is None or record.application_number not in untitled:
            continue
        if result.outcomes.get(row.outcome.row_number) == "rejected":
            continue
        result.outcomes[row.outcome.row_number] = "rejected"
        result.refused[row.outcome.row_number] = Refusal("title", "", _UNTITLED)
    for number in untitled:
        new.pop(number)
        pending.pop(number, None)


def _insert_new(
    new: dict[str, PreparedRow],
    pending: dict[str, dict[str, Any]],
    ctx: _Context,
    owner_org: Any,
    owners: dict[str, int],
    initial_status: str,
    as_of: dt.date,
    events: list[tuple[Any, ...]],
    links: dict[int, tuple[list[str], list[str]]],
    classes: list[tuple[Any, ...]],
) -> None:
    """Insert new patents with their precomputed values; merged duplicates are recomputed here."""
    spec = column_spec()
    submitted_by = getattr(ctx.actor, "pk", None)
    batch_id = getattr(ctx.batch, "pk", None)
    now = connection.ops.adapt_datetimefield_value(ctx.now)
    rows = []
    for number, row in new.items():
        record = row.outcome.record
        assert record is not None
        derived, values, row_classes = row.derived, row.values, row.classes
        fields: dict[str, Any] = {
            "applicants": record.applicants,
            "patentees": record.patentees,
            "title": record.title,
        }
        # Merged with a later row of this chunk, or prepared without a column spec: recompute.
        if number in pending or not values:
            fields = pending.get(number) or merge_fields({}, record)
            derived, values = derive(fields, as_of), column_values(fields, spec)
            row_classes = classification_rows(
                get_classifier(), fields.get("ipc") or [], classification_text(fields)
            )
        assert derived is not None
        applicants = fields.get("applicants") or []
        owner = getattr(owner_org, "pk", None) or owners.get(
            normalize_org_name(applicants[0]) if applicants else ""
        )
        rows.append(
            (
                number,
                fields,
                row_classes,
                row.outcome.row_number,
                (
                    *values,
                    derived.expiry_date,
                    derived.legal_status,
                    derived.applicant_kind,
                    derived.province,
                    derived.city,
                    number,
                    owner,
                    submitted_by,
                    initial_status,
                    "",
                    "",
                    batch_id,
                    row.outcome.row_number,
                    False,
                    now,
                    now,
                ),
            )
        )
    insert_rows(Patent, _NEW_COLUMNS, (r[4] for r in rows))
    ids = dict(
        Patent.objects.filter(application_number__in=list(new)).values_list("application_number", "pk")
    )
    for number, fields, row_classes, row_number, _ in rows:
        pk = ids[number]
        classes.extend((pk, *c) for c in row_classes)
        links[pk] = (list(fields.get("applicants") or []), list(fields.get("patentees") or []))
        events.append(
            ctx.event(
                "patents.patent.imported",
                pk,
                fields.get("title", ""),
                number,
                {"batch": batch_id, "row": row_number},
            )
        )

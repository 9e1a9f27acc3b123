"""Bulk upsert of engine records into the library, keyed by application number.

Called by the importer once per chunk, inside the chunk's transaction. Writes patents,
their parties and classes, and one audit event per created or changed patent, with bulk
statements so that a chunk of 500 rows costs a handful of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from patentbridge.core.audit import build_event, diff
from patentbridge.core.models import AuditEvent
from patentbridge.patents.classification import classes_for, get_classifier
from patentbridge.patents.models import Party, Patent, PatentClass, PatentParty
from patentbridge.patents.records import MODEL_FIELDS, apply_fields, snapshot
from patentbridge_engine.ids.orgs import applicant_kind, normalize_org_name, region_of
from patentbridge_engine.ingest.merge import merge_fields
from patentbridge_engine.ingest.record import PatentRecord

__all__ = ["UpsertResult", "upsert_records"]


@dataclass
class UpsertResult:
    """Per-row outcome of one chunk: "imported", "updated" or "unchanged" by row number."""

    outcomes: dict[int, str] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for v in self.outcomes.values() if v == kind)


def _parties(patents: Sequence[Patent]) -> None:
    names = {normalize_org_name(n) for p in patents for n in [*p.applicants, *p.patentees] if n.strip()}
    existing = {party.name: party for party in Party.objects.filter(name__in=names)}
    missing = []
    for name in sorted(names - set(existing)):
        region = region_of(names=(name,))
        missing.append(
            Party(
                name=name[:200],
                kind=applicant_kind(name),
                province=region.province if region else "",
                city=region.city if region else "",
            )
        )
    Party.objects.bulk_create(missing, ignore_conflicts=True)
    if missing:
        existing.update(
            {party.name: party for party in Party.objects.filter(name__in=[m.name for m in missing])}
        )
    PatentParty.objects.filter(patent__in=[p.pk for p in patents]).delete()
    links = []
    for patent in patents:
        for role, group in (
            (PatentParty.Role.APPLICANT, patent.applicants),
            (PatentParty.Role.PATENTEE, patent.patentees),
        ):
            seen: set[str] = set()
            for position, raw in enumerate(group):
                name = normalize_org_name(raw)
                if name in existing and name not in seen:
                    seen.add(name)
                    links.append(
                        PatentParty(patent=patent, party=existing[name], role=role, position=position)
                    )
    PatentParty.objects.bulk_create(links, batch_size=1000)


def _owners_by_applicant(rows: Sequence[tuple[int, PatentRecord]]) -> dict[str, Any]:
    """A platform-wide import attributes each new patent to the member organisation named as its
    first applicant, so a university sees its patents in a province-wide file."""
    from patentbridge.accounts.models import Organization

    names = {normalize_org_name(r.applicants[0]) for _, r in rows if r.applicants}
    return {o.name: o for o in Organization.objects.filter(name__in=names)}


def upsert_records(
    rows: Sequence[tuple[int, PatentRecord]],
    *,
    actor: Any,
    owner_org: Any,
    initial_status: str,
    batch: Any = None,
    as_of: dt.date | None = None,
) -> UpsertResult:
    """Merge ``rows`` (row number, record) into the library; must run inside a transaction."""
    as_of = as_of or timezone.localdate()
    result = UpsertResult()
    numbers = {record.application_number for _, record in rows}
    stored = {p.application_number: p for p in Patent.objects.filter(application_number__in=numbers)}
    owners = _owners_by_applicant(rows) if owner_org is None else {}
    created: dict[str, Patent] = {}
    changed: dict[str, Patent] = {}
    before_values: dict[str, dict[str, Any]] = {}
    for row_number, record in rows:
        number = record.application_number
        patent = created.get(number) or stored.get(number)
        if patent is None:
            owner = owner_org or owners.get(
                normalize_org_name(record.applicants[0]) if record.applicants else ""
            )
            patent = Patent(
                application_number=number,
                owner_org=owner,
                library_status=initial_status,
                submitted_by=actor if getattr(actor, "pk", None) else None,
            )
            merged = merge_fields({}, record)
            apply_fields(patent, merged, as_of)
            patent.source_batch, patent.source_row = batch, row_number
            created[number] = patent
            result.outcomes[row_number] = "imported"
            continue
        current = snapshot(patent)
        merged = merge_fields(current, record)
        if all(merged.get(f) == current.get(f) for f in MODEL_FIELDS):
            result.outcomes[row_number] = "unchanged"
            continue
        before_values.setdefault(number, current)
        apply_fields(patent, merged, as_of)
        if number not in created:
            patent.source_batch, patent.source_row = batch, row_number
            changed[number] = patent
        result.outcomes[row_number] = "updated"

    Patent.objects.bulk_create(list(created.values()), batch_size=500)
    if changed:
        update_fields = [
            *MODEL_FIELDS,
            "expiry_date",
            "legal_status",
            "applicant_kind",
            "province",
            "city",
            "content_hash",
            "source_batch",
            "source_row",
            "updated_at",
        ]
        now = timezone.now()
        for patent in changed.values():
            patent.updated_at = now
        Patent.objects.bulk_update(list(changed.values()), update_fields, batch_size=500)
    touched = [*created.values(), *changed.values()]
    if touched:
        _parties(touched)
        PatentClass.objects.filter(patent__in=[p.pk for p in changed.values()]).delete()
        classifier = get_classifier()
        PatentClass.objects.bulk_create(
            [c for p in touched for c in classes_for(p, classifier)], batch_size=1000
        )
        events = [
            build_event(
                "patents.patent.imported",
                actor=actor,
                target=p,
                data={"batch": getattr(batch, "pk", None), "row": p.source_row},
            )
            for p in created.values()
        ]
        for number, patent in changed.items():
            change = diff(_jsonable(before_values[number]), _jsonable(snapshot(patent)), MODEL_FIELDS)
            change.update({"batch": getattr(batch, "pk", None), "row": patent.source_row})
            events.append(build_event("patents.patent.updated", actor=actor, target=patent, data=change))
        AuditEvent.objects.bulk_create(events, batch_size=500)
    return result


# Long texts (claims) are cut in the audit copy; the record itself keeps them whole.
_AUDIT_TEXT_LIMIT = 500


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, str) and len(value) > _AUDIT_TEXT_LIMIT:
            value = value[:_AUDIT_TEXT_LIMIT] + "…"
        out[key] = value
    return out

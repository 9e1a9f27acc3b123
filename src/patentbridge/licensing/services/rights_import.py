"""Imported licence, pledge and transfer records → the rights ledger, and the patent's counts kept
in step with the ledger.

The importer (a lower layer) keeps the incoPat right columns raw on ``Patent.right_records``
(``patentbridge_engine.ingest.rights``). This module subscribes to ``PATENTS_CHANGED`` and
``IMPORT_COMPLETED`` and reads those cells with the engine's ``events_from_incopat`` into
``RightEvent`` rows with ``source="import"`` and ``source_ref = "{record_no or kind}-{start}"``,
so a re-import updates a row instead of adding one. Import rows the cells no longer produce
(a record corrected or dropped at the source) are removed: the cells are the only evidence for them.

``Patent.license_count / pledge_count / transfer_count`` are what grading and the public list read
(they cannot import licensing). They are raised to the number of distinct records in the ledger —
never lowered below what the source reported, since an export may count records it does not list —
and a change is announced as ``PATENTS_CHANGED`` so grades follow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django_tasks import task

from patentbridge.core import audit, events
from patentbridge.licensing.choices import RightKindChoices, RightSourceChoices
from patentbridge.licensing.models import RightEvent
from patentbridge.licensing.services.ledger import record_right_event
from patentbridge.patents.models import Patent
from patentbridge.search.tasks import batch_numbers
from patentbridge_engine.licensing import ledger as engine_ledger
from patentbridge_engine.licensing.incopat import events_from_incopat

__all__ = [
    "COUNT_FIELDS",
    "SyncResult",
    "import_ref",
    "ledger_counts",
    "refresh_counts",
    "register",
    "sync_batch_task",
    "sync_numbers",
    "sync_numbers_task",
    "sync_patent",
]

# The kinds an incoPat row can produce; only these import rows are replaced by a re-read.
_IMPORT_KINDS = (RightKindChoices.LICENCE, RightKindChoices.PLEDGE, RightKindChoices.TRANSFER)
# Patent count field per ledger kind (what grading's transaction indicator reads).
COUNT_FIELDS = {
    RightKindChoices.LICENCE: "license_count",
    RightKindChoices.PLEDGE: "pledge_count",
    RightKindChoices.TRANSFER: "transfer_count",
}
# Patents per query (SQLite limits the parameters of one statement).
_CHUNK = 500
_COMPARED = ("sub_kind", "start_date", "end_date", "counterparty", "record_no")


@dataclass
class SyncResult:
    """What one read of a patent's cells changed: ledger rows created, updated and removed, and the
    count fields changed (``{"license_count": (before, after)}``)."""

    application_number: str
    created: int = 0
    updated: int = 0
    removed: int = 0
    counts: dict[str, tuple[int | None, int]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.counts)


def import_ref(event: engine_ledger.RightEvent, taken: set[tuple[str, str]]) -> str:
    """``{record_no or kind}-{start}``; a second record of the same kind and day without a record
    number (it cannot be told apart otherwise) gets ``-2``, ``-3`` by its position in the cell.
    ``taken`` collects the (kind, ref) pairs already given out for this patent."""
    base = f"{event.record_no.strip() or event.kind.value}-{event.start.isoformat()}"[:110]
    ref, n = base, 1
    while (event.kind.value, ref) in taken:
        n += 1
        ref = f"{base}-{n}"
    taken.add((event.kind.value, ref))
    return ref


def _values(event: engine_ledger.RightEvent) -> tuple[Any, ...]:
    return (event.sub_kind[:24], event.start, event.end, event.counterparty[:300], event.record_no[:64])


@transaction.atomic
def sync_patent(patent: Patent) -> SyncResult:
    """Bring ``patent``'s import rows in line with its ``right_records`` and its counts in line with
    the ledger. Idempotent: a second call changes nothing and writes no audit event."""
    result = SyncResult(patent.application_number)
    found, _problems = events_from_incopat(patent.right_records or {})
    existing = {
        (row.kind, row.source_ref): row
        for row in RightEvent.objects.filter(
            patent=patent, source=RightSourceChoices.IMPORT, kind__in=_IMPORT_KINDS
        )
    }
    taken: set[tuple[str, str]] = set()
    wanted: set[tuple[str, str]] = set()
    for event in found:
        ref = import_ref(event, taken)
        key = (event.kind.value, ref)
        wanted.add(key)
        row = existing.get(key)
        if row is not None and tuple(getattr(row, f) for f in _COMPARED) == _values(event):
            continue
        record_right_event(
            None,
            patent,
            kind=event.kind.value,
            start=event.start,
            end=event.end,
            sub_kind=event.sub_kind,
            counterparty=event.counterparty,
            record_no=event.record_no,
            source=RightSourceChoices.IMPORT,
            source_ref=ref,
            note="incoPat 导入",
            check_access=False,
        )
        if row is None:
            result.created += 1
        else:
            result.updated += 1
    stale = [row for key, row in existing.items() if key not in wanted]
    if stale:
        audit.record(
            "licensing.right_event.removed",
            actor=None,
            target=patent,
            data={
                "reason": "导入数据中已无该记录",
                "events": [
                    {"kind": r.kind, "source_ref": r.source_ref, "record_no": r.record_no} for r in stale
                ],
            },
        )
        RightEvent.objects.filter(pk__in=[r.pk for r in stale]).delete()
        result.removed = len(stale)
    result.counts = refresh_counts([patent]).get(patent.application_number, {})
    return result


def ledger_counts(patent_ids: Iterable[int]) -> dict[int, Counter[str]]:
    """Distinct licence, pledge and transfer records per patent: rows sharing a record number are
    one record (a filing imported and the platform's own contract, a registration and its change)."""
    keys: dict[int, dict[str, set[str]]] = {}
    rows = RightEvent.objects.filter(patent_id__in=list(patent_ids), kind__in=list(COUNT_FIELDS))
    for patent_id, kind, record_no, source, ref in rows.values_list(
        "patent_id", "kind", "record_no", "source", "source_ref"
    ):
        key = record_no.strip() or f"{source}:{ref}"
        keys.setdefault(patent_id, {}).setdefault(kind, set()).add(key)
    return {pid: Counter({kind: len(v) for kind, v in by_kind.items()}) for pid, by_kind in keys.items()}


@transaction.atomic
def refresh_counts(patents: Iterable[Patent]) -> dict[str, dict[str, tuple[int | None, int]]]:
    """Raise each patent's count fields to its ledger's record counts (audited per patent) and
    announce the changed patents; returns ``{number: {field: (before, after)}}`` for those changed."""
    patents = list(patents)
    counts = ledger_counts(p.pk for p in patents)
    changed: dict[str, dict[str, tuple[int | None, int]]] = {}
    for patent in patents:
        have = counts.get(patent.pk, Counter())
        fresh = Patent.objects.filter(pk=patent.pk).values(*COUNT_FIELDS.values()).first()
        if fresh is None:
            continue
        diff: dict[str, tuple[int | None, int]] = {}
        for kind, name in COUNT_FIELDS.items():
            before = fresh[name]
            target = max(before or 0, have.get(kind, 0))
            if have.get(kind, 0) and target != before:
                diff[name] = (before, target)
        if not diff:
            continue
        Patent.objects.filter(pk=patent.pk).update(**{name: after for name, (_, after) in diff.items()})
        for name, (_, after) in diff.items():
            setattr(patent, name, after)
        audit.record(
            "licensing.patent_counts.updated",
            actor=None,
            target=patent,
            data={
                "before": {k: v[0] for k, v in diff.items()},
                "after": {k: v[1] for k, v in diff.items()},
                "reason": "与权利负担台账一致",
            },
        )
        changed[patent.application_number] = diff
    if changed:
        events.announce(events.PATENTS_CHANGED, sorted(changed))
    return changed


def _candidates(numbers: list[str] | None) -> Iterator[list[Patent]]:
    """Patents worth reading, in chunks: those with right cells or ledger rows."""
    has_rights = ~Q(right_records={}) | Q(right_events__isnull=False)
    if numbers is None:
        ids = list(Patent.objects.filter(has_rights).values_list("pk", flat=True).distinct().order_by("pk"))
        for start in range(0, len(ids), _CHUNK):
            yield list(Patent.objects.filter(pk__in=ids[start : start + _CHUNK]).order_by("pk"))
        return
    for start in range(0, len(numbers), _CHUNK):
        chunk = numbers[start : start + _CHUNK]
        yield list(
            Patent.objects.filter(application_number__in=chunk).filter(has_rights).distinct().order_by("pk")
        )


def sync_numbers(numbers: Iterable[str] | None = None) -> list[SyncResult]:
    """Sync the given patents (all with right cells or ledger rows when None); the changed ones."""
    wanted = None if numbers is None else sorted(set(numbers))
    out: list[SyncResult] = []
    for chunk in _candidates(wanted):
        for patent in chunk:
            result = sync_patent(patent)
            if result.changed:
                out.append(result)
    return out


@task()
def sync_numbers_task(numbers: list[str]) -> int:
    """Background job: the ledger follows changed patents; returns how many changed."""
    return len(sync_numbers(numbers))


@task()
def sync_batch_task(batch_id: int) -> int:
    """Background job: the ledger follows an import batch's patents; returns how many changed."""
    numbers = batch_numbers(batch_id)
    return len(sync_numbers(numbers)) if numbers else 0


def _on_patents_changed(numbers: Any) -> None:
    sync_numbers_task.enqueue(list(numbers))


def _on_import_completed(batch_id: Any) -> None:
    sync_batch_task.enqueue(int(batch_id))


def _on_contract_signed(sender: Any, contract: Any, **kwargs: Any) -> None:
    """A signed contract wrote licence rows: the licensed patents' counts follow at once (in the
    signing's transaction)."""
    refresh_counts(contract.patents.all())


def register() -> None:
    """Subscribe to the library's events and to contract signing, and name the ledger's and the
    sweep's audit actions (listed in ``licensing/wiring.py``)."""
    from patentbridge.licensing import signals
    from patentbridge.licensing.services.sweep import register_labels

    register_labels()
    events.subscribe(events.PATENTS_CHANGED, _on_patents_changed)
    events.subscribe(events.IMPORT_COMPLETED, _on_import_completed)
    signals.contract_signed.connect(_on_contract_signed, dispatch_uid="licensing.rights_import.counts")

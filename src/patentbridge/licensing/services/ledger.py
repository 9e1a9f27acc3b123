"""The rights ledger (权利负担台账, transactions-and-analytics.md §1.1) as the services read and write it.

Every licensing check asks the engine's ``encumbrances(facts, events, as_of)``; this module turns a
stored patent and its ``RightEvent`` rows into the engine's ``PatentFacts`` and events, and is the
one place that writes ledger rows for the platform's own records (contracts, declarations, manual
entries). Writes are idempotent on (patent, kind, source, source_ref): recording the same fact
again updates the row instead of adding a second one, so a repeated sweep or re-signed amendment
never doubles a licence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.licensing.choices import RightKindChoices, RightSourceChoices
from patentbridge.licensing.models import RightEvent
from patentbridge.patents.models import Patent
from patentbridge_engine.legal.terms import PatentType
from patentbridge_engine.licensing import ledger as engine_ledger

__all__ = [
    "encumbrances_for",
    "end_right_events",
    "ledger_events",
    "patent_facts",
    "record_right_event",
    "territory_code",
    "to_engine_event",
]

# Legal states that mean the patent was granted at some point (its later fate is read from dates).
_GRANTED_STATES = frozenset({"granted", "expired", "lapsed_non_payment", "invalidated", "abandoned"})
# Territory words that mean the whole country (the engine's "CN").
_WHOLE_COUNTRY = frozenset({"", "CN", "中国", "中国境内", "全国", "中华人民共和国境内"})
# Fields compared when a fact is recorded again (what an update may change).
_FIELDS = (
    "sub_kind",
    "start_date",
    "end_date",
    "counterparty",
    "counterparty_uscc",
    "record_no",
    "consents",
    "territory",
    "field_of_use",
    "note",
)


def territory_code(text: str) -> str:
    """A contract's territory as the ledger stores it: ``CN`` for the whole country, else the text
    (a GB/T 2260 code or a region name) stripped."""
    t = (text or "").strip()
    return "CN" if t.upper() in _WHOLE_COUNTRY or t in _WHOLE_COUNTRY else t


def _valid_on(patent: Patent, as_of: dt.date) -> bool:
    """The stored legal status says 有效 on ``as_of``: a granted patent before any lapse or expiry;
    a lapsed or expired one only before its recorded date; an invalidated one never (void from the
    start, 专利法 Art. 47)."""
    status = patent.legal_status
    if patent.grant_date is not None and patent.grant_date > as_of:
        return False
    if patent.expiry_date is not None and patent.expiry_date < as_of:
        return False
    if status == "granted":
        return patent.lapse_date is None or patent.lapse_date > as_of
    if status in ("lapsed_non_payment", "abandoned"):
        return patent.lapse_date is not None and patent.lapse_date > as_of
    if status == "expired":
        return patent.expiry_date is not None and patent.expiry_date >= as_of
    return False


def patent_facts(patent: Patent, as_of: dt.date) -> engine_ledger.PatentFacts:
    """The engine's view of a stored patent on ``as_of`` (patentees fall back to the applicants when
    the record carries no current patentee list)."""
    try:
        ptype: PatentType | None = PatentType(patent.patent_type) if patent.patent_type else None
    except ValueError:
        ptype = None
    names = [str(n) for n in (patent.patentees or patent.applicants or [])]
    return engine_ledger.PatentFacts(
        application_number=patent.application_number,
        patent_type=ptype,
        title=patent.title,
        granted=patent.legal_status in _GRANTED_STATES or patent.grant_date is not None,
        grant_date=patent.grant_date,
        expiry_date=patent.expiry_date,
        lapse_date=patent.lapse_date,
        valid=_valid_on(patent, as_of),
        patentees=tuple(dict.fromkeys(n.strip() for n in names if n.strip())),
    )


def to_engine_event(row: RightEvent) -> engine_ledger.RightEvent:
    """One stored ledger row as the engine's event. The engine quotes ``ref`` in its reasons, so
    only the platform's own records (contract numbers, declarations) pass their reference; an
    imported or hand-entered row is quoted by its CNIPA record number instead of a batch/row key."""
    own = row.source in (RightSourceChoices.CONTRACT, RightSourceChoices.DECLARATION)
    return engine_ledger.RightEvent(
        kind=engine_ledger.RightKind(row.kind),
        start=row.start_date,
        end=row.end_date,
        sub_kind=row.sub_kind,
        counterparty=row.counterparty,
        record_no=row.record_no,
        source=row.source,
        ref=row.source_ref if own else row.record_no,
        consents=frozenset(str(c) for c in (row.consents or [])),
        territory=row.territory or "CN",
        field_of_use=row.field_of_use,
    )


def ledger_events(patent: Patent, *, exclude_ref: str = "") -> list[engine_ledger.RightEvent]:
    """Every ledger event of ``patent`` oldest first; ``exclude_ref`` leaves out the rows a platform
    contract with that number wrote (a contract is never checked against itself)."""
    rows = RightEvent.objects.filter(patent=patent).order_by("start_date", "pk")
    if exclude_ref:
        rows = rows.exclude(source=RightSourceChoices.CONTRACT, source_ref=exclude_ref)
    return [to_engine_event(r) for r in rows]


def encumbrances_for(patent: Patent, as_of: dt.date, *, exclude_ref: str = "") -> engine_ledger.Encumbrances:
    """What burdens ``patent`` on ``as_of`` (the engine's answer over its stored facts and events)."""
    return engine_ledger.encumbrances(
        patent_facts(patent, as_of), ledger_events(patent, exclude_ref=exclude_ref), as_of
    )


def _check_ledger_access(actor: Any, patent: Patent) -> None:
    """A manual ledger entry: operators and admins anywhere, a TTO on its own organisation's patents."""
    if not policies.can(actor, "licensing.ledger"):
        raise PermissionDenied("只有技术转移办公室或运营人员可以登记权利事件")
    if policies.is_platform_wide(actor):
        return
    member = policies.membership_of(actor)
    if member is None or patent.owner_org_id != member.org_id:
        raise PermissionDenied("只能为本机构的专利登记权利事件")


def _snapshot(row: RightEvent) -> dict[str, Any]:
    values = {f: getattr(row, f) for f in _FIELDS}
    for key in ("start_date", "end_date"):
        values[key] = values[key].isoformat() if values[key] else None
    return values


def record_right_event(
    actor: Any,
    patent: Patent,
    *,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    sub_kind: str = "",
    counterparty: str = "",
    record_no: str = "",
    source: str = "manual",
    source_ref: str,
    consents: Iterable[str] = (),
    note: str = "",
    counterparty_uscc: str = "",
    territory: str = "CN",
    field_of_use: str = "",
    is_demo: bool = False,
    check_access: bool = True,
) -> RightEvent:
    """Record one dated right fact (audited). Idempotent on (patent, kind, source, source_ref): the
    same fact recorded again updates the row (one ``updated`` audit event with the changes) or,
    when nothing changed, returns it untouched.

    ``check_access``: a person entering a fact by hand (``actor`` given) needs the ledger role and,
    as a TTO, must own the patent; services that already checked their own object (a contract's
    signing, a declaration's publication) pass ``False``."""
    if kind not in RightKindChoices.values:
        raise ValidationError(f"未知的权利事件类型：{kind}")
    if source not in RightSourceChoices.values:
        raise ValidationError(f"未知的权利事件来源：{source}")
    if not str(source_ref).strip() or len(str(source_ref)) > 120:
        raise ValidationError("权利事件须注明来源记录（不超过 120 个字符）")
    if end is not None and end < start:
        raise ValidationError(f"权利事件的结束日期 {end} 早于开始日期 {start}")
    if check_access and actor is not None:
        _check_ledger_access(actor, patent)
    values: dict[str, Any] = {
        "sub_kind": sub_kind[:24],
        "start_date": start,
        "end_date": end,
        "counterparty": counterparty[:300],
        "counterparty_uscc": counterparty_uscc[:18],
        "record_no": record_no[:64],
        "consents": sorted(set(consents)),
        "territory": territory_code(territory)[:60],
        "field_of_use": field_of_use[:200],
        "note": note[:300],
    }
    with transaction.atomic():
        row = (
            RightEvent.objects.select_for_update()
            .filter(patent=patent, kind=kind, source=source, source_ref=source_ref)
            .first()
        )
        if row is None:
            row = RightEvent.objects.create(
                patent=patent, kind=kind, source=source, source_ref=source_ref, is_demo=is_demo, **values
            )
            audit.record(
                "licensing.right_event.recorded",
                actor=actor,
                target=row,
                data={"patent": patent.application_number, "kind": kind, **_snapshot(row)},
            )
            return row
        before = _snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        after = _snapshot(row)
        if before == after:
            return row
        row.save(update_fields=list(values))
        audit.record(
            "licensing.right_event.updated",
            actor=actor,
            target=row,
            data={"patent": patent.application_number, "kind": kind, **audit.diff(before, after)},
        )
        return row


def end_right_events(
    source: str, source_ref: str, on_date: dt.date, *, actor: Any = None, patent: Patent | None = None
) -> int:
    """End every ledger row written by ``source``/``source_ref`` (a contract number, a declaration)
    on ``on_date`` — only ``patent``'s when given (a patent leaving a running contract): rows still
    running past that day get ``end_date = on_date``; rows that start after it (a licence that
    never began) end on their start day, the shortest interval the ledger holds. Returns how many
    rows changed; one audit event lists them."""
    changed: list[str] = []
    with transaction.atomic():
        rows = RightEvent.objects.select_for_update(of=("self",)).filter(source=source, source_ref=source_ref)
        if patent is not None:
            rows = rows.filter(patent=patent)
        for row in rows.select_related("patent"):
            new_end = max(on_date, row.start_date)
            if row.end_date is not None and row.end_date <= new_end:
                continue
            row.end_date = new_end
            row.save(update_fields=["end_date"])
            changed.append(row.patent.application_number)
        if changed:
            audit.record(
                "licensing.right_event.ended",
                actor=actor,
                data={
                    "source": source,
                    "source_ref": source_ref,
                    "on_date": on_date.isoformat(),
                    "patents": changed,
                },
            )
    return len(changed)

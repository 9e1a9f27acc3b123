"""Grading patents (after commit, on demand), TTO overrides, and the back-test on the library.

Grades are derived data: a recomputation writes one summary audit event, not one per patent;
a person's override is audited per patent with before/after and the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.demands.choices import NeedStatusChoices
from patentbridge.demands.models import TechNeed
from patentbridge.grading.models import GRADE_CHOICES, Implementation, PatentGrade
from patentbridge.patents.models import Patent, PatentClass
from patentbridge.patents.queries import restrict
from patentbridge_engine.grading import GradingInput, grade_patent, policy_for
from patentbridge_engine.grading.backtest import BacktestReport, backtest

__all__ = ["grade_numbers", "grading_input", "override_grade", "run_backtest"]

_BATCH = 1000


def _demand_index() -> dict[str, set[int]]:
    """IPC subclass → open needs classified under it (the industry demand signal)."""
    index: dict[str, set[int]] = defaultdict(set)
    for pk, ipc in TechNeed.objects.filter(status=NeedStatusChoices.OPEN).values_list("pk", "ipc"):
        for code in ipc or []:
            index[str(code)[:4]].add(pk)
    return index


def grading_input(
    patent: Patent, sei_codes: list[str] | None, demand: dict[str, set[int]] | None
) -> GradingInput:
    """The engine's view of a stored patent; ``sei_codes`` None = not classified yet."""
    needs = None
    if demand is not None:
        needs = len(set().union(*(demand.get(str(c)[:4], set()) for c in patent.ipc or [])))
    return GradingInput(
        patent_type=patent.patent_type or None,
        legal_status=patent.legal_status or None,
        filing_date=patent.filing_date,
        grant_date=patent.grant_date,
        expiry_date=patent.expiry_date,
        claims_count=patent.claims_count,
        main_claim=patent.main_claim,
        family=list(patent.family or []),
        family_size=patent.family_size,
        cited_by_count=patent.cited_by_count,
        citations=list(patent.citations or []) or None,
        ipc=list(patent.ipc or []),
        sei_codes=sei_codes,
        transfer_count=patent.transfer_count,
        license_count=patent.license_count,
        pledge_count=patent.pledge_count,
        applicant_kind=patent.applicant_kind or None,
        applicants=list(patent.applicants or []),
        demand_needs=needs,
    )


def _sei_codes(patent_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for pid, code in PatentClass.objects.filter(patent_id__in=patent_ids, scheme="sei").values_list(
        "patent_id", "code"
    ):
        out[pid].append(code)
    return out


def grade_numbers(numbers: Iterable[str] | None = None, *, as_of: dt.date | None = None) -> int:
    """(Re)grade the given patents (all when None) under the policy in force on ``as_of``."""
    as_of = as_of or timezone.localdate()
    policy = policy_for(as_of)
    demand = _demand_index()
    qs = Patent.objects.order_by("pk")
    if numbers is not None:
        qs = qs.filter(application_number__in=list(numbers))
    ids = list(qs.values_list("pk", flat=True))
    now = timezone.now()
    for start in range(0, len(ids), _BATCH):
        chunk_ids = ids[start : start + _BATCH]
        # Read and compute outside any transaction: SQLite transactions here start with BEGIN
        # IMMEDIATE, so a transaction around the computation would hold the write lock for the
        # whole chunk and keep logins and other writers waiting (the daily sweep regrades all).
        patents = list(Patent.objects.filter(pk__in=chunk_ids))
        sei = _sei_codes(chunk_ids)
        classified = set(
            PatentClass.objects.filter(patent_id__in=chunk_ids).values_list("patent_id", flat=True)
        )
        rows: list[PatentGrade] = []
        for patent in patents:
            result = grade_patent(
                grading_input(patent, sei.get(patent.pk, []) if patent.pk in classified else None, demand),
                as_of,
                policy,
            )
            row = PatentGrade(patent=patent, grade=result.grade, score=result.score, coverage=result.coverage)
            row.policy_version, row.detail, row.high_value = (
                result.policy_version,
                result.as_dict(),
                result.high_value,
            )
            row.graded_at = now
            rows.append(row)
        _write_grades(chunk_ids, rows)
    if ids:
        with transaction.atomic():
            audit.record(
                "grading.grades.computed",
                actor=None,
                data={"patents": len(ids), "policy_version": policy.version, "as_of": as_of.isoformat()},
            )
    return len(ids)


_GRADE_FIELDS = ("grade", "score", "coverage", "policy_version", "detail", "high_value", "graded_at", "final")


def _write_grades(chunk_ids: list[int], rows: list[PatentGrade]) -> None:
    """One short write per chunk. Rows that exist now (another run may have created them since
    the chunk was read) are updated; a person's override, read inside the write, stays final."""
    with transaction.atomic():
        existing = {
            g.patent_id: g
            for g in PatentGrade.objects.filter(patent_id__in=chunk_ids).only("pk", "patent_id", "override")
        }
        create: list[PatentGrade] = []
        update: list[PatentGrade] = []
        for row in rows:
            current = existing.get(row.patent_id)
            row.override = current.override if current else ""
            row.final = row.override or row.grade
            if current is not None:
                row.pk = current.pk
                update.append(row)
            else:
                create.append(row)
        PatentGrade.objects.bulk_create(create, batch_size=500)
        PatentGrade.objects.bulk_update(update, list(_GRADE_FIELDS), batch_size=500)


@transaction.atomic
def override_grade(*, actor: Any, patent: Patent, grade: str, reason: str) -> PatentGrade:
    """A TTO (own organisation) or an operator sets the grade by hand, with a written reason;
    an empty ``grade`` removes the override. The computed grade stays visible beside it."""
    if not (
        policies.is_platform_wide(actor)
        or (
            policies.can(actor, "grading.override")
            and restrict(Patent.objects.filter(pk=patent.pk), actor, "change").exists()
        )
    ):
        raise PermissionDenied("只有本单位技术转移人员或运营人员可以调整分级")
    if grade and grade not in dict(GRADE_CHOICES):
        raise ValidationError({"grade": "分级只能是 A、B、C、D"})
    reason = reason.strip()
    if grade and len(reason) < 4:
        raise ValidationError({"reason": "请写明调整分级的理由（至少 4 个字）"})
    row = PatentGrade.objects.select_for_update().filter(patent=patent).first()
    if row is None:
        raise ValidationError({"grade": "该专利尚未完成系统分级，请稍后再调整"})
    before = {"override": row.override, "reason": row.override_reason, "final": row.final}
    row.override, row.override_reason = grade, reason if grade else ""
    row.override_by, row.override_at = (actor, timezone.now()) if grade else (None, None)
    row.final = grade or row.grade
    row.save()
    audit.record(
        "grading.grade.overridden" if grade else "grading.grade.override_removed",
        actor=actor,
        target=patent,
        org=patent.owner_org,
        data={
            "before": before,
            "after": {"override": row.override, "reason": row.override_reason, "final": row.final},
            "computed": {"grade": row.grade, "score": row.score, "policy_version": row.policy_version},
        },
    )
    return row


def run_backtest(queryset: Any = None, *, as_of: dt.date | None = None) -> BacktestReport:
    """Back-test the policy in force on ``as_of`` on the stored patents."""
    as_of = as_of or timezone.localdate()
    policy = policy_for(as_of)
    qs = queryset if queryset is not None else Patent.objects.all()
    patents = list(qs.order_by("pk"))
    sei = _sei_codes([p.pk for p in patents])
    demand = _demand_index()
    inputs = [grading_input(p, sei.get(p.pk, []), demand) for p in patents]
    return backtest(inputs, as_of, policy)


def implemented_on(patent_ids: list[int]) -> dict[int, dt.date]:
    """First recorded implementation date per patent."""
    out: dict[int, dt.date] = {}
    for pid, date in Implementation.objects.filter(patent_id__in=patent_ids).values_list("patent_id", "date"):
        out[pid] = min(date, out.get(pid, date))
    return out

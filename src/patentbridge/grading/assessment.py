"""Pre-filing assessment (申请前评估): a draft disclosure against the library and the demand.

The report gives the most similar patents the author may see (the novelty signal, with the
shared terms and passage), the suggested IPC and industry chains, the open needs in that field,
and a predicted grade with its reasons. The draft itself never enters a search index.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.core import audit
from patentbridge.core.restrict import restrict as restrict_rows
from patentbridge.demands.choices import NeedStatusChoices
from patentbridge.demands.models import TechNeed
from patentbridge.demands.services import classify_need
from patentbridge.grading.models import Assessment
from patentbridge.patents.classification import get_classifier
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import restrict
from patentbridge.search.index import get_index, get_needs_index
from patentbridge_engine.classify import parse_ipc_list
from patentbridge_engine.grading import GradingInput, grade_patent
from patentbridge_engine.ids.orgs import applicant_kind

__all__ = ["MAX_DRAFT_CHARS", "assess_draft", "assessment_rule", "get_assessment", "visible_assessments"]

# Longest draft (abstract + claims) accepted. A full invention disclosure with claims is typically
# 5,000-20,000 characters; 50,000 leaves room for long ones while the suggestion, search and
# matching stay well under a second (classification measured 0.34 s at 50,000, 1.6 s at 200,000).
MAX_DRAFT_CHARS = 50_000
_MAX_TITLE_CHARS = 300
_CLAIM_NUMBER = re.compile(r"(?:^|\n)\s*(\d+)\s*[.．、]")


def _claims(text: str) -> tuple[int | None, str]:
    numbers = [int(n) for n in _CLAIM_NUMBER.findall(text or "")]
    count = max(numbers) if numbers else (1 if text.strip() else None)
    first = re.split(r"\n\s*2\s*[.．、]", text or "", maxsplit=1)[0].strip()
    return count, first


def _similar(user: Any, text: str, ipc: list[str]) -> list[dict[str, Any]]:
    allowed = set(restrict(Patent.objects.all(), user).values_list("application_number", flat=True))
    if not allowed:
        return []
    hits = get_index().search(text, 10, allowed=allowed, query_ipc=ipc)
    patents = Patent.objects.in_bulk([h.id for h in hits], field_name="application_number")
    return [
        {
            "application_number": h.id,
            "title": patents[h.id].title,
            "applicants": list(patents[h.id].applicants or [])[:3],
            "terms": list(h.terms),
            "passage": h.sentence,
            "shared_ipc": list(h.shared_ipc),
            "keyword_match": h.keyword_rank is not None,
        }
        for h in hits
        if h.id in patents
    ]


def _novelty(similar: list[dict[str, Any]]) -> str:
    if not similar:
        return "库中没有可比的专利"
    top = similar[0]
    if top["keyword_match"] and len(top["terms"]) >= 5:
        return (
            f"与 {top['application_number']} 高度相似（共有 {len(top['terms'])} 个关键词），请重点比对新颖性"
        )
    if top["keyword_match"] and len(top["terms"]) >= 2:
        return "与库内专利有部分相同技术要素，建议检索比对后再决定"
    return "库内未见高度相似的专利（仅为库内初筛，不代替查新检索）"


def _demand(text: str, classification: dict[str, Any]) -> dict[str, Any]:
    """Open needs in the same field (a shared suggested IPC subclass or industry chain), and the
    needs whose text is closest to the draft."""
    subclasses = {str(s["code"])[:4] for s in classification["suggested_ipc"]} | {
        c[:4] for c in classification["ipc"]
    }
    chains = {c["code"] for c in classification["chains"]}
    open_needs = TechNeed.objects.filter(status=NeedStatusChoices.OPEN)
    same_field = [
        n
        for n in open_needs.only("pk", "ipc", "chains")
        if subclasses & {str(c)[:4] for c in n.ipc or []} or chains & {c.get("code") for c in n.chains or []}
    ]
    allowed = {str(pk) for pk in open_needs.values_list("pk", flat=True)}
    hits = get_needs_index().search(text, 5, allowed=allowed) if allowed else []
    needs = TechNeed.objects.select_related("org").in_bulk([int(h.id) for h in hits])
    return {
        "same_field_count": len(same_field),
        "related": [
            {
                "id": int(h.id),
                "title": needs[int(h.id)].title,
                "org": needs[int(h.id)].org.name,
                "terms": list(h.terms),
            }
            for h in hits
            if int(h.id) in needs and h.keyword_rank is not None
        ],
    }


def assess_draft(*, actor: Any, title: str, abstract: str, claims: str = "") -> Assessment:
    """Assess a draft disclosure and save the report for the author's organisation.

    All the analysis (suggestion, search, matching, grading) runs before the write transaction,
    which holds SQLite's write lock only for the report row and its audit row."""
    if not policies.can(actor, "grading.assess"):
        raise PermissionDenied("只有技术转移人员、发明人或运营人员可以做申请前评估")
    member = policies.membership_of(actor)
    if member is None:
        raise PermissionDenied("请先加入一个机构")
    title, abstract = title.strip(), abstract.strip()
    if not title or len(abstract) < 20:
        raise ValidationError({"abstract": "请填写发明名称和不少于 20 字的技术方案摘要"})
    if len(title) > _MAX_TITLE_CHARS:
        raise ValidationError({"title": f"发明名称不能超过 {_MAX_TITLE_CHARS} 字（当前 {len(title)} 字）"})
    if len(abstract) + len(claims) > MAX_DRAFT_CHARS:
        raise ValidationError(
            {
                "abstract": f"技术方案摘要与权利要求合计不能超过 {MAX_DRAFT_CHARS:,} 字"
                f"（当前 {len(abstract) + len(claims):,} 字），请删减后再评估"
            }
        )
    text = f"{title}。{abstract}"
    classification = classify_need(title, f"{abstract}\n{claims}")
    ipc = classification["ipc"]
    codes, _ = parse_ipc_list(ipc)
    sei = [
        a.code
        for a in get_classifier().classify(codes, text, suggest_when_missing=False)
        if a.scheme == "sei"
    ]
    similar = _similar(actor, text, ipc)
    demand = _demand(text, classification)
    count, first_claim = _claims(claims)
    predicted = grade_patent(
        GradingInput(
            patent_type="invention",
            claims_count=count,
            main_claim=first_claim,
            ipc=ipc,
            sei_codes=sei,
            applicant_kind=applicant_kind(member.org.name),
            applicants=[member.org.name],
            filing_date=timezone.localdate(),
            demand_needs=demand["same_field_count"],
        ),
        timezone.localdate(),
    )
    report = {
        "similar": similar,
        "novelty": _novelty(similar),
        "suggested_ipc": classification["suggested_ipc"],
        "chains": classification["chains"],
        "demand": demand,
        "predicted": predicted.as_dict(),
        "note": "预测分级按授权后的发明专利估算；法律状态、同族、引证等授权后才有的数据记为缺失，不计分。",
    }
    with transaction.atomic():
        assessment = Assessment.objects.create(
            org=member.org, created_by=actor, title=title, abstract=abstract, claims=claims, report=report
        )
        audit.record(
            "grading.assessment.created",
            actor=actor,
            target=assessment,
            org=member.org,
            data={
                "predicted_grade": predicted.grade,
                "similar": [s["application_number"] for s in similar[:3]],
            },
        )
    return assessment


def assessment_rule(queryset: QuerySet[Assessment], user: Any, action: str = "view") -> QuerySet[Assessment]:
    """Only the author's organisation sees its drafts (operators included: drafts are confidential)."""
    member = policies.membership_of(user)
    if member is None:
        return queryset.none()
    return queryset.filter(org=member.org)


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    """The drafts this user may see (the Assessment rule of ``core.restrict``)."""
    return restrict_rows(Assessment.objects.all(), user)


def get_assessment(user: Any, pk: int) -> Assessment:
    return get_object_or_404(visible_assessments(user), pk=pk)

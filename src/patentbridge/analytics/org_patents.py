"""An organisation's library patents for its drill-down page: grade, chains and licences signed by
the as-of date, best grades first."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from patentbridge.analytics.indicators import Context
from patentbridge.analytics.indicators.library import library_ids
from patentbridge.licensing.models import LicenceContract
from patentbridge.patents.models import IndustryChain, Patent, PatentClass

__all__ = ["ROW_LIMIT", "org_patent_rows"]

# A page, not an export: the library list (linked from the page) pages through the rest.
ROW_LIMIT = 100
_GRADE_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3, "": 4}


def org_patent_rows(ctx: Context) -> dict[str, Any]:
    """{"rows": [...], "total": n, "shown": m} for the scope's in-library patents on ``as_of``."""
    ids = library_ids(ctx).values("pk")
    patents = list(
        Patent.objects.filter(pk__in=ids)
        .select_related("grade")
        .only("pk", "application_number", "title", "patent_type", "grade__final", "grade__high_value")
    )
    names = dict(IndustryChain.objects.values_list("code", "name"))
    chains: dict[int, list[str]] = defaultdict(list)
    for pk, code in PatentClass.objects.filter(scheme="chain", patent_id__in=ids).values_list(
        "patent_id", "code"
    ):
        chains[pk].append(names.get(code, code))
    through = LicenceContract.patents.through
    # The through table's foreign key to the contract (named after the model for a plain
    # many-to-many, "contract" on the ContractPatent scope rows): asked of the field, not spelled here.
    fk = LicenceContract.patents.field.m2m_field_name()
    licences = Counter(
        through.objects.filter(
            patent_id__in=ids,
            **{f"{fk}__signed_at__isnull": False},
            **{f"{fk}__signed_at__lte": ctx.as_of},
        ).values_list("patent_id", flat=True)
    )

    def grade_of(p: Patent) -> tuple[str, bool]:
        grade = getattr(p, "grade", None)
        return (grade.final, grade.high_value) if grade is not None else ("", False)

    patents.sort(key=lambda p: (_GRADE_ORDER.get(grade_of(p)[0], 4), -licences[p.pk], p.application_number))
    rows = [
        {
            "number": p.application_number,
            "title": p.title,
            "type": p.get_patent_type_display() or "类型未知",
            "grade": grade_of(p)[0] or "未分级",
            "high_value": grade_of(p)[1],
            "chains": "、".join(sorted(chains[p.pk])) or "—",
            "licences": licences[p.pk],
        }
        for p in patents[:ROW_LIMIT]
    ]
    return {"rows": rows, "total": len(patents), "shown": len(rows)}

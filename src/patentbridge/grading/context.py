"""What the patent page shows of grading: the breakdown, flags, overrides, list entries."""

from __future__ import annotations

from typing import Any

from patentbridge.grading.models import GRADE_CHOICES, Implementation, PatentGrade, PublicListEntry
from patentbridge.grading.public_list import may_act_for
from patentbridge.patents.models import Patent
from patentbridge_engine.grading.indicators import DIMENSIONS

__all__ = ["grade_context"]


def grade_context(user: Any, patent: Patent) -> dict[str, Any]:
    grade = PatentGrade.objects.filter(patent=patent).select_related("override_by").first()
    dimensions: list[tuple[str, list[dict[str, Any]]]] = []
    if grade is not None:
        for key, label in DIMENSIONS.items():
            rows = [i for i in grade.detail.get("indicators", []) if i["dimension"] == key]
            dimensions.append((label, rows))
    may_act = may_act_for(user, patent)
    return {
        "grade": grade,
        "grade_dimensions": dimensions,
        "grade_choices": GRADE_CHOICES,
        "may_override": may_act,
        "list_entries": PublicListEntry.objects.filter(patent=patent),
        "implementations": Implementation.objects.filter(patent=patent),
        "implementation_kinds": Implementation.Kind.choices,
    }

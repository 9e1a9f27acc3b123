"""What grading adds to other apps' pages (registered in ``GradingConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from patentbridge.core.panels import register_panel
from patentbridge.grading.context import grade_context

__all__ = ["register"]


def _patent_grade(request: HttpRequest, patent: Any) -> dict[str, Any]:
    """The patent's grade breakdown, high-value flags, override form, list entries and implementations."""
    return {"patent": patent, **grade_context(request.user, patent)}


def register() -> None:
    """The patent page shows the grade card right after the record's header."""
    register_panel("patent", "grade", "grading/_patent_panel.html", _patent_grade, order=20)

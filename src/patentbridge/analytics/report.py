"""One statistics report for a scope: every platform indicator and, in a separate section, the
official figures that existed by the as-of date. The CLI, the API and the pages all read this, so
a number means the same everywhere and the two kinds never share a list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from patentbridge.analytics.indicators import compute
from patentbridge.analytics.regionmap import place_name
from patentbridge_engine.analytics import (
    OFFICIAL_SECTION_LABEL,
    OfficialFigure,
    Scope,
    Value,
    figures_as_of,
)

__all__ = ["PLATFORM_SECTION_LABEL", "Report", "build_report"]

PLATFORM_SECTION_LABEL = "平台统计（平台口径）"


@dataclass(frozen=True)
class Report:
    """Platform values and official figures, kept in two lists."""

    scope: Scope
    values: list[Value]
    official: list[OfficialFigure]

    @property
    def region_name(self) -> str:
        return place_name(self.scope.region) if self.scope.region else "全平台"

    def as_dict(self) -> dict[str, Any]:
        """JSON form: ``platform`` and ``official`` are separate keys, each with its label."""
        return {
            "as_of": self.scope.as_of.isoformat(),
            "region": self.scope.region,
            "region_name": self.region_name,
            "scope": self.scope.describe(),
            "platform": {
                "label": PLATFORM_SECTION_LABEL,
                "indicators": [v.as_dict() for v in self.values],
            },
            "official": {
                "label": OFFICIAL_SECTION_LABEL,
                "figures": [f.as_dict() for f in self.official],
            },
        }


def build_report(scope: Scope) -> Report:
    """Every platform indicator for ``scope`` and the official figures dated by its as-of day."""
    return Report(scope=scope, values=compute(scope), official=figures_as_of(scope.as_of))

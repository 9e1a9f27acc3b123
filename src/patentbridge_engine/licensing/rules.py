"""The licensing checks in one import: directed licences (``licence_allowed``, rules L1–L11,
transactions-and-analytics.md §2.d) and open-licence declarations (``check_open_licence``, §3.d), with
``RULE_CATALOGUE`` — every rule code with its Chinese title and source, for the UI's rule list."""

from __future__ import annotations

from patentbridge_engine.licensing.rules_common import (
    LICENCE_RULES,
    PRICE_METHODS,
    LicenceRequest,
    PatentCheck,
    normalise_name,
    patent_label,
)
from patentbridge_engine.licensing.rules_licence import licence_allowed
from patentbridge_engine.licensing.rules_open import (
    OPEN_RULES,
    OpenLicenceDeclarationFacts,
    check_open_licence,
)

__all__ = [
    "LICENCE_RULES",
    "OPEN_RULES",
    "PRICE_METHODS",
    "RULE_CATALOGUE",
    "LicenceRequest",
    "OpenLicenceDeclarationFacts",
    "PatentCheck",
    "check_open_licence",
    "licence_allowed",
    "normalise_name",
    "patent_label",
]

# code -> (Chinese title, source): L1–L13 first, then the open-licence codes in the guide's table order.
RULE_CATALOGUE: dict[str, tuple[str, str]] = {**LICENCE_RULES, **OPEN_RULES}

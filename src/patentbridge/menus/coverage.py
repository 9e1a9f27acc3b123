"""Coverage of a menu's chains and the policy numbers menus use (guide §5.d step 4, §13 vector
``menu_coverage``): a county chain with fewer fitting patents than the minimum is topped up from
the provincial 资源库 by the shortfall.

The rule itself is plain Python (no database), so the §13 vector is tested directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from patentbridge_engine.licensing import policy

__all__ = [
    "DEFAULT_MAX_AUTO_PER_CHAIN",
    "DEFAULT_MIN_ITEMS",
    "DEFAULT_REPUSH_DAYS",
    "Shortfall",
    "menu_coverage",
    "min_items",
    "repush_days",
]

# [U] guide §5.d: "P.MENU_MIN_PER_CHAIN (default 5 [U])". The dated policy file has no row yet
# (it is owned by the licensing engine); until the lead adds MENU_MIN_ITEMS, this default applies
# and the composer page says it is a default, not a published rule.
DEFAULT_MIN_ITEMS = 5
# [U] guide §5.d: re-pushing the same patent to the same enterprise within P.MENU_REPUSH_DAYS is
# blocked; no source gives a number. 90 days (one quarter) until the policy row exists.
DEFAULT_REPUSH_DAYS = 90
# How many suggestions one "compose" adds per chain: a county officer reads a page, not a library.
DEFAULT_MAX_AUTO_PER_CHAIN = 10


@dataclass(frozen=True)
class Shortfall:
    """A chain of a region with ``found`` fitting patents against a ``minimum``."""

    region_code: str
    chain: str
    found: int
    minimum: int

    @property
    def shortfall(self) -> int:
        return max(0, self.minimum - self.found)


def menu_coverage(region_code: str, found_by_chain: Mapping[str, int], minimum: int) -> list[Shortfall]:
    """The chains of ``region_code`` whose count of fitting patents is below ``minimum``, in the
    mapping's order; each becomes a SupplementRequest for its shortfall."""
    if minimum < 0:
        raise ValueError("minimum must not be negative")
    return [
        Shortfall(region_code, chain, found, minimum)
        for chain, found in found_by_chain.items()
        if found < minimum
    ]


def _policy_int(key: str, default: int, *, as_of: dt.date, region_code: str) -> tuple[int, bool]:
    """(value, from_policy): the dated policy value when the file has the key, else the default."""
    try:
        return int(policy.value(key, as_of=as_of, region_code=region_code)), True
    except KeyError:
        return default, False


def min_items(*, as_of: dt.date, region_code: str = "") -> tuple[int, bool]:
    """The minimum of fitting patents per chain (policy MENU_MIN_ITEMS if present)."""
    return _policy_int("MENU_MIN_ITEMS", DEFAULT_MIN_ITEMS, as_of=as_of, region_code=region_code)


def repush_days(*, as_of: dt.date, region_code: str = "") -> tuple[int, bool]:
    """Days within which the same patent is not pushed again to the same enterprise."""
    return _policy_int("MENU_REPUSH_DAYS", DEFAULT_REPUSH_DAYS, as_of=as_of, region_code=region_code)

"""Catalogue id → compute function. Each indicator module registers its functions on import;
``compute`` runs them for one scope (one shared ``Context``, so region and date facts are read
once per request)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from patentbridge.analytics.indicators.context import Context
from patentbridge_engine.analytics import CATALOGUE, IndicatorKind, Scope, Value

__all__ = ["COMPUTE", "compute", "platform_ids", "register"]

Compute = Callable[[Context], Value]
COMPUTE: dict[str, Compute] = {}


def register(indicator_id: str) -> Callable[[Compute], Compute]:
    """Decorator binding ``indicator_id`` (a platform entry of the catalogue) to a function."""

    def bind(fn: Compute) -> Compute:
        if indicator_id in COMPUTE:
            raise ValueError(f"indicator {indicator_id} registered twice")
        COMPUTE[indicator_id] = fn
        return fn

    return bind


def platform_ids() -> list[str]:
    """Every platform indicator id in catalogue order."""
    return [d.id for d in CATALOGUE if d.kind == IndicatorKind.PLATFORM]


def compute(scope: Scope, ids: Iterable[str] | None = None, ctx: Context | None = None) -> list[Value]:
    """The values of ``ids`` (default: every platform indicator) for ``scope``, in catalogue order.

    KeyError for an id that is not a platform indicator with a compute function."""
    from patentbridge.analytics import indicators  # noqa: F401 - registers every module

    wanted = platform_ids() if ids is None else list(ids)
    context = ctx or Context(scope)
    missing = [i for i in wanted if i not in COMPUTE]
    if missing:
        raise KeyError(f"未知的平台指标：{'、'.join(missing)}")
    return [COMPUTE[i](context) for i in wanted]

"""REST API of 一月一链路演, with the pages' permissions."""

from __future__ import annotations

from ninja import Router

__all__ = ["router"]

router = Router(tags=["一月一链路演"])

"""REST API of 专利导航, with the pages' permissions."""

from __future__ import annotations

from ninja import Router

__all__ = ["router"]

router = Router(tags=["专利导航"])

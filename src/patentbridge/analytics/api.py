"""REST API routes for statistics."""

from ninja import Router

router = Router(tags=["统计监测"])

"""REST API routes for menus."""

from ninja import Router

router = Router(tags=["专利菜单"])

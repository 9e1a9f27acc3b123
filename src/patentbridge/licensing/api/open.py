"""REST API routes (open)."""

from ninja import Router

router = Router(tags=["许可"])

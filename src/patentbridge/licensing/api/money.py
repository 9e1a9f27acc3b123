"""REST API routes (money)."""

from ninja import Router

router = Router(tags=["许可"])

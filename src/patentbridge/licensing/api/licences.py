"""REST API routes (licences)."""

from ninja import Router

router = Router(tags=["许可"])

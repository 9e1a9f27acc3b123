"""One demo step built in one transaction: its summary line is printed, or, when a service
refuses it, the reason, and nothing half-made is left behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.licensing.errors import LicensingRefused

__all__ = ["run_demo_step"]

_FAILURES = (LicensingRefused, ValidationError, PermissionDenied)


def run_demo_step(stdout: Any, title: str, build: Callable[[], str]) -> None:
    """Print 「title：summary」 after ``build()`` commits, or 「title：未生成——reason」."""
    try:
        with transaction.atomic():
            line = build()
    except _FAILURES as exc:
        reason = (
            exc.display()
            if isinstance(exc, LicensingRefused)
            else "；".join(getattr(exc, "messages", [str(exc)]))
        )
        line = f"未生成——{reason}"
    stdout.write(f"  {title}：{line}\n")

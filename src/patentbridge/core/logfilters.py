"""Logging filters (referenced from LOGGING in settings/runtime.py; no Django imports)."""

from __future__ import annotations

import logging

__all__ = ["QuietClientErrors"]


class QuietClientErrors(logging.Filter):
    """Drop the traceback from 4xx records of ``django.request`` (403 above all).

    A refused request is an expected outcome, not a bug: Django logs it with ``exc_info`` and a
    full traceback per refusal buries real errors. The one-line warning with the path stays.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

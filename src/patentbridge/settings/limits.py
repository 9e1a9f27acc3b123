"""Settings: limits (read from PATENTBRIDGE_* environment variables; see docs/configuration.md)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

__all__ = ["FILE_UPLOAD_HANDLERS", "PATENTBRIDGE_UPLOAD_MAX_MB"]


def _positive_int(name: str, default: str) -> int:
    """A whole number ≥ 1; anything else is a configuration error named after the variable."""
    value = os.getenv(name, default)
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ImproperlyConfigured(f"Unexpected value {name}={value}, use a whole number of megabytes ≥ 1")
    return number


# Largest import file (or directory of XML files) accepted by the upload page and
# `patentbridge import`, in MB. 200 MB holds about 100,000 patents with full claims as CSV
# and keeps one upload's copy, hash and worker parse within a couple of minutes.
PATENTBRIDGE_UPLOAD_MAX_MB = _positive_int("PATENTBRIDGE_UPLOAD_MAX_MB", "200")
# The cap is enforced while the body is parsed, so an oversized upload never reaches the disk
# (ingest/uploads.py); Django's own handlers follow unchanged.
FILE_UPLOAD_HANDLERS = [
    "patentbridge.ingest.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

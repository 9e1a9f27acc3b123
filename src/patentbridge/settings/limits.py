"""Settings: limits (read from PATENTBRIDGE_* environment variables; see docs/configuration.md)."""

from __future__ import annotations

from patentbridge.settings import env

__all__ = ["FILE_UPLOAD_HANDLERS", "PATENTBRIDGE_UPLOAD_MAX_MB"]


# Largest import file (or directory of XML files) accepted by the upload page and
# `patentbridge import`, in MB. 200 MB holds about 100,000 patents with full claims as CSV
# and keeps one upload's copy, hash and worker parse within a couple of minutes.
PATENTBRIDGE_UPLOAD_MAX_MB = env.setting(
    "PATENTBRIDGE_UPLOAD_MAX_MB",
    "200",
    "largest import file (or directory of XML files) in MB, for the upload page and `patentbridge import`; "
    "a larger upload is dropped while it is received and refused with a Chinese message. XLSX files are also "
    "refused before parsing when they would unpack to more than 2 GB, a member inflates more than 100× "
    "(members ≥ 4 MB) or `sharedStrings.xml` exceeds 256 MB (engine `FileLimits`)",
    parse=env.positive_megabytes,
)
# The cap is enforced while the body is parsed, so an oversized upload never reaches the disk
# (ingest/uploads.py); Django's own handlers follow unchanged.
FILE_UPLOAD_HANDLERS = [
    "patentbridge.ingest.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

"""Upload size cap, enforced while the request body is parsed (before anything reaches the disk).

Django's multipart parser runs as soon as anything reads ``request.POST`` (the CSRF check
does, before the view), and it spools file parts of any size to a temporary file. This
handler sits first in ``FILE_UPLOAD_HANDLERS`` and drops a file part once it passes
``PATENTBRIDGE_UPLOAD_MAX_MB``, marking the request so the view can say why in Chinese.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

__all__ = ["TOO_LARGE_ATTR", "UploadLimitHandler", "too_large_message", "upload_limit_bytes"]

# Request attribute naming the file that was dropped for size (read by the import view).
TOO_LARGE_ATTR = "patentbridge_upload_too_large"
_MB = 1 << 20


def upload_limit_bytes() -> int:
    """The configured cap in bytes."""
    return int(settings.PATENTBRIDGE_UPLOAD_MAX_MB) * _MB


def too_large_message(name: str, size: int | None = None) -> str:
    """The Chinese refusal shown by the form, the view and the CLI."""
    actual = f"（{size / _MB:.1f} MB）" if size is not None else ""
    return (
        f"文件“{name}”过大{actual}：上限为 {settings.PATENTBRIDGE_UPLOAD_MAX_MB} MB。"
        "请拆分文件后分批导入，或由管理员调整 PATENTBRIDGE_UPLOAD_MAX_MB。"
    )


class UploadLimitHandler(FileUploadHandler):
    """Passes chunks on unchanged until one file part exceeds the cap, then skips that part."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = upload_limit_bytes()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        """Start counting a new file part."""
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        """Count the part's bytes; past the cap, mark the request and drop the part."""
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                setattr(self.request, TOO_LARGE_ATTR, self.file_name or "")
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        """The next handler builds the uploaded file object."""
        return None

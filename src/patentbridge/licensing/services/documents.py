"""Documents attached to a contract (contract scans, consents, filing notices, payment proofs):
stored under ``DATA_DIR/licensing/contracts/<contract id>/<sha256>``, identified by their SHA-256
(guide §1.5). The stored path is built from the contract's id and the file's hash only — never
from the uploaded name — so no upload can write or read outside that directory; the name is
kept (cleaned) for display and download. Any file type is accepted and always served as a
download, never rendered."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.core import audit
from patentbridge.licensing.models import Document, LicenceContract
from patentbridge.licensing.services.contract_states import require_party

__all__ = ["DOCUMENT_KINDS", "MAX_DOCUMENT_BYTES", "attach_document", "clean_name", "document_path"]

# 20 MB: a scanned contract of a few dozen pages; larger files belong in the archive, not here.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_KINDS: dict[str, str] = {
    "contract": "合同文本",
    "consent": "共有人/质权人同意书",
    "notice": "公示材料",
    "filing": "备案材料/备案通知",
    "payment": "付款凭证",
    "other": "其他",
}
_CHUNK = 64 * 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def _root() -> Path:
    return Path(settings.DATA_DIR) / "licensing" / "contracts"


def clean_name(raw: str) -> str:
    """A display name: the last path part, control and path characters removed, at most 200
    characters (the extension kept); "未命名文件" when nothing is left."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE.sub("_", text).strip(" .")
    if len(text) > 200:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: 190 - len(ext)] + dot + ext[:10]) if dot and len(ext) <= 10 else text[:200]
    return text or "未命名文件"


def document_path(document: Document) -> Path:
    """The stored file of ``document``; refuses a path that is not inside the documents root."""
    root = _root().resolve()
    path = (root / document.path).resolve()
    if root not in path.parents:
        raise PermissionDenied("文件路径无效")
    return path


@transaction.atomic
def attach_document(actor: Any, contract: LicenceContract, upload: Any, *, kind: str) -> Document:
    """Store ``upload`` (a Django UploadedFile or any object with ``name`` and ``chunks()``) for a
    party of ``contract``; hashes while streaming, refuses an empty file, one over
    ``MAX_DOCUMENT_BYTES`` and the same file twice on one contract."""
    require_party(actor, contract)
    if kind not in DOCUMENT_KINDS:
        raise ValidationError({"kind": "请选择文件类型"})
    folder = _root() / str(int(contract.pk))
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks(_CHUNK):
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise ValidationError({"file": f"文件超过 {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB 上限"})
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError({"file": "文件为空"})
        sha = digest.hexdigest()
        if Document.objects.filter(contract=contract, sha256=sha).exists():
            raise ValidationError({"file": "该文件已上传过（SHA-256 相同）"})
        final = folder / sha
        tmp.replace(final)
    finally:
        tmp.unlink(missing_ok=True)
    name = clean_name(getattr(upload, "name", ""))
    document = Document.objects.create(
        name=name,
        kind=kind,
        sha256=sha,
        size=size,
        path=f"{int(contract.pk)}/{sha}",
        contract=contract,
        uploaded_by=actor,
    )
    audit.record(
        "licensing.document.uploaded",
        actor=actor,
        target=contract,
        data={"document": document.pk, "name": name, "kind": kind, "sha256": sha, "size": size},
    )
    return document

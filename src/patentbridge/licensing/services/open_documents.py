"""Documents attached to an open-licence declaration: each co-owner's written consent, the
pledgee's consent, the evaluation report, the withdrawal consents (guide §3.d ``coowner_consents[]``,
``pledgee_consent_doc``). Stored under ``DATA_DIR/licensing/declarations/<declaration id>/<sha256>``
— the path is built from the id and the hash only, never from the uploaded name — and identified by
the SHA-256 (guide §1.5). Only the declarant side (and operators) upload and download them."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from patentbridge.core import audit
from patentbridge.licensing.models import Document, OpenLicenceDeclaration
from patentbridge.licensing.services.documents import MAX_DOCUMENT_BYTES, clean_name
from patentbridge.licensing.services.open_declare import may_declare

__all__ = ["DECLARATION_DOCUMENT_KINDS", "attach_declaration_document", "declaration_document_path"]

DECLARATION_DOCUMENT_KINDS: dict[str, str] = {
    "coowner_consent": "共有专利权人同意书",
    "pledgee_consent": "质权人同意书",
    "evaluation_report": "专利权评价报告",
    "withdrawal_consent": "撤回声明的全体专利权人同意书",
    "withdrawal_reason": "撤回理由证明材料",
    "other": "其他",
}
_CHUNK = 64 * 1024


def _root() -> Path:
    return Path(settings.DATA_DIR) / "licensing" / "declarations"


def declaration_document_path(document: Document) -> Path:
    """The stored file of a declaration's document; refuses anything outside the root."""
    root = _root().resolve()
    path = (root / document.path).resolve()
    if document.declaration_id is None or root not in path.parents:
        raise PermissionDenied("文件路径无效")
    return path


@transaction.atomic
def attach_declaration_document(
    actor: Any, decl: OpenLicenceDeclaration, upload: Any, *, kind: str, note: str = ""
) -> Document:
    """Store ``upload`` for ``decl`` (hashing while streaming); refuses an empty file, one over the
    size cap and the same file twice on one declaration. ``note`` (e.g. the co-owner's name) is
    kept in the audit event."""
    may_declare(actor, decl.patent)
    if kind not in DECLARATION_DOCUMENT_KINDS:
        raise ValidationError({"kind": "请选择文件类型"})
    folder = _root() / str(int(decl.pk))
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
        if Document.objects.filter(declaration=decl, sha256=sha).exists():
            raise ValidationError({"file": "该文件已上传过（SHA-256 相同）"})
        tmp.replace(folder / sha)
    finally:
        tmp.unlink(missing_ok=True)
    name = clean_name(getattr(upload, "name", ""))
    document = Document.objects.create(
        name=name,
        kind=kind,
        sha256=sha,
        size=size,
        path=f"{int(decl.pk)}/{sha}",
        declaration=decl,
        uploaded_by=actor,
    )
    audit.record(
        "licensing.declaration.document_uploaded",
        actor=actor,
        target=decl,
        org=decl.declarant_org,
        data={
            "document": document.pk,
            "name": name,
            "kind": kind,
            "sha256": sha,
            "size": size,
            "note": note[:200],
        },
    )
    return document

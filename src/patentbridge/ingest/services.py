"""Import batches: create, run (resumably, in chunked transactions), report.

Accounting invariant, kept by writing counters in the same transaction as each chunk's
rows: ``imported + updated + unchanged + rejected == rows_read``, and ``last_row`` is the
last source row whose outcome is stored. A run that dies (kill -9, power loss) leaves the
last committed chunk in place; running the batch again skips rows up to ``last_row`` and
the upsert's merge makes any repeated row a no-op, so no duplicates appear.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from patentbridge.accounts import policies
from patentbridge.accounts.choices import RoleChoices
from patentbridge.core import audit, events
from patentbridge.ingest.models import ImportBatch, ImportIssue
from patentbridge.ingest.uploads import too_large_message, upload_limit_bytes
from patentbridge.patents.choices import LibraryStatusChoices
from patentbridge.patents.classification import chain_config
from patentbridge.patents.records import column_spec
from patentbridge.patents.upsert import upsert_records
from patentbridge_engine.errors import InputFormatError
from patentbridge_engine.ingest.headers import map_headers
from patentbridge_engine.ingest.inspect import inspect_file
from patentbridge_engine.ingest.pipeline import detect_format, header_report
from patentbridge_engine.ingest.prepare import PreparedRow
from patentbridge_engine.ingest.producer import prepared_chunks
from patentbridge_engine.ingest.safety import describe_read_error

__all__ = [
    "check_upload_size",
    "create_batch",
    "default_initial_status",
    "file_sha256",
    "find_resumable",
    "run_batch",
    "source_size",
]

ProgressCallback = Callable[[ImportBatch], None]
logger = logging.getLogger(__name__)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file or, for a directory of XML files, of their names and contents."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def default_initial_status(actor: Any) -> str:
    """Operators build the library directly; universities' imports start the approval chain."""
    if policies.is_platform_wide(actor):
        return LibraryStatusChoices.IN_LIBRARY
    return LibraryStatusChoices.PENDING_COLLEGE


def _allowed_initial(actor: Any, status: str) -> bool:
    if policies.is_platform_wide(actor):
        return status in LibraryStatusChoices.values
    role = policies.role_of(actor)
    return role == RoleChoices.TTO and status in (
        LibraryStatusChoices.PENDING_COLLEGE,
        LibraryStatusChoices.PENDING_UNIVERSITY,
    )


def find_resumable(sha256: str, org: Any) -> ImportBatch | None:
    """An unfinished batch of the same file for the same organisation, to resume instead of restart."""
    return (
        ImportBatch.objects.filter(sha256=sha256, org=org)
        .exclude(status__in=(ImportBatch.Status.COMPLETED, ImportBatch.Status.FAILED))
        .order_by("-created_at")
        .first()
    )


def source_size(path: Path) -> int:
    """Bytes of a file, or of every file in a directory of XML files."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def check_upload_size(path: Path, name: str) -> int:
    """The source's size; refuses one above ``PATENTBRIDGE_UPLOAD_MAX_MB`` with a Chinese message."""
    size = source_size(path)
    if size > upload_limit_bytes():
        raise ValidationError(too_large_message(name, size))
    return size


def _store(source: Path, original_name: str) -> Path:
    """Copy the upload under the data directory (a directory of XML files is copied whole)."""
    target_dir = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    target_dir.mkdir(parents=True, exist_ok=True)
    stored = target_dir / Path(original_name).name
    if source.is_dir():
        shutil.copytree(source, stored)
    else:
        shutil.copyfile(source, stored)
    return stored


def create_batch(
    *,
    actor: Any,
    source: Path,
    original_name: str,
    org: Any = None,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    initial_status: str | None = None,
    copy: bool = True,
    sha256: str | None = None,
) -> ImportBatch:
    """Register a file for import (copied under the data directory) and audit it.

    #f: storing, hashing and inspecting the file happen first, outside any transaction (on
    SQLite a transaction holds the one write lock, and a 200 MB upload takes seconds to copy
    and hash); only the batch row and its audit event are written in a short transaction.
    The file is checked cheaply here (size cap, XLSX archive limits, row estimate); its rows
    and headers are read by the worker (:func:`run_batch`). ``sha256`` may be passed when the
    caller has already hashed ``source`` (the CLI does, to find a resumable batch).
    """
    policies.require(actor, "ingest.import")
    member = policies.membership_of(actor)
    if not policies.is_platform_wide(actor):
        org = member.org  # a university imports into its own organisation only
    status = initial_status or default_initial_status(actor)
    if status not in LibraryStatusChoices.values:
        allowed = "、".join(f"{v}（{label}）" for v, label in LibraryStatusChoices.choices)
        raise ValidationError(f"无效的入库状态：{status!r}；可选：{allowed}")
    if not _allowed_initial(actor, status):
        raise PermissionDenied("无权以该入库状态导入")
    try:
        fmt = fmt or detect_format(Path(original_name) if not source.is_dir() else source)
        map_headers([], mapping)  # an invalid mapping file is refused before anything is stored
    except (InputFormatError, ValueError) as exc:
        raise ValidationError(str(exc)) from exc
    size = check_upload_size(source, original_name)
    stored = _store(source, original_name) if copy else source
    try:
        digest = sha256 or file_sha256(stored)
        try:
            rows_estimated = inspect_file(stored, fmt)
        except InputFormatError as exc:  # e.g. a zip bomb or a non-zip .xlsx: refused on the form
            raise ValidationError(str(exc)) from exc
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                org=org,
                created_by=actor if getattr(actor, "pk", None) else None,
                file_path=str(stored),
                original_name=original_name,
                sha256=digest,
                size_bytes=size,
                format=fmt,
                mapping=mapping or {},
                initial_status=status,
                rows_estimated=rows_estimated,
            )
            audit.record(
                "ingest.batch.created",
                actor=actor,
                target=batch,
                org=org,
                data={"file": original_name, "format": fmt, "initial_status": status},
            )
    except BaseException:
        if copy:  # nothing refers to the stored copy: do not leave it behind
            shutil.rmtree(stored.parent, ignore_errors=True)
        raise
    return batch


def _record_headers(batch: ImportBatch) -> None:
    """Store the columns no field claims, shown on the batch page (read in the worker, not the request)."""
    report = header_report(Path(batch.file_path), batch.format, batch.mapping)
    unmapped = list(report.unmapped) if report is not None else []
    ImportBatch.objects.filter(pk=batch.pk).update(unmapped_headers=unmapped)


def _issue(batch: ImportBatch, outcome: Any, problem: Any, severity: str) -> ImportIssue:
    """One report line: the row, and the field, value and reason of a row issue or an upsert refusal."""
    return ImportIssue(
        batch=batch,
        row_number=outcome.row_number,
        label=outcome.label[:255],
        field=problem.field,
        value=problem.value[:300],
        reason=problem.reason[:500],
        severity=severity,
    )


def _apply_chunk(batch: ImportBatch, chunk: list[PreparedRow], actor: Any) -> None:
    result = upsert_records(
        chunk, actor=actor, owner_org=batch.org, initial_status=batch.initial_status, batch=batch
    )
    issues = []
    rejected = warnings = 0
    for prepared in chunk:
        outcome = prepared.outcome
        refusal = result.refused.get(outcome.row_number)
        if refusal is not None:
            # A valid row about a patent this batch may not change (patents/ownership.py): rejected
            # with the one generic reason; its warnings are moot since nothing of it is stored.
            rejected += 1
            issues.append(_issue(batch, outcome, refusal, ImportIssue.Severity.ERROR))
            continue
        severity = ImportIssue.Severity.ERROR if outcome.record is None else ImportIssue.Severity.WARNING
        if outcome.record is None:
            rejected += 1
        for issue in outcome.issues:
            warnings += severity == ImportIssue.Severity.WARNING
            issues.append(_issue(batch, outcome, issue, severity))
    ImportIssue.objects.bulk_create(issues, batch_size=1000)
    ImportBatch.objects.filter(pk=batch.pk).update(
        rows_read=F("rows_read") + len(chunk),
        imported=F("imported") + result.count("imported"),
        updated=F("updated") + result.count("updated"),
        unchanged=F("unchanged") + result.count("unchanged"),
        rejected=F("rejected") + rejected,
        warnings=F("warnings") + warnings,
        last_row=chunk[-1].outcome.row_number,
    )


# Below this many rows the helper process costs more than it saves.
_PARALLEL_MIN_ROWS = 5_000


def _announce_batch(batch_id: int) -> None:
    events.announce(events.IMPORT_COMPLETED, batch_id)


def run_batch(
    batch_id: int, *, progress: ProgressCallback | None = None, chunk_size: int | None = None
) -> ImportBatch:
    """Process (or resume) a batch; returns it refreshed. Safe to call again after a crash."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.is_finished:
        return batch
    actor = batch.created_by
    with audit.request_id_scope(), transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.RUNNING, started_at=batch.started_at or timezone.now()
        )
        audit.record(
            "ingest.batch.started",
            actor=actor,
            target=batch,
            org=batch.org,
            data={"resume_after_row": batch.last_row},
        )
    size = chunk_size or settings.PATENTBRIDGE_IMPORT_CHUNK
    try:
        if batch.last_row == 0:
            _record_headers(batch)
        parallel = (os.cpu_count() or 1) > 1 and (
            batch.rows_estimated or 0
        ) - batch.last_row >= _PARALLEL_MIN_ROWS
        chunks = prepared_chunks(
            Path(batch.file_path),
            batch.format,
            batch.mapping,
            start_after=batch.last_row,
            size=size,
            chain_config=chain_config(),
            as_of=timezone.localdate(),
            parallel=parallel,
            spec=column_spec(),
            helpers=settings.PATENTBRIDGE_IMPORT_HELPERS,
        )
        for chunk in chunks:
            with transaction.atomic():
                _apply_chunk(batch, chunk, actor)
            if progress is not None:
                batch.refresh_from_db()
                progress(batch)
    except DatabaseError:
        raise  # not the file's fault: the batch stays resumable from last_row
    except Exception as exc:
        # #f: whatever the file did to the reader (BadZipFile, RecursionError, MemoryError, …)
        # ends as a FAILED batch with a Chinese reason, never as a crashed worker or a 500.
        if not isinstance(exc, InputFormatError):
            logger.warning("import batch %s failed", batch.pk, exc_info=True)
        error = describe_read_error(exc)
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportBatch.Status.FAILED, error=error, finished_at=timezone.now()
            )
            audit.record(
                "ingest.batch.failed", actor=actor, target=batch, org=batch.org, data={"error": error}
            )
        batch.refresh_from_db()
        return batch
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.COMPLETED, finished_at=timezone.now()
        )
        # Search, inventor teams and grades follow the library once the batch is committed.
        _announce_batch(batch_id)
        batch.refresh_from_db()
        audit.record(
            "ingest.batch.completed",
            actor=actor,
            target=batch,
            org=batch.org,
            data={
                "rows": batch.rows_read,
                "imported": batch.imported,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                "rejected": batch.rejected,
            },
        )
    return batch

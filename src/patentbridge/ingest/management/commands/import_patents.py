"""``patentbridge import FILE``: import a patent export, resuming an interrupted run of the same file."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from patentbridge.accounts.models import Organization
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.reports import write_reject_report
from patentbridge.ingest.services import (
    check_upload_size,
    create_batch,
    file_sha256,
    find_resumable,
    run_batch,
)


class Command(BaseCommand):
    help = "导入专利数据文件（CSV、XLSX、JSONL、JSON 或 CNIPA XML 文件/目录）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="数据文件，或包含 CNIPA XML 文件的目录")
        parser.add_argument(
            "--format", choices=["csv", "xlsx", "xls", "jsonl", "json", "xml"], help="默认按扩展名识别"
        )
        parser.add_argument("--mapping", help='表头映射 JSON 文件：{"原表头": "字段名"}')
        parser.add_argument("--org", help="盘点机构（名称或编号）；高校用户导入时总是其本机构")
        parser.add_argument("--user", default="system", help="以哪个用户身份导入（默认 system）")
        parser.add_argument(
            "--status", help="新记录的入库状态：in_library、pending_college、pending_university"
        )
        parser.add_argument("--json", action="store_true", help="只输出一个 JSON 汇总对象")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).resolve()
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['user']}（先运行 patentbridge init）")
        org = self._org(options.get("org"))
        mapping = self._mapping(options.get("mapping"))
        try:  # #c: refuse an oversized file before spending time hashing it
            check_upload_size(path, path.name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        sha256 = file_sha256(path)
        batch = find_resumable(sha256, org)
        resumed = batch is not None
        if batch is None:
            try:
                batch = create_batch(
                    actor=user,
                    source=path,
                    original_name=path.name,
                    org=org,
                    fmt=options.get("format"),
                    mapping=mapping,
                    initial_status=options.get("status"),
                    sha256=sha256,
                )
            except (ValidationError, PermissionDenied) as exc:
                raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        show_bar = not options["json"] and sys.stderr.isatty()
        started = time.monotonic()
        batch = run_batch(batch.pk, progress=(lambda b: self._bar(b, started)) if show_bar else None)
        if show_bar:
            sys.stderr.write("\n")
        report = write_reject_report(batch)
        summary = {
            "rows": batch.rows_read,
            "imported": batch.imported,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "rejected": batch.rejected,
            "reject_report": str(report),
            "batch": batch.pk,
            "status": batch.status,
            "resumed": resumed,
            "warnings": batch.warnings,
        }
        if batch.status == ImportBatch.Status.FAILED:
            summary["error"] = batch.error
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            self.stdout.write(
                f"批次 #{batch.pk}（{batch.get_status_display()}）：读取 {batch.rows_read} 行，新增 {batch.imported}，"
                f"更新 {batch.updated}，未变化 {batch.unchanged}，拒绝 {batch.rejected}。拒绝报告：{report}"
            )
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(batch.error)

    def _org(self, value: str | None) -> Organization | None:
        if not value:
            return None
        org = Organization.objects.filter(name=value).first()
        if org is None and value.isdigit():
            org = Organization.objects.filter(pk=int(value)).first()
        if org is None:
            raise CommandError(f"机构不存在：{value}")
        return org

    def _mapping(self, value: str | None) -> dict[str, str]:
        if not value:
            return {}
        try:
            data = json.loads(Path(value).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"映射文件无法读取：{exc}") from exc
        if not isinstance(data, dict):
            raise CommandError('映射文件应为 JSON 对象：{"原表头": "字段名"}')
        return {str(k): str(v) for k, v in data.items()}

    def _bar(self, batch: ImportBatch, started: float) -> None:
        width = 30
        filled = int(width * batch.percent / 100)
        rate = batch.rows_read / max(time.monotonic() - started, 1e-6)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {batch.rows_read}/{batch.rows_estimated or '?'} 行 "
            f"{rate:,.0f} 行/秒  新增 {batch.imported} 更新 {batch.updated} 未变 {batch.unchanged} 拒绝 {batch.rejected}"
        )
        sys.stderr.flush()

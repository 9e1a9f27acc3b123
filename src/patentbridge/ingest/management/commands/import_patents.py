"""``patentbridge import FILE``: import a patent export, resuming an interrupted run of the same file."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser

from patentbridge.accounts.models import Organization
from patentbridge.core.management.base import ProductCommand
from patentbridge.ingest.models import ImportBatch
from patentbridge.ingest.reports import write_reject_report
from patentbridge.ingest.services import (
    check_upload_size,
    create_batch,
    file_sha256,
    find_resumable,
    run_batch,
)
from patentbridge_engine.ingest.record import FIELD_LABELS


def _field_lines(per_line: int = 3) -> str:
    """The field names a --mapping file may use, with their Chinese labels."""
    items = [f"{name}（{label}）" for name, label in FIELD_LABELS.items()]
    return "\n".join("  " + "、".join(items[i : i + per_line]) for i in range(0, len(items), per_line))


class Command(ProductCommand):
    help = "导入专利数据文件（CSV、XLSX、CNKI 导出的 .xls、JSONL、JSON 或 CNIPA XML 文件/目录）"
    epilog = f"""格式（--format，默认按扩展名识别）：
  csv（也用于 .tsv、.txt）；xlsx；xls（CNKI 导出的 HTML 表格；二进制 Excel 97 文件请另存为 .xlsx）；
  jsonl；json（对象数组，智慧芽导出格式）；xml（CNIPA XML 文件，或其目录：全文与申请文件
  按“申请号_….xml”命名）。编码自动识别：UTF-8、带 BOM 的 UTF-8、GBK/GB18030。
专利身份：以申请号识别同一件专利；没有申请号的来源（如 CNKI）按公开号序号识别
  （CN116510786A 与 CN116510786B 同为 CN116510786），仅当申请人有相同名称且标题或发明人一致时
  才把 A、B 两条合并；会新建专利却没有标题的行被拒绝。
--mapping：JSON 对象 {{"原表头": "字段名"}}，字段名为空字符串 "" 时忽略该列。可用字段名：
{_field_lines()}
--org：盘点机构；平台角色导入时不指定则按第一申请人归属到同名的成员机构。
--status：in_library（已入库，平台角色）、pending_college（待学院审核）、
  pending_university（待学校审核）；默认平台角色为 in_library，其他为 pending_college。
--json 输出的汇总对象：
  {{"rows", "imported", "updated", "unchanged", "rejected", "reject_report", "batch", "status",
   "resumed", "warnings"}}（失败时另有 "error"）；总是 imported + updated + unchanged + rejected = rows。
中断后对同一文件再次运行会续导该批次（"resumed": true）。"""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="数据文件，或包含 CNIPA XML 文件的目录")
        parser.add_argument(
            "--format", choices=["csv", "xlsx", "xls", "jsonl", "json", "xml"], help="默认按扩展名识别"
        )
        parser.add_argument(
            "--mapping", metavar="MAPPING.json", help='表头映射 JSON 文件：{"原表头": "字段名"}'
        )
        parser.add_argument("--org", metavar="ORG", help="盘点机构（名称或编号）；高校用户导入时总是其本机构")
        parser.add_argument(
            "--user", default="system", metavar="USERNAME", help="以哪个用户身份导入（默认 system）"
        )
        parser.add_argument(
            "--status",
            metavar="STATUS",
            help="新记录的入库状态：in_library、pending_college、pending_university",
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

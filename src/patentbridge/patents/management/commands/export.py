"""``patentbridge export``: the library list's filters on the command line, as CSV, XLSX or JSONL."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser

from patentbridge.accounts import policies
from patentbridge.core.management.base import ProductCommand
from patentbridge.patents.choices import LegalStatusChoices, LibraryStatusChoices
from patentbridge.patents.export import export_csv, export_xlsx
from patentbridge.patents.filters import FILTER_PARAMS, PatentFilter
from patentbridge.patents.models import Patent
from patentbridge.patents.queries import restrict

# Filters with a fixed vocabulary: a wrong value is a usage error, not an empty result.
_CHOICES = {"library_status": LibraryStatusChoices, "legal_status": LegalStatusChoices}
# Short options people type, mapped onto the shared filter definition's parameter names.
_SHORT = {"ipc": "ipc_prefix", "status": "library_status", "year": "filing_year"}


def jsonl_records(queryset: Any) -> Iterator[dict[str, Any]]:
    """One object per patent: numbers, title, parties, owner, IPC, legal status, grade and origin."""
    qs = queryset.select_related("owner_org", "source_batch", "grade").order_by("application_number")
    for patent in qs.iterator(chunk_size=1000):
        grade = getattr(patent, "grade", None)
        batch = patent.source_batch
        if batch is not None:
            origin = {"kind": "import", "file": batch.original_name, "row": patent.source_row}
        else:
            origin = {"kind": "form" if patent.source_form else "unknown"}
        yield {
            "application_number": patent.application_number,
            "publication_number": patent.publication_number,
            "title": patent.title,
            "applicants": list(patent.applicants),
            "inventors": list(patent.inventors),
            "owner_org": patent.owner_org.name if patent.owner_org else None,
            "ipc": list(patent.ipc),
            "legal_status": patent.legal_status,
            "legal_status_label": patent.get_legal_status_display(),
            "library_status": patent.library_status,
            "grade": grade.final if grade is not None else None,
            "filing_date": patent.filing_date.isoformat() if patent.filing_date else None,
            "origin": origin,
        }


class Command(ProductCommand):
    help = "按资源库列表的筛选条件导出专利（CSV、XLSX 或 JSONL），只包含该用户有权查看的专利"
    epilog = """JSONL 每行一个专利对象：
  {"application_number", "publication_number", "title", "applicants", "inventors", "owner_org", "ipc",
   "legal_status", "legal_status_label", "library_status", "grade", "filing_date",
   "origin": {"kind": "import", "file", "row"} 或 {"kind": "form"}}
CSV、XLSX 的列与网页上的导出相同（中文表头）；XLSX 必须用 --output 指定文件。
取值固定的筛选条件（如 --status、--legal-status）给错值时报错并列出可选值，而不是导出空结果。"""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["csv", "xlsx", "jsonl"], default="jsonl", help="默认 jsonl")
        parser.add_argument(
            "--output", metavar="FILE", help="输出文件；省略时写到标准输出（xlsx 必须指定文件）"
        )
        parser.add_argument(
            "--user", default="system", metavar="USERNAME", help="以哪个用户的权限导出（默认 system）"
        )
        parser.add_argument("--owner", metavar="ORG", help="所属机构名称（完全一致）")
        parser.add_argument("--ipc", help="IPC 前缀，如 H01M 或 F25B30")
        parser.add_argument("--status", help="入库状态：" + "、".join(LibraryStatusChoices.values))
        parser.add_argument("--year", help="申请年份，如 2020")
        for name, (label, _) in FILTER_PARAMS.items():
            if name not in _SHORT.values():
                parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=label)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['user']}（先运行 patentbridge init）")
        if not policies.can(user, "patents.export"):
            raise CommandError("该用户无权导出专利")
        params = {name: options.get(name) or "" for name in FILTER_PARAMS}
        for short, name in _SHORT.items():
            params[name] = params[name] or options.get(short) or ""
        for name, choices in _CHOICES.items():
            if params[name] and params[name] not in choices.values:
                allowed = "、".join(choices.values)
                raise CommandError(f"无效的取值 {params[name]!r}（可选：{allowed}）")
        if params["filing_year"] and not params["filing_year"].isdigit():
            raise CommandError(f"无效的申请年份：{params['filing_year']!r}")
        queryset = PatentFilter.from_mapping(params).apply(restrict(Patent.objects.all(), user))
        if options.get("owner"):
            queryset = queryset.filter(owner_org__name=options["owner"])
        self._write(queryset, options["format"], options.get("output"))

    def _write(self, queryset: Any, fmt: str, output: str | None) -> None:
        if fmt == "xlsx" and not output:
            raise CommandError("XLSX 是二进制文件，请用 --output 指定输出文件")
        if fmt == "jsonl":
            count = 0
            with Path(output).open("w", encoding="utf-8") if output else nullcontext(None) as fh:
                for record in jsonl_records(queryset):
                    line = json.dumps(record, ensure_ascii=False)
                    if fh is None:
                        self.stdout.write(line)
                    else:
                        fh.write(line + "\n")
                    count += 1
        else:
            data = export_csv(queryset) if fmt == "csv" else export_xlsx(queryset)
            count = queryset.count()
            if output:
                Path(output).write_bytes(data)
            else:
                sys.stdout.buffer.write(data)
        if output:
            self.stderr.write(f"已导出 {count} 件专利到 {output}")

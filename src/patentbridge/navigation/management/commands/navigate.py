"""``patentbridge navigate --kind chain|region|applicant --scope VALUE [--as-of DATE] --format
json|pdf|xlsx --output FILE``: a navigation report computed from a fresh snapshot of the library,
written to a file (nothing is stored on the platform)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from patentbridge.analytics.scope import ScopeError as DateError
from patentbridge.analytics.scope import parse_as_of
from patentbridge.core.management.base import ProductCommand
from patentbridge.navigation.exports import report_json, report_pdf, report_xlsx, snapshot_data
from patentbridge.navigation.freeze import ScopeError, freeze, resolve_scope
from patentbridge_engine.navigation import build_sections

USAGE_ERROR = 2
KINDS = ("chain", "region", "applicant")
FORMATS = ("json", "pdf", "xlsx")


class Command(ProductCommand):
    help = "按产业链、地区或申请人生成专利导航报告（JSON、PDF 或 XLSX）"
    epilog = """--scope 为产业链代码或名称（--kind chain）、行政区划代码（--kind region，如 37、3709）或申请人名称
（--kind applicant）；all 表示全库。报告依据数据截止日的库内专利快照计算，输出中含快照摘要（SHA-256），
同一快照总得到相同的报告。类型、范围、日期或格式无效时退出码为 2。"""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", required=True, metavar="chain|region|applicant", help="导航类型")
        parser.add_argument("--scope", required=True, metavar="VALUE", help="导航范围；all 表示全库")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", default="", help="数据截止日（默认今天）")
        parser.add_argument("--format", default="json", metavar="json|pdf|xlsx", help="输出格式（默认 json）")
        parser.add_argument(
            "--output", required=True, metavar="FILE", help="输出文件；- 表示标准输出（仅 json）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, fmt, output = options["kind"], options["format"], options["output"]
        if kind not in KINDS:
            raise CommandError(
                f"导航类型无效：{kind[:20]}（可选 chain、region、applicant）", returncode=USAGE_ERROR
            )
        if fmt not in FORMATS:
            raise CommandError(f"输出格式无效：{fmt[:20]}（可选 json、pdf、xlsx）", returncode=USAGE_ERROR)
        if output == "-" and fmt != "json":
            raise CommandError("PDF 和 XLSX 须写入文件（--output FILE）", returncode=USAGE_ERROR)
        try:
            as_of = parse_as_of(options["as_of"], timezone.localdate())
            spec = resolve_scope(kind, options["scope"])
        except (DateError, ScopeError) as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from exc
        snap = freeze(spec, as_of)
        sections = build_sections(snap)
        data = snapshot_data(f"{spec.title}专利导航", dict(snap.meta), sections, snap.sha256(), snap.total)
        if fmt == "json":
            body = json.dumps(report_json(data), ensure_ascii=False, indent=1).encode()
        elif fmt == "pdf":
            body = report_pdf(data)
        else:
            body = report_xlsx(data)
        if output == "-":
            self.stdout.write(body.decode())
            return
        try:
            Path(output).write_bytes(body)
        except OSError as exc:
            raise CommandError(f"无法写入输出文件：{output}（{exc.strerror or exc}）") from exc
        self.stdout.write(f"已生成：{output}（{snap.total} 件专利，快照摘要 {snap.sha256()[:12]}…）")

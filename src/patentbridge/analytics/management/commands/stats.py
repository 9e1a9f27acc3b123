"""``patentbridge stats [--as-of DATE] [--region CODE] [--json]``: every indicator with its id and
value, then the official figures in their own section."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from patentbridge.analytics.report import PLATFORM_SECTION_LABEL, build_report
from patentbridge.analytics.scope import ScopeError, parse_as_of, parse_region
from patentbridge.core.management.base import ProductCommand
from patentbridge_engine.analytics import OFFICIAL_SECTION_LABEL, Scope

# argparse and CommandError use 2 for usage errors; a bad date or region is one.
USAGE_ERROR = 2


class Command(ProductCommand):
    help = "按统计日期和地区输出全部统计指标（平台口径），并单列官方公布数据"
    epilog = """--json 输出 JSON 数组，每个指标一个对象：
  {"id", "group", "name", "value", "unit", "display", "kind": "platform", "kind_label": "平台口径",
   "definition", "source", "guide_ref", "breakdown", "rows": [{"key", "label", "value", "extra"?}],
   "note", "scope": {"as_of", "region", ...}}
  其后是官方公布数据，每条一个对象，"kind": "official"（来源、期间、核实标记），与平台统计分开。
value 为 null 表示无法计算（例如没有分母的比率），不是 0。
--region 为 GB/T 2260 行政区划代码或前缀：37 山东省、3715 聊城市、371522 莘县。
日期或地区无效时退出码为 2。"""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", default="", help="统计截止日期（默认今天）")
        parser.add_argument("--region", metavar="CODE", default="", help="只统计该行政区划内的记录")
        parser.add_argument("--json", action="store_true", help="输出 JSON 数组（每个指标一个对象）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = parse_as_of(options["as_of"], timezone.localdate())
            region = parse_region(options["region"])
        except ScopeError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from exc
        report = build_report(Scope(as_of=as_of, region=region))
        if options["json"]:
            scope = report.scope
            out = [v.as_dict(scope) for v in report.values] + [f.as_dict() for f in report.official]
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        self.stdout.write(f"统计范围：{report.region_name}　统计日期：{as_of.isoformat()}")
        self.stdout.write(f"\n== {PLATFORM_SECTION_LABEL} ==")
        for v in report.values:
            self.stdout.write(f"{v.id:<22} {v.definition.name}：{v.display}")
        self.stdout.write(f"\n== {OFFICIAL_SECTION_LABEL} ==")
        for f in report.official:
            self.stdout.write(
                f"{f.id:<22} {f.region} {f.period} {f.name}：{f.display} {f.unit}"
                f"（{f.source}；{f.tag_label}）"
            )

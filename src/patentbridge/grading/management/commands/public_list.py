"""``patentbridge public-list [--as-of DATE] [--json]``: recompute the public implementation list
(run daily; ``patentbridge serve`` schedules it) and print the entries in force."""

from __future__ import annotations

import json
from typing import Any

from patentbridge.core.management.base import ProductCommand
from patentbridge.grading.management.commands.grade import _date
from patentbridge.grading.models import PublicListEntry
from patentbridge.grading.public_list import recompute_public_list


class Command(ProductCommand):
    help = "重新计算财政资助专利公开实施清单，并列出清单中的条目"
    epilog = """条目的列入和移出会通知专利权人并记入审计日志；serve 启动时及之后每 24 小时自动运行一次
（同时全部重新分级）。
--json 输出数组，每个条目一个对象：
  {"application_number", "jurisdiction", "policy_version", "reason", "since", "route"}"""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="按该日期计算（默认今天）")
        parser.add_argument("--json", action="store_true", help="输出 JSON 数组，每个条目一个对象")

    def handle(self, *args: Any, **options: Any) -> None:
        counts = recompute_public_list(options["as_of"])
        entries = (
            PublicListEntry.objects.filter(left_on=None)
            .select_related("patent")
            .order_by("jurisdiction", "since", "patent__application_number")
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "application_number": e.patent.application_number,
                            "jurisdiction": e.jurisdiction,
                            "policy_version": e.policy_version,
                            "reason": e.reason,
                            "since": e.since.isoformat(),
                            "route": e.route or None,
                        }
                        for e in entries
                    ],
                    ensure_ascii=False,
                )
            )
            return
        for e in entries:
            self.stdout.write(
                f"{e.jurisdiction_label}  {e.patent.application_number}  自 {e.since}  {e.reason}"
            )
        self.stdout.write(f"新列入 {counts['entered']}，移出 {counts['left']}，清单中 {counts['active']} 件")

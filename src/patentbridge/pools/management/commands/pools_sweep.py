"""``patentbridge pools-sweep [--as-of DATE]``: bring every pool patent's status up to a date from
the rights ledger (the daily licensing sweep triggers the same run)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from patentbridge.core.management.base import ProductCommand
from patentbridge.grading.management.commands.grade import _date
from patentbridge.pools.services.ledger import sweep


class Command(ProductCommand):
    help = "按权利负担台账核查专利池中每件专利的状态（暂停、恢复、移出），按生效日期记入状态历史"
    epilog = """可重复运行：同一日期再次运行不会重复记录状态变化。每次运行写一条审计记录（pools.sweep.ran）。
每日例行任务（patentbridge sweep）完成后会自动运行一次。"""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", help="按该日期核查（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["as_of"] or timezone.localdate()
        counts = sweep(day)
        self.stdout.write(
            f"{day}：核查入池专利 {counts['checked']} 件，暂停 {counts['suspended']} 件，"
            f"恢复在池 {counts['admitted']} 件，移出 {counts['removed']} 件"
        )

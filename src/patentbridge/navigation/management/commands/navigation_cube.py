"""``patentbridge navigation-cube [--as-of DATE]``: rebuild the navigation cube now
(``navigation/cube.py``); normally a background task does it after the library changes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from patentbridge.analytics.scope import ScopeError as DateError
from patentbridge.analytics.scope import parse_as_of
from patentbridge.core.management.base import ProductCommand
from patentbridge.navigation import cube

USAGE_ERROR = 2


class Command(ProductCommand):
    help = "重建专利导航预汇总（平时由后台任务在专利变化后自动更新）"
    epilog = """预汇总按产业链、申请年、IPC、法律状态、申请人类型和地市统计库内专利，导航报告在其与专利库一致时直接读取，
否则按专利逐项统计（结果相同，只是更慢）。--as-of 指定预汇总的数据截止日（默认今天）；日期无效时退出码为 2。"""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", default="", help="数据截止日（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = parse_as_of(options["as_of"], timezone.localdate())
        except DateError as exc:
            raise CommandError(str(exc), returncode=USAGE_ERROR) from exc
        state = cube.rebuild(as_of)
        whole = "含全部库内专利" if state.complete else "截止日后另有库内专利，仅该日可用"
        self.stdout.write(
            f"专利导航预汇总已重建：截止 {state.as_of.isoformat()}，{state.rows} 行，"
            f"用时 {state.seconds:.1f} 秒（{whole}）"
        )

"""``patentbridge rollup``: rebuild the statistics rollup now (``analytics.rollups``)."""

from __future__ import annotations

from typing import Any

from patentbridge.analytics import dirty, rollups
from patentbridge.analytics.models import IndicatorRollup, RollupState
from patentbridge.core.management.base import ProductCommand


class Command(ProductCommand):
    help = "重建统计预汇总（平时由后台任务在专利变化后自动更新）"

    def handle(self, *args: Any, **options: Any) -> None:
        # Triggers a table rebuild (SQLite migration) may have dropped come back first.
        dirty.install()
        # Forget the fingerprint so the rebuild runs even when nothing seems to have moved.
        RollupState.objects.filter(pk=1).update(fingerprint="")
        seconds = rollups.rebuild()
        rows = IndicatorRollup.objects.count()
        self.stdout.write(f"统计预汇总已重建：{rows} 行，用时 {seconds:.1f} 秒")

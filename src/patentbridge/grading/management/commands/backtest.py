"""``patentbridge backtest [--json]``: how well grades rank patents later transferred, licensed or pledged."""

from __future__ import annotations

import json
from typing import Any

from patentbridge.core.management.base import ProductCommand
from patentbridge.grading.management.commands.grade import _date
from patentbridge.grading.services import run_backtest


class Command(ProductCommand):
    help = "用库中的转让/许可/质押记录回测分级分数（不含交易指标）：AUC 与各等级的提升度；数据太少时会说明"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--as-of", type=_date, metavar="YYYY-MM-DD", help="按该日期的分级策略回测（默认今天）"
        )
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_backtest(as_of=options["as_of"]).as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(
            f"策略 {report['policy_version']}：专利 {report['patents']} 件，其中有交易记录数据 "
            f"{report['with_outcome_data']} 件、发生过交易 {report['positives']} 件；AUC {report['auc']}"
        )
        for letter, row in report["lift_by_grade"].items():
            self.stdout.write(
                f"  {letter}: {row['patents']} 件，交易率 {row['outcome_rate']}，提升度 {row['lift']}"
            )
        self.stdout.write(report["verdict"])

"""``patentbridge sweep [--as-of DATE] [--json]``: run the daily licensing sweep now."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from patentbridge.core.management.base import ProductCommand
from patentbridge.grading.management.commands.grade import _date
from patentbridge.licensing.services.sweep import run_sweep

# Chinese words for the actions in the plain-text output (the JSON keeps the codes).
_LABELS = {
    "contract_ended_by_patent": "合同因专利权终止而终止",
    "contract_expired": "合同期限届满",
    "trial_ended": "试用期满，待转化",
    "conversion_no_answer": "逾期未答复，按未转化处理",
    "trial_reminder": "试用到期提醒",
    "filing_reminder": "备案到期提醒",
    "filing_overdue": "逾期未备案",
    "receivable_overdue": "应收款逾期",
    "open_licence_withdrawn": "开放许可撤回生效",
    "open_licence_ended": "开放许可因专利失效终止",
    "ledger_synced": "权利负担台账按导入数据更新",
    "public_list_changed": "公开实施清单变化",
}
_SUBJECT = ("contract", "patent", "declaration", "receivable")


def _line(action: dict[str, Any]) -> str:
    label = _LABELS.get(action["action"], action["action"])
    subject = next((str(action[k]) for k in _SUBJECT if k in action), "")
    details = "，".join(
        f"{k}={v}" for k, v in action.items() if k not in ("action", *_SUBJECT) and v not in (None, "", {})
    )
    return "  ".join(part for part in (label, subject, details) if part)


class Command(ProductCommand):
    help = (
        "运行每日例行任务：试用到期、转化答复、备案期限、应收逾期、开放许可撤回、专利失效、分级与公开实施清单"
    )
    epilog = """按日期驱动的处理都在这里完成，可重复运行：同一日期再次运行不会重复处理或重复提醒。
每次运行写一条审计记录（licensing.sweep.completed），每项处理由相应业务功能记入审计日志。
serve 启动时运行一次，之后每天在 PATENTBRIDGE_SWEEP_HOUR 点运行一次。
--json 每项处理输出一行 JSON 对象（JSON Lines），如：
  {"action": "trial_reminder", "contract": "XK-2026-000001", "days_left": 30, "trial_end": "2026-07-15"}
  action 取值：trial_reminder、trial_ended、conversion_no_answer、contract_expired、
  contract_ended_by_patent、filing_reminder、filing_overdue、receivable_overdue、
  open_licence_withdrawn、open_licence_ended、ledger_synced、public_list_changed。
  没有任何处理时不输出；处理中遇到的问题写到标准错误。"""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of", type=_date, metavar="YYYY-MM-DD", help="按该日期处理（默认今天），用于补跑或核对"
        )
        parser.add_argument("--json", action="store_true", help="每项处理输出一行 JSON 对象")

    def handle(self, *args: Any, **options: Any) -> None:
        result = run_sweep(options["as_of"])
        for problem in result.problems:
            self.stderr.write(f"未处理：{problem}")
        if options["json"]:
            for action in result.actions:
                self.stdout.write(json.dumps(action, ensure_ascii=False, default=str))
            return
        for action in result.actions:
            self.stdout.write(_line(action))
        public = result.public_list
        self.stdout.write(
            f"{result.as_of}：处理 {len(result.actions)} 项，重新分级 {result.graded} 件专利，"
            f"公开实施清单新列入 {public.get('entered', 0)}、移出 {public.get('left', 0)}"
        )

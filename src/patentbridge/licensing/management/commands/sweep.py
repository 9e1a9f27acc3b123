"""``patentbridge sweep [--as-of DATE] [--json]``: run the daily licensing sweep now."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import CommandParser

from patentbridge.core.management.base import ProductCommand
from patentbridge.grading.management.commands.grade import _date
from patentbridge.licensing.services.sweep import run_sweep

_FILING_KINDS = {"initial": "初次备案", "change": "变更备案"}


def _money(text: Any) -> str:
    try:
        return f"¥{Decimal(str(text)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(text)


def _counts(counts: dict[str, Any]) -> str:
    names = {"license_count": "许可次数", "pledge_count": "质押次数", "transfer_count": "转让次数"}
    return "".join(f"，{names.get(k, k)} {v[0] or 0}→{v[1]}" for k, v in counts.items())


# One Chinese line per action kind (the JSON output keeps the codes and fields).
_LINES: dict[str, Callable[[dict[str, Any]], str]] = {
    "trial_reminder": lambda a: (
        f"试用到期提醒  {a['contract']}  试用期至 {a['trial_end']}，还有 {a['days_left']} 天"
    ),
    "trial_ended": lambda a: f"试用期满，待转化  {a['contract']}  {a['on']} 届满，答复期限 {a['answer_by']}",
    "conversion_no_answer": lambda a: (
        f"逾期未答复，按未转化处理  {a['contract']}  {a['on']}（答复期限 {a['answer_by']}）"
    ),
    "contract_expired": lambda a: f"合同期限届满  {a['contract']}  {a['on']}",
    "contract_ended_by_patent": lambda a: (
        f"合同因专利权终止而终止  {a['contract']}  {a['on']}：{a['reason']}"
    ),
    "contract_patent_left": lambda a: (
        f"专利退出许可范围，合同继续  {a['contract']}  {a['on']}：{a['reason']}（其余 {a['remaining']} 件）"
    ),
    "filing_reminder": lambda a: (
        f"备案到期提醒  {a['contract']}  {_FILING_KINDS.get(a['kind'], a['kind'])}应于 {a['due_date']} 前办理，"
        f"还有 {a['days_left']} 天"
    ),
    "filing_overdue": lambda a: (
        f"逾期未备案  {a['contract']}  {_FILING_KINDS.get(a['kind'], a['kind'])}期限 {a['due_date']}，"
        f"逾期 {a['days_overdue']} 天"
    ),
    "receivable_overdue": lambda a: (
        f"应收款逾期  {a['contract']}  {a['label']}（到期日 {a['due_date']}，逾期 {a['days_overdue']} 天，"
        f"未收 {_money(a['outstanding'])}）"
    ),
    "open_licence_withdrawn": lambda a: (
        f"开放许可撤回生效  专利 {a['patent']}  声明第 {a['version']} 版，撤回公告日 {a['withdrawal_published_at']}"
    ),
    "open_licence_ended": lambda a: (
        f"开放许可因专利失效终止  专利 {a['patent']}  声明第 {a['version']} 版，{a['ended_on']} 终止"
    ),
    "ledger_synced": lambda a: (
        f"权利负担台账按导入数据更新  专利 {a['patent']}  新增 {a['created']}、更新 {a['updated']}、"
        f"删除 {a['removed']}{_counts(a.get('counts') or {})}"
    ),
    "public_list_changed": lambda a: (
        f"公开实施清单变化  新列入 {a.get('entered', 0)}、移出 {a.get('left', 0)}、清单中 {a.get('active', 0)}"
    ),
}


def _line(action: dict[str, Any]) -> str:
    """The action in Chinese; an action kind this command does not know yet is shown as JSON."""
    try:
        return _LINES[action["action"]](action)
    except KeyError:
        return json.dumps(action, ensure_ascii=False, default=str)


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

"""``patentbridge grade [APPLICATION_NO…] [--json] [--as-of DATE]``: grade patents now."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError

from patentbridge.core.management.base import ProductCommand
from patentbridge.grading.models import PatentGrade
from patentbridge.grading.services import grade_numbers
from patentbridge_engine.errors import InvalidNumberError
from patentbridge_engine.ids import parse_application_number


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text}") from exc


class Command(ProductCommand):
    help = "按当前分级策略为专利分级（不给申请号则全部分级）"
    epilog = """--json 输出数组，每件专利一个对象：
  {"application_number", "grade", "computed_grade", "override", "score", "coverage", "policy_version",
   "high_value", "high_value_flags": [{"code", "label", "met", "evidence"}],
   "indicators": [{"key", "label", "dimension", "score", "reason"}]}
  grade 为最终等级（含人工调整 override），computed_grade 为计算结果；
  某项指标没有数据时其 score 为 null。"""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("numbers", nargs="*", metavar="APPLICATION_NO", help="申请号（任意常见写法）")
        parser.add_argument("--json", action="store_true", help="输出 JSON 数组")
        parser.add_argument(
            "--as-of", type=_date, metavar="YYYY-MM-DD", help="按该日期的策略和状态分级（默认今天）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        numbers = None
        if options["numbers"]:
            try:
                numbers = [parse_application_number(n).canonical for n in options["numbers"]]
            except InvalidNumberError as exc:
                raise CommandError(str(exc)) from exc
        count = grade_numbers(numbers, as_of=options["as_of"])
        rows = PatentGrade.objects.select_related("patent").order_by("patent__application_number")
        if numbers is not None:
            rows = rows.filter(patent__application_number__in=numbers)
            missing = sorted(set(numbers) - set(rows.values_list("patent__application_number", flat=True)))
            if missing:
                raise CommandError(f"库中没有这些申请号：{'、'.join(missing)}")
        if options["json"]:
            out = [
                {
                    "application_number": r.patent.application_number,
                    "grade": r.final,
                    "computed_grade": r.grade,
                    "override": r.override or None,
                    "score": r.score,
                    "coverage": r.coverage,
                    "policy_version": r.policy_version,
                    "high_value": r.high_value,
                    "high_value_flags": r.detail.get("high_value_flags", []),
                    "indicators": r.detail.get("indicators", []),
                }
                for r in rows
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        for r in rows[:50]:
            flags = "、".join(f["code"] for f in r.detail.get("high_value_flags", []))
            self.stdout.write(
                f"{r.patent.application_number}  {r.final}  {r.score:5.1f}  覆盖 {r.coverage:.0%}  "
                f"{r.policy_version}{'  高价值 ' + flags if flags else ''}"
            )
        self.stdout.write(f"已分级 {count} 件专利")

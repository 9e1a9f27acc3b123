"""The ``patentbridge`` command: ``serve`` (default) and the product's commands listed by
``patentbridge --help``; anything else is handed to Django's manage.py machinery
(``patentbridge migrate``, ``patentbridge shell``)."""

from __future__ import annotations

import os
import sys

__all__ = ["COMMANDS", "main"]

# Names on the command line → Django command modules (hyphenated names cannot be module names).
# ``worker`` is core's own command (one worker per data directory, recovers interrupted jobs).
_ALIASES = {
    "import": "import_patents",
    "public-list": "public_list",
    "pools-sweep": "pools_sweep",
    "navigation-cube": "navigation_cube",
}
# What `patentbridge --help` lists: every product command with one line (Chinese, no internal names).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("serve", "启动网站和后台任务进程（不带参数时的默认命令）"),
    ("init", "初始化数据目录；加 --demo 载入演示机构、账号和真实专利数据"),
    ("import", "导入专利数据文件（CSV、XLSX、CNKI 导出的 .xls、JSONL、JSON、CNIPA XML）"),
    ("export", "按资源库的筛选条件导出专利（CSV、XLSX 或 JSONL）"),
    ("grade", "按当前分级政策为专利评级"),
    ("public-list", "重新计算专利公开实施清单"),
    ("sweep", "运行每日例行任务：试用与备案提醒、到期处理、逾期应收、分级与公开实施清单"),
    ("pools-sweep", "按权利负担台账核查专利池中每件专利的状态（暂停、恢复、移出）"),
    ("stats", "按统计日期和地区输出全部统计指标（平台口径），并单列官方公布数据"),
    ("rollup", "重建统计预汇总（平时由后台任务在专利变化后自动更新）"),
    ("navigate", "按产业链、地区或申请人生成专利导航报告（JSON、PDF 或 XLSX）"),
    ("navigation-cube", "重建专利导航预汇总（平时由后台任务在专利变化后自动更新）"),
    ("backtest", "用已记录的转化结果回测分级效果"),
    ("reindex", "重建检索索引和发明人团队"),
    ("token", "为用户创建或撤销 API 令牌"),
    ("worker", "单独运行后台任务进程（serve 会自动启动）"),
)


def usage() -> str:
    """The command list printed by ``patentbridge --help``."""
    width = max(len(name) for name, _ in COMMANDS)
    lines = ["用法：patentbridge [命令] [参数]   （各命令的参数：patentbridge 命令 --help）", "", "命令："]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS]
    lines += ["", "数据目录由环境变量 PATENTBRIDGE_DATA_DIR 指定（默认 ./var）。"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Dispatch; a bare ``patentbridge`` serves the web app."""
    # Owner-only files from the first moment (settings/security.py sets it again for WSGI servers).
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patentbridge.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help", "help"):
        print(usage())  # noqa: T201 - this is the command's output
        return
    if not args or args[0].startswith("-"):
        args = ["serve", *args]
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    execute_from_command_line(["patentbridge", _ALIASES.get(args[0], args[0]), *args[1:]])

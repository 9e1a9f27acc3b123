"""``patentbridge worker``: the background job worker, one per data directory.

Started (and restarted) by ``patentbridge serve`` with ``--parent-pid``; can also run alone.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.crypto import get_random_string

from patentbridge.core.management.base import ProductCommand
from patentbridge.core.worker import ResilientWorker, WorkerLock, die_with_parent
from patentbridge.ingest.recovery import requeue_interrupted

# Seconds between queue polls when idle: jobs start within half a second of being queued.
_INTERVAL = 0.5


class Command(ProductCommand):
    help = "后台任务进程：执行导入、索引、分级等排队任务（每个数据目录只运行一个）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--parent-pid", type=int, help="看护进程的进程号（serve 启动时传入）；它退出时本进程随之退出"
        )
        parser.add_argument(
            "--lock-wait",
            type=float,
            default=None,
            help="另一个后台任务进程占用数据目录时最多等待的秒数（默认一直等待）",
        )
        parser.add_argument("--interval", type=float, default=_INTERVAL, help="空闲时轮询队列的间隔（秒）")

    def handle(self, *args: Any, **options: Any) -> None:

        if options["parent_pid"]:
            die_with_parent(options["parent_pid"])
        if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
            raise CommandError("PATENTBRIDGE_TASKS=immediate 时任务直接执行，无需后台任务进程")
        lock = WorkerLock(settings.DATA_DIR)
        if not lock.acquire(options["lock_wait"]):
            raise CommandError(f"另一个后台任务进程正在使用数据目录 {settings.DATA_DIR}，本进程退出")
        try:
            queued = requeue_interrupted()
            self.stderr.write(f"后台任务进程已启动（pid {os.getpid()}），恢复中断的导入 {queued} 个")
            worker = ResilientWorker(
                queue_names=["*"],
                interval=options["interval"],
                batch=False,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=get_random_string(32),
                excluded_queue_names=[],
            )
            worker.configure_signals()
            worker.run()
        finally:
            lock.release()

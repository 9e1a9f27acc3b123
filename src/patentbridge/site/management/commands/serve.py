"""``patentbridge serve``: the web app (waitress) plus a supervised background worker process and
the daily sweep (site/scheduler.py)."""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from patentbridge.core.management.base import ProductCommand
from patentbridge.core.supervisor import Supervisor
from patentbridge.core.wsgi_app import application
from patentbridge.licensing.services.sweep import daily_sweep, run_sweep
from patentbridge.site.scheduler import SweepScheduler


class Command(ProductCommand):
    help = "启动网站和后台任务进程：先建库/升级数据库、收集静态文件，后台任务进程意外退出时自动重启"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=settings.PATENTBRIDGE_HOST,
            help="监听地址（默认取环境变量 PATENTBRIDGE_HOST，未设置时 127.0.0.1）",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=settings.PATENTBRIDGE_PORT,
            help="监听端口（默认取环境变量 PATENTBRIDGE_PORT，未设置时 8000）",
        )
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
        parser.add_argument("--threads", type=int, default=8, help="处理网页请求的线程数（默认 8）")
        parser.add_argument(
            "--no-sweep",
            action="store_true",
            help="不自动运行每日例行任务（改由 cron 等外部定时运行 patentbridge sweep 时使用）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        supervisor = None
        if not options["no_worker"] and settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
            # The worker recovers interrupted jobs itself at every (re)start, under its lock.
            supervisor = Supervisor(
                settings.DATA_DIR,
                min_delay=settings.PATENTBRIDGE_WORKER_RESTART_MIN,
                max_delay=settings.PATENTBRIDGE_WORKER_RESTART_MAX,
            )
            supervisor.start()
        scheduler = None
        if not options["no_sweep"]:
            # With a worker the day's sweep is queued for it (one job at a time beside imports);
            # without one it runs in the scheduler's own thread. Grading and the public list are
            # part of the sweep.
            runner = (lambda day: daily_sweep.enqueue(day.isoformat())) if supervisor else run_sweep
            scheduler = SweepScheduler(settings.DATA_DIR, settings.PATENTBRIDGE_SWEEP_HOUR, runner)
            scheduler.start()
        host, port = options["host"], options["port"]
        # Demo passwords are printed once by `patentbridge init --demo`, never here.
        self.stdout.write(
            f"PatentBridge 专利桥 已启动：http://{host}:{port}/  （数据目录 {settings.DATA_DIR}）"
        )
        if supervisor is not None:
            self.stdout.write(f"后台任务进程日志：{supervisor.log_path}")
        credentials = settings.DATA_DIR / "demo_credentials.txt"
        if credentials.exists():
            self.stdout.write(f"演示账号与密码见上方 init 的输出，或文件 {credentials}（仅本机用户可读）")
        self.stdout.write("按 Ctrl+C 停止。")
        self.stdout.flush()

        def stop(*_: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            serve(application, host=host, port=port, threads=options["threads"], ident="PatentBridge")
        except KeyboardInterrupt:
            pass
        finally:
            if scheduler is not None:
                scheduler.stop()
            if supervisor is not None:
                supervisor.stop()
            logging.getLogger("patentbridge.supervisor").info("PatentBridge 已停止")

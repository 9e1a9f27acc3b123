"""``patentbridge serve``: the web app (waitress) plus a supervised background worker process."""

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
from patentbridge.grading.tasks import schedule_daily


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

            schedule_daily()
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
            if supervisor is not None:
                supervisor.stop()
            logging.getLogger("patentbridge.supervisor").info("PatentBridge 已停止")

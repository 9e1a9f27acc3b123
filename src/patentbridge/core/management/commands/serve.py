"""``patentbridge serve``: the web app (waitress) plus a background worker process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动 PatentBridge 网站及后台任务进程"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.getenv("PATENTBRIDGE_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.getenv("PATENTBRIDGE_PORT", "8000")))
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from patentbridge.core.wsgi_app import application
        from patentbridge.ingest.recovery import requeue_interrupted

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not options["no_worker"] and settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
            requeue_interrupted()
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "patentbridge",
                    "worker",
                    "--queue-name",
                    "*",
                    "--interval",
                    "0.5",
                    "--no-startup-delay",
                    "--no-reload",
                ],
                env=os.environ.copy(),
            )
            from patentbridge.grading.tasks import schedule_daily

            schedule_daily()
        host, port = options["host"], options["port"]
        self.stdout.write(
            f"PatentBridge 专利桥 已启动：http://{host}:{port}/  （数据目录 {settings.DATA_DIR}）"
        )
        credentials = settings.DATA_DIR / "demo_credentials.txt"
        if credentials.exists():
            self.stdout.write(
                "演示账号（用户名 / 密码 / 角色）：\n" + credentials.read_text(encoding="utf-8")
            )
        self.stdout.flush()

        def stop(*_: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            serve(application, host=host, port=port, threads=options["threads"], ident="PatentBridge")
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)

"""``patentbridge init``: prepare a data directory (database, system account, chains; demo data with --demo)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandParser
from django.db import transaction

from patentbridge.accounts.choices import OrgKindChoices, RoleChoices
from patentbridge.accounts.models import Membership, Organization
from patentbridge.core.datadir import restrict_data_dir
from patentbridge.core.management.base import ProductCommand
from patentbridge.patents.classification import seed_default_chains
from patentbridge.patents.models import Patent
from patentbridge.site.demo import load_demo

SYSTEM_ORG = "PatentBridge 平台"


class Command(ProductCommand):
    help = "初始化数据目录：建库、系统账号、重点产业链起始配置；--demo 载入演示数据"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="载入演示机构、账号与真实专利样本")
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="与 --demo 一起使用：重新生成演示账号密码（默认保持不变）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        call_command("migrate", interactive=False, verbosity=0)

        # Owner-only data directory, including files made before PatentBridge set umask 077.
        restrict_data_dir(settings.DATA_DIR)
        with transaction.atomic():
            org, _ = Organization.objects.get_or_create(
                name=SYSTEM_ORG, defaults={"kind": OrgKindChoices.OPERATION_CENTRE}
            )
            system, created = get_user_model().objects.get_or_create(username="system")
            if created:
                system.set_unusable_password()
                system.save()
            Membership.objects.get_or_create(user=system, defaults={"org": org, "role": RoleChoices.ADMIN})
            seed_default_chains()
        self.stdout.write(f"数据目录已就绪：{settings.DATA_DIR}")
        if options["demo"]:
            if Patent.objects.exists():
                self.stdout.write(
                    "演示数据已存在：只补齐缺少的部分，账号密码保持不变（--reset-passwords 可重置）。"
                )
            self.stdout.write("载入演示数据：")
            credentials = load_demo(self.stdout, reset_passwords=options["reset_passwords"])
            # Printed here, once: `serve` never prints passwords (its output ends up in logs).
            self.stdout.write(
                f"演示账号（用户名 / 密码 / 角色，另存于 {settings.DATA_DIR / 'demo_credentials.txt'}）："
            )
            for username, password, role in credentials:
                self.stdout.write(f"  {username} / {password} / {role}")

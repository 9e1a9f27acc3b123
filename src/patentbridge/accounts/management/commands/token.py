"""``patentbridge token USER NAME``: create an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from patentbridge.accounts.models import ApiToken
from patentbridge.core import audit


class Command(BaseCommand):
    help = "为用户创建 API 令牌（只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="令牌用途，例如 省平台同步")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户不存在：{options['username']}")
        key = ApiToken.new_key()
        with transaction.atomic():
            token = ApiToken.objects.create(user=user, name=options["name"], key_hash=ApiToken.hash_key(key))
            audit.record("accounts.token.created", actor=user, target=token, data={"name": options["name"]})
        self.stdout.write(key)

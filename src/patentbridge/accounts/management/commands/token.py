"""``patentbridge token USER NAME``: create an API token and print it once; ``--revoke`` deletes it.

Both go through ``accounts/services.py`` (audited); ``--by`` names the acting account when it is
not the token's owner (e.g. ``--by system``, the administrator account ``init`` creates).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError, CommandParser

from patentbridge.accounts import services
from patentbridge.accounts.models import ApiToken
from patentbridge.core.audit import request_id_scope
from patentbridge.core.management.base import ProductCommand


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"用户不存在：{username}")
    return user


class Command(ProductCommand):
    help = "为用户创建 API 令牌（只显示一次）；--revoke 吊销该用户该用途的令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", metavar="USERNAME", help="令牌所属用户")
        parser.add_argument("name", metavar="NAME", help="令牌用途，例如 省平台同步")
        parser.add_argument("--revoke", action="store_true", help="吊销（删除）该用户该用途的全部令牌")
        parser.add_argument(
            "--by",
            default="",
            metavar="USERNAME",
            help="以哪个用户身份操作（默认令牌所属用户本人，例如 system）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = _user(options["username"])
        actor = _user(options["by"]) if options["by"] else user
        try:
            with request_id_scope():
                if options["revoke"]:
                    tokens = list(
                        ApiToken.objects.filter(user=user, name=options["name"]).select_related("user")
                    )
                    if not tokens:
                        raise CommandError(f"没有找到令牌：{options['username']} / {options['name']}")
                    for token in tokens:
                        services.revoke_token(actor=actor, token=token)
                    self.stdout.write(f"已吊销 {len(tokens)} 个令牌")
                    return
                _, key = services.create_token(actor=actor, user=user, name=options["name"])
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(key)

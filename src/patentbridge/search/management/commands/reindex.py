"""``patentbridge reindex``: rebuild the search index from the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from patentbridge.search.index import rebuild_index, rebuild_needs_index


class Command(BaseCommand):
    help = "从数据库重建检索索引"

    def handle(self, *args: Any, **options: Any) -> None:
        from patentbridge.matching.teams import rebuild_teams

        self.stdout.write(
            f"已索引 {rebuild_index()} 件专利、{rebuild_needs_index()} 条技术需求；"
            f"发明人团队 {rebuild_teams()} 个"
        )

"""``patentbridge reindex``: rebuild the search index from the database."""

from __future__ import annotations

from typing import Any

from patentbridge.core.management.base import ProductCommand
from patentbridge.matching.teams import rebuild_teams
from patentbridge.search.index import rebuild_index, rebuild_needs_index


class Command(ProductCommand):
    help = "从数据库重建检索索引（专利、技术需求）和发明人团队；旧格式的索引首次打开时也会自动重建"

    def handle(self, *args: Any, **options: Any) -> None:

        self.stdout.write(
            f"已索引 {rebuild_index()} 件专利、{rebuild_needs_index()} 条技术需求；"
            f"发明人团队 {rebuild_teams()} 个"
        )

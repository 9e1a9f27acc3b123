from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Imports of patent exports (CSV, XLSX, JSONL, JSON, CNIPA XML)."""

    name = "patentbridge.ingest"
    verbose_name = "数据导入"

    def ready(self) -> None:
        from patentbridge.core.restrict import register_rule
        from patentbridge.ingest.models import ImportBatch
        from patentbridge.ingest.queries import batch_rule

        register_rule(ImportBatch, batch_rule)

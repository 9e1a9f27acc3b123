from django.apps import AppConfig


class IngestConfig(AppConfig):
    """Imports of patent exports (CSV, XLSX, JSONL, JSON, CNIPA XML)."""

    name = "patentbridge.ingest"
    verbose_name = "数据导入"
